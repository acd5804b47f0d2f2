"""End-to-end checks over the real pages in ``../shared/corpus/dev``.

The corpus is third-party content: it is read from beside the checkout and never copied
into the repository (pages are copied into ``tmp_path`` at most).  Every test that needs
it skips when the folder is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import traceback
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import lxml.html
import polib
import pytest
from click.testing import CliRunner
from lxml import etree

from l10n import catalog
from l10n import html as html_stage
from l10n.cli import cli
from l10n.config import Layout
from l10n.html import Document, Published
from l10n.translate.pseudo import pseudo

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
PAGES = sorted(p.name for p in CORPUS.glob("*.html")) if CORPUS.is_dir() else []
MODES = ("block", "sentence")
LANGUAGE = "es"
SOURCE_LANGUAGE = "en"
FIXED_DATE = datetime(2024, 1, 1, tzinfo=UTC)
MSGFMT = shutil.which("msgfmt")

needs_corpus = pytest.mark.skipif(not PAGES, reason=f"corpus not found at {CORPUS}")


# --- per-page work shared by several tests ------------------------------------------------


@cache
def source(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@cache
def ground_truth(name: str) -> str:
    sidecar = CORPUS / f"{name.removesuffix('.html')}.json"
    if not sidecar.is_file():
        return ""
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    return (data.get("ground_truth") or {}).get("main_text") or ""


PAGES_WITH_TEXT = [name for name in PAGES if ground_truth(name).strip()]


@cache
def document(name: str, mode: str) -> Document:
    return html_stage.segment(source(name), sentences=mode == "sentence")


@cache
def msgids(name: str, mode: str) -> tuple[str, ...]:
    """Distinct non-empty msgids in document order."""
    return tuple(dict.fromkeys(s.msgid for s in document(name, mode).segments if s.msgid))


@cache
def pseudo_published(name: str, mode: str) -> Published:
    translations = {msgid: pseudo(msgid) for msgid in msgids(name, mode)}
    return html_stage.publish(
        document(name, mode),
        translations,
        language=LANGUAGE,
        source_language=SOURCE_LANGUAGE,
        direction="ltr",
    )


# --- identity comparison ------------------------------------------------------------------

# The root start tag is the first ``<html …>`` outside comments: IE conditional comments
# (``<!--[if IE 8]><html class="ie8"><![endif]-->``) hold decoy ``<html>`` tags before it.
# ``<!-->`` and ``<!--->`` are complete (empty) comments in HTML.
_COMMENT_OR_ROOT = re.compile(rb"<!--(?:>|->|.*?-->)|(<html\b[^>]*>)", re.IGNORECASE | re.DOTALL)


def _root_tag(data: bytes) -> tuple[int, int] | None:
    for m in _COMMENT_OR_ROOT.finditer(data):
        if m.group(1):
            return m.span(1)
    return None


def assert_identical_but_root(name: str, original: bytes, published: bytes) -> None:
    """``published`` is ``original`` byte for byte, except the root tag, which got lang=es."""
    src, out = _root_tag(original), _root_tag(published)
    assert src is not None, f"{name}: no <html> start tag in the source"
    assert out is not None, f"{name}: the published page lost its <html> start tag"
    before, after = original[: src[0]], original[src[1] :]
    if published[: out[0]] != before or published[out[1] :] != after:
        at = next(
            (i for i, (a, b) in enumerate(zip(original, published, strict=False)) if a != b),
            min(len(original), len(published)),
        )
        pytest.fail(
            f"{name}: published bytes differ from the source outside the root tag, "
            f"first at byte {at}:\n  source:    {original[max(0, at - 80) : at + 80]!r}\n"
            f"  published: {published[max(0, at - 80) : at + 80]!r}"
        )
    tag = published[out[0] : out[1]]
    assert re.search(rb"""\slang\s*=\s*["']?es\b""", tag), f"{name}: root tag {tag!r}"


# --- lxml views of a page -----------------------------------------------------------------

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*>")
_PARSER = lxml.html.HTMLParser(huge_tree=True)


def parse(data: bytes, codec: str) -> etree._Element:
    """An lxml tree of page bytes, decoded with the codec the tool reports for them."""
    if codec.replace("_", "-").lower() in ("utf-8", "utf8"):
        codec = "utf-8-sig"
    # "replace" on both sides: bytes neither codec decodes become U+FFFD in both trees.
    text = data.decode(codec, "replace").removeprefix("\ufeff")
    # lxml refuses str input that declares an encoding.
    text = _XML_DECLARATION.sub("", text, count=1)
    return lxml.html.document_fromstring(text, parser=_PARSER)


def _type(element: etree._Element) -> str:
    return (element.get("type") or "").strip().lower()


def _describe(root: etree._Element, element: etree._Element) -> str:
    return str(root.getroottree().getpath(element))


def assert_same_structure(name: str, before: etree._Element, after: etree._Element) -> None:
    old = list(before.iter(etree.Element))
    new = list(after.iter(etree.Element))
    for i, (a, b) in enumerate(zip(old, new, strict=False)):
        if a.tag != b.tag:
            pytest.fail(
                f"{name}: element #{i} is <{b.tag}> at {_describe(after, b)}, "
                f"was <{a.tag}> at {_describe(before, a)}"
            )
        if a is not before and list(a.attrib.keys()) != list(b.attrib.keys()):
            pytest.fail(
                f"{name}: attributes of {_describe(after, b)} are {list(b.attrib.keys())}, "
                f"were {list(a.attrib.keys())}"
            )
    assert len(new) == len(old), f"{name}: {len(new)} elements, was {len(old)}"

    def raw(root: etree._Element) -> list[str]:
        return [e.text or "" for e in root.iter("script", "style")]

    assert raw(after) == raw(before), f"{name}: script/style text changed"
    comments = [c.text for c in before.iter(etree.Comment)]
    assert [c.text for c in after.iter(etree.Comment)] == comments, f"{name}: comments changed"

    def json_ld(root: etree._Element) -> list[str]:
        return [e.text or "" for e in root.iter("script") if _type(e) == "application/ld+json"]

    assert json_ld(after) == json_ld(before), f"{name}: JSON-LD changed"
    for old_text, new_text in zip(json_ld(before), json_ld(after), strict=True):
        try:
            json.loads(old_text)
        except ValueError:
            continue  # invalid in the source already
        json.loads(new_text)


# --- 1. identity round trip through real PO files, with the real CLI ----------------------


def make_project(root: Path, name: str, mode: str = "block") -> None:
    config = f'languages = ["{LANGUAGE}"]\nsegment = "{mode}"\n'
    (root / "l10n.toml").write_text(config, encoding="utf-8")
    (root / "articles").mkdir()
    shutil.copyfile(CORPUS / name, root / "articles" / name)


def run_cli(root: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    detail = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        detail += "".join(traceback.format_exception(result.exception))
    assert result.exit_code == 0, f"l10n {' '.join(args)} failed:\n{detail}"


@needs_corpus
@pytest.mark.parametrize("name", PAGES)
def test_identity_round_trip_cli(tmp_path: Path, name: str) -> None:
    make_project(tmp_path, name)
    run_cli(tmp_path, "extract")
    po_path = tmp_path / Layout().catalog(LANGUAGE, name)
    po = polib.pofile(str(po_path), wrapwidth=78)
    assert len(po) == len(msgids(name, "block"))
    for entry in po:
        entry.msgstr = entry.msgid
        assert not entry.fuzzy
    po.save()
    run_cli(tmp_path, "publish")
    published = (tmp_path / Layout().published(LANGUAGE, name)).read_bytes()
    assert_identical_but_root(name, source(name), published)


# --- 2. msgfmt --check on every catalog written -------------------------------------------


def msgfmt_check(path: Path, *extra: str) -> str:
    assert MSGFMT is not None, "GNU gettext's msgfmt is required (apt-get install gettext)"
    done = subprocess.run(
        [MSGFMT, "--check", *extra, "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"msgfmt --check {path.name}:\n{done.stderr}"
    return done.stderr


@needs_corpus
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_catalogs_pass_msgfmt_check(tmp_path: Path, name: str, mode: str) -> None:
    make_project(tmp_path, name, mode)
    run_cli(tmp_path, "extract")
    pot = tmp_path / Layout().template(name)
    po = tmp_path / Layout().catalog(LANGUAGE, name)
    # A template's header has no translator fields (PO-Revision-Date, Last-Translator,
    # Language-Team, Language), which msgfmt warns about; only errors count.
    msgfmt_check(pot)
    # PO headers are written in values msgfmt takes without a warning.
    assert msgfmt_check(po) == ""
    run_cli(tmp_path, "translate", "--engine", "pseudo")
    filled = polib.pofile(str(po))
    assert all(entry.msgstr for entry in filled)
    # Machine translations are fuzzy, which msgfmt skips unless told to use them.
    assert msgfmt_check(po, "--use-fuzzy") == ""


# --- 3 and 6. structure after pseudo-translation ------------------------------------------


@needs_corpus
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", PAGES)
def test_pseudo_keeps_structure(name: str, mode: str) -> None:
    doc = document(name, mode)
    published = pseudo_published(name, mode)
    assert published.rejected == ()
    assert published.untranslated == 0
    assert published.translated == len(doc.segments)
    before = parse(source(name), doc.page.encoding)
    after = parse(published.data, published.encoding)
    assert_same_structure(name, before, after)


# --- 6. identity in sentence mode, through POT/PO text at the stage level -----------------


@needs_corpus
@pytest.mark.parametrize("name", PAGES)
def test_identity_round_trip_sentences(name: str) -> None:
    doc = document(name, "sentence")
    article = f"articles/{name}"
    messages = catalog.messages_from_segments(article, doc.segments)
    pot = catalog.render_template(messages, creation_date=FIXED_DATE)
    po_text = catalog.merge(
        pot, None, language=LANGUAGE, source_language=SOURCE_LANGUAGE, file="es.po"
    )
    po = polib.pofile(po_text, wrapwidth=78)
    for entry in po:
        entry.msgstr = entry.msgid
    entries = catalog.translations(str(po), file="es.po")
    assert len(entries) == len(msgids(name, "sentence"))
    usable = {t.msgid: t.msgstr for t in entries if t.msgstr and not t.fuzzy}
    published = html_stage.publish(
        doc, usable, language=LANGUAGE, source_language=SOURCE_LANGUAGE, direction="ltr"
    )
    assert published.untranslated == 0 and published.rejected == ()
    assert_identical_but_root(name, source(name), published.data)


# --- 4. coverage of the article text ------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_PLACEHOLDER = re.compile(r"</?\d{1,4}/?>")
# Scripts written without spaces between words: each character counts as one word.
_CHARACTER_WORDS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals
    (0x3040, 0x31FF),  # kana, bopomofo, Hangul compatibility Jamo
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFFDC),  # half-width kana and Hangul
    (0x20000, 0x3134F),  # CJK extensions B-G
)


def _one_per_character(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CHARACTER_WORDS)


def words(text: str) -> list[str]:
    """Lower-case NFC words: runs of letters/digits, CJK/Thai/Hangul one per character."""
    found: list[str] = []
    for run in _WORD.findall(unicodedata.normalize("NFC", text).lower()):
        start = 0
        for i, char in enumerate(run):
            if _one_per_character(char):
                if i > start:
                    found.append(run[start:i])
                found.append(char)
                start = i + 1
        if start < len(run):
            found.append(run[start:])
    return found


@cache
def math_only_words(name: str) -> frozenset[str]:
    """Words the source shows only inside <math> elements.

    MathML is foreign content whose text must never be extracted (a formula is not a
    sentence), yet extractors that produced the ground truth flatten it into letters and
    digits (``readability__mathjax.html`` is mostly that).  Words that also occur in text
    outside math (and outside script/style) must still be extracted, so only words found
    nowhere else are excused.  The rule is the same for every page.
    """
    doc = document(name, "block")
    root = parse(source(name), doc.page.encoding)
    # Namespace prefixes stay in tag names with lxml's HTML parser (<mml:math>).
    math = "(self::math or substring-after(name(), ':') = 'math')"
    inside = set(words(" ".join(root.xpath(f"//*[{math}]//text()"))))
    if not inside:
        return frozenset()
    visible = f"not(ancestor::*[{math} or self::script or self::style])"
    outside = set(words(" ".join(root.xpath(f"//text()[{visible}]"))))
    return frozenset(inside - outside)


def coverage(name: str, *, excuse_math: bool = True) -> tuple[float, int, Counter[str]]:
    """(share of ground-truth words found among the msgids' words, words counted, missing)."""
    extracted = set(words(" ".join(_PLACEHOLDER.sub(" ", m) for m in msgids(name, "block"))))
    excused = math_only_words(name) if excuse_math else frozenset()
    expected = [w for w in words(ground_truth(name)) if w not in excused]
    missing = Counter(w for w in expected if w not in extracted)
    total = len(expected)
    share = 1.0 if total == 0 else 1 - sum(missing.values()) / total
    return share, total, missing


@needs_corpus
@pytest.mark.parametrize("name", PAGES_WITH_TEXT)
def test_article_text_is_extracted(
    name: str, record_property: Callable[[str, object], None]
) -> None:
    share, total, missing = coverage(name)
    raw, raw_total, _ = coverage(name, excuse_math=False)
    record_property("coverage", round(share * 100, 2))
    print(
        f"{name}: {share:.2%} of {total} words "
        f"({raw:.2%} of {raw_total} before excusing math-only words)"
    )
    assert share >= 0.98, (
        f"{name}: only {share:.2%} of {total} ground-truth words are in msgids; "
        f"most missed: {missing.most_common(25)}"
    )


# --- 5. no code in msgids -----------------------------------------------------------------

# Each pattern is something prose practically never contains.  Article text that merely
# talks about code is shown inside <code>/<kbd>/<samp>, which are opaque placeholders.
_CODE = {
    "JS function": r"\bfunction\s*[\w$]*\s*\([^()]*\)\s*\{",
    "JS arrow function": r"(?:\)|\b[\w$]+)\s*=>\s*[{(\w$]",
    "JS declaration": r"\b(?:var|let|const)\s+[A-Za-z_$][\w$]*\s*=[^=]",
    "DOM call": r"\b(?:document|window)\.[a-z][\w$]*\s*[(=.\[]",
    "DOM method": r"\.(?:addEventListener|getElementById|getElementsBy\w+|querySelector(?:All)?"
    r"|createElement|appendChild|insertBefore|setAttribute)\s*\(",
    "jQuery": r"(?:\$|\bjQuery)\(\s*(?:document|window|this|function|['\"])",
    "JS statement end": r"[\w$\])]\s*\(\s*[^()]*\)\s*;\s*(?:\}|$|[\w$]+\s*[(.=])",
    "JS strict equality": r"[\w$\])'\"]\s*[!=]==\s*[\w$'\"(]",
    "JS typeof": r"\btypeof\s*\(?\s*[\w$]+\s*\)?\s*[!=]==?",
    "javascript: URL": r"\b[Jj]ava[Ss]cript:\s*[\w$.]+\s*\(",
    "JSON object": r"\{\s*\"[^\"\n]{1,80}\"\s*:\s*[\"\[{\d\-tfn]",
    "JSON array of objects": r"\[\s*\{\s*\"",
    "CSS rule": r"[\w\])*-]\s*\{\s*[a-z-]+\s*:\s*[^;{}\n]+;",
    "CSS at-rule": r"@(?:media|import|font-face|keyframes|charset|supports)\b[^\n]{0,80}[{;]",
    "CSS !important": r"!\s*important\s*[;}]",
    "markup": r"</?(?:script|style)\b|<!--|-->|<!\[CDATA\[",
    "block end": r";\s*\}",
}
CODE = {kind: re.compile(pattern) for kind, pattern in _CODE.items()}


def code_in(msgid: str) -> str | None:
    """What kind of code ``msgid`` holds, or None."""
    return next((kind for kind, pattern in CODE.items() if pattern.search(msgid)), None)


@pytest.mark.parametrize(
    "text",
    [
        "function(){return 1}",
        "var x = 1;",
        "jQuery(document).ready(function(){ init(); });",
        "document.getElementById('x').style.display='none'",
        "window.dataLayer = window.dataLayer || [];",
        "items.forEach(item => { total += item })",
        'if (a === "b") go();',
        '{"@context": "https://schema.org", "@type": "NewsArticle"}',
        ".header { color: red; }",
        "@media (max-width: 600px) { .a { display: none } }",
        "color: red !important;",
        "</script>",
        "<!-- ad slot -->",
        "javascript:void(0)",
    ],
)
def test_code_detector_finds_code(text: str) -> None:
    assert code_in(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "He looked out of the window.Then he left.",
        "Let me know if you want more (or less) of this.",
        "The 500(c)(3) charity said: we will do it; nobody objected.",
        "JavaScript: The Good Parts is a book.",
        "Scores were 3 == 3 in the first half",
        "Prices rose {slightly} in May",
        "Email us at news@example.com (mornings only).",
        "She wrote “function follows form” on the board.",
        "<1>Read more</1> about the @media team",
        "Arrows (=>) mark the route; see the map.",
    ],
)
def test_code_detector_ignores_prose(text: str) -> None:
    assert code_in(text) is None


@needs_corpus
@pytest.mark.parametrize("name", PAGES)
def test_no_code_in_msgids(name: str) -> None:
    offenders = [(kind, m) for m in msgids(name, "block") if (kind := code_in(m))]
    for kind, msgid in offenders:
        print(f"{name}: {kind}: {msgid[:200]!r}")
    assert not offenders, f"{name}: {len(offenders)} msgids hold code: " + "; ".join(
        f"{kind}: {msgid[:120]!r}" for kind, msgid in offenders[:5]
    )

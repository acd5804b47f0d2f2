"""``l10n publish`` through the CLI: directions of mixed-language pages, held languages'
old pages, catalogs that lost their template's entries, and what its messages say."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import polib
import pytest
from click.testing import CliRunner, Result

from l10n.cli import cli
from l10n.html import SegmentKind, segment

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev"
ARTICLE = "commentary/ai-initiative.html"
BRIEF = "briefs/sora-explainer.html"


def run(project: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["-C", str(project), *args])
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example project: its articles, committed catalogs and glossary."""
    for name in ("articles", "locales", "glossaries"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "l10n.toml", tmp_path / "l10n.toml")
    return tmp_path


def marked(page: Path, lang: str) -> list[lxml.html.HtmlElement]:
    """Elements below the root that say they are in ``lang``."""
    root = lxml.html.fromstring(page.read_bytes())
    return [e for e in root.iter() if e is not root and e.get("lang") == lang]


# --- direction of text left in the source language -----------------------------------


def test_untranslated_english_in_the_arabic_example_page_is_left_to_right(example: Path) -> None:
    run(example, "publish", "--lang", "ar", "--lang", "fr")
    page = example / "public" / "ar" / ARTICLE
    root = lxml.html.fromstring(page.read_bytes())
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    english = marked(page, "en")
    assert len(english) > 40
    assert {e.get("dir") for e in english} == {"ltr"}
    # French and English agree in direction: the French page gets lang and no dir.
    french = example / "public" / "fr" / ARTICLE
    assert marked(french, "en") and b"dir=" not in french.read_bytes()


def _corpus_page(language: str) -> Path | None:
    index = CORPUS / "INDEX.tsv"
    if not index.is_file():
        return None
    for line in index.read_text(encoding="utf-8").splitlines()[1:]:
        name, lang, *_ = line.split("\t")
        if lang == language and (CORPUS / name).is_file():
            return CORPUS / name
    return None


@pytest.mark.skipif(_corpus_page("ar") is None, reason="../shared/corpus/dev not present")
def test_an_arabic_corpus_page_published_into_english_marks_its_arabic_right_to_left(
    tmp_path: Path,
) -> None:
    source = _corpus_page("ar")
    assert source is not None
    (tmp_path / "articles").mkdir()
    shutil.copy(source, tmp_path / "articles" / "page.html")
    (tmp_path / "l10n.toml").write_text(
        'source_language = "ar"\nlanguages = ["en"]\n', encoding="utf-8"
    )
    run(tmp_path, "extract")
    catalog = polib.pofile(str(tmp_path / "locales" / "en" / "page.po"))
    first = next(e for e in catalog if e.msgid)
    first.msgstr = "A translated block"
    catalog.save()
    run(tmp_path, "publish")
    page = tmp_path / "public" / "en" / "page.html"
    root = lxml.html.fromstring(page.read_bytes())
    assert (root.get("lang"), root.get("dir")) == ("en", "ltr")
    arabic = marked(page, "ar")
    assert len(arabic) > 10
    assert {e.get("dir") for e in arabic} == {"rtl"}
    assert "A translated block" in page.read_text(encoding="utf-8")


@pytest.mark.skipif(_corpus_page("en") is None, reason="../shared/corpus/dev not present")
def test_an_english_corpus_page_published_into_arabic_marks_its_english_left_to_right(
    tmp_path: Path,
) -> None:
    source = _corpus_page("en")
    assert source is not None
    (tmp_path / "articles").mkdir()
    shutil.copy(source, tmp_path / "articles" / "page.html")
    (tmp_path / "l10n.toml").write_text('languages = ["ar"]\n', encoding="utf-8")
    run(tmp_path, "extract")
    run(tmp_path, "publish")
    page = tmp_path / "public" / "ar" / "page.html"
    english = marked(page, "en")
    segments = segment(source.read_bytes()).segments
    blocks = sum(1 for s in segments if s.kind is not SegmentKind.ATTRIBUTE)
    assert blocks and len(english) > blocks // 2
    assert {e.get("dir") for e in english} == {"ltr"}


# --- a catalog that lost its template's entries --------------------------------------


def test_an_emptied_catalog_is_never_published_whatever_min_complete(example: Path) -> None:
    po = example / "locales" / "ar" / ARTICLE.replace(".html", ".po")
    po.write_text("", encoding="utf-8")
    pot = f"locales/templates/{ARTICLE.replace('.html', '.pot')}"
    for extra in ((), ("--min-complete", "0"), ("--ignore-check", "--allow-fuzzy")):
        result = run(example, "publish", "--lang", "ar", *extra, code=1)
        # (An empty file has no header either: msgfmt --check's reason comes first.)
        assert f"ar not published: {ARTICLE}: " in result.stderr
        assert f"75 entries of {pot} are missing; run `l10n extract`" in result.stderr
        assert not (example / "public" / "ar").exists()
    run(example, "extract")
    run(example, "publish", "--lang", "ar")
    assert (example / "public" / "ar" / ARTICLE).is_file()


# --- a held language's older pages ---------------------------------------------------

FORBIDDEN = "هيلين زاو"  # deprecatedTerm-admn-sts in glossaries/newsroom.tbx


def break_brief(example: Path) -> Path:
    """Put a forbidden term into the Arabic brief's catalog: a `l10n check` error."""
    po = example / "locales" / "ar" / BRIEF.replace(".html", ".po")
    catalog = polib.pofile(str(po))
    entry = catalog.find("Ernie Bot")
    assert entry is not None
    entry.msgstr = FORBIDDEN
    catalog.save()
    return po


def status_of(example: Path, lang: str) -> dict[str, object]:
    payload = json.loads(run(example, "status", "--json", "--lang", lang).output)
    language: dict[str, object] = payload["languages"][0]
    return language


def test_a_held_language_says_its_older_page_is_still_live(example: Path) -> None:
    run(example, "publish", "--lang", "ar")
    brief, commentary = (example / "public" / "ar" / rel for rel in (BRIEF, ARTICLE))
    before = brief.read_bytes(), commentary.read_bytes()
    break_brief(example)
    result = run(example, "publish", "--lang", "ar", code=1)
    assert f"ar not published: {BRIEF}: " in result.stderr
    line = (
        f"public/ar/{BRIEF}: ar held back; an older page is still live and stale "
        "(catalog changed since it was published); `l10n publish --withdraw-held` removes it"
    )
    assert line in result.stderr
    # The commentary page is what its inputs make today: not an older page.
    assert f"public/ar/{ARTICLE}" not in result.output
    assert (brief.read_bytes(), commentary.read_bytes()) == before
    assert line in run(example, "status", "--lang", "ar").output
    ar = status_of(example, "ar")
    assert ar["ready"] is False and ar["held_live"] == [BRIEF]


def test_withdraw_held_removes_only_the_stale_page_l10n_published(example: Path) -> None:
    run(example, "publish", "--lang", "ar", "--lang", "fr")
    break_brief(example)
    result = run(example, "publish", "--lang", "ar", "--lang", "fr", "--withdraw-held", code=1)
    assert f"withdrew public/ar/{BRIEF} (ar held back)" in result.output
    assert not (example / "public" / "ar" / BRIEF).exists()
    assert not (example / "public" / "ar" / "briefs").exists()  # its empty folder too
    assert (example / "public" / "ar" / ARTICLE).is_file()
    assert (example / "public" / "fr" / BRIEF).is_file()
    ar = status_of(example, "ar")
    assert ar["held_live"] == []
    rows = {r["article"]: r["page"] for r in ar["articles"]}  # type: ignore[attr-defined]
    assert rows == {BRIEF: "unpublished", ARTICLE: "current"}


def test_withdraw_held_from_the_config(example: Path) -> None:
    run(example, "publish", "--lang", "ar")
    break_brief(example)
    config = example / "l10n.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "min_complete = 0", "min_complete = 0\nwithdraw_held = true"
        ),
        encoding="utf-8",
    )
    result = run(example, "publish", "--lang", "ar", code=1)
    # The configuration changed, so every page of the held language is stale now.
    assert f"withdrew public/ar/{BRIEF} (ar held back)" in result.output
    assert f"withdrew public/ar/{ARTICLE} (ar held back)" in result.output
    assert not (example / "public" / "ar").exists()
    assert status_of(example, "ar")["held_live"] == []


def test_a_page_l10n_has_no_record_of_is_never_withdrawn(example: Path) -> None:
    break_brief(example)
    page = example / "public" / "ar" / BRIEF
    page.parent.mkdir(parents=True)
    page.write_text("<p>Put here by another tool</p>", encoding="utf-8")
    result = run(example, "publish", "--lang", "ar", "--withdraw-held", code=1)
    assert (
        f"public/ar/{BRIEF}: ar held back; a page l10n has no record of publishing is still "
        "live (left alone; remove it by hand if it must go)"
    ) in result.stderr
    assert page.read_text(encoding="utf-8") == "<p>Put here by another tool</p>"
    assert status_of(example, "ar")["held_live"] == [BRIEF]


# --- what the messages say --------------------------------------------------------------

SMALL = (
    "<!DOCTYPE html>\n<html>\n<body>\n<h1>Why the gap can close</h1>\n"
    "<p>Researchers at <a href=\"/fudan\">Fudan University</a> say the <em>real</em> "
    "contest is about use.</p>\n</body>\n</html>\n"
)
LINKED = "Researchers at <1>Fudan University</1> say the <2>real</2> contest is about use."


def small_project(root: Path) -> Path:
    (root / "l10n.toml").write_text('languages = ["ar", "es"]\n', encoding="utf-8")
    (root / "articles").mkdir()
    (root / "articles" / "ai.html").write_text(SMALL, encoding="utf-8")
    run(root, "extract")
    return root


def translate(root: Path, lang: str, mapping: dict[str, str]) -> Path:
    path = root / "locales" / lang / "ai.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid in mapping:
            entry.msgstr = mapping[entry.msgid]
    catalog.save()
    return path


def test_strict_says_no_page_of_the_article_was_written_and_writes_none(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    run(project, "publish")
    ar_page, es_page = (project / "public" / lang / "ai.html" for lang in ("ar", "es"))
    before = ar_page.read_bytes(), es_page.read_bytes()
    # Arabic (published first) changed too: its new page must not be written either.
    translate(project, "ar", {"Why the gap can close": "لماذا يمكن سد الفجوة"})
    po = translate(project, "es", {LINKED: "Investigadores de la <1>Universidad Fudan</1>."})
    line = next(e.linenum for e in polib.pofile(str(po)) if e.msgid == LINKED)
    result = run(project, "publish", "--ignore-check", "--strict", code=2)
    message = result.stderr.strip()
    assert message.startswith("l10n: error: locales/es/ai.po:")
    assert int(message.split(":")[3]) >= line
    assert message.endswith("missing <2>); --strict: no page of ai.html was written")
    assert "published the source text" not in result.output
    assert (ar_page.read_bytes(), es_page.read_bytes()) == before
    # Without --strict the same translation is a warning and the source text is used.
    lenient = run(project, "publish", "--ignore-check")
    assert "missing <2>); published the source text" in lenient.stderr
    assert "لماذا يمكن سد الفجوة" in ar_page.read_text(encoding="utf-8")


def test_force_counts_pages_made_again_not_pages_skipped(tmp_path: Path) -> None:
    project = small_project(tmp_path)
    run(project, "publish")
    assert "2 file(s) already up to date" in run(project, "publish").output
    forced = run(project, "publish", "--force")
    assert "already up to date" not in forced.output
    assert "2 file(s) made again, the same as before (left as they were)" in forced.output


def many_articles(root: Path, count: int) -> list[str]:
    (root / "l10n.toml").write_text('languages = ["ar", "es"]\n', encoding="utf-8")
    (root / "articles").mkdir()
    names = [f"a{n}.html" for n in range(count)]
    for name in names:
        (root / "articles" / name).write_text(SMALL.replace("gap", name), encoding="utf-8")
    run(root, "extract")
    return names


def pages(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "public").rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bad_article_is_reported_and_every_other_article_is_published(
    tmp_path: Path, jobs: str
) -> None:
    names = many_articles(tmp_path, 8)
    # Two articles went bad after extract: their catalogs are there, they are not.
    (tmp_path / "articles" / "a2.html").write_bytes(b"\x00\x01binary" * 50)
    (tmp_path / "articles" / "a5.html").write_bytes(b"")
    result = CliRunner().invoke(cli, ["-j", jobs, "-C", str(tmp_path), "publish"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert sorted(result.stderr.strip().splitlines()) == [
        "l10n: error: articles/a2.html: binary file, not HTML (contains NUL bytes)",
        "l10n: error: articles/a5.html: empty article: nothing to translate",
    ]
    good = [n for n in names if n not in ("a2.html", "a5.html")]
    assert sorted(pages(tmp_path)) == sorted(f"public/{g}/{n}" for g in ("ar", "es") for n in good)


def test_strict_keeps_one_articles_pages_and_publishes_the_others(tmp_path: Path) -> None:
    names = many_articles(tmp_path, 3)
    run(tmp_path, "publish")
    before = pages(tmp_path)
    for name in names:
        catalog = polib.pofile(str(tmp_path / "locales" / "es" / f"{name[:-5]}.po"))
        catalog.find(f"Why the {name} can close").msgstr = f"Por qué {name} puede cerrarse"
        if name == "a1.html":  # its markup does not fit: --strict refuses the article
            catalog.find(LINKED).msgstr = "Investigadores de la <1>Universidad Fudan</1>."
        catalog.save()
    result = run(tmp_path, "publish", "--ignore-check", "--strict", code=2)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("l10n: error: locales/es/a1.po:")
    assert line.endswith("); --strict: no page of a1.html was written")
    after = pages(tmp_path)
    assert [after[p] for p in after if "/a1." in p] == [before[p] for p in before if "/a1." in p]
    for name in ("a0.html", "a2.html"):
        assert f"Por qué {name}".encode() in after[f"public/es/{name}"]

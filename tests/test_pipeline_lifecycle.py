"""An article's life after translation: corrections, publishing gates, stale pages,
incremental reruns — on a copy of the example project and on corpus pages."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result
from mt_server import FakeMT, serve

from l10n.cli import cli
from l10n.html import Document, Segment, SegmentKind, segment

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev"
ARTICLE = "commentary/ai-initiative.html"
EDITED = "That question deserves a serious answer rather than a slogan."
ADDED = "Editors added this paragraph after the first publication."
DELETED = "Tang has also warned that treating AI as a zero-sum rivalry serves nobody."


@pytest.fixture
def mt() -> Iterator[FakeMT]:
    with serve() as fake:
        yield fake


def run(project: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["-C", str(project), "-j", "2", *args])
    assert result.exit_code == code, result.output
    return result


def po(project: Path, lang: str, rel: str = ARTICLE) -> polib.POFile:
    return polib.pofile(str(project / "locales" / lang / rel.replace(".html", ".po")))


def human_translate(project: Path, lang: str, rel: str = ARTICLE) -> dict[str, str]:
    """What a translator does in Poedit: every entry translated and reviewed."""
    catalog = po(project, lang, rel)
    for entry in catalog:
        if not entry.obsolete:
            entry.msgstr = f"[{lang}] {entry.msgid}"
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = None
    catalog.save()
    return {e.msgid: e.msgstr for e in catalog if not e.obsolete}


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def changed(before: dict[str, tuple[int, bytes]], after: dict[str, tuple[int, bytes]]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def status(project: Path) -> dict[str, dict[str, object]]:
    payload = json.loads(run(project, "status", "--json").output)
    return {g["language"]: g for g in payload["languages"]}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    (tmp_path / "articles" / "commentary").mkdir(parents=True)
    shutil.copy(REPO / "articles" / ARTICLE, tmp_path / "articles" / ARTICLE)
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es", "fr"]\n[translate]\nengine = "libre"\n[publish]\nmin_complete = 100\n',
        encoding="utf-8",
    )
    return tmp_path


def test_a_correction_keeps_human_work_and_only_new_text_goes_to_the_engine(
    example: Path, mt: FakeMT
) -> None:
    run(example, "extract")
    human = {lang: human_translate(example, lang) for lang in ("es", "fr")}
    run(example, "publish")
    assert {g["language"]: g["stale"] for g in status(example).values()} == {"es": [], "fr": []}
    before = snapshot(example / "public")
    assert "published" not in run(example, "publish").stdout
    assert snapshot(example / "public") == before

    # The editor corrects one paragraph, adds one and deletes one.
    page = example / "articles" / ARTICLE
    source = page.read_text(encoding="utf-8")
    deleted_block = source[
        source.index("<p>" + DELETED) : source.index("</p>", source.index(DELETED)) + 4
    ]
    source = source.replace(deleted_block, "")
    source = source.replace(EDITED, EDITED.replace("a slogan", "a catchphrase"))
    source = source.replace(
        "<p>Sora turns a short", f"<p>{ADDED}</p>\n\n        <p>Sora turns a short"
    )
    page.write_text(source, encoding="utf-8")
    locales = snapshot(example / "locales")
    run(example, "extract")

    es = po(example, "es")
    edited_id = next(m for m in human["es"] if m.startswith(EDITED[:-1]))
    deleted_id = next(m for m in human["es"] if m.startswith(DELETED))
    for entry in es:
        if entry.obsolete:
            assert entry.msgid == deleted_id
        elif entry.msgid in human["es"]:
            assert entry.msgstr == human["es"][entry.msgid] and not entry.fuzzy
        elif entry.msgid == ADDED:
            assert entry.msgstr == ""
        else:  # the corrected paragraph
            assert entry.msgid == edited_id.replace("a slogan", "a catchphrase")
            assert entry.fuzzy and entry.previous_msgid == edited_id
            assert entry.msgstr == human["es"][edited_id]
    assert {e.msgid for e in es if e.obsolete} == {deleted_id}
    assert ADDED in {e.msgid for e in es}

    rows = status(example)
    for lang in ("es", "fr"):
        (row,) = rows[lang]["articles"]
        assert row["page"] == "stale" and {"article", "catalog"} <= set(row["changed"])
        assert rows[lang]["stale"] == [ARTICLE] and rows[lang]["ready"] is False
        assert "1 untranslated" in row["blocked"] and "1 fuzzy" in row["blocked"]

    result = run(example, "translate", "--lang", "es", "--endpoint", mt.url)
    assert mt.texts() == [ADDED]  # exactly the new paragraph; the human suggestion stays
    assert "0 from memory" in result.output
    es = po(example, "es")
    corrected = es.find(edited_id.replace("a slogan", "a catchphrase"))
    assert corrected is not None and corrected.fuzzy
    assert corrected.msgstr == human["es"][edited_id]

    # French is reviewed to completion; Spanish is not.
    human_translate(example, "fr")
    assert changed(locales, snapshot(example / "locales")) >= {
        "templates/commentary/ai-initiative.pot",
        "es/commentary/ai-initiative.po",
        "fr/commentary/ai-initiative.po",
    }
    published = snapshot(example / "public")
    result = run(example, "publish", code=1)
    assert f"es not published: {ARTICLE}: " in result.stderr
    assert "(2 fuzzy entries)" in result.stderr  # the correction and the machine draft
    assert changed(published, snapshot(example / "public")) == {f"fr/{ARTICLE}"}
    assert f"[fr] {ADDED}" in (example / "public" / "fr" / ARTICLE).read_text(encoding="utf-8")

    again = snapshot(example / "public")
    result = run(example, "publish", code=1)
    assert "published" not in result.stdout
    assert snapshot(example / "public") == again
    rows = status(example)
    assert rows["fr"]["stale"] == [] and rows["fr"]["ready"] is True
    assert rows["es"]["stale"] == [ARTICLE]


def test_force_rewrites_and_a_hand_edited_page_is_republished(example: Path) -> None:
    run(example, "extract")
    human_translate(example, "es")
    human_translate(example, "fr")
    run(example, "publish")
    target = example / "public" / "es" / ARTICLE
    good = target.read_bytes()
    target.write_bytes(good.replace(b"</body>", b"<p>hand edit</p></body>"))
    assert status(example)["es"]["articles"][0]["page"] == "modified"
    assert run(example, "publish").output.count("published ") == 1
    assert target.read_bytes() == good
    assert run(example, "publish", "--force").output.count("published ") == 0  # same bytes
    target.unlink()
    assert status(example)["es"]["articles"][0]["page"] == "unpublished"
    run(example, "publish")
    assert target.read_bytes() == good


def test_gate_from_config_per_language_and_from_the_command_line(example: Path) -> None:
    (example / "l10n.toml").write_text(
        'languages = ["es", "fr"]\n[publish]\nmin_complete = { default = 100, fr = 0 }\n',
        encoding="utf-8",
    )
    run(example, "extract")
    result = run(example, "publish", code=1)
    assert "es not published" in result.stderr and "fr not published" not in result.stderr
    assert (example / "public" / "fr" / ARTICLE).is_file()
    assert not (example / "public" / "es").exists()
    run(example, "publish", "--min-complete", "0")
    assert (example / "public" / "es" / ARTICLE).is_file()


def test_shards_split_the_articles_deterministically(tmp_path: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    names = [f"{y}/story-{n}.html" for y in (2023, 2024) for n in range(20)]
    for name in names:
        (tmp_path / "articles" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "articles" / name).write_text(f"<p>Story {name}.</p>", encoding="utf-8")
    shards = []
    for i in (1, 2, 3):
        out = run(tmp_path, "extract", "--shard", f"{i}/3").output
        shards.append({line.split()[-1] for line in out.splitlines() if line.endswith(".pot")})
    pots = {f"locales/templates/{n.replace('.html', '.pot')}" for n in names}
    assert set().union(*shards) == pots and sum(map(len, shards)) == len(pots)
    assert all(shards)
    bad = CliRunner().invoke(cli, ["-C", str(tmp_path), "extract", "--shard", "4/3"])
    assert bad.exit_code == 2 and "I/N" in bad.output
    # translate and publish take the same slices.
    first = {p.removeprefix("locales/templates/").removesuffix(".pot") for p in shards[0]}
    out = run(tmp_path, "translate", "--engine", "pseudo", "--shard", "1/3").stdout
    translated = {line.split()[-1] for line in out.splitlines() if line.startswith("wrote")}
    assert translated == {f"locales/es/{stem}.po" for stem in first}
    out = run(tmp_path, "publish", "--allow-fuzzy", "--allow-pseudo", "--shard", "1/3").stdout
    pages = {line.split()[-1] for line in out.splitlines() if line.startswith("published")}
    assert pages == {f"public/es/{stem}.html" for stem in first}


# --- the same life on real pages -------------------------------------------------------


def _editable(doc: Document) -> list[Segment]:
    """Paragraph-like segments an editor could retype: plain text, unique, long enough."""
    counts: dict[str, int] = {}
    for s in doc.segments:
        counts[s.msgid] = counts.get(s.msgid, 0) + 1
    return [
        s
        for s in doc.segments
        if s.kind is SegmentKind.TEXT
        and not s.placeholders
        and counts[s.msgid] == 1
        and len(s.msgid.split()) >= 6
        and doc.page.text[s.span.start : s.span.end].strip() == s.msgid
    ]


def _corpus_pages() -> list[Path]:
    """Five pages spread over the corpus that have two paragraphs to edit and delete."""
    if not CORPUS.is_dir():
        return []
    pages = sorted(CORPUS.glob("*.html"))
    return [p for p in pages[::6] if len(_editable(segment(p.read_bytes()))) >= 2][:5]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/dev not present")
@pytest.mark.parametrize("page", _corpus_pages(), ids=lambda p: p.stem)
def test_corrections_on_a_corpus_page(tmp_path: Path, page: Path, mt: FakeMT) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es"]\n[translate]\nengine = "libre"\n', encoding="utf-8"
    )
    data = page.read_bytes()
    doc = segment(data)
    plain = _editable(doc)
    edit, drop = plain[0], plain[-1]
    text = doc.page.text
    word = edit.msgid.split()[-2]
    new_edit = edit.msgid.replace(f" {word} ", f" {word} corrected ", 1)
    pieces = sorted(
        [
            (edit.span.start, edit.span.end, new_edit),
            (drop.span.start, drop.span.end, ""),
            (edit.element.start if edit.element else edit.span.start, None, f"<p>{ADDED}</p>"),
        ],
        key=lambda p: p[0],
        reverse=True,
    )
    for start, end, replacement in pieces:
        text = text[:start] + replacement + text[end if end is not None else start :]
    (tmp_path / "articles" / "page.html").write_bytes(data)
    run(tmp_path, "extract")
    human = human_translate(tmp_path, "es", "page.html")
    (tmp_path / "articles" / "page.html").write_bytes(doc.page.encode(text))
    run(tmp_path, "extract")
    catalog = po(tmp_path, "es", "page.html")
    live = {e.msgid: e for e in catalog if not e.obsolete}
    assert {e.msgid for e in catalog if e.obsolete} == {drop.msgid}
    assert live[new_edit].fuzzy and live[new_edit].previous_msgid == edit.msgid
    assert live[new_edit].msgstr == human[edit.msgid]
    assert live[ADDED].msgstr == ""
    for msgid, entry in live.items():
        if msgid not in (new_edit, ADDED):
            assert entry.msgstr == human[msgid] and not entry.fuzzy, msgid
    run(tmp_path, "translate", "--endpoint", mt.url)
    assert mt.texts() == [ADDED]


def test_alternates_link_every_published_language(example: Path) -> None:
    (example / "l10n.toml").write_text(
        'languages = ["es", "fr"]\n[publish]\nmin_complete = 100\nalternates = true\n'
        'base_url = "https://news.example.org/"\n',
        encoding="utf-8",
    )
    run(example, "extract")
    human_translate(example, "es")
    human_translate(example, "fr")
    run(example, "publish")
    page = (example / "public" / "es" / ARTICLE).read_text(encoding="utf-8")
    url = "https://news.example.org/"
    for lang, href in (("en", ""), ("es", "es/"), ("fr", "fr/"), ("x-default", "")):
        link = f'<link rel="alternate" hreflang="{lang}" href="{url}{href}{ARTICLE}">'
        assert page.count(link) == 1, link
    assert '<meta property="og:locale" content="es_ES">' in page
    for other in ("en_US", "fr_FR"):
        assert f'<meta property="og:locale:alternate" content="{other}">' in page
    source = (example / "articles" / ARTICLE).read_text(encoding="utf-8")
    assert page.count("\n") == source.count("\n") + 7  # one line per new tag

    # French falls below its gate: Spanish pages stop linking to it.
    catalog = po(example, "fr")
    catalog[0].msgstr = ""
    catalog.save()
    result = run(example, "publish", code=1)
    assert f"published public/es/{ARTICLE}" in result.stdout
    page = (example / "public" / "es" / ARTICLE).read_text(encoding="utf-8")
    assert 'hreflang="fr"' not in page and 'hreflang="es"' in page


def test_alternates_need_a_base_url(example: Path) -> None:
    (example / "l10n.toml").write_text(
        'languages = ["es"]\n[publish]\nalternates = true\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["-C", str(example), "publish"])
    assert result.exit_code == 2 and "l10n.toml:3" in result.stderr and "base_url" in result.stderr


def test_extract_after_translate_has_nothing_to_merge(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from l10n import catalog, pipeline

    (example / "l10n.toml").write_text('languages = ["es", "fr"]\n', encoding="utf-8")
    run(example, "extract")
    run(example, "translate", "--engine", "pseudo")
    merged: list[str] = []
    real = catalog.merge

    def counting(*args: object, **kwargs: object) -> str:
        merged.append(str(kwargs["file"]))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog, "merge", counting)
    before = snapshot(example / "locales")
    report = pipeline.extract(pipeline.load_project(example))
    assert merged == [] and report.written == () and len(report.unchanged) == 3
    assert snapshot(example / "locales") == before
    # A translator's edit in Poedit is merged again (and kept).
    es = po(example, "es")
    es[0].msgstr = "Revisado"
    es[0].flags = []
    es.save()
    pipeline.extract(pipeline.load_project(example))
    assert sorted(merged) == [  # the article is merged again, in every language
        "locales/es/commentary/ai-initiative.po",
        "locales/fr/commentary/ai-initiative.po",
    ]
    assert po(example, "es")[0].msgstr == "Revisado"

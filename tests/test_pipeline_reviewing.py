"""``pipeline.reviewing``: the review views of a project and the one write, a saved entry.

On copies of the example project (and a few corpus pages): the page is what publish
writes, saves change only their entry's lines, the conflict rule, paths that leave the
project, and the index counts."""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from cli_projects import example_project
from click.testing import CliRunner

from l10n import pipeline
from l10n.catalog import editing
from l10n.cli import cli
from l10n.errors import ReviewError
from l10n.pipeline import reviewing
from l10n.review.model import ArticleView, EntryView, SaveResult

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev"
BRIEF = "briefs/sora-explainer.html"
ARTICLE = "commentary/ai-initiative.html"
LINKED = "Sora is a text-to-video model made by <1>OpenAI</1>"  # start of a msgid with <1>
MSGFMT = shutil.which("msgfmt")
MARKS = re.compile(r' data-l10n-id="[0-9a-f]{16}" data-l10n-state="[a-z]+"|</?l10n-seg[^>]*>')


def run(root: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["-C", str(root), *args])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return example_project(tmp_path)


def load(root: Path) -> pipeline.Project:
    return pipeline.load_project(root)


def entry(view: ArticleView, start: str) -> EntryView:
    """The entry of that msgid, else the first whose msgid starts so."""
    exact = [e for e in view.entries if e.msgid == start]
    return exact[0] if exact else next(e for e in view.entries if e.msgid.startswith(start))


def changed_lines(before: str, after: str) -> set[int]:
    ops = difflib.SequenceMatcher(None, before.split("\n"), after.split("\n")).get_opcodes()
    return {n for tag, i1, i2, _, _ in ops if tag != "equal" for n in range(i1, max(i2, i1 + 1))}


def lines_of(text: str, line: int) -> set[int]:
    """0-based lines of the entry whose msgid is on (1-based) ``line``."""
    lines = text.split("\n")
    start = end = line - 1
    while start > 0 and lines[start - 1].strip():
        start -= 1
    while end < len(lines) and lines[end].strip():
        end += 1
    return set(range(start, end))


def msgfmt_ok(path: Path) -> None:
    assert MSGFMT is not None, "gettext's msgfmt is needed (README's commands install it)"
    done = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)], capture_output=True)
    assert done.returncode == 0, done.stderr


def save(root: Path, rel: str, lang: str, start: str, msgstr: str, *, approve: bool) -> SaveResult:
    project = load(root)
    view = reviewing.review_article(project, rel, lang)
    e = entry(view, start)
    return reviewing.review_save(
        project, rel, lang, e.id, msgstr, approve=approve, version=view.version, original=e.msgstr
    )


# --- the page -----------------------------------------------------------------------


def test_the_page_without_markers_is_what_publish_writes(example: Path) -> None:
    run(example, "publish", "--allow-fuzzy")
    project = load(example)
    for lang in project.config.languages:
        for rel in (BRIEF, ARTICLE):
            published = (example / "public" / lang / rel).read_bytes()
            assert reviewing.published_page(project, rel, lang) == published
            view = reviewing.review_article(project, rel, lang)
            # The markers are all that the review page adds.
            assert MARKS.sub("", view.page).encode(view.encoding) == published


def test_with_alternates_the_page_links_the_languages_publish_would(example: Path) -> None:
    config = example / "l10n.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("# alternates = true", "alternates = true")
    text = text.replace('# base_url = "', 'base_url = "')
    config.write_text(text, encoding="utf-8")
    run(example, "publish", "--allow-fuzzy")
    page = (example / "public" / "ar" / BRIEF).read_bytes()
    assert b'hreflang="es"' in page
    assert reviewing.published_page(load(example), BRIEF, "ar") == page


def test_every_segment_on_the_page_is_marked_with_its_entry(example: Path) -> None:
    view = reviewing.review_article(load(example), ARTICLE, "es")
    pairs = re.findall(r'data-l10n-id="([0-9a-f]{16})" data-l10n-state="([a-z]+)"', view.page)
    marked = dict(pairs)
    shown = {e.id: e.state for e in view.entries if {"text", "title"} & set(e.uses)}
    assert marked == shown
    assert set(marked.values()) >= {"machine"}
    both = entry(view, "China’s AI future will be written at home")  # the h1, also og:title
    assert both.kind == "text" and "meta" in both.uses
    # The source page carries the same ids, and is the source where the markers go.
    source_ids = set(re.findall(r'data-l10n-id="([0-9a-f]{16})"', view.source_page))
    assert source_ids == set(marked)
    source = (example / "articles" / ARTICLE).read_text(encoding="utf-8")
    assert MARKS.sub("", view.source_page) == source.replace('<html lang="en"', '<html lang="en"')


def test_attribute_and_metadata_entries_are_told_apart(example: Path) -> None:
    view = reviewing.review_article(load(example), BRIEF, "ar")
    kinds = {e.context: e.kind for e in view.entries}
    assert kinds["title"] == "title"
    assert kinds["meta description"] == "meta"
    assert kinds["a@title"] == "attribute"
    assert kinds["p"] == "text"
    assert (view.dir, view.source_dir) == ("rtl", "ltr")
    assert view.title == entry(view, "Explainer: What is Sora? |").msgstr
    linked = entry(view, LINKED)
    assert [(p.number, p.shown) for p in linked.placeholders] == [(1, "<1>…</1>"), (2, "<2>…</2>")]
    assert linked.placeholders[0].markup.startswith('<a href="https://openai.com/"')
    assert {t.source for t in linked.terms} >= {"Sora", "OpenAI"}
    assert next(t for t in linked.terms if t.source == "Sora").dnt


def corpus_pages() -> list[str]:
    if not CORPUS.is_dir():
        return []
    pages = sorted(p.name for p in CORPUS.glob("*.html"))
    return [p for p in pages if p.startswith(("newspaper__", "readability__guardian"))][:3]


@pytest.mark.skipif(not corpus_pages(), reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("name", corpus_pages())
def test_corpus_page_without_markers_is_what_publish_writes(tmp_path: Path, name: str) -> None:
    run(tmp_path, "init")
    config = tmp_path / "l10n.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[translate]\nengine = "pseudo"\n',
        encoding="utf-8",
    )
    (tmp_path / "articles").mkdir(exist_ok=True)
    shutil.copy(CORPUS / name, tmp_path / "articles" / name)
    run(tmp_path, "extract")
    run(tmp_path, "translate", "--lang", "ar", "--lang", "es")
    run(tmp_path, "publish", "--allow-fuzzy", "--allow-pseudo", code=0)
    project = load(tmp_path)
    for lang in ("ar", "es"):
        published = (tmp_path / "public" / lang / name).read_bytes()
        assert reviewing.published_page(project, name, lang) == published
        view = reviewing.review_article(project, name, lang)
        assert MARKS.sub("", view.page).encode(view.encoding, "surrogateescape") == published
        assert {e.state for e in view.entries} <= {"pseudo", "untranslated"}


# --- saving -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "start", "msgstr"),
    [
        ("es", "Explainer: What is Sora?", "Explicación: ¿qué es Sora?"),
        ("zh-Hans", "Explainer: What is Sora?", "解读：Sora 是什么？"),
        ("ar", "Explainer: What is Sora?", "شرح: ما هو Sora؟"),
    ],
)
def test_a_save_changes_only_that_entry(example: Path, lang: str, start: str, msgstr: str) -> None:
    po = example / "locales" / lang / "briefs" / "sora-explainer.po"
    before = po.read_text(encoding="utf-8")
    project = load(example)
    view = reviewing.review_article(project, BRIEF, lang)
    target = next(e for e in view.entries if e.msgid == start)
    result = reviewing.review_save(
        project,
        BRIEF,
        lang,
        target.id,
        msgstr,
        approve=False,
        version=view.version,
        original=target.msgstr,
    )
    assert result.ok and not result.conflict, result.message
    after = po.read_text(encoding="utf-8")
    assert changed_lines(before, after) <= lines_of(before, target.line)
    found = polib.pofile(str(po)).find(start)
    assert (found.msgstr, found.fuzzy) == (msgstr, True)
    assert result.entry is not None and result.entry.state == "machine"
    assert result.version != view.version
    msgfmt_ok(po)
    # Approving it as it is: the draft's flag goes, nothing else changes.
    again = reviewing.review_save(
        project,
        BRIEF,
        lang,
        target.id,
        msgstr,
        approve=True,
        version=result.version,
        original=msgstr,
    )
    assert again.ok and again.entry is not None and again.entry.state == "reviewed"
    assert changed_lines(before, po.read_text(encoding="utf-8")) <= lines_of(before, target.line)
    assert not polib.pofile(str(po)).find(start).fuzzy
    msgfmt_ok(po)


def test_approving_a_human_draft_clears_fuzzy_and_the_previous_msgid(example: Path) -> None:
    article = example / "articles" / BRIEF
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "<h1>Explainer: What is Sora?</h1>", "<h1>Explainer: what is Sora?</h1>"
        ),
        encoding="utf-8",
    )
    run(example, "extract")
    po = example / "locales" / "zh-Hans" / "briefs" / "sora-explainer.po"
    before = po.read_text(encoding="utf-8")
    project = load(example)
    view = reviewing.review_article(project, BRIEF, "zh-Hans")
    draft = next(e for e in view.entries if e.msgid == "Explainer: what is Sora?")
    assert draft.state == "human" and draft.previous_msgid == "Explainer: What is Sora?"
    assert reviewing.review_index(project, lang="zh-Hans", query="sora").rows[0].human == 1
    result = reviewing.review_save(
        project,
        BRIEF,
        "zh-Hans",
        draft.id,
        draft.msgstr,
        approve=True,
        version=view.version,
        original=draft.msgstr,
    )
    assert result.ok, result.message
    after = po.read_text(encoding="utf-8")
    assert changed_lines(before, after) <= lines_of(before, draft.line)
    found = polib.pofile(str(po)).find("Explainer: what is Sora?")
    assert not found.fuzzy and found.previous_msgid is None
    assert "#| " not in after
    msgfmt_ok(po)


def test_a_placeholder_error_can_be_saved_as_a_draft_but_not_approved(example: Path) -> None:
    po = example / "locales" / "es" / "briefs" / "sora-explainer.po"
    before = po.read_bytes()
    broken = "Sora es un modelo de OpenAI sin su enlace."
    refused = save(example, BRIEF, "es", LINKED, broken, approve=True)
    assert not refused.ok and not refused.conflict
    assert "PH001" in refused.message and "draft" in refused.message
    assert po.read_bytes() == before
    drafted = save(example, BRIEF, "es", LINKED, broken, approve=False)
    assert drafted.ok, drafted.message
    assert drafted.entry is not None and {f.rule for f in drafted.entry.findings} >= {"PH001"}
    assert polib.pofile(str(po)).find(drafted.entry.msgid).fuzzy
    msgfmt_ok(po)


def test_a_save_that_msgfmt_would_reject_is_refused(example: Path) -> None:
    po = example / "locales" / "es" / "briefs" / "sora-explainer.po"
    before = po.read_bytes()
    with pytest.raises(ReviewError, match="msgfmt"):
        save(example, BRIEF, "es", "Explainer: What is Sora?", "¿Qué es Sora?\n", approve=True)
    assert po.read_bytes() == before
    # msgfmt does not check drafts: saved as one, the text waits for its fix.
    assert save(example, BRIEF, "es", "Explainer: What is Sora?", "¿Qué?\n", approve=False).ok
    msgfmt_ok(po)


def test_live_checks_of_a_draft(example: Path) -> None:
    project = load(example)
    view = reviewing.review_article(project, BRIEF, "es")
    models = entry(view, "Three widely discussed AI models")
    found = reviewing.review_check(project, BRIEF, "es", models.id, "Tres modelos de AI")
    assert {f.rule for f in found} >= {"GL001", "GL002"}
    good = "Tres modelos de inteligencia artificial muy comentados"
    assert not [
        f
        for f in reviewing.review_check(project, BRIEF, "es", models.id, good)
        if f.severity == "error"
    ]
    linked = entry(view, LINKED)
    assert "PH001" in {f.rule for f in reviewing.review_check(project, BRIEF, "es", linked.id, "x")}


# --- conflicts ----------------------------------------------------------------------


def test_a_file_changed_elsewhere_takes_the_edit_when_the_entry_is_unchanged(
    example: Path,
) -> None:
    po = example / "locales" / "fr" / "briefs" / "sora-explainer.po"
    project = load(example)
    view = reviewing.review_article(project, BRIEF, "fr")
    mine = entry(view, "Explainer: What is Sora?")
    theirs = entry(view, "Three widely discussed AI models")
    # A translator saves another entry in Poedit while the page is open.
    po.write_text(
        editing.edit_entry(
            po.read_text(encoding="utf-8"),
            msgctxt=None,
            msgid=theirs.msgid,
            msgstr="Trois modèles d’intelligence artificielle",
            approve=True,
            file="x",
        ),
        encoding="utf-8",
    )
    outside = po.read_text(encoding="utf-8")
    result = reviewing.review_save(
        project,
        BRIEF,
        "fr",
        mine.id,
        "Explication : qu’est-ce que Sora ?",
        approve=True,
        version=view.version,
        original=mine.msgstr,
    )
    assert result.ok and not result.conflict, result.message
    pofile = polib.pofile(str(po))
    assert pofile.find(theirs.msgid).msgstr == "Trois modèles d’intelligence artificielle"
    assert pofile.find(mine.msgid).msgstr == "Explication : qu’est-ce que Sora ?"
    assert changed_lines(outside, po.read_text(encoding="utf-8")) <= lines_of(outside, mine.line)


def test_an_entry_changed_elsewhere_is_a_conflict_with_the_fresh_entry(example: Path) -> None:
    po = example / "locales" / "fr" / "briefs" / "sora-explainer.po"
    project = load(example)
    view = reviewing.review_article(project, BRIEF, "fr")
    mine = entry(view, "Explainer: What is Sora?")
    po.write_text(
        editing.edit_entry(
            po.read_text(encoding="utf-8"),
            msgctxt=None,
            msgid=mine.msgid,
            msgstr="Décryptage : Sora",
            approve=True,
            file="x",
        ),
        encoding="utf-8",
    )
    outside = po.read_bytes()
    result = reviewing.review_save(
        project,
        BRIEF,
        "fr",
        mine.id,
        "Explication : qu’est-ce que Sora ?",
        approve=True,
        version=view.version,
        original=mine.msgstr,
    )
    assert result.conflict and not result.ok
    assert "changed on disk" in result.message
    assert result.entry is not None and result.entry.msgstr == "Décryptage : Sora"
    assert result.version == reviewing.review_article(project, BRIEF, "fr").version
    assert po.read_bytes() == outside


def test_a_change_between_reading_and_writing_is_caught_under_the_lock(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = example / "locales" / "fr" / "briefs" / "sora-explainer.po"
    project = load(example)
    view = reviewing.review_article(project, BRIEF, "fr")
    mine = entry(view, "Explainer: What is Sora?")
    real = reviewing.rewrite

    def racing(*args, **kwargs):  # type: ignore[no-untyped-def]
        # Another program saves the same entry just before the write.
        po.write_text(
            po.read_text(encoding="utf-8").replace(
                f'msgstr "{mine.msgstr}"', 'msgstr "Décryptage : Sora"'
            ),
            encoding="utf-8",
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(reviewing, "rewrite", racing)
    result = reviewing.review_save(
        project,
        BRIEF,
        "fr",
        mine.id,
        "Explication",
        approve=True,
        version=view.version,
        original=mine.msgstr,
    )
    assert result.conflict and result.entry is not None
    assert result.entry.msgstr == "Décryptage : Sora"
    assert polib.pofile(str(po)).find(mine.msgid).msgstr == "Décryptage : Sora"


# --- paths --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    [
        "../l10n.toml",
        "briefs/../briefs/sora-explainer.html",
        "/etc/passwd",
        "nope.html",
        "briefs",
        "",
        "briefs%2fsora-explainer.html",
        "briefs\\sora-explainer.html",
        "outside.html",
    ],
)
def test_paths_outside_the_projects_articles_are_refused(
    example: Path, tmp_path: Path, rel: str
) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text("<p>Secret words.</p>", encoding="utf-8")
    os.symlink(secret, example / "articles" / "outside.html")
    project = load(example)
    with pytest.raises(ReviewError):
        reviewing.review_article(project, rel, "es")
    with pytest.raises(ReviewError):
        reviewing.review_save(
            project, rel, "es", "0" * 16, "x", approve=True, version="", original=""
        )
    with pytest.raises(ReviewError):
        reviewing.review_check(project, rel, "es", "0" * 16, "x")
    assert secret.read_text(encoding="utf-8") == "<p>Secret words.</p>"


def test_a_catalog_linked_out_of_the_project_is_refused(example: Path, tmp_path: Path) -> None:
    po = example / "locales" / "es" / "briefs" / "sora-explainer.po"
    elsewhere = tmp_path / "elsewhere.po"
    shutil.move(po, elsewhere)
    os.symlink(elsewhere, po)
    before = elsewhere.read_bytes()
    with pytest.raises(ReviewError, match="outside the project"):
        save(example, BRIEF, "es", "Explainer: What is Sora?", "x", approve=True)
    assert elsewhere.read_bytes() == before


def test_unknown_languages_and_entries_are_refused(example: Path) -> None:
    project = load(example)
    with pytest.raises(ReviewError, match="not configured"):
        reviewing.review_article(project, BRIEF, "de")
    with pytest.raises(ReviewError, match="no entry"):
        reviewing.review_check(project, BRIEF, "es", "0" * 16, "x")
    gone = reviewing.review_save(
        project, BRIEF, "es", "0" * 16, "x", approve=True, version="", original=""
    )
    assert gone.conflict and gone.entry is None


# --- the index ----------------------------------------------------------------------


def test_index_counts_are_the_status_counts(example: Path) -> None:
    project = load(example)
    index = reviewing.review_index(project)
    assert index.total == 8 and len(index.rows) == 8
    assert index.languages == ("zh-Hans", "es", "fr", "ar")
    status = {(r.language, r.article): r for s in pipeline.status(project) for r in s.rows}
    gates = {s.language: s.ready for s in pipeline.status(project)}
    for row in index.rows:
        facts = status[row.lang, row.rel].facts
        assert row.reviewed == facts.translated
        assert row.machine + row.human == facts.fuzzy
        assert row.untranslated == facts.untranslated
        assert row.gate == ("ready" if gates[row.lang] else "held")
    es = next(r for r in index.rows if (r.lang, r.rel) == ("es", ARTICLE))
    assert es.machine > 0 and es.human == 0


def test_index_pages_sorts_and_filters(example: Path) -> None:
    project = load(example)
    first = reviewing.review_index(project, per_page=3, sort="-untranslated")
    assert (first.total, first.pages, len(first.rows)) == (8, 3, 3)
    everything = reviewing.review_index(project, per_page=100, sort="-untranslated").rows
    assert [r.untranslated for r in everything] == sorted(
        (r.untranslated for r in everything), reverse=True
    )
    third = reviewing.review_index(project, per_page=3, page=3, sort="-untranslated")
    assert third.rows == everything[6:]
    only = reviewing.review_index(project, lang="ar", query="COMMENTARY")
    assert [(r.lang, r.rel) for r in only.rows] == [("ar", ARTICLE)]
    with pytest.raises(ReviewError, match="sort"):
        reviewing.review_index(project, sort="size")


def test_a_byte_order_mark_stays(example: Path) -> None:
    po = example / "locales" / "es" / "briefs" / "sora-explainer.po"
    po.write_bytes(b"\xef\xbb\xbf" + po.read_bytes())
    before = po.read_bytes()
    result = save(example, BRIEF, "es", "Explainer: What is Sora?", "¿Qué es Sora?", approve=True)
    assert result.ok, result.message
    after = po.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert changed_lines(before.decode(), after.decode()) <= lines_of(
        before.decode(), polib.pofile(str(po)).find("Explainer: What is Sora?").linenum
    )
    assert result.version == reviewing.review_article(load(example), BRIEF, "es").version

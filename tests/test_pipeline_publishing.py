"""``l10n publish`` through the CLI: directions of mixed-language pages, held languages'
old pages, catalogs that lost their template's entries, and what its messages say."""

from __future__ import annotations

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
        assert (
            f"ar not published: {ARTICLE}: 75 entries of {pot} are missing; run `l10n extract`"
            in result.stderr
        )
        assert not (example / "public" / "ar").exists()
    run(example, "extract")
    run(example, "publish", "--lang", "ar")
    assert (example / "public" / "ar" / ARTICLE).is_file()

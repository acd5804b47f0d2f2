"""Extract keeps each article's segments for publish."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from l10n import html as html_stage
from l10n.pipeline import load_project
from l10n.pipeline.segments import segment_article

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    shutil.copytree(REPO / "articles", tmp_path / "articles")
    return tmp_path


def _pages() -> list[Path]:
    pages = sorted((REPO / "articles").rglob("*.html"))
    if CORPUS.is_dir():  # legacy charsets, BOMs, UTF-16 among them
        pages += sorted(CORPUS.glob("*.html"))[::5]
    return pages


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_a_cached_document_is_the_document(tmp_path: Path, page: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    project = load_project(tmp_path)
    data = page.read_bytes()
    fresh = html_stage.segment(data)
    first = segment_article(project, "a.html", data, "sha-1")
    again = segment_article(project, "a.html", data, "sha-1")
    assert first == fresh and again == fresh
    assert again is not first


def test_an_article_is_segmented_once_per_content(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_project(project)
    rel = "commentary/ai-initiative.html"
    data = (project / "articles" / rel).read_bytes()
    calls: list[bytes] = []
    real = html_stage.segment

    def counting(data: bytes, *, sentences: bool = False) -> html_stage.Document:
        calls.append(data)
        return real(data, sentences=sentences)

    monkeypatch.setattr(html_stage, "segment", counting)
    segment_article(config, rel, data, "one")
    segment_article(config, rel, data, "one")
    assert len(calls) == 1
    segment_article(config, rel, data, "two")  # other bytes: segmented again
    assert len(calls) == 2
    for cached in (project / ".l10n" / "segments").rglob("*.z"):
        cached.write_bytes(b"not a pickle")
    assert segment_article(config, rel, data, "two") == real(data)  # damage is a miss
    assert len(calls) == 3


def test_segment_mode_is_part_of_the_key(project: Path) -> None:
    rel = "briefs/sora-explainer.html"
    data = (project / "articles" / rel).read_bytes()
    blocks = segment_article(load_project(project), rel, data, "x")
    (project / "l10n.toml").write_text(
        'languages = ["es"]\nsegment = "sentence"\n', encoding="utf-8"
    )
    sentences = segment_article(load_project(project), rel, data, "x")
    assert sentences == html_stage.segment(data, sentences=True)
    assert len(sentences.segments) > len(blocks.segments)


def test_publish_after_extract_does_not_segment(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from l10n import pipeline

    pipeline.extract(load_project(project))

    def refuse(data: bytes, *, sentences: bool = False) -> html_stage.Document:
        raise AssertionError("segmented again")

    monkeypatch.setattr(html_stage, "segment", refuse)
    report = pipeline.publish(load_project(project))
    assert sorted(report.written) == [
        "public/es/briefs/sora-explainer.html",
        "public/es/commentary/ai-initiative.html",
    ]

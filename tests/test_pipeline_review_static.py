"""``review_static``: every review view as files that open without a server."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cli_projects import example_project

from l10n import pipeline
from l10n.errors import ReviewError

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return example_project(tmp_path)


class Links(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tags: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in ("href", "src", "action")]


def test_static_review_is_files_linked_relatively(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "review"
    project = pipeline.load_project(example)
    before = {p: p.read_bytes() for p in (example / "locales").rglob("*.po")}
    written = pipeline.review_static(project, out)
    assert written[0] == out / "index.html"
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert pages == sorted(
        ["index.html"]
        + [
            f"{lang}/{rel}"
            for lang in ("zh-Hans", "es", "fr", "ar")
            for rel in ("briefs/sora-explainer.html", "commentary/ai-initiative.html")
        ]
    )
    for page in out.rglob("*.html"):
        found = Links(page.read_text(encoding="utf-8"))
        assert "script" not in found.tags
        for link in found.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), link
            assert (page.parent / parts.path).resolve().is_file(), (page, link)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="ar/briefs/sora-explainer.html"' in index
    arabic = (out / "ar" / "briefs" / "sora-explainer.html").read_text(encoding="utf-8")
    assert "شرح مبسّط" in arabic and 'dir="rtl"' in arabic
    # Looking changes no catalog.
    assert {p: p.read_bytes() for p in (example / "locales").rglob("*.po")} == before


def test_static_review_of_one_language_and_article(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "review"
    project = pipeline.load_project(example)
    pipeline.review_static(project, out, lang="es", articles=["briefs/sora-explainer.html"])
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert pages == ["es/briefs/sora-explainer.html", "index.html"]
    with pytest.raises(ReviewError, match="not configured"):
        pipeline.review_static(project, out, lang="de")

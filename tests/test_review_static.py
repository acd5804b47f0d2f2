"""``review.static``: read-only review pages, self-contained, with relative links only."""

from __future__ import annotations

from html.parser import HTMLParser

from l10n.review import static
from l10n.review.model import (
    ArticleView,
    EntryView,
    FindingView,
    IndexPage,
    IndexRow,
    Placeholder,
)


class Tags(HTMLParser):
    """Every start tag of a page with its attributes (srcdoc stays one attribute)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


PAGE = (
    '<!DOCTYPE html><html lang="ar" dir="rtl"><head><title>عنوان</title>'
    "<script>fetch('/api/save')</script></head><body>"
    '<p data-l10n-id="0123456789abcdef" data-l10n-state="machine">نص &amp; "اقتباس"</p>'
    "</body></html>"
)
VIEW = ArticleView(
    rel="briefs/sora.html",
    lang="ar",
    title="عنوان",
    dir="rtl",
    page=PAGE,
    source_page="<html><head></head><body><p>Text</p></body></html>",
    entries=(
        EntryView(
            id="0123456789abcdef",
            msgid="Text <1>link</1> & <b>",
            msgctxt=None,
            msgstr="نص",
            state="machine",
            kind="text",
            location="main/p[1]",
            placeholders=(Placeholder(number=1, shown="<1>…</1>", markup='<a href="x">…</a>'),),
            findings=(FindingView(rule="PH001", severity="error", message="<1> missing"),),
        ),
        EntryView(
            id="fedcba9876543210",
            msgid="About",
            msgctxt=None,
            msgstr="",
            state="untranslated",
            kind="meta",
            location="meta[description]",
            context="meta description",
        ),
    ),
    version="abc",
)


def test_an_article_page_frames_the_page_sandboxed_with_no_script_of_its_own() -> None:
    text = static.article_html(VIEW, others=("es", "ar"))
    tags = Tags(text).tags
    assert "script" not in [name for name, _ in tags]
    frames = [attrs for name, attrs in tags if name == "iframe"]
    assert len(frames) == 2
    assert all(f.get("sandbox") == "" for f in frames)  # no allow-scripts, no allow-same-origin
    shown = frames[0]["srcdoc"] or ""
    assert shown.replace(static.frame_css(), "") == PAGE  # the page, unchanged but for styles
    assert static.frame_css() in shown and shown.index(static.frame_css()) < shown.index("</head>")
    csp = next(a for n, a in tags if n == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in (csp["content"] or "") and "script-src" not in (
        csp["content"] or ""
    )
    # Entry texts are text: the markup in a msgid is not markup of the review page.
    assert "Text &lt;1&gt;link&lt;/1&gt; &amp; &lt;b&gt;" in text
    assert "PH001" in text and "untranslated" in text


def test_links_are_relative() -> None:
    text = static.article_html(VIEW, others=("es", "ar"))
    hrefs = [a["href"] for n, a in Tags(text).tags if n == "a"]
    assert hrefs == ["../../index.html", "../../es/briefs/sora.html"]
    index = IndexPage(
        rows=(
            IndexRow(
                rel="briefs/sora.html",
                lang="ar",
                reviewed=1,
                machine=2,
                human=0,
                untranslated=3,
                errors=1,
                gate="held",
                blocked="50% of words translated",
            ),
        ),
        total=1,
        page=1,
        per_page=50,
        languages=("ar",),
    )
    page = static.index_html(index)
    assert [a["href"] for n, a in Tags(page).tags if n == "a"] == ["ar/briefs/sora.html"]
    assert "held: 50% of words translated" in page
    assert "script" not in [name for name, _ in Tags(page).tags]


def test_article_files_are_html_below_their_language() -> None:
    assert static.article_file("zh-Hans", "a/b.html") == "zh-Hans/a/b.html"
    assert static.article_file("es", "a/b.htm") == "es/a/b.html"
    assert static.relative("es/a/b.html", "index.html") == "../../index.html"
    assert static.relative("index.html", "es/x.html") == "es/x.html"


def test_every_state_has_a_colour_and_a_text_cue() -> None:
    assert set(static.LEGEND) == {"reviewed", "machine", "human", "untranslated", "pseudo"}
    cues = [cue for _, cue, _ in static.LEGEND.values()]
    assert len(set(cues)) == len(cues)
    css = static.frame_css()
    assert all(f'[data-l10n-state="{state}"]' in css for state in static.LEGEND)

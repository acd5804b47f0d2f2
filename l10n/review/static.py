"""The read-only review pages ``l10n review --static DIR`` writes, for a CI artifact.

Plain HTML with its CSS inline and no script: it opens from the file system, without a
server or network.  Links between the pages are relative.  The article is shown in an
``<iframe sandbox srcdoc>``, so its scripts do not run and it cannot reach the review
page; a Content-Security-Policy forbids scripts in the review page itself.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Sequence
from importlib import resources

from l10n.review.model import ArticleView, EntryView, IndexPage, IndexRow

# Colour and a text cue for each state, so that no reader depends on colour alone: the
# cues of the interactive view (assets/frame.css).
LEGEND = {
    "reviewed": ("#2e7d32", "✓", "reviewed"),
    "machine": ("#b34700", "MT", "machine draft"),
    "human": ("#1456a0", "draft", "human draft (source changed)"),
    "untranslated": ("#b71c1c", "todo", "untranslated"),
    "pseudo": ("#6a1b9a", "ψ", "pseudo text"),
}
# Outline patterns besides the colours, where the interactive view's styles are missing.
_PATTERN = {
    "reviewed": "solid",
    "machine": "dashed",
    "human": "dotted",
    "untranslated": "double",
    "pseudo": "dashed",
}
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; font-src * data:; "
    "media-src *; frame-src 'self' about:"
)
_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
header { padding: .6rem 1rem; background: #24313f; color: #fff; }
header a { color: #cfe3ff; }
main { padding: 1rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.legend span { display: inline-block; margin-right: .8rem; padding: 0 .4rem; }
.state { white-space: nowrap; padding: 0 .3rem; border-radius: 3px; }
.frames { display: flex; gap: 1rem; }
.frames section { flex: 1; min-width: 0; }
iframe { width: 100%; height: 75vh; border: 1px solid #bbb; background: #fff; }
.error { color: #a00000; }
.warning { color: #8a5a00; }
code, .msg { white-space: pre-wrap; word-break: break-word; }
"""


def _state_css() -> str:
    rules = []
    for state, (colour, cue, _) in LEGEND.items():
        rules.append(f".s-{state} {{ border: 2px {_PATTERN[state]} {colour}; }}")
        rules.append(
            f'.s-{state}::before {{ content: "{cue}"; background: {colour}; color: #fff; '
            "font-weight: bold; padding: 0 .3em; margin-inline-end: .3em; }"
        )
    return "\n".join(rules)


def frame_css() -> str:
    """A ``<style>`` for the article in its frame: each segment's state as a colour, a
    pattern and a text badge, the interactive view's own ``frame.css`` when installed."""
    try:
        css = resources.files("l10n.review").joinpath("assets/frame.css").read_text("utf-8")
    except (FileNotFoundError, NotADirectoryError, OSError):
        css = "\n".join(
            f'[data-l10n-state="{state}"] {{ outline: 2px {_PATTERN[state]} {colour}; }}\n'
            f'[data-l10n-state="{state}"]::before {{ content: "{cue} "; color: {colour}; '
            "font: 700 10px system-ui, sans-serif; }"
            for state, (colour, cue, _) in LEGEND.items()
        )
    return f"<style>{css}</style>"


def _page(title: str, body: str, *, lang: str = "en", direction: str = "ltr") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}\n{_state_css()}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _legend() -> str:
    items = "".join(
        f'<span class="state s-{state}">{html.escape(label)}</span>'
        for state, (_, _, label) in LEGEND.items()
    )
    return f'<p class="legend">{items}</p>'


def article_file(row_lang: str, rel: str) -> str:
    """Where an article view goes in the static folder (``/``-separated)."""
    name = rel if rel.endswith(".html") else posixpath.splitext(rel)[0] + ".html"
    return f"{row_lang}/{name}"


def relative(from_file: str, to_file: str) -> str:
    """A relative link from one file of the static folder to another."""
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


def index_html(index: IndexPage, *, title: str = "l10n review") -> str:
    """The table of every article × language, each row linking to its view."""
    head = "".join(
        f"<th>{name}</th>"
        for name in (
            "article",
            "language",
            "reviewed",
            "machine draft",
            "human draft",
            "untranslated",
            "check errors",
            "gate",
        )
    )
    rows = "\n".join(_index_row(row) for row in index.rows)
    body = (
        f"<header><strong>{html.escape(title)}</strong> · {index.total} article views, "
        f"languages: {html.escape(', '.join(index.languages))}</header>\n<main>\n"
        f"<p>Read-only snapshot made by <code>l10n review --static</code>.</p>\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</main>"
    )
    return _page(title, body)


def _index_row(row: IndexRow) -> str:
    href = html.escape(relative("index.html", article_file(row.lang, row.rel)))
    gate = html.escape(row.gate if row.blocked is None else f"{row.gate}: {row.blocked}")
    cells = "".join(
        f'<td class="n">{n}</td>'
        for n in (row.reviewed, row.machine, row.human, row.untranslated, row.errors)
    )
    return (
        f'<tr><td><a href="{href}">{html.escape(row.rel)}</a></td>'
        f"<td>{html.escape(row.lang)}</td>{cells}<td>{gate}</td></tr>"
    )


def article_html(view: ArticleView, *, others: Sequence[str] = ()) -> str:
    """One article in one language: the page in a sandboxed frame, the source beside it
    (folded), and every entry with its state, comments and findings.  ``others``: the
    other languages of the article, linked."""
    here = article_file(view.lang, view.rel)
    back = html.escape(relative(here, "index.html"))
    langs = " ".join(
        f'<a href="{html.escape(relative(here, article_file(lang, view.rel)))}">{lang}</a>'
        for lang in others
        if lang != view.lang
    )
    page = _with_frame_css(view.page)
    source = _with_frame_css(view.source_page)
    side = [e for e in view.entries if e.kind != "text"]
    body = (
        f'<header><a href="{back}">index</a> · <strong>{html.escape(view.rel)}</strong> '
        f"({html.escape(view.lang)}) {langs}</header>\n<main>\n{_legend()}\n"
        f'<div class="frames">\n<section><h2 lang="{html.escape(view.lang)}" '
        f'dir="{view.dir}">{html.escape(view.title)}</h2>\n'
        f'<iframe sandbox="" title="page in {html.escape(view.lang)}" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe></section>\n'
        f"<section><details><summary>source page ({html.escape(view.source_lang)})"
        f"</summary>\n"
        f'<iframe sandbox="" title="source page" srcdoc="{html.escape(source, quote=True)}">'
        "</iframe></details></section>\n</div>\n"
        f"<h2>Attributes and metadata</h2>\n{_entries_table(side, view)}\n"
        f"<h2>All entries</h2>\n{_entries_table(view.entries, view)}\n</main>"
    )
    return _page(f"{view.rel} ({view.lang})", body)


def _with_frame_css(page: str) -> str:
    """The page with the state styles added just before its ``</head>`` (or in front)."""
    at = page.lower().find("</head>")
    css = frame_css()
    return page + css if at < 0 else page[:at] + css + page[at:]


def _entries_table(entries: Sequence[EntryView], view: ArticleView) -> str:
    if not entries:
        return "<p>none</p>"
    rows = []
    for e in entries:
        _, _, label = LEGEND[e.state]
        findings = "<br>".join(
            f'<span class="{f.severity}">{html.escape(f.rule)}: {html.escape(f.message)}</span>'
            for f in e.findings
        )
        legend = "<br>".join(html.escape(f"{p.shown} = {p.markup}") for p in e.placeholders)
        rows.append(
            f'<tr id="e-{e.id}"><td><span class="state s-{e.state}">{html.escape(label)}</span>'
            f"<br><small>{html.escape(e.kind)} · {html.escape(e.context or e.location)}</small>"
            f'</td><td class="msg" lang="{html.escape(view.source_lang)}">'
            f"{html.escape(e.msgid)}</td>"
            f'<td class="msg" lang="{html.escape(view.lang)}" dir="{view.dir}">'
            f"{html.escape(e.msgstr)}</td><td>{legend}</td><td>{findings}</td></tr>"
        )
    head = "<tr><th>state</th><th>source</th><th>translation</th><th>placeholders</th>"
    head += "<th>findings</th></tr>"
    return f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table>"

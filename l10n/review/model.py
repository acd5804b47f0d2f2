"""What the review views show: frozen records the server turns into JSON and HTML.

Everything here is built from strings and objects the pipeline read (PO text, the
article's segments, the glossary, the check findings); nothing reads files.

Segment markers in ``ArticleView.page`` (see ``l10n.html.reassemble.Marker``): a text
segment whose element holds only that segment gets ``data-l10n-id`` and
``data-l10n-state`` on the element's own start tag; any other text segment is wrapped
in ``<l10n-seg data-l10n-id=… data-l10n-state=…>…</l10n-seg>`` (an unknown element is
inline and styles nothing, so the page lays out as published).  Either way the
browser finds every segment with ``[data-l10n-id]``.  Segments inside ``<title>``,
``<textarea>`` or a ``<select>`` cannot hold an element, and attribute and metadata
entries are not on the page: the side panel lists them (``EntryView.kind``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from l10n import checks
from l10n.glossary import Glossary
from l10n.glossary.index import term_index
from l10n.html import Segment, SegmentKind

STATES = ("reviewed", "machine", "human", "untranslated", "pseudo")
KINDS = ("text", "attribute", "title", "meta")
# Findings that stop an entry from being approved: the page could not use the text.
APPROVE_BLOCKERS = frozenset({"PH001", "PH004"})


@dataclass(frozen=True, kw_only=True)
class Placeholder:
    """``<1>…</1>`` (or ``<2/>``) and the source markup it stands for."""

    number: int
    shown: str  # "<1>…</1>" or "<2/>"
    markup: str  # the legend extract writes: '<a href="…">…</a>'


@dataclass(frozen=True, kw_only=True)
class TermView:
    """A glossary term of the entry's source text and what the translation must use."""

    source: str
    targets: tuple[str, ...]  # allowed target terms, preferred first
    forbidden: tuple[str, ...] = ()
    discouraged: tuple[str, ...] = ()
    dnt: bool = False  # do not translate: ``source`` verbatim
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class FindingView:
    rule: str  # "GL001", "PH001", …
    severity: str  # "error" or "warning"
    message: str


@dataclass(frozen=True, kw_only=True)
class EntryView:
    id: str  # entry_id(msgctxt, msgid): stable across reloads and unrelated edits
    msgid: str
    msgctxt: str | None
    msgstr: str
    state: str  # one of STATES
    kind: str  # one of KINDS: "text" when the page shows it, else how the page uses it
    location: str  # structural path of the segment (or the PO reference)
    context: str = ""  # "p", "img@alt", "meta og:title", "title"
    line: int = 0  # line of the msgid in the PO file
    previous_msgid: str | None = None  # the source this fuzzy text was made for (#|)
    placeholders: tuple[Placeholder, ...] = ()
    terms: tuple[TermView, ...] = ()
    translator_comments: str = ""
    extracted_comments: str = ""
    findings: tuple[FindingView, ...] = ()
    on_page: bool = True  # False: the article no longer has this text (run extract)
    # Every way the article uses the text: one entry serves all its segments (an h1 that
    # is also the og:title is "text" and "meta"); the side panel lists non-"text" uses.
    uses: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ArticleView:
    rel: str  # the article, relative to the articles folder
    lang: str
    title: str
    dir: str  # "rtl" or "ltr", of ``lang``
    page: str  # as ``publish --allow-fuzzy`` writes it, with segment markers
    source_page: str  # the source page with the same markers
    entries: tuple[EntryView, ...]
    version: str  # SHA-256 of the PO file's bytes as read ("" when there is none)
    encoding: str = "utf-8"  # the codec of the published page's bytes
    source_dir: str = "ltr"
    source_lang: str = "en"


@dataclass(frozen=True, kw_only=True)
class IndexRow:
    rel: str
    lang: str
    reviewed: int
    machine: int
    human: int
    untranslated: int
    errors: int  # `l10n check` errors, drafts included (what a reviewer has to fix)
    gate: str  # the language's gate as `l10n status` reports it: "ready" or "held"
    blocked: str | None = None  # what keeps this article below its gate
    pseudo: int = 0
    percent: float = 0.0  # words translated and reviewed


@dataclass(frozen=True, kw_only=True)
class IndexPage:
    rows: tuple[IndexRow, ...]
    total: int  # rows matching the filter, on every page
    page: int
    per_page: int
    languages: tuple[str, ...]
    sort: str = "rel"
    query: str = ""
    lang: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, kw_only=True)
class SaveResult:
    ok: bool
    conflict: bool
    message: str
    entry: EntryView | None  # the entry as it is now on disk
    version: str  # the PO file's version after this call


# --- building views -----------------------------------------------------------------


def entry_id(msgctxt: str | None, msgid: str) -> str:
    """An entry's id: its msgctxt and msgid, which is what identifies a PO entry."""
    key = f"{msgctxt if msgctxt is not None else ''}\0{msgid}".encode()
    if msgctxt is None:
        key = b"\1" + key  # no context is not the empty context
    return hashlib.sha256(key).hexdigest()[:16]


def state_of(msgstr: str, *, fuzzy: bool, previous_msgid: str | None, pseudo: bool) -> str:
    if not msgstr:
        return "untranslated"
    if pseudo:
        return "pseudo"
    if not fuzzy:
        return "reviewed"
    return "human" if previous_msgid is not None else "machine"


def kind_of(segment: Segment | None) -> str:
    if segment is None:
        return "text"
    if segment.kind is SegmentKind.ATTRIBUTE:
        return "meta" if segment.context.startswith("meta ") else "attribute"
    return "title" if segment.context == "title" else "text"


def uses_of(segments: Sequence[Segment]) -> tuple[str, ...]:
    """The kinds of an entry's segments, in document order, each once."""
    return tuple(dict.fromkeys(kind_of(s) for s in segments))


def main_kind(uses: Sequence[str]) -> str:
    """Visible text wins: the reviewer finds the entry on the page."""
    return "text" if "text" in uses or not uses else uses[0]


def placeholders_of(segment: Segment | None) -> tuple[Placeholder, ...]:
    if segment is None:
        return ()
    return tuple(
        Placeholder(
            number=p.number,
            shown=f"<{p.number}/>" if p.standalone else f"<{p.number}>…</{p.number}>",
            markup=p.legend,
        )
        for p in segment.placeholders
    )


def terms_of(msgid: str, glossary: Glossary | None, language: str) -> tuple[TermView, ...]:
    """The glossary's concepts found in ``msgid``, as ``l10n check`` matches them."""
    if glossary is None:
        return ()
    index = term_index(glossary, language)
    found: dict[int, TermView] = {}
    for hit in index.source_hits(msgid):
        concept = hit.concept
        if id(concept) in found:
            continue
        if concept.dnt:
            view = TermView(source=hit.term.text, targets=(hit.term.text,), dnt=True)
        else:
            allowed = concept.allowed(language)
            preferred = concept.preferred(language)
            ordered = [preferred, *(t for t in allowed if t is not preferred)] if preferred else []
            view = TermView(
                source=hit.term.text,
                targets=tuple(t.text for t in ordered if t is not None),
                forbidden=tuple(t.text for t in concept.forbidden(language)),
                discouraged=tuple(t.text for t in concept.discouraged(language)),
            )
        found[id(concept)] = TermView(
            source=view.source,
            targets=view.targets,
            forbidden=view.forbidden,
            discouraged=view.discouraged,
            dnt=view.dnt,
            note=concept.note,
        )
    return tuple(found.values())


def finding_views(findings: Iterable[checks.Finding]) -> tuple[FindingView, ...]:
    return tuple(FindingView(rule=f.rule, severity=f.severity, message=f.message) for f in findings)


def blockers(findings: Sequence[FindingView]) -> tuple[FindingView, ...]:
    """The findings that keep an entry from being approved (placeholder errors)."""
    return tuple(f for f in findings if f.rule in APPROVE_BLOCKERS and f.severity == checks.ERROR)

"""The data that flows out of segmentation: what a translator sees and where it came from.

Offsets are indexes into the decoded page text (``Page.text``); the page keeps the
codec that turns that text back into the exact source bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, kw_only=True, slots=True)
class Span:
    """Half-open ``[start, end)`` range of ``Page.text``."""

    start: int
    end: int


class SegmentKind(Enum):
    TEXT = "text"  # a run of text and inline markup between block boundaries
    ATTRIBUTE = "attribute"  # the value of alt/title/placeholder/aria-label/value/meta content


@dataclass(frozen=True, kw_only=True, slots=True)
class Placeholder:
    """One inline element (or opaque piece) shown to translators as ``<n>…</n>`` or ``<n/>``.

    ``open`` is the source of the start tag (for a standalone placeholder: the whole
    element, content included); ``close`` is the end tag, or ``None`` when the source
    closed the element implicitly.
    """

    number: int
    name: str
    standalone: bool
    open: Span
    close: Span | None
    legend: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Segment:
    """One translatable unit of a page.

    ``msgid`` is what the translator sees: entities decoded, whitespace collapsed
    (except in ``pre``), inline markup replaced by numbered placeholders, no
    attribute values.  ``span`` is the source range that a translation replaces.
    """

    msgid: str
    kind: SegmentKind
    context: str  # "p", "img@alt", "meta og:title", "title"
    location: str  # structural path, stable when unrelated lines move
    span: Span
    placeholders: tuple[Placeholder, ...] = ()
    # Start tag of the element this segment belongs to (where ``lang`` goes when the
    # segment stays untranslated), and whether the segment is all the text it holds.
    element: Span | None = None
    element_name: str = ""
    owns_element: bool = False
    quote: str = '"'  # attribute segments: the quote character used in the source ("" = unquoted)
    preserve_whitespace: bool = False

    @property
    def legend(self) -> tuple[str, ...]:
        """Human-readable lines explaining each placeholder, for PO extracted comments."""
        lines = []
        for ph in self.placeholders:
            shown = f"<{ph.number}/>" if ph.standalone else f"<{ph.number}>…</{ph.number}>"
            lines.append(f"{shown} = {ph.legend}")
        return tuple(lines)


@dataclass(frozen=True, kw_only=True, slots=True)
class Charset:
    """Where the page declares its encoding, so publish can rewrite it."""

    value: Span  # the characters of the charset name inside a meta/xml declaration


@dataclass(frozen=True, kw_only=True, slots=True)
class Href:
    """The ``href`` of a ``<link rel=canonical>``, so publish can point it elsewhere."""

    value: Span  # between the quotes (empty, after the name, for a bare ``href``)
    quote: str  # '"', "'", "" unquoted, "-" bare attribute without a value


@dataclass(frozen=True, kw_only=True, slots=True)
class Head:
    """Where a page's ``<head>`` takes language alternates (see ``l10n.html.head``).

    Found while the parse tree exists, because segmentation discards it.  ``insert`` is
    what the new tags replace (an empty span, or the first old alternate with its line);
    the new tags are written ``lead + newline.join(indent + tag) + trail``.
    """

    insert: Span
    lead: str
    trail: str
    indent: str
    newline: str
    void_close: str  # ">", "/>" or " />", as the page's own void tags end
    remove: tuple[Span, ...] = ()  # old alternates and og:locale metas; [0] lies in ``insert``
    canonical: tuple[Href, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Page:
    """A decoded article: text plus everything needed to get the same bytes back."""

    text: str
    encoding: str  # Python codec name that round-trips ``text`` to the source bytes
    bom: bytes  # byte-order mark found before the text (kept verbatim)
    declarations: tuple[Charset, ...] = ()
    root: Span | None = None  # start tag of the root <html> element
    root_attrs: tuple[tuple[str, Span | None, Span], ...] = ()  # (name, value span, attr span)
    head: Head | None = None  # None: not described (publish then parses the text again)

    def encode(self, text: str | None = None) -> bytes:
        return self.bom + (self.text if text is None else text).encode(
            self.encoding, "surrogateescape"
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Document:
    """A page and its segments, in document order."""

    page: Page
    segments: tuple[Segment, ...]

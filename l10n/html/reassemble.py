"""Put translations back into the source page, changing nothing but the words.

Publishing is a list of edits on the source text: a translated segment replaces its
span; its placeholders are rendered from the source tags they stand for (with the
translated attributes inside them); the root start tag gets ``lang``/``dir``, and text
left in the source language gets ``lang`` (and ``dir`` where the two languages are
written in opposite directions, so English inside an Arabic page reads left to right).  Every
other character is copied from the source, and the page is encoded with the codec it
came in, so untouched bytes stay identical.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from l10n.html import head as head_tags
from l10n.html import placeholders as ph
from l10n.html.encoding import can_encode
from l10n.html.model import Document, Segment, SegmentKind, Span
from l10n.html.parser import parse, parse_attrs


@dataclass(frozen=True, kw_only=True)
class Rejected:
    """A translation that could not be used; the segment kept its source text."""

    segment: Segment
    msgstr: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Published:
    data: bytes
    encoding: str  # codec of ``data`` (differs from the source when it had to become UTF-8)
    translated: int
    untranslated: int
    rejected: tuple[Rejected, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class _Edit:
    start: int
    end: int
    text: str
    # Insertions at one place: what closes an element there (rank 0) comes before what
    # opens one (rank 1), so the markup of adjacent segments nests.
    rank: int = 0


# A marker (``l10n review``) gives a text segment attributes (' data-x="…"', escaped) by
# which a browser finds it on the page, or None.  They go on the segment's own element
# when it holds nothing else, on the ``lang`` span of untranslated text, and otherwise
# on a ``<l10n-seg>`` element around the segment (inline, unknown, so it styles nothing).
Marker = Callable[[Segment], str | None]
MARK_ELEMENT = "l10n-seg"
# Elements whose content cannot hold an element (text only, or dropped by the parser).
_NO_CHILD_ELEMENTS = frozenset({"title", "textarea", "option", "optgroup", "select"})


# An unquoted attribute value stays unquoted unless the translation cannot be.
_NEEDS_QUOTES = re.compile(r"[\t\n\f\r \"'=<>`]|^$")


# HTML's controls (C0, DEL, C1) other than its whitespace (tab, LF, FF, CR): a parse
# error in a page, and never what a translator meant (an ESC or NUL typed by accident,
# or returned by an engine).  Translator text loses them where it is escaped, below.
CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def escape_text(value: str) -> str:
    """Escape translator text for element content; typed markup stays text."""
    return (
        CONTROL.sub("", value)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\u00a0", "&nbsp;")
    )


def escape_attribute(value: str, quote: str) -> str:
    value = CONTROL.sub("", value).replace("&", "&amp;").replace("\u00a0", "&nbsp;")
    if quote == "'":
        return value.replace("'", "&#39;")
    return value.replace('"', "&quot;")


def publish(
    doc: Document,
    translations: Mapping[str, str],
    *,
    language: str,
    source_language: str,
    direction: str = "ltr",
    source_direction: str = "ltr",
    alternates: head_tags.Alternates | None = None,
    marker: Marker | None = None,
) -> Published:
    """Render ``doc`` with ``translations`` (msgid → msgstr, only usable entries).

    ``direction``/``source_direction``: ``"ltr"`` or ``"rtl"``, of ``language`` and of
    ``source_language``.  ``alternates``: hreflang links and og:locale for the head
    (None leaves it as it is).  ``marker``: attributes that mark each text segment (see
    ``Marker``); without one the page is exactly what ``l10n publish`` writes.
    """
    text = doc.page.text
    attribute_edits: dict[int, _Edit] = {}
    edits: list[tuple[Segment, str]] = []
    rejected: list[Rejected] = []
    untranslated: list[Segment] = []
    translated = 0
    for seg in doc.segments:
        msgstr = translations.get(seg.msgid, "")
        if not msgstr:
            untranslated.append(seg)
            continue
        if seg.kind is SegmentKind.ATTRIBUTE:
            translated += 1
            if msgstr != seg.msgid:
                quote = seg.quote or '"'
                value = escape_attribute(ph.literal(msgstr), quote)
                if not seg.quote and _NEEDS_QUOTES.search(value):
                    value = f'"{value}"'
                attribute_edits[seg.span.start] = _Edit(
                    start=seg.span.start, end=seg.span.end, text=value
                )
            continue
        reasons = ph.problems(seg.msgid, msgstr)
        if reasons:
            rejected.append(Rejected(segment=seg, msgstr=msgstr, reasons=tuple(reasons)))
            untranslated.append(seg)
            continue
        translated += 1
        if msgstr != seg.msgid:
            edits.append((seg, msgstr))

    renderer = _Renderer(text, attribute_edits)
    final: list[_Edit] = []
    covered: list[Span] = []
    for seg, msgstr in edits:
        final.append(
            _Edit(start=seg.span.start, end=seg.span.end, text=renderer.segment(seg, msgstr))
        )
        covered.append(seg.span)
    final += _outside(list(attribute_edits.values()), covered)
    # dir only where it differs: a page whose languages agree keeps its bytes.
    mark = {"lang": source_language}
    if source_direction != direction:
        mark["dir"] = source_direction
    marks = {} if marker is None else _marks(doc, marker)
    for seg in untranslated:
        final += _mark_source_language(text, seg, mark, marks.pop(id(seg), ""))
    for seg in doc.segments:
        if id(seg) in marks:
            final += _marked(text, seg, marks[id(seg)])
    final += _root_edits(doc, language, direction)
    if alternates is not None:
        final = _with_head(doc, final, alternates)

    codec = doc.page.encoding
    if not all(can_encode(e.text, codec) for e in final):
        codec = "utf-8"
        final += _charset_edits(doc)
    out = _apply(text, final)
    bom = doc.page.bom
    if codec != doc.page.encoding:
        bom = b"\xef\xbb\xbf" if not doc.page.declarations else b""
    data = bom + out.encode(codec, "surrogateescape")
    return Published(
        data=data,
        encoding=codec,
        translated=translated,
        untranslated=len(untranslated),
        rejected=tuple(rejected),
    )


class _Renderer:
    def __init__(self, text: str, attribute_edits: Mapping[int, _Edit]) -> None:
        self.text = text
        self.attribute_edits = sorted(attribute_edits.values(), key=lambda e: e.start)
        self.starts = [e.start for e in self.attribute_edits]

    def source(self, span: Span) -> str:
        """Source text of ``span`` with the translated attributes inside it."""
        lo = bisect.bisect_left(self.starts, span.start)
        hi = bisect.bisect_left(self.starts, span.end)
        inside = [e for e in self.attribute_edits[lo:hi] if e.end <= span.end]
        return _apply(self.text, inside, span.start, span.end)

    def segment(self, seg: Segment, msgstr: str) -> str:
        by_number = {p.number: p for p in seg.placeholders}
        out: list[str] = []
        for piece in ph.pieces(msgstr):
            if isinstance(piece, ph.Text):
                out.append(escape_text(ph.literal(piece.value)))
                continue
            holder = by_number[piece.number]
            if piece.role == "close":
                if holder.close is not None:
                    out.append(self.source(holder.close))
                elif piece.end < len(msgstr):
                    # The source let the end of the block close it; text now follows.
                    out.append(f"</{holder.name}>")
            else:
                out.append(self.source(holder.open))
        return "".join(out)


def _outside(edits: list[_Edit], covered: list[Span]) -> list[_Edit]:
    """Attribute edits not already rendered inside a translated segment."""
    starts = sorted((s.start, s.end) for s in covered)
    result = []
    for edit in edits:
        i = bisect.bisect_right(starts, (edit.start, 1 << 62)) - 1
        if i >= 0 and starts[i][0] <= edit.start and edit.end <= starts[i][1]:
            continue
        result.append(edit)
    return result


def _mark_source_language(
    text: str, seg: Segment, mark: Mapping[str, str], marked: str = ""
) -> list[_Edit]:
    """Tell readers and search engines (and the bidi algorithm) that an untranslated
    segment is in the source language; ``mark``: the attributes that say so; ``marked``:
    a ``Marker``'s attributes for the segment."""
    if seg.kind is SegmentKind.ATTRIBUTE:
        return []
    if _owns(seg):
        assert seg.element is not None
        name_end = seg.element.start + 1 + len(seg.element_name)
        present = {a.name for a in parse_attrs(text, name_end, seg.element.end)}
        # The author's own dir (often "auto") stays the only one.
        attrs = "".join(f' {k}="{v}"' for k, v in mark.items() if k not in present)
        if "lang" in present:
            attrs = ""
        attrs += marked
        return [_Edit(start=name_end, end=name_end, text=attrs)] if attrs else []
    attrs = "".join(f' {k}="{v}"' for k, v in mark.items()) + marked
    return [
        _Edit(start=seg.span.start, end=seg.span.start, text=f"<span{attrs}>", rank=1),
        _Edit(start=seg.span.end, end=seg.span.end, text="</span>"),
    ]


def _owns(seg: Segment) -> bool:
    """Whether the segment is all the text of an element that can take attributes."""
    return seg.element is not None and seg.owns_element and seg.element_name != "html"


def _marks(doc: Document, marker: Marker) -> dict[int, str]:
    """The marker's attributes of each text segment it marks, by the segment's id()."""
    found = {}
    for seg in doc.segments:
        if seg.kind is SegmentKind.ATTRIBUTE:
            continue
        if not _owns(seg) and seg.element_name in _NO_CHILD_ELEMENTS:
            continue
        attrs = marker(seg)
        if attrs:
            found[id(seg)] = attrs
    return found


def _marked(text: str, seg: Segment, attrs: str) -> list[_Edit]:
    """A marked segment that keeps no ``lang`` mark: attributes or a wrapper."""
    if _owns(seg):
        assert seg.element is not None
        name_end = seg.element.start + 1 + len(seg.element_name)
        return [_Edit(start=name_end, end=name_end, text=attrs)]
    return [
        _Edit(start=seg.span.start, end=seg.span.start, text=f"<{MARK_ELEMENT}{attrs}>", rank=1),
        _Edit(start=seg.span.end, end=seg.span.end, text=f"</{MARK_ELEMENT}>"),
    ]


def _root_edits(doc: Document, language: str, direction: str) -> list[_Edit]:
    page = doc.page
    if page.root is None:
        return []
    present = {name: (value, whole) for name, value, whole in page.root_attrs}
    wanted = {"lang": language}
    if direction == "rtl" or "dir" in present:
        wanted["dir"] = direction
    if "xml:lang" in present:
        wanted["xml:lang"] = language
    edits: list[_Edit] = []
    added = []
    for name, value in wanted.items():
        if name in present:
            value_span, whole = present[name]
            if value_span is None:  # bare attribute: give it a value
                edits.append(_Edit(start=whole.end, end=whole.end, text=f'="{value}"'))
            else:
                edits.append(_Edit(start=value_span.start, end=value_span.end, text=value))
        else:
            added.append(f' {name}="{value}"')
    if added:
        # After the existing attributes, so the tag reads <html lang="ar" dir="rtl">.
        at = max((whole.end for _, _, whole in page.root_attrs), default=page.root.start + 5)
        edits.append(_Edit(start=at, end=at, text="".join(added)))
    return edits


def _with_head(doc: Document, final: list[_Edit], alternates: head_tags.Alternates) -> list[_Edit]:
    page = doc.page
    head = page.head if page.head is not None else head_tags.describe(page.text, parse(page.text))
    added = [
        _Edit(start=start, end=end, text=text)
        for start, end, text in head_tags.edits(head, alternates, encoding=page.encoding)
    ]
    # A translated attribute of a removed tag (a link's title) is gone with the tag, and
    # must not decide the page's encoding.
    removed = sorted((e.start, e.end) for e in added if e.start < e.end)
    kept = [e for e in final if not (e.start < e.end and _inside(e, removed))]
    return kept + added


def _inside(edit: _Edit, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (edit.start, 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= edit.start and edit.end <= spans[i][1]


def _charset_edits(doc: Document) -> list[_Edit]:
    return [
        _Edit(start=d.value.start, end=d.value.end, text="utf-8") for d in doc.page.declarations
    ]


def _apply(text: str, edits: list[_Edit], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for edit in sorted(edits, key=lambda e: (e.start, e.end, e.rank)):
        if edit.start < pos:  # overlapping edits cannot happen; keep the first
            continue
        out.append(text[pos : edit.start])
        out.append(edit.text)
        pos = edit.end
    out.append(text[pos:end])
    return "".join(out)

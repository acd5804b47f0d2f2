"""Segmenting an article once: extract keeps the result for publish.

Segmenting is most of what extract and publish each spend on a page, and publish needs
exactly the segments extract found in the same bytes.  ``.l10n/segments/`` (git-ignored)
holds one compressed JSON file per article — the segments and page description as plain
lists, strings, integers and booleans, not the page text, which is decoded again from the
article bytes — keyed by the article's SHA-256, the segmentation mode and the tool's code,
so any change makes it miss.

That folder is what CI caches restore, so its files are untrusted input: JSON cannot run
code, and every value is checked on the way back into the model's types (kinds, ranges,
spans inside the page text, placeholders numbered as the msgid shows them).  A file that
fails any check is a miss, logged at info, and the article is segmented again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import zlib
from pathlib import Path
from typing import Any

from l10n import html as html_stage
from l10n.errors import L10nError
from l10n.html import placeholders as ph
from l10n.html.encoding import decode
from l10n.html.model import Charset, Head, Href, Page, Placeholder, Segment, SegmentKind, Span
from l10n.pipeline.project import Project, write_atomic
from l10n.pipeline.state import STATE_DIR, tool_version

log = logging.getLogger(__name__)

SEGMENTS_DIR = "segments"
FORMAT = 1  # layout of the JSON below; another value is a miss
_PAGE_FIELDS = frozenset({"declarations", "root", "root_attrs", "head"})
_FIELDS = frozenset({"format", "key", "page", "segments"})
_KINDS = {kind.value: kind for kind in SegmentKind}
_QUOTES = frozenset({'"', "'", ""})
_HREF_QUOTES = _QUOTES | {"-"}
_VOID_CLOSES = frozenset({">", "/>", " />"})


def segment_article(project: Project, rel: str, data: bytes, sha: str) -> html_stage.Document:
    """The article's segments: from the cache when its key matches, else computed (and kept)."""
    key = f"{sha}:{project.config.segment}:{tool_version()}"
    path = _path(project, rel)
    cached = _load(path, key, data)
    if cached is not None:
        return cached
    try:
        doc = html_stage.segment(data, sentences=project.config.segment == "sentence")
    except L10nError as exc:
        raise exc.located(file=project.layout.article(rel)) from exc
    _save(path, key, doc)
    return doc


def _path(project: Project, rel: str) -> Path:
    name = hashlib.blake2b(rel.encode("utf-8"), digest_size=16).hexdigest()
    return project.path(STATE_DIR) / SEGMENTS_DIR / name[:2] / f"{name}.json.z"


def pack(key: str, doc: html_stage.Document) -> bytes:
    """A document without its page text, as compressed JSON, under ``key``."""
    page = doc.page
    payload = {
        "format": FORMAT,
        "key": key,
        "page": {
            "declarations": [_out(d.value) for d in page.declarations],
            "root": _out(page.root),
            "root_attrs": [
                [name, _out(value), _out(whole)] for name, value, whole in page.root_attrs
            ],
            "head": None if page.head is None else _head_out(page.head),
        },
        "segments": [_segment_out(s) for s in doc.segments],
    }
    # ASCII: lone surrogates (undecodable source bytes) travel as \\u escapes.
    return zlib.compress(json.dumps(payload, separators=(",", ":")).encode("ascii"), 1)


def unpack(blob: bytes, key: str, data: bytes) -> html_stage.Document | None:
    """The document ``pack`` stored for the article ``data``, or None if ``key`` differs.

    A damaged, foreign or crafted blob is a miss, never an error: it is only a cache.
    """
    try:
        text, codec, bom = decode(data)
        payload = json.loads(_inflate(blob, limit=64 * len(data) + (1 << 20)))
        if type(payload) is not dict or payload.keys() != _FIELDS:
            raise _Invalid
        if payload["format"] != FORMAT or payload["key"] != key:
            return None
        page = _page(payload["page"], text, codec, bom)
        segments = tuple(_segment(s, len(text)) for s in _list(payload["segments"]))
    except Exception:  # untrusted bytes: whatever fails is a miss
        log.info("segment cache unreadable; segmenting again")
        return None
    return html_stage.Document(page=page, segments=segments)


def _load(path: Path, key: str, data: bytes) -> html_stage.Document | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    return unpack(blob, key, data)


def _save(path: Path, key: str, doc: html_stage.Document) -> None:
    with contextlib.suppress(OSError):  # a cache that cannot be written is no failure
        write_atomic(path, pack(key, doc), durable=False)


def _inflate(blob: bytes, *, limit: int) -> bytes:
    """``blob`` decompressed; a stream cut short or larger than ``limit`` is invalid."""
    inflater = zlib.decompressobj()
    raw = inflater.decompress(blob, limit)
    if inflater.unconsumed_tail or not inflater.eof:
        raise _Invalid
    return raw


# --- plain values out -----------------------------------------------------------------


def _out(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def _head_out(head: Head) -> list[Any]:
    return [
        _out(head.insert),
        head.lead,
        head.trail,
        head.indent,
        head.newline,
        head.void_close,
        [_out(s) for s in head.remove],
        [[_out(h.value), h.quote] for h in head.canonical],
    ]


def _segment_out(seg: Segment) -> list[Any]:
    return [
        seg.msgid,
        seg.kind.value,
        seg.context,
        seg.location,
        _out(seg.span),
        [
            [p.number, p.name, p.standalone, _out(p.open), _out(p.close), p.legend]
            for p in seg.placeholders
        ],
        _out(seg.element),
        seg.element_name,
        seg.owns_element,
        seg.quote,
        seg.preserve_whitespace,
    ]


# --- checked values in ----------------------------------------------------------------


class _Invalid(ValueError):
    """A value ``pack`` cannot have written."""


def _list(value: object, length: int | None = None) -> list[Any]:
    if type(value) is not list or (length is not None and len(value) != length):
        raise _Invalid
    return value


def _str(value: object) -> str:
    if type(value) is not str:
        raise _Invalid
    return value


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise _Invalid
    return value


def _span(value: object, n: int) -> Span:
    """A span of a page text of length ``n``."""
    if type(value) is list and len(value) == 2:
        start, end = value
        if type(start) is int and type(end) is int and 0 <= start <= end <= n:
            return Span(start=start, end=end)
    raise _Invalid


def _maybe_span(value: object, n: int) -> Span | None:
    return None if value is None else _span(value, n)


def _page(value: object, text: str, codec: str, bom: bytes) -> Page:
    if type(value) is not dict or value.keys() != _PAGE_FIELDS:
        raise _Invalid
    n = len(text)
    attrs = []
    for attr in _list(value["root_attrs"]):
        name, value_span, whole = _list(attr, 3)
        attrs.append((_str(name), _maybe_span(value_span, n), _span(whole, n)))
    head = value["head"]
    return Page(
        text=text,
        encoding=codec,
        bom=bom,
        declarations=tuple(Charset(value=_span(d, n)) for d in _list(value["declarations"])),
        root=_maybe_span(value["root"], n),
        root_attrs=tuple(attrs),
        head=None if head is None else _head(head, n),
    )


def _head(value: object, n: int) -> Head:
    insert, lead, trail, indent, newline, void_close, remove, canonical = _list(value, 8)
    if _str(void_close) not in _VOID_CLOSES:
        raise _Invalid
    hrefs = []
    for href in _list(canonical):
        span, quote = _list(href, 2)
        if _str(quote) not in _HREF_QUOTES:
            raise _Invalid
        hrefs.append(Href(value=_span(span, n), quote=quote))
    return Head(
        insert=_span(insert, n),
        lead=_str(lead),
        trail=_str(trail),
        indent=_str(indent),
        newline=_str(newline),
        void_close=void_close,
        remove=tuple(_span(s, n) for s in _list(remove)),
        canonical=tuple(hrefs),
    )


def _segment(value: object, n: int) -> Segment:
    msgid, kind, context, location, span, holders, element, name, owns, quote, pre = _list(
        value, 11
    )
    kind = _KINDS.get(_str(kind))
    if kind is None or _str(quote) not in _QUOTES:
        raise _Invalid
    msgid = _str(msgid)
    seg_span = _span(span, n)
    placeholders = tuple(
        _placeholder(h, number, seg_span, n) for number, h in enumerate(_list(holders), 1)
    )
    if placeholders and kind is not SegmentKind.TEXT:
        raise _Invalid
    # Every placeholder shows in the msgid exactly once, and nothing else does, so a
    # translation that fits the msgid always finds the source tags it refers to.
    expected: dict[tuple[int, str], int] = {}
    for p in placeholders:
        for role in ("empty",) if p.standalone else ("open", "close"):
            expected[(p.number, role)] = 1
    if (placeholders or "<" in msgid) and ph.signature(msgid) != expected:
        raise _Invalid
    return Segment(
        msgid=msgid,
        kind=kind,
        context=_str(context),
        location=_str(location),
        span=seg_span,
        placeholders=placeholders,
        element=_maybe_span(element, n),
        element_name=_str(name),
        owns_element=_bool(owns),
        quote=quote,
        preserve_whitespace=_bool(pre),
    )


def _placeholder(value: object, number: int, within: Span, n: int) -> Placeholder:
    """The ``number``-th placeholder of a segment: its tags lie inside the segment."""
    stored, name, standalone, open_span, close_span, legend = _list(value, 6)
    if stored != number or type(stored) is not int:
        raise _Invalid
    opened = _span(open_span, n)
    closed = _maybe_span(close_span, n)
    for part in (opened, closed):
        if part is not None and not within.start <= part.start <= part.end <= within.end:
            raise _Invalid
    if _bool(standalone) and closed is not None:
        raise _Invalid
    return Placeholder(
        number=number,
        name=_str(name),
        standalone=standalone,
        open=opened,
        close=closed,
        legend=_str(legend),
    )

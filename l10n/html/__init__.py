"""HTML ⇄ segments: the two ends of the pipeline.

``segment`` reads article bytes into a ``Document`` (decoded page + segments);
``publish`` renders that document with translations back into bytes.
"""

from __future__ import annotations

import re

from l10n.errors import ArticleError
from l10n.html.encoding import decode
from l10n.html.head import Alternate, Alternates, alternates_for, describe, og_locale
from l10n.html.model import Charset, Document, Page, Segment, SegmentKind, Span
from l10n.html.parser import Tree, parse
from l10n.html.reassemble import MARK_ELEMENT, Marker, Published, Rejected, publish
from l10n.html.segmenter import Segmenter

__all__ = [
    "MARK_ELEMENT",
    "Alternate",
    "Alternates",
    "Document",
    "Marker",
    "Page",
    "Published",
    "Rejected",
    "Segment",
    "SegmentKind",
    "alternates_for",
    "og_locale",
    "publish",
    "read_page",
    "read_text",
    "segment",
]

_CHARSET_IN_CONTENT = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.IGNORECASE)
_XML_DECL = re.compile(r"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""")
# Control characters that never occur in text files (NUL and friends).
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def read_page(data: bytes) -> tuple[Page, Tree]:
    """Decode article bytes; reject input that is not an HTML page at all."""
    if not data.strip():
        raise ArticleError("empty article: nothing to translate")
    sample = data[:8192]
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16:
        if b"\x00" in sample:
            raise ArticleError("binary file, not HTML (contains NUL bytes)")
        if len(_BINARY.findall(sample)) > len(sample) // 100 + 2:
            raise ArticleError("binary file, not HTML (control characters)")
    text, codec, bom = decode(data)
    if "<" not in text:
        raise ArticleError("not HTML: no markup found")
    tree = parse(text)
    page = Page(
        text=text,
        encoding=codec,
        bom=bom,
        declarations=tuple(_declarations(text, tree)),
        root=Span(start=tree.html.start, end=tree.html.tag_end) if tree.html else None,
        root_attrs=tuple(
            (
                a.name,
                None if a.quote == "-" else Span(start=a.value_start, end=a.value_end),
                Span(start=a.start, end=a.value_end + (1 if a.quote in ('"', "'") else 0)),
            )
            for a in (tree.html.attrs(text) if tree.html else [])
        ),
        head=describe(text, tree),
    )
    return page, tree


def read_text(data: bytes) -> str:
    """The text of article bytes exactly as ``segment`` decodes it."""
    return decode(data)[0]


def segment(data: bytes, *, sentences: bool = False) -> Document:
    """Split article bytes into translatable segments."""
    page, tree = read_page(data)
    segments = Segmenter(page.text, tree, sentences=sentences).run()
    return Document(page=page, segments=tuple(segments))


def _declarations(text: str, tree: Tree) -> list[Charset]:
    found: list[Charset] = []
    xml = _XML_DECL.match(text)
    if xml:
        found.append(Charset(value=Span(start=xml.start(1), end=xml.end(1))))
    for meta in tree.metas:
        charset = meta.attr(text, "charset")
        if charset is not None and charset.quote != "-":
            value = text[charset.value_start : charset.value_end]
            lead = len(value) - len(value.lstrip())
            stripped = value.strip()
            start = charset.value_start + lead
            found.append(Charset(value=Span(start=start, end=start + len(stripped))))
            continue
        equiv = (meta.value(text, "http-equiv") or "").strip().lower()
        content = meta.attr(text, "content")
        if equiv == "content-type" and content is not None:
            m = _CHARSET_IN_CONTENT.search(text, content.value_start, content.value_end)
            if m:
                found.append(Charset(value=Span(start=m.start(1), end=m.end(1))))
    return found

"""Segments that are not runs of page text: readable attributes (``alt``, ``title``,
``aria-label``, button values), the page metadata in ``<meta content>`` that readers see
in previews and search results, and the ``<title>``."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator

from l10n.html import placeholders as ph
from l10n.html import rules
from l10n.html.model import Segment, SegmentKind, Span
from l10n.html.msgid import SPACE, clean, is_translatable_text
from l10n.html.parser import HINT_ATTRIBUTE, Element

_HTML_SPACE = "\t\n\f\r "
# Readable attributes by element ("*": any other element).
_WANTED = {
    name: rules.ATTRIBUTES["*"] | rules.ATTRIBUTES.get(name, frozenset())
    for name in rules.ATTRIBUTES
}


def attribute_segments(
    text: str, el: Element, location: Callable[[Element], str]
) -> Iterator[Segment]:
    """The readable attributes of ``el``; ``location`` names an element for translators
    (asked only for an attribute that has words: it walks the ancestors)."""
    if not el.hint_bits(text) & HINT_ATTRIBUTE:
        return
    name = el.name
    wanted = _WANTED.get(name) or _WANTED["*"]
    if name == "meta":
        key = (el.value(text, "property") or el.value(text, "name") or "").strip().lower()
        if key in rules.META_KEYS:
            yield from _attribute(
                text, el, "content", context=f"meta {key}", location=lambda _: f"meta[{key}]"
            )
        return
    if name == "input":
        kind = (el.value(text, "type") or "text").strip().lower()
        if kind in rules.BUTTON_INPUT_TYPES:
            wanted = wanted | {"value"}
        if kind != "image":
            wanted = wanted - {"alt"}
    for attr in el.attrs(text):
        if attr.name in wanted:
            where = _at(location, attr.name)
            context = f"{name}@{attr.name}"
            yield from _attribute(text, el, attr.name, context=context, location=where)


def _at(location: Callable[[Element], str], attribute: str) -> Callable[[Element], str]:
    return lambda el: f"{location(el)}@{attribute}"


def _attribute(
    text: str, el: Element, name: str, *, context: str, location: Callable[[Element], str]
) -> Iterator[Segment]:
    attr = el.attr(text, name)
    if attr is None or attr.quote == "-":
        return
    raw = text[attr.value_start : attr.value_end]
    value = SPACE.sub(" ", clean(html.unescape(raw))).strip(" ")
    if not is_translatable_text(value):
        return
    yield Segment(
        msgid=ph.escape(value),
        kind=SegmentKind.ATTRIBUTE,
        context=context,
        location=location(el),
        span=Span(start=attr.value_start, end=attr.value_end),
        element=Span(start=el.start, end=el.tag_end),
        element_name=el.name,
        quote=attr.quote,
    )


def title_segment(text: str, el: Element) -> Iterator[Segment]:
    """The ``<title>``'s text, without the space around it (kept as it is on the page)."""
    if not el.children:
        return
    node = el.children[0]
    raw = text[node.start : node.end]
    lead = len(raw) - len(raw.lstrip(_HTML_SPACE))
    body = raw.strip(_HTML_SPACE)
    value = SPACE.sub(" ", clean(html.unescape(body)))
    if not is_translatable_text(value):
        return
    yield Segment(
        msgid=ph.escape(value),
        kind=SegmentKind.TEXT,
        context="title",
        location="title",
        span=Span(start=node.start + lead, end=node.start + lead + len(body)),
        element=Span(start=el.start, end=el.tag_end),
        element_name="title",
        owns_element=True,
    )

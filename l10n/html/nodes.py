"""The parse tree's pieces: elements, text and other tokens, start-tag attributes.

Every piece is a span of the page text; attributes are parsed only when asked for,
and the segmenter's questions about a start tag (could it carry ``translate``, a
readable attribute, an id?) are answered by cheap substring tests first.
"""

from __future__ import annotations

import re

from l10n.html import rules

_ATTR = re.compile(
    r"""([^\t\n\f\r />][^\t\n\f\r /=>]*)"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?"""
)
_QUOTES = {2: '"', 3: "'", 4: ""}
# What a start tag may carry that segmentation cares about.  The hints are cheap
# substring tests on the lower-cased tag; a false positive only costs an attribute
# parse, since the attribute itself decides.
HINT_TRANSLATE, HINT_ATTRIBUTE, HINT_ID = 1, 2, 4
_ID_UNKNOWN = 8  # the id test is still to be made
_ID = re.compile(r"[\t\n\f\r \"'/][Ii][Dd][\t\n\f\r ]*=")
# The readable attributes of each element (see ``rules``): the segmenter looks no
# further on a tag that mentions none of them.
_READABLE: dict[str, tuple[str, ...]] = {
    name: tuple(sorted(rules.ATTRIBUTES["*"] | rules.ATTRIBUTES.get(name, frozenset())))
    for name in rules.ATTRIBUTES
}
_READABLE["input"] += ("value",)  # the label of a button
# <meta> content is read only under one of the META_KEYS names.
_READABLE["meta"] = tuple(sorted(rules.META_KEYS))
_ANY_READABLE = _READABLE["*"]


class Attr:
    """One attribute of a start tag; ``value`` is a span without the quotes."""

    __slots__ = ("name", "quote", "start", "value_end", "value_start")

    def __init__(self, name: str, start: int, value_start: int, value_end: int, quote: str):
        self.name = name
        self.start = start
        self.value_start = value_start
        self.value_end = value_end
        self.quote = quote  # '"', "'", "" for unquoted, None-like "-" for no value


class Node:
    """Text, comment or other opaque token: just a span."""

    __slots__ = ("end", "kind", "start")

    def __init__(self, kind: str, start: int, end: int) -> None:
        self.kind = kind  # "text", "comment", "doctype", "cdata", "stray"
        self.start = start
        self.end = end


class Element:
    """An element with the spans of its start tag, content and end tag."""

    __slots__ = (
        "_attrs",
        "_hints",
        "_nth",
        "block_inside",
        "children",
        "close_end",
        "close_start",
        "end",
        "name",
        "parent",
        "start",
        "tag_end",
        "words",
    )

    def __init__(self, name: str, start: int, tag_end: int, parent: Element | None) -> None:
        self.name = name
        self.start = start
        self.tag_end = tag_end
        self.close_start: int | None = None  # end tag span, when the source has one
        self.close_end: int | None = None
        self.end = tag_end  # where the element ends (after its end tag, or where implied)
        self.children: list[Element | Node] = []
        self.parent = parent
        self._nth = 0  # see ``nth``; 0 until asked
        self.block_inside = False  # has a descendant that breaks a sentence
        self._attrs: list[Attr] | None = None
        self._hints = -1
        self.words: bool | None = None  # segmenter's cache: holds words to translate

    @property
    def nth(self) -> int:
        """Position among same-name siblings, for stable locations.  Counted only when
        asked (few elements hold text), for all the siblings at once."""
        if not self._nth:
            parent = self.parent
            if parent is None:
                self._nth = 1
            else:
                counts: dict[str, int] = {}
                for sibling in parent.children:
                    if isinstance(sibling, Element):
                        sibling._nth = counts[sibling.name] = counts.get(sibling.name, 0) + 1
        return self._nth

    def hint_bits(self, text: str) -> int:
        """HINT_TRANSLATE and HINT_ATTRIBUTE bits: may the start tag carry a
        ``translate`` attribute (or the ``notranslate`` class), or a readable attribute?
        Both are asked of nearly every element, so they are found together, once."""
        known = self._hints
        if known < 0:
            if self.tag_end - self.start <= len(self.name) + 2:  # no attributes
                known = 0
            else:
                tag = text[self.start + 1 + len(self.name) : self.tag_end - 1].lower()
                known = _ID_UNKNOWN
                if "translate" in tag:
                    known |= HINT_TRANSLATE
                for name in _READABLE.get(self.name, _ANY_READABLE):
                    if name in tag:
                        if self.name != "meta" or "content" in tag:
                            known |= HINT_ATTRIBUTE
                        break
            self._hints = known
        return known & (HINT_TRANSLATE | HINT_ATTRIBUTE)

    def hints(self, text: str, bit: int) -> bool:
        """May the start tag carry the attribute(s) of HINT_* ``bit``?  Cached; the id
        test is made only when asked (only elements that hold segments are)."""
        self.hint_bits(text)
        known = self._hints
        if bit == HINT_ID and known & _ID_UNKNOWN:
            lo, hi = self.start + 1 + len(self.name), self.tag_end - 1
            found = "id" in text[lo:hi].lower() and _ID.search(text, lo, hi) is not None
            known = (known & ~_ID_UNKNOWN) | (HINT_ID if found else 0)
            self._hints = known
        return bool(known & bit)

    @property
    def content_end(self) -> int:
        return self.close_start if self.close_start is not None else self.end

    def attrs(self, text: str) -> list[Attr]:
        if self._attrs is None:
            self._attrs = parse_attrs(text, self.start + 1 + len(self.name), self.tag_end)
        return self._attrs

    def attr(self, text: str, name: str) -> Attr | None:
        for a in self.attrs(text):
            if a.name == name:
                return a
        return None

    def value(self, text: str, name: str) -> str | None:
        a = self.attr(text, name)
        return None if a is None else text[a.value_start : a.value_end]


def parse_attrs(text: str, start: int, end: int) -> list[Attr]:
    found: list[Attr] = []
    seen: set[str] = set()
    for m in _ATTR.finditer(text, start, end):
        name = m[1].lower()
        if name in seen:  # browsers keep the first of duplicate attributes
            continue
        seen.add(name)
        group = m.lastindex  # 1: no value; 2, 3, 4: the value's quoting (see _ATTR)
        if group == 1:
            found.append(Attr(name, m.start(), m.end(), m.end(), "-"))
        else:
            assert group is not None
            found.append(Attr(name, m.start(), m.start(group), m.end(group), _QUOTES[group]))
    return found

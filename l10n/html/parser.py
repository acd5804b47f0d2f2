"""A forgiving HTML tokenizer and tree builder that remembers where everything came from.

lxml and html5lib build a clean tree but forget the source: attribute quoting,
entities, whitespace inside tags, stray end tags.  Publishing must give back the page
byte for byte except for the words, so this parser keeps a ``[start, end)`` offset for
every tag, text run and comment, and builds just enough of the HTML tree (implied end
tags, void and raw-text elements, foreign content) to know which text belongs together.
"""

from __future__ import annotations

import re
from functools import lru_cache

from l10n.html import rules

_ATTRS_BODY = (
    r"""(?:[\t\n\f\r /]*[^\t\n\f\r />][^\t\n\f\r /=>]*"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*"|'[^']*'|[^\t\n\f\r >]*))?)*[\t\n\f\r /]*"""
)
# Every "<" that starts markup, per the HTML tokenizer; any other "<" is text.  Groups:
# 1 start-tag name (the match then runs over its attribute list, up to the ">"),
# 2 "/" of an end tag, 3 its name (absent in "</>" and "</ x>"), 4 "!" or "?".  The
# attribute list: names stop at space, "/", ">" or "="; values are double-quoted,
# single-quoted or unquoted.
_TOKEN = re.compile(
    r"<(?:([A-Za-z][^\t\n\f\r />]*)" + _ATTRS_BODY + r"|(/)([A-Za-z][^\t\n\f\r />]*)?|([!?]))"
)
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
_FOREIGN_TOKEN = re.compile(r"<!--|<!\[CDATA\[|<(/?)(svg|math)(?=[\t\n\f\r />])", re.IGNORECASE)
# Start tags that may close open elements, and those whose content is not parsed as
# ordinary markup (or that publish needs to find again).
_IMPLIES_CLOSE = rules.CLOSES_P | rules.IMPLIED_CLOSE.keys()
_NOT_PUSHED = rules.VOID | rules.FOREIGN | rules.RAW_TEXT | {"plaintext"}
_SPECIAL = _NOT_PUSHED | {"html", "meta"}
# Elements that stay inside a sentence: closing any other tells the parent.
_IN_SENTENCE = rules.INLINE | rules.INLINE_OPAQUE | rules.INLINE_VOID


@lru_cache(maxsize=64)
def _raw_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE)


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


class Tree:
    """The parse result: a synthetic root element plus what publish needs to know."""

    def __init__(self, root: Element, html: Element | None, metas: list[Element]) -> None:
        self.root = root
        self.html = html  # the <html> element, whose start tag gets lang/dir
        self.metas = metas  # <meta> elements in document order (charset declarations)


def parse(text: str) -> Tree:
    # One regex search per token keeps the scanning in C; the loop only builds the tree.
    # ``top``/``kids`` mirror ``stack[-1]`` and its children to spare attribute lookups.
    n = len(text)
    root = Element("#root", 0, 0, None)
    stack: list[Element] = [root]
    top = root
    kids = root.children
    html: Element | None = None
    metas: list[Element] = []
    find = text.find
    search = _TOKEN.search
    pos = 0
    while True:
        m = search(text, pos)
        if m is None:
            break
        lt = m.start()
        if lt > pos:
            kids.append(Node("text", pos, lt))
        name, slash, end_name = m.group(1, 2, 3)
        if name is not None:
            attrs_end = m.end()
            if attrs_end >= n:  # unterminated tag at end of file: browsers drop it
                kids.append(Node("stray", lt, n))
                pos = n
                break
            tag_end = attrs_end + 1
            name = name.lower()
            if name in _IMPLIES_CLOSE:
                _imply_closes(name, stack, lt)
                top = stack[-1]
                kids = top.children
            el = Element(name, lt, tag_end, top)
            pos = tag_end
            if name in _SPECIAL:
                if name == "html":
                    if html is not None:  # a second <html> tag only adds attributes
                        kids.append(Node("stray", lt, tag_end))
                        continue
                    html = el
                elif name == "meta":
                    metas.append(el)
                kids.append(el)
                if name in _NOT_PUSHED:
                    if name not in rules.VOID:
                        pos = _special_content(text, el, attrs_end)
                    continue
            else:
                kids.append(el)
            stack.append(el)
            top = el
            kids = el.children
            continue
        if slash is not None:
            gt = find(">", lt + 2)
            end = n if gt < 0 else gt + 1
            pos = end
            if end_name is None:
                # "</>" is dropped, "</ x>" is a bogus comment; neither is text.
                kids.append(Node("stray", lt, end))
                continue
            end_name = end_name.lower()
            if top.name == end_name:  # the usual case: closes the innermost element
                el = top
                stack.pop()
            else:
                index = _open_index(stack, end_name)
                if index is None:
                    kids.append(Node("stray", lt, end))
                    continue
                el = stack[index]
                _close_to(stack, index + 1, lt)
                del stack[index:]
            el.close_start, el.close_end, el.end = lt, end, end
            top = stack[-1]
            if el.block_inside or el.name not in _IN_SENTENCE:
                top.block_inside = True
            kids = top.children
            continue
        pos = _markup_declaration(text, lt, kids)
    if pos < n:
        kids.append(Node("text", pos, n))
    _close_to(stack, 1, n)
    root.end = n
    return Tree(root, html, metas)


def _special_content(text: str, el: Element, attrs_end: int) -> int:
    """Consume what follows the start tag of a foreign, raw-text or ``plaintext``
    element (never pushed on the open-element stack); return where parsing resumes."""
    name = el.name
    n = len(text)
    tag_end = el.tag_end
    if name in rules.FOREIGN:
        if text[attrs_end - 1] == "/":
            return tag_end
        el.end = _skip_foreign(text, tag_end, name, el)
        _bubble(el)
        return el.end
    if name in rules.RAW_TEXT:
        close = _raw_end(name).search(text, tag_end)
        if close is None:
            el.end = n
            if name != "title":
                el.children.append(Node("text", tag_end, n))
            _bubble(el)
            return n
        gt = text.find(">", close.end())
        gt = n if gt < 0 else gt + 1
        if close.start() > tag_end:
            el.children.append(Node("text", tag_end, close.start()))
        el.close_start, el.close_end, el.end = close.start(), gt, gt
        _bubble(el)
        return gt
    # <plaintext>: the rest of the file is its text.
    el.children.append(Node("text", tag_end, n))
    el.end = n
    return n


def _markup_declaration(text: str, lt: int, kids: list[Element | Node]) -> int:
    """A comment, CDATA section, doctype or processing instruction at ``lt``."""
    n = len(text)
    if text.startswith("<!--", lt):
        close_at = text.find("-->", lt + 4)
        if text.startswith("<!-->", lt) or text.startswith("<!--->", lt):
            end = text.find(">", lt + 2) + 1
        elif close_at < 0:
            end = n
        else:
            end = close_at + 3
        kids.append(Node("comment", lt, end))
        return end
    if text.startswith("<![CDATA[", lt):
        close_at = text.find("]]>", lt + 9)
        end = n if close_at < 0 else close_at + 3
        kids.append(Node("cdata", lt, end))
        return end
    gt = text.find(">", lt + 2)
    end = n if gt < 0 else gt + 1
    kids.append(Node("doctype" if text[lt + 1] == "!" else "comment", lt, end))
    return end


def _close_to(stack: list[Element], index: int, at: int) -> None:
    # Elements above ``index`` end where the closing happened, without an end tag.
    while len(stack) > index:
        el = stack.pop()
        el.end = at
        _bubble(el)


def _open_index(stack: list[Element], name: str) -> int | None:
    boundary = rules.P_SCOPE_BOUNDARY if name == "p" else ()
    for i in range(len(stack) - 1, 0, -1):
        el_name = stack[i].name
        if el_name == name:
            return i
        if el_name in boundary:
            return None
    return None


def _imply_closes(name: str, stack: list[Element], at: int) -> None:
    if name in rules.CLOSES_P:
        for i in range(len(stack) - 1, 0, -1):
            el_name = stack[i].name
            if el_name == "p":
                _close_to(stack, i, at)
                break
            if el_name in rules.P_SCOPE_BOUNDARY or el_name not in rules.INLINE:
                break
        if name in rules.HEADINGS and stack[-1].name in rules.HEADINGS:
            _close_to(stack, len(stack) - 1, at)
    implied = rules.IMPLIED_CLOSE.get(name)
    if implied is not None:
        # Close down to the outermost closable element before the boundary: a <tr>
        # closes the open <td> and the <tr> around it.
        closes, boundary = implied
        target = None
        for i in range(len(stack) - 1, 0, -1):
            el_name = stack[i].name
            if el_name in closes:
                target = i
            elif el_name in boundary or target is not None:
                break
        if target is not None:
            _close_to(stack, target, at)


def _bubble(el: Element) -> None:
    """Tell the parent it now holds something that breaks a sentence."""
    parent = el.parent
    if parent is not None and (el.block_inside or el.name not in _IN_SENTENCE):
        parent.block_inside = True


def _skip_foreign(text: str, pos: int, name: str, el: Element) -> int:
    """Find the end of an <svg>/<math> subtree, honouring nesting, comments and CDATA."""
    depth = 1
    n = len(text)
    while True:
        m = _FOREIGN_TOKEN.search(text, pos)
        if m is None:
            return n
        token = m.group()
        if token == "<!--":
            close = text.find("-->", m.end())
            pos = n if close < 0 else close + 3
            continue
        if token == "<![CDATA[":
            close = text.find("]]>", m.end())
            pos = n if close < 0 else close + 3
            continue
        gt = text.find(">", m.end())
        if gt < 0:
            return n
        if m.group(2).lower() != name:
            pos = gt + 1
            continue
        if m.group(1):
            depth -= 1
            if depth == 0:
                el.close_start, el.close_end = m.start(), gt + 1
                return gt + 1
        elif text[gt - 1] != "/":
            depth += 1
        pos = gt + 1

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

_NAME = re.compile(r"[^\t\n\f\r />]*")
# The attribute list of a start tag, per the HTML tokenizer: names stop at space, "/",
# ">" or "="; values are double-quoted, single-quoted or unquoted.
_ATTRS = re.compile(
    r"""(?:[\t\n\f\r /]*[^\t\n\f\r />][^\t\n\f\r /=>]*"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*"|'[^']*'|[^\t\n\f\r >]*))?)*[\t\n\f\r /]*"""
)
_ATTR = re.compile(
    r"""([^\t\n\f\r />][^\t\n\f\r /=>]*)"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?"""
)
# What a start tag may carry that segmentation cares about, found in one pass.
_HINT_TRANSLATE = re.compile(r"[Tt][Rr][Aa][Nn][Ss][Ll][Aa][Tt][Ee]")
_HINT_ATTRIBUTE = re.compile(r"title|label|alt|placeholder|value|content", re.IGNORECASE)
_HINT_ID = re.compile(r"[\t\n\f\r \"'/][Ii][Dd][\t\n\f\r ]*=")
HINT_TRANSLATE, HINT_ATTRIBUTE, HINT_ID = 1, 2, 4
_HINT_PATTERNS = {
    HINT_TRANSLATE: _HINT_TRANSLATE,
    HINT_ATTRIBUTE: _HINT_ATTRIBUTE,
    HINT_ID: _HINT_ID,
}
_UNKNOWN = (HINT_TRANSLATE | HINT_ATTRIBUTE | HINT_ID) << 3  # "not computed" bits
_END_NAME = re.compile(r"[A-Za-z][^\t\n\f\r />]*")
_FOREIGN_TOKEN = re.compile(r"<!--|<!\[CDATA\[|<(/?)(svg|math)(?=[\t\n\f\r />])", re.IGNORECASE)


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
        "block_inside",
        "children",
        "close_end",
        "close_start",
        "end",
        "name",
        "nth",
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
        self.nth = 1  # position among same-name siblings, for stable locations
        self.block_inside = False  # has a descendant that breaks a sentence
        self._attrs: list[Attr] | None = None
        self._hints = -1
        self.words: bool | None = None  # segmenter's cache: holds words to translate

    def hints(self, text: str, bit: int) -> bool:
        """May the start tag carry the attribute(s) of HINT_* ``bit``?  Cached per bit,
        computed only when asked: most tags are never asked about ids or translate."""
        known = self._hints
        if known < 0:
            known = 0 if self.tag_end - self.start <= len(self.name) + 2 else _UNKNOWN
        if known & (bit << 3):  # not computed yet
            lo, hi = self.start + 1 + len(self.name), self.tag_end - 1
            found = _HINT_PATTERNS[bit].search(text, lo, hi) is not None
            known = (known & ~(bit << 3)) | (bit if found else 0)
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
        name = m.group(1).lower()
        if name in seen:  # browsers keep the first of duplicate attributes
            continue
        seen.add(name)
        for group, quote in ((2, '"'), (3, "'"), (4, "")):
            if m.group(group) is not None:
                found.append(Attr(name, m.start(), m.start(group), m.end(group), quote))
                break
        else:
            found.append(Attr(name, m.start(), m.end(), m.end(), "-"))
    return found


class Tree:
    """The parse result: a synthetic root element plus what publish needs to know."""

    def __init__(self, root: Element, html: Element | None, metas: list[Element]) -> None:
        self.root = root
        self.html = html  # the <html> element, whose start tag gets lang/dir
        self.metas = metas  # <meta> elements in document order (charset declarations)


def parse(text: str) -> Tree:
    n = len(text)
    root = Element("#root", 0, 0, None)
    stack: list[Element] = [root]
    counts: list[dict[str, int]] = [{}]
    html: Element | None = None
    metas: list[Element] = []
    find = text.find
    text_start = -1
    pos = 0

    def close_to(index: int, at: int) -> None:
        # Elements above ``index`` end where the closing happened, without an end tag.
        while len(stack) > index:
            el = stack.pop()
            counts.pop()
            el.end = at
            _bubble(el)

    def add(node: Element | Node) -> None:
        parent = stack[-1]
        parent.children.append(node)

    def flush_text(upto: int) -> None:
        nonlocal text_start
        if text_start >= 0 and upto > text_start:
            add(Node("text", text_start, upto))
        text_start = -1

    while pos < n:
        lt = find("<", pos)
        if lt < 0:
            if text_start < 0:
                text_start = pos
            pos = n
            break
        if text_start < 0:
            text_start = pos
        nxt = text[lt + 1 : lt + 2]
        if nxt.isascii() and nxt.isalpha():
            name_end = _NAME.match(text, lt + 1).end()  # type: ignore[union-attr]  # can match empty: never None
            name = text[lt + 1 : name_end].lower()
            attrs_end = _ATTRS.match(text, name_end).end()  # type: ignore[union-attr]  # can match empty: never None
            if attrs_end >= n:  # unterminated tag at end of file: browsers drop it
                flush_text(lt)
                add(Node("stray", lt, n))
                pos = n
                break
            tag_end = attrs_end + 1
            flush_text(lt)
            _imply_closes(name, stack, close_to, lt)
            parent = stack[-1]
            el = Element(name, lt, tag_end, parent)
            sibling_counts = counts[-1]
            el.nth = sibling_counts[name] = sibling_counts.get(name, 0) + 1
            if name == "html":
                if html is not None:  # a second <html> tag only adds attributes
                    add(Node("stray", lt, tag_end))
                    pos = tag_end
                    continue
                html = el
            elif name == "meta":
                metas.append(el)
            parent.children.append(el)
            pos = tag_end
            if name in rules.VOID:
                continue
            if name in rules.FOREIGN:
                if text[attrs_end - 1] == "/":
                    continue
                pos = el.end = _skip_foreign(text, tag_end, name, el)
                _bubble(el)
                continue
            if name in rules.RAW_TEXT:
                close = _raw_end(name).search(text, tag_end)
                if close is None:
                    el.end = n
                    if name != "title":
                        el.children.append(Node("text", tag_end, n))
                    pos = n
                    _bubble(el)
                    continue
                gt = find(">", close.end())
                gt = n if gt < 0 else gt + 1
                if close.start() > tag_end:
                    el.children.append(Node("text", tag_end, close.start()))
                el.close_start, el.close_end, el.end = close.start(), gt, gt
                _bubble(el)
                pos = gt
                continue
            if name == "plaintext":
                el.children.append(Node("text", tag_end, n))
                el.end = n
                pos = n
                continue
            stack.append(el)
            counts.append({})
            continue
        if nxt == "/":
            m = _END_NAME.match(text, lt + 2)
            gt = find(">", lt + 2)
            end = n if gt < 0 else gt + 1
            flush_text(lt)
            if m is None:
                # "</>" is dropped, "</ x>" is a bogus comment; neither is text.
                add(Node("stray", lt, end))
                pos = end
                continue
            name = m.group().lower()
            index = _open_index(stack, name)
            if index is None:
                add(Node("stray", lt, end))
            else:
                el = stack[index]
                close_to(index + 1, lt)
                stack.pop()
                counts.pop()
                el.close_start, el.close_end, el.end = lt, end, end
                _bubble(el)
            pos = end
            continue
        if nxt == "!":
            flush_text(lt)
            if text.startswith("<!--", lt):
                close_at = find("-->", lt + 4)
                if text.startswith("<!-->", lt) or text.startswith("<!--->", lt):
                    end = find(">", lt + 2) + 1
                elif close_at < 0:
                    end = n
                else:
                    end = close_at + 3
                add(Node("comment", lt, end))
            elif text.startswith("<![CDATA[", lt):
                close_at = find("]]>", lt + 9)
                end = n if close_at < 0 else close_at + 3
                add(Node("cdata", lt, end))
            else:
                gt = find(">", lt + 2)
                end = n if gt < 0 else gt + 1
                add(Node("doctype", lt, end))
            pos = end
            continue
        if nxt == "?":
            flush_text(lt)
            gt = find(">", lt + 2)
            end = n if gt < 0 else gt + 1
            add(Node("comment", lt, end))
            pos = end
            continue
        pos = lt + 1  # a lone "<" is text
    flush_text(n)
    close_to(1, n)
    root.end = n
    return Tree(root, html, metas)


def _open_index(stack: list[Element], name: str) -> int | None:
    boundary = rules.P_SCOPE_BOUNDARY if name == "p" else ()
    for i in range(len(stack) - 1, 0, -1):
        el_name = stack[i].name
        if el_name == name:
            return i
        if el_name in boundary:
            return None
    return None


def _imply_closes(name: str, stack: list[Element], close_to: object, at: int) -> None:
    closer = close_to  # typed loosely above to keep the hot loop free of wrappers
    assert callable(closer)
    if name in rules.CLOSES_P:
        for i in range(len(stack) - 1, 0, -1):
            el_name = stack[i].name
            if el_name == "p":
                closer(i, at)
                break
            if el_name in rules.P_SCOPE_BOUNDARY or el_name not in rules.INLINE:
                break
        if name in rules.HEADINGS and stack[-1].name in rules.HEADINGS:
            closer(len(stack) - 1, at)
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
            closer(target, at)


def _bubble(el: Element) -> None:
    """Tell the parent it now holds something that breaks a sentence."""
    parent = el.parent
    if parent is not None and (el.block_inside or _breaks_sentence(el.name)):
        parent.block_inside = True


def _breaks_sentence(name: str) -> bool:
    return not (name in rules.INLINE or name in rules.INLINE_OPAQUE or name in rules.INLINE_VOID)


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

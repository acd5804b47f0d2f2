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
from l10n.html.nodes import (
    HINT_ATTRIBUTE,
    HINT_ID,
    HINT_TRANSLATE,
    Attr,
    Element,
    Node,
    parse_attrs,
)

__all__ = [
    "HINT_ATTRIBUTE",
    "HINT_ID",
    "HINT_TRANSLATE",
    "Attr",
    "Element",
    "Node",
    "Tree",
    "parse",
    "parse_attrs",
]

_ATTRS_BODY = (
    r"""(?:[\t\n\f\r /]*[^\t\n\f\r />][^\t\n\f\r /=>]*"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*"|'[^']*'|[^\t\n\f\r >]*))?)*[\t\n\f\r /]*"""
)
# Every "<" that starts markup, per the HTML tokenizer; any other "<" is text.  Groups
# (``lastindex`` tells which matched): 1 start-tag name (the match then runs over its
# attribute list, up to the ">"); 2 "/" of an end tag, 3 its name (absent in "</>" and
# "</ x>"), the match then running to the first ">" (or the end of the text); 4 "!"
# or "?".  The attribute list: names stop at space, "/", ">" or "="; values are
# double-quoted, single-quoted or unquoted.
_TOKEN = re.compile(
    r"<(?:([A-Za-z][^\t\n\f\r />]*)"
    + _ATTRS_BODY
    + r"|(/)([A-Za-z][^\t\n\f\r />]*)?[^>]*>?|([!?]))"
)
_FOREIGN_TOKEN = re.compile(r"<!--|<!\[CDATA\[|<(/?)(svg|math)(?=[\t\n\f\r />])", re.IGNORECASE)
# Start tags that may close open elements, and those whose content is not parsed as
# ordinary markup (or that publish needs to find again).
_IMPLIES_CLOSE = rules.CLOSES_P | rules.IMPLIED_CLOSE.keys()
_IMPLIED = rules.IMPLIED_CLOSE.keys()
# A start tag in CLOSES_P changes nothing unless the innermost open element is one of
# these (see _imply_closes): most <div>s need no look up the stack.
_MAY_CLOSE = (rules.INLINE - rules.P_SCOPE_BOUNDARY) | rules.HEADINGS | {"p"}
_NOT_PUSHED = rules.VOID | rules.FOREIGN | rules.RAW_TEXT | {"plaintext"}
_SPECIAL = _NOT_PUSHED | {"html", "meta"}
# Elements that stay inside a sentence: closing any other tells the parent.
_IN_SENTENCE = rules.INLINE | rules.INLINE_OPAQUE | rules.INLINE_VOID


@lru_cache(maxsize=64)
def _raw_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE)


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
    search = _TOKEN.search
    pos = 0
    while True:
        m = search(text, pos)
        if m is None:
            break
        lt = m.start()
        if lt > pos:
            kids.append(Node("text", pos, lt))
        kind = m.lastindex
        if kind == 1:
            name = m[1]
            attrs_end = m.end()
            if attrs_end >= n:  # unterminated tag at end of file: browsers drop it
                kids.append(Node("stray", lt, n))
                pos = n
                break
            tag_end = attrs_end + 1
            name = name.lower()
            if name in _IMPLIES_CLOSE and (name in _IMPLIED or top.name in _MAY_CLOSE):
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
        if kind != 4:
            end = pos = m.end()
            end_name = m[3]
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

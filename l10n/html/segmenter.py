"""Turn a parsed page into segments: what a translator translates, in document order.

A *run* is the text and inline markup between two block boundaries (see ``rules``).
Each run with letters becomes one segment (or one per sentence in sentence mode);
inline elements inside it become numbered placeholders.  Readable attributes and the
page metadata become segments of their own.

Pages nest deeper than Python's recursion limit (thousands of ``div``s are real), so
the tree is walked with explicit stacks: a recursive step is written as a generator
that yields the step for a child, and ``_run`` drives them depth-first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from l10n.html import rules
from l10n.html.attributes import attribute_segments, title_segment
from l10n.html.model import Segment, SegmentKind, Span
from l10n.html.msgid import (
    TAGS,
    Item,
    MessageBuilder,
    message_has_words,
    raw_has_words,
)
from l10n.html.parser import (
    HINT_ATTRIBUTE,
    HINT_ID,
    HINT_TRANSLATE,
    Element,
    Node,
    Tree,
)
from l10n.html.sentences import split_sentences

_NOT_SPACE = re.compile(r"[^\t\n\f\r ]")
_IDENT = re.compile(r"[\w\-.:]+")
_KEPT_PATH = 1000  # longer locations of ancestors are not kept (see ``_location``)
_HTML_SPACE = "\t\n\f\r "

# How an element sits in a run (see ``_role``).
VOID, OPAQUE, INLINE, BLOCK = "void", "opaque", "inline", "block"
_INLINE_VOID, _INLINE_OPAQUE, _INLINE = rules.INLINE_VOID, rules.INLINE_OPAQUE, rules.INLINE
_SKIPPED = rules.SKIPPED
_PRE = frozenset({"pre", "listing", "plaintext"})  # whitespace is content inside these


# A step of a tree walk: it yields the steps of its children, each run to completion
# before it resumes (what a recursive call would do, without the Python stack).
_Step = Iterator["_Step"]


def _run(step: _Step) -> None:
    stack = [step]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        else:
            stack.append(child)


def _role(el: Element, translate: bool) -> str:
    name = el.name
    if name in _INLINE_VOID:
        return VOID
    if name in _INLINE_OPAQUE:
        return OPAQUE if not el.block_inside or name in _SKIPPED else BLOCK
    if name in _INLINE and not el.block_inside:
        return INLINE if translate else OPAQUE
    return BLOCK


class Segmenter:
    def __init__(self, text: str, tree: Tree, *, sentences: bool = False) -> None:
        self.text = text
        self.tree = tree
        self.sentences = sentences
        self.segments: list[Segment] = []
        self._locations: dict[int, str] = {}

    def run(self) -> list[Segment]:
        _run(self._walk(self.tree.root, pre=False))
        self.segments.sort(key=lambda s: (s.span.start, s.kind is SegmentKind.TEXT))
        return self.segments

    # --- tree walk -----------------------------------------------------------------

    def _translate_flag(self, el: Element, inherited: bool) -> bool:
        text = self.text
        if not el.hint_bits(text) & HINT_TRANSLATE:
            return inherited
        value = (el.value(text, "translate") or "").strip().lower()
        if value == "no":
            return False
        if value == "yes":
            return True
        classes = (el.value(text, "class") or "").split()
        return inherited and "notranslate" not in classes

    def _walk(self, el: Element, *, pre: bool) -> _Step:
        """Segments of a translated block: its runs, and what its children hold.
        ``pre``: whitespace is content (``el`` is or is inside a ``pre``)."""
        # The hottest loop of segmentation: _role and _translate_flag are inlined for
        # the common cases, and text nodes are told apart by exact type.
        text = self.text
        not_space = _NOT_SPACE.search
        run: list[Item] = []
        runs: list[list[Item]] = []
        content = False  # does the run hold anything a reader sees as words?
        blocks = False  # does the element hold blocks besides its runs?
        for child in el.children:
            if type(child) is Node:
                run.append(child)
                if not content and child.kind == "text":
                    content = not_space(text, child.start, child.end) is not None
                continue
            assert isinstance(child, Element)
            bits = child.hint_bits(text)
            translate = self._translate_flag(child, True) if bits & HINT_TRANSLATE else True
            name = child.name
            if name in _INLINE_VOID:
                role = VOID
            elif name in _INLINE_OPAQUE:
                role = BLOCK if child.block_inside and name not in _SKIPPED else OPAQUE
            elif name in _INLINE and not child.block_inside:
                role = INLINE if translate else OPAQUE
            else:
                role = BLOCK
            if role != BLOCK:
                run.append(child)
                if role == INLINE:
                    content = True
                if translate:
                    self._attributes_within(child, bits)
                continue
            if content:
                runs.append(run)
            run = []
            content = False
            blocks = True
            if translate:
                if bits & HINT_ATTRIBUTE:
                    self.segments.extend(attribute_segments(self.text, child, self._location))
                if name == "title":
                    self.segments.extend(title_segment(self.text, child))
                elif name not in _SKIPPED:
                    yield self._walk(child, pre=pre or name in _PRE)
            elif name not in _SKIPPED:
                # translate="yes" may switch translation back on below.
                yield self._walk_untranslated(child, pre=pre or name in _PRE)
        if content:
            runs.append(run)
        if not runs:
            return
        if not self.sentences:
            # ``lang`` on the element is only right when this text is all it holds.
            owns = len(runs) == 1 and not blocks
            for index, r in enumerate(runs, 1):
                self._emit_run(el, r, owns=owns, index=index, pre=pre)
            return
        index = 0
        for r in runs:
            parts = list(split_sentences(self.text, r))
            owns = len(runs) == 1 and not blocks and len(parts) == 1
            for part in parts:
                index += 1
                self._emit_run(el, part, owns=owns, index=index, pre=pre)

    def _walk_untranslated(self, el: Element, *, pre: bool) -> _Step:
        for child in el.children:
            if type(child) is not Node and child.name not in _SKIPPED:  # type: ignore[union-attr]
                assert isinstance(child, Element)
                inner = pre or child.name in _PRE
                if self._translate_flag(child, False):
                    self.segments.extend(attribute_segments(self.text, child, self._location))
                    yield self._walk(child, pre=inner)
                else:
                    yield self._walk_untranslated(child, pre=inner)

    def _attributes_within(self, el: Element, bits: int) -> None:
        """Attributes of an inline element (whose ``hint_bits`` are ``bits``) and of its
        inline descendants."""
        text = self.text
        stack = [(el, bits)]  # in document order when popped
        while stack:
            el, bits = stack.pop()
            if el.name in _SKIPPED:
                continue
            if bits & HINT_ATTRIBUTE:
                self.segments.extend(attribute_segments(self.text, el, self._location))
            for child in reversed(el.children):
                if type(child) is not Node:
                    assert isinstance(child, Element)
                    bits = child.hint_bits(text)
                    if not bits & HINT_TRANSLATE or self._translate_flag(child, True):
                        stack.append((child, bits))

    def _location(self, el: Element) -> str:
        """``#id/div[2]/p``: a path from the nearest ancestor with an id, so it does not
        change when lines move or when unrelated parts of the page change."""
        locations = self._locations
        known = locations.get(id(el))
        if known is not None:
            return known
        text = self.text
        chain: list[tuple[Element, str]] = []  # (element, its step), from ``el`` up
        node = el
        path = ""
        while node.parent is not None:
            ident = node.value(text, "id") if node.hints(text, HINT_ID) else None
            if ident and _IDENT.fullmatch(ident):
                path = f"#{ident}"
                locations[id(node)] = path
                break
            nth = node.nth
            chain.append((node, node.name if nth == 1 else f"{node.name}[{nth}]"))
            node = node.parent
            known = locations.get(id(node))
            if known is not None:
                path = known
                break
        chain.reverse()
        # Ancestors' paths are kept for the siblings that ask next, but only short ones:
        # on a page thousands of levels deep, one per level would grow with the square
        # of the depth.
        down = 0
        while down < len(chain) and len(path) < _KEPT_PATH:
            node, step = chain[down]
            path = f"{path}/{step}" if path else step
            locations[id(node)] = path
            down += 1
        if down < len(chain):  # ``path`` is long, hence not empty
            path = "/".join([path, *(step for _, step in chain[down:])])
        locations[id(el)] = path
        return path

    # --- runs ------------------------------------------------------------------------

    def _keeps(self, el: Element) -> bool:
        """Is this inline element a paired placeholder (as opposed to a lone one)?"""
        words = el.words
        if words is not None:
            return words
        # It is if it holds words, in its text or in an inline child that is one: found
        # depth first with a stack of (element, its children still to look at).
        text = self.text
        stack = [(el, self._inline_children(el))]
        while stack:
            node, children = stack[-1]
            found: bool | None = False
            for c in children:
                if type(c) is Node:
                    if c.kind == "text" and raw_has_words(text[c.start : c.end]):
                        found = True
                        break
                    continue
                assert isinstance(c, Element)
                known = c.words
                if known is None:  # look at the child first
                    stack.append((c, self._inline_children(c)))
                    found = None
                    break
                if known:
                    found = True
                    break
            if found is None:
                continue
            if found:  # and so does every element waiting on the stack
                for waiting, _ in stack:
                    waiting.words = True
                break
            node.words = False
            stack.pop()
        return bool(el.words)

    def _inline_children(self, el: Element) -> Iterator[Item]:
        """The children that may give ``el`` words (none unless it is inline markup)."""
        if _role(el, self._translate_flag(el, True)) == INLINE:
            return iter(el.children)
        return iter(())

    def _trimmable(self, el: Element) -> bool:
        """May this element be left out at the edge of a segment?  Inline markup with
        words stays, and so does a word-bearing ``translate="no"`` or ``code`` piece, since
        the sentence is not whole without it; images, breaks and scripts go."""
        if self._keeps(el):
            return False
        name = el.name
        if name in _INLINE_VOID or name in rules.NOT_WORDING:
            return True
        return not raw_has_words(TAGS.sub(" ", self.text[el.tag_end : el.content_end]))

    def _trim(self, items: list[Item]) -> tuple[list[Item], int, int] | None:
        """Drop leading/trailing blanks and lone placeholders; return items and span."""
        text = self.text
        lo, hi = 0, len(items)
        start = end = -1
        while lo < hi:
            item = items[lo]
            if type(item) is Node:
                if item.kind == "text":
                    m = _NOT_SPACE.search(text, item.start, item.end)
                    if m is not None:
                        start = m.start()
                        break
            elif not self._trimmable(item):  # type: ignore[arg-type]  # an Element
                start = item.start
                break
            lo += 1
        while hi > lo:
            item = items[hi - 1]
            if type(item) is Node:
                if item.kind == "text":
                    kept = len(text[item.start : item.end].rstrip(_HTML_SPACE))
                    if kept:
                        end = item.start + kept
                        break
            elif not self._trimmable(item):  # type: ignore[arg-type]  # an Element
                end = item.end
                break
            hi -= 1
        if lo >= hi:
            return None
        return items[lo:hi], start, end

    def _emit_run(
        self, owner: Element, items: list[Item], *, owns: bool, index: int, pre: bool
    ) -> None:
        trimmed = self._trim(items)
        context = owner.name
        target = owner  # where ``lang`` goes if the segment stays untranslated
        while trimmed is not None:
            inner, start, end = trimmed
            only = inner[0]
            if len(inner) == 1 and type(only) is Element and self._keeps(only):
                # A run that is one inline element: translate its content, keep its tags.
                # If the block holds more than this run, that element (which holds exactly
                # this text) carries ``lang`` instead of a new <span>.
                context = f"{context}/{only.name}"
                if not owns:
                    target, owns = only, True
                trimmed = self._trim(only.children)
                continue
            break
        if trimmed is None:
            return
        inner, start, end = trimmed
        builder = MessageBuilder(self.text, self._keeps, start, end, preserve=pre)
        builder.add_items(inner)
        msgid = builder.message()
        if not message_has_words(msgid):
            return
        location = self._location(owner) or "(document)"
        if index > 1:
            location += f"/text[{index}]"
        self.segments.append(
            Segment(
                msgid=msgid,
                kind=SegmentKind.TEXT,
                context=context,
                location=location,
                span=Span(start=start, end=end),
                placeholders=tuple(builder.placeholders),
                element=Span(start=target.start, end=target.tag_end) if target.parent else None,
                element_name=target.name,
                owns_element=owns,
                preserve_whitespace=pre,
            )
        )

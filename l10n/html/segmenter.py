"""Turn a parsed page into segments: what a translator translates, in document order.

A *run* is the text and inline markup between two block boundaries (see ``rules``).
Each run with letters becomes one segment (or one per sentence in sentence mode);
inline elements inside it become numbered placeholders.  Readable attributes and the
page metadata become segments of their own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from l10n.html import rules
from l10n.html.model import Placeholder, Segment, SegmentKind, Span
from l10n.html.parser import HINT_ATTRIBUTE, HINT_ID, HINT_TRANSLATE, Element, Node, Tree

_SPACE = re.compile(r"[\t\n\f\r ]+")
_NOT_SPACE = re.compile(r"[^\t\n\f\r ]")
_LETTER = re.compile(r"[^\W\d_]")
_URLISH = re.compile(
    r"(?:[a-z][a-z0-9+.-]*:[^\s]*|www\.[^\s]+|[^\s@]+@[^\s@]+\.[a-z]{2,}|[\w.-]+\.(?:com|org|net|html?|php|jpe?g|png|gif|pdf)(?:/[^\s]*)?)",
    re.IGNORECASE,
)
_IDENT = re.compile(r"[\w\-.:]+")
_SURROGATES = re.compile("[\ud800-\udfff]")
_HTML_SPACE = "\t\n\f\r "

# Sentence ends: terminal punctuation, optional closing quotes/brackets, whitespace,
# then something that starts a sentence.  CJK full stops need no space after them.
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])[\"'”’»)\]]*([\t\n\f\r ]+)"
    r"(?=[\"'“‘«(\[¿¡]*[A-Z0-9\u00C0-\u00DE\u0391-\u03A9\u0410-\u042F])"
    r"|(?<=[。！？])()(?=[^\s。！？」』”）])"
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc e.g i.e u.s u.k u.n inc co corp ltd no gen sen rep "
    "gov lt col capt sgt mt ft jan feb mar apr jun jul aug sep sept oct nov dec fig".split()
)

Item = Element | Node

_TAGS = re.compile(r"<[^>]*>")


def has_letters(text: str) -> bool:
    return _LETTER.search(text) is not None


def _raw_has_words(raw: str) -> bool:
    """Does this source text hold words to translate (not just a URL like ``javascript:…``)?"""
    if not has_letters(raw):
        return False
    return is_translatable_text(html.unescape(raw) if "&" in raw else raw)


def is_translatable_text(text: str) -> bool:
    """Letters that are not just a URL or e-mail address."""
    words = text.split()
    return any(has_letters(w) and not _URLISH.fullmatch(w) for w in words)


class Segmenter:
    def __init__(self, text: str, tree: Tree, *, sentences: bool = False) -> None:
        self.text = text
        self.tree = tree
        self.sentences = sentences
        self.segments: list[Segment] = []
        self._locations: dict[int, str] = {}
        # Most pages never say translate="no": skip the per-element test on those.
        self._mentions_translate = re.search("translate", text, re.IGNORECASE) is not None

    def run(self) -> list[Segment]:
        self._walk(self.tree.root, translate=True)
        self.segments.sort(key=lambda s: (s.span.start, s.kind is SegmentKind.TEXT))
        return self.segments

    # --- tree walk -----------------------------------------------------------------

    def _translate_flag(self, el: Element, inherited: bool) -> bool:
        if not self._mentions_translate or not el.hints(self.text, HINT_TRANSLATE):
            return inherited
        value = (el.value(self.text, "translate") or "").strip().lower()
        if value == "no":
            return False
        if value == "yes":
            return True
        classes = (el.value(self.text, "class") or "").split()
        return inherited and "notranslate" not in classes

    def _walk(self, el: Element, *, translate: bool) -> None:
        text = self.text
        run: list[Item] = []
        runs: list[list[Item]] = []
        content = False  # does the run hold anything a reader sees as words?
        blocks = False  # does the element hold blocks besides its runs?
        for child in el.children:
            if isinstance(child, Node):
                run.append(child)
                if not content and child.kind == "text":
                    content = _NOT_SPACE.search(text, child.start, child.end) is not None
                continue
            child_translate = self._translate_flag(child, translate)
            role = self._role(child, child_translate)
            if role != "block":
                run.append(child)
                content = content or role == "inline"
                if child_translate:
                    self._attributes_within(child)
                continue
            if content:
                runs.append(run)
            run = []
            content = False
            blocks = True
            if child_translate:
                self._attributes(child)
                if child.name == "title":
                    self._title(child)
                elif child.name not in rules.SKIPPED:
                    self._walk(child, translate=True)
            elif child.name not in rules.SKIPPED:
                # translate="yes" may switch translation back on below.
                self._walk_untranslated(child)
        if content:
            runs.append(run)
        if not translate:
            return
        index = 0
        for r in runs:
            parts = list(self._split_sentences(r)) if self.sentences else [r]
            # ``lang`` on the element is only right when this text is all it holds.
            owns = len(runs) == 1 and not blocks and len(parts) == 1
            for part in parts:
                index += 1
                self._emit_run(el, part, owns=owns, index=index)

    def _walk_untranslated(self, el: Element) -> None:
        for child in el.children:
            if isinstance(child, Element) and child.name not in rules.SKIPPED:
                if self._translate_flag(child, False):
                    self._attributes(child)
                    self._walk(child, translate=True)
                else:
                    self._walk_untranslated(child)

    def _role(self, el: Element, translate: bool) -> str:
        name = el.name
        if name in rules.INLINE_VOID:
            return "void"
        if name in rules.INLINE_OPAQUE:
            return "opaque" if not el.block_inside or name in rules.SKIPPED else "block"
        if name in rules.INLINE and not el.block_inside:
            return "inline" if translate else "opaque"
        return "block"

    def _attributes_within(self, el: Element) -> None:
        """Attributes of an inline element and its inline descendants."""
        if el.name in rules.SKIPPED:
            return
        self._attributes(el)
        for child in el.children:
            if isinstance(child, Element) and self._translate_flag(child, True):
                self._attributes_within(child)

    def _location(self, el: Element) -> str:
        """``#id/div[2]/p``: a path from the nearest ancestor with an id, so it does not
        change when lines move or when unrelated parts of the page change."""
        known = self._locations.get(id(el))
        if known is not None:
            return known
        text = self.text
        parent = el.parent
        if parent is None:
            path = ""
        else:
            ident = None
            if el.hints(text, HINT_ID):
                ident = el.value(text, "id")
            if ident and _IDENT.fullmatch(ident):
                path = f"#{ident}"
            else:
                step = el.name if el.nth == 1 else f"{el.name}[{el.nth}]"
                above = self._location(parent)
                path = f"{above}/{step}" if above else step
        self._locations[id(el)] = path
        return path

    # --- runs ------------------------------------------------------------------------

    def _keeps(self, el: Element) -> bool:
        """Is this inline element a paired placeholder (as opposed to a lone one)?"""
        words = el.words
        if words is None:
            words = False
            if self._role(el, self._translate_flag(el, True)) == "inline":
                text = self.text
                for c in el.children:
                    if isinstance(c, Node):
                        if c.kind == "text" and _raw_has_words(text[c.start : c.end]):
                            words = True
                            break
                    elif self._keeps(c):
                        words = True
                        break
            el.words = words
        return words

    def _trimmable(self, el: Element) -> bool:
        """May this element be left out at the edge of a segment?  Inline markup with
        words stays, and so does a word-bearing ``translate="no"`` or ``code`` piece, since
        the sentence is not whole without it; images, breaks and scripts go."""
        if self._keeps(el):
            return False
        name = el.name
        if name in rules.INLINE_VOID or name in rules.NOT_WORDING:
            return True
        return not _raw_has_words(_TAGS.sub(" ", self.text[el.tag_end : el.content_end]))

    def _trim(self, items: list[Item]) -> tuple[list[Item], int, int] | None:
        """Drop leading/trailing blanks and lone placeholders; return items and span."""
        text = self.text
        lo, hi = 0, len(items)
        start = end = -1
        while lo < hi:
            item = items[lo]
            if isinstance(item, Node) and item.kind == "text":
                chunk = text[item.start : item.end]
                stripped = len(chunk) - len(chunk.lstrip(_HTML_SPACE))
                if stripped < len(chunk):
                    start = item.start + stripped
                    break
            elif isinstance(item, Element) and not self._trimmable(item):
                start = item.start
                break
            lo += 1
        while hi > lo:
            item = items[hi - 1]
            if isinstance(item, Node) and item.kind == "text":
                chunk = text[item.start : item.end]
                kept = len(chunk.rstrip(_HTML_SPACE))
                if kept:
                    end = item.start + kept
                    break
            elif isinstance(item, Element) and not self._trimmable(item):
                end = item.end
                break
            hi -= 1
        if lo >= hi:
            return None
        return items[lo:hi], start, end

    def _emit_run(self, owner: Element, items: list[Item], *, owns: bool, index: int) -> None:
        trimmed = self._trim(items)
        context = owner.name
        target = owner  # where ``lang`` goes if the segment stays untranslated
        while trimmed is not None:
            inner, start, end = trimmed
            only = inner[0]
            if len(inner) == 1 and isinstance(only, Element) and self._keeps(only):
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
        preserve = _in_pre(owner)
        builder = _MessageBuilder(self.text, self, start, end, preserve=preserve)
        builder.add_items(inner)
        msgid = builder.message()
        if not is_translatable_text(_placeholder_free(msgid)):
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
                preserve_whitespace=preserve,
            )
        )

    def _split_sentences(self, items: list[Item]) -> Iterator[list[Item]]:
        """Split a run at sentence ends found in its top-level text."""
        current: list[Item] = []
        text = self.text
        for item in items:
            if not (isinstance(item, Node) and item.kind == "text"):
                current.append(item)
                continue
            pos = item.start
            for m in _SENTENCE_END.finditer(text, item.start, item.end):
                if _is_abbreviation(text, item.start, m.start()):
                    continue
                gap_start = m.start(1) if m.group(1) is not None else m.start(2)
                gap_end = m.end(1) if m.group(1) is not None else m.end(2)
                current.append(Node("text", pos, gap_start))
                yield current
                current = []
                pos = gap_end
            current.append(Node("text", pos, item.end))
        yield current

    # --- attributes, metadata, title --------------------------------------------------

    def _attributes(self, el: Element) -> None:
        text = self.text
        if not el.hints(text, HINT_ATTRIBUTE):
            return
        name = el.name
        wanted = rules.ATTRIBUTES["*"] | rules.ATTRIBUTES.get(name, frozenset())
        if name == "meta":
            key = (el.value(text, "property") or el.value(text, "name") or "").strip().lower()
            if key in rules.META_KEYS:
                self._attribute(el, "content", context=f"meta {key}", location=f"meta[{key}]")
            return
        if name == "input":
            kind = (el.value(text, "type") or "text").strip().lower()
            if kind in rules.BUTTON_INPUT_TYPES:
                wanted = wanted | {"value"}
            if kind != "image":
                wanted = wanted - {"alt"}
        for attr in el.attrs(text):
            if attr.name in wanted:
                self._attribute(el, attr.name)

    def _attribute(
        self, el: Element, name: str, *, context: str | None = None, location: str | None = None
    ) -> None:
        attr = el.attr(self.text, name)
        if attr is None or attr.quote == "-":
            return
        raw = self.text[attr.value_start : attr.value_end]
        value = _SPACE.sub(" ", _clean(html.unescape(raw))).strip(" ")
        if not is_translatable_text(value):
            return
        self.segments.append(
            Segment(
                msgid=value,
                kind=SegmentKind.ATTRIBUTE,
                context=context or f"{el.name}@{name}",
                location=location or f"{self._location(el)}@{name}",
                span=Span(start=attr.value_start, end=attr.value_end),
                element=Span(start=el.start, end=el.tag_end),
                element_name=el.name,
                quote=attr.quote,
            )
        )

    def _title(self, el: Element) -> None:
        if not el.children:
            return
        node = el.children[0]
        raw = self.text[node.start : node.end]
        lead = len(raw) - len(raw.lstrip(_HTML_SPACE))
        body = raw.strip(_HTML_SPACE)
        value = _SPACE.sub(" ", _clean(html.unescape(body)))
        if not is_translatable_text(value):
            return
        self.segments.append(
            Segment(
                msgid=value,
                kind=SegmentKind.TEXT,
                context="title",
                location="title",
                span=Span(start=node.start + lead, end=node.start + lead + len(body)),
                element=Span(start=el.start, end=el.tag_end),
                element_name="title",
                owns_element=True,
            )
        )


class _MessageBuilder:
    """Serialize run items as a msgid with numbered placeholders."""

    def __init__(
        self, text: str, segmenter: Segmenter, start: int, end: int, *, preserve: bool
    ) -> None:
        self.preserve = preserve
        self.text = text
        self.segmenter = segmenter
        self.start = start
        self.end = end
        self.parts: list[str] = []
        self.placeholders: list[Placeholder] = []

    def add_items(self, items: list[Item]) -> None:
        for item in items:
            if isinstance(item, Node):
                if item.kind == "text":
                    lo, hi = max(item.start, self.start), min(item.end, self.end)
                    self.parts.append(html.unescape(self.text[lo:hi]))
                else:
                    self._standalone(item.kind, item.start, item.end, f"<!-- {item.kind} -->")
                continue
            keeps = self.segmenter._keeps(item)
            legend = _legend(self.text, item, standalone=not keeps)
            if keeps:
                number = len(self.placeholders) + 1
                close = (
                    Span(start=item.close_start, end=item.close_end)
                    if item.close_start is not None and item.close_end is not None
                    else None
                )
                self.placeholders.append(
                    Placeholder(
                        number=number,
                        name=item.name,
                        standalone=False,
                        open=Span(start=item.start, end=item.tag_end),
                        close=close,
                        legend=legend,
                    )
                )
                self.parts.append(f"<{number}>")
                self.add_items(item.children)
                self.parts.append(f"</{number}>")
            else:
                self._standalone(item.name, item.start, item.end, legend)

    def _standalone(self, name: str, start: int, end: int, legend: str) -> None:
        number = len(self.placeholders) + 1
        self.placeholders.append(
            Placeholder(
                number=number,
                name=name,
                standalone=True,
                open=Span(start=start, end=end),
                close=None,
                legend=legend,
            )
        )
        self.parts.append(f"<{number}/>")

    def message(self) -> str:
        message = _clean("".join(self.parts))
        if self.preserve:  # <pre>: line breaks and indentation are the content
            return message
        return _SPACE.sub(" ", message).strip(" ")


def _clean(text: str) -> str:
    # Undecodable source bytes travel as lone surrogates; a PO file cannot hold them.
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def _placeholder_free(msgid: str) -> str:
    return re.sub(r"</?\d+/?>", " ", msgid)


def _legend(text: str, el: Element, *, standalone: bool) -> str:
    """What a placeholder stands for, as a translator should see it in Poedit."""
    tag = _SPACE.sub(" ", text[el.start : el.tag_end])
    if len(tag) > 80:
        tag = tag[:77] + "…>"
    if el.name in rules.VOID or el.tag_end == el.end:
        return tag
    if not standalone:
        return f"{tag}…</{el.name}>"
    if el.name in rules.NOT_WORDING:
        return f"{tag}…</{el.name}>"
    # A kept-verbatim piece (code, translate="no"): show its words, which the
    # translator must write around.
    inner = _SPACE.sub(" ", html.unescape(_TAGS.sub("", text[el.tag_end : el.content_end])))
    inner = inner.strip()
    if len(inner) > 60:
        inner = inner[:59] + "…"
    return f"{tag}{inner}</{el.name}>"


def _in_pre(el: Element | None) -> bool:
    while el is not None:
        if el.name in ("pre", "listing", "plaintext"):
            return True
        el = el.parent
    return False


def _is_abbreviation(text: str, run_start: int, end: int) -> bool:
    """Is the word before the full stop at ``end`` an abbreviation or an initial?"""
    before = text[run_start:end].rstrip("\"'”’»)]")
    if not before.endswith("."):
        return False
    word = before[:-1].rsplit(None, 1)[-1] if before[:-1].split() else ""
    word = word.lstrip("(\"'“‘«")
    return (len(word) == 1 and word.isalpha()) or word.lower() in _ABBREVIATIONS

"""What a translator sees of a run: the msgid with numbered placeholders, and whether
it holds words worth translating at all."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

from l10n.html import placeholders as ph
from l10n.html import rules
from l10n.html.model import Placeholder, Span
from l10n.html.parser import Element, Node

SPACE = re.compile(r"[\t\n\f\r ]+")
_UNCOLLAPSED = re.compile(r"[\t\n\f\r]|  ")  # what SPACE.sub(" ", …) would change
_LETTER = re.compile(r"[^\W\d_]")
_URLISH = re.compile(
    r"(?:[a-z][a-z0-9+.-]*:[^\s]*|www\.[^\s]+|[^\s@]+@[^\s@]+\.[a-z]{2,}|[\w.-]+\.(?:com|org|net|html?|php|jpe?g|png|gif|pdf)(?:/[^\s]*)?)",
    re.IGNORECASE,
)
# A whole whitespace-delimited word with at least one letter (see ``_LETTER``).
_WORD_WITH_LETTERS = re.compile(r"(?<!\S)\S*?[^\W\d_]\S*")
_SURROGATES = re.compile("[\ud800-\udfff]")
_PLACEHOLDER = re.compile(r"</?\d+/?>")
TAGS = re.compile(r"<[^>]*>")

Item = Element | Node


def has_letters(text: str) -> bool:
    return _LETTER.search(text) is not None


def raw_has_words(raw: str) -> bool:
    """Does this source text hold words to translate (not just a URL like ``javascript:…``)?"""
    if _LETTER.search(raw) is None:
        return False
    return is_translatable_text(html.unescape(raw) if "&" in raw else raw)


def is_translatable_text(text: str) -> bool:
    """Letters that are not just a URL or e-mail address."""
    # Word by word as ``str.split`` cuts them (``\s`` is the same whitespace), but
    # lazily: the first word with letters nearly always settles it.
    word = _WORD_WITH_LETTERS.search(text)
    if word is None:
        return False
    if _URLISH.fullmatch(word.group()) is None:
        return True
    urlish = _URLISH.fullmatch
    return any(urlish(m.group()) is None for m in _WORD_WITH_LETTERS.finditer(text, word.end()))


def message_has_words(msgid: str) -> bool:
    """``is_translatable_text`` of a msgid, placeholders left out."""
    return is_translatable_text(_PLACEHOLDER.sub(" ", msgid) if "<" in msgid else msgid)


def clean(text: str) -> str:
    # Undecodable source bytes travel as lone surrogates; a PO file cannot hold them.
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


class MessageBuilder:
    """Serialize run items as a msgid with numbered placeholders.  ``keeps`` says
    whether an inline element is a paired placeholder (its content translated)."""

    def __init__(
        self, text: str, keeps: Callable[[Element], bool], start: int, end: int, *, preserve: bool
    ) -> None:
        self.preserve = preserve
        self.text = text
        self.keeps = keeps
        self.start = start
        self.end = end
        self.parts: list[str] = []
        self.tags: list[int] = []  # the indexes of ``parts`` that are placeholders
        self.placeholders: list[Placeholder] = []

    def add_items(self, items: list[Item]) -> None:
        text, parts, unescape = self.text, self.parts, html.unescape
        # Items still to add at each open level, with what closes the level: an explicit
        # stack, since inline markup may nest deeper than Python recurses.
        stack: list[tuple[Iterator[Item], str]] = [(iter(items), "")]
        while stack:
            level, closing = stack[-1]
            for item in level:
                if type(item) is Node:
                    if item.kind == "text":
                        lo, hi = max(item.start, self.start), min(item.end, self.end)
                        parts.append(unescape(text[lo:hi]))
                    else:
                        self._standalone(item.kind, item.start, item.end, f"<!-- {item.kind} -->")
                    continue
                assert isinstance(item, Element)
                keeps = self.keeps(item)
                legend = _legend(text, item, standalone=not keeps)
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
                    self.tags.append(len(parts))
                    parts.append(f"<{number}>")
                    stack.append((iter(item.children), f"</{number}>"))
                    break
                self._standalone(item.name, item.start, item.end, legend)
            else:
                stack.pop()
                if closing:
                    self.tags.append(len(parts))
                    parts.append(closing)

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
        self.tags.append(len(self.parts))
        self.parts.append(f"<{number}/>")

    def message(self) -> str:
        parts, tags = self.parts, self.tags
        message = "".join(parts)
        if "<" in message and len(ph.SHAPE.findall(message)) != len(tags):
            # The text reads like a placeholder somewhere: escape it, run by run.
            written = []
            start = 0
            for index in [*tags, len(parts)]:
                written.append(ph.escape("".join(parts[start:index])))
                written += parts[index : index + 1]
                start = index + 1
            message = "".join(written)
        message = clean(message)
        if self.preserve:  # <pre>: line breaks and indentation are the content
            return message
        if _UNCOLLAPSED.search(message) is not None:
            message = SPACE.sub(" ", message)
        return message.strip(" ")


def _legend(text: str, el: Element, *, standalone: bool) -> str:
    """What a placeholder stands for, as a translator should see it in Poedit."""
    tag = SPACE.sub(" ", text[el.start : el.tag_end])
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
    inner = SPACE.sub(" ", html.unescape(TAGS.sub("", text[el.tag_end : el.content_end])))
    inner = inner.strip()
    if len(inner) > 60:
        inner = inner[:59] + "…"
    return f"{tag}{inner}</{el.name}>"

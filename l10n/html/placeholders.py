"""The placeholder syntax translators see: ``<1>…</1>`` for paired inline markup, ``<2/>`` for
standalone pieces (line breaks, images, code, ``translate="no"`` spans).

Numbers are short so they survive Poedit, Weblate and machine translation; a translator
may move, reorder and nest them, but every placeholder of the msgid must appear exactly
once in the msgstr and pairs must nest properly.

Text of the page that reads like a placeholder (``&lt;1&gt;`` shows as ``<1>``) is written
with a backslash after the ``<``: ``<\\1>``, ``<\\/1>``, ``<\\2/>`` are the characters
``<1>``, ``</1>``, ``<2/>``, and a look-alike that already has backslashes there gets one
more.  Each such token is read on its own, so backslashes elsewhere mean nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# A placeholder's number: up to nine digits, so a block of any real size has enough.  Every
# pattern that reads placeholders in another form (engine tokens and tags, the glossary
# matcher) is built from this one, so none drops a placeholder the msgid has.
NUMBER = r"\d{1,9}"
PLACEHOLDER = re.compile(rf"<(/?)({NUMBER})(/?)>")
# Anything of that shape, with backslashes after the "<" (escaped text) or not.
SHAPE = re.compile(rf"<(\\*)(/?)({NUMBER})(/?)>")


@dataclass(frozen=True, kw_only=True, slots=True)
class Tag:
    """A placeholder occurrence in a message."""

    number: int
    role: str  # "open", "close" or "empty"
    start: int
    end: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Text:
    value: str


Piece = Tag | Text


def pieces(message: str) -> Iterator[Piece]:
    """Split a message into text and placeholder pieces, in order.  Text pieces are as the
    message writes them (look-alikes escaped); ``literal`` gives the characters."""
    pos = 0
    for m in SHAPE.finditer(message):
        escaped, slash_before, digits, slash_after = m.groups()
        if escaped or (slash_before and slash_after):
            continue  # text that reads like a placeholder ("</1/>" is not one either)
        if m.start() > pos:
            yield Text(value=message[pos : m.start()])
        role = "close" if slash_before else "empty" if slash_after else "open"
        yield Tag(number=int(digits), role=role, start=m.start(), end=m.end())
        pos = m.end()
    if pos < len(message):
        yield Text(value=message[pos:])


def escape(text: str) -> str:
    """Text as a message writes it: what reads like a placeholder gets a backslash."""
    return SHAPE.sub(_add_backslash, text) if "<" in text else text


def literal(text: str) -> str:
    """The characters a text piece (or placeholder-free message) stands for."""
    return SHAPE.sub(_drop_backslash, text) if "<\\" in text else text


def _add_backslash(m: re.Match[str]) -> str:
    return "<\\" + m.group()[1:]


def _drop_backslash(m: re.Match[str]) -> str:
    return "<" + m.group()[2:] if m.group(1) else m.group()


def rewrite(message: str, *, text: Callable[[str], str], tag: Callable[[Tag], str]) -> str:
    """The message with each text piece passed through ``text`` and each placeholder
    replaced by ``tag(piece)``: how engines get placeholders in the form they keep."""
    return "".join(
        text(piece.value) if isinstance(piece, Text) else tag(piece) for piece in pieces(message)
    )


def strip(message: str) -> str:
    """The message's words without placeholders (for word counts and letter tests)."""
    return PLACEHOLDER.sub(" ", message)


def signature(message: str) -> dict[tuple[int, str], int]:
    """How many times each (number, role) occurs."""
    counts: dict[tuple[int, str], int] = {}
    for piece in pieces(message):
        if isinstance(piece, Tag):
            key = (piece.number, piece.role)
            counts[key] = counts.get(key, 0) + 1
    return counts


def problems(msgid: str, msgstr: str) -> list[str]:
    """Why ``msgstr``'s placeholders do not fit ``msgid``'s; empty when they do.

    Order may change; each placeholder must occur exactly once and pairs must nest.
    """
    expected = signature(msgid)
    found = signature(msgstr)
    issues: list[str] = []
    for key in sorted(expected.keys() | found.keys()):
        want, have = expected.get(key, 0), found.get(key, 0)
        shown = _show(*key)
        if want and not have:
            issues.append(f"missing {shown}")
        elif have and not want:
            issues.append(f"unknown {shown}")
        elif have > want:
            issues.append(f"{shown} appears {have} times")
    if not issues:
        stack: list[int] = []
        for piece in pieces(msgstr):
            if not isinstance(piece, Tag) or piece.role == "empty":
                continue
            if piece.role == "open":
                stack.append(piece.number)
            elif not stack or stack[-1] != piece.number:
                issues.append(f"{_show(piece.number, 'close')} is badly nested")
                break
            else:
                stack.pop()
        else:
            if stack:
                issues.append(f"{_show(stack[-1], 'open')} is not closed")
    return issues


def _show(number: int, role: str) -> str:
    return {"open": f"<{number}>", "close": f"</{number}>", "empty": f"<{number}/>"}[role]

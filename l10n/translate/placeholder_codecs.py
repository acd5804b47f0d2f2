"""How placeholders travel through a machine-translation engine, and how they come back.

Engines would translate, move or drop ``<1>``, ``</1>`` and ``<2/>``; a codec turns them
into something the engine leaves alone and reads the engine's answer back.  Plain-text
engines get tokens (:class:`TokenCodec`), engines told the text is HTML get ``<span>``s
(:class:`HtmlCodec`), DeepL's XML tag handling ``<g>``/``<x/>`` (:class:`XmlCodec`).
``encode_plain``/``decode_plain`` are for the words between placeholders, sent one piece
at a time when a translation damaged them (:func:`segments`, :func:`damaged`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TypeAlias
from xml.sax.saxutils import escape

from l10n.html import placeholders as ph

__all__ = [
    "Codec",
    "HtmlCodec",
    "Segment",
    "TokenCodec",
    "XmlCodec",
    "damaged",
    "from_xml",
    "segments",
    "split_outer_space",
    "to_xml",
]

_OPEN, _CLOSE = "⟦", "⟧"
_TOKEN = re.compile(rf"⟦\s*(/?)\s*({ph.NUMBER})\s*(/?)\s*⟧")


class TokenCodec:
    """``<1>`` ↔ ``⟦1⟧``, ``</1>`` ↔ ``⟦/1⟧``, ``<2/>`` ↔ ``⟦2/⟧`` (spaces inside tolerated)."""

    @staticmethod
    def usable(message: str) -> bool:
        return _OPEN not in message and _CLOSE not in message

    @staticmethod
    def encode(message: str) -> str:
        def token(tag: ph.Tag) -> str:
            slash_before = "/" if tag.role == "close" else ""
            slash_after = "/" if tag.role == "empty" else ""
            return f"{_OPEN}{slash_before}{tag.number}{slash_after}{_CLOSE}"

        return ph.rewrite(message, text=str, tag=token)

    @staticmethod
    def decode(translation: str) -> str | None:
        def back(m: re.Match[str]) -> str:
            before, digits, after = m.groups()
            return m.group() if before and after else f"<{before}{int(digits)}{after}>"

        return _TOKEN.sub(back, translation)

    @staticmethod
    def encode_plain(text: str) -> str:
        return text

    @staticmethod
    def decode_plain(text: str) -> str:
        return text


_SPAN = re.compile(r"<\s*(/?)\s*span\b([^>]*)>|(<[^>]*>)", re.IGNORECASE)
_SPAN_ID = re.compile(rf"""\bid\s*=\s*["']?p({ph.NUMBER})["']?""", re.IGNORECASE)
_EMPTY_SPAN = re.compile(
    rf"""<\s*span\b[^>]*\bid\s*=\s*["']?p({ph.NUMBER})["']?[^>]*>\s*<\s*/\s*span\s*>""",
    re.IGNORECASE,
)


class HtmlCodec:
    """For engines told the text is HTML: ``<1>…</1>`` ↔ ``<span id="p1">…</span>``,
    ``<2/>`` ↔ ``<span id="p2" class="notranslate"></span>``; text is escaped."""

    @staticmethod
    def usable(message: str) -> bool:
        return True

    @staticmethod
    def encode(message: str) -> str:
        def span(tag: ph.Tag) -> str:
            if tag.role == "open":
                return f'<span id="p{tag.number}">'
            if tag.role == "close":
                return "</span>"
            return f'<span id="p{tag.number}" class="notranslate"></span>'

        return ph.rewrite(message, text=HtmlCodec.encode_plain, tag=span)

    @staticmethod
    def decode(translation: str) -> str | None:
        text = _EMPTY_SPAN.sub(lambda m: f"\0{int(m.group(1))}/\0", translation)
        out: list[str] = []
        stack: list[int] = []
        pos = 0
        for m in _SPAN.finditer(text):
            out.append(html.unescape(text[pos : m.start()]))
            pos = m.end()
            if m.group(3) is not None:
                continue  # some other tag the engine added: drop it
            if m.group(1):
                if not stack:
                    return None
                out.append(f"</{stack.pop()}>")
            else:
                found = _SPAN_ID.search(m.group(2))
                if found is None:
                    return None
                stack.append(int(found.group(1)))
                out.append(f"<{stack[-1]}>")
        out.append(html.unescape(text[pos:]))
        if stack:
            return None
        return re.sub(r"\0(\d+)/\0", r"<\1/>", "".join(out))

    @staticmethod
    def encode_plain(text: str) -> str:
        return html.escape(text, quote=False)

    @staticmethod
    def decode_plain(text: str) -> str:
        return html.unescape(text)


# -- DeepL's XML tag handling ---------------------------------------------------------

_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][\w.-]*)([^>]*?)(/?)\s*>")
_ID = re.compile(rf"""\bid\s*=\s*["']({ph.NUMBER})["']""")


def to_xml(message: str) -> str:
    """``a <1>b</1> <2/> & c`` → ``a <g id="1">b</g> <x id="2"/> &amp; c``."""
    return ph.rewrite(message, text=escape, tag=_xml_tag)


def _xml_tag(tag: ph.Tag) -> str:
    if tag.role == "open":
        return f'<g id="{tag.number}">'
    return "</g>" if tag.role == "close" else f'<x id="{tag.number}"/>'


def from_xml(text: str) -> str | None:
    """The inverse of :func:`to_xml`; ``None`` when the tags do not parse back."""
    out: list[str] = []
    stack: list[int] = []
    open_x = False  # "<x id="2"></x>" is the same as "<x id="2"/>"
    pos = 0
    for m in _TAG.finditer(text):
        out.append(html.unescape(text[pos : m.start()]))
        pos = m.end()
        closing, name, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if name == "x":
            if closing:
                if not open_x:
                    return None
                open_x = False
                continue
            found = _ID.search(attrs)
            if found is None:
                return None
            out.append(f"<{int(found.group(1))}/>")
            open_x = not empty
        elif name == "g" and closing:
            if not stack:
                return None
            out.append(f"</{stack.pop()}>")
        elif name == "g" and not empty:
            found = _ID.search(attrs)
            if found is None:
                return None
            stack.append(int(found.group(1)))
            out.append(f"<{stack[-1]}>")
        else:
            return None
    out.append(html.unescape(text[pos:]))
    return None if stack or open_x else "".join(out)


class XmlCodec:
    """DeepL with ``tag_handling=xml``: :func:`to_xml` / :func:`from_xml`; a piece sent on
    its own is escaped, and any tag in its answer dropped."""

    @staticmethod
    def usable(message: str) -> bool:
        return True

    @staticmethod
    def encode(message: str) -> str:
        return to_xml(message)

    @staticmethod
    def decode(translation: str) -> str | None:
        return from_xml(translation)

    @staticmethod
    def encode_plain(text: str) -> str:
        return escape(text)

    @staticmethod
    def decode_plain(text: str) -> str:
        return html.unescape(_TAG.sub("", text))


Codec: TypeAlias = type[TokenCodec] | type[HtmlCodec] | type[XmlCodec]


# -- the piece-by-piece fallback ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """Part of a message: a placeholder or untranslatable run (kept as is), or words."""

    text: str
    translate: bool


def segments(message: str) -> list[Segment]:
    """``message`` cut at its placeholders; runs without letters or digits are kept as is,
    and the whitespace around words stays outside the part sent for translation."""
    out: list[Segment] = []
    for piece in ph.pieces(message):
        if isinstance(piece, ph.Tag):
            out.append(Segment(message[piece.start : piece.end], False))
            continue
        value = piece.value
        if not any(ch.isalnum() for ch in value):
            out.append(Segment(value, False))
            continue
        core = value.strip()
        lead = value[: len(value) - len(value.lstrip())]
        trail = value[len(value.rstrip()) :]
        if lead:
            out.append(Segment(lead, False))
        out.append(Segment(core, True))
        if trail:
            out.append(Segment(trail, False))
    return out


def damaged(
    where: str, issues: list[str], *, then: str | None = None, still: list[str] | None = None
) -> str:
    """Why a message whose placeholders the engine damaged has no translation.

    ``then``: why translating it piece by piece failed; ``still``: what was still wrong."""
    text = f"{where} damaged the placeholders" if issues else f"{where}"
    if issues:
        text += f" ({', '.join(issues)})"
    if then is not None:
        rest = then.removeprefix(where + " ")
        text += f"; piece by piece, it {rest}" if rest != then else f"; piece by piece: {then}"
    if still:
        text += f"; piece by piece, the placeholders are still wrong ({', '.join(still)})"
    return text


def split_outer_space(text: str) -> tuple[str, str, str]:
    """``text`` as (leading whitespace, core, trailing whitespace)."""
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]

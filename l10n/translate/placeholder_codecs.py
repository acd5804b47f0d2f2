"""How placeholders travel through a machine-translation engine, and how they come back.

Engines would translate, move or drop ``<1>``, ``</1>`` and ``<2/>``; a codec turns them
into something the engine leaves alone and reads the engine's answer back.  Plain-text
engines get tokens (:class:`TokenCodec`), engines told the text is HTML get ``<span>``s
(:class:`HtmlCodec`).  ``encode_plain``/``decode_plain`` are for the words between
placeholders, sent one piece at a time when a translation damaged them.
"""

from __future__ import annotations

import html
import re
from typing import TypeAlias

from l10n.html import placeholders as ph

__all__ = ["Codec", "HtmlCodec", "TokenCodec"]

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


Codec: TypeAlias = type[TokenCodec] | type[HtmlCodec]

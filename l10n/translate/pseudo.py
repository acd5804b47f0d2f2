"""Pseudo-localization: a deterministic fake translation that shows, on the published
page, what was translated, what was not, and whether layouts survive longer text."""

from __future__ import annotations

from collections.abc import Sequence

from l10n.html import placeholders as ph

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_EXPANSION = 0.3


def pseudo(message: str) -> str:
    """Accent every Latin letter, pad by ~30%, bracket; placeholders stay as they are."""
    out: list[str] = []
    letters = 0
    for piece in ph.pieces(message):
        if isinstance(piece, ph.Text):
            out.append(piece.value.translate(_ACCENTED))
            letters += sum(1 for c in piece.value if not c.isspace())
        else:
            out.append(message[piece.start : piece.end])
    padding = "~" * max(1, round(letters * _EXPANSION))
    return f"[{''.join(out)} {padding}]"


class PseudoTranslator:
    name = "pseudo"

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        return [pseudo(t) for t in texts]

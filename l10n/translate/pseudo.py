"""Pseudo-localization: a deterministic fake translation that shows, on the published
page, what was translated, what was not, and whether layouts survive longer text."""

from __future__ import annotations

from collections.abc import Sequence

from l10n.catalog import PSEUDO
from l10n.html import placeholders as ph
from l10n.translate.engine import Engine

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_EXPANSION = 0.3


def pseudo(message: str) -> str:
    """Accent every Latin letter, pad by ~30%, bracket; placeholders stay as they are."""
    letters = sum(1 for c in ph.strip(message) if not c.isspace())
    accented = ph.rewrite(
        message,
        text=lambda value: value.translate(_ACCENTED),
        tag=lambda tag: message[tag.start : tag.end],
    )
    padding = "~" * max(1, round(letters * _EXPANSION))
    return f"[{accented} {padding}]"


class PseudoTranslator(Engine):
    """Runs only when asked for: its entries carry ``l10n-pseudo`` besides ``fuzzy``, and
    publish holds a language back while any is left."""

    name = "pseudo"
    cacheable = False  # free and instant: nothing worth keeping
    local = True
    flags = (PSEUDO,)

    def describe(self) -> str:
        return "pseudo (fake text for layout tests; publish refuses it)"

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        return [pseudo(t) for t in texts]

"""Machine translation behind one small protocol, so engines are interchangeable and
tests can use a fake.  Engines receive msgids with placeholders and must return them
with every placeholder intact; the pipeline verifies that before writing anything."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Translator(Protocol):
    """Translate a batch of messages from one language to another."""

    name: str

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """Return one translation per text, in order."""
        ...


def get_engine(name: str) -> Translator:
    """The engine called ``name`` (only offline engines until machine translation lands)."""
    from l10n.errors import TranslateError
    from l10n.translate.pseudo import PseudoTranslator

    engines: dict[str, type[PseudoTranslator]] = {"pseudo": PseudoTranslator}
    try:
        return engines[name]()
    except KeyError:
        known = ", ".join(sorted(engines))
        raise TranslateError(f"unknown engine {name!r} (available: {known})") from None

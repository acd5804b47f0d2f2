"""Translation memory: reviewed translations of the same language, reused before any
engine is asked.  An identical source is reused as it is; a close one (≥ 75% similar)
is offered fuzzy, with its source as the previous msgid so the translator sees the diff."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from l10n.similarity import Similar

CLOSE = 0.75


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    msgstr: str
    exact: bool
    source: str  # the msgid the translation was made for
    origin: str  # file it came from
    similarity: float


class Memory:
    """Reviewed (translated, non-fuzzy) entries of one language."""

    def __init__(self, entries: Iterable[tuple[str, str, str]]) -> None:
        """``entries``: (msgid, msgstr, origin file); the first of a msgid wins."""
        self._exact: dict[str, tuple[str, str]] = {}
        for msgid, msgstr, origin in entries:
            if msgid and msgstr:
                self._exact.setdefault(msgid, (msgstr, origin))
        self._sources = list(self._exact)
        self._similar = Similar(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def lookup(self, msgid: str, *, close: float = CLOSE) -> Suggestion | None:
        hit = self._exact.get(msgid)
        if hit is not None:
            return Suggestion(
                msgstr=hit[0], exact=True, source=msgid, origin=hit[1], similarity=1.0
            )
        if not self._sources:
            return None
        found = self._similar.best(msgid, close)
        if found is None:
            return None
        source = self._sources[found[0]]
        msgstr, origin = self._exact[source]
        return Suggestion(
            msgstr=msgstr, exact=False, source=source, origin=origin, similarity=found[1]
        )

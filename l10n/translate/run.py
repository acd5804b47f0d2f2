"""Deciding what each untranslated entry gets: memory first, then the cache, then the engine.

Pure orchestration: no files.  The pipeline hands in the untranslated msgids and a
``save`` callback, called with each batch's fills as soon as the batch is done; the
pipeline decides when to write them to the PO file.

An entry the engine could not translate gets no fill at all, so its msgstr, flags and
comments stay exactly as they were; the tally counts it and keeps the first distinct
reasons.  With ``ask_again`` (the pipeline sets it for network engines unless retries
are off) the failed texts of a batch are asked once more before they count: a server
that was busy through one text's retries has often recovered; a local engine's failures
would only repeat.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from l10n.catalog import MACHINE_COMMENT
from l10n.glossary.index import TermIndex
from l10n.html import placeholders as ph
from l10n.translate.cache import Cache
from l10n.translate.engine import Engine
from l10n.translate.memory import Memory
from l10n.translate.protect import Protected, missing_terms, protect, restore

log = logging.getLogger(__name__)

GLOSSARY_MISS = "l10n-glossary-miss"


@dataclass(frozen=True, kw_only=True)
class Fill:
    """What to write into one entry."""

    msgid: str
    msgstr: str  # "" leaves the entry untranslated (with ``comment`` saying why)
    fuzzy: bool
    comment: str  # translator comment: where the text came from
    previous_msgid: str | None = None
    flags: tuple[str, ...] = ()


@dataclass
class Tally:
    memory: int = 0
    memory_fuzzy: int = 0
    cached: int = 0
    engine: int = 0
    failed: int = 0
    glossary_miss: int = 0
    characters_sent: int = 0
    characters: int = 0  # of the msgids the engine pass handled (cached ones too)
    reasons: list[str] = field(default_factory=list)  # the first distinct failure reasons

    KEPT_REASONS = 3

    def add(self, other: Tally) -> None:
        """Count in what another process did."""
        self.memory += other.memory
        self.memory_fuzzy += other.memory_fuzzy
        self.cached += other.cached
        self.engine += other.engine
        self.failed += other.failed
        self.glossary_miss += other.glossary_miss
        self.characters_sent += other.characters_sent
        self.characters += other.characters
        for reason in other.reasons:
            self.fail_reason(reason)

    def fail_reason(self, reason: str) -> None:
        if reason not in self.reasons and len(self.reasons) < self.KEPT_REASONS:
            self.reasons.append(reason)

    def summary(self) -> str:
        return (
            f"{self.memory} from memory, {self.memory_fuzzy} close matches (fuzzy), "
            f"{self.cached} from cache, {self.engine} by engine, {self.failed} failed"
        )


def from_memory(todo: Sequence[str], memory: Memory, tally: Tally) -> tuple[list[Fill], list[str]]:
    """Fills the memory can give, and the msgids left for the engine."""
    fills: list[Fill] = []
    rest: list[str] = []
    for msgid in todo:
        hit = memory.lookup(msgid)
        if hit is None:
            rest.append(msgid)
        elif hit.exact:
            tally.memory += 1
            fills.append(
                Fill(
                    msgid=msgid,
                    msgstr=hit.msgstr,
                    fuzzy=False,
                    comment=f"translation memory: {hit.origin}",
                )
            )
        else:
            tally.memory_fuzzy += 1
            fills.append(
                Fill(
                    msgid=msgid,
                    msgstr=hit.msgstr,
                    fuzzy=True,
                    previous_msgid=hit.source,
                    comment=f"translation memory: {hit.origin} ({hit.similarity:.0%} similar)",
                )
            )
    return fills, rest


def by_engine(
    todo: Sequence[str],
    *,
    engine: Engine,
    source: str,
    target: str,
    index: TermIndex | None,
    cache: Cache | None,
    batch_size: int,
    save: Callable[[list[Fill]], None],
    progress: Callable[[int, int], None] | None = None,
    tally: Tally,
    ask_again: bool = False,
) -> None:
    """Translate ``todo`` in batches; call ``save`` with each batch's fills and
    ``progress`` with the entries and msgid characters each batch finished."""
    protected = {msgid: protect(msgid, index) for msgid in todo}
    for start in range(0, len(todo), batch_size):
        batch = list(todo[start : start + batch_size])
        texts = [protected[m].text for m in batch]
        known = cache.get_many(texts) if cache is not None else {}
        tally.cached += len(known)
        ask = list(dict.fromkeys(t for t in texts if t not in known))
        results: dict[str, str] = dict(known)
        failed: dict[str, str] = {}
        if ask:
            tally.characters_sent += sum(len(t) for t in ask)
            fresh, failed = _ask(engine, ask, source, target)
            if failed and ask_again:
                again, failed = _ask(engine, list(failed), source, target)
                fresh.update(again)
            if cache is not None:
                cache.put_many({t: a for t, a in fresh.items() if not ph.problems(t, a)})
            results.update(fresh)
        fills = [
            _fill(m, protected[m], results.get(protected[m].text), engine, tally, known, failed)
            for m in batch
        ]
        save([f for f in fills if f is not None])
        characters = sum(len(m) for m in batch)
        tally.characters += characters
        if progress is not None:
            progress(len(batch), characters)


def _ask(
    engine: Engine, texts: list[str], source: str, target: str
) -> tuple[dict[str, str], dict[str, str]]:
    """The engine's answers by text, and why it had none for the others."""
    answers = engine.translate(texts, source=source, target=target)
    failures = engine.failures
    fresh = {t: a for i, (t, a) in enumerate(zip(texts, answers, strict=True)) if i not in failures}
    return fresh, {texts[i]: reason for i, reason in failures.items() if 0 <= i < len(texts)}


def _fill(
    msgid: str,
    protected: Protected,
    answer: str | None,
    engine: Engine,
    tally: Tally,
    known: Mapping[str, str],
    failed: Mapping[str, str],
) -> Fill | None:
    """What to write for ``msgid``; None when the engine failed (nothing is written)."""
    comment = f"{MACHINE_COMMENT}{engine.name}"
    if answer is None:
        tally.failed += 1
        tally.fail_reason(failed.get(protected.text) or f"{engine.name} gave no answer")
        return None
    result = restore(answer, protected)
    if ph.problems(protected.text, answer) or ph.problems(msgid, result):
        tally.failed += 1
        tally.fail_reason(f"{engine.name} lost placeholders")
        return None
    if protected.text not in known:
        tally.engine += 1
    flags: tuple[str, ...] = engine.flags
    missing = missing_terms(result, protected)
    if missing:
        tally.glossary_miss += 1
        flags = (*flags, GLOSSARY_MISS)
        comment += "\n" + "\n".join(f"glossary term missing: {s} → {t}" for s, t in missing)
    return Fill(msgid=msgid, msgstr=result, fuzzy=True, comment=comment, flags=flags)

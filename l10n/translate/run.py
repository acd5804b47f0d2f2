"""Deciding what each untranslated entry gets: memory first, then the cache, then the engine.

Pure orchestration: no files.  The pipeline hands in the untranslated msgids and a
``save`` callback, called with each batch's fills as soon as the batch is done; the
pipeline decides when to write them to the PO file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from l10n.catalog import MACHINE_COMMENT
from l10n.glossary.index import TermIndex
from l10n.html import placeholders as ph
from l10n.translate import Translator
from l10n.translate.cache import Cache
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
    failures: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        """Count in what another process did."""
        for name, value in vars(other).items():
            if isinstance(value, list):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)

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
    engine: Translator,
    source: str,
    target: str,
    index: TermIndex | None,
    cache: Cache | None,
    batch_size: int,
    save: Callable[[list[Fill]], None],
    progress: Callable[[int, int], None] | None = None,
    tally: Tally,
    swap_terms: bool = True,
) -> None:
    """Translate ``todo`` in batches; call ``save`` with each batch's fills.

    ``swap_terms=False``: the engine applies the glossary itself (a DeepL glossary), so
    terms are not swapped for placeholders, only checked in the result."""
    protected = {msgid: protect(msgid, index, swap=swap_terms) for msgid in todo}
    done = 0
    for start in range(0, len(todo), batch_size):
        batch = list(todo[start : start + batch_size])
        texts = [protected[m].text for m in batch]
        known = cache.get_many(texts) if cache is not None else {}
        tally.cached += len(known)
        ask = list(dict.fromkeys(t for t in texts if t not in known))
        results = dict(known)
        if ask:
            tally.characters_sent += sum(len(t) for t in ask)
            answers = engine.translate(ask, source=source, target=target)
            failed = _failed(engine, ask)
            fresh = {
                t: a for i, (t, a) in enumerate(zip(ask, answers, strict=True)) if i not in failed
            }
            if cache is not None:
                cache.put_many({t: a for t, a in fresh.items() if not ph.problems(t, a)})
            results.update(fresh)
        fills = [
            _fill(
                m,
                protected[m],
                results.get(protected[m].text),
                engine.name,
                tally,
                cached=protected[m].text in known,
            )
            for m in batch
        ]
        save(fills)
        done += len(batch)
        if progress is not None:
            progress(done, len(todo))


def _fill(
    msgid: str, protected: Protected, answer: str | None, engine: str, tally: Tally, *, cached: bool
) -> Fill:
    comment = f"{MACHINE_COMMENT}{engine}"
    if answer is None or ph.problems(protected.text, answer):
        tally.failed += 1
        why = "no answer" if answer is None else "placeholders lost"
        tally.failures.append(f"{why}: {msgid[:60]}")
        return Fill(
            msgid=msgid,
            msgstr="",
            fuzzy=False,
            comment=f"{comment} failed ({why}); left for a translator",
        )
    result = restore(answer, protected)
    if ph.problems(msgid, result):
        tally.failed += 1
        return Fill(
            msgid=msgid,
            msgstr="",
            fuzzy=False,
            comment=f"{comment} failed (placeholders lost); left for a translator",
        )
    if not cached:
        tally.engine += 1
    flags: tuple[str, ...] = ()
    missing = missing_terms(result, protected)
    if missing:
        tally.glossary_miss += 1
        flags = (GLOSSARY_MISS,)
        comment += "\n" + "\n".join(f"glossary term missing: {s} → {t}" for s, t in missing)
    return Fill(msgid=msgid, msgstr=result, fuzzy=True, comment=comment, flags=flags)


def _failed(engine: Translator, texts: Sequence[str]) -> set[int]:
    """Indexes of the last batch the engine could not translate.

    Engines return the source text for those and list them in ``failures``: either by
    index (network engines, with the reason) or by text.
    """
    failures = getattr(engine, "failures", None)
    if not failures:
        return set()
    if isinstance(failures, dict):
        return {i for i in failures if isinstance(i, int)}
    wanted = set(failures)
    return {i for i, t in enumerate(texts) if t in wanted}

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
from l10n.translate.article import ArticleEntry
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
    requests: int = 0  # counted by engines that report them (openai)
    prompt_tokens: int = 0
    completion_tokens: int = 0
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
        self.requests += other.requests
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        for reason in other.reasons:
            self.fail_reason(reason)

    def fail_reason(self, reason: str) -> None:
        if reason not in self.reasons and len(self.reasons) < self.KEPT_REASONS:
            self.reasons.append(reason)

    def summary(self) -> str:
        text = (
            f"{self.memory} from memory, {self.memory_fuzzy} close matches (fuzzy), "
            f"{self.cached} from cache, {self.engine} by engine, {self.failed} failed"
        )
        tokens = self.prompt_tokens + self.completion_tokens
        if tokens:
            text += (
                f"; {tokens} tokens ({self.prompt_tokens} prompt, "
                f"{self.completion_tokens} completion) in {self.requests} "
                + ("request" if self.requests == 1 else "requests")
            )
        return text


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
    title: str = "",
    swap_terms: bool = True,
) -> None:
    """Translate ``todo`` in batches; call ``save`` with each batch's fills and
    ``progress`` with the entries and msgid characters each batch finished.

    A :attr:`~l10n.translate.engine.Engine.whole_articles` engine gets ``todo`` (one
    article's entries, in document order) whole, with the article's ``title``: see
    :func:`by_article`.  ``swap_terms=False``: the engine applies the glossary itself (a
    DeepL glossary), so terms are not swapped for placeholders, only checked in the
    result."""
    protected = {msgid: protect(msgid, index, swap=swap_terms) for msgid in todo}
    if engine.whole_articles:
        by_article(
            todo, protected, engine, source=source, target=target, title=title,
            cache=cache, save=save, progress=progress, tally=tally,
        )  # fmt: skip
        return
    for start in range(0, len(todo), batch_size):
        batch = list(todo[start : start + batch_size])
        texts = [protected[m].text for m in batch]
        known = cache.get_many(texts) if cache is not None else {}
        tally.cached += len(known)
        ask = list(dict.fromkeys(t for t in texts if t not in known))
        results: dict[str, str] = dict(known)
        fresh: dict[str, str] = {}
        failed: dict[str, str] = {}
        if ask:
            tally.characters_sent += sum(len(t) for t in ask)
            fresh, failed = _ask(engine, ask, source, target)
            if failed and ask_again:
                again, failed = _ask(engine, list(failed), source, target)
                fresh.update(again)
            results.update(fresh)
        fills = [
            _fill(m, protected[m], results.get(protected[m].text), engine, tally, known, failed)
            for m in batch
        ]
        save([f for f in fills if f is not None])
        if fresh and cache is not None:
            # After ``save``: a cache that cannot be written (full disk) must not cost
            # the catalog what the engine was paid for.
            cache.put_many({t: a for t, a in fresh.items() if not ph.problems(t, a)})
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


# -- engines that translate whole articles --------------------------------------------


def article_entries(
    todo: Sequence[str], protected: Mapping[str, Protected]
) -> list[ArticleEntry]:
    """``todo`` for an article engine: the msgids themselves, with the glossary's terms
    (the engine is told them instead of getting term placeholders)."""
    return [
        ArticleEntry(id=str(n), text=m, terms=protected[m].required)
        for n, m in enumerate(dict.fromkeys(todo), 1)
    ]


def article_key(entry: ArticleEntry) -> str:
    """The cache key of an entry: its text, and the terms its translation had to use
    (a changed glossary asks again)."""
    if not entry.terms:
        return entry.text
    return entry.text + "".join(f"\x00{s}\x01{t}" for s, t in entry.terms)


def by_article(
    todo: Sequence[str],
    protected: Mapping[str, Protected],
    engine: Engine,
    *,
    source: str,
    target: str,
    title: str,
    cache: Cache | None,
    save: Callable[[list[Fill]], None],
    progress: Callable[[int, int], None] | None,
    tally: Tally,
) -> None:
    """One article through the engine's ``translate_article``: what the cache lacks goes
    in one call; the engine checks placeholders and terms, and says why an entry failed.
    A failed entry gets no fill, as in :func:`by_engine`."""
    entries = article_entries(todo, protected)
    keys = {e.text: article_key(e) for e in entries}
    known = cache.get_many(list(keys.values())) if cache is not None else {}
    ask = [e for e in entries if keys[e.text] not in known]
    answers = dict(known)
    reasons: dict[str, str] = {}
    fresh: dict[str, str] = {}
    if ask:
        tally.characters_sent += sum(len(e.text) for e in ask)
        result = engine.translate_article(ask, title=title, source=source, target=target)
        tally.requests += result.requests
        tally.prompt_tokens += result.prompt_tokens
        tally.completion_tokens += result.completion_tokens
        for i, (entry, text) in enumerate(zip(ask, result.texts, strict=True)):
            if i in result.failures or not text or ph.problems(entry.text, text):
                reasons[entry.text] = result.failures.get(i, f"{engine.name} lost placeholders")
            else:
                fresh[keys[entry.text]] = text
        answers.update(fresh)
    comment = f"{MACHINE_COMMENT}{engine.name}"
    fills: list[Fill] = []
    for msgid in todo:
        answer = answers.get(keys[msgid])
        if answer is None:
            tally.failed += 1
            tally.fail_reason(" ".join(reasons.get(msgid, f"{engine.name} gave no answer").split()))
            continue
        if keys[msgid] in known:
            tally.cached += 1
        else:
            tally.engine += 1
        fills.append(
            Fill(msgid=msgid, msgstr=answer, fuzzy=True, comment=comment, flags=engine.flags)
        )
    save(fills)
    if fresh and cache is not None:  # after ``save``, as in by_engine
        cache.put_many(fresh)
    characters = sum(len(m) for m in todo)
    tally.characters += characters
    if progress is not None:
        progress(len(todo), characters)

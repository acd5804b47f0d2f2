"""Deciding what each untranslated entry gets: memory first, then the cache, then the engine.

Pure orchestration: no files.  The pipeline hands in the untranslated msgids and a
``save`` callback, called with each batch's fills as soon as the batch is done; the
pipeline decides when to write them to the PO file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from l10n.catalog import MACHINE_COMMENT
from l10n.glossary.index import TermIndex
from l10n.html import placeholders as ph
from l10n.translate import Translator
from l10n.translate.article import ArticleEntry, ArticleTranslate
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
    requests: int = 0  # counted by engines that report them (openai)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        """Count in what another process did."""
        for name, value in vars(other).items():
            if isinstance(value, list):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)

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
    engine: Translator,
    source: str,
    target: str,
    index: TermIndex | None,
    cache: Cache | None,
    batch_size: int,
    save: Callable[[list[Fill]], None],
    progress: Callable[[int, int], None] | None = None,
    tally: Tally,
    title: str = "",
    swap_terms: bool = True,
) -> None:
    """Translate ``todo`` in batches; call ``save`` with each batch's fills.

    An engine with a ``translate_article`` method gets ``todo`` (one article's entries,
    in document order) whole, with the article's ``title``: see :func:`by_article`.
    ``swap_terms=False``: the engine applies the glossary itself (a DeepL glossary), so
    terms are not swapped for placeholders, only checked in the result."""
    protected = {msgid: protect(msgid, index, swap=swap_terms) for msgid in todo}
    article = getattr(engine, "translate_article", None)  # h5: the Engine base's default
    if callable(article):
        by_article(
            todo, protected, article, name=engine.name, source=source, target=target,
            title=title, cache=cache, save=save, progress=progress, tally=tally,
        )  # fmt: skip
        return
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
        if ask and cache is not None:
            # After ``save``: a cache that cannot be written (full disk) must not cost
            # the catalog what the engine was paid for.
            cache.put_many({t: a for t, a in fresh.items() if not ph.problems(t, a)})
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
    translate: ArticleTranslate,
    *,
    name: str,
    source: str,
    target: str,
    title: str,
    cache: Cache | None,
    save: Callable[[list[Fill]], None],
    progress: Callable[[int, int], None] | None,
    tally: Tally,
) -> None:
    """One article through an engine's ``translate_article``: what the cache lacks goes
    in one call; the engine checks placeholders and terms, and says why an entry failed."""
    entries = article_entries(todo, protected)
    keys = {e.text: article_key(e) for e in entries}
    known = cache.get_many(list(keys.values())) if cache is not None else {}
    ask = [e for e in entries if keys[e.text] not in known]
    answers = dict(known)
    reasons: dict[str, str] = {}
    if ask:
        tally.characters_sent += sum(len(e.text) for e in ask)
        result = translate(ask, title=title, source=source, target=target)
        tally.requests += result.requests
        tally.prompt_tokens += result.prompt_tokens
        tally.completion_tokens += result.completion_tokens
        fresh: dict[str, str] = {}
        for i, (entry, text) in enumerate(zip(ask, result.texts, strict=True)):
            if i in result.failures or not text or ph.problems(entry.text, text):
                reasons[entry.text] = result.failures.get(i, "placeholders lost")
            else:
                fresh[keys[entry.text]] = text
        if cache is not None:
            cache.put_many(fresh)
        answers.update(fresh)
    comment = f"{MACHINE_COMMENT}{name}"
    fills: list[Fill] = []
    for msgid in todo:
        answer = answers.get(keys[msgid])
        if answer is None:
            why = " ".join(reasons.get(msgid, "no answer").split())
            tally.failed += 1
            tally.failures.append(f"{why}: {msgid[:60]}")
            note = f"{comment} failed ({why}); left for a translator"
            fills.append(Fill(msgid=msgid, msgstr="", fuzzy=False, comment=note))
            continue
        if keys[msgid] in known:
            tally.cached += 1
        else:
            tally.engine += 1
        fills.append(Fill(msgid=msgid, msgstr=answer, fuzzy=True, comment=comment))
    save(fills)
    if progress is not None:
        progress(len(todo), len(todo))

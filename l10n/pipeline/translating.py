"""translate: memory, cache and engine over the project's catalogs."""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from l10n import catalog
from l10n.config import CONFIG_NAME
from l10n.errors import CatalogError, L10nError
from l10n.glossary.index import TermIndex, term_index
from l10n.pipeline import parallel
from l10n.pipeline.caching import glossary_digest, open_cache
from l10n.pipeline.engines import (
    EngineChosen,
    Event,
    Reporter,
    Unfinished,
    unfinished_of,
    usable_languages,
)
from l10n.pipeline.project import (
    Notice,
    Project,
    _catalogs,
    _read_optional,
    failure,
    find_articles,
    load_glossary,
)
from l10n.pipeline.state import Stamp, State
from l10n.pipeline.writing import rewrite
from l10n.translate import DEFAULT_ENGINE, Engine, make_engine
from l10n.translate.cache import Cache
from l10n.translate.memory import Memory
from l10n.translate.protect import glossary_entries, protect
from l10n.translate.run import (
    Fill,
    Tally,
    article_entries,
    article_key,
    by_engine,
    from_memory,
)

log = logging.getLogger(__name__)



# --- translate -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TranslateReport:
    written: tuple[str, ...]
    notices: tuple[Notice, ...]
    tally: Tally
    engine: str = ""  # what it was, as Engine.describe says
    # Dry run: per language, (engine, segments, characters) that would be sent.
    estimate: tuple[tuple[str, str, int, int], ...] = ()
    unfinished: tuple[Unfinished, ...] = ()
    failed: tuple[Notice, ...] = ()  # catalogs that could not be used (see Report.failed)
    # Dry run of an engine that counts tokens: per language, (tokens, cost or None).
    tokens: tuple[tuple[str, int, float | None], ...] = ()


def translate(
    project: Project,
    selected: Sequence[str] = (),
    *,
    languages: Sequence[str] = (),
    engine: str | None = None,
    endpoint: str | None = None,
    dry_run: bool = False,
    refresh_fuzzy: bool = False,
    progress: Callable[[Event], None] | None = None,
    shard: tuple[int, int] | None = None,
    jobs: int = 1,
) -> TranslateReport:
    """Fill untranslated entries: translation memory first, then the engine (cached),
    every machine translation fuzzy for review; the PO file is saved as batches come in.

    ``progress`` hears which engine runs, then how far each language has got; entries
    the engine could not translate are left as they were and listed in ``unfinished``."""
    config = project.config
    name = engine or config.translate.engine or DEFAULT_ENGINE
    origin = "--engine" if engine else CONFIG_NAME if config.translate.engine else ""
    glossary = load_glossary(project)
    total = Tally()
    written: list[str] = []
    stamps: dict[str, Stamp] = {}  # the last write of each catalog
    notices: list[Notice] = []
    estimate: list[tuple[str, str, int, int]] = []
    unfinished: list[Unfinished] = []
    tokens: list[tuple[str, int, float | None]] = []
    found = find_articles(project, selected, shard=shard)
    articles = found.rels
    # By message: memory and the article pass may both meet one broken catalog.
    failed: dict[str, Notice] = {str(n): n for n in found.bad}
    stopped = False
    translator = make_engine(name, config=config, endpoint=endpoint, environ=os.environ)
    try:
        usable = usable_languages(project, translator, languages, origin=origin)
        if progress is not None:
            why = f"from {origin}" if origin else f"the default: no engine in {CONFIG_NAME}"
            progress(EngineChosen(engine=translator.describe(), origin=why))
        for lang, skipped in usable:
            if skipped is not None:
                notices.append(skipped)
                continue
            tally = Tally()  # this language's
            index = term_index(glossary, lang) if glossary is not None else None
            # An engine with glossaries of its own (DeepL) gets the project's, asked for
            # only once something is sent; the cache key follows the glossary's content.
            entries = (
                glossary_entries(glossary, lang)
                if translator.own_glossaries and glossary is not None and not dry_run
                else {}
            )
            glossed: bool | None = None if entries else False
            memory = Memory(_reviewed(project, lang, jobs, failed))
            local = _Local(
                project=project,
                lang=lang,
                memory=memory,
                refresh=refresh_fuzzy,
                dry_run=dry_run,
                engine=translator,
                index=index,
            )
            report = Reporter(progress, lang, len(articles), tally)
            if translator.local and not dry_run:
                # A local engine has no rate limit: each worker translates whole articles.
                work = parallel.each_kept(_translate_article, articles, jobs=jobs, shared=local)
                for rel, result in zip(articles, work, strict=True):
                    if isinstance(result, L10nError):
                        failed.setdefault(str(result), failure(result))
                    else:
                        article_tally, wrote = result
                        tally.add(article_tally)
                        if wrote is not None:
                            written.append(project.layout.catalog(lang, rel))
                            stamps[project.layout.catalog(lang, rel)] = wrote
                    report.article_done()
                total.add(tally)
                unfinished.extend(unfinished_of(lang, translator, tally))
                continue
            digest = glossary_digest(entries) if entries else None
            with open_cache(
                project, translator, config.source_language, lang, dry_run, glossary=digest
            ) as cache:
                sent = [0, 0, 0]
                # Memory and catalog work runs on every core; the engine then gets what
                # is left, article by article, from this process (one connection pool,
                # one rate limit).
                passes = parallel.each_kept(_from_memory, articles, jobs=jobs, shared=local)
                for rel, done in zip(articles, passes, strict=True):
                    if isinstance(done, L10nError):
                        failed.setdefault(str(done), failure(done))
                        continue
                    tally.memory += done.memory
                    tally.memory_fuzzy += done.memory_fuzzy
                    po_rel = project.layout.catalog(lang, rel)
                    if done.written is not None:
                        written.append(po_rel)
                        stamps[po_rel] = done.written
                    if not done.rest:
                        report.article_done()
                        continue
                    if dry_run:
                        protected = [protect(m, index).text for m in done.rest]
                        known = cache.get_many(protected) if cache is not None else {}
                        unsent = [t for t in dict.fromkeys(protected) if t not in known]
                        sent[0] += len(unsent)
                        sent[1] += sum(len(t) for t in unsent)
                        sent[2] += _tokens(local, done, cache)
                        continue
                    if glossed is None:
                        glossed = translator.prepare_glossary(config.source_language, lang, entries)
                        local = dataclasses.replace(local, swap_terms=not glossed)
                    batch = report.within(done.rest)
                    wrote = _engine_pass(local, rel, done, cache, batch, tally)
                    if wrote is not None:
                        stamps[po_rel] = wrote
                        if po_rel not in written:
                            written.append(po_rel)
                    report.article_done()
                if dry_run:
                    estimate.append((lang, translator.name, sent[0], sent[1]))
                    if translator.whole_articles:
                        price = config.translate.price_per_million
                        cost = sent[2] * price / 1e6 if price else None
                        tokens.append((lang, sent[2], cost))
            total.add(tally)
            unfinished.extend(unfinished_of(lang, translator, tally))
    except BaseException:
        stopped = True
        raise
    finally:
        translator.close()
        # Filling entries does not undo extract's merge (each write re-applies the fills
        # to the file as it then was): the next extract need not merge them again.
        try:
            with State(project.root) as state:
                for po_rel, stamp in stamps.items():
                    state.rewritten(po_rel, stamp)
        except L10nError as error:
            if not stopped:
                raise
            # The run's own error (or Ctrl-C) is the one to report; the records only
            # spare the next extract a merge.
            log.info("%s", error)
    return TranslateReport(
        written=tuple(written),
        notices=tuple(notices),
        tally=total,
        engine=translator.describe(),
        estimate=tuple(estimate),
        unfinished=tuple(unfinished),
        failed=tuple(failed.values()),
        tokens=tuple(tokens),
    )


class _Saver:
    """Writes one catalog as the engine's batches come in.

    At most every ``SAVE_EVERY`` seconds, and once more at the end (also when the run
    fails): a slow network engine gets its work saved after every batch, so an
    interruption loses little, while a local engine that does a whole catalog in a
    second does not pay for rewriting it after every batch.
    """

    SAVE_EVERY = 2.0

    def __init__(self, project: Project, po_rel: str, refresh_fuzzy: bool) -> None:
        self.project, self.po_rel, self.refresh = project, po_rel, refresh_fuzzy
        self.text = _read_optional(project, po_rel)
        self.pending: list[Fill] = []
        self.saved = time.monotonic()
        self.wrote: Stamp | None = None

    def __call__(self, batch: list[Fill]) -> None:
        self.pending.extend(batch)
        if time.monotonic() - self.saved >= self.SAVE_EVERY:
            self.flush()

    def flush(self) -> Stamp | None:
        """Write what is pending; the stamp of the last write (None: never written)."""
        if self.pending:
            fills, self.pending = self.pending, []
            edit = _filling(self.text, fills, self.po_rel, self.refresh)
            new = edit(self.text)
            saved = rewrite(self.project, self.po_rel, read=self.text, new=new, edit=edit)
            if saved is not None:
                self.text = saved.text
                if saved.written:
                    self.wrote = saved.stamp
        self.saved = time.monotonic()
        return self.wrote


def _filling(
    read: str | None, fills: Sequence[Fill], po_rel: str, refresh: bool
) -> Callable[[str | None], str | None]:
    """How ``fills``, made for the catalog text ``read``, go into the catalog as it is:
    only into entries still as they were read (see ``rewrite``)."""

    def edit(text: str | None) -> str | None:
        if text is None or read is None:
            return None  # the catalog was removed meanwhile: it stays removed
        todo = fills
        if text != read:
            todo = catalog.still_open(fills, read=read, now=text, file=po_rel)
        return catalog.apply_fills(text, todo, file=po_rel, refresh_fuzzy=refresh)

    return edit


@dataclass(frozen=True, kw_only=True)
class _Local:
    project: Project
    lang: str
    memory: Memory
    refresh: bool
    dry_run: bool
    engine: Engine
    index: TermIndex | None
    swap_terms: bool = True  # False: the engine applies the glossary (DeepL's own)


def _engine_pass(
    local: _Local,
    rel: str,
    done: _MemoryDone,
    cache: Cache | None,
    progress: Callable[[int, int], None] | None,
    tally: Tally,
) -> Stamp | None:
    """Machine-translate one catalog's ``rest``; the stamp of its last write, if any."""
    config = local.project.config
    saver = _Saver(local.project, local.project.layout.catalog(local.lang, rel), local.refresh)
    try:
        by_engine(
            done.rest,
            engine=local.engine,
            source=config.source_language,
            target=local.lang,
            index=local.index,
            cache=cache,
            batch_size=config.translate.batch_size,
            save=saver,
            progress=progress,
            tally=tally,
            ask_again=not local.engine.local and config.translate.retries > 0,
            title=done.title,
            swap_terms=local.swap_terms,
        )
    finally:
        wrote = saver.flush()
    return wrote


def _translate_article(rel: str) -> tuple[Tally, Stamp | None]:
    """Memory, then a local engine, for one catalog (in a worker process)."""
    local: _Local = parallel.context()
    done = _from_memory(rel)
    tally = Tally(memory=done.memory, memory_fuzzy=done.memory_fuzzy)
    wrote = done.written
    if done.rest:
        source = local.project.config.source_language
        with open_cache(local.project, local.engine, source, local.lang, False) as cache:
            wrote = _engine_pass(local, rel, done, cache, None, tally) or wrote
    return tally, wrote


@dataclass(frozen=True, kw_only=True)
class _MemoryDone:
    rest: tuple[str, ...]  # msgids left for the engine
    title: str  # the article's title (source text), context for article engines
    written: Stamp | None  # the catalog as this pass wrote it
    memory: int
    memory_fuzzy: int


def _from_memory(rel: str) -> _MemoryDone:
    """One catalog's local pass: what needs translating, and what memory can fill."""
    local: _Local = parallel.context()
    po_rel = local.project.layout.catalog(local.lang, rel)
    text = _read_optional(local.project, po_rel)
    if text is None:
        raise CatalogError("no catalog yet; run `l10n extract` first", file=po_rel)
    entries = catalog.translations(text, file=po_rel)
    todo = [t.msgid for t in entries if not t.msgstr or (local.refresh and t.fuzzy)]
    tally = Tally()
    fills, rest = from_memory(todo, local.memory, tally) if todo else ([], [])
    written = None
    if fills and not local.dry_run:
        edit = _filling(text, fills, po_rel, local.refresh)
        saved = rewrite(local.project, po_rel, read=text, new=edit(text), edit=edit)
        if saved is not None and saved.written:
            written = saved.stamp
    return _MemoryDone(
        rest=tuple(rest),
        title=_title(entries),
        written=written,
        memory=tally.memory,
        memory_fuzzy=tally.memory_fuzzy,
    )


def _reviewed(
    project: Project, lang: str, jobs: int, failed: dict[str, Notice]
) -> Iterator[tuple[str, str, str]]:
    """Translated, non-fuzzy entries of every PO file of ``lang`` (translation memory),
    read by the workers: an archive has one catalog per article and language.  A broken
    one is left out and added to ``failed``."""
    files = _catalogs(project, lang, ())
    for found in parallel.each_kept(_reviewed_in, files, jobs=jobs, shared=project):
        if isinstance(found, L10nError):
            failed.setdefault(str(found), failure(found))
            continue
        yield from found


def _reviewed_in(po_rel: str) -> list[tuple[str, str, str]]:
    project: Project = parallel.context()
    text = _read_optional(project, po_rel)
    entries = catalog.translations(text, file=po_rel) if text else []
    return [(t.msgid, t.msgstr, po_rel) for t in entries if t.msgstr and not t.fuzzy]


def _title(entries: Sequence[catalog.Translation]) -> str:
    """The article's title: its <title> entry, else its first heading (extract's
    comment names the element)."""
    for wanted in ("title", "h1"):
        for t in entries:
            if t.comment.split("\n", 1)[0] == wanted:
                return t.msgid
    return ""


def _tokens(local: _Local, done: _MemoryDone, cache: Cache | None) -> int:
    """Tokens an article engine would use for what the cache lacks (0 for others)."""
    if not local.engine.whole_articles:
        return 0
    protected = {m: protect(m, local.index) for m in done.rest}
    entries = article_entries(done.rest, protected)
    known = cache.get_many([article_key(e) for e in entries]) if cache is not None else {}
    ask = [e for e in entries if article_key(e) not in known]
    if not ask:
        return 0
    source = local.project.config.source_language
    return local.engine.estimate_article(ask, title=done.title, source=source, target=local.lang)

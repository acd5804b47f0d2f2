"""translate: memory, cache and engine over the project's catalogs."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from l10n import catalog
from l10n.config import CONFIG_NAME
from l10n.errors import CatalogError, TranslateError
from l10n.glossary.index import TermIndex, term_index
from l10n.pipeline import parallel
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
    list_articles,
    load_glossary,
    write_atomic,
)
from l10n.pipeline.state import State
from l10n.translate import DEFAULT_ENGINE, Engine, make_engine
from l10n.translate.cache import Cache
from l10n.translate.memory import Memory
from l10n.translate.protect import protect
from l10n.translate.run import Fill, Tally, by_engine, from_memory

log = logging.getLogger(__name__)

CACHE_DIR = ".l10n"  # git-ignored
CACHE_FILE = "cache.sqlite3"


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
    notices: list[Notice] = []
    estimate: list[tuple[str, str, int, int]] = []
    unfinished: list[Unfinished] = []
    articles = [r for r in list_articles(project, selected) if parallel.in_shard(r, shard)]
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
            memory = Memory(_reviewed(project, lang, jobs))
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
                work = parallel.each(_translate_article, articles, jobs=jobs, shared=local)
                for rel, (article_tally, wrote) in zip(articles, work, strict=True):
                    tally.add(article_tally)
                    if wrote:
                        written.append(project.layout.catalog(lang, rel))
                    report.article_done()
                total.add(tally)
                unfinished.extend(unfinished_of(lang, translator, tally))
                continue
            with _cache(project, translator, config.source_language, lang, dry_run) as cache:
                sent = [0, 0]
                # Memory and catalog work runs on every core; the engine then gets what
                # is left, article by article, from this process (one connection pool,
                # one rate limit).
                passes = parallel.each(_from_memory, articles, jobs=jobs, shared=local)
                for rel, done in zip(articles, passes, strict=True):
                    tally.memory += done.memory
                    tally.memory_fuzzy += done.memory_fuzzy
                    po_rel = project.layout.catalog(lang, rel)
                    if done.written:
                        written.append(po_rel)
                    if not done.rest:
                        report.article_done()
                        continue
                    if dry_run:
                        protected = [protect(m, index).text for m in done.rest]
                        known = cache.get_many(protected) if cache is not None else {}
                        unsent = [t for t in dict.fromkeys(protected) if t not in known]
                        sent[0] += len(unsent)
                        sent[1] += sum(len(t) for t in unsent)
                        continue
                    batch = report.within(done.rest)
                    wrote = _engine_pass(local, rel, done.rest, cache, batch, tally)
                    if wrote and po_rel not in written:
                        written.append(po_rel)
                    report.article_done()
                if dry_run:
                    estimate.append((lang, translator.name, sent[0], sent[1]))
            total.add(tally)
            unfinished.extend(unfinished_of(lang, translator, tally))
    finally:
        translator.close()
        # Filling entries does not undo extract's merge: the next extract need not
        # merge these catalogs again.
        with State(project.root) as state:
            for po_rel in written:
                state.rewritten(po_rel)
    return TranslateReport(
        written=tuple(written),
        notices=tuple(notices),
        tally=total,
        engine=translator.describe(),
        estimate=tuple(estimate),
        unfinished=tuple(unfinished),
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
        self.text = _read_optional(project, po_rel) or ""
        self.pending: list[Fill] = []
        self.saved = time.monotonic()
        self.wrote = False

    def __call__(self, batch: list[Fill]) -> None:
        self.pending.extend(batch)
        if time.monotonic() - self.saved >= self.SAVE_EVERY:
            self.flush()

    def flush(self) -> bool:
        """Write what is pending; whether the file was ever written."""
        if self.pending:
            new = catalog.apply_fills(
                self.text, self.pending, file=self.po_rel, refresh_fuzzy=self.refresh
            )
            self.pending = []
            if new != self.text:
                write_atomic(self.project.path(self.po_rel), new.encode("utf-8"))
                self.text = new
                self.wrote = True
        self.saved = time.monotonic()
        return self.wrote


@dataclass(frozen=True, kw_only=True)
class _Local:
    project: Project
    lang: str
    memory: Memory
    refresh: bool
    dry_run: bool
    engine: Engine
    index: TermIndex | None


def _engine_pass(
    local: _Local,
    rel: str,
    rest: Sequence[str],
    cache: Cache | None,
    progress: Callable[[int, int], None] | None,
    tally: Tally,
) -> bool:
    """Machine-translate one catalog's ``rest``; whether the catalog was written."""
    config = local.project.config
    saver = _Saver(local.project, local.project.layout.catalog(local.lang, rel), local.refresh)
    try:
        by_engine(
            rest,
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
        )
    finally:
        wrote = saver.flush()
    return wrote


def _translate_article(rel: str) -> tuple[Tally, bool]:
    """Memory, then a local engine, for one catalog (in a worker process)."""
    local: _Local = parallel.context()
    done = _from_memory(rel)
    tally = Tally(memory=done.memory, memory_fuzzy=done.memory_fuzzy)
    wrote = done.written
    if done.rest:
        source = local.project.config.source_language
        with _cache(local.project, local.engine, source, local.lang, False) as cache:
            wrote = _engine_pass(local, rel, done.rest, cache, None, tally) or wrote
    return tally, wrote


@dataclass(frozen=True, kw_only=True)
class _MemoryDone:
    rest: tuple[str, ...]  # msgids left for the engine
    written: bool
    memory: int
    memory_fuzzy: int


def _from_memory(rel: str) -> _MemoryDone:
    """One catalog's local pass: what needs translating, and what memory can fill."""
    local: _Local = parallel.context()
    po_rel = local.project.layout.catalog(local.lang, rel)
    text = _read_optional(local.project, po_rel)
    if text is None:
        raise CatalogError("no catalog yet; run `l10n extract` first", file=po_rel)
    todo = [
        t.msgid
        for t in catalog.translations(text, file=po_rel)
        if not t.msgstr or (local.refresh and t.fuzzy)
    ]
    tally = Tally()
    fills, rest = from_memory(todo, local.memory, tally) if todo else ([], [])
    written = False
    if fills and not local.dry_run:
        new = catalog.apply_fills(text, fills, file=po_rel, refresh_fuzzy=local.refresh)
        if new != text:
            write_atomic(local.project.path(po_rel), new.encode("utf-8"))
            written = True
    return _MemoryDone(
        rest=tuple(rest), written=written, memory=tally.memory, memory_fuzzy=tally.memory_fuzzy
    )


def _reviewed(project: Project, lang: str, jobs: int) -> Iterator[tuple[str, str, str]]:
    """Translated, non-fuzzy entries of every PO file of ``lang`` (translation memory),
    read by the workers: an archive has one catalog per article and language."""
    files = _catalogs(project, lang, ())
    for found in parallel.each(_reviewed_in, files, jobs=jobs, shared=project):
        yield from found


def _reviewed_in(po_rel: str) -> list[tuple[str, str, str]]:
    project: Project = parallel.context()
    text = _read_optional(project, po_rel)
    entries = catalog.translations(text, file=po_rel) if text else []
    return [(t.msgid, t.msgstr, po_rel) for t in entries if t.msgstr and not t.fuzzy]


@contextlib.contextmanager
def _cache(
    project: Project, translator: Engine, source: str, target: str, dry_run: bool
) -> Iterator[Cache | None]:
    if not translator.cacheable:
        yield None
        return
    folder = project.path(CACHE_DIR)
    if dry_run and not (folder / CACHE_FILE).exists():
        yield None
        return
    folder.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(folder / CACHE_FILE, timeout=60)
    try:
        options = dict(translator.options)
        try:
            cache = Cache(
                connection, engine=translator.name, source=source, target=target, options=options
            )
        except sqlite3.DatabaseError as exc:
            # It holds paid-for translations: say so rather than replace it.
            raise TranslateError(
                f"translation cache unreadable ({exc}); move it away to start a new one",
                file=f"{CACHE_DIR}/{CACHE_FILE}",
            ) from exc
        yield cache
    finally:
        connection.close()

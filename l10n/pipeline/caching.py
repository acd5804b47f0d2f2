"""The translation cache (``.l10n/cache.sqlite3``) as translate opens it: only for an
engine whose answers can be kept, keyed by its options and its own glossary, and with
one line for whatever keeps it from being used.  It holds paid-for translations, so
l10n never moves or deletes it: the user decides."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from l10n.errors import TranslateError
from l10n.pipeline import databases
from l10n.pipeline.project import Project
from l10n.translate.cache import Cache
from l10n.translate.engine import Engine

CACHE_DIR = ".l10n"  # git-ignored
CACHE_FILE = "cache.sqlite3"


@contextlib.contextmanager
def open_cache(
    project: Project,
    translator: Engine,
    source: str,
    target: str,
    dry_run: bool,
    *,
    glossary: str | None = None,
) -> Iterator[Cache | None]:
    if not translator.cacheable:
        yield None
        return
    folder = project.path(CACHE_DIR)
    if dry_run and not (folder / CACHE_FILE).exists():
        yield None
        return
    path = folder / CACHE_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        connection = databases.connect(path)
    except (OSError, sqlite3.Error) as exc:
        raise _error(exc, path) from exc
    try:
        options = dict(translator.options)
        if glossary:  # the engine's own glossary shapes its answers
            options["glossary"] = glossary
        try:
            databases.check(connection, writable=not dry_run)
            yield Cache(
                connection, engine=translator.name, source=source, target=target, options=options
            )
        except sqlite3.Error as exc:  # only the cache is open while its block runs
            raise _error(exc, path) from exc
    finally:
        connection.close()


def _error(exc: OSError | sqlite3.Error, path: Path) -> TranslateError:
    """One line for the cache that failed: it holds paid-for translations, so the user
    decides what becomes of it, never us."""
    if isinstance(exc, OSError):
        what = f"cannot be opened ({exc.strerror or exc})"
        kind = databases.Trouble.OTHER
    else:
        kind = databases.trouble(exc, path)
        what = databases.reason(kind, exc)
    if kind is databases.Trouble.BUSY:
        what += "; run this one when it has finished"
    elif kind is databases.Trouble.READ_ONLY:
        what += "; make it and its folder writable, or move it away to start an empty cache"
    elif kind is databases.Trouble.FULL:
        what += "; free some space and run again"
    else:
        what += "; move it away or delete it to start an empty cache"
    return TranslateError(
        f"translation cache: {what}; translations in PO files are not affected",
        file=f"{CACHE_DIR}/{CACHE_FILE}",
    )


def glossary_digest(entries: dict[str, str]) -> str:
    text = json.dumps(sorted(entries.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

"""Per-article work over every core, with flat memory; and deterministic shards.

Each article is independent (its own POT, POs and pages), so commands hand a worker
function and the article list to ``each``; workers write their article's files
themselves and return small records, so no process ever holds the archive in memory.
Workers are forked: they inherit the parent's loaded project, glossary and indexes
instead of pickling them, and the parent alone touches the state database.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from l10n.errors import L10nError

T = TypeVar("T")
R = TypeVar("R")

# Below this many articles per worker, forking costs more than it saves.
_MIN_PER_JOB = 4


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


_context: Any = None


def context() -> Any:
    """What the command handed to ``each``, in the worker running ``work``."""
    return _context


def each(work: Callable[[T], R], items: Sequence[T], *, jobs: int, shared: object) -> Iterator[R]:
    """``work(item)`` for every item, results in item order; ``work`` finds ``shared``
    (project, glossary, indexes: things too costly to pickle per item) via ``context()``.

    The first exception (in item order) propagates after pending work is cancelled;
    articles finished before it keep their (atomically written) files.
    """
    global _context
    previous = _context
    try:
        jobs = min(jobs, len(items) // _MIN_PER_JOB)
        if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for item in items:
                _context = shared  # again for each item: the caller may run another
                yield work(item)  # ``each`` between two of ours
            return
        _context = shared  # the workers are forked, with it, when the work is submitted
        chunk = max(1, min(16, len(items) // (jobs * 8)))
        fork = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=fork, initializer=_ignore_interrupts) as pool:
            try:
                yield from pool.map(work, items, chunksize=chunk)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        _context = previous


def each_kept(
    work: Callable[[T], R], items: Sequence[T], *, jobs: int, shared: object
) -> Iterator[R | L10nError]:
    """``each``, but an item whose ``work`` raises an ``L10nError`` (bad input of its own:
    a binary article, a broken catalog) gives that error in its place and the other items
    are still done; from a worker process too, since errors travel back as results."""
    return each(functools.partial(_kept, work), items, jobs=jobs, shared=shared)


def _kept(work: Callable[[T], R], item: T) -> R | L10nError:
    try:
        return work(item)
    except L10nError as exc:
        return exc


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group: the parent alone stops the run (cancelling
    # what has not started), and each worker finishes its article rather than dying
    # with a traceback halfway through it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def parse_shard(value: str) -> tuple[int, int]:
    """``"I/N"`` → ``(I, N)`` with ``1 ≤ I ≤ N``."""
    index, sep, count = value.partition("/")
    if sep and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count):
        return int(index), int(count)
    raise L10nError(f"--shard must be I/N with 1 ≤ I ≤ N (like 2/8), not {value!r}")


def in_shard(rel: str, shard: tuple[int, int] | None) -> bool:
    """Does article ``rel`` belong to ``shard``?  By a hash of its path, so adding
    articles never moves the others to another shard."""
    if shard is None:
        return True
    index, count = shard
    h = int.from_bytes(hashlib.blake2b(rel.encode("utf-8"), digest_size=8).digest(), "big")
    return h % count == index - 1

"""Catalog writes against the file as it is on disk when they happen.

A command reads a catalog, works on it for a while (an engine can take minutes), then
writes.  Meanwhile ``extract`` may have merged a new paragraph into it, or a translator
may have saved it in Poedit.  Writing the text made from the old read would throw that
away, so ``rewrite`` re-reads the file just before the rename and, if it changed since
it was read, makes the new text again from the file as it is now.

The re-read and the rename happen under one project-wide lock (``.l10n/write.lock``),
taken by every command that writes catalogs, and only for that moment: never around
the slow work, so two commands can run side by side and only their writes take turns.
A translator's editor takes no lock; the re-read narrows its window to the rename.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from l10n.errors import CatalogError
from l10n.pipeline.project import Project, _decode, write_atomic
from l10n.pipeline.state import STATE_DIR, Stamp, stamp_of

LOCK_FILE = f"{STATE_DIR}/write.lock"
LOCK_TIMEOUT = 20.0  # seconds; a write under the lock takes well under one
_POLL = 0.02
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, kw_only=True)
class Saved:
    """A catalog after ``rewrite``: its text and stamp, whether or not it was written."""

    text: str
    stamp: Stamp
    written: bool


@contextlib.contextmanager
def write_lock(project: Project, rel: str) -> Iterator[None]:
    """Hold the project's write lock for writing ``rel`` (waiting up to LOCK_TIMEOUT)."""
    path = project.path(LOCK_FILE)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise CatalogError(
            f"cannot take the write lock {LOCK_FILE} ({exc.strerror or exc}); not written",
            file=rel,
        ) from exc
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise CatalogError(
                        f"another l10n command is writing {rel}; try again"
                    ) from None
                time.sleep(_POLL)
        yield
    finally:
        os.close(fd)  # also releases the lock


def rewrite(
    project: Project,
    rel: str,
    *,
    read: str | None,
    new: str | None,
    edit: Callable[[str | None], str | None],
) -> Saved | None:
    """Write ``new`` to ``rel``: the text ``edit`` made of ``read``, the file's text as
    read earlier (None: it did not exist).  If the file no longer holds ``read``, write
    ``edit(current)`` instead.  (Callers make ``new`` before writing anything, so that a
    bad input stops a command before its first write.)

    ``edit`` gets the file's text and returns the text to write, or None to leave the
    file as it is (returned as None when there is then no file).  A file that already
    holds the new text is not written again.  The stamp describes the file as this call
    left it: the bytes written, read while the lock still keeps other writers out.
    """
    path = project.path(rel)
    with write_lock(project, rel):
        try:
            data: bytes | None = path.read_bytes()
        except FileNotFoundError:
            data = None
        except OSError as exc:
            raise CatalogError(exc.strerror or str(exc), file=rel) from exc
        current = None if data is None else _decode(data, CatalogError, rel)
        if current != read:
            new = edit(current)
        # A byte-order mark an editor wrote stays (the text is read without it).
        bom = _BOM if data is not None and data.startswith(_BOM) else b""
        if new is None or (data is not None and bom + new.encode("utf-8") == data):
            if data is None or current is None:
                return None
            return Saved(text=current, stamp=stamp_of(data, path.stat()), written=False)
        encoded = bom + new.encode("utf-8")
        write_atomic(path, encoded)
        return Saved(text=new, stamp=stamp_of(encoded, path.stat()), written=True)

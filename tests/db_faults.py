"""Real faults for the tool's SQLite databases and the project's files, for the tests of
``.l10n/state.sqlite3`` and ``.l10n/cache.sqlite3``.

Each one is the condition itself, not a mock of its error: pages overwritten in the
middle of a real database, mode bits the kernel enforces, another process holding
SQLite's lock, SQLite's own page limit, the kernel's file-size limit.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PAGE = 4096


def damage(path: Path) -> bytes:
    """Grow the real database at ``path`` by many rows, then overwrite pages in its
    middle: the header and schema stay valid, so it opens, and fails when read.
    Returns the damaged bytes."""
    db = sqlite3.connect(path)
    with db:
        db.execute("create table if not exists padding (text)")
        db.executemany("insert into padding values (?)", ((f"row {n} " * 20,) for n in range(3000)))
    db.close()
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    assert pages > 20
    for page in range(2, pages - 2):  # page 1 holds the header and the schema
        if page % 3 == 0:
            data[page * PAGE : (page + 1) * PAGE] = b"\xa5" * PAGE
    path.write_bytes(bytes(data))
    return bytes(data)


_HOLD = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("begin exclusive")
print("locked", flush=True)
sys.stdin.read()
"""


@contextlib.contextmanager
def held(path: Path) -> Iterator[None]:
    """Another process holding ``BEGIN EXCLUSIVE`` on the database at ``path``."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline() == "locked\n"
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give up waiting for another command's lock after a fraction of a second."""
    monkeypatch.setattr("l10n.pipeline.databases.BUSY_TIMEOUT", 0.2)


# --- read-only, for every user ----------------------------------------------------------
#
# Root writes through mode bits by way of two capabilities; CI runs the tests as root.
# Dropping them from this thread's effective set (capset(2); they stay permitted, so they
# are raised again afterwards) makes 0444 mean for root what it means for everyone else.

_CAP_DAC = (1 << 1) | (1 << 2)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
_CAP_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _capabilities(change: int | None = None) -> int:
    """This thread's effective capabilities (first word); with ``change``, set them."""
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = _CapHeader(_CAP_VERSION_3, 0), (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    if change is not None:
        data[0].effective = change
        if libc.capset(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capset")
    return int(data[0].effective)


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """``paths`` read-only (files 0444, folders 0555) for this process, root included."""
    modes = [(p, p.stat().st_mode & 0o7777) for p in paths]
    for path, _ in modes:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    saved = _capabilities() if os.geteuid() == 0 else None
    if saved is not None:
        _capabilities(saved & ~_CAP_DAC)
    try:
        for path, _ in modes:  # the condition holds, or the test would prove nothing
            target = path / ".probe" if path.is_dir() else path
            with pytest.raises(PermissionError):
                open(target, "ab").close()
        yield
    finally:
        if saved is not None:
            _capabilities(saved)
        for path, mode in modes:
            os.chmod(path, mode)


# --- full -------------------------------------------------------------------------------


def full_database(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The database file ``name`` the tool opens is full: SQLite's page limit set to
    the pages it has, so a write that needs one more page fails with SQLITE_FULL, as
    on a full disk."""
    from l10n.pipeline import databases

    real = databases.connect

    def connect(path: Path) -> sqlite3.Connection:
        db = real(path)
        if path.name == name:
            pages = db.execute("pragma page_count").fetchone()[0]
            db.execute(f"pragma max_page_count = {max(pages, 1)}")
        return db

    monkeypatch.setattr(databases, "connect", connect)


@contextlib.contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    """No file can grow past ``size`` bytes (RLIMIT_FSIZE, which holds for root too):
    the kernel refuses the write, the way a full disk does."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills us
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)

"""The tool's own SQLite databases under ``.l10n/``: the state and the translation cache.

Both are files a user can damage, make read-only, replace by a folder, lock with a
second command, or fill the disk under.  Each of those asks something different of the
user, so ``trouble`` tells them apart by SQLite's error code (not its message), and
``reason`` says which one it was; what to do about it depends on the database, and is
said where each is opened (``state.State``, ``caching.open_cache``).
"""

from __future__ import annotations

import enum
import sqlite3
from pathlib import Path

# Another command saving its records holds the lock for a moment; one still waiting
# after this long is stuck behind something else, and saying so beats hanging.
BUSY_TIMEOUT = 10.0


class Trouble(enum.Enum):
    DAMAGED = "damaged"
    NOT_A_FILE = "not a file"
    READ_ONLY = "read-only"
    BUSY = "busy"
    FULL = "full"
    OTHER = "unusable"


_BY_CODE = {
    sqlite3.SQLITE_CORRUPT: Trouble.DAMAGED,
    sqlite3.SQLITE_NOTADB: Trouble.DAMAGED,
    sqlite3.SQLITE_READONLY: Trouble.READ_ONLY,
    sqlite3.SQLITE_PERM: Trouble.READ_ONLY,
    sqlite3.SQLITE_BUSY: Trouble.BUSY,
    sqlite3.SQLITE_LOCKED: Trouble.BUSY,
    sqlite3.SQLITE_FULL: Trouble.FULL,
}


class Damaged(sqlite3.DatabaseError):
    """``quick_check`` found damage that no statement has run into yet."""

    sqlite_errorcode = sqlite3.SQLITE_CORRUPT


def connect(path: Path) -> sqlite3.Connection:
    """The database at ``path`` (a file SQLite cannot write it opens read-only: the
    first write says so)."""
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT)


def check(db: sqlite3.Connection, *, writable: bool) -> None:
    """Raise now, before a command does any work, what its first real read or write
    would raise later: damage anywhere in the file, and (``writable``) a file, folder or
    lock that does not let it save.  A write that is rolled back needs the same lock,
    journal and folder as a real one."""
    found = db.execute("pragma quick_check(1)").fetchone()
    if found is None or found[0] != "ok":
        raise Damaged("database disk image is malformed")  # SQLite's words for it
    if not writable:
        return
    db.execute("begin immediate")
    try:
        version = int(db.execute("pragma user_version").fetchone()[0])
        db.execute(f"pragma user_version = {version}")
    finally:
        if db.in_transaction:
            db.execute("rollback")


def trouble(exc: sqlite3.Error, path: Path) -> Trouble:
    """What kind of failure ``exc``, raised by the database at ``path``, is."""
    if path.is_dir():
        return Trouble.NOT_A_FILE
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return Trouble.OTHER
    kind = _BY_CODE.get(code & 0xFF, Trouble.OTHER)
    if kind is Trouble.OTHER and code & 0xFF == sqlite3.SQLITE_CANTOPEN and not path.exists():
        return Trouble.READ_ONLY  # it cannot be created: the folder does not let us
    return kind


def reason(kind: Trouble, exc: sqlite3.Error) -> str:
    """The first half of the one line about ``exc``: what is wrong, in the user's terms."""
    if kind is Trouble.NOT_A_FILE:
        return "is a folder, not a database"
    if kind is Trouble.BUSY:
        return f"busy: another l10n command is using it (still locked after {BUSY_TIMEOUT:g} s)"
    if kind is Trouble.FULL:
        return f"cannot be written, the disk is full ({exc})"
    return f"{kind.value} ({exc})"

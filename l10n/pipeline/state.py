"""What each output was made from: the record that makes reruns incremental.

``.l10n/state.sqlite3`` (git-ignored, beside the translation cache) keeps, per project
file, its size, modification time and SHA-256, and, per output (a published page, an
article's extracted catalogs), the digest of the inputs it was made from.  A rerun
stats each input and only reads and hashes the ones whose size or time changed, the
way git's index does, so a no-op run over a large archive reads almost nothing.

A stat match is trusted only for files last modified at least a second before their
record was saved ("racily clean" entries in git's terms): a file rewritten within the
same timestamp tick with the same size would otherwise look unchanged.  Files a run
writes early are settled by the time it saves, so the next run need not hash them.

SQLite rather than one JSON file so that several shards or commands running at once
in the same checkout do not overwrite each other's records.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import l10n

log = logging.getLogger(__name__)

STATE_DIR = ".l10n"
STATE_FILE = "state.sqlite3"
_RACY_NS = 1_000_000_000

_SCHEMA = """
create table if not exists files (path text primary key, size integer, mtime_ns integer,
                                  sha text, hashed_ns integer);
create table if not exists outputs (path text primary key, inputs text, sha text);
create table if not exists facts (path text primary key, inputs text, data text);
"""


@dataclass(frozen=True, kw_only=True, slots=True)
class Stamp:
    """A file as just written or read: what ``State`` records about it.

    Pool workers write files and hand stamps back; only the parent touches the database.
    """

    sha: str
    size: int
    mtime_ns: int
    hashed_ns: int


def stamp_of(data: bytes, st: os.stat_result) -> Stamp:
    return Stamp(
        sha=hashlib.sha256(data).hexdigest(),
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        hashed_ns=time.time_ns(),
    )


def digest(*parts: str) -> str:
    """One SHA-256 over several strings (inputs of an output, in a fixed order)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


@cache
def tool_version() -> str:
    """The version plus a hash of the package's source, so a changed tool republishes."""
    h = hashlib.sha256(l10n.__version__.encode())
    root = Path(l10n.__file__).parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class State:
    """The state database of one project; use as a context manager."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[str, Stamp] = {}
        self._outputs: dict[str, tuple[str, str]] = {}
        self._facts: dict[str, tuple[str, str]] = {}
        self._dirty_files: set[str] = set()
        self._known: dict[str, str | None] = {}
        self._base = str(root)
        self._dirty_outputs: set[str] = set()
        self._dirty_facts: set[str] = set()
        self._gone: set[str] = set()
        self._db: sqlite3.Connection | None = None
        path = root / STATE_DIR / STATE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open(path)
        except sqlite3.DatabaseError:
            # Only a record of past runs: losing it costs one full run, not any work.
            log.warning("%s is damaged; starting a new one (everything is redone once)", path)
            os.replace(path, path.with_name(path.name + ".damaged"))
            self._db = self._open(path)
        for p, size, mtime, sha, hashed in self._db.execute("select * from files"):
            self._files[p] = Stamp(size=size, mtime_ns=mtime, sha=sha, hashed_ns=hashed)
        for p, inputs, sha in self._db.execute("select * from outputs"):
            self._outputs[p] = (inputs, sha)
        for p, inputs, data in self._db.execute("select * from facts"):
            self._facts[p] = (inputs, data)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=60)
        try:
            db.executescript(_SCHEMA)
            db.execute("select count(*) from files").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self.flush()
            self._db.close()
            self._db = None

    # --- files -----------------------------------------------------------------------

    def sha(self, rel: str) -> str | None:
        """SHA-256 of a project file's bytes (``None`` if it does not exist).

        Asked again in the same command, the answer is remembered: a command reads
        each input once, and records what it writes itself (``note``).
        """
        if rel in self._known:
            return self._known[rel]
        path = os.path.join(self._base, rel)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            self._known[rel] = None
            return None
        seen = self._files.get(rel)
        if (
            seen is not None
            and seen.size == st.st_size
            and seen.mtime_ns == st.st_mtime_ns
            and seen.hashed_ns - st.st_mtime_ns > _RACY_NS
        ):
            self._known[rel] = seen.sha
            return seen.sha
        with open(path, "rb") as handle:
            return self.note(rel, handle.read(), st)

    def note(self, rel: str, data: bytes, st: os.stat_result | None = None) -> str:
        """Record a file whose bytes the caller has just read or written."""
        stamp = stamp_of(data, st or os.stat(os.path.join(self._base, rel)))
        self.note_stamp(rel, stamp)
        return stamp.sha

    def note_stamp(self, rel: str, stamp: Stamp) -> None:
        self._files[rel] = stamp
        self._known[rel] = stamp.sha
        self._dirty_files.add(rel)

    # --- outputs ---------------------------------------------------------------------

    def up_to_date(self, outputs: Iterable[str], inputs: str) -> bool:
        """Were all ``outputs`` made from ``inputs`` and left as they were written?"""
        for rel in outputs:
            recorded = self._outputs.get(rel)
            if recorded is None or recorded[0] != inputs or self.sha(rel) != recorded[1]:
                return False
        return True

    def made(self, rel: str, inputs: str, stamp: Stamp) -> None:
        """Record that ``rel`` now holds the bytes ``stamp`` describes, made from ``inputs``."""
        self.note_stamp(rel, stamp)
        self._outputs[rel] = (inputs, stamp.sha)
        self._dirty_outputs.add(rel)

    def rewritten(self, rel: str, stamp: Stamp) -> None:
        """``rel`` was changed by a step that keeps it what its inputs made it (translate
        fills a PO that extract merged): record the bytes it wrote under the same inputs.

        The stamp of the write, not the file as it is now: a later change by someone
        else must not be recorded as this step's output."""
        self.note_stamp(rel, stamp)
        recorded = self._outputs.get(rel)
        if recorded is not None:
            self._outputs[rel] = (recorded[0], stamp.sha)
            self._dirty_outputs.add(rel)

    def forget(self, rel: str) -> None:
        """``rel`` was deleted by this command: drop what was recorded about it."""
        self._files.pop(rel, None)
        self._outputs.pop(rel, None)
        self._known[rel] = None
        self._dirty_files.discard(rel)
        self._dirty_outputs.discard(rel)
        self._gone.add(rel)

    def inputs_of(self, rel: str) -> str | None:
        recorded = self._outputs.get(rel)
        return None if recorded is None else recorded[0]

    # --- facts: derived data cached per file (catalog statistics, check counts) -----

    def fact(self, rel: str, inputs: str) -> Mapping[str, object] | None:
        recorded = self._facts.get(rel)
        if recorded is None or recorded[0] != inputs:
            return None
        value: Mapping[str, object] = json.loads(recorded[1])
        return value

    def remember(self, rel: str, inputs: str, data: Mapping[str, object]) -> None:
        self._facts[rel] = (inputs, json.dumps(data, sort_keys=True))
        self._dirty_facts.add(rel)

    def flush(self) -> None:
        if self._db is None:
            return
        db = self._db
        # Git's rule for "racily clean" files: a record is trusted only for a file last
        # modified well before the record was saved, so the save time is what counts.
        now = time.time_ns()
        with db:
            db.executemany(
                "insert or replace into files values (?, ?, ?, ?, ?)",
                (
                    (p, s.size, s.mtime_ns, s.sha, now)
                    for p, s in ((p, self._files[p]) for p in self._dirty_files)
                ),
            )
            db.executemany(
                "insert or replace into outputs values (?, ?, ?)",
                ((p, *self._outputs[p]) for p in self._dirty_outputs),
            )
            db.executemany(
                "insert or replace into facts values (?, ?, ?)",
                ((p, *self._facts[p]) for p in self._dirty_facts),
            )
            for table in ("files", "outputs"):
                db.executemany(f"delete from {table} where path = ?", ((p,) for p in self._gone))
        self._dirty_files.clear()
        self._dirty_outputs.clear()
        self._dirty_facts.clear()
        self._gone.clear()


def inputs(**parts: object) -> str:
    """The inputs an output is made from, as one comparable string.

    Kept readable (JSON, not one digest) so ``status`` can say *which* input changed.
    """
    return json.dumps(parts, sort_keys=True, separators=(",", ":"))


def changed_inputs(recorded: str, current: str) -> list[str]:
    """Names of the parts that differ between two ``inputs`` strings."""
    old, new = json.loads(recorded), json.loads(current)
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))

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
from l10n.errors import StateError
from l10n.pipeline import databases
from l10n.pipeline.databases import Trouble

log = logging.getLogger(__name__)

STATE_DIR = ".l10n"
STATE_FILE = "state.sqlite3"
STATE_REL = f"{STATE_DIR}/{STATE_FILE}"
_SIDE_FILES = ("-journal", "-wal", "-shm")  # SQLite's files beside a database
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
    """The state database of one project; use as a context manager.

    A damaged database (or a folder in its place) is set aside and started again: it
    only records past runs, so losing it costs one full run, not any work.  One that is
    read-only, locked by another command or on a full disk is a ``StateError`` before
    the command writes anything, except with ``record=False`` (``status``, which only
    saves shortcuts for its next run): then it is read as it is and nothing is saved.
    """

    def __init__(self, root: Path, *, record: bool = True) -> None:
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
        self._record = record
        self._path = root / STATE_DIR / STATE_FILE
        self._db: sqlite3.Connection | None = self._start()

    def _start(self) -> sqlite3.Connection | None:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if not self._record:
                return None
            raise StateError(
                f"cannot make the folder {STATE_DIR} ({exc.strerror or exc})", file=STATE_REL
            ) from exc
        try:
            return self._load()
        except sqlite3.Error as exc:
            kind = databases.trouble(exc, self._path)
            if kind in (Trouble.DAMAGED, Trouble.NOT_A_FILE):
                self._set_aside(kind, exc)
                try:
                    return self._load()
                except sqlite3.Error as again:
                    raise self._error(again) from again
            if kind is Trouble.READ_ONLY and not self._record:
                return None  # cannot even be created: nothing recorded, nothing saved
            raise self._error(exc) from exc

    def _load(self) -> sqlite3.Connection:
        db = databases.connect(self._path)
        try:
            databases.check(db, writable=self._record)
            db.executescript(_SCHEMA)
            files = {
                p: Stamp(size=size, mtime_ns=mtime, sha=sha, hashed_ns=hashed)
                for p, size, mtime, sha, hashed in db.execute("select * from files")
            }
            outputs = {p: (i, sha) for p, i, sha in db.execute("select * from outputs")}
            facts = {p: (i, data) for p, i, data in db.execute("select * from facts")}
        except BaseException:
            db.close()
            raise
        self._files, self._outputs, self._facts = files, outputs, facts
        return db

    def _set_aside(self, kind: Trouble, exc: sqlite3.Error) -> None:
        aside = self._path.with_name(self._path.name + ".damaged")
        if aside.exists() and aside.is_dir() != self._path.is_dir():
            aside = aside.with_name(f"{aside.name}-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            os.replace(self._path, aside)
            for suffix in _SIDE_FILES:  # a journal left beside it belongs to it
                side = self._path.with_name(self._path.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
        except OSError as error:
            raise StateError(
                f"{databases.reason(kind, exc)}, and cannot be set aside "
                f"({error.strerror or error}); delete it (it only records past runs)",
                file=STATE_REL,
            ) from error
        log.warning(
            "%s: %s; set aside as %s, starting a new one (everything is redone once)",
            STATE_REL,
            databases.reason(kind, exc),
            aside.name,
        )

    def _error(self, exc: sqlite3.Error) -> StateError:
        kind = databases.trouble(exc, self._path)
        what = databases.reason(kind, exc)
        if kind is Trouble.READ_ONLY:
            what += (
                "; l10n records here what each command made: make it and its folder "
                "writable, or delete it (it only records past runs)"
            )
        elif kind is Trouble.BUSY:
            what += "; run this one when it has finished"
        elif kind is Trouble.FULL:
            what += "; free some space and run again (every file written so far is complete)"
        else:
            what += "; delete it to start a new one (it only records past runs)"
        return StateError(what, file=STATE_REL)

    def __enter__(self) -> State:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if kind is None:
            self.close()
            return
        # The command's own error is the one to report; its records are a bonus.
        try:
            self.close()
        except StateError as error:
            log.info("%s", error)

    def close(self) -> None:
        if self._db is not None:
            try:
                self.flush()
            finally:
                if self._db is not None:
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
        try:
            self._save(self._db)
        except sqlite3.Error as exc:
            kind = databases.trouble(exc, self._path)
            if not self._record:
                log.info("%s: not saved: %s", STATE_REL, databases.reason(kind, exc))
            elif kind is not Trouble.DAMAGED:
                raise self._error(exc) from exc
            else:
                # Damage found only now: what was loaded, and this run's records, is
                # everything; a new database gets all of it.
                self._db.close()
                self._db = None
                self._set_aside(kind, exc)
                self._dirty_files |= set(self._files)
                self._dirty_outputs |= set(self._outputs)
                self._dirty_facts |= set(self._facts)
                try:
                    self._db = databases.connect(self._path)
                    self._db.executescript(_SCHEMA)
                    self._save(self._db)
                except sqlite3.Error as again:
                    raise self._error(again) from again
        self._dirty_files.clear()
        self._dirty_outputs.clear()
        self._dirty_facts.clear()
        self._gone.clear()

    def _save(self, db: sqlite3.Connection) -> None:
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


def inputs(**parts: object) -> str:
    """The inputs an output is made from, as one comparable string.

    Kept readable (JSON, not one digest) so ``status`` can say *which* input changed.
    """
    return json.dumps(parts, sort_keys=True, separators=(",", ":"))


def changed_inputs(recorded: str, current: str) -> list[str]:
    """Names of the parts that differ between two ``inputs`` strings."""
    old, new = json.loads(recorded), json.loads(current)
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))

"""The state database that makes reruns incremental."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from pathlib import Path

from l10n.pipeline.state import State, changed_inputs, inputs, stamp_of, tool_version


def write(root: Path, rel: str, data: bytes, *, age: float = 10.0) -> None:
    """Write a file whose modification time lies ``age`` seconds in the past."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    past = path.stat().st_mtime - age
    os.utime(path, (past, past))


def test_sha_is_remembered_and_a_stat_change_rehashes(tmp_path: Path) -> None:
    write(tmp_path, "a.html", b"one")
    with State(tmp_path) as state:
        assert state.sha("a.html") == hashlib.sha256(b"one").hexdigest()
        assert state.sha("missing.html") is None
    write(tmp_path, "a.html", b"two!")  # other size
    with State(tmp_path) as state:
        assert state.sha("a.html") == hashlib.sha256(b"two!").hexdigest()


def test_same_size_and_time_is_trusted_only_when_not_racy(tmp_path: Path) -> None:
    write(tmp_path, "a.html", b"aaa")
    mtime = (tmp_path / "a.html").stat().st_mtime_ns
    with State(tmp_path) as state:
        state.sha("a.html")
    # Same size, same time, other bytes: an old, settled record is trusted (that is
    # what makes no-op runs cheap) ...
    (tmp_path / "a.html").write_bytes(b"bbb")
    os.utime(tmp_path / "a.html", ns=(mtime, mtime))
    with State(tmp_path) as state:
        assert state.sha("a.html") == hashlib.sha256(b"aaa").hexdigest()
    # ... but a file hashed in the same second it was written is hashed again.
    (tmp_path / "b.html").write_bytes(b"ccc")
    with State(tmp_path) as state:
        state.sha("b.html")
    mtime = (tmp_path / "b.html").stat().st_mtime_ns
    (tmp_path / "b.html").write_bytes(b"ddd")
    os.utime(tmp_path / "b.html", ns=(mtime, mtime))
    with State(tmp_path) as state:
        assert state.sha("b.html") == hashlib.sha256(b"ddd").hexdigest()


def test_outputs_are_up_to_date_only_with_same_inputs_and_untouched_bytes(tmp_path: Path) -> None:
    write(tmp_path, "out.html", b"page")
    made = inputs(article="a1", catalog="c1")
    with State(tmp_path) as state:
        state.made("out.html", made, stamp_of(b"page", (tmp_path / "out.html").stat()))
    with State(tmp_path) as state:
        assert state.up_to_date(["out.html"], made)
        assert not state.up_to_date(["out.html"], inputs(article="a2", catalog="c1"))
        assert not state.up_to_date(["out.html", "other.html"], made)
        assert state.inputs_of("out.html") == made
    write(tmp_path, "out.html", b"edited by hand")
    with State(tmp_path) as state:
        assert not state.up_to_date(["out.html"], made)


def test_a_forgotten_output_loses_its_records(tmp_path: Path) -> None:
    write(tmp_path, "out.html", b"page")
    made = inputs(article="a1")
    with State(tmp_path) as state:
        state.made("out.html", made, stamp_of(b"page", (tmp_path / "out.html").stat()))
    (tmp_path / "out.html").unlink()
    with State(tmp_path) as state:
        state.forget("out.html")
        assert state.sha("out.html") is None and state.inputs_of("out.html") is None
    with State(tmp_path) as state:
        assert state.inputs_of("out.html") is None
    with sqlite3.connect(tmp_path / ".l10n" / "state.sqlite3") as db:
        assert db.execute("select count(*) from outputs").fetchone() == (0,)
        assert db.execute("select count(*) from files").fetchone() == (0,)


def test_changed_inputs_names_the_parts() -> None:
    old = inputs(article="a", catalog="c", tool="1")
    assert changed_inputs(old, inputs(article="a", catalog="d", tool="2")) == ["catalog", "tool"]
    assert changed_inputs(old, old) == []


def test_facts_are_keyed_by_their_inputs(tmp_path: Path) -> None:
    with State(tmp_path) as state:
        state.remember("es.po", "k1", {"translated": 3})
    with State(tmp_path) as state:
        assert state.fact("es.po", "k1") == {"translated": 3}
        assert state.fact("es.po", "k2") is None


def test_two_processes_keep_each_others_records(tmp_path: Path) -> None:
    write(tmp_path, "a", b"1")
    write(tmp_path, "b", b"2")
    first, second = State(tmp_path), State(tmp_path)
    first.made("a", "x", stamp_of(b"1", (tmp_path / "a").stat()))
    second.made("b", "y", stamp_of(b"2", (tmp_path / "b").stat()))
    first.close()
    second.close()
    with State(tmp_path) as state:
        assert state.inputs_of("a") == "x" and state.inputs_of("b") == "y"


def test_database_is_plain_sqlite(tmp_path: Path) -> None:
    write(tmp_path, "a", b"1")
    with State(tmp_path) as state:
        state.sha("a")
    rows = sqlite3.connect(tmp_path / ".l10n" / "state.sqlite3").execute("select path from files")
    assert [r[0] for r in rows] == ["a"]


def test_tool_version_covers_the_code() -> None:
    assert len(tool_version()) == 16 and tool_version() == tool_version()


def test_a_damaged_database_is_set_aside_and_started_again(tmp_path: Path) -> None:
    write(tmp_path, "a", b"1")
    (tmp_path / ".l10n").mkdir()
    (tmp_path / ".l10n" / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    with State(tmp_path) as state:
        assert state.sha("a") == hashlib.sha256(b"1").hexdigest()
    assert (tmp_path / ".l10n" / "state.sqlite3.damaged").is_file()
    with State(tmp_path) as state:
        assert state.sha("a") == hashlib.sha256(b"1").hexdigest()


def test_a_file_settled_before_the_save_is_not_read_again(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_bytes(b"first")  # modified just now
    state = State(tmp_path)
    state.sha("page.html")
    time.sleep(1.1)  # the run goes on; the record is saved later
    state.close()
    mtime = (tmp_path / "page.html").stat().st_mtime_ns
    (tmp_path / "page.html").write_bytes(b"other")  # same size and time: only a read tells
    os.utime(tmp_path / "page.html", ns=(mtime, mtime))
    with State(tmp_path) as again:
        assert again.sha("page.html") == hashlib.sha256(b"first").hexdigest()

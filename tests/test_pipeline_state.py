"""The state database that makes reruns incremental."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from db_faults import damage, full_database, held, read_only, short_busy_timeout

from l10n.cli import cli
from l10n.pipeline import databases
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


# --- the database itself damaged, read-only, busy, full: through the command line -----

STATE_REL = ".l10n/state.sqlite3"
ARTICLE = "<html><head><title>On AI</title></head><body><p>The gap can close.</p></body></html>"


def cli_project(root: Path) -> Path:
    """A project whose state database exists and records an extract and a publish."""
    (root / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (root / "articles").mkdir()
    (root / "articles" / "ai.html").write_text(ARTICLE, encoding="utf-8")
    for command in ("extract", "publish"):
        assert invoke(root, command).exit_code == 0
    return root


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(root), *args])


def one_line(result: Result, code: int) -> str:
    """The one line a command printed on stderr, after checking its exit status."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def warned(result: Result, caplog: pytest.LogCaptureFixture) -> str:
    """The one warning a successful command logged (the CLI prints it as one line)."""
    assert result.exit_code == 0, result.output
    assert result.exception is None and "Traceback" not in result.output
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, warnings
    assert "\n" not in warnings[0]
    return warnings[0]


def project_bytes(root: Path) -> dict[str, bytes]:
    """Every file of the project, .l10n/ included, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def sound(path: Path) -> bool:
    db = sqlite3.connect(path)
    try:
        return bool(db.execute("pragma integrity_check").fetchone()[0] == "ok")
    finally:
        db.close()


@pytest.mark.parametrize("command", ["status", "extract", "publish"])
def test_a_state_damaged_mid_file_is_set_aside_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, command: str
) -> None:
    root = cli_project(tmp_path)
    state = root / STATE_REL
    damaged = damage(state)
    warning = warned(invoke(root, command), caplog)
    assert STATE_REL in warning and "damaged" in warning
    assert (root / ".l10n" / "state.sqlite3.damaged").read_bytes() == damaged
    assert sound(state)
    # Rebuilt: the next run records everything again, and the one after finds it.
    assert invoke(root, "extract").exit_code == 0
    assert "already up to date" in invoke(root, "extract").output


def test_a_directory_in_place_of_the_state_is_set_aside(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = cli_project(tmp_path)
    state = root / STATE_REL
    state.unlink()
    (state / "inside").mkdir(parents=True)
    warning = warned(invoke(root, "extract"), caplog)
    assert STATE_REL in warning
    assert (root / ".l10n" / "state.sqlite3.damaged" / "inside").is_dir()
    assert sound(state) and "already up to date" in invoke(root, "extract").output


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_state_stops_commands_that_record_before_they_write(
    tmp_path: Path, what: str
) -> None:
    root = cli_project(tmp_path)
    state = root / STATE_REL
    (root / "articles" / "ai.html").write_text(ARTICLE.replace("gap", "race"), encoding="utf-8")
    before = project_bytes(root)
    with read_only(state if what == "file" else state.parent):
        lines = [one_line(invoke(root, c), 2) for c in ("extract", "publish")]
    for line in lines:
        assert STATE_REL in line and "read-only" in line and "damaged" not in line
    assert project_bytes(root) == before


def test_status_reads_a_read_only_state(tmp_path: Path) -> None:
    root = cli_project(tmp_path)
    before = project_bytes(root)
    with read_only(root / STATE_REL):
        result = invoke(root, "status")
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and "es: ready to publish" in result.output
    assert project_bytes(root) == before


@pytest.mark.parametrize("command", ["status", "extract", "publish"])
def test_a_state_locked_by_another_command_is_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    root = cli_project(tmp_path)
    (root / "articles" / "ai.html").write_text(ARTICLE.replace("gap", "race"), encoding="utf-8")
    before = project_bytes(root)
    short_busy_timeout(monkeypatch)
    with held(root / STATE_REL):
        line = one_line(invoke(root, command), 2)
    assert STATE_REL in line and "busy" in line and "another l10n command" in line
    assert "damaged" not in line
    assert project_bytes(root) == before


def test_a_full_disk_under_the_state_is_one_line_and_every_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = cli_project(tmp_path)
    for n in range(40):  # more records than the pages the database has
        (root / "articles" / f"new-{n}.html").write_text(ARTICLE, encoding="utf-8")
    before = (root / STATE_REL).read_bytes()
    full_database(monkeypatch, "state.sqlite3")
    line = one_line(invoke(root, "extract"), 2)
    assert STATE_REL in line and "full" in line
    assert (root / STATE_REL).read_bytes() == before
    assert not (root / ".l10n" / "state.sqlite3.damaged").exists()
    monkeypatch.undo()
    # The catalogs extract wrote are complete; only their record is missing, so the next
    # run makes them again, the same.
    assert "the same as before" in invoke(root, "extract").output


def test_the_busy_timeout_is_a_few_seconds() -> None:
    assert 1 <= databases.BUSY_TIMEOUT <= 15


def test_damage_found_only_when_saving_rebuilds_with_every_record(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path, "old", b"1")
    write(tmp_path, "new", b"2")
    with State(tmp_path) as state:
        state.made("old", "x", stamp_of(b"1", (tmp_path / "old").stat()))
    state = State(tmp_path)
    damage(tmp_path / STATE_REL)  # while the command runs
    state.made("new", "y", stamp_of(b"2", (tmp_path / "new").stat()))
    state.close()
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert (tmp_path / ".l10n" / "state.sqlite3.damaged").is_file()
    with State(tmp_path) as again:
        assert again.inputs_of("old") == "x" and again.inputs_of("new") == "y"

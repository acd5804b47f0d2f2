"""The persistent Apertium pipeline: its stages, restarts, forked workers, and its end.

Against the real ``apertium-eng-spa`` mode (a test requirement, as in
``test_translate_apertium``), and stand-in stages where a program must misbehave.
Processes are looked up in ``/proc``: a stage that was not reaped is still listed there
(as a zombie), so "not in /proc" means ended and reaped.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n.cli import cli
from l10n.errors import TranslateError
from l10n.translate.apertium import ApertiumTranslator
from l10n.translate.apertium_pipeline import Pipeline, stages

ECHO = """\
import sys
buffer = b""
while chunk := sys.stdin.buffer.read1(65536):
    buffer += chunk
    *frames, buffer = buffer.split(b"\\0")
    for frame in frames:
        if b"POISON" in frame:
            sys.exit(1)
        sys.stdout.buffer.write(frame.upper() + b"\\0")
        sys.stdout.buffer.flush()
"""


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def _script(tmp_path: Path, body: str) -> str:
    program = tmp_path / "stage.py"
    program.write_text(f"#!{sys.executable}\n{body}")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return str(program)


def _mode_file() -> Path:
    folder = ApertiumTranslator().datadir()
    assert folder is not None
    return folder / "modes" / "eng-spa.mode"


def test_stages_are_the_modes_programs_in_null_flush_mode() -> None:
    commands = stages(_mode_file())
    programs = [Path(c[0]).name for c in commands]
    assert programs[0] == "lt-proc" and "apertium-tagger" in programs
    assert "apertium-wblank-attach" in programs  # word-bound blanks, as `apertium` runs it
    # Null-flush mode on every program of the mode file (the word-bound-blank stages,
    # which apertium-wblank-mode adds, pass NULs through anyway).
    assert all("-z" in c for c in commands if not c[0].startswith("apertium-wblank-"))
    assert not any(a.startswith("$") for c in commands for a in c)
    generator = next(c for c in commands if c[-1].endswith(".autogen.bin"))
    assert "-n" in generator  # apertium -u: no "*" before unknown words


def test_a_missing_mode_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(TranslateError, match=r"^cannot read the Apertium mode xx-yy\.mode"):
        stages(tmp_path / "xx-yy.mode")


def test_message_that_kills_apertium_alone_is_given_up(tmp_path: Path) -> None:
    pipeline = Pipeline([[_script(tmp_path, ECHO)]], name="echo", timeout=10)
    try:
        out = pipeline.run([b"one", b"POISON", b"three", b"four"])
        assert out == [b"ONE", None, b"THREE", b"FOUR"]
        # Died on the batch, died on the message alone, then the rest went through.
        assert pipeline.starts == 3
        assert pipeline.run([b"five"]) == [b"FIVE"] and pipeline.starts == 3
    finally:
        pipeline.close()
    assert pipeline.pids == ()


Answer = tuple[list[str], tuple[int, ...], int]


def _child(engine: ApertiumTranslator, queue: multiprocessing.Queue[Answer]) -> None:
    out = engine.translate(["The dog."], source="en", target="es")
    queue.put((out, engine.pids, engine.starts))


def test_a_forked_worker_starts_its_own_and_closes_it_when_it_exits() -> None:
    engine = ApertiumTranslator()
    try:
        assert engine.translate(["The cat."], source="en", target="es") == ["El gato."]
        mine = engine.pids
        fork = multiprocessing.get_context("fork")
        queue: multiprocessing.Queue[Answer] = fork.Queue()
        worker = fork.Process(target=_child, args=(engine, queue))
        worker.start()
        out, theirs, starts = queue.get(timeout=60)
        worker.join(60)
        assert worker.exitcode == 0
        assert out == ["El perro."] and starts == 1 and not set(theirs) & set(mine)
        assert not any(alive(pid) for pid in theirs)  # closed and reaped by the worker
        # The parent's pipeline was not disturbed by the child.
        assert engine.translate(["The house."], source="en", target="es") == ["La casa."]
        assert engine.pids == mine and engine.starts == 1
    finally:
        engine.close()


# --- through the CLI ------------------------------------------------------------------


@pytest.fixture
def marked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An Apertium data folder whose eng-spa stages name a path of this test's own (a
    link to the real pair), so its processes can be told from any other's in /proc."""
    mode = _mode_file()
    real = str(mode.parent.parent)
    link = tmp_path / "apertium-data-of-this-test"
    link.symlink_to(real)
    text = mode.read_text(encoding="utf-8")
    assert real in text
    (tmp_path / "data" / "modes").mkdir(parents=True)
    (tmp_path / "data" / "modes" / "eng-spa.mode").write_text(
        text.replace(real, str(link)), encoding="utf-8"
    )
    monkeypatch.setenv("APERTIUM_DATADIR", str(tmp_path / "data"))
    return link


class Watch(threading.Thread):
    """Every process whose command line names ``marker``, while the watch runs."""

    def __init__(self, marker: Path) -> None:
        super().__init__(daemon=True)
        self.marker = str(marker).encode()
        self.seen: dict[int, bytes] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit() and int(entry.name) not in self.seen:
                    try:
                        command = (entry / "cmdline").read_bytes()
                    except OSError:
                        continue
                    if self.marker in command:
                        self.seen[int(entry.name)] = command
            time.sleep(0.005)

    def __enter__(self) -> Watch:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.join()

    def pipelines(self) -> int:
        """How many pipelines were started: their analysers are their first stage."""
        return sum(1 for command in self.seen.values() if b"automorf" in command)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "project"
    (root / "articles").mkdir(parents=True)
    (root / "l10n.toml").write_text(
        'languages = ["es"]\n[translate]\nengine = "apertium"\nbatch_size = 2\n', encoding="utf-8"
    )
    for n in range(8):
        paragraphs = "".join(f"<p>The dog {n}{k} is in the red house.</p>" for k in range(6))
        (root / "articles" / f"a{n}.html").write_text(
            f"<html><body>{paragraphs}</body></html>", encoding="utf-8"
        )
    assert CliRunner().invoke(cli, ["-C", str(root), "extract"]).exit_code == 0
    yield root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_pipeline_per_worker_for_the_run_and_none_left(
    project: Path, marked: Path, jobs: str
) -> None:
    with Watch(marked) as watch:
        result = CliRunner().invoke(cli, ["-C", str(project), "-j", jobs, "translate"])
    assert result.exit_code == 0, result.output
    for n in range(8):
        po = polib.pofile(str(project / "locales" / "es" / f"a{n}.po"))
        assert all(e.msgstr.startswith("El perro") and "casa roja" in e.msgstr for e in po), n
    # 8 articles of 3 batches each: one pipeline per worker, not one per batch or article.
    assert 1 <= watch.pipelines() <= int(jobs)
    assert len(watch.seen) > 5
    assert [pid for pid in watch.seen if alive(pid)] == []  # every stage ended and reaped


def test_a_run_completes_when_apertium_is_killed_halfway(tmp_path: Path, marked: Path) -> None:
    projects = []
    for name in ("clean", "killed"):
        root = tmp_path / name
        (root / "articles").mkdir(parents=True)
        (root / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
        for n in range(4):
            paragraphs = "".join(
                f"<p>The dog {n}-{k} is in the red house and the black cat sleeps.</p>"
                for k in range(300)
            )
            (root / "articles" / f"a{n}.html").write_text(
                f"<html><body>{paragraphs}</body></html>", encoding="utf-8"
            )
        assert CliRunner().invoke(cli, ["-C", str(root), "extract"]).exit_code == 0
        projects.append(root)
    clean, killed = projects
    command = ["-j", "1", "translate", "--engine", "apertium"]
    assert CliRunner().invoke(cli, ["-C", str(clean), *command]).exit_code == 0
    finished = threading.Event()
    victims: list[tuple[int, bool]] = []

    def killer(watch: Watch) -> None:
        while not watch.seen and not finished.is_set():
            time.sleep(0.002)
        time.sleep(0.2)
        analyser = next(pid for pid, c in watch.seen.items() if b"automorf" in c)
        running = not finished.is_set()
        os.kill(analyser, signal.SIGKILL)  # the pipeline's first program
        victims.append((analyser, running))

    with Watch(marked) as watch:
        thread = threading.Thread(target=killer, args=(watch,))
        thread.start()
        result = CliRunner().invoke(cli, ["-C", str(killed), *command])
        finished.set()
        thread.join()
    assert result.exit_code == 0, result.output
    [(victim, running)] = victims
    assert running, "the run ended before the kill: make it longer"
    assert watch.pipelines() == 2  # started again once
    assert victim in watch.seen and [pid for pid in watch.seen if alive(pid)] == []
    for n in range(4):
        want = polib.pofile(str(clean / "locales" / "es" / f"a{n}.po"))
        got = polib.pofile(str(killed / "locales" / "es" / f"a{n}.po"))
        assert [e.msgstr for e in got] == [e.msgstr for e in want]
        assert all(e.msgstr for e in got)

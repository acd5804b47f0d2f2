"""One Apertium pipeline that stays up for a whole run, in null-flush mode.

Starting Apertium costs about 0.2 s (a dozen programs load their dictionaries and
rules), while the loaded pipeline translates some 20,000 words a second, so
:class:`Pipeline` starts a mode's programs once per process and feeds them message after
message, batch after batch, article after article.

Why not ``apertium -z``: the ``apertium`` script wraps the pipeline in ``gawk`` filters
that read ahead, so an answer only comes out when the next messages go in.  Instead
``apertium-wblank-mode -z`` (what the script itself runs, with ``-z`` on every stage and
the word-bound-blank stages added) gives the mode's stages, and they are started here
as a chain of child processes.  Each message is followed by a NUL: every stage flushes
at a NUL and passes it on, so each message comes back as one NUL-terminated frame, and
no stage reads past the end of a message before answering it.  (The transfer rules'
variables still carry from one message to the next, as they did within one process.)

When the pipeline dies (a stage crashed or was killed), it is started again and every
message sent but not answered is sent again; the first of them alone, so a message that
kills Apertium by itself is found and given up on (``None``) instead of killing every
pipeline after it (once Apertium has answered anything: before that, a pipeline that
dies is Apertium failing).  Three starts in a row that answer nothing mean Apertium
cannot run: ``TranslateError`` with its last error line.

A pipeline is its process's own: a forked worker starts its own, and drops (without
touching) the parent's.  ``close`` ends the stages and reaps them; a worker process
closes its pipeline when it exits.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import shlex
import shutil
import signal
import subprocess
import tempfile
import threading
import weakref
from collections.abc import Sequence
from multiprocessing import util as mp_util
from pathlib import Path
from typing import IO

from l10n.errors import TranslateError

log = logging.getLogger(__name__)

_NUL = b"\0"
# ``$1`` in a mode file is the generator's option: -n is ``apertium -u`` (no "*" before
# unknown words); ``$2`` is the tagger's (-m only with ``apertium -a``).
_MODE_ARGUMENTS = {"$1": ["-n"], "$2": []}
# Starts in a row that answer nothing before giving up.
_FRUITLESS = 3
_CLOSE_WAIT = 5.0

_live: weakref.WeakSet[Pipeline] = weakref.WeakSet()


def stages(mode_file: Path, *, helper: str | None = None) -> list[list[str]]:
    """The commands of a mode's pipeline, each stage in null-flush mode."""
    if not mode_file.is_file():
        raise TranslateError(f"cannot read the Apertium mode {mode_file.name}: no {mode_file}")
    program = helper or shutil.which("apertium-wblank-mode")
    if program is None:
        raise TranslateError(
            "apertium-wblank-mode is not installed (it comes with Apertium 3.8 or later)"
        )
    try:
        done = subprocess.run(
            [program, "-z", str(mode_file)], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise TranslateError(f"cannot run {program}: {exc.strerror or exc}") from None
    if done.returncode != 0 or not done.stdout.strip():
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise TranslateError(f"cannot read the Apertium mode {mode_file.name}: {why}")
    lexer = shlex.shlex(done.stdout, posix=True, punctuation_chars="|")
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token == "|":
            commands.append([])
        else:
            commands[-1].extend(_MODE_ARGUMENTS.get(token, [token]))
    commands = [c for c in commands if c]
    if not commands or any(c[0].startswith("-") for c in commands):
        raise TranslateError(f"cannot read the Apertium mode {mode_file.name}: {done.stdout!r}")
    return commands


class Pipeline:
    """A mode's stages as child processes, fed one NUL-terminated message at a time.

    ``starts`` counts the pipelines started in this process (restarts included);
    ``pids`` are the running stages' process ids.  ``timeout`` is how long to wait for
    an answer with nothing coming out (default: 30 s plus 1 s per 2,000 characters of
    the message).
    """

    def __init__(self, commands: Sequence[Sequence[str]], *, name: str, timeout: float | None):
        self.commands = [list(c) for c in commands]
        self.name = name
        self.timeout = timeout
        self.starts = 0
        self._stages: list[subprocess.Popen[bytes]] = []
        self._errors: IO[bytes] | None = None
        self._owner = 0
        self._finalizer_for = 0
        self._died = ""
        self._answered = False  # has any of its pipelines answered yet?
        _live.add(self)

    @property
    def pids(self) -> tuple[int, ...]:
        return tuple(p.pid for p in self._stages) if self._owner == os.getpid() else ()

    # -- starting and stopping ------------------------------------------------------------

    def _start(self) -> None:
        self._forget_inherited()
        self._kill()  # what is left of a pipeline that died
        errors = tempfile.TemporaryFile()  # noqa: SIM115 (kept open while the stages run)
        started: list[subprocess.Popen[bytes]] = []
        try:
            upstream: IO[bytes] | int = subprocess.PIPE
            for command in self.commands:
                stage = subprocess.Popen(
                    command,
                    stdin=upstream,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    # Ctrl-C reaches this process, which closes the pipeline itself.
                    start_new_session=True,
                )
                if started:
                    assert started[-1].stdout is not None
                    started[-1].stdout.close()  # the next stage holds it now
                started.append(stage)
                assert stage.stdout is not None
                upstream = stage.stdout
        except OSError as exc:
            self._stages = started
            self._kill()
            errors.close()
            why = exc.strerror or exc
            raise TranslateError(f"cannot run apertium {self.name}: {why}") from None
        self._stages, self._errors, self._owner = started, errors, os.getpid()
        self.starts += 1
        if self._finalizer_for != self._owner:
            # A worker process leaves through multiprocessing, not atexit: close there too.
            mp_util.Finalize(self, self.close, exitpriority=10)
            self._finalizer_for = self._owner
        log.info("apertium %s: pipeline started (%d stages)", self.name, len(started))

    def _running(self) -> bool:
        return (
            self._owner == os.getpid()
            and bool(self._stages)
            and all(p.poll() is None for p in self._stages)
        )

    def _forget_inherited(self) -> None:
        """In a forked child: drop the parent's pipeline (its pipes, not its processes)."""
        if self._stages and self._owner != os.getpid():
            for stream in (self._stages[0].stdin, self._stages[-1].stdout, self._errors):
                if stream is not None:
                    stream.close()
            for stage in self._stages:
                stage.returncode = 0  # not ours to wait for
            self._stages, self._errors = [], None

    def close(self) -> None:
        """End the stages (end of input first, then a kill) and reap every one."""
        self._forget_inherited()
        if not self._stages:
            return
        first = self._stages[0]
        with contextlib.suppress(OSError):
            if first.stdin is not None:
                first.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            for stage in self._stages:
                stage.wait(timeout=_CLOSE_WAIT)
        self._kill()

    def _kill(self) -> None:
        self._signal()
        self._reap()

    def _signal(self) -> None:
        for stage in self._stages:
            if stage.poll() is None:
                try:
                    os.killpg(stage.pid, signal.SIGKILL)
                except OSError:
                    stage.kill()

    def _reap(self) -> None:
        for stage in self._stages:
            stage.wait()
            for stream in (stage.stdin, stage.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):  # unsent input: the pipe is gone
                        stream.close()
        self._stages = []
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def _reason(self) -> str:
        """The last line the stages wrote to stderr, or how the first of them ended."""
        lines: list[str] = []
        if self._errors is not None:
            self._errors.seek(0)
            text = self._errors.read().decode("utf-8", "replace")
            lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            return lines[-1]
        ended = [
            (code, Path(command[0]).name)
            for stage, command in zip(self._stages, self.commands, strict=False)
            if (code := stage.poll())
        ]
        # A stage that was killed, or failed, rather than one its neighbour's end took down.
        ended.sort(key=lambda e: e[0] == -signal.SIGPIPE)
        if not ended:
            return "the pipeline stopped"
        code, program = ended[0]
        how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
        return f"{program} {how}"

    # -- translating ----------------------------------------------------------------------

    def run(self, messages: Sequence[bytes]) -> list[bytes | None]:
        """Apertium's output for each message (``None`` where Apertium died on it alone)."""
        results: list[bytes | None] = [None] * len(messages)
        first = 0
        careful = False  # after a death: the first unanswered message goes alone
        fruitless = 0
        while first < len(messages):
            if not self._running():
                self._start()
            end = first + 1 if careful else len(messages)
            answered = self._exchange(messages, first, end, results)
            if first + answered == end:
                first, careful = end, False
                continue
            # The pipeline died: start another, send again what it did not answer.
            reason = self._died
            log.warning("apertium %s stopped (%s); restarting it", self.name, reason)
            fruitless = 0 if answered else fruitless + 1
            if fruitless >= _FRUITLESS:
                raise TranslateError(f"apertium {self.name} failed: {reason}")
            first += answered
            if careful and not answered and self._answered:
                first += 1  # that message kills a working Apertium on its own: give up on it
                careful = False
            else:
                careful = True
        return results

    def _exchange(
        self, messages: Sequence[bytes], first: int, end: int, results: list[bytes | None]
    ) -> int:
        """Send ``messages[first:end]`` and read their answers; how many came back."""
        stdin, stdout = self._stages[0].stdin, self._stages[-1].stdout
        assert stdin is not None and stdout is not None
        writer = threading.Thread(
            target=_write, args=(stdin, messages[first:end]), name="l10n-apertium", daemon=True
        )
        writer.start()
        pending = bytearray()
        k = first
        ended = True  # the pipeline died, timed out, or this process was interrupted
        try:
            while k < end:
                limit = self.timeout if self.timeout is not None else 30 + len(messages[k]) / 2000
                ready, _, _ = select.select([stdout], [], [], limit)
                if not ready:
                    raise TranslateError(f"apertium {self.name} timed out after {limit:.0f} s")
                chunk = os.read(stdout.fileno(), 1 << 16)
                if not chunk:  # the pipeline died: say why below
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        self._stages[-1].wait(timeout=1)
                    self._died = self._reason()
                    break
                pending += chunk
                *frames, rest = bytes(pending).split(_NUL)
                pending = bytearray(rest)
                for frame in frames:
                    if frame and k < end:  # stages flush an empty frame when they end
                        results[k] = frame
                        k += 1
                        self._answered = True
            else:
                ended = False
        finally:
            if ended:
                self._signal()  # first, so that a writer blocked on a full pipe returns
            writer.join()
            if ended:
                self._reap()
        return k - first


def _write(stream: IO[bytes], messages: Sequence[bytes]) -> None:
    try:
        for message in messages:
            stream.write(message)
            stream.write(_NUL)
        stream.flush()
    except (BrokenPipeError, ValueError, OSError):
        pass  # the pipeline died: the reader sees its end and starts another


def _after_fork() -> None:
    for pipeline in list(_live):
        pipeline._forget_inherited()
        pipeline.starts = 0  # counted per process


os.register_at_fork(after_in_child=_after_fork)

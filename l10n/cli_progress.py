"""How ``l10n translate`` shows its progress: part of the CLI (the pipeline only sends
events, see :class:`l10n.pipeline.translating.Progress`).

On a terminal, one progress bar per language on stderr (articles, entries, characters,
ETA).  Elsewhere (CI logs) a plain line on stderr at least every ``interval`` seconds,
also while the engine is busy with one long request, so a log never looks hung.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

import click

from l10n.pipeline import EngineChosen, Progress

__all__ = ["TranslateDisplay"]

_STEPS = 1000  # bar steps per article: the article in flight moves the bar too
INTERVAL = 10.0  # seconds between progress lines in a log, at most


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class TranslateDisplay:
    """The callback the CLI hands to ``pipeline.translate``; ``close`` when it returns."""

    def __init__(
        self,
        *,
        stream: TextIO,
        out: Callable[[str], None],
        tty: bool,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream, self._out, self._tty = stream, out, tty
        self._interval = INTERVAL if interval is None else interval
        self._clock = clock
        self._last: dict[str, Progress] = {}  # per language, its latest event
        self._current: Progress | None = None
        self._started: dict[str, float] = {}
        self._printed = clock()
        self._bar: Any = None
        self._bar_language = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if not tty:
            self._ticker = threading.Thread(target=self._tick, daemon=True, name="l10n-progress")
            self._ticker.start()

    def __call__(self, event: EngineChosen | Progress) -> None:
        if isinstance(event, EngineChosen):
            self._out(f"engine: {event.engine}, {event.origin}")
            return
        with self._lock:
            self._started.setdefault(event.language, self._clock())
            self._last[event.language] = event
            self._current = event
            if self._tty:
                self._draw(event)
            elif self._clock() - self._printed >= self._interval:
                self._line(event)

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=1)
        with self._lock:
            self._finish_bar()

    def saved(self) -> str:
        """What the run has done so far, per language (for the Ctrl-C message)."""
        return ", ".join(
            f"{lang}: {p.entries} entries in {p.articles} of {p.articles_total} articles"
            for lang, p in self._last.items()
        )

    # -- a terminal --

    def _draw(self, event: Progress) -> None:
        if self._bar is None or self._bar_language != event.language:
            self._finish_bar()
            self._bar = click.progressbar(
                length=max(1, event.articles_total) * _STEPS,
                label=event.language,
                show_eta=True,
                show_percent=True,
                item_show_func=lambda p: _counts(p) if isinstance(p, Progress) else None,
                file=self._stream,
            )
            self._bar_language = event.language
        position = round((event.articles + event.fraction) * _STEPS)
        self._bar.update(max(0, position - self._bar.pos), event)

    def _finish_bar(self) -> None:
        if self._bar is not None:
            self._bar.render_finish()
            self._bar = None

    # -- a log --

    def _tick(self) -> None:
        while not self._stop.wait(min(1.0, self._interval)):
            with self._lock:
                if self._current is not None and self._clock() - self._printed >= self._interval:
                    self._line(self._current)

    def _line(self, event: Progress) -> None:
        done = (event.articles + event.fraction) / max(1, event.articles_total)
        elapsed = self._clock() - self._started.get(event.language, self._clock())
        eta = f", about {_duration(elapsed * (1 - done) / done)} left" if done > 0 else ""
        self._stream.write(
            f"l10n: {event.language}: {event.articles}/{event.articles_total} articles, "
            f"{_counts(event)}, {math.floor(done * 100)}%{eta}\n"
        )
        self._stream.flush()
        self._printed = self._clock()


def _counts(event: Progress) -> str:
    return f"{event.entries} entries, {event.characters:,} characters"

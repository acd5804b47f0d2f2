"""translate's progress: a bar per language on a terminal, a line at least every interval
in a log (also while the engine is stuck on one request), and what Ctrl-C reports."""

from __future__ import annotations

import io
import re
import time

from l10n.cli_progress import TranslateDisplay
from l10n.pipeline import EngineChosen, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def event(lang: str = "es", articles: int = 1, fraction: float = 0.5) -> Progress:
    return Progress(
        language=lang,
        articles=articles,
        articles_total=4,
        fraction=fraction,
        entries=30,
        characters=12345,
    )


def test_the_engine_is_said_in_one_line() -> None:
    said: list[str] = []
    display = TranslateDisplay(stream=io.StringIO(), out=said.append, tty=True)
    display(EngineChosen(engine="apertium (offline)", origin="from l10n.toml"))
    display.close()
    assert said == ["engine: apertium (offline), from l10n.toml"]


def test_a_terminal_gets_a_bar_per_language_with_entries_characters_and_eta() -> None:
    screen = Terminal()
    display = TranslateDisplay(stream=screen, out=print, tty=True)
    display(event())
    display(event(articles=2, fraction=0.0))
    display(event(lang="fr", articles=1))
    display.close()
    shown = screen.getvalue()
    assert "es" in shown and "fr" in shown
    assert "30 entries, 12,345 characters" in shown
    assert re.search(r"\d+%", shown)


def test_a_log_gets_a_line_at_least_every_interval_even_without_events() -> None:
    log = io.StringIO()
    display = TranslateDisplay(stream=log, out=print, tty=False, interval=0.1)
    display(event())  # then the engine is busy with one long request
    time.sleep(0.55)
    display.close()
    lines = log.getvalue().splitlines()
    assert len(lines) >= 3, lines
    assert lines[0].startswith("l10n: es: 1/4 articles, 30 entries, 12,345 characters, 37%")
    assert "left" in lines[-1]


def test_a_short_run_prints_no_progress_lines_in_a_log() -> None:
    log = io.StringIO()
    display = TranslateDisplay(stream=log, out=print, tty=False, interval=5)
    display(event())
    display.close()
    assert log.getvalue() == ""


def test_what_was_done_per_language_for_the_interrupt_message() -> None:
    display = TranslateDisplay(stream=io.StringIO(), out=print, tty=False, interval=5)
    assert display.saved() == ""
    display(event())
    display(event(lang="fr", articles=3))
    display.close()
    assert display.saved() == "es: 30 entries in 1 of 4 articles, fr: 30 entries in 3 of 4 articles"

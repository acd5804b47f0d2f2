"""translate's engine: which languages it can do, and what it reports as it goes.

``usable`` decides, before anything is written, which selected languages the engine
translates and which are skipped with a warning (or stop the run); the events are what
``translate`` hands its ``progress`` callback, and :class:`Unfinished` what it reports
about entries the engine could not translate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from l10n.config import CONFIG_NAME
from l10n.errors import TranslateError
from l10n.pipeline.project import Notice, Project, _languages
from l10n.translate import ENGINES, Engine
from l10n.translate.run import Tally


@dataclass(frozen=True, kw_only=True)
class Unfinished:
    """Entries of one language the engine could not translate (they are left as they were)."""

    language: str
    engine: str
    count: int
    reasons: tuple[str, ...]  # the first distinct ones


@dataclass(frozen=True, kw_only=True)
class EngineChosen:
    """Sent once, before any work: which engine, and who chose it."""

    engine: str  # Engine.describe()
    origin: str  # "from --engine", "from l10n.toml", or why the default was taken


@dataclass(frozen=True, kw_only=True)
class Progress:
    """Sent as work finishes: one language's articles, entries and msgid characters."""

    language: str
    articles: int  # finished
    articles_total: int
    fraction: float  # of the article in flight, 0 ≤ fraction < 1
    entries: int  # from memory or sent to the engine (translated or not)
    characters: int  # of the msgids sent to the engine (cached ones included)


Event = EngineChosen | Progress


def unfinished_of(lang: str, translator: Engine, tally: Tally) -> list[Unfinished]:
    if not tally.failed:
        return []
    reasons = tuple(tally.reasons)
    return [Unfinished(language=lang, engine=translator.name, count=tally.failed, reasons=reasons)]


class Reporter:
    """Turns one language's finished articles and batches into :class:`Progress`."""

    def __init__(
        self, progress: Callable[[Event], None] | None, lang: str, total: int, tally: Tally
    ) -> None:
        self.progress, self.lang, self.total, self.tally = progress, lang, total, tally
        self.articles = 0

    def _send(self, fraction: float) -> None:
        if self.progress is not None:
            t = self.tally
            self.progress(
                Progress(
                    language=self.lang,
                    articles=self.articles,
                    articles_total=self.total,
                    fraction=fraction,
                    entries=t.memory + t.memory_fuzzy + t.cached + t.engine + t.failed,
                    characters=t.characters,
                )
            )

    def article_done(self) -> None:
        self.articles += 1
        self._send(0.0)

    def within(self, rest: Sequence[str]) -> Callable[[int, int], None] | None:
        """For the engine's batches of one article (``rest`` its msgids)."""
        if self.progress is None:
            return None
        total, done = len(rest), [0]

        def batch(entries: int, characters: int) -> None:
            done[0] += entries
            self._send(min(done[0] / total, 0.999) if total else 0.0)

        return batch


def usable_languages(
    project: Project, translator: Engine, requested: Sequence[str], *, origin: str
) -> list[tuple[str, Notice | None]]:
    """The selected languages, each with the warning that skips it (None: translate it).

    Only the configured engine is skipped with a warning where it cannot work, pointing at
    its line in l10n.toml; an engine named with --engine that is not installed, or that
    cannot do a language named with --lang, is an error.  With no engine configured,
    Apertium translates the languages it has a pair for; with none, that is an error
    naming the choices."""
    source = project.config.source_language
    languages = list(_languages(project, requested))
    named = origin == "--engine"
    missing = translator.missing(source, languages)
    if missing is not None and (named or not origin):
        raise TranslateError(missing + _choices(origin))
    result: list[tuple[str, Notice | None]] = []
    gaps: list[str] = []
    for lang in languages:
        gap = translator.gap(source, lang)
        if gap is None:
            result.append((lang, None))
            continue
        gaps.append(gap)
        if named and requested:
            raise TranslateError(gap)
        why = translator.missing(source, [lang])
        message = (
            f"{why}; {source}→{lang} skipped"
            if why
            else (f"{translator.name} cannot translate {source}→{lang}; skipped")
        )
        if not origin:
            message += _choices(origin)
            result.append((lang, Notice(file=None, line=None, message=message)))
        elif named:
            message += " (choose another engine with --engine)"
            result.append((lang, Notice(file=None, line=None, message=message)))
        else:
            message += " (choose another engine with --engine)"
            line = project.config.translate.engine_line
            result.append((lang, Notice(file=CONFIG_NAME, line=line, message=message)))
    if not origin and gaps and len(gaps) == len(languages):
        raise TranslateError(f"no engine configured, and {'; '.join(gaps)}{_choices(origin)}")
    return result


def _choices(origin: str) -> str:
    """What to do when the default engine cannot help."""
    if origin:
        return ""
    return (
        f" (no engine configured: set [translate] engine in {CONFIG_NAME} or pass --engine;"
        f" choices: {', '.join(ENGINES)})"
    )

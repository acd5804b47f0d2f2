"""The ``l10n`` command: parse arguments, call one pipeline function, print the result.

Errors the user can fix (``L10nError``) become one line on stderr and exit status 2,
in one place (``main``), the way ``click.ClickException`` works.
"""

from __future__ import annotations

import logging
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from l10n import checks, pipeline
from l10n.cli_progress import TranslateDisplay
from l10n.config import canonical_tag
from l10n.errors import L10nError

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for a command stopped by Ctrl-C


class _L10nGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # click would say "Aborted!" and exit 1, the status that means "findings".
            raise _Interrupted(_interrupted(ctx.invoked_subcommand)) from None
        except L10nError as exc:
            raise _Failure(str(exc)) from exc
        except OSError as exc:  # disk full, permission denied while writing
            where = f"{exc.filename}: " if exc.filename else ""
            raise _Failure(f"{where}{exc.strerror or exc}") from exc


class _Failure(click.ClickException):
    exit_code = EXIT_USAGE

    def show(self, file: object = None) -> None:
        click.echo(f"l10n: error: {self.message}", err=True)


class _Interrupted(click.ClickException):
    exit_code = EXIT_INTERRUPTED

    def show(self, file: object = None) -> None:
        click.echo(f"l10n: interrupted: {self.message}", err=True)


def _interrupted(command: str | None, done: str = "") -> str:
    """What an interrupted command leaves behind: every write is atomic (and translate
    saves each finished batch), so there is never a half-written file to clean up."""
    saved = "every file written before the interrupt is complete, the others are unchanged"
    if command == "translate":
        saved += "; the translations received so far are saved in the PO files"
        saved += f" ({done})" if done else ""
    rerun = f"l10n {command}" if command else "the command"
    return f"{saved}; run {rerun} again to continue where it stopped"


@click.group(cls=_L10nGroup)
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Run as if l10n was started in DIR.",
    metavar="DIR",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for many articles (default: one per core).",
    metavar="N",
)
@click.option("-v", "--verbose", is_flag=True, help="Log what each step does.")
@click.version_option(package_name="l10n")
@click.pass_context
def cli(ctx: click.Context, directory: Path | None, jobs: int | None, verbose: bool) -> None:
    """Localize article HTML through gettext PO files."""
    _log_to_stderr(logging.INFO if verbose else logging.WARNING)
    if directory is not None and not directory.is_dir():
        raise L10nError("no such directory", file=str(directory))
    ctx.obj = _Options(
        start=(directory or Path.cwd()).resolve(), jobs=jobs or pipeline.default_jobs()
    )


class _Stderr(logging.Handler):
    """What the pipeline logs (a file it skips, -v progress), on this command's stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        kind = "warning: " if record.levelno >= logging.WARNING else ""
        click.echo(f"l10n: {kind}{record.getMessage()}", err=True)


def _log_to_stderr(level: int) -> None:
    # A handler per run that looks up stderr when it writes (not the stream of the run
    # that installed it), so it also reaches a caller that captures this run's output.
    logger = logging.getLogger("l10n")
    for old in [h for h in logger.handlers if isinstance(h, _Stderr)]:
        logger.removeHandler(old)
    logger.addHandler(_Stderr())
    logger.setLevel(level)


@dataclass(frozen=True, kw_only=True)
class _Options:
    start: Path
    jobs: int


def _project(ctx: click.Context) -> pipeline.Project:
    options: _Options = ctx.obj
    return pipeline.load_project(options.start)


def _jobs(ctx: click.Context) -> int:
    options: _Options = ctx.obj
    return options.jobs


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        return pipeline.parse_shard(value)
    except L10nError as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param) from exc


def _canonical_languages(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    # Configured tags are canonical (l10n.config insists), so --lang zh-hans finds zh-Hans.
    return tuple(canonical_tag(tag) for tag in value)


class _Percent(click.FloatRange):
    """0 to 100.  FloatRange lets nan through (no comparison with it is false), and a gate
    of nan would publish everything."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value} is not a percentage from 0 to 100.", param, ctx)
        return number


_PERCENT = _Percent(0, 100)

_LANG = click.option(
    "--lang",
    "languages",
    multiple=True,
    callback=_canonical_languages,
    help="Only this language (repeatable).",
)

_SHARD = click.option(
    "--shard",
    callback=_shard,
    default=None,
    metavar="I/N",
    help="Only the I-th of N deterministic slices of the articles (for CI fan-out).",
)


def _print_report(report: pipeline.Report, verb: str) -> None:
    for notice in report.notices:
        click.echo(f"l10n: warning: {notice}", err=True)
    for path in report.written:
        click.echo(f"{verb} {path}")
    if report.same:
        click.echo(f"{len(report.same)} file(s) made again, the same as before (left as they were)")
    if report.unchanged:
        click.echo(f"{len(report.unchanged)} file(s) already up to date")


def _fail_if_any(ctx: click.Context, failed: tuple[pipeline.Notice, ...]) -> None:
    """Bad articles, one line each, after what was done with the others; exit 2."""
    for notice in sorted(failed, key=str):
        click.echo(f"l10n: error: {notice}", err=True)
    if failed:
        ctx.exit(EXIT_USAGE)


@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Write a commented l10n.toml in the current folder."""
    path = pipeline.init(ctx.obj.start)
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("articles", nargs=-1)
@_SHARD
@click.option("--force", is_flag=True, help="Redo articles that have not changed too.")
@click.pass_context
def extract(
    ctx: click.Context, articles: tuple[str, ...], shard: tuple[int, int] | None, force: bool
) -> None:
    """Write POT templates and create or merge each language's PO files."""
    report = pipeline.extract(_project(ctx), articles, jobs=_jobs(ctx), shard=shard, force=force)
    _print_report(report, "wrote")
    _fail_if_any(ctx, report.failed)


@cli.command()
@click.argument("articles", nargs=-1)
@_LANG
@click.option("--engine", default=None, help="Translation engine (default: from l10n.toml).")
@click.option("--endpoint", default=None, help="Base URL of a self-hosted engine server.")
@click.option("--dry-run", is_flag=True, help="Only estimate what would be sent.")
@click.option("--refresh-fuzzy", is_flag=True, help="Also replace fuzzy entries.")
@_SHARD
@click.pass_context
def translate(
    ctx: click.Context,
    articles: tuple[str, ...],
    languages: tuple[str, ...],
    engine: str | None,
    endpoint: str | None,
    dry_run: bool,
    refresh_fuzzy: bool,
    shard: tuple[int, int] | None,
) -> None:
    """Fill untranslated entries: translation memory, then machine translation (fuzzy).

    Exit status: 0 done, 1 entries the engine could not translate (left as they were;
    a rerun continues), 2 usage/config error or no usable engine.
    """
    display = TranslateDisplay(stream=sys.stderr, out=click.echo, tty=sys.stderr.isatty())
    try:
        report = pipeline.translate(
            _project(ctx),
            articles,
            languages=languages,
            engine=engine,
            endpoint=endpoint,
            dry_run=dry_run,
            refresh_fuzzy=refresh_fuzzy,
            progress=display,
            shard=shard,
            jobs=_jobs(ctx),
        )
    except KeyboardInterrupt:
        raise _Interrupted(_interrupted("translate", display.saved())) from None
    finally:
        display.close()
    for notice in report.notices:
        click.echo(f"l10n: warning: {notice}", err=True)
    if dry_run:
        tokens = {lang: (count, cost) for lang, count, cost in report.tokens}
        for lang, name, segments, characters in report.estimate:
            line = f"{lang}: {segments} segments, {characters} characters to {name}"
            if lang in tokens:
                count, cost = tokens[lang]
                line += f", about {count} tokens" + (f", cost about {cost:.4f}" if cost else "")
            click.echo(line)
        click.echo(f"{report.tally.memory + report.tally.memory_fuzzy} segments from memory")
        _fail_if_any(ctx, report.failed)
        return
    for path in report.written:
        click.echo(f"wrote {path}")
    click.echo(report.tally.summary())
    for left in report.unfinished:
        click.echo(
            f"l10n: {left.language}: {left.count} entries not translated by {left.engine}"
            f" ({'; '.join(left.reasons)}); they are left as they were:"
            " run l10n translate again to continue where it stopped",
            err=True,
        )
    _fail_if_any(ctx, report.failed)  # bad articles outrank entries left (exit 2)
    if report.unfinished:
        ctx.exit(1)


@cli.command()
@click.argument("articles", nargs=-1)
@_LANG
@click.option("--allow-fuzzy", is_flag=True, help="Also use fuzzy entries (drafts).")
@click.option(
    "--allow-pseudo", is_flag=True, help="Publish pseudo-translated text too (layout tests)."
)
@click.option("--strict", is_flag=True, help="Fail on a translation whose markup does not fit.")
@click.option(
    "--min-complete",
    type=_PERCENT,
    default=None,
    metavar="PCT",
    help="Percent of words translated and reviewed a language needs (default: l10n.toml).",
)
@click.option("--ignore-check", is_flag=True, help="Publish despite `l10n check` errors.")
@click.option("--force", is_flag=True, help="Rewrite pages whose inputs have not changed too.")
@click.option(
    "--withdraw-held",
    is_flag=True,
    help="Remove the older pages of a held-back language (default: l10n.toml).",
)
@_SHARD
@click.pass_context
def publish(
    ctx: click.Context,
    articles: tuple[str, ...],
    languages: tuple[str, ...],
    allow_fuzzy: bool,
    allow_pseudo: bool,
    strict: bool,
    min_complete: float | None,
    ignore_check: bool,
    force: bool,
    withdraw_held: bool,
    shard: tuple[int, int] | None,
) -> None:
    """Write the localized pages of every language that meets its publishing gate.

    Exit status: 0 all published, 1 a language was held back by its gate (the others
    are published), 2 usage/config/parse error.
    """
    report = pipeline.publish(
        _project(ctx),
        articles,
        languages=languages,
        allow_fuzzy=allow_fuzzy,
        allow_pseudo=allow_pseudo,
        strict=strict,
        min_complete=min_complete,
        ignore_check=ignore_check,
        force=force,
        withdraw_held=withdraw_held or None,
        jobs=_jobs(ctx),
        shard=shard,
    )
    _print_report(report, "published")
    for refusal in report.refused:
        click.echo(
            f"l10n: {refusal.language} not published: {refusal.article}: {refusal.reason}",
            err=True,
        )
    for held in report.held:
        if held.withdrawn:
            click.echo(f"withdrew {held.path} ({held.language} held back)")
        else:
            click.echo(f"l10n: warning: {held.message()}", err=True)
    _fail_if_any(ctx, report.failed)
    if report.refused:
        ctx.exit(1)


@cli.command()
@click.argument("articles", nargs=-1)
@_LANG
@click.option("--include-fuzzy", is_flag=True, help="Also check fuzzy entries.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(checks.FORMATS),
    default="text",
    show_default=True,
    help="Output for people or for CI dashboards.",
)
@click.pass_context
def check(
    ctx: click.Context,
    articles: tuple[str, ...],
    languages: tuple[str, ...],
    include_fuzzy: bool,
    fmt: str,
) -> None:
    """Check PO files against the glossary and the source markup.

    Exit status: 0 clean (warnings allowed), 1 errors found, 2 usage/config/parse error.
    """
    result = pipeline.check(
        _project(ctx), articles, languages=languages, include_fuzzy=include_fuzzy, jobs=_jobs(ctx)
    )
    output = checks.render(result.findings, fmt, checked=result.checked)
    if output:
        click.echo(output)
    if checks.summary(result.findings)["errors"]:
        ctx.exit(1)


# Commands kept in their own modules register themselves on the group.
from l10n import cli_glossary, cli_review, cli_status  # noqa: E402, F401


def main() -> None:
    cli(prog_name="l10n")


if __name__ == "__main__":  # pragma: no cover
    main()

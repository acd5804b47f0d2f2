"""``l10n glossary lint`` and ``l10n glossary export``."""

from __future__ import annotations

from pathlib import Path

import click

from l10n import pipeline
from l10n.cli import _project, cli
from l10n.glossary import GlossaryError


@cli.group()
def glossary() -> None:
    """Lint and export the project glossary (glossaries/*.tbx, *.csv)."""


@glossary.command("lint")
@click.pass_context
def glossary_lint(ctx: click.Context) -> None:
    """Report broken files, contradictory, padded or duplicated terms, unknown languages."""
    findings = pipeline.lint_glossary(_project(ctx.find_root()))
    for f in findings:
        where = f.file if f.line is None else f"{f.file}:{f.line}"
        click.echo(f"{where}: {f.severity}: {f.message}")
    errors = sum(1 for f in findings if f.severity == "error")
    click.echo(f"{errors} error(s), {len(findings) - errors} warning(s)")
    if errors:
        ctx.exit(1)


@glossary.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx2008", "csv"]), required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.pass_context
def glossary_export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export the glossary for Weblate, OmegaT or a spreadsheet."""
    text = pipeline.export_glossary(_project(ctx.find_root()), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        pipeline.write_output(output, text.encode("utf-8"), error=GlossaryError)
        click.echo(f"wrote {output}")

"""``l10n status``: how far each language is, in words or as JSON."""

from __future__ import annotations

import json

import click

from l10n import pipeline
from l10n.cli import _LANG, _jobs, _project, cli


@cli.command()
@click.argument("articles", nargs=-1)
@_LANG
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (see README).")
@click.pass_context
def status(
    ctx: click.Context, articles: tuple[str, ...], languages: tuple[str, ...], as_json: bool
) -> None:
    """Progress per language and article, stale pages, and what blocks publishing."""
    result = pipeline.status(_project(ctx), articles, languages, jobs=_jobs(ctx))
    if as_json:
        click.echo(json.dumps(_status_json(result), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{'lang':<8} {'article':<40} {'done':>6} {'transl':>7} {'fuzzy':>6} {'untr':>6} "
        f"{'errors':>6} {'words':>13}  page"
    )
    for lang in result:
        for r in lang.rows:
            f = r.facts
            if not f.exists:
                click.echo(
                    f"{r.language:<8} {r.article:<40} {'-':>6}  (no catalog; run l10n extract)"
                )
                continue
            click.echo(
                f"{r.language:<8} {r.article:<40} {f.percent():>5.1f}% {f.translated:>7} "
                f"{f.fuzzy:>6} {f.untranslated:>6} {f.errors:>6} "
                f"{f.translated_words:>6}/{f.words:<6}  {_page(r)}"
            )
    for lang in result:
        gate = f"min_complete {lang.min_complete:g}%"
        blocked = [r for r in lang.rows if r.blocked]
        verdict = "ready to publish" if lang.ready else f"blocked by {len(blocked)} article(s)"
        stale = f"; {len(lang.stale)} stale page(s)" if lang.stale else ""
        click.echo(f"{lang.language}: {verdict} ({gate}){stale}")
        for r in blocked:
            click.echo(f"  {r.article}: {r.blocked}")
        for held in lang.held:
            click.echo(f"  {held.message()}")


def _page(row: pipeline.StatusRow) -> str:
    return f"stale ({', '.join(row.changed)} changed)" if row.changed else row.page


STATUS_JSON_VERSION = 1


def _status_json(result: list[pipeline.LanguageStatus]) -> dict[str, object]:
    """The documented, stable shape of ``l10n status --json`` (fields are only added)."""
    return {
        "version": STATUS_JSON_VERSION,
        "languages": [
            {
                "language": lang.language,
                "min_complete": lang.min_complete,
                "ready": lang.ready,
                "stale": list(lang.stale),
                "held_live": [h.article for h in lang.held],
                "articles": [
                    {
                        "article": r.article,
                        "catalog": r.facts.exists,
                        "translated": r.facts.translated,
                        "fuzzy": r.facts.fuzzy,
                        "untranslated": r.facts.untranslated,
                        "translated_words": r.facts.translated_words,
                        "fuzzy_words": r.facts.fuzzy_words,
                        "untranslated_words": r.facts.untranslated_words,
                        "percent": round(r.facts.percent(), 1),
                        "errors": r.facts.errors,
                        "missing": r.facts.missing,
                        "page": r.page,
                        "changed": list(r.changed),
                        "blocked": r.blocked,
                    }
                    for r in lang.rows
                ],
            }
            for lang in result
        ],
    }

"""``l10n review``: the review web application, or its read-only static export."""

from __future__ import annotations

from pathlib import Path

import click

from l10n import pipeline
from l10n.cli import _canonical_languages, _jobs, _project, cli
from l10n.errors import ReviewError


@cli.command()
@click.argument("articles", nargs=-1)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    callback=_canonical_languages,
    help="Only this language (repeatable).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow a --host other than the loopback (anyone who can reach it and has the "
    "link can edit the catalogs).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the index in a browser.")
@click.option(
    "--static",
    "static_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Write the index and article views as read-only HTML files into DIR; no server.",
)
@click.pass_context
def review(
    ctx: click.Context,
    articles: tuple[str, ...],
    languages: tuple[str, ...],
    port: int,
    host: str,
    allow_remote: bool,
    open_browser: bool,
    static_dir: Path | None,
) -> None:
    """Review translations in the page: a local web server (or --static files)."""
    project = _project(ctx.find_root())
    if len(languages) > 1:
        raise ReviewError("--lang: give one language (or none for all)")
    lang = languages[0] if languages else None
    if static_dir is not None:
        written = pipeline.review_static(
            project, static_dir, lang=lang, articles=articles, jobs=_jobs(ctx.find_root())
        )
        click.echo(f"wrote {len(written)} file(s) to {static_dir}; open {written[0]}")
        return
    from l10n.review import security, server

    # The one host rule (wildcards refused, others only with --allow-remote) is the
    # server's; the warning is said here, before it listens.
    if not security.check_host(host, allow_remote=allow_remote):
        click.echo(
            f"l10n: warning: listening on {host}, not only on this machine: anyone with "
            "the link can edit the catalogs",
            err=True,
        )

    server.serve(
        project,
        host=host,
        port=port,
        lang=lang,
        articles=articles,
        open_browser=open_browser,
        allow_remote=allow_remote,
        on_ready=lambda url: click.echo(f"reviewing at {url}  (Ctrl-C stops)"),
        jobs=_jobs(ctx.find_root()),
    )

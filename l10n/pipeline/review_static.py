"""``l10n review --static DIR``: the review views as read-only HTML files (a CI artifact)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from l10n.errors import ReviewError
from l10n.pipeline.project import Project, find_articles, write_atomic
from l10n.pipeline.reviewing import review_article, review_index
from l10n.review import static


def review_static(
    project: Project,
    folder: Path,
    *,
    lang: str | None = None,
    articles: Sequence[str] = (),
    jobs: int = 1,
) -> list[Path]:
    """Write ``index.html`` and one page per article and language below ``folder``;
    the files written, index first."""
    if lang is not None and lang not in project.config.languages:
        raise ReviewError(f"language {lang!r} is not configured")
    rels = find_articles(project, articles).rels
    everything = review_index(project, lang=lang, per_page=1000, articles=rels, jobs=jobs)
    rows = list(everything.rows)
    for page in range(2, everything.pages + 1):
        more = review_index(project, lang=lang, page=page, per_page=1000, articles=rels)
        rows += more.rows
    langs = (lang,) if lang else project.config.languages
    written = [folder / "index.html"]
    pages: list[tuple[Path, bytes]] = []
    for row in rows:
        view = review_article(project, row.rel, row.lang)
        target = folder / static.article_file(row.lang, row.rel)
        pages.append((target, static.article_html(view, others=langs).encode("utf-8")))
    index = static.index_html(dataclasses.replace(everything, rows=tuple(rows), page=1))
    write_atomic(folder / "index.html", index.encode("utf-8"))
    for target, data in pages:
        write_atomic(target, data)
        written.append(target)
    return written

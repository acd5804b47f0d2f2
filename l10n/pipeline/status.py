"""status: how far each language is, which published pages are stale, what blocks each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from l10n import readiness
from l10n.pipeline.pages import HeldPage, held_pages, page_inputs, page_state
from l10n.pipeline.project import Project, _languages, list_articles
from l10n.pipeline.publishing import catalog_facts, common_inputs
from l10n.pipeline.state import State


@dataclass(frozen=True, kw_only=True)
class StatusRow:
    language: str
    article: str
    facts: readiness.Facts
    # "current", "stale", "modified" (edited after publish), "unpublished", or
    # "unknown" (a page exists that this checkout has no publish record of).
    page: str
    changed: tuple[str, ...] = ()  # stale: which inputs changed since publish
    blocked: str | None = None  # what keeps the article below its language's gate


@dataclass(frozen=True, kw_only=True)
class LanguageStatus:
    language: str
    min_complete: float
    ready: bool  # every article meets the gate
    rows: tuple[StatusRow, ...]
    # Not ready: its live pages that are not current (what readers see instead).
    held: tuple[HeldPage, ...] = ()

    @property
    def stale(self) -> tuple[str, ...]:
        return tuple(r.article for r in self.rows if r.page in ("stale", "modified"))


def status(
    project: Project,
    selected: Sequence[str] = (),
    languages: Sequence[str] = (),
    *,
    jobs: int = 1,
) -> list[LanguageStatus]:
    layout, config = project.layout, project.config
    articles = list_articles(project, selected)
    langs = list(_languages(project, languages))
    result = []
    # Status only reads: a read-only state answers it, left as it is.
    with State(project.root, record=False) as state:
        common = common_inputs(project, state, allow_fuzzy=False)
        found = catalog_facts(project, state, langs, articles, common=common, jobs=jobs)
        for lang in langs:
            gate = readiness.Gate(min_complete=config.publish.gate(lang))
            rows = []
            for rel in articles:
                out = layout.published(lang, rel)
                current = page_inputs(project, state, lang, rel, common)
                page, changed = page_state(state, out, current)
                rows.append(
                    StatusRow(
                        language=lang,
                        article=rel,
                        facts=found[lang, rel],
                        page=page,
                        changed=changed,
                        blocked=gate.shortfall(found[lang, rel], template=layout.template(rel)),
                    )
                )
            ready = all(r.blocked is None for r in rows)
            held = () if ready else tuple(held_pages(project, state, lang, articles, common))
            result.append(
                LanguageStatus(
                    language=lang,
                    min_complete=gate.min_complete,
                    ready=ready,
                    rows=tuple(rows),
                    held=held,
                )
            )
    return result

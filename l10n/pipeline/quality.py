"""Glossary lint and export, and ``check``: the quality gate CI runs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from l10n import checks, readiness
from l10n import glossary as glossary_stage
from l10n.glossary import GlossaryError
from l10n.pipeline import parallel
from l10n.pipeline.project import (
    Project,
    _catalogs,
    _languages,
    _read_optional,
    glossary_files,
    load_glossary,
)

log = logging.getLogger(__name__)

# --- glossary and check ----------------------------------------------------------------


def lint_glossary(project: Project) -> list[glossary_stage.LintFinding]:
    return glossary_stage.lint(
        glossary_files(project), source_language=project.config.source_language
    )


def export_glossary(project: Project, fmt: str) -> str:
    glossary = load_glossary(project)
    if glossary is None:
        raise GlossaryError("no glossary files (.tbx, .csv)", file=project.config.glossaries)
    if fmt == "csv":
        return glossary_stage.export_csv(glossary)
    return glossary_stage.export_tbx2008(glossary)


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    findings: tuple[checks.Finding, ...]
    checked: tuple[str, ...]  # PO files, project-relative


def check(
    project: Project,
    selected: Sequence[str] = (),
    *,
    languages: Sequence[str] = (),
    include_fuzzy: bool = False,
    jobs: int = 1,
) -> CheckResult:
    """QA findings for the PO files of the project (or of the selected articles).

    Files are read and parsed in parallel; the rules then run over all entries at
    once, because one of them (GL005) compares translations across files.
    """
    glossary = load_glossary(project)
    todo = [
        (lang, po_rel)
        for lang in _languages(project, languages)
        for po_rel in _catalogs(project, lang, selected)
    ]
    entries: list[checks.Entry] = []
    checked: list[str] = []
    for (_, po_rel), found in zip(
        todo, parallel.each(_entries, todo, jobs=jobs, shared=project), strict=True
    ):
        if found is not None:
            checked.append(po_rel)
            entries.extend(found)
    findings = checks.check(entries, glossary, include_fuzzy=include_fuzzy)
    return CheckResult(findings=tuple(findings), checked=tuple(checked))


def _entries(item: tuple[str, str]) -> list[checks.Entry] | None:
    project: Project = parallel.context()
    lang, po_rel = item
    text = _read_optional(project, po_rel)
    if text is None:
        return None
    return readiness.check_entries(text, file=po_rel, language=lang)

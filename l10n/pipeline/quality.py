"""Glossary lint and export, and ``check``: the quality gate CI runs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from l10n import catalog, checks
from l10n import glossary as glossary_stage
from l10n.glossary import GlossaryError
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
) -> CheckResult:
    """QA findings for the PO files of the project (or of the selected articles)."""
    glossary = load_glossary(project)
    entries: list[checks.Entry] = []
    checked: list[str] = []
    for lang in _languages(project, languages):
        for po_rel in _catalogs(project, lang, selected):
            text = _read_optional(project, po_rel)
            if text is None:
                continue
            checked.append(po_rel)
            for t in catalog.translations(text, file=po_rel):
                entries.append(
                    checks.Entry(
                        file=po_rel,
                        line=t.line,
                        language=lang,
                        msgid=t.msgid,
                        msgctxt=t.msgctxt,
                        msgstr=t.msgstr,
                        fuzzy=t.fuzzy,
                        flags=t.flags,
                    )
                )
    findings = checks.check(entries, glossary, include_fuzzy=include_fuzzy)
    return CheckResult(findings=tuple(findings), checked=tuple(checked))

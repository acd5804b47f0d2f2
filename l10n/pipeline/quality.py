"""Glossary lint and export, and ``check``: the quality gate CI runs."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from l10n import checks, readiness
from l10n import glossary as glossary_stage
from l10n.glossary import Glossary, GlossaryError
from l10n.pipeline import parallel
from l10n.pipeline.project import (
    Project,
    _catalogs,
    _languages,
    _read_optional,
    find_articles,
    glossary_files,
    load_glossary,
)

log = logging.getLogger(__name__)

# --- glossary and check ----------------------------------------------------------------


def lint_glossary(project: Project) -> list[glossary_stage.LintFinding]:
    return glossary_stage.lint(
        glossary_files(project),
        source_language=project.config.source_language,
        languages=project.config.languages,
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

    Workers check one file each; the parent only compares translations across files
    (GL005), through an on-disk index, so memory stays flat however large the archive.
    """
    if not selected:
        find_articles(project)  # articles that would share a catalog are an error here too
    shared = _Shared(project=project, glossary=load_glossary(project), fuzzy=include_fuzzy)
    todo = [
        (lang, po_rel)
        for lang in _languages(project, languages)
        for po_rel in _catalogs(project, lang, selected)
    ]
    findings: list[checks.Finding] = []
    checked: list[str] = []
    with contextlib.closing(_SqliteFirst()) as first:
        for (_, po_rel), done in zip(
            todo, parallel.each(_check_file, todo, jobs=jobs, shared=shared), strict=True
        ):
            if done is None:
                continue
            checked.append(po_rel)
            found, active = done
            findings.extend(found)
            findings.extend(checks.consistency(active, first))
    findings.sort(key=lambda f: (f.file, f.line, f.rule))
    return CheckResult(findings=tuple(findings), checked=tuple(checked))


@dataclass(frozen=True, kw_only=True)
class _Shared:
    project: Project
    glossary: Glossary | None
    fuzzy: bool


def _check_file(
    item: tuple[str, str],
) -> tuple[list[checks.Finding], list[checks.Entry]] | None:
    shared: _Shared = parallel.context()
    lang, po_rel = item
    text = _read_optional(shared.project, po_rel)
    if text is None:
        return None
    entries = readiness.check_entries(text, file=po_rel, language=lang)
    found = checks.check(entries, shared.glossary, include_fuzzy=shared.fuzzy, across_files=False)
    pot_rel = shared.project.layout.template_of(lang, po_rel)
    template = _read_optional(shared.project, pot_rel)
    lost = (
        []
        if template is None
        else readiness.missing_entries(text, template, file=po_rel, template_file=pot_rel)
    )
    found += checks.file_findings(
        text, file=po_rel, language=lang, missing=[t.msgid for t in lost], template_file=pot_rel
    )
    active = [e for e in entries if e.msgstr and (shared.fuzzy or not e.fuzzy)]
    return found, active


class _SqliteFirst:
    """GL005's first translations in a temporary SQLite file, not in memory."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "": a private temporary database on disk
        self._db.execute(
            "create table first (language, msgctxt, msgid, msgstr, file, line, "
            "primary key (language, msgctxt, msgid))"
        )

    def first(self, key: tuple[str, str | None, str], seen: checks.Seen) -> checks.Seen:
        language, msgctxt, msgid = key
        ctxt = "\0" if msgctxt is None else msgctxt  # NULLs never collide in a key
        row = self._db.execute(
            "select msgstr, file, line from first where language=? and msgctxt=? and msgid=?",
            (language, ctxt, msgid),
        ).fetchone()
        if row is not None:
            return checks.Seen(msgstr=row[0], file=row[1], line=row[2])
        self._db.execute(
            "insert into first values (?, ?, ?, ?, ?, ?)",
            (language, ctxt, msgid, seen.msgstr, seen.file, seen.line),
        )
        return seen

    def close(self) -> None:
        self._db.close()

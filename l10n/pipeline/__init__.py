"""extract / translate / check / publish over a project: the only code that reads and
writes project files.  Every stage it calls takes and returns text or objects."""

from l10n.pipeline.pages import StatusRow, extract, publish, status
from l10n.pipeline.project import (
    Notice,
    Project,
    Report,
    find_root,
    init,
    list_articles,
    load_glossary,
    load_project,
    write_atomic,
)
from l10n.pipeline.quality import CheckResult, check, export_glossary, lint_glossary
from l10n.pipeline.translating import TranslateReport, translate

__all__ = [
    "CheckResult",
    "Notice",
    "Project",
    "Report",
    "StatusRow",
    "TranslateReport",
    "check",
    "export_glossary",
    "extract",
    "find_root",
    "init",
    "lint_glossary",
    "list_articles",
    "load_glossary",
    "load_project",
    "publish",
    "status",
    "translate",
    "write_atomic",
]

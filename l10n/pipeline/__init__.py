"""extract / translate / check / publish over a project: the only code that reads and
writes project files.  Every stage it calls takes and returns text or objects."""

from l10n.pipeline.engines import EngineChosen, Progress, Unfinished
from l10n.pipeline.extracting import extract
from l10n.pipeline.parallel import default_jobs, parse_shard
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
    write_output,
)
from l10n.pipeline.publishing import PublishReport, Refusal, publish
from l10n.pipeline.quality import CheckResult, check, export_glossary, lint_glossary
from l10n.pipeline.review_static import review_static
from l10n.pipeline.reviewing import review_article, review_check, review_index, review_save
from l10n.pipeline.status import LanguageStatus, StatusRow, status
from l10n.pipeline.translating import TranslateReport, translate

__all__ = [
    "CheckResult",
    "EngineChosen",
    "LanguageStatus",
    "Notice",
    "Progress",
    "Project",
    "PublishReport",
    "Refusal",
    "Report",
    "StatusRow",
    "TranslateReport",
    "Unfinished",
    "check",
    "default_jobs",
    "export_glossary",
    "extract",
    "find_root",
    "init",
    "lint_glossary",
    "list_articles",
    "load_glossary",
    "load_project",
    "parse_shard",
    "publish",
    "review_article",
    "review_check",
    "review_index",
    "review_save",
    "review_static",
    "status",
    "translate",
    "write_atomic",
    "write_output",
]

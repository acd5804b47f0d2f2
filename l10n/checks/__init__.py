"""QA rules over translated PO entries (``rules``), and the formats CI dashboards read
(``formats``).  Nothing here prints or reads files."""

from __future__ import annotations

from l10n.checks.formats import FORMATS, JSON_VERSION, render
from l10n.checks.rules import (
    ERROR,
    RULES,
    WARNING,
    Entry,
    Finding,
    FirstTranslations,
    InMemoryFirst,
    Seen,
    check,
    consistency,
    file_findings,
    summary,
)

__all__ = [
    "ERROR",
    "FORMATS",
    "JSON_VERSION",
    "RULES",
    "WARNING",
    "Entry",
    "Finding",
    "FirstTranslations",
    "InMemoryFirst",
    "Seen",
    "check",
    "consistency",
    "file_findings",
    "render",
    "summary",
]

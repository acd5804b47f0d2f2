"""Glossaries (termbases): read TBX and CSV files, lint them, export them, and find their
terms in message text in any script.

Nothing here touches the file system: callers pass file contents and names.
"""

from __future__ import annotations

from l10n.glossary.index import Entry, term_matcher
from l10n.glossary.linter import lint
from l10n.glossary.loader import load, read
from l10n.glossary.matcher import Match, Matcher
from l10n.glossary.model import (
    Concept,
    Glossary,
    GlossaryError,
    LintFinding,
    Reading,
    Status,
    Term,
)
from l10n.glossary.spreadsheet import export_csv, parse_csv
from l10n.glossary.tbx import export_tbx2008, parse_tbx

__all__ = [
    "Concept",
    "Entry",
    "Glossary",
    "GlossaryError",
    "LintFinding",
    "Match",
    "Matcher",
    "Reading",
    "Status",
    "Term",
    "export_csv",
    "export_tbx2008",
    "lint",
    "load",
    "parse_csv",
    "parse_tbx",
    "read",
    "term_matcher",
]

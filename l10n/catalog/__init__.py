"""Gettext catalogs: segments become POT templates, templates merge into PO files.

This is the only package that imports polib, so its quirks stay here.  polib is exact but
slow, so templates, new catalogs and ``translations`` go through ``l10n.po``, which writes
and reads the same text polib does and hands anything unusual back to polib.  Everything
takes and returns text; the CLI does the reading and writing.

``templates`` turns segments into POT text and builds headers; ``merging`` merges a
template into a PO file; ``reading`` parses PO text (``translations``, ``stats``);
``updating`` writes machine and memory translations in (``apply_fills``); ``problems``
finds what ``msgfmt --check`` would reject (with ``formats``: plural and format strings).
"""

from __future__ import annotations

from l10n.catalog.merging import _with_notes as _with_notes
from l10n.catalog.merging import merge
from l10n.catalog.problems import Problem, problems
from l10n.catalog.reading import (
    Stats,
    Translation,
    parse,
    stats,
    stats_of,
    translation_of,
    translations,
)
from l10n.catalog.reading import _msgid_line as _msgid_line
from l10n.catalog.reading import _parse as _parse
from l10n.catalog.reading import _read as _read
from l10n.catalog.templates import (
    FUZZY,
    GENERATOR,
    MACHINE_COMMENT,
    PSEUDO,
    Message,
    messages_from_segments,
    render_template,
)
from l10n.catalog.templates import _comment_lines as _comment_lines
from l10n.catalog.templates import _english as _english
from l10n.catalog.templates import _merged_metadata as _merged_metadata
from l10n.catalog.templates import _metadata as _metadata
from l10n.catalog.templates import _one_word as _one_word
from l10n.catalog.updating import FillLike, apply_fills, still_open
from l10n.similarity import count_words

__all__ = [
    "FUZZY",
    "GENERATOR",
    "MACHINE_COMMENT",
    "PSEUDO",
    "FillLike",
    "Message",
    "Problem",
    "Stats",
    "Translation",
    "apply_fills",
    "count_words",
    "merge",
    "messages_from_segments",
    "parse",
    "problems",
    "render_template",
    "stats",
    "stats_of",
    "still_open",
    "translation_of",
    "translations",
]

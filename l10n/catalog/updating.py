"""Updating catalogs: machine and memory translations written into PO text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from l10n.catalog.reading import _has_translation, _render, parse
from l10n.catalog.templates import FUZZY, MACHINE_COMMENT


class FillLike(Protocol):
    """What ``apply_fills`` needs of a fill (``l10n.translate.run.Fill``)."""

    @property
    def msgid(self) -> str: ...
    @property
    def msgstr(self) -> str: ...
    @property
    def fuzzy(self) -> bool: ...
    @property
    def comment(self) -> str: ...
    @property
    def previous_msgid(self) -> str | None: ...
    @property
    def flags(self) -> tuple[str, ...]: ...


# Translator-comment lines written by the tool itself; replaced, never accumulated.
_TOOL_COMMENTS = (MACHINE_COMMENT, "translation memory: ", "glossary term missing: ")


def apply_fills(
    text: str, fills: Sequence[FillLike], *, file: str, refresh_fuzzy: bool = False
) -> str:
    """Write machine or memory translations into untranslated entries (and fuzzy ones with
    ``refresh_fuzzy``).  A reviewed entry (translated, not fuzzy) is never touched; a fill
    with an empty msgstr only leaves its comment, saying why the entry stays untranslated."""
    by_msgid = {f.msgid: f for f in fills}
    pofile = parse(text, file=file)
    changed = False
    for entry in pofile:
        item = by_msgid.get(entry.msgid)
        if item is None or entry.obsolete or entry.msgstr_plural:
            continue
        if _has_translation(entry) and not (refresh_fuzzy and entry.fuzzy):
            continue
        kept = [
            line
            for line in entry.tcomment.split("\n")
            if line and not line.startswith(_TOOL_COMMENTS)
        ]
        entry.tcomment = "\n".join([*kept, *item.comment.split("\n")])
        changed = True
        if not item.msgstr:
            continue
        entry.msgstr = item.msgstr
        entry.flags = [f for f in entry.flags if f != FUZZY and not f.startswith("l10n-glossary")]
        if item.fuzzy:
            entry.flags.append(FUZZY)
        entry.flags.extend(f for f in item.flags if f not in entry.flags)
        entry.previous_msgid = item.previous_msgid
        entry.previous_msgctxt = None
    return _render(pofile) if changed else text

"""Updating catalogs: machine and memory translations written into PO text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from l10n import po
from l10n.catalog.reading import _read
from l10n.catalog.templates import FUZZY, MACHINE_COMMENT, PSEUDO


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
    with an empty msgstr only leaves its comment, saying why the entry stays untranslated.
    Plural entries are left alone: a fill is one msgstr."""
    by_msgid = {f.msgid: f for f in fills}
    catalog = _read(text, file=file)
    changed = False
    for entry in catalog.entries:
        item = by_msgid.get(entry.msgid)
        if item is None or entry.obsolete or entry.msgstr_plural:
            continue
        if entry.msgstr and not (refresh_fuzzy and entry.fuzzy):
            continue
        entry.tcomment = _comment(entry.tcomment, item)
        changed = True
        if item.msgstr:
            entry.msgstr = item.msgstr
            entry.flags = _flags(entry.flags, item)
            entry.previous_msgid = item.previous_msgid
            entry.previous_msgctxt = None
    if not changed:
        return text
    return po.write(catalog.header, catalog.metadata, catalog.entries, fuzzy=catalog.fuzzy)


F = TypeVar("F", bound=FillLike)


def still_open(fills: Sequence[F], *, read: str, now: str, file: str) -> list[F]:
    """The fills whose entries ``now`` (the file as it is) holds as they were in ``read``
    (the text the fills were made for): same msgstr, same fuzziness.  A translation a
    translator saved in between is never overwritten; an entry gone stays gone."""

    def states(text: str) -> dict[str, tuple[str, bool]]:
        return {
            e.msgid: (e.msgstr, e.fuzzy) for e in _read(text, file=file).entries if not e.obsolete
        }

    before, after = states(read), states(now)
    return [f for f in fills if f.msgid in after and after[f.msgid] == before.get(f.msgid)]


def _comment(tcomment: str, item: FillLike) -> str:
    kept = [line for line in tcomment.split("\n") if line and not line.startswith(_TOOL_COMMENTS)]
    return "\n".join([*kept, *item.comment.split("\n")])


def _flags(flags: tuple[str, ...], item: FillLike) -> tuple[str, ...]:
    kept = [f for f in flags if f not in (FUZZY, PSEUDO) and not f.startswith("l10n-glossary")]
    if item.fuzzy:
        kept.append(FUZZY)
    kept.extend(f for f in item.flags if f not in kept)
    return tuple(kept)

"""Merging a template into an existing catalog, as msgmerge does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polib

from l10n import po
from l10n.catalog.reading import _has_translation, _new_file, _read, _render, parse
from l10n.catalog.templates import FUZZY, _english, _metadata
from l10n.similarity import Similar

# --- merging -------------------------------------------------------------------------------


def merge(
    template: str,
    existing: str | None,
    *,
    language: str,
    source_language: str,
    file: str,
    template_file: str | None = None,
    notes: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The PO text for ``language`` after merging ``template`` into ``existing`` (msgmerge).

    ``file`` names the PO file in errors, ``template_file`` the POT (defaults to ``file``).
    ``notes`` adds language-specific extracted comments by msgid (glossary terms with
    their target in this language), so Poedit and Weblate show them beside the text.
    """
    pot = _read(template, file=template_file or file)
    if existing is None:
        return _new_catalog(pot, language=language, source=source_language, notes=notes or {})
    old = parse(existing, file=file)

    exact: dict[tuple[str | None, str], polib.POEntry] = {}
    for entry in old:
        current = exact.get(_key(entry))
        # The first live entry wins; an obsolete one is revived only when no live one exists.
        if current is None or (current.obsolete and not entry.obsolete):
            exact[_key(entry)] = entry

    used: set[int] = set()
    result: list[polib.POEntry] = []
    fresh: list[polib.POEntry] = []
    seen: set[tuple[str | None, str]] = set()
    for ref in pot.entries:
        if ref.obsolete or _key(ref) in seen:
            continue
        seen.add(_key(ref))
        entry = polib.POEntry(
            msgid=ref.msgid,
            msgctxt=ref.msgctxt,
            occurrences=[(word, "") for word in ref.files],  # written back as they were
            comment=_with_notes(ref.comment, (notes or {}).get(ref.msgid, ())),
            flags=[f for f in ref.flags if f != FUZZY],
        )
        previous = exact.get(_key(ref))
        if previous is not None:
            used.add(id(previous))
            _inherit(entry, previous)
            if previous.fuzzy:
                entry.previous_msgctxt = previous.previous_msgctxt
                entry.previous_msgid = previous.previous_msgid
        else:
            fresh.append(entry)
        result.append(entry)

    if fresh:
        candidates = [e for e in old if id(e) not in used and _has_translation(e)]
        similar = Similar([e.msgid for e in candidates])
        for entry in fresh:
            found = similar.take(entry.msgid)
            if found is None:
                continue
            match = candidates[found]
            used.add(id(match))
            _inherit(entry, match)
            if FUZZY not in entry.flags:
                entry.flags.append(FUZZY)
            # A fuzzy translation was written for its own previous msgid (msgmerge's rule).
            keep = match.fuzzy and match.previous_msgid is not None
            entry.previous_msgctxt = match.previous_msgctxt if keep else match.msgctxt
            entry.previous_msgid = match.previous_msgid if keep else match.msgid

    out = _new_file(old.header or f"{_english(language)} translation.")
    out.metadata = _metadata(pot.metadata, old.metadata, language=language, source=source_language)
    out.extend(result)
    for entry in old:
        if id(entry) in used or not _has_translation(entry) or _key(entry) in seen:
            continue  # untranslated entries that vanished are not worth keeping
        seen.add(_key(entry))
        entry.obsolete = True
        entry.occurrences = []
        entry.comment = ""
        out.append(entry)
    return _render(out)


def _new_catalog(
    pot: po.Catalog, *, language: str, source: str, notes: Mapping[str, Sequence[str]]
) -> str:
    """What ``merge`` makes of a template without an existing catalog, without polib."""
    entries: dict[tuple[str | None, str], po.Entry] = {}
    for entry in pot.entries:  # read just now, so they are ours to change
        key = (entry.msgctxt, entry.msgid)
        if entry.obsolete or key in entries:
            continue
        entries[key] = entry
        entry.msgstr = entry.tcomment = ""
        entry.previous_msgctxt = entry.previous_msgid = None
        if entry.flags:
            entry.flags = tuple(f for f in entry.flags if f != FUZZY)
        if entry.msgid in notes:
            entry.comment = _with_notes(entry.comment, notes[entry.msgid])
    metadata = _metadata(pot.metadata, {}, language=language, source=source)
    return po.write(f"{_english(language)} translation.", metadata, entries.values())


def _with_notes(comment: str, notes: Sequence[str]) -> str:
    lines = comment.split("\n") if comment else []
    lines += [n for n in notes if n not in lines]
    return "\n".join(lines)


def _key(entry: polib.POEntry | po.Entry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _inherit(entry: polib.POEntry, old: polib.POEntry) -> None:
    """Give a template entry what the translator wrote on ``old``."""
    entry.msgstr = old.msgstr
    entry.msgstr_plural = dict(old.msgstr_plural)
    entry.tcomment = old.tcomment
    entry.flags += [flag for flag in old.flags if flag not in entry.flags]

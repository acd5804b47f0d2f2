"""Merging a template into an existing catalog, as msgmerge does."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from l10n import po
from l10n.catalog.reading import _read
from l10n.catalog.templates import FUZZY, _english, _merged_metadata, _metadata
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
    An existing catalog keeps its header as the translator left it (``_merged_metadata``).
    """
    pot = _read(template, file=template_file or file)
    if existing is None:
        return _new_catalog(pot, language=language, source=source_language, notes=notes or {})
    old = _read(existing, file=file)

    exact: dict[tuple[str | None, str], po.Entry] = {}
    for entry in old.entries:
        current = exact.get(_key(entry))
        # The first live entry wins; an obsolete one is revived only when no live one exists.
        if current is None or (current.obsolete and not entry.obsolete):
            exact[_key(entry)] = entry

    used: set[int] = set()
    result: list[po.Entry] = []
    fresh: list[po.Entry] = []
    seen: set[tuple[str | None, str]] = set()
    for ref in pot.entries:
        if ref.obsolete or _key(ref) in seen:
            continue
        seen.add(_key(ref))
        entry = po.Entry(
            ref.msgid,
            msgctxt=ref.msgctxt,
            comment=_with_notes(ref.comment, (notes or {}).get(ref.msgid, ())),
            files=ref.files,
            flags=tuple(f for f in ref.flags if f != FUZZY),
            msgid_plural=ref.msgid_plural,
            msgstr_plural=dict.fromkeys(ref.msgstr_plural, ""),
        )
        previous = exact.get(_key(ref))
        if previous is not None and _plural(previous) == _plural(entry):
            used.add(id(previous))
            _inherit(entry, previous)
            if previous.fuzzy:
                entry.previous_msgctxt = previous.previous_msgctxt
                entry.previous_msgid = previous.previous_msgid
                entry.previous_msgid_plural = previous.previous_msgid_plural
        else:
            fresh.append(entry)
        result.append(entry)

    if fresh:
        candidates = [e for e in old.entries if id(e) not in used and e.translated]
        similar = Similar([e.msgid for e in candidates])
        for entry in fresh:
            found = similar.take(entry.msgid)
            if found is None:
                continue
            match = candidates[found]
            if _plural(match) != _plural(entry):
                continue  # msgstr[N] cannot stand for a msgstr, nor the other way round
            used.add(id(match))
            _inherit(entry, match)
            if FUZZY not in entry.flags:
                entry.flags += (FUZZY,)
            # A fuzzy translation was written for its own previous msgid (msgmerge's rule).
            keep = match.fuzzy and match.previous_msgid is not None
            entry.previous_msgctxt = match.previous_msgctxt if keep else match.msgctxt
            entry.previous_msgid = match.previous_msgid if keep else match.msgid
            plural = match.previous_msgid_plural if keep else match.msgid_plural
            entry.previous_msgid_plural = plural or None

    for entry in old.entries:
        if id(entry) in used or not entry.translated or _key(entry) in seen:
            continue  # untranslated entries that vanished are not worth keeping
        seen.add(_key(entry))
        entry.obsolete = True
        entry.files = ()
        entry.comment = ""
        result.append(entry)
    metadata = _merged_metadata(
        pot.metadata, old.metadata, language=language, source=source_language
    )
    header = old.header or f"{_english(language)} translation."
    return po.write(header, metadata, result, fuzzy=old.fuzzy)


def _new_catalog(
    pot: po.Catalog, *, language: str, source: str, notes: Mapping[str, Sequence[str]]
) -> str:
    """What ``merge`` makes of a template without an existing catalog."""
    entries: dict[tuple[str | None, str], po.Entry] = {}
    for entry in pot.entries:  # read just now, so they are ours to change
        key = (entry.msgctxt, entry.msgid)
        if entry.obsolete or key in entries:
            continue
        entries[key] = entry
        entry.msgstr = entry.tcomment = ""
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        if entry.msgstr_plural:
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        if entry.flags:
            entry.flags = tuple(f for f in entry.flags if f != FUZZY)
        if entry.msgid in notes:
            entry.comment = _with_notes(entry.comment, notes[entry.msgid])
    metadata = _metadata(pot.metadata, language=language, source=source)
    return po.write(f"{_english(language)} translation.", metadata, entries.values())


def _with_notes(comment: str, notes: Sequence[str]) -> str:
    lines = comment.split("\n") if comment else []
    lines += [n for n in notes if n not in lines]
    return "\n".join(lines)


def _key(entry: po.Entry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _plural(entry: po.Entry) -> bool:
    return bool(entry.msgid_plural or entry.msgstr_plural)


def _inherit(entry: po.Entry, old: po.Entry) -> None:
    """Give a template entry what the translator wrote on ``old``."""
    entry.msgstr = old.msgstr
    if old.msgstr_plural:
        entry.msgstr_plural = dict(old.msgstr_plural)
    entry.tcomment = old.tcomment
    entry.flags += tuple(flag for flag in old.flags if flag not in entry.flags)

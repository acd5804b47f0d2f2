"""Gettext catalogs: segments become POT templates, templates merge into PO files.

This is the only module that imports polib, so its quirks stay here.  polib is exact but
slow, so templates, new catalogs and ``translations`` go through ``l10n.po``, which writes
and reads the same text polib does and hands anything unusual back to polib.  Everything
takes and returns text; the CLI does the reading and writing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Protocol

import polib
from babel import Locale
from babel.messages.plurals import get_plural

from l10n import po
from l10n.config import gettext_language
from l10n.errors import CatalogError
from l10n.html.model import Segment
from l10n.html.placeholders import strip
from l10n.similarity import Similar, count_words

GENERATOR = "l10n"
FUZZY = "fuzzy"

MACHINE_COMMENT = "machine translation: "

_DATE_FORMAT = "%Y-%m-%d %H:%M%z"


@dataclass(frozen=True, kw_only=True)
class Message:
    """One template entry: a distinct msgid with everything translators are told about it."""

    msgid: str
    msgctxt: str | None = None
    locations: tuple[str, ...] = ()  # "articles/ai.html#main/p[3]"
    comments: tuple[str, ...] = ()  # extracted comments ("#."), in order, no repeats


@dataclass(frozen=True, kw_only=True)
class Translation:
    """One entry of a PO file as publish and check need it."""

    msgid: str
    msgctxt: str | None
    msgstr: str
    fuzzy: bool
    line: int  # line of the entry's msgid keyword, 1-based
    flags: tuple[str, ...]
    comment: str  # extracted comments
    tcomment: str  # translator comments


@dataclass(frozen=True, kw_only=True)
class Stats:
    translated: int
    fuzzy: int
    untranslated: int
    translated_words: int
    fuzzy_words: int
    untranslated_words: int
    percent: float


# --- segments to template ---------------------------------------------------------------


def messages_from_segments(
    article: str,
    segments: Sequence[Segment],
    notes: Mapping[str, Sequence[str]] | None = None,
) -> list[Message]:
    """One message per distinct msgid of an article, in order of first occurrence.

    ``article`` prefixes each location (``articles/ai.html``); ``notes`` adds extra
    extracted comments per msgid (glossary hints).
    """
    # Dicts with None values are ordered sets: first occurrence decides the order.
    locations: dict[str, dict[str, None]] = {}
    comments: dict[str, dict[str, None]] = {}
    for segment in segments:
        if not segment.msgid:
            continue  # msgid "" is the PO header; an empty segment has nothing to translate
        locations.setdefault(segment.msgid, {})[f"{article}:{segment.location}"] = None
        said = comments.setdefault(segment.msgid, {})
        said.update(dict.fromkeys(filter(None, (segment.context, *segment.legend))))
    for msgid, extra in (notes or {}).items():
        if msgid in comments:
            comments[msgid].update(dict.fromkeys(extra))
    return [
        Message(msgid=msgid, locations=tuple(where), comments=tuple(comments[msgid]))
        for msgid, where in locations.items()
    ]


def render_template(
    messages: Sequence[Message],
    *,
    project: str = "l10n",
    creation_date: datetime | None = None,
) -> str:
    """POT text for ``messages``; ``creation_date`` defaults to now (pin it in tests)."""
    metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": _format_date(creation_date or datetime.now(UTC)),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    combined: dict[tuple[str | None, str], po.Entry] = {}
    for message in messages:
        locations = message.locations
        if _SPACE_OR_STAR.search("".join(locations)):
            locations = tuple(_one_word(location) for location in locations)
        entry = combined.get((message.msgctxt, message.msgid))
        if entry is None:
            # Duplicates would make msgfmt reject the file, so they merge like xgettext's.
            comment = "\n".join(_comment_lines(message.comments))
            files = tuple(dict.fromkeys(locations) if len(locations) > 1 else locations)
            combined[message.msgctxt, message.msgid] = po.Entry(
                message.msgid, "", message.msgctxt, comment, "", files
            )
            continue
        for location in locations:
            if location not in entry.files:
                entry.files += (location,)
        lines = entry.comment.split("\n") if entry.comment else []
        lines += [c for c in _comment_lines(message.comments) if c not in lines]
        entry.comment = "\n".join(lines)
    return po.write(f"Translation template for {project}.", metadata, combined.values())


def _format_date(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.strftime(_DATE_FORMAT)


def _one_word(location: str) -> str:
    # "#:" lines are split on whitespace when read back, so a space would cut a location;
    # polib wraps long "#:" lines by turning "-" into "*" and back, which would eat a "*".
    return _SPACE_OR_STAR.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), location)


_SPACE_OR_STAR = re.compile(r"[\s*]")


def _comment_lines(comments: Iterable[str]) -> list[str]:
    # A bare "\r" (or other line break) inside a "#." line would end the comment when read
    # back and turn the rest of the line into a syntax error.
    return [line for comment in comments for line in comment.splitlines() if line.strip()]


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


def _has_translation(entry: polib.POEntry) -> bool:
    if entry.msgstr_plural:
        return all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _inherit(entry: polib.POEntry, old: polib.POEntry) -> None:
    """Give a template entry what the translator wrote on ``old``."""
    entry.msgstr = old.msgstr
    entry.msgstr_plural = dict(old.msgstr_plural)
    entry.tcomment = old.tcomment
    entry.flags += [flag for flag in old.flags if flag not in entry.flags]


def _metadata(
    pot: Mapping[str, str], old: Mapping[str, str], *, language: str, source: str
) -> dict[str, str]:
    created = pot.get("POT-Creation-Date") or _format_date(datetime.now(UTC))
    # What msginit would write, in values msgfmt --check takes without warnings; a
    # translator's own values (and any extra headers) replace them below.
    metadata = {
        "Project-Id-Version": pot.get("Project-Id-Version", GENERATOR),
        "PO-Revision-Date": created,
        "Last-Translator": "",
        "Language-Team": _english(language),
    }
    metadata.update(old)
    metadata.update(
        {
            "Report-Msgid-Bugs-To": pot.get("Report-Msgid-Bugs-To", ""),
            "POT-Creation-Date": created,
            "Language": gettext_language(language),
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": _plural_forms(language),
            "X-Generator": GENERATOR,
            "X-Source-Language": source,
        }
    )
    return metadata


@cache
def _plural_forms(language: str) -> str:
    return str(get_plural(Locale.parse(gettext_language(language))).plural_forms)


@cache
def _english(language: str) -> str:
    return Locale.parse(gettext_language(language)).english_name or language


# --- reading and writing -----------------------------------------------------------------

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_KEYWORD = re.compile(r"(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[\s\"]|$)")
_STRING_PREFIX = re.compile(r"#(?:~\|?|\|)\s*")  # "#~ ", "#| " and "#~| " lines hold strings
_MSGID_LINE = re.compile(r"\s*msgid(?=[\s\"])")
_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")


def parse(text: str, *, file: str) -> polib.POFile:
    """A PO/POT text as a polib catalog; syntax errors raise ``CatalogError``."""
    return _parse(text, file=file)[0]


def _parse(text: str, *, file: str) -> tuple[polib.POFile, list[str]]:
    content = _Lines(text.removeprefix("\ufeff"))
    lines = content.splitlines()
    _check_strings(lines, file=file)
    try:
        pofile = polib.pofile(content, encoding="utf-8", wrapwidth=78)
    except (OSError, ValueError, LookupError) as exc:
        found = _POLIB_LINE.search(str(exc))
        detail = (found.group(2) or "").strip() if found else ""
        raise CatalogError(
            "syntax error in PO file" + (f": {detail}" if detail else ""),
            file=file,
            line=int(found.group(1)) if found else None,
        ) from exc
    # polib keeps the header entry's flag list here, and writes it back as "fuzzy" when
    # the list holds anything at all.
    header_flags: object = pofile.metadata_is_fuzzy
    pofile.metadata_is_fuzzy = isinstance(header_flags, list) and FUZZY in header_flags
    return pofile, lines


class _Lines(str):
    """PO text that polib reads line by line the way gettext does.

    polib splits text with ``str.splitlines()``, which also breaks at U+2028, U+0085 and
    other separators that polib writes unescaped inside strings, so such a msgid would
    not read back.  polib also takes its argument for a path when a file of that name
    exists; a line break appended to a one-line text rules that out.
    """

    def __new__(cls, text: str) -> _Lines:
        return super().__new__(cls, text if "\n" in text else text + "\n")

    def splitlines(self, keepends: bool = False) -> list[str]:
        lines = self.split("\n")
        return [line + "\n" for line in lines[:-1]] + lines[-1:] if keepends else lines


def _check_strings(lines: Sequence[str], *, file: str) -> None:
    # polib reads `msgid "abc` (no closing quote) as a silently shortened msgid.
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        prefix = _STRING_PREFIX.match(line)
        if prefix:
            line = line[prefix.end() :]
        elif line.startswith("#"):
            continue
        keyword = _KEYWORD.match(line)
        rest = line[keyword.end() :].strip() if keyword else line
        if (keyword or rest.startswith('"')) and not _STRING.fullmatch(rest):
            raise CatalogError(
                "syntax error in PO file: expected one quoted string", file=file, line=number
            )


def _read(text: str, *, file: str) -> po.Catalog:
    """A PO text read fast, or by polib when it is unusual (or wrong: then polib says where)."""
    fast = po.read(text.removeprefix("\ufeff"))
    if fast is not None:
        return fast
    pofile, lines = _parse(text, file=file)
    entries = [
        po.Entry(  # plural forms aside, which neither merge nor translations look at
            e.msgid,
            e.msgstr,
            e.msgctxt,
            e.comment,
            e.tcomment,
            files=tuple(f"{path}:{n}" if n else path for path, n in e.occurrences),
            flags=tuple(e.flags),
            previous_msgctxt=e.previous_msgctxt,
            previous_msgid=e.previous_msgid,
            obsolete=bool(e.obsolete),
            line=_msgid_line(e, lines),
        )
        for e in pofile
    ]
    fuzzy = bool(pofile.metadata_is_fuzzy)
    return po.Catalog(header=pofile.header, metadata=pofile.metadata, fuzzy=fuzzy, entries=entries)


def _new_file(header: str) -> polib.POFile:
    pofile = polib.POFile(wrapwidth=78, encoding="utf-8")
    # An empty header is still written, as a lone "#" line.
    pofile.header = header
    return pofile


def _render(pofile: polib.POFile) -> str:
    text = str(pofile)
    return text if text.endswith("\n") else text + "\n"


# --- reading translations ------------------------------------------------------------------


def translations(text: str, *, file: str) -> list[Translation]:
    """Every live entry of a PO text (translated or not), header excluded."""
    entries = _read(text, file=file).entries
    return [
        Translation(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgstr=entry.msgstr,
            fuzzy=entry.fuzzy,
            line=entry.line,
            flags=entry.flags,
            comment=entry.comment,
            tcomment=entry.tcomment,
        )
        for entry in entries
        if not entry.obsolete
    ]


def _msgid_line(entry: polib.POEntry, lines: Sequence[str]) -> int:
    # polib's linenum is the entry's first line, which may be a comment or msgctxt.
    start = max(entry.linenum or 1, 1)
    for number in range(start, len(lines) + 1):
        if _MSGID_LINE.match(lines[number - 1]):
            return number
    return start


def fill(
    text: str, filled: Mapping[str, str], *, file: str, engine: str, fuzzy: bool = True
) -> str:
    """Put machine translations (by msgid) into untranslated entries; others stay as they are."""
    pofile = parse(text, file=file)
    changed = False
    for entry in pofile:
        value = filled.get(entry.msgid)
        if entry.obsolete or _has_translation(entry) or entry.msgstr_plural or not value:
            continue
        entry.msgstr = value
        if fuzzy and FUZZY not in entry.flags:
            entry.flags.append(FUZZY)
        note = MACHINE_COMMENT + engine
        if note not in entry.tcomment.split("\n"):
            entry.tcomment = f"{entry.tcomment}\n{note}" if entry.tcomment else note
        changed = True
    # Re-rendering would re-wrap a file another editor wrote; leave it alone if unchanged.
    return _render(pofile) if changed else text


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


# --- statistics ----------------------------------------------------------------------------


def stats(text: str, *, file: str) -> Stats:
    """Entry and word counts of a PO text; a fuzzy entry counts as fuzzy, not translated."""
    entries, words = Counter[str](), Counter[str]()
    for entry in parse(text, file=file):
        if not entry.obsolete:
            state = "fuzzy" if entry.fuzzy else "translated"
            state = state if _has_translation(entry) else "untranslated"
            entries[state] += 1
            words[state] += count_words(strip(entry.msgid))
    total = entries.total()
    return Stats(
        translated=entries["translated"],
        fuzzy=entries["fuzzy"],
        untranslated=entries["untranslated"],
        translated_words=words["translated"],
        fuzzy_words=words["fuzzy"],
        untranslated_words=words["untranslated"],
        percent=100.0 if total == 0 else entries["translated"] * 100 / total,
    )

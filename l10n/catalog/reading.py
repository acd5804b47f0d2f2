"""Reading PO text: parsing with polib, syntax checks, translations and statistics."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polib

from l10n import po
from l10n.catalog.templates import FUZZY
from l10n.errors import CatalogError
from l10n.html.placeholders import strip
from l10n.similarity import count_words


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
    previous_msgid: str | None = None  # "#|": the source a fuzzy text was made for


@dataclass(frozen=True, kw_only=True)
class Stats:
    translated: int
    fuzzy: int
    untranslated: int
    translated_words: int
    fuzzy_words: int
    untranslated_words: int
    percent: float


# --- reading and writing -----------------------------------------------------------------

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_KEYWORD = re.compile(r"(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[\s\"]|$)")
_STRING_PREFIX = re.compile(r"#(?:~\|?|\|)\s*")  # "#~ ", "#| " and "#~| " lines hold strings
_MSGID_LINE = re.compile(r"\s*msgid(?=[\s\"])")
_POLIB_LINE = re.compile(r"\(line (\d+)\)(?::\s*(.*))?")


def parse(text: str, *, file: str) -> polib.POFile:
    """A PO/POT text as a polib catalog; syntax errors raise ``CatalogError``.

    The catalog itself works on ``po.Entry`` (``_read``); this is polib's own view, the
    reference the tests hold ``l10n.po`` to."""
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
        po.Entry(
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
            msgid_plural=e.msgid_plural,
            msgstr_plural=dict(e.msgstr_plural),
            previous_msgid_plural=e.previous_msgid_plural,
        )
        for e in pofile
    ]
    fuzzy = bool(pofile.metadata_is_fuzzy)
    return po.Catalog(header=pofile.header, metadata=pofile.metadata, fuzzy=fuzzy, entries=entries)


# --- reading translations ------------------------------------------------------------------


def translations(text: str, *, file: str) -> list[Translation]:
    """Every live entry of a PO text (translated or not), header excluded."""
    return [translation_of(e) for e in _read(text, file=file).entries if not e.obsolete]


def translation_of(entry: po.Entry) -> Translation:
    """What the gate and the checks read of one entry."""
    return Translation(
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        fuzzy=entry.fuzzy,
        line=entry.line,
        flags=entry.flags,
        comment=entry.comment,
        tcomment=entry.tcomment,
        previous_msgid=entry.previous_msgid,
    )


def _msgid_line(entry: polib.POEntry, lines: Sequence[str]) -> int:
    # polib's linenum is the entry's first line, which may be a comment or msgctxt.
    start = max(entry.linenum or 1, 1)
    for number in range(start, len(lines) + 1):
        if _MSGID_LINE.match(lines[number - 1]):
            return number
    return start


# --- statistics ----------------------------------------------------------------------------


def stats(text: str, *, file: str) -> Stats:
    """Entry and word counts of a PO text; a fuzzy entry counts as fuzzy, not translated."""
    return stats_of(translations(text, file=file))


def stats_of(entries: Iterable[Translation]) -> Stats:
    """``stats`` of entries already read (``translations``).  Plural entries, which
    extract never writes, have no msgstr there and count as untranslated."""
    counts, words = Counter[str](), Counter[str]()
    for entry in entries:
        state = "fuzzy" if entry.fuzzy else "translated"
        state = state if entry.msgstr else "untranslated"
        counts[state] += 1
        words[state] += count_words(strip(entry.msgid))
    total = counts.total()
    return Stats(
        translated=counts["translated"],
        fuzzy=counts["fuzzy"],
        untranslated=counts["untranslated"],
        translated_words=words["translated"],
        fuzzy_words=words["fuzzy"],
        untranslated_words=words["untranslated"],
        percent=100.0 if total == 0 else counts["translated"] * 100 / total,
    )

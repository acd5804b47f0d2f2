"""What ``msgfmt --check`` rejects in a PO text that our readers take, without msgfmt.

The readers (``l10n.po``, polib) are lenient: ``\\q`` reads as a backslash and a letter,
a second definition of a msgid passes, and so does a Plural-Forms header that does not
fit the entries.  msgfmt refuses such a file, so a catalog must not be published with
them.  ``problems`` reads the text once, line by line, as gettext's lexer does, and
applies msgfmt's checks in msgfmt's order (gettext 0.21): the fatal errors only, each
at the line msgfmt names.  Header fields that keep their initial values, or are
missing, are only warnings for msgfmt, and so are not problems here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from l10n.catalog.formats import FORMATS, mismatch, plural_header_problem


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One error ``msgfmt --check`` would report; ``line`` is None for the whole file."""

    file: str
    line: int | None
    code: str  # escape, context-separator, duplicate, header, plural-forms, newline, format
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(kw_only=True)
class _Entry:
    obsolete: bool = False
    fuzzy: bool = False
    formats: list[str] = field(default_factory=list)  # "c-format" and the like, in order
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_line: int = 0
    msgid_plural: str | None = None
    msgstrs: list[str] = field(default_factory=list)  # msgstr, or msgstr[0], msgstr[1]...
    msgstr_lines: list[int] = field(default_factory=list)


_LINE = re.compile(
    r"[ \t]*(#~\|?|#\|)?[ \t]*(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]*)?"
    r'"(.*)"[ \t]*\r?'
)
_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9a-fA-F]+)|(.?))', re.DOTALL)
_CONTROL = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_CONTROL.update({"\\": "\\", '"': '"'})


def problems(text: str, *, file: str) -> list[Problem]:
    """Every error ``msgfmt --check`` reports for ``text``, in its order; [] if none."""
    found: list[Problem] = []
    entries = _scan(text.removeprefix("\ufeff"), file, found)
    seen: dict[tuple[str | None, str], _Entry] = {}
    for entry in entries:
        if entry.msgid is None:
            continue
        if (entry.msgctxt, entry.msgid) in seen:
            found.append(
                Problem(
                    file=file,
                    line=entry.msgid_line,
                    code="duplicate",
                    message="duplicate message definition",
                )
            )
        seen.setdefault((entry.msgctxt, entry.msgid), entry)
    if found:  # msgfmt stops after reading a file with errors, before its checks
        return found
    # msgfmt drops untranslated and fuzzy messages before it checks (the header's fuzziness
    # aside); obsolete ones it reads, but checks no further.
    live = [
        e
        for e in entries
        if not e.obsolete and e.msgstrs and e.msgstrs[0] and (not e.fuzzy or e.msgid == "")
    ]
    header = seen.get((None, ""))
    if header is not None and header not in live:
        header = None
    if header is None:
        message = "PO file header missing or invalid"
        found.append(Problem(file=file, line=None, code="header", message=message))
    _check_plural(live, header, file, found)
    for entry in live:
        if entry.msgid:
            _check_pair(entry, file, found)
    return found


def _scan(text: str, file: str, found: list[Problem]) -> list[_Entry]:
    """The entries of ``text``, with escapes and context separators checked on the way."""
    entries: list[_Entry] = []
    entry = _Entry()
    target: str | None = None  # the field a continuation line adds to
    for number, line in enumerate(text.split("\n"), 1):
        matched = _LINE.fullmatch(line)
        if matched is None:
            stripped = line.strip()
            if stripped.startswith("#,"):
                if entry.msgstrs:
                    entries.append(entry)
                    entry = _Entry()
                flags = [flag.strip() for flag in stripped[2:].split(",")]
                entry.fuzzy = entry.fuzzy or "fuzzy" in flags
                entry.formats += [f for f in flags if f.endswith("-format")]
            elif stripped.startswith("#") and entry.msgstrs:
                entries.append(entry)
                entry = _Entry()
            target = None
            continue
        mark, keyword, raw = matched.groups()
        value = _unescape(raw, number, file, found)
        if mark is not None and "|" in mark:  # a previous msgid, lexed but not kept
            if entry.msgstrs:
                entries.append(entry)
                entry = _Entry()
            _no_separator(value, number, file, found)
            target = None
            continue
        if keyword is None:
            keyword = target
            if keyword is None:
                continue
            if keyword != "msgid":
                _no_separator(value, number, file, found)
            _append(entry, keyword, value)
            continue
        if keyword in ("msgctxt", "msgid") and (
            entry.msgstrs or (keyword == "msgctxt" and entry.msgctxt is not None)
        ):
            entries.append(entry)
            entry = _Entry()
        if keyword == "msgid" and entry.msgid is not None and not entry.msgstrs:
            entries.append(entry)
            entry = _Entry()
        entry.obsolete = mark is not None
        if keyword != "msgid":
            _no_separator(value, number, file, found)
        if keyword == "msgctxt":
            entry.msgctxt = value
        elif keyword == "msgid":
            entry.msgid, entry.msgid_line = value, number
        elif keyword == "msgid_plural":
            entry.msgid_plural = value
        else:
            entry.msgstrs.append(value)
            entry.msgstr_lines.append(number)
        target = keyword
    if entry.msgid is not None:
        entries.append(entry)
    return entries


def _append(entry: _Entry, keyword: str, value: str) -> None:
    if keyword == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value
    elif keyword == "msgid":
        entry.msgid = (entry.msgid or "") + value
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    elif entry.msgstrs:
        entry.msgstrs[-1] += value


def _unescape(raw: str, number: int, file: str, found: list[Problem]) -> str:
    """A quoted string's value by gettext's rules (``\\a``, octal, hex), errors noted."""
    if "\\" not in raw:
        return raw

    def control(escape: re.Match[str]) -> str:
        simple, octal, hexadecimal, other = escape.groups()
        if simple:
            return _CONTROL[simple]
        if octal:
            return chr(int(octal, 8) & 0xFF)
        if hexadecimal:
            return chr(int(hexadecimal, 16) & 0xFF)
        message = "invalid control sequence"
        found.append(Problem(file=file, line=number, code="escape", message=message))
        return " " + (other or "")  # what gettext's lexer puts in its place

    return _ESCAPE.sub(control, raw)


def _no_separator(value: str, number: int, file: str, found: list[Problem]) -> None:
    if "\x04" in value:  # msgctxt and msgid are joined by it in the compiled catalog
        message = "context separator <EOT> within string"
        found.append(Problem(file=file, line=number, code="context-separator", message=message))


def _check_plural(
    live: list[_Entry], header: _Entry | None, file: str, found: list[Problem]
) -> None:
    plural = [e for e in live if e.msgid_plural is not None]
    if header is None:
        if plural:
            message = (
                "message catalog has plural form translations, but lacks a header entry "
                'with "Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;"'
            )
            line = _line(plural[0])
            found.append(Problem(file=file, line=line, code="plural-forms", message=message))
        return
    metadata = header.msgstrs[0]
    if "plural=" not in metadata or "nplurals=" not in metadata:
        for attribute in ("plural=EXPRESSION", "nplurals=INTEGER"):
            if plural and attribute.split("=")[0] + "=" not in metadata:
                message = (
                    "message catalog has plural form translations, but header entry lacks "
                    f'a "{attribute}" attribute'
                )
                line = _line(plural[0])
                found.append(Problem(file=file, line=line, code="plural-forms", message=message))
        return
    error, nplurals = plural_header_problem(metadata)
    if error:
        found.append(Problem(file=file, line=_line(header), code="plural-forms", message=error))
        return
    if not plural:
        return
    fewest = min(plural, key=lambda e: len(e.msgstrs))
    most = max(plural, key=lambda e: len(e.msgstrs))
    if len(fewest.msgstrs) < (nplurals or 0):
        forms = len(fewest.msgstrs)
        some = "only one plural form" if forms == 1 else f"only {forms} plural forms"
    elif len(most.msgstrs) > (nplurals or 0):
        forms = len(most.msgstrs)
        some = "one plural form" if forms == 1 else f"{forms} plural forms"
    else:
        return
    message = f"nplurals = {nplurals}, but some messages have {some}"
    found.append(Problem(file=file, line=_line(header), code="plural-forms", message=message))


def _line(entry: _Entry) -> int:
    return entry.msgstr_lines[0] if entry.msgstr_lines else entry.msgid_line


def _check_pair(entry: _Entry, file: str, found: list[Problem]) -> None:
    """msgfmt's check_pair: line breaks at both ends, then format strings."""
    msgid = entry.msgid or ""
    plural = entry.msgid_plural
    names = ["msgstr"] if plural is None else [f"msgstr[{n}]" for n in range(len(entry.msgstrs))]
    for where, test in (("begin", str.startswith), ("end", str.endswith)):
        expected = test(msgid, "\n")
        others = [("msgid_plural", plural)] if plural is not None else []
        others += zip(names, entry.msgstrs, strict=True)
        for name, value in others:
            if test(value, "\n") != expected:
                message = f"'msgid' and '{name}' entries do not both {where} with '\\n'"
                line = _line(entry)
                found.append(Problem(file=file, line=line, code="newline", message=message))
    for flag in entry.formats:
        language, arguments = FORMATS.get(flag.removeprefix("possible-"), ("", None))
        if arguments is None:
            continue
        original = arguments(msgid if plural is None else plural)
        if isinstance(original, str):
            continue  # msgfmt does not check a msgid that is no format string
        for name, value in zip(names, entry.msgstrs, strict=True):
            translation = arguments(value)
            if isinstance(translation, str):
                message = (
                    f"'{name}' is not a valid {language} format string, unlike 'msgid'. "
                    f"Reason: {translation}"
                )
            else:
                message = mismatch(
                    original,
                    translation,
                    strict=plural is None,
                    names=("msgid" if plural is None else "msgid_plural", name),
                )
            if message:  # at the entry's first msgstr, whichever form it is about
                found.append(Problem(file=file, line=_line(entry), code="format", message=message))

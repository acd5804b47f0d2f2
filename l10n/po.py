"""A fast PO reader and writer that read and write exactly what polib does.

polib parses and serializes in pure Python, a state-machine step per line, which made it
the slowest part of ``extract`` and ``publish``.  ``read`` takes the regular layout that
polib, msgmerge and editors write and returns None for anything else (plural forms, odd
spacing, syntax errors), so the caller falls back to polib and its error messages;
whatever it accepts, it reads as polib would.  ``write`` produces polib's text byte for
byte, wrapped at 78 columns like msgmerge.  Only the catalog module uses this one.
"""

from __future__ import annotations

import re
import textwrap
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from l10n.errors import CatalogError

WIDTH = 78
_METADATA_ORDER = (  # polib's order; other headers follow in natural order
    "Project-Id-Version Report-Msgid-Bugs-To POT-Creation-Date PO-Revision-Date "
    "Last-Translator Language-Team Language MIME-Version Content-Type "
    "Content-Transfer-Encoding Plural-Forms"
).split()


@dataclass(slots=True)
class Entry:
    """One PO entry, with polib's attribute names and defaults (plural forms aside)."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    comment: str = ""  # extracted comments ("#.")
    tcomment: str = ""  # translator comments ("# ")
    occurrences: list[tuple[str, str]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    obsolete: bool = False
    line: int = 0  # line of the msgid keyword, 1-based

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


@dataclass(frozen=True, slots=True)
class Catalog:
    header: str  # the file's leading comment
    metadata: dict[str, str]
    fuzzy: bool  # the header entry is marked fuzzy
    entries: list[Entry]  # header entry excluded


# --- quoted strings, checked for the strict polib path too --------------------------------

STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_KEYWORD = re.compile(r"(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=[\s\"]|$)")
_STRING_PREFIX = re.compile(r"#(?:~\|?|\|)\s*")  # "#~ ", "#| " and "#~| " lines hold strings


def check_strings(lines: Sequence[str], *, file: str) -> None:
    # polib reads `msgid "abc` (no closing quote) as a silently shortened msgid.
    for number, raw in enumerate(lines, 1):
        if _bad_string(raw.strip()):
            raise CatalogError(
                "syntax error in PO file: expected one quoted string", file=file, line=number
            )


def _bad_string(line: str) -> bool:
    prefix = _STRING_PREFIX.match(line)
    if prefix:
        line = line[prefix.end() :]
    elif line.startswith("#"):
        return False
    keyword = _KEYWORD.match(line)
    rest = line[keyword.end() :].strip() if keyword else line
    return bool(keyword or rest.startswith('"')) and not STRING.fullmatch(rest)


_ESCAPES = re.compile(r'\\(\\|n|t|r|v|b|f|")')
_UNESCAPED = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f"}


def _unescape(text: str) -> str:  # polib's: other backslashes stay as they are
    if "\\" not in text:
        return text
    return _ESCAPES.sub(lambda m: _UNESCAPED.get(m[1], m[1]), text)


def _string(group: str, obsolete: bool) -> str:
    if "\n" not in group:
        return group[1:-1] if "\\" not in group else _unescape(group[1:-1])
    return _unescape("".join(part[1:-1] for part in group.split("\n#~ " if obsolete else "\n")))


# --- reading ------------------------------------------------------------------------------

_S = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'  # one quoted string on one line
_L = r"[^\n]*\S\n"  # the rest of a comment line, no trailing space
_P = r"(?(6)#~ )"  # the obsolete marker, on every line of an obsolete entry or on none
_ENTRY = re.compile(
    rf"(?:((?:# {_L}|#\n)*)((?:#\. {_L})*)((?:#: {_L})*)(#, {_L})?(?=(?:#~ )?msg)"  # as polib
    r"|((?:#(?!~ )[^\n]*\n)*))(#~ )?"  # other comments, read line by line
    rf"(?:msgctxt ({_S}(?:\n{_P}{_S})*)\n{_P})?"
    rf"msgid ({_S}(?:\n{_P}{_S})*)\n{_P}"
    rf"msgstr ({_S}(?:\n{_P}{_S})*)(?:\n+|\Z)"
)


def read(text: str) -> Catalog | None:
    """``text`` as polib reads it, or None when it is not laid out regularly."""
    text = text.replace("\r\n", "\n") if "\r" in text else text  # polib strips each line
    pos = len(text) - len(text.lstrip("\n"))
    entries: list[Entry] = []
    header: list[str] = []  # "# " lines before anything else make the file's header
    line = 1
    for found in _ENTRY.finditer(text, pos):
        if found.start() != pos:
            return None
        tc, gc, oc, fl, other, mark, msgctxt, msgid, msgstr = found.groups()
        line += text.count("\n", pos, found.start(8))
        obsolete = mark is not None
        entry = Entry(
            _string(msgid, obsolete),
            _string(msgstr, obsolete),
            None if msgctxt is None else _string(msgctxt, obsolete),
            "",
            "",
            [],
            [],
            None,
            None,
            obsolete,
            line,
        )
        if other is None:
            if tc:
                tcomments = [row[2:] for row in tc.split("\n")[:-1]]
                if entries:
                    entry.tcomment = _joined(tcomments)
                else:
                    header = tcomments
            if gc:
                entry.comment = gc[3:-1].replace("\n#. ", "\n")
            if oc:
                entry.occurrences = [
                    (word, "")
                    if not (p := word.rpartition(":"))[1] or not p[2].isdigit()
                    else (p[0], p[2])
                    for word in oc[3:].replace("\n#:", "").split()
                ]
            if fl:
                entry.flags = [flag.strip() for flag in fl[3:].split(",")]
        elif other and not _comments(other, entry, None if entries else header):
            return None
        entries.append(entry)
        pos = found.end()
        line += text.count("\n", found.start(8), pos)
    if pos != len(text):
        return None
    heads = [e for e in entries if not e.msgid and not e.obsolete]
    if len(heads) > 1 or (heads and heads[0].msgctxt is not None):
        return None  # polib's choice among several header entries is too quirky to copy
    metadata: dict[str, str] = {}
    key = None
    for row in heads[0].msgstr.splitlines() if heads else ():
        name, colon, value = row.partition(":")
        if colon:
            key = name
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + row.strip()
    return Catalog(
        header=_joined(header),
        metadata=metadata,
        fuzzy=bool(heads) and heads[0].fuzzy,
        entries=[e for e in entries if not heads or e is not heads[0]],
    )


def _joined(rows: Iterable[str]) -> str:
    # polib adds a comment line with "\n" only once the text so far is not empty.
    text = ""
    for row in rows:
        text = f"{text}\n{row}" if text else row
    return text


def _occurrence(word: str) -> tuple[str, str]:
    path, colon, number = word.rpartition(":")
    return (path, number) if colon and number.isdigit() else (word, "")


def _comments(block: str, entry: Entry, header: list[str] | None) -> bool:
    """Read comment lines into ``entry`` (or ``header``) like polib; False if unsure."""
    tcomments: list[str] = []
    comments: list[str] = []
    previous = ""  # the "#|" field that a `#| "..."` line continues
    for raw in block.split("\n")[:-1]:
        line = raw.strip()
        first = line.split(None, 1)[0]  # polib goes by the first token
        if first == "#~|":  # polib skips these, but the strict path checks their strings
            if _bad_string(line):
                return False
            continue
        if line == first and first in ("#:", "#,", "#."):
            continue  # polib skips these too
        if first == "#" or first.startswith("##"):
            if header is not None:
                header.append(line[2:])
            else:
                text = line.lstrip("#")
                tcomments.append(text[1:] if text.startswith(" ") else text)
            previous = ""
            continue
        header = None
        if first == "#.":
            comments.append(line[3:])
        elif first == "#:":
            entry.occurrences += [_occurrence(word) for word in line[3:].split()]
        elif first == "#,":
            entry.flags += [flag.strip() for flag in line[3:].split(",")]
        elif first == "#|":
            tokens = line.split(None, 2)
            rest = line[2:].lstrip()
            if rest.startswith('"') and previous and STRING.fullmatch(rest):
                if previous == "msgid":
                    entry.previous_msgid = f"{entry.previous_msgid}{_unescape(rest[1:-1])}"
                else:
                    entry.previous_msgctxt = f"{entry.previous_msgctxt}{_unescape(rest[1:-1])}"
                continue
            if len(tokens) < 3 or tokens[1] not in ("msgid", "msgctxt"):
                return False
            if not STRING.fullmatch(tokens[2]):
                return False
            previous = tokens[1]
            if previous == "msgid":
                entry.previous_msgid = _unescape(tokens[2][1:-1])
            else:
                entry.previous_msgctxt = _unescape(tokens[2][1:-1])
            continue
        else:
            return False
        previous = ""
    entry.tcomment, entry.comment = _joined(tcomments), _joined(comments)
    return True


# --- writing ------------------------------------------------------------------------------

_PLAIN = re.compile('[\\\\\t\r\n\x0b\x08\x0c"\x1c\x1d\x1e\x85\u2028\u2029]')  # escapes, breaks
_CHUNK = re.compile(r" +|[^ ]+")
_WRAP = re.compile(r".{1,76}(?:(?<= )(?! )|(?<! )(?= )|\Z)|[^ ]+| +")  # without "-"


def write(
    header: str, metadata: Mapping[str, str], entries: Iterable[Entry], *, fuzzy: bool = False
) -> str:
    """The text polib writes for a file with this header comment, metadata and entries."""
    out = [f"#{h}" if h[:1] in ("", ",", ":") else f"# {h}" for h in header.split("\n")]
    names = [name for name in _METADATA_ORDER if name in metadata]
    names += _natural_sort(name for name in metadata if name not in _METADATA_ORDER)
    meta = "".join(f"{name}: {metadata[name]}\n" for name in names)
    entries = list(entries)
    _entry(out, Entry("", meta, flags=["fuzzy"] if fuzzy else []))
    for entry in entries:
        if not entry.obsolete:
            _entry(out, entry)
    for entry in entries:
        if entry.obsolete:
            _entry(out, entry)
    return "\n".join(out)


def _natural_sort(names: Iterable[str]) -> list[str]:
    def key(name: str) -> list[int | str]:
        return [int(t) if t.isdigit() else t.lower() for t in re.split("([0-9]+)", name)]

    return sorted(names, key=key)  # polib's sort, quirks and all


def _entry(out: list[str], entry: Entry) -> None:
    """Append an entry's lines and then a blank line to ``out``."""
    obsolete = entry.obsolete
    if entry.tcomment:
        _comment(out, "# ", entry.tcomment)
    if entry.comment and not obsolete:
        _comment(out, "#. ", entry.comment)
    if entry.occurrences and not obsolete:
        words = [f"{path}:{n}" if n else path for path, n in entry.occurrences]
        files = " ".join(words)
        if len(files) <= WIDTH - 3:
            out.append("#: " + files)
        elif files.split() == words:  # no "-" left for textwrap to break at, as below
            rows = _pack(words, "#: ")
            out += [row.replace("*", "-") for row in rows] if "*" in files else rows
        else:  # polib's trick keeps textwrap from breaking paths at hyphens
            out += [row.replace("*", "-") for row in _wrap_words(files.replace("-", "*"), "#: ")]
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    if entry.previous_msgctxt is not None:  # polib counts "previous_" into the width
        _field(out, "#~| " if obsolete else "#| ", "msgctxt", entry.previous_msgctxt, 9)
    if entry.previous_msgid is not None:
        _field(out, "#~| " if obsolete else "#| ", "msgid", entry.previous_msgid, 9)
    mark = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        _field(out, mark, "msgctxt", entry.msgctxt)
    _field(out, mark, "msgid", entry.msgid)
    if entry.msgstr:
        _field(out, mark, "msgstr", entry.msgstr)
    else:
        out.append(mark + 'msgstr ""')
    out.append("")


def _comment(out: list[str], prefix: str, text: str) -> None:
    width = WIDTH - len(prefix)
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(prefix + line)
        else:
            out += _wrap_words(line, prefix)


def _field(out: list[str], mark: str, name: str, value: str, extra: int = 0) -> None:
    if len(value) + len(name) + extra <= WIDTH - 3 and _PLAIN.search(value) is None:
        out.append(f'{mark}{name} "{value}"')
        return
    lines = value.splitlines(True)
    if len(lines) > 1:  # polib does not wrap these
        out.append(f'{mark}{name} ""')
        out += [f'{mark}"{_escape(line)}"' for line in lines]
        return
    escaped = _escape(value)
    # polib's test, which counts each escape against the width rather than towards it
    if 2 * len(value) - len(escaped) + len(name) + extra + 3 <= WIDTH:
        out.append(f'{mark}{name} "{escaped}"')
    else:
        out.append(f'{mark}{name} ""')
        out += [f'{mark}"{line}"' for line in _wrap_string(escaped)]


def _escape(text: str) -> str:
    return (
        text.replace("\\", r"\\")
        .replace("\t", r"\t")
        .replace("\r", r"\r")
        .replace("\n", r"\n")
        .replace("\v", r"\v")
        .replace("\b", r"\b")
        .replace("\f", r"\f")
        .replace('"', r"\"")
    )


def _chunks(text: str) -> list[str]:
    """textwrap's chunks of a text whose only whitespace is " "."""
    chunks = _CHUNK.findall(text)
    if "-" not in text:
        return chunks
    # textwrap's word-splitting pattern looks no further than the spaces around a word
    split = textwrap.TextWrapper.wordsep_re.split
    return [
        part for chunk in chunks for part in (split(chunk) if "-" in chunk else [chunk]) if part
    ]


def _wrap_string(escaped: str) -> list[str]:
    """textwrap.wrap(escaped, 76, drop_whitespace=False, break_long_words=False)."""
    if "-" not in escaped:  # escaping leaves " " as the only whitespace textwrap knows
        return _WRAP.findall(escaped)
    # A line takes as many chunks as fit in 76 columns, and at least one.
    ends = list(accumulate(map(len, _chunks(escaped))))
    lines: list[str] = []
    start = taken = 0
    while taken < len(ends):
        taken = max(bisect_right(ends, start + WIDTH - 2, taken), taken + 1)
        lines.append(escaped[start : ends[taken - 1]])
        start = ends[taken - 1]
    return lines


def _wrap_words(text: str, indent: str) -> list[str]:
    """textwrap.wrap(text, 78, break_long_words=False) with ``indent`` on every line."""
    words = text.split(" ")
    if "-" not in text and text.split() == words:  # single spaces between words
        return _pack(words, indent)
    if any(c in text for c in "\t\n\r\x0b\x0c"):
        return textwrap.wrap(
            text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_long_words=False
        )
    # textwrap's loop, dropping whitespace where lines break
    width = WIDTH - len(indent)
    chunks, lines = _chunks(text)[::-1], list[str]()
    while chunks:
        if lines and not chunks[-1].strip():
            chunks.pop()
        line: list[str] = []
        size = 0
        while chunks and size + len(chunks[-1]) <= width:
            size += len(chunks[-1])
            line.append(chunks.pop())
        if chunks and not line and len(chunks[-1]) > width:
            line.append(chunks.pop())
        if line and not line[-1].strip():
            line.pop()
        if line:
            lines.append(indent + "".join(line))
    return lines


def _pack(words: list[str], indent: str) -> list[str]:
    """textwrap's lines of words with one space between them (a long word on its own)."""
    width = WIDTH - len(indent)
    lines: list[str] = []
    line = words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) > width:
            lines.append(indent + line)
            line = word
        else:
            line = f"{line} {word}"
    lines.append(indent + line)
    return lines

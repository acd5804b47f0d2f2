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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

WIDTH = 78
_METADATA_ORDER = (  # polib's order; other headers follow in natural order
    "Project-Id-Version Report-Msgid-Bugs-To POT-Creation-Date PO-Revision-Date "
    "Last-Translator Language-Team Language MIME-Version Content-Type "
    "Content-Transfer-Encoding Plural-Forms"
).split()


@dataclass(slots=True)
class Entry:
    """One PO entry, with polib's attribute names and defaults."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    comment: str = ""  # extracted comments ("#.")
    tcomment: str = ""  # translator comments ("# ")
    files: tuple[str, ...] = ()  # "#:" words: polib's occurrences, "path" or "path:line"
    flags: tuple[str, ...] = ()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    obsolete: bool = False
    line: int = 0  # line of the msgid keyword, 1-based
    # Plural forms, which ``read`` leaves to polib (the fallback parser fills them in).
    msgid_plural: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)  # msgstr[N] by N
    previous_msgid_plural: str | None = None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """Every msgstr (msgstr[N] of a plural entry) is filled in, fuzzy or not."""
        if self.msgstr_plural:
            return all(self.msgstr_plural.values())
        return bool(self.msgstr)


@dataclass(frozen=True, slots=True)
class Catalog:
    header: str  # the file's leading comment
    metadata: dict[str, str]
    fuzzy: bool  # the header entry is marked fuzzy
    entries: list[Entry]  # header entry excluded


_ESCAPES = re.compile(r'\\(\\|n|t|r|v|b|f|")')
_UNESCAPED = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f"}


def _unescape(text: str) -> str:  # polib's: other backslashes stay as they are
    if "\\" not in text:
        return text
    return _ESCAPES.sub(lambda m: _UNESCAPED.get(m[1], m[1]), text)


# --- reading ------------------------------------------------------------------------------

_C = r'[^"\\\n]*(?:\\.[^"\\\n]*)*'  # what a quoted string holds on one line
_L = r"[^\n]*\S\n"  # the rest of a comment line, no trailing space
_P = r"(?(6)#~ )"  # the obsolete marker, on every line of an obsolete entry or on none
_PREVIOUS = re.compile(rf'#(~?)\| (?:(msgctxt|msgid) )?"({_C})"')  # also `#| "..."`
_ENTRY = re.compile(
    rf"(?:((?:# {_L}|#\n)*)((?:#\. {_L})*)((?:#: {_L})*)(#, {_L})?(?=(?:#~ )?msg)"  # as polib
    r"|((?:#(?!~ )[^\n]*\n)*))(#~ )?"  # other comments, read line by line
    rf'(?:msgctxt "({_C}(?:"\n{_P}"{_C})*)"\n{_P})?'  # strings without the outer quotes
    rf'msgid "({_C}(?:"\n{_P}"{_C})*)"\n{_P}'
    rf'msgstr "({_C}(?:"\n{_P}"{_C})*)"(?:\n+|\Z)'
)


def read(text: str) -> Catalog | None:
    """``text`` as polib reads it, or None when it is not laid out regularly."""
    text = text.replace("\r\n", "\n") if "\r" in text else text  # polib strips each line
    pos = len(text) - len(text.lstrip("\n"))
    entries: list[Entry] = []
    header: list[str] = []  # "# " lines before anything else make the file's header
    line, counted = 1, 0
    while pos < len(text):
        found = _ENTRY.match(text, pos)  # not search(), which would look further on
        if found is None:
            return None
        pos = found.end()
        tc, gc, oc, fl, other, mark, msgctxt, msgid, msgstr = found.groups()
        line += text.count("\n", counted, counted := found.start(8))
        joint = '"\n"' if mark is None else '"\n#~ "'
        msgid, msgstr = msgid.replace(joint, ""), msgstr.replace(joint, "")
        entry = Entry(
            _unescape(msgid) if "\\" in msgid else msgid,
            _unescape(msgstr) if "\\" in msgstr else msgstr,
            None if msgctxt is None else _unescape(msgctxt.replace(joint, "")),
            gc[3:-1].replace("\n#. ", "\n") if gc else "",
            "",
            (),
            tuple([flag.strip() for flag in fl[3:].split(",")]) if fl else (),
            None,
            None,
            mark is not None,
            line,
        )
        if oc:
            entry.files = tuple(oc[3:].replace("\n#:", "").split())
        if tc:
            tcomments = [row[2:] for row in tc.split("\n")[:-1]]
            if entries:
                entry.tcomment = _joined(tcomments)
            else:
                header = tcomments
        elif other and not _comments(other, entry, None if entries else header):
            return None
        entries.append(entry)
    heads = [e for e in entries if not e.msgid and not e.obsolete]
    if len(heads) > 1:
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


def _comments(block: str, entry: Entry, header: list[str] | None) -> bool:
    """Read comment lines into ``entry`` (or ``header``) like polib; False if unsure."""
    tcomments: list[str] = []
    comments: list[str] = []
    previous = ""  # the "#|" field that a `#| "..."` line continues
    for raw in block.split("\n")[:-1]:
        line = raw.strip()
        first = line.split(None, 1)[0]  # polib goes by the first token
        if first in ("#|", "#~|"):
            found = _PREVIOUS.fullmatch(line)
            if found is None:
                return False  # for polib and the strict path to judge
            skipped, name, value = found.groups()
            if skipped:
                continue  # polib skips "#~|" lines
            header = None
            if name:
                previous = name
                setattr(entry, f"previous_{name}", _unescape(value))
            elif previous:  # a `#| "..."` line continues the field
                field = f"previous_{previous}"
                setattr(entry, field, getattr(entry, field) + _unescape(value))
            else:
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
            entry.files += tuple(line[3:].split())
        elif first == "#,":
            entry.flags += tuple(flag.strip() for flag in line[3:].split(","))
        else:
            return False
        previous = ""
    entry.tcomment, entry.comment = _joined(tcomments), _joined(comments)
    return True


# --- writing ------------------------------------------------------------------------------

_PLAIN = re.compile('[\\\\\t\r\n\x0b\x08\x0c"\x1c\x1d\x1e\x85\u2028\u2029]')  # escapes, breaks
_plain = _PLAIN.search

# textwrap.wrap() splits a text whose only whitespace is " " (and without "--") into runs
# of spaces and words, which also break after a hyphen between letters (its wordsep_re).
# Each line takes as many of these chunks as fit, or a single one.
_LT = r"[^\d\W]"
_BREAK = rf"(?:(?<={_LT}{{2}})|(?<={_LT}-{_LT}))-(?={_LT}-?{_LT})"
_WORD = rf"(?:[^ -]++|(?!{_BREAK})-)+(?:{_BREAK})?"  # a chunk
_AFTER_BREAK = rf"(?<=-)(?:(?<={_LT}{{2}}-)|(?<={_LT}-{_LT}-))(?={_LT}-?{_LT})"
_WRAP = re.compile(  # with drop_whitespace=False, width=76
    rf".{{1,76}}(?:(?<= )(?! )|(?<! )(?= )|\Z|{_AFTER_BREAK})| +|{_WORD}"
)
_WRAP_DROP = {  # with spaces dropped where lines break, for widths 75 and 76
    n: re.compile(rf"[^ ].{{0,{n - 1}}}(?:(?= )|\Z|{_AFTER_BREAK})|{_WORD}") for n in (75, 76)
}


def write(
    header: str, metadata: Mapping[str, str], entries: Iterable[Entry], *, fuzzy: bool = False
) -> str:
    """The text polib writes for a file with this header comment, metadata and entries."""
    out = [f"#{h}" if h[:1] in ("", ",", ":") else f"# {h}" for h in header.split("\n")]
    names = [name for name in _METADATA_ORDER if name in metadata]
    names += _natural_sort(name for name in metadata if name not in _METADATA_ORDER)
    meta = "".join(f"{name}: {metadata[name]}\n" for name in names)
    _entry(out, Entry("", meta, flags=("fuzzy",) if fuzzy else ()))
    for entry in sorted(entries, key=attrgetter("obsolete")):  # obsolete ones last
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
    comment = entry.comment
    if comment and not obsolete:
        if len(comment) <= WIDTH - 3 and "\n" not in comment:
            out.append("#. " + comment)
        else:
            _comment(out, "#. ", comment)
    if entry.files and not obsolete:
        words = entry.files
        files = " ".join(words)
        if len(files) <= WIDTH - 3:
            out.append("#: " + files)
        elif files.split() == list(words):  # no "-" left for textwrap to break at, as below
            rows = _pack(words, "#: ") if len(words) > 1 else ["#: " + files]
            out += [row.replace("*", "-") for row in rows] if "*" in files else rows
        else:  # polib's trick keeps textwrap from breaking paths at hyphens
            out += [row.replace("*", "-") for row in _wrap_words(files.replace("-", "*"), "#: ")]
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    before = "#~| " if obsolete else "#| "
    if entry.previous_msgctxt is not None:  # polib counts "previous_" into the width
        _field(out, before, "msgctxt", entry.previous_msgctxt, 9)
    if entry.previous_msgid is not None:
        _field(out, before, "msgid", entry.previous_msgid, 9)
    if entry.previous_msgid_plural is not None:
        _field(out, before, "msgid_plural", entry.previous_msgid_plural, 9)
    mark = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        _field(out, mark, "msgctxt", entry.msgctxt)
    msgid = entry.msgid
    if len(msgid) <= WIDTH - 8 and not _plain(msgid):
        out.append(f'{mark}msgid "{msgid}"')
    else:
        _field(out, mark, "msgid", msgid)
    if entry.msgid_plural:
        _field(out, mark, "msgid_plural", entry.msgid_plural)
    if entry.msgstr_plural:  # polib's field width counts the "[N]" in
        for index, msgstr in sorted(entry.msgstr_plural.items()):
            _field(out, mark, f"msgstr[{index}]", msgstr)
    elif entry.msgstr:
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
    if len(value) + len(name) + extra <= WIDTH - 3 and not _plain(value):
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
    return (  # polib's escapes, in polib's order
        text.replace("\\", r"\\")
        .replace("\t", r"\t")
        .replace("\r", r"\r")
        .replace("\n", r"\n")
        .replace("\v", r"\v")
        .replace("\b", r"\b")
        .replace("\f", r"\f")
        .replace('"', r"\"")
    )


def _wrap_string(escaped: str) -> list[str]:
    """textwrap.wrap(escaped, 76, drop_whitespace=False, break_long_words=False)."""
    if "--" in escaped:  # an em-dash, which textwrap treats in its own ways
        return textwrap.wrap(escaped, WIDTH - 2, drop_whitespace=False, break_long_words=False)
    return _WRAP.findall(escaped)  # escaping leaves " " as the only whitespace textwrap knows


def _wrap_words(text: str, indent: str) -> list[str]:
    """textwrap.wrap(text, 78, break_long_words=False) with ``indent`` on every line."""
    if "--" in text or text.split() != text.split(" "):  # not single spaces between words
        return textwrap.wrap(
            text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_long_words=False
        )
    return [indent + line for line in _WRAP_DROP[WIDTH - len(indent)].findall(text)]


def _pack(words: Sequence[str], indent: str) -> list[str]:
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

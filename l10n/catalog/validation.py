"""What GNU ``msgfmt --check`` rejects in a PO text that polib (and so our readers) accept.

polib is lenient: it keeps ``\\q`` as the two characters it reads (which would then end up
on a published page), takes a duplicate entry silently, and never looks at Plural-Forms.
msgfmt refuses such a file, so Weblate, Poedit and any build that compiles the catalog do
too.  ``problems`` scans the text line by line (no polib, linear) and names each problem at
the line msgfmt names: escapes at their line and column, a message at its first
``msgstr`` line, a duplicate at its ``msgid`` line, header problems at the header's
``msgstr``.  Format-string checks (``#, c-format``) are not done: extract never writes
those flags.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field

# Control sequences msgfmt's lexer knows (po-lex.c); any other backslash is an error.
_SIMPLE_ESCAPES = frozenset('ntbrfva\\"')
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*")
_NPLURALS = re.compile(r"nplurals\s*=\s*([^;\s]*)")
_PLURAL = re.compile(r"plural\s*=\s*([^;]*)")
# msgfmt evaluates the plural expression for these n (its check goes up to 1000).
_SAMPLE = range(1001)


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One reason msgfmt --check rejects the file."""

    line: int
    column: int | None = None
    code: str  # "escape", "duplicate", "newline", "plural-forms"
    message: str


@dataclass(kw_only=True)
class _Message:
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_line: int = 0
    plural: bool = False
    msgstr: dict[int, str] = field(default_factory=dict)
    msgstr_line: int = 0
    fuzzy: bool = False
    obsolete: bool = False


def problems(text: str) -> list[Problem]:
    """Every problem ``msgfmt --check`` would report as fatal, in file order."""
    found: list[Problem] = []
    messages: list[_Message] = []
    current: _Message | None = None
    last: str | None = None  # the string field that a continuation line extends
    fuzzy_next = False
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        line = raw.strip()
        previous = obsolete = False
        if line.startswith("#~"):
            obsolete, line = True, line[2:].lstrip()
            if line.startswith("|"):
                previous, line = True, line[1:].lstrip()
        elif line.startswith("#|"):
            previous, line = True, line[2:].lstrip()
        elif line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in (f.strip() for f in line[2:].split(",")):
                fuzzy_next = True
            continue
        if not line:
            continue
        keyword = _KEYWORD.match(line)
        rest = line[keyword.end() :] if keyword else line
        value = _string(rest, number, len(raw) - len(raw.lstrip()) + len(line) - len(rest), found)
        if previous:
            continue  # "#|" strings are lexed (escapes count) but belong to no message
        if keyword is None:
            if current is not None and last is not None and value is not None:
                _extend(current, last, value)
            continue
        name = keyword.group(1)
        if name in ("msgctxt", "msgid") and (current is None or last not in (None, "msgctxt")):
            current = _Message(fuzzy=fuzzy_next, obsolete=obsolete)
            messages.append(current)
            fuzzy_next = False
        if current is None:
            continue
        if name == "msgctxt":
            current.msgctxt = value or ""
        elif name == "msgid":
            current.msgid, current.msgid_line = value or "", number
        elif name == "msgid_plural":
            current.plural = True
        else:
            if not current.msgstr:
                current.msgstr_line = number
            current.msgstr[int(keyword.group(2) or 0)] = value or ""
        last = name
    found.extend(_message_problems(messages))
    return found


def _string(rest: str, number: int, offset: int, found: list[Problem]) -> str | None:
    """The raw content of a quoted string (escapes kept), noting invalid escapes."""
    if not rest.startswith('"'):
        return None
    i, content = 1, []
    while i < len(rest) and rest[i] != '"':
        if rest[i] == "\\" and i + 1 < len(rest):
            nxt = rest[i + 1]
            hex_ok = nxt == "x" and i + 2 < len(rest) and rest[i + 2] in "0123456789abcdefABCDEF"
            if not (nxt in _SIMPLE_ESCAPES or nxt in "01234567" or hex_ok):
                found.append(
                    Problem(
                        line=number,
                        column=offset + i + 2,
                        code="escape",
                        message=f"invalid escape sequence \\{nxt}",
                    )
                )
            content.append(rest[i : i + 2])
            i += 2
            continue
        content.append(rest[i])
        i += 1
    return "".join(content)


def _extend(message: _Message, name: str, value: str) -> None:
    if name == "msgctxt":
        message.msgctxt = (message.msgctxt or "") + value
    elif name == "msgid":
        message.msgid = (message.msgid or "") + value
    elif name.startswith("msgstr"):
        index = max(message.msgstr) if message.msgstr else 0
        message.msgstr[index] = message.msgstr.get(index, "") + value


def _message_problems(messages: list[_Message]) -> list[Problem]:
    found: list[Problem] = []
    header = next((m for m in messages if m.msgid == "" and not m.obsolete), None)
    nplurals = _header_problems(header, messages, found)
    seen: dict[tuple[str | None, str], _Message] = {}
    for m in messages:
        if m.msgid is None:
            continue
        key = (m.msgctxt, m.msgid)
        first = seen.setdefault(key, m)
        if first is not m:
            found.append(
                Problem(
                    line=m.msgid_line,
                    code="duplicate",
                    message=f"duplicate entry (first defined at line {first.msgstr_line})",
                )
            )
        if m.obsolete or m.fuzzy or m is header or not all(m.msgstr.values()):
            continue  # msgfmt compiles (and checks) only live, translated entries
        for edge, word in ((str.startswith, "begin"), (str.endswith, "end")):
            wants = edge(m.msgid, "\\n")
            if any(edge(s, "\\n") != wants for s in m.msgstr.values()):
                found.append(
                    Problem(
                        line=m.msgstr_line,
                        code="newline",
                        message=f"msgid and msgstr do not both {word} with \\n",
                    )
                )
        if m.plural and nplurals is not None and len(m.msgstr) != nplurals:
            found.append(
                Problem(
                    line=m.msgstr_line,
                    code="plural-forms",
                    message=f"{len(m.msgstr)} plural forms, but the header says nplurals = "
                    f"{nplurals}",
                )
            )
    found.sort(key=lambda p: (p.line, p.column or 0))
    return found


def _header_problems(
    header: _Message | None, messages: list[_Message], found: list[Problem]
) -> int | None:
    """Check Plural-Forms; its nplurals, when the header has a valid one."""
    text = header.msgstr.get(0, "") if header else ""
    rows = text.split("\\n")
    forms = next((r[len("Plural-Forms:") :] for r in rows if r.startswith("Plural-Forms:")), None)
    line = header.msgstr_line if header else 1
    live_plural = [m for m in messages if m.plural and not m.obsolete and not m.fuzzy]

    def problem(message: str) -> None:
        found.append(Problem(line=line, code="plural-forms", message=message))

    if forms is None:
        if live_plural:
            problem("plural translations, but the header has no Plural-Forms")
        return None
    count, expression = _NPLURALS.search(forms), _PLURAL.search(forms)
    if count is None or expression is None:
        if live_plural:
            problem("plural translations, but Plural-Forms lacks nplurals or plural")
        return None
    if not count.group(1).isdigit() or int(count.group(1)) < 1:
        problem(f"invalid nplurals value {count.group(1)!r} in Plural-Forms")
        return None
    nplurals = int(count.group(1))
    try:
        rule = gettext.c2py(expression.group(1).strip())
        largest = max(rule(n) for n in _SAMPLE)
    except (ValueError, SyntaxError, ZeroDivisionError, RecursionError):
        problem("invalid plural expression in Plural-Forms")
        return None
    if largest >= nplurals:
        problem(f"nplurals = {nplurals}, but the plural expression gives {largest}")
    return nplurals

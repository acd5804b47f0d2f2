"""One entry of a PO text edited in place: every other byte of the file stays.

A reviewer's save must not reformat the file: Poedit, msgmerge and Weblate each wrap
and order things their own way, and a rewrite through polib would turn one corrected
sentence into a diff of the whole catalog.  So the text is scanned line by line into
entry blocks, and only the lines of the one entry change: its ``msgstr`` lines (written
as polib writes them, ``l10n.po``), its ``#,`` flags and, when it is approved, its
``#|`` previous-msgid lines.  The file's line endings are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from l10n import po
from l10n.catalog.reading import _read
from l10n.catalog.templates import FUZZY, PSEUDO
from l10n.errors import CatalogError

_FIELD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*"(.*)"\s*$')
_STRING = re.compile(r'"(.*)"\s*$')


def entries(text: str, *, file: str) -> list[po.Entry]:
    """The live entries of a PO text (header and obsolete entries left out)."""
    return [e for e in _read(text, file=file).entries if not e.obsolete and e.msgid]


@dataclass(frozen=True, kw_only=True)
class _Block:
    """One live entry's lines: ``[start, end)`` of the file's lines."""

    start: int
    end: int
    msgctxt: str | None
    msgid: str
    plural: bool
    msgstr: tuple[int, int]  # [first, last + 1) lines of the msgstr field
    value: str  # the msgstr
    flags: tuple[int, ...]  # lines of "#," comments
    previous: tuple[int, ...]  # lines of "#|" comments
    keyword: int  # the first msgctxt/msgid line


def edit_entry(
    text: str,
    *,
    msgctxt: str | None,
    msgid: str,
    msgstr: str,
    approve: bool,
    file: str,
) -> str:
    """``text`` with the msgstr of entry (msgctxt, msgid) replaced.

    ``approve`` clears ``fuzzy`` and the ``#|`` lines; otherwise the entry is marked
    ``fuzzy`` (a draft waiting for approval).  A changed text is no longer pseudo text, so
    ``l10n-pseudo`` goes.  Raises ``CatalogError`` when there is no such entry, or it
    has plural forms.
    """
    lines = text.split("\n")
    block = _find(lines, msgctxt, msgid, file)
    ending = "\r\n" if lines[block.keyword].endswith("\r") else "\n"
    flags = list(_flags(lines, block))
    if approve:
        flags = [f for f in flags if f != FUZZY]
    elif FUZZY not in flags:
        flags.insert(0, FUZZY)
    if block.value != msgstr:
        flags = [f for f in flags if f != PSEUDO]
    new_field: list[str] = []
    po._field(new_field, "", "msgstr", msgstr)
    replace: dict[int, list[str]] = {}  # line → the lines that take its place
    first, last = block.msgstr
    replace[first] = new_field
    for number in range(first + 1, last):
        replace[number] = []
    if approve:
        for number in block.previous:
            replace[number] = []
    if flags != list(_flags(lines, block)):
        flag_line = [f"#, {', '.join(flags)}"] if flags else []
        if block.flags:
            replace[block.flags[0]] = flag_line
            for number in block.flags[1:]:
                replace[number] = []
        else:  # where polib and msgmerge put it: after the other comments, before "#|"
            at = block.previous[0] if block.previous else block.keyword
            replace[at] = [*flag_line, lines[at].removesuffix("\r")]
    out: list[str] = []
    for number, line in enumerate(lines):
        if number not in replace:
            out.append(line)
            continue
        out += [row + ("\r" if ending == "\r\n" else "") for row in replace[number]]
    return "\n".join(out)


def _flags(lines: list[str], block: _Block) -> tuple[str, ...]:
    found: list[str] = []
    for number in block.flags:
        found += [f.strip() for f in lines[number].strip()[2:].split(",") if f.strip()]
    return tuple(found)


def _find(lines: list[str], msgctxt: str | None, msgid: str, file: str) -> _Block:
    for block in _blocks(lines):
        if block.msgid == msgid and block.msgctxt == msgctxt:
            if block.plural:
                raise CatalogError("an entry with plural forms; edit it in a PO editor", file=file)
            return block
    raise CatalogError(f"no entry {msgid[:60]!r} in the catalog", file=file)


def _blocks(lines: list[str]) -> list[_Block]:
    """The live entries among ``lines``: comments, then keyword fields, then a blank
    line or the next entry's first comment or keyword."""
    found: list[_Block] = []
    start: int | None = None
    fields: dict[str, list[str]] = {}
    spans: dict[str, list[int]] = {}
    comments: dict[str, list[int]] = {"#,": [], "#|": []}
    current = ""
    obsolete = False

    def close(end: int) -> None:
        if start is None or obsolete or "msgid" not in fields or "msgstr" not in spans:
            return
        msgctxt = fields.get("msgctxt")
        keyword = min(spans.get("msgctxt", spans["msgid"])[0], spans["msgid"][0])
        found.append(
            _Block(
                start=start,
                end=end,
                msgctxt=None if msgctxt is None else po._unescape("".join(msgctxt)),
                msgid=po._unescape("".join(fields["msgid"])),
                plural="msgid_plural" in fields,
                msgstr=(spans["msgstr"][0], spans["msgstr"][-1] + 1),
                value=po._unescape("".join(fields["msgstr"])),
                flags=tuple(comments["#,"]),
                previous=tuple(comments["#|"]),
                keyword=keyword,
            )
        )

    for number, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            close(number)
            start, fields, spans, current, obsolete = None, {}, {}, "", False
            comments = {"#,": [], "#|": []}
            continue
        is_string = line.startswith('"') or (line.startswith("#~") and line[2:].lstrip()[:1] == '"')
        begins = start is None or (
            "msgstr" in spans and not is_string and not line.startswith("msgstr")
        )
        if begins:
            close(number)
            start, fields, spans, current, obsolete = number, {}, {}, "", False
            comments = {"#,": [], "#|": []}
        if line.startswith("#~"):
            obsolete = obsolete or not line.startswith("#~|")
            continue
        if line.startswith("#"):
            kind = line[:2]
            if kind in comments:
                comments[kind].append(number)
            current = ""
            continue
        keyword = _FIELD.match(line)
        if keyword is not None:
            current = "msgstr" if keyword[1].startswith("msgstr") else keyword[1]
            if current in fields and current != "msgstr":
                current = ""  # a repeated keyword: not an entry this scan can edit
                continue
            fields.setdefault(current, []).append(keyword[2])
            spans.setdefault(current, []).append(number)
            if keyword[1].startswith("msgstr["):
                fields["msgid_plural"] = fields.get("msgid_plural", [])
            continue
        string = _STRING.match(line)
        if string is not None and current:
            fields[current].append(string[1])
            spans[current].append(number)
    close(len(lines))
    return found

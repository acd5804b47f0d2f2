"""CSV glossaries, for people who keep terminology in a spreadsheet.

One concept per row under a header of language tags::

    en,zh-Hans,es,forbidden:es,dnt,note
    Fudan University,复旦大学 | 复旦,Universidad Fudan,Universidad de Fudán,,Shanghai

A language cell may hold several terms separated by ``|`` (the first is preferred, the
rest admitted); ``forbidden:<tag>`` and ``discouraged:<tag>`` columns list terms not to
use; ``dnt`` (``yes``) marks a name that stays as it is in every language; ``note`` is
shown to translators; ``case-sensitive`` (``yes``) makes the row's terms match only with
their exact capitals (all-capital terms always do); ``id`` names the concept.  The first
language column is the source language unless the caller says otherwise.

Excel's UTF-8 BOM is skipped, and a header with semicolons or tabs but no commas (what
spreadsheets in many locales save) selects that delimiter.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is one a
spreadsheet runs as a formula, so the export writes it with a ``'`` in front (OWASP's
advice for CSV injection), and reading drops that quote again: ``'-ism`` is the term
``-ism``.  A cell that starts with ``'`` followed by one of those or by another ``'`` also
gets one, so every cell reads back as it was written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from l10n.glossary import languages as bcp47
from l10n.glossary.model import (
    Concept,
    Glossary,
    GlossaryError,
    LintFinding,
    Reading,
    Status,
    Term,
    clean_term,
    is_all_caps,
)

SEPARATOR = " | "
_YES = frozenset({"yes", "y", "true", "1", "x"})
_NO = frozenset({"", "no", "n", "false", "0"})
_FLAG_COLUMNS = ("dnt", "case-sensitive")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = (*_FORMULA, "'")


def _defuse(cell: str) -> str:
    """The cell as the export writes it: what a spreadsheet would run gets a leading '."""
    if cell.startswith(_FORMULA) or (cell.startswith("'") and cell[1:].startswith(_QUOTED)):
        return "'" + cell
    return cell


def _undo_defuse(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_QUOTED) else cell


@dataclass(frozen=True, kw_only=True)
class _Column:
    index: int
    kind: str  # "terms", "forbidden", "discouraged", "dnt", "case-sensitive", "note", "id"
    language: str = ""


def parse_csv(data: bytes | str, *, file: str, source_language: str | None = None) -> Glossary:
    """Read a CSV glossary; the source language defaults to the first language column."""
    reading, first_language = _read(data, file)
    return Glossary(concepts=reading.concepts, source_language=source_language or first_language)


def read_csv(data: bytes | str, *, file: str) -> Reading:
    """Concepts of a CSV glossary, plus the tolerable problems lint should mention."""
    return _read(data, file)[0]


def _decode(data: bytes | str, file: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GlossaryError(
            "not UTF-8 text (save the spreadsheet as “CSV UTF-8”)", file=file, line=line
        ) from None


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    return max(";\t", key=header.count) if (";" in header or "\t" in header) else ","


def _read(data: bytes | str, file: str) -> tuple[Reading, str]:
    text = _decode(data, file)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    findings: list[LintFinding] = []
    concepts: list[Concept] = []
    columns: list[_Column] | None = None
    first_language = ""
    end_of_previous = 0
    try:
        for raw_row in reader:
            row = [_undo_defuse(cell) for cell in raw_row]
            line = end_of_previous + 1  # a quoted cell may span lines; its row starts here
            end_of_previous = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _header(row, file, line)
                first_language = next(c.language for c in columns if c.kind == "terms")
                for column in columns:
                    # Reported here too, so an unknown tag in an empty column is not missed.
                    if column.language and not bcp47.is_known(column.language):
                        findings.append(
                            LintFinding(
                                file=file,
                                line=line,
                                severity="error",
                                message=f"unknown language tag {column.language!r} in the header",
                            )
                        )
                continue
            if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns) :]):
                raise GlossaryError(
                    f"row has {len(row)} cells but the header has {len(columns)}",
                    file=file,
                    line=line,
                )
            concepts.append(_row(row, columns, file, line, findings))
    except csv.Error as exc:
        raise GlossaryError(f"not valid CSV: {exc}", file=file, line=reader.line_num) from None
    if columns is None:
        raise GlossaryError("empty glossary: no header row of language tags", file=file, line=1)
    return Reading(concepts=tuple(concepts), findings=tuple(findings)), first_language


def _header(row: list[str], file: str, line: int) -> list[_Column]:
    columns: list[_Column] = []
    seen: set[str] = set()
    for index, cell in enumerate(row):
        name = cell.strip()
        key = name.lower()
        if not name:
            raise GlossaryError(f"column {index + 1} has no header", file=file, line=line)
        if key in seen:
            raise GlossaryError(f"column {name!r} appears twice", file=file, line=line)
        seen.add(key)
        prefix, colon, rest = name.partition(":")
        if colon and prefix.strip().lower() in ("forbidden", "discouraged") and rest.strip():
            columns.append(_Column(index=index, kind=prefix.strip().lower(), language=rest.strip()))
        elif key in (*_FLAG_COLUMNS, "note", "id"):
            columns.append(_Column(index=index, kind=key))
        else:
            columns.append(_Column(index=index, kind="terms", language=name))
    if not any(c.kind == "terms" for c in columns):
        raise GlossaryError("the header names no language column", file=file, line=line)
    return columns


def _row(
    row: list[str], columns: list[_Column], file: str, line: int, findings: list[LintFinding]
) -> Concept:
    cells = {c.index: (row[c.index] if c.index < len(row) else "") for c in columns}
    flags: dict[str, bool] = {}
    for column in columns:
        if column.kind in _FLAG_COLUMNS:
            value = cells[column.index].strip().lower()
            flags[column.kind] = value in _YES
            if value not in _YES | _NO:
                findings.append(
                    LintFinding(
                        file=file,
                        line=line,
                        message=f"{column.kind} should be yes or empty, not {value!r}",
                        severity="error",
                    )
                )
    case_sensitive = flags.get("case-sensitive", False)
    terms: list[Term] = []
    note, concept_id = "", f"row{line}"
    for column in columns:
        cell = cells[column.index]
        if column.kind == "note":
            note = cell.strip()
        elif column.kind == "id" and cell.strip():
            concept_id = cell.strip()
        elif column.kind in ("terms", "forbidden", "discouraged"):
            for position, text in enumerate(_split(cell, file, line, findings)):
                if column.kind == "terms":
                    status = Status.PREFERRED if position == 0 else Status.ADMITTED
                else:
                    status = Status(column.kind)
                terms.append(
                    Term(
                        text=text,
                        language=column.language,
                        status=status,
                        case_sensitive=case_sensitive or is_all_caps(text),
                        line=line,
                    )
                )
    return Concept(
        id=concept_id,
        terms=tuple(terms),
        dnt=flags.get("dnt", False),
        note=note,
        file=file,
        line=line,
    )


def _split(cell: str, file: str, line: int, findings: list[LintFinding]) -> list[str]:
    if not cell.strip():
        return []
    parts = cell.split("|")
    out: list[str] = []
    for index, part in enumerate(parts):
        # The one space each side of "|" belongs to the separator, not to the term.
        raw = part
        if index > 0 and raw.startswith(" "):
            raw = raw[1:]
        if index < len(parts) - 1 and raw.endswith(" "):
            raw = raw[:-1]
        text, problem = clean_term(raw)
        if problem:
            findings.append(LintFinding(file=file, line=line, message=problem, severity="warning"))
        if text:
            out.append(text)
    return out


def export_csv(glossary: Glossary) -> str:
    """The glossary as CSV: the source language first, then the other languages in order of
    first use, then ``forbidden:``/``discouraged:`` columns, flags, note and id.

    CSV keeps one preferred term per language (the first), and ``case-sensitive`` applies
    to a whole row: it is written when any term that is not all capitals is case-sensitive.
    """
    tags = list(glossary.languages())
    source = next((t for t in tags if t.lower() == glossary.source_language.lower()), None)
    if source is None:
        source = glossary.source_language
    else:
        tags.remove(source)
    tags.insert(0, source)

    def used(status: Status) -> list[str]:
        return [
            tag
            for tag in tags
            if any(t.language == tag and t.status is status for c in glossary for t in c.terms)
        ]

    forbidden, discouraged = used(Status.FORBIDDEN), used(Status.DISCOURAGED)
    any_dnt = any(c.dnt for c in glossary)
    any_case = any(_case_flag(c) for c in glossary)
    any_note = any(c.note for c in glossary)
    header = [*tags, *(f"forbidden:{t}" for t in forbidden)]
    header += [f"discouraged:{t}" for t in discouraged]
    header += ["dnt"] * any_dnt + ["case-sensitive"] * any_case + ["note"] * any_note + ["id"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_defuse(cell) for cell in header])
    for concept in glossary:

        def cell(tag: str, statuses: tuple[Status, ...], concept: Concept = concept) -> str:
            chosen = [t for t in concept.terms if t.language == tag and t.status in statuses]
            chosen.sort(key=lambda t: t.status is not Status.PREFERRED)  # stable
            return SEPARATOR.join(t.text for t in chosen)

        row = [cell(t, (Status.PREFERRED, Status.ADMITTED)) for t in tags]
        row += [cell(t, (Status.FORBIDDEN,)) for t in forbidden]
        row += [cell(t, (Status.DISCOURAGED,)) for t in discouraged]
        row += ["yes" if concept.dnt else ""] * any_dnt
        row += ["yes" if _case_flag(concept) else ""] * any_case
        row += [concept.note] * any_note + [concept.id]
        writer.writerow([_defuse(cell) for cell in row])
    return out.getvalue()


def _case_flag(concept: Concept) -> bool:
    return any(t.case_sensitive and not is_all_caps(t.text) for t in concept.terms)

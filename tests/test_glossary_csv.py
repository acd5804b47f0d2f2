"""CSV glossaries: header, multi-term cells, forbidden/discouraged columns, flags, lines."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from l10n.glossary import Glossary, GlossaryError, Status, export_csv, parse_csv
from l10n.glossary.model import is_all_caps
from l10n.glossary.spreadsheet import read_csv

SHEET = (
    "en,zh-Hans,es,fr,ar,forbidden:es,discouraged:en,dnt,note\n"
    "Fudan University,复旦大学 | 复旦,Universidad Fudan | Universidad de Fudan,"
    'Université Fudan,جامعة فودان,Universidad de Fudán,Fudan Uni,,"A university\n'
    'in Shanghai"\n'
    "Sora,Sora,Sora,Sora,Sora,,,yes,\n"
    "AI,人工智能,IA,IA,الذكاء الاصطناعي,,,,\n"
)


def _parse(text: str = SHEET, **kwargs: str) -> Glossary:
    return parse_csv(text.encode(), file="g.csv", **kwargs)


def test_header_languages_and_default_source_language() -> None:
    glossary = _parse()
    assert glossary.source_language == "en"
    assert glossary.languages() == ("en", "zh-Hans", "es", "fr", "ar")
    assert _parse(source_language="fr").source_language == "fr"


def test_multi_term_cells_first_is_preferred() -> None:
    fudan = _parse().concepts[0]
    assert [(t.text, t.status) for t in fudan.terms_for("zh-Hans")] == [
        ("复旦大学", Status.PREFERRED),
        ("复旦", Status.ADMITTED),
    ]
    assert [t.text for t in fudan.allowed("es")] == ["Universidad Fudan", "Universidad de Fudan"]


def test_forbidden_and_discouraged_columns() -> None:
    fudan = _parse().concepts[0]
    assert [t.text for t in fudan.forbidden("es")] == ["Universidad de Fudán"]
    assert [t.text for t in fudan.discouraged("en")] == ["Fudan Uni"]
    assert fudan.forbidden("fr") == ()


def test_dnt_note_and_line_numbers() -> None:
    fudan, sora, ai = _parse().concepts
    assert fudan.note == "A university\nin Shanghai"
    assert not fudan.dnt
    assert sora.dnt
    # The quoted note spans lines 2-3, so Sora's row starts on line 4.
    assert [c.line for c in (fudan, sora, ai)] == [2, 4, 5]
    assert {t.line for t in ai.terms} == {5}
    assert fudan.id == "row2"
    assert fudan.file == "g.csv"


def test_all_capital_terms_are_case_sensitive() -> None:
    ai = _parse().concepts[2]
    assert [(t.text, t.case_sensitive) for t in ai.terms_for("en")] == [("AI", True)]
    assert not ai.terms_for("zh-Hans")[0].case_sensitive


def test_case_sensitive_and_id_columns() -> None:
    glossary = _parse("en,es,case-sensitive,id\niPhone,iPhone,yes,phone\nphone,teléfono,,\n")
    phone, other = glossary.concepts
    assert phone.id == "phone"
    assert all(t.case_sensitive for t in phone.terms)
    assert not any(t.case_sensitive for t in other.terms)


def test_bom_semicolons_and_blank_lines() -> None:
    data = "\ufeffen;es\n\nFudan;Fudán\n;\n".encode()
    glossary = parse_csv(data, file="g.csv")
    assert [[t.text for t in c.terms] for c in glossary.concepts] == [["Fudan", "Fudán"]]
    assert glossary.concepts[0].line == 3


def test_padded_and_empty_terms_are_cleaned_and_reported() -> None:
    reading = read_csv(b"en,es\n Fudan  University ,a |  | b\n", file="g.csv")
    concept = reading.concepts[0]
    assert [t.text for t in concept.terms] == ["Fudan University", "a", "b"]
    assert [(f.line, f.message) for f in reading.findings] == [
        (2, "term 'Fudan University' has leading or trailing whitespace"),
        (2, "empty term"),
    ]


def test_bad_flag_value_is_reported() -> None:
    reading = read_csv(b"en,dnt\nSora,maybe\n", file="g.csv")
    assert not reading.concepts[0].dnt
    assert [(f.severity, f.message) for f in reading.findings] == [
        ("error", "dnt should be yes or empty, not 'maybe'")
    ]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"", 1, "no header row"),
        (b"dnt,note\nyes,x\n", 1, "no language column"),
        (b"en,en\n", 1, "appears twice"),
        (b"en,,es\n", 1, "column 2 has no header"),
        (b"en,es\nA,B\nC,D,E\n", 3, "row has 3 cells"),
        (b'en,es\nA,B\n"C,D\n', 3, "not valid CSV"),
        (b"en,es\nA,B\nC,\xff\n", 3, "not UTF-8"),
    ],
)
def test_broken_files_raise_with_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(GlossaryError, match=message) as info:
        parse_csv(data, file="bad.csv")
    assert info.value.file == "bad.csv"
    assert info.value.line == line


def _shape(glossary: Glossary) -> list[object]:
    return [
        (
            c.id,
            c.dnt,
            c.note,
            sorted((t.text, t.language, t.status.value, t.case_sensitive) for t in c.terms),
        )
        for c in glossary.concepts
    ]


def test_export_csv_round_trip() -> None:
    glossary = _parse()
    exported = export_csv(glossary)
    assert exported.splitlines()[0] == (
        "en,zh-Hans,es,fr,ar,forbidden:es,discouraged:en,dnt,note,id"
    )
    again = parse_csv(exported, file="again.csv")
    assert again.source_language == "en"
    assert _shape(again) == _shape(glossary)
    assert export_csv(again) == exported


# Terms and notes a spreadsheet would run as a formula, and ones that start with the quote
# that neutralises it.
RISKY = ["-ism", "@handle", "=HYPERLINK(1)", "+44 line", "'=quoted", "''", "'tis"]


def _risky(*notes: str) -> Glossary:
    """One concept per RISKY text: its source term, its Spanish terms and its note (set
    directly: reading a CSV would take the quotes in it as neutralised cells); then one
    concept per note of ``notes``."""
    texts = RISKY + [f"n{i}" for i in range(len(notes))]
    glossary = _parse("en,es,note\n" + "".join(f"t{i},s{i},n\n" for i in range(len(texts))))
    concepts = []
    for text, note, concept in zip(
        texts, [f"{t} note" for t in RISKY] + list(notes), glossary.concepts, strict=True
    ):
        source, target = concept.terms
        caps = is_all_caps(text)
        terms = (
            dataclasses.replace(source, text=text, case_sensitive=caps),
            dataclasses.replace(target, text=text + "x", case_sensitive=caps),
            dataclasses.replace(target, text=text, status=Status.ADMITTED, case_sensitive=caps),
        )
        concepts.append(dataclasses.replace(concept, terms=terms, note=note))
    return dataclasses.replace(glossary, concepts=tuple(concepts))


def test_export_csv_neutralises_cells_a_spreadsheet_would_run() -> None:
    # TBX notes may start with a tab or a carriage return (a CSV cell is read stripped).
    exported = export_csv(_risky("\tx", "\rx"))
    cells = [cell for row in csv.reader(io.StringIO(exported, newline="")) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert {"'-ism", "'@handle", "'=HYPERLINK(1)", "'+44 line", "'-ism note"} <= set(cells)
    assert {"''=quoted", "'''", "'tis", "'-ismx | -ism", "'\tx"} <= set(cells)
    assert ",'\rx," in exported


def test_export_csv_round_trip_keeps_cells_that_look_like_formulas() -> None:
    glossary = _risky()
    exported = export_csv(glossary)
    again = parse_csv(exported, file="again.csv")
    assert _shape(again) == _shape(glossary)
    assert export_csv(again) == exported


def test_a_cell_neutralised_by_hand_reads_as_its_text() -> None:
    glossary = _parse("en,es\n'-ism,'-ismo\n'tis,'@x\n")
    assert [[t.text for t in c.terms] for c in glossary.concepts] == [
        ["-ism", "-ismo"],
        ["'tis", "@x"],
    ]


def test_export_csv_puts_the_source_language_first() -> None:
    glossary = _parse("es,en\nFudán,Fudan\n", source_language="en")
    exported = export_csv(glossary)
    assert exported.splitlines()[0] == "en,es,id"
    assert _shape(parse_csv(exported, file="x.csv")) == _shape(glossary)

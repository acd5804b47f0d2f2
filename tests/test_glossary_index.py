"""Term indexes over a glossary: built once, and the notes extract writes for translators."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from checks_cases import load_glossary
from click.testing import CliRunner

from l10n import checks
from l10n.checks import Entry
from l10n.cli import cli
from l10n.glossary import Glossary
from l10n.glossary.index import TermIndex, glossary_notes, term_index


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def test_glossary_notes_for_translators(glossary) -> None:  # type: ignore[no-untyped-def]
    index = TermIndex(glossary, "zh-Hans")
    notes = glossary_notes(index, "Fudan University's <1>Tang</1> Lan used Sora")
    assert notes == [
        "glossary: Fudan University → 复旦大学 (not 复旦)",
        "glossary: Tang Lan → 唐岚 (not 唐兰)",
        "glossary: Sora → Sora (do not translate)",
    ]


def test_term_index_is_built_once_per_glossary_and_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[str] = []
    real_init = TermIndex.__init__

    def counting(self: TermIndex, glossary: Glossary, language: str) -> None:
        built.append(language)
        real_init(self, glossary, language)

    monkeypatch.setattr(TermIndex, "__init__", counting)

    first, other = load_glossary(), load_glossary()
    entry = Entry(file="a.po", line=1, language="es", msgid="x", msgctxt=None, msgstr="y")
    for _ in range(5):  # five catalogs checked one by one, as the pipeline does
        checks.check([entry], first)
    assert built == ["es"]
    assert term_index(first, "es") is term_index(first, "es")
    assert term_index(other, "es") is not term_index(first, "es")
    assert built == ["es", "es"]


# --- notes from the glossary reach the translator, through extract ----------------------

NOTES_CSV = """\
en,es,forbidden:es,dnt,note
Sora,Sora,,yes,OpenAI's video model
Global Times,Global Times,Tiempos Globales,,"Chinese state tabloid;
keep the English name"
Tang Lan,Tang Lan,,,
"""

NOTES_TBX = """\
<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
  <text>
    <body>
      <conceptEntry id="fudan">
        <descrip type="definition">A public university in Shanghai.</descrip>
        <note>Founded in 1905.</note>
        <langSec xml:lang="en"><termSec><term>Fudan University</term></termSec></langSec>
        <langSec xml:lang="es">
          <termSec>
            <term>Universidad de Fudan</term>
            <note>With "de", as the university writes it.</note>
          </termSec>
          <termSec>
            <term>Universidad Fudán</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
            <note>No accent: a Chinese name.</note>
          </termSec>
        </langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"""


def test_extract_writes_glossary_notes_into_the_comment(tmp_path: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "terms.csv").write_text(NOTES_CSV, encoding="utf-8")
    (tmp_path / "glossaries" / "names.tbx").write_text(NOTES_TBX, encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text(
        "<p>Sora is new.</p><p>The Global Times said so.</p>"
        "<p>Tang Lan teaches at Fudan University.</p>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "extract"])
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(tmp_path / "locales" / "es" / "a.po"))

    def glossary_lines(msgid: str) -> list[str]:
        # The PO writer wraps comments at 78 columns, as polib does; a wrapped line
        # continues until the next "glossary:" or the end of the glossary notes.
        entry = po.find(msgid)
        assert entry is not None
        lines: list[str] = []
        for line in entry.comment.splitlines():
            if line.startswith("glossary:"):
                lines.append(line)
            elif lines:
                lines[-1] += " " + line
        return lines

    assert glossary_lines("Sora is new.") == [
        "glossary: Sora → Sora (do not translate) — OpenAI's video model"
    ]
    # A note over two lines of the CSV cell stays one comment line per term.
    assert glossary_lines("The Global Times said so.") == [
        "glossary: Global Times → Global Times (not Tiempos Globales)"
        " — Chinese state tabloid; keep the English name"
    ]
    # Concept notes (definition and note), then the notes of the terms named, each after
    # its term; a concept without a note keeps the plain line.
    assert glossary_lines("Tang Lan teaches at Fudan University.") == [
        "glossary: Tang Lan → Tang Lan",
        "glossary: Fudan University → Universidad de Fudan (not Universidad Fudán)"
        " — A public university in Shanghai. Founded in 1905."
        ' Universidad de Fudan: With "de", as the university writes it.'
        " Universidad Fudán: No accent: a Chinese name.",
    ]

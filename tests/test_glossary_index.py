"""Term indexes over a glossary: built once, and the notes extract writes for translators."""

from __future__ import annotations

import pytest
from checks_cases import load_glossary

from l10n import checks
from l10n.checks import Entry
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

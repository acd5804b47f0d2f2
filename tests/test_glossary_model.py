"""The glossary model: BCP 47 aware lookup, helpers, merging and loading by suffix."""

from __future__ import annotations

import pytest

from l10n.glossary import Concept, Glossary, GlossaryError, Status, Term, load
from l10n.glossary.languages import best_tag, canonical, compatible, is_known
from l10n.glossary.model import is_all_caps


def _term(text: str, language: str, status: Status = Status.PREFERRED) -> Term:
    return Term(text=text, language=language, status=status, case_sensitive=False)


def _concept(*terms: Term, dnt: bool = False) -> Concept:
    return Concept(id="c", terms=terms, dnt=dnt, file="g.csv", line=2)


@pytest.mark.parametrize(
    ("wanted", "available", "expected"),
    [
        ("zh-Hans", ("zh-CN", "zh-TW"), "zh-CN"),
        ("zh-Hans", ("zh-TW", "zh-SG"), "zh-SG"),
        ("zh-Hans", ("zh-Hant", "zh"), "zh"),
        ("zh-Hans", ("zh-Hant", "zh-HK", "zh-TW"), None),
        ("zh-Hant", ("zh-Hans", "zh-HK"), "zh-HK"),
        ("zh-TW", ("zh-Hans", "zh-Hant"), "zh-Hant"),
        ("zh-CN", ("zh-Hant", "zh-Hans"), "zh-Hans"),
        ("zh", ("zh-Hant", "zh-Hans"), "zh-Hans"),
        ("es", ("es-MX", "es-ES"), "es-ES"),  # the likely region of "es"
        ("es", ("es-419", "es-MX"), "es-419"),  # otherwise the file's order
        ("es-MX", ("es-ES", "es", "es-MX"), "es-MX"),
        ("es-MX", ("es-ES", "es"), "es"),
        ("es-419", ("es-ES",), "es-ES"),
        ("ar", ("ar-SA",), "ar-SA"),
        ("ar-EG", ("ar",), "ar"),
        ("EN", ("fr", "en"), "en"),
        ("zh_Hans", ("zh-hans",), "zh-hans"),
        ("sr-Latn", ("sr", "sr-Cyrl"), None),  # Serbian is written in Cyrillic by default
        ("pt", ("es", "fr"), None),
    ],
)
def test_best_tag(wanted: str, available: tuple[str, ...], expected: str | None) -> None:
    assert best_tag(wanted, available) == expected


def test_tag_helpers() -> None:
    assert canonical("zh_hans_cn") == "zh-Hans-CN"
    assert canonical("ES-419") == "es-419"
    assert compatible("zh-TW", "zh-Hant")
    assert not compatible("zh-TW", "zh-CN")
    assert compatible("xx-YY", "xx")  # unknown to CLDR: scripts unknown, still one language
    assert is_known("zh-Hans")
    assert is_known("es-419")
    assert not is_known("xx")
    assert not is_known("en-")


def test_concept_helpers_use_the_best_tag() -> None:
    concept = _concept(
        _term("Fudan University", "en"),
        _term("复旦大学", "zh-CN"),
        _term("复旦", "zh-CN", Status.ADMITTED),
        _term("复大", "zh-CN", Status.FORBIDDEN),
        _term("復旦大學", "zh-TW"),
        _term("Universidad Fudan", "es-ES", Status.ADMITTED),
        _term("Universidad de Fudán", "es-ES", Status.DISCOURAGED),
    )
    assert concept.languages == ("en", "zh-CN", "zh-TW", "es-ES")
    assert [t.text for t in concept.terms_for("zh-Hans")] == ["复旦大学", "复旦", "复大"]
    assert [t.text for t in concept.terms_for("zh-Hant")] == ["復旦大學"]
    assert concept.preferred("zh-Hans") == concept.terms[1]
    assert [t.text for t in concept.allowed("zh-Hans")] == ["复旦大学", "复旦"]
    assert [t.text for t in concept.forbidden("zh-Hans")] == ["复大"]
    # No preferred Spanish term: the first allowed one is what to suggest.
    assert getattr(concept.preferred("es"), "text", None) == "Universidad Fudan"
    assert [t.text for t in concept.discouraged("es-MX")] == ["Universidad de Fudán"]
    assert concept.terms_for("fr") == ()
    assert concept.preferred("fr") is None


def test_status_allowed() -> None:
    assert [s for s in Status if s.allowed] == [Status.PREFERRED, Status.ADMITTED]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AI", True),
        ("CICIR", True),
        ("COVID-19", True),
        ("Ai", False),
        ("123", False),
        ("中国", False),
    ],
)
def test_is_all_caps(text: str, expected: bool) -> None:
    assert is_all_caps(text) is expected


def test_merged_keeps_order_and_checks_the_source_language() -> None:
    a = Glossary(concepts=(_concept(_term("A", "en")),), source_language="en")
    b = Glossary(concepts=(_concept(_term("B", "en-GB")),), source_language="en-GB")
    merged = a.merged(b)
    assert [c.terms[0].text for c in merged] == ["A", "B"]
    assert merged.source_language == "en"
    assert len(merged) == 2
    with pytest.raises(GlossaryError, match="source languages"):
        a.merged(Glossary(concepts=(), source_language="fr"))


def test_load_dispatches_on_suffix_and_merges_in_order() -> None:
    tbx = b"""<martif><text><body><termEntry id="x"><langSet xml:lang="en">
        <tig><term>Xinhua</term></tig></langSet></termEntry></body></text></martif>"""
    glossary = load(
        {"b.csv": b"en,es\nFudan,Fudan\n", "a.TBX": tbx, "c.xml": tbx},
        source_language="en",
    )
    assert glossary.source_language == "en"
    assert [(c.file, c.terms[0].text) for c in glossary] == [
        ("b.csv", "Fudan"),
        ("a.TBX", "Xinhua"),
        ("c.xml", "Xinhua"),
    ]


def test_load_rejects_unknown_formats_and_broken_files() -> None:
    with pytest.raises(GlossaryError, match="unsupported glossary format") as info:
        load({"terms.xlsx": b"PK"}, source_language="en")
    assert info.value.file == "terms.xlsx"
    with pytest.raises(GlossaryError) as broken:
        load({"ok.csv": b"en\nA\n", "bad.tbx": b"<martif>"}, source_language="en")
    assert broken.value.file == "bad.tbx"

"""Glossary terms are protected before translation and come back as target terms."""

from __future__ import annotations

import pytest

from l10n.glossary import load
from l10n.glossary.index import TermIndex
from l10n.html import placeholders as ph
from l10n.translate.protect import glossary_entries, missing_terms, protect, restore

CSV = """\
en,es,zh-Hans,dnt
Fudan University,Universidad Fudan,复旦大学,
Sora,Sora,Sora,yes
"""


@pytest.fixture(scope="module")
def index_es() -> TermIndex:
    return TermIndex(load({"g.csv": CSV.encode()}, source_language="en"), "es")


def test_terms_become_placeholders_and_come_back(index_es: TermIndex) -> None:
    msgid = "At <1>Fudan University</1>, Sora was shown."
    protected = protect(msgid, index_es)
    assert "Fudan" not in protected.text and "Sora" not in protected.text
    assert "<1>" in protected.text and "</1>" in protected.text
    engine_output = protected.text.replace("At", "En").replace("was shown", "fue mostrado")
    result = restore(engine_output, protected)
    assert result == "En <1>Universidad Fudan</1>, Sora fue mostrado."
    assert ph.problems(msgid, result) == []
    assert missing_terms(result, protected) == []


def test_term_split_by_markup_is_not_replaced_but_required(index_es: TermIndex) -> None:
    msgid = "Fudan <1>University</1> said"
    protected = protect(msgid, index_es)
    assert protected.text == msgid
    assert missing_terms("Fudan <1>Universidad</1> dijo", protected) == [
        ("Fudan University", "Universidad Fudan")
    ]


def test_without_glossary_nothing_changes() -> None:
    protected = protect("Fudan University", None)
    assert protected.text == "Fudan University" and protected.terms == {}


def test_an_engine_with_its_own_glossary_gets_the_text_and_the_terms_are_checked(
    index_es: TermIndex,
) -> None:
    msgid = "At Fudan University, Sora was shown."
    protected = protect(msgid, index_es, swap=False)
    assert protected.text == msgid and protected.terms == {}
    assert missing_terms("En la Universidad Fudan, Sora fue mostrado.", protected) == []
    assert missing_terms("En Fudan, Sora fue mostrado.", protected) == [
        ("Fudan University", "Universidad Fudan")
    ]


def test_glossary_entries_are_what_protection_would_put_back() -> None:
    glossary = load({"g.csv": (CSV + "AI | A.I.,IA,,\nnot here,,只有中文,\n").encode()},
                    source_language="en")  # fmt: skip
    assert glossary_entries(glossary, "es") == {
        "Fudan University": "Universidad Fudan",
        "Sora": "Sora",  # do not translate
        "AI": "IA",
        "A.I.": "IA",
    }
    assert glossary_entries(glossary, "zh-Hans")["not here"] == "只有中文"

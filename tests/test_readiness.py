"""Catalog facts and the publishing gate."""

from __future__ import annotations

import pytest

from l10n.glossary import load
from l10n.readiness import MISSING, Facts, Gate, facts, missing_entries

PO = """\
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Researchers at Fudan University agree."
msgstr "Los investigadores de la Universidad Fudan están de acuerdo."

#, fuzzy
msgid "Two words."
msgstr "Dos palabras."

msgid "Three more words here."
msgstr ""

#, fuzzy
msgid "A <1>broken</1> draft."
msgstr "Un borrador roto."

#~ msgid "Obsolete entries do not count."
#~ msgstr "No cuentan."
"""

GLOSSARY = b"en,es\nFudan University,Universidad de Fudan\n"


def test_counts_words_and_errors_reviewed_and_with_drafts() -> None:
    glossary = load({"g.csv": GLOSSARY}, source_language="en")
    found = facts(PO, file="es.po", language="es", glossary=glossary)
    assert (found.translated, found.fuzzy, found.untranslated) == (1, 2, 1)
    assert (found.translated_words, found.fuzzy_words, found.untranslated_words) == (5, 5, 4)
    assert found.errors == 1  # GL001 on the reviewed entry
    assert found.errors_with_fuzzy == 2  # ...and PH001 on the broken draft
    assert found.percent() == pytest.approx(5 * 100 / 14)
    assert found.percent(count_fuzzy=True) == pytest.approx(10 * 100 / 14)
    assert Facts.from_json(found.to_json()) == found


def test_gate_says_what_is_missing() -> None:
    found = Facts(
        translated=8,
        fuzzy=1,
        untranslated=2,
        translated_words=80,
        fuzzy_words=5,
        untranslated_words=15,
        errors=1,
        errors_with_fuzzy=3,
    )
    assert Gate(min_complete=90).shortfall(found) == (
        "80% of words translated and reviewed, needs 90% (2 untranslated, 1 fuzzy entries); "
        "1 `l10n check` error"
    )
    # Drafts: fuzzy words count (85% ≥ 85%), and fuzzy entries are checked too.
    assert Gate(min_complete=85, allow_fuzzy=True).shortfall(found) == "3 `l10n check` errors"
    assert Gate(min_complete=86, allow_fuzzy=True, ignore_check=True).shortfall(found) == (
        "85% of words translated, needs 86% (2 untranslated entries)"
    )
    assert Gate(min_complete=80, ignore_check=True).shortfall(found) is None
    assert Gate(min_complete=80.5, ignore_check=True).shortfall(found) is not None


def test_missing_catalog_blocks_only_a_real_gate() -> None:
    assert Gate(min_complete=0).shortfall(MISSING) is None
    assert Gate(min_complete=1).shortfall(MISSING) == "no catalog (run `l10n extract`)"


def test_a_catalog_without_words_is_complete() -> None:
    assert Facts().percent() == 100.0
    assert Gate(min_complete=100).shortfall(Facts()) is None


POT = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Researchers at Fudan University agree."
msgstr ""

msgid "Two words."
msgstr ""

msgid "Three more words here."
msgstr ""

msgid "A <1>broken</1> draft."
msgstr ""

msgctxt "menu"
msgid "Two words."
msgstr ""

msgid "Obsolete entries do not count."
msgstr ""

msgid "Only in the template now."
msgstr ""
"""


def test_missing_entries_are_template_entries_the_catalog_lacks() -> None:
    lost = missing_entries(PO, POT, file="es.po", template_file="es.pot")
    # msgctxt tells entries apart; an obsolete entry is not there for the reader.
    assert [(t.msgctxt, t.msgid) for t in lost] == [
        ("menu", "Two words."),
        (None, "Obsolete entries do not count."),
        (None, "Only in the template now."),
    ]
    assert missing_entries(POT, POT, file="x.po", template_file="x.pot") == []


def test_entries_missing_from_the_catalog_count_as_untranslated() -> None:
    found = facts(PO, file="es.po", language="es", glossary=None, template=POT)
    assert found.missing == 3
    assert (found.translated, found.fuzzy, found.untranslated) == (1, 2, 1 + 3)
    assert found.untranslated_words == 4 + 2 + 5 + 5
    assert Facts.from_json(found.to_json()) == found
    empty = facts("", file="es.po", language="es", glossary=None, template=POT)
    assert (empty.missing, empty.untranslated, empty.translated) == (7, 7, 0)
    assert empty.percent() == 0.0


def test_a_catalog_missing_template_entries_is_never_ready() -> None:
    found = facts("", file="es.po", language="es", glossary=None, template=POT)
    reason = "7 entries of locales/templates/x.pot are missing; run `l10n extract`"
    for gate in (Gate(min_complete=0), Gate(min_complete=0, allow_fuzzy=True, ignore_check=True)):
        # An empty file has no header either, which msgfmt rejects too.
        said = gate.shortfall(found, template="locales/templates/x.pot")
        assert said is not None and said.endswith(reason)
    one = Facts(missing=1, untranslated=1, untranslated_words=3)
    assert Gate(min_complete=50).shortfall(one, template="t.pot") == (
        "1 entry of t.pot is missing; run `l10n extract`; "
        "0% of words translated and reviewed, needs 50% (1 untranslated entries)"
    )

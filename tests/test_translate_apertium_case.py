"""Taking back the capital Apertium gives a word it takes for a sentence's first.

Pure stream functions, on streams written as Apertium writes them; the real pair's
behaviour is tested in ``test_translate_apertium``.
"""

from __future__ import annotations

from l10n.translate.apertium_case import (
    _LEAD,
    _LEAD_COMMA,
    _ends_sentence,
    _first_letter,
    _recase,
    _starts_lower,
)
from l10n.translate.apertium_format import _encode


def test_marks_go_before_lower_case_sentence_starts_only() -> None:
    assert _encode("<1/> of <2/> says") == f"[l10n:e1]{_LEAD} of [l10n:e2] says"
    assert _encode("He left. <1/> of it") == f"He left. [l10n:e1]{_LEAD} of it"
    assert _encode("of the house") == f"{_LEAD}of the house"
    assert _LEAD not in _encode("<1/> The house")  # a real sentence start
    assert _LEAD not in _encode("The house <1/> of it")  # mid-sentence already
    assert _LEAD not in _encode("<1/> 2024 was")


def test_the_case_after_the_comma_is_taken() -> None:
    plain = f"[l10n:e1]{_LEAD} De [l10n:e2] lo dice..[][l10n:s0]"
    comma = f"[l10n:e1]{_LEAD_COMMA} de [l10n:e2] lo dice..[]"
    assert _recase(plain, comma) == f"[l10n:e1]{_LEAD} de [l10n:e2] lo dice..[][l10n:s0]"


def test_only_the_case_not_the_words() -> None:
    plain = f"{_LEAD}[[t:1]]Leer[[/]] [[t:1]]más[[/]].[][l10n:s0]"
    comma = f"{_LEAD_COMMA}[[t:1]]leído[[/]] [[t:1]]más[[/]].[]"
    assert _recase(plain, comma) == f"{_LEAD}[[t:1]]leer[[/]] [[t:1]]más[[/]].[][l10n:s0]"


def test_a_word_capitalized_mid_sentence_too_keeps_it() -> None:
    plain = f"[l10n:e1]{_LEAD} I say..[][l10n:s0]"
    comma = f"[l10n:e1]{_LEAD_COMMA} I say..[]"
    assert _recase(plain, comma) == plain


def test_the_whole_word_when_only_its_case_differs() -> None:
    plain = f"{_LEAD}IPHONE ventas.[][l10n:s0]"
    comma = f"{_LEAD_COMMA}iPhone ventas.[]"
    assert _recase(plain, comma) == f"{_LEAD}iPhone ventas.[][l10n:s0]"


def test_marks_that_do_not_line_up_change_nothing() -> None:
    plain = f"{_LEAD}De {_LEAD}Y.[][l10n:s0]"
    assert _recase(plain, f"{_LEAD_COMMA}de.[]") == plain


def test_first_letter_skips_blanks_and_stops_at_ends() -> None:
    assert _first_letter(" [l10n:e2] [[t:1]]Casa[[/]]") == 18
    assert _first_letter("\\@Casa") == 2
    assert _first_letter(" 12 Casas") is None
    assert _first_letter(".[] Casa") is None
    assert _first_letter(" [l10n:s3]Casa") is None


def test_lower_case_and_sentence_ends() -> None:
    assert _starts_lower(" (of") and not _starts_lower(" Of") and not _starts_lower("2 of")
    assert _ends_sentence("He left. ") and _ends_sentence('He said "no!" ')
    assert not _ends_sentence("Dr Smith ") and not _ends_sentence("a, ")

"""The openai engine's words: token estimates, requests cut between entries, the reply's
accepted shapes, and the check of each item."""

from __future__ import annotations

import itertools
import json
import unicodedata

import pytest

from l10n.translate.article import ArticleEntry
from l10n.translate.openai_prompt import (
    FORMATS,
    check,
    chunks,
    estimate_tokens,
    parse_reply,
    request_tokens,
    response_format,
    user_message,
)


def entry(text: str, n: int = 1, terms: tuple[tuple[str, str], ...] = ()) -> ArticleEntry:
    return ArticleEntry(id=str(n), text=text, terms=terms)


def test_token_estimate_counts_cjk_characters_one_each() -> None:
    assert estimate_tokens("a" * 400) == 100
    assert estimate_tokens("复旦大学") == 4
    assert estimate_tokens("Fudan 复旦") == 2 + 2
    assert estimate_tokens("") == 0


def test_chunks_fill_the_budget_in_order_and_never_cut_an_entry() -> None:
    entries = [entry(f"Sentence number {n} of the article. " * 5, n) for n in range(20)]
    budget = 1000
    cut = chunks(entries, fixed=100, budget=budget)
    assert [e for c in cut for e in c] == entries
    assert len(cut) > 1
    assert all(request_tokens(c, 100) <= budget for c in cut)
    # As few as the budget allows: no two neighbours would have fit together.
    for first, second in itertools.pairwise(cut):
        assert request_tokens([*first, second[0]], 100) > budget


def test_an_entry_bigger_than_the_budget_goes_alone() -> None:
    big = entry("word " * 2000, 2)
    cut = chunks([entry("small", 1), big, entry("small too", 3)], fixed=50, budget=600)
    assert [[e.id for e in c] for c in cut] == [["1"], ["2"], ["3"]]


def test_user_message_lists_tags_terms_and_words_to_keep() -> None:
    terms = (("Fudan University", "Universidad Fudan"), ("Sora", "Sora"))
    data = json.loads(user_message([entry("At <1>Fudan University</1>, Sora.<2/>", 7, terms)]))
    assert data == {
        "entries": [
            {
                "id": "7",
                "text": "At <1>Fudan University</1>, Sora.<2/>",
                "tags": ["<1>", "</1>", "<2/>"],
                "terms": [{"source": "Fudan University", "target": "Universidad Fudan"}],
                "keep": ["Sora"],
            }
        ]
    }
    assert json.loads(user_message([entry("Plain.")])) == {
        "entries": [{"id": "1", "text": "Plain."}]
    }


def test_response_formats_step_down_to_plain() -> None:
    assert FORMATS == ("json_schema", "json_object", "plain")
    schema = response_format("json_schema")
    assert schema is not None and schema["type"] == "json_schema"
    inner = schema["json_schema"]["schema"]["properties"]["items"]["items"]
    assert inner["required"] == ["id", "text"] and inner["additionalProperties"] is False
    assert response_format("json_object") == {"type": "json_object"}
    assert response_format("plain") is None


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ('{"items": [{"id": "1", "text": "A"}, {"id": "2", "text": "B"}]}', {"1": "A", "2": "B"}),
        ('[{"id": 1, "text": "A"}]', {"1": "A"}),
        ('{"1": "A", "2": "B"}', {"1": "A", "2": "B"}),
        ('```json\n{"items": [{"id": "1", "text": "A"}]}\n```', {"1": "A"}),
        ('{"items": [{"id": "1", "text": "A"}, {"id": "1", "text": "again"}]}', {"1": "A"}),
        ('{"items": [{"id": "1"}, "junk", {"id": "2", "text": "B"}]}', {"2": "B"}),
        ('{"items": [{"id": "1", "text": "cut', None),
        ("Sure! Here is the translation.", None),
        ('{"answer": 3}', None),
    ],
)
def test_reply_shapes(content: str, found: dict[str, str] | None) -> None:
    assert parse_reply(content) == found


def test_check_keeps_outer_space_and_judges_placeholders_and_terms() -> None:
    source = entry("  At <1>Fudan University</1>. ", terms=(("Fudan University", "Universidad"),))
    assert check(source, "En <1>la universidad</1>.") == ("  En <1>la universidad</1>. ", "")
    text, why = check(source, "En la universidad.")
    assert text is None and why.startswith("placeholders damaged (")
    assert "missing <1>" in why and "missing </1>" in why
    text, why = check(source, "En <1>Fudan</1>.")
    assert text is None and why == "glossary term missing (Fudan University → Universidad)"
    assert check(source, None) == (None, "the reply had no item for it")
    assert check(source, "  ") == (None, "the reply's item was empty")
    decomposed = unicodedata.normalize("NFD", "canción")
    assert check(entry("song"), decomposed) == ("canción", "")

"""Finding terms in text in every script: boundaries, normalisation, offsets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.glossary import Concept, Glossary, Status, Term, term_matcher
from l10n.glossary.matcher import Match, Matcher, normalise, term_key


def _find(terms: list[str], text: str, *, case_sensitive: bool = False) -> list[tuple[str, str]]:
    """(matched original text, term) pairs."""
    matcher = Matcher.build((t, case_sensitive, t) for t in terms)
    return [(m.text, m.payload) for m in matcher.find(text)]


def _spans(matches: list[Match[str]]) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in matches]


# Latin, Cyrillic, Greek: whole words, whole phrases ------------------------------------


def test_latin_phrase_at_word_boundaries() -> None:
    assert _find(["Fudan University"], "At Fudan University, we") == [
        ("Fudan University", "Fudan University")
    ]
    assert _find(["Fudan"], "Fudanese and Fudan.") == [("Fudan", "Fudan")]
    assert _find(["Fudan University"], "Fudan Universityville") == []


def test_possessives_hyphens_and_punctuation() -> None:
    assert _find(["Fudan University"], "Fudan University's labs") == [
        ("Fudan University", "Fudan University")
    ]
    assert _find(["Fudan University"], "Fudan University’s labs") == [
        ("Fudan University", "Fudan University")
    ]
    assert _find(["Sora"], "Sora-generated clips (Sora) «Sora»") == [("Sora", "Sora")] * 3


def test_placeholders_line_breaks_and_spaces_inside_the_text() -> None:
    text = "Fudan <1>University</1> and Fudan\nUniversity and Fudan  University"
    matches = Matcher.build([("Fudan University", False, "fu")]).find(text)
    assert [m.text for m in matches] == [
        "Fudan <1>University",
        "Fudan\nUniversity",
        "Fudan  University",
    ]
    assert all(text[m.start : m.end] == m.text for m in matches)
    # A placeholder around the whole term is not part of the match.
    (m,) = Matcher.build([("Sora", False, "s")]).find("see <3>Sora</3>")
    assert (m.start, m.end, m.text) == (7, 11, "Sora")


def test_standalone_placeholder_separates_words() -> None:
    assert _find(["FudanUniversity"], "Fudan<2/>University") == []
    assert _find(["复旦大学"], "复旦<2/>大学") == []
    assert _find(["Fudan University"], "Fudan<2/>University") == [
        ("Fudan<2/>University", "Fudan University")
    ]


def test_placeholders_with_long_numbers_inside_the_text() -> None:
    # A block of 10,000 or more inline elements numbers its placeholders that high.
    assert _find(["Fudan University"], "Fudan <10000>University</10000>") == [
        ("Fudan <10000>University", "Fudan University")
    ]
    assert _find(["Fudan University"], "Fudan<123456789/>University") == [
        ("Fudan<123456789/>University", "Fudan University")
    ]


def test_typographic_dashes_in_terms_and_text() -> None:
    assert _find(["COVID-19"], "COVID‑19 cases") == [("COVID‑19", "COVID-19")]
    assert _find(["rock ’n’ roll"], "rock 'n' roll") == [("rock 'n' roll", "rock ’n’ roll")]


def test_cyrillic_and_greek_words() -> None:
    assert _find(["Москва"], "в Москве и Москва.") == [("Москва", "Москва")]
    assert _find(["Αθήνα"], "Η ΑΘΉΝΑ, Αθήναι") == [("ΑΘΉΝΑ", "Αθήνα")]


def test_decomposed_accents_match_composed_terms() -> None:
    text = "Universidad de Fuda\u0301n"
    (m,) = Matcher.build([("Fudán", False, "f")]).find(text)
    assert (m.start, m.end, m.text) == (15, 21, "Fuda\u0301n")


# Case ----------------------------------------------------------------------------------


def test_case_insensitive_by_default() -> None:
    assert _find(["Fudan University"], "FUDAN UNIVERSITY and fudan university") == [
        ("FUDAN UNIVERSITY", "Fudan University"),
        ("fudan university", "Fudan University"),
    ]


def test_all_caps_ai_is_case_sensitive() -> None:
    text = "Kai said ai is not AI, but AI-driven AIs are"
    assert _find(["AI"], text, case_sensitive=True) == [("AI", "AI"), ("AI", "AI")]
    assert _find(["AI"], "Kai said", case_sensitive=False) == []


def test_casefold_changes_length_and_offsets_stay_right() -> None:
    text = "Die STRASSE, die Straße und İstanbul"
    matcher = Matcher.build([("strasse", False, "s"), ("İSTANBUL", False, "i")])
    assert [(m.text, m.payload) for m in matcher.find(text)] == [
        ("STRASSE", "s"),
        ("Straße", "s"),
        ("İstanbul", "i"),
    ]


def test_sensitive_and_insensitive_terms_together_are_leftmost_longest() -> None:
    matcher = Matcher.build(
        [("AI", True, "AI"), ("AI Act", False, "act"), ("act now", False, "now"), ("Ai", True, "x")]
    )
    assert [(m.text, m.payload) for m in matcher.find("The AI Act now; ai act.")] == [
        ("AI Act", "act"),
        ("ai act", "act"),
    ]
    assert [(m.text, m.payload) for m in matcher.find("AI and act now")] == [
        ("AI", "AI"),
        ("act now", "now"),
    ]


# CJK -----------------------------------------------------------------------------------


def test_chinese_and_japanese_terms_match_as_substrings() -> None:
    assert _find(["复旦大学"], "在复旦大学的研究中") == [("复旦大学", "复旦大学")]
    assert _find(["東京大学"], "東京大学の研究者は") == [("東京大学", "東京大学")]


def test_latin_term_inside_cjk_text() -> None:
    assert _find(["Sora"], "使用Sora生成的视频") == [("Sora", "Sora")]
    assert _find(["AI"], "人工智能（AI）和AI生成", case_sensitive=True) == [("AI", "AI")] * 2
    assert _find(["Sora"], "使用Soras生成") == []


def test_longest_match_wins_and_matches_do_not_overlap() -> None:
    matcher = Matcher.build([("复旦", False, "short"), ("复旦大学", False, "long")])
    matches = matcher.find("复旦大学和复旦")
    assert [(m.text, m.payload) for m in matches] == [("复旦大学", "long"), ("复旦", "short")]
    assert _spans(matches) == [(0, 4), (5, 7)]
    phrases = Matcher.build(
        [("New York", False, "ny"), ("York Times", False, "yt"), ("New York Times", False, "nyt")]
    )
    assert [m.payload for m in phrases.find("the New York Times and New York")] == ["nyt", "ny"]
    assert [m.payload for m in phrases.find("New York Timesheet")] == ["ny"]


def test_leftmost_match_wins_over_a_longer_later_one() -> None:
    matcher = Matcher.build([("New York", False, "ny"), ("York Times Square", False, "yts")])
    assert [m.payload for m in matcher.find("New York Times Square")] == ["ny"]


# Arabic --------------------------------------------------------------------------------


def test_arabic_with_attached_prefixes() -> None:
    term = "جامعة فودان"
    for prefix in ("", "ل", "و", "ب", "ف", "ك", "ال", "وال", "بال", "لل", "ولل", "فال", "كال"):
        text = f"قال باحث {prefix}{term} أمس"
        assert _find([term], text) == [(term, term)], prefix
        (m,) = Matcher.build([(term, False, "t")]).find(text)
        assert m.start == len("قال باحث ") + len(prefix)


def test_arabic_letter_after_the_term_or_a_non_prefix_before_it() -> None:
    assert _find(["جامعة فودان"], "جامعة فوداني") == []
    assert _find(["فودان"], "مفودان") == []  # م is not a proclitic
    assert _find(["فودان"], "ومفودان") == []
    assert _find(["فودان"], "فودان، و(فودان)") == [("فودان", "فودان")] * 2


def test_arabic_vowel_marks_and_tatweel_are_ignored() -> None:
    text = "في جَامِعَة فودان وجامـعة فودان"
    assert _find(["جامعة فودان"], text) == [
        ("جَامِعَة فودان", "جامعة فودان"),
        ("جامـعة فودان", "جامعة فودان"),
    ]


# Payloads and entries ------------------------------------------------------------------


def test_terms_spelled_alike_share_their_matches() -> None:
    matcher = Matcher.build([("Fudan", False, 1), ("fudan", False, 2), ("FUDAN", True, 3)])
    assert [(m.text, m.payload) for m in matcher.find("FUDAN")] == [
        ("FUDAN", 3),
        ("FUDAN", 1),
        ("FUDAN", 2),
    ]
    assert [m.payload for m in matcher.find("Fudan")] == [1, 2]


def test_empty_terms_are_ignored_and_empty_matcher_finds_nothing() -> None:
    matcher = Matcher.build([("  ", False, 1), ("<1></1>", False, 2)])
    assert len(matcher) == 0
    assert matcher.find("anything") == []


def test_regex_metacharacters_in_terms_are_literal() -> None:
    assert _find(["C++", "(Sora)", "a.b"], "C++ and (Sora) and axb") == [
        ("C++", "C++"),
        ("(Sora)", "(Sora)"),
    ]


def test_term_matcher_over_a_glossary() -> None:
    def term(text: str, language: str, status: Status = Status.PREFERRED) -> Term:
        return Term(text=text, language=language, status=status, case_sensitive=False)

    concept = Concept(
        id="fudan",
        terms=(
            term("Fudan University", "en"),
            term("复旦大学", "zh-CN"),
            term("复旦", "zh-CN", Status.FORBIDDEN),
        ),
    )
    glossary = Glossary(concepts=(concept,), source_language="en")
    matcher = term_matcher(glossary, "zh-Hans")
    (m,) = matcher.find("复旦大学的研究")  # the forbidden "复旦" inside is not reported
    assert m.payload.concept is concept
    assert m.payload.term.text == "复旦大学"
    assert [x.payload.term.status for x in matcher.find("复旦的研究")] == [Status.FORBIDDEN]
    forbidden_only = term_matcher(glossary, "zh-Hans", statuses={Status.FORBIDDEN})
    assert [x.text for x in forbidden_only.find("复旦大学")] == ["复旦"]


# Properties ----------------------------------------------------------------------------

_MARKUP = ["<1>", "</1>", "<2/>", "\n", "  ", "\u00ad", "e\u0301", "é"]
_ALPHABET = st.sampled_from([*"aAbBsSıİiIßẞ σςΣ'’-–", *_MARKUP, *"复旦大学جامعةفودانول"])
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)
_TERM_CHARS = st.sampled_from([*"abSsßıİσς'’- 复旦جامعةول", "é", "e\u0301"])
_TERM = st.lists(_TERM_CHARS, min_size=1, max_size=6).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    terms=st.lists(st.tuples(_TERM, st.booleans()), min_size=1, max_size=5),
    text=_TEXT,
)
def test_every_match_folds_to_its_term(terms: list[tuple[str, bool]], text: str) -> None:
    matcher = Matcher.build((t, cs, (t, cs)) for t, cs in terms)
    previous = (0, 0)
    for m in matcher.find(text):
        term, case_sensitive = m.payload
        assert text[m.start : m.end] == m.text
        # Ordered and not overlapping; terms spelled alike share one span.
        assert (m.start, m.end) == previous or m.start >= previous[1]
        assert m.start < m.end
        previous = (m.start, m.end)
        assert term_key(m.text, case_sensitive=case_sensitive) == term_key(
            term, case_sensitive=case_sensitive
        )


@settings(max_examples=200, deadline=None)
@given(text=_TEXT)
def test_normalised_offsets_point_into_the_original(text: str) -> None:
    for view in normalise(text):
        for i in range(len(view.value)):
            start, end = view.span(i, i + 1)
            assert 0 <= start < end <= len(text)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(["Fudan", "University", "of", "Sora", "AI", "ai"]), max_size=12)
)
def test_every_occurrence_is_found_in_plain_text(words: list[str]) -> None:
    text = " ".join(words)
    matcher = Matcher.build(
        [("Fudan University", False, "fu"), ("Sora", False, "s"), ("AI", True, "ai")]
    )
    found = [m.payload for m in matcher.find(text)]
    expected = []
    i = 0
    while i < len(words):
        if words[i : i + 2] == ["Fudan", "University"]:
            expected.append("fu")
            i += 2
            continue
        if words[i] == "Sora":
            expected.append("s")
        elif words[i] == "AI":
            expected.append("ai")
        i += 1
    assert found == expected


def test_large_glossary_finds_every_term() -> None:
    # Speed is measured by bench/glossary.py; this checks a big pattern stays correct.
    names = [f"Term{n} Name{n * 7}" for n in range(5000)]
    matcher = Matcher.build((name, False, n) for n, name in enumerate(names))
    text = " ".join(f"x {names[n]} y" for n in range(0, 5000, 50))
    found = [m.payload for m in matcher.find(text)]
    assert found == list(range(0, 5000, 50))


def test_arabic_term_with_article_matches_after_li() -> None:
    matcher = Matcher.build([("الذكاء الاصطناعي", False, "ai")])
    text = "مستقبل للذكاء الاصطناعي وللذكاء الاصطناعي"
    found = matcher.find(text)
    assert [m.text for m in found] == ["للذكاء الاصطناعي", "للذكاء الاصطناعي"]
    assert matcher.find("الذكاء الاصطناعي")[0].payload == "ai"

"""The ``<1>…</1>`` / ``<2/>`` placeholder syntax and its checks."""

from __future__ import annotations

import pytest

from l10n.html.placeholders import Tag, Text, pieces, problems, signature, strip


def test_pieces_of_a_message() -> None:
    message = "Read <1>the <2>full</2> report</1><3/> now"
    assert list(pieces(message)) == [
        Text(value="Read "),
        Tag(number=1, role="open", start=5, end=8),
        Text(value="the "),
        Tag(number=2, role="open", start=12, end=15),
        Text(value="full"),
        Tag(number=2, role="close", start=19, end=23),
        Text(value=" report"),
        Tag(number=1, role="close", start=30, end=34),
        Tag(number=3, role="empty", start=34, end=38),
        Text(value=" now"),
    ]


def test_pieces_spans_point_into_the_message() -> None:
    message = "a<12>b</12>c<7/>"
    tags = [p for p in pieces(message) if isinstance(p, Tag)]
    assert [message[t.start : t.end] for t in tags] == ["<12>", "</12>", "<7/>"]
    assert [(t.number, t.role) for t in tags] == [(12, "open"), (12, "close"), (7, "empty")]


def test_pieces_of_plain_text() -> None:
    assert list(pieces("No markup here")) == [Text(value="No markup here")]
    assert list(pieces("")) == []


@pytest.mark.parametrize(
    "message",
    ["1 < 2 > 0", "<b>bold</b>", "</1/>", "<12345>", "< 1>", "<1 />", "<a1>"],
)
def test_things_that_are_not_placeholders_stay_text(message: str) -> None:
    assert list(pieces(message)) == [Text(value=message)]


def test_pieces_join_back_to_the_message() -> None:
    message = "x <1>y</1> </1/> <2/> z <b>"
    rebuilt = "".join(
        p.value if isinstance(p, Text) else message[p.start : p.end] for p in pieces(message)
    )
    assert rebuilt == message


def test_strip_and_signature() -> None:
    message = "<1>One</1> and <2/> and <1>again</1>"
    assert strip(message).split() == ["One", "and", "and", "again"]
    assert signature(message) == {(1, "open"): 2, (1, "close"): 2, (2, "empty"): 1}


# --- problems -------


def test_identical_placeholders_have_no_problems() -> None:
    msgid = "Click <1>here</1> to see <2/> the <3>big <4>chart</4></3>."
    assert problems(msgid, msgid) == []


def test_reordered_placeholders_are_fine() -> None:
    msgid = "The <1>red</1> <2>car</2> and <3/>"
    msgstr = "<3/> y el <2>coche</2> <1>rojo</1>"
    assert problems(msgid, msgstr) == []


def test_placeholder_moved_inside_another_is_fine() -> None:
    msgid = "<1>Read</1> the <2>report</2>"
    msgstr = "Lea el <2>informe <1>ya</1></2>"
    assert problems(msgid, msgstr) == []


def test_no_placeholders_at_all() -> None:
    assert problems("Hello", "Hola") == []


def issues(msgid: str, msgstr: str) -> set[str]:
    """``problems`` as a set: their order is not part of the contract."""
    found = problems(msgid, msgstr)
    assert len(found) == len(set(found))
    return set(found)


def test_missing_placeholder() -> None:
    assert issues("Go <1>home</1> now<2/>", "Vete a casa ya<2/>") == {"missing <1>", "missing </1>"}


def test_missing_standalone_placeholder() -> None:
    assert issues("Line<1/>break", "Línea salto") == {"missing <1/>"}


def test_extra_placeholder() -> None:
    assert issues("Plain text", "Texto <1>plano</1>") == {"unknown <1>", "unknown </1>"}


def test_unknown_placeholder_number() -> None:
    assert issues("A <1>b</1>", "Una <2>b</2>") == {
        "missing <1>",
        "missing </1>",
        "unknown <2>",
        "unknown </2>",
    }


def test_standalone_used_as_pair_is_wrong() -> None:
    assert issues("A<1/>b", "A<1>b</1>") == {"missing <1/>", "unknown <1>", "unknown </1>"}


def test_duplicated_placeholder() -> None:
    assert issues("Hi<1/>there", "Hola<1/>a<1/>todos") == {"<1/> appears 2 times"}
    assert issues("<1>Hi</1>", "<1>Ho</1><1>la</1>") == {
        "<1> appears 2 times",
        "</1> appears 2 times",
    }


def test_badly_nested_pairs() -> None:
    assert problems("<1>a</1> <2>b</2>", "<1>a <2>b</1></2>") == ["</1> is badly nested"]


def test_close_before_open() -> None:
    assert problems("<1>a</1>", "</1>a<1>") == ["</1> is badly nested"]


def test_unclosed_pair_is_reported() -> None:
    # Same counts as the msgid, so only the nesting check can see the problem.
    assert problems("<1>a</1> <2/>", "<1>a <2/>") == ["missing </1>"]

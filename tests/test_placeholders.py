"""The ``<1>…</1>`` / ``<2/>`` placeholder syntax and its checks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n.cli import cli
from l10n.html.placeholders import (
    Tag,
    Text,
    escape,
    literal,
    pieces,
    problems,
    signature,
    strip,
)
from l10n.translate.pseudo import pseudo


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
    ["1 < 2 > 0", "<b>bold</b>", "</1/>", "<1234567890>", "< 1>", "<1 />", "<a1>"],
)
def test_things_that_are_not_placeholders_stay_text(message: str) -> None:
    assert list(pieces(message)) == [Text(value=message)]


@pytest.mark.parametrize("number", [9_999, 10_000, 12_000, 123_456_789])
def test_any_count_is_a_placeholder(number: int) -> None:
    message = f"a <{number}>b</{number}> <{number + 1}/>"
    assert signature(message) == {
        (number, "open"): 1,
        (number, "close"): 1,
        (number + 1, "empty"): 1,
    }


@pytest.mark.parametrize(
    "text",
    [
        "Type <1> to go back",
        "</1> closes and <2/> stands alone",
        "<12000> and <\\1> and <\\/3/> and </1/>",
        "<<1>> <1<2> <\\\\7>",
        "C:\\ no look-alike here",
    ],
)
def test_literal_look_alikes_are_escaped_and_come_back(text: str) -> None:
    written = escape(text)
    assert signature(written) == {}
    assert [p.value for p in pieces(written)] == [written]
    assert literal(written) == text


def test_escaped_look_alikes_beside_real_placeholders() -> None:
    message = "Press <1>" + escape("<1>") + "</1> then " + escape("</2>") + "<2/>"
    assert message == "Press <1><\\1></1> then <\\/2><2/>"
    assert signature(message) == {(1, "open"): 1, (1, "close"): 1, (2, "empty"): 1}
    texts = [literal(p.value) for p in pieces(message) if isinstance(p, Text)]
    assert texts == ["Press ", "<1>", " then </2>"]
    # A translation that drops the literal still fits; one that unescapes it does not.
    assert problems(message, "Pulse <1>aquí</1> <2/>") == []
    assert problems(message, "Pulse <1><1></1> luego </2><2/>") != []


def test_text_without_look_alikes_is_unchanged() -> None:
    for text in ["Plain words", "1 < 2 > 0", "<b>bold</b>", "\\<b>", "<01 >", "<1234567890>"]:
        assert escape(text) == text == literal(text)


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


# --- through the CLI: extract, check, publish ---------------------------------------------


def _project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_bytes(
        b"<!DOCTYPE html>\n<html><body>\n"
        b"<p>Type &lt;1&gt; or &lt;/1&gt; and <b>then</b> &lt;2/&gt;.</p>\n</body></html>\n"
    )
    result = CliRunner().invoke(cli, ["-C", str(tmp_path), "extract"])
    assert result.exit_code == 0, result.output
    return tmp_path


def _fill(project: Path, translate: Callable[[str], str]) -> None:
    path = project / "locales" / "es" / "a.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr = translate(entry.msgid)
    po.save(str(path))


def test_check_sees_only_the_real_placeholders(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (entry,) = polib.pofile(str(project / "locales" / "es" / "a.po"))
    assert entry.msgid == "Type <\\1> or <\\/1> and <1>then</1> <\\2/>."
    check = ["-C", str(project), "check", "--format", "json"]
    _fill(project, pseudo)
    result = CliRunner().invoke(cli, check)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["findings"] == []
    # Unescaping a look-alike turns it into a placeholder the msgid does not have.
    _fill(project, lambda msgid: msgid.replace("<\\1>", "<1>"))
    result = CliRunner().invoke(cli, check)
    assert result.exit_code == 1
    (finding,) = json.loads(result.output)["findings"]
    assert finding["rule"] == "PH001" and "<1> appears 2 times" in finding["message"]


def test_publish_writes_look_alikes_as_the_source_had_them(tmp_path: Path) -> None:
    project = _project(tmp_path)
    _fill(project, pseudo)
    result = CliRunner().invoke(cli, ["-C", str(project), "publish"])
    assert result.exit_code == 0, result.output
    page = (project / "public" / "es" / "a.html").read_text(encoding="utf-8")
    assert "<p>[Ţýþé &lt;1&gt; öŕ &lt;/1&gt; àñđ <b>ţĥéñ</b> &lt;2/&gt;. ~~" in page

"""Golden files: article → POT, and article + human translation → published page.

Each folder under ``tests/data`` holds ``input.html``, the ``expected.pot`` extraction
writes for it, a ``translated.po`` a translator wrote, and the ``expected.html`` publish
must produce from it, byte for byte.
"""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from l10n import catalog
from l10n.config import text_direction
from l10n.html import placeholders, publish, segment

DATA = Path(__file__).parent / "data"
CASES = sorted(p.name for p in DATA.iterdir())
CREATED = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
SOURCE_LANGUAGE = "en"

_CREATION_DATE = re.compile(r'^"POT-Creation-Date: [^"\n]*\\n"$', re.MULTILINE)


def article(case: str) -> str:
    return f"articles/{case}.html"


def without_creation_date(pot: str) -> str:
    return _CREATION_DATE.sub('"POT-Creation-Date: \\\\n"', pot)


def template(case: str) -> str:
    doc = segment((DATA / case / "input.html").read_bytes())
    messages = catalog.messages_from_segments(article(case), doc.segments)
    return catalog.render_template(messages, creation_date=CREATED)


def translated(case: str) -> tuple[str, list[catalog.Translation]]:
    path = DATA / case / "translated.po"
    text = path.read_text(encoding="utf-8")
    language = catalog.parse(text, file=str(path)).metadata["Language"]
    return language, catalog.translations(text, file=str(path))


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 5
    for case in CASES:
        names = {p.name for p in (DATA / case).iterdir()}
        assert {"input.html", "expected.pot", "translated.po", "expected.html"} <= names


@pytest.mark.parametrize("case", CASES)
def test_template(case: str) -> None:
    expected = (DATA / case / "expected.pot").read_text(encoding="utf-8")
    assert without_creation_date(template(case)) == without_creation_date(expected)


@pytest.mark.parametrize("case", CASES)
def test_publish(case: str) -> None:
    language, entries = translated(case)
    usable = {t.msgid: t.msgstr for t in entries if t.msgstr and not t.fuzzy}
    doc = segment((DATA / case / "input.html").read_bytes())
    result = publish(
        doc,
        usable,
        language=language,
        source_language=SOURCE_LANGUAGE,
        direction=text_direction(language),
    )
    assert result.rejected == ()
    assert result.data == (DATA / case / "expected.html").read_bytes()


@pytest.mark.parametrize("case", CASES)
def test_translation_matches_its_template(case: str) -> None:
    """The data files agree: same entries, each case has an untranslated entry and a
    translation that moves placeholders around."""
    pot = catalog.parse((DATA / case / "expected.pot").read_text(encoding="utf-8"), file="pot")
    _, entries = translated(case)
    assert [t.msgid for t in entries] == [e.msgid for e in pot]
    assert any(not t.msgstr or t.fuzzy for t in entries)
    reordered = [
        t
        for t in entries
        if t.msgstr and _numbers(t.msgid) != _numbers(t.msgstr) and len(_numbers(t.msgid)) > 1
    ]
    assert reordered
    for t in entries:
        if t.msgstr:
            assert placeholders.problems(t.msgid, t.msgstr) == []


def _numbers(message: str) -> list[int]:
    return [
        p.number
        for p in placeholders.pieces(message)
        if isinstance(p, placeholders.Tag) and p.role != "close"
    ]


@pytest.mark.parametrize("case", CASES)
def test_catalogs_pass_msgfmt_check(case: str, tmp_path: Path) -> None:
    for name in ("expected.pot", "translated.po"):
        run = subprocess.run(
            ["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(DATA / case / name)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr

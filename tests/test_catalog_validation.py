"""``catalog.problems`` against the real ``msgfmt --check``: same verdict, same lines."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from l10n.catalog.validation import problems

MSGFMT = shutil.which("msgfmt")

HEADER = (
    'msgid ""\nmsgstr ""\n'
    '"Project-Id-Version: x\\n"\n"PO-Revision-Date: 2024-01-01 00:00+0000\\n"\n'
    '"Last-Translator: \\n"\n"Language-Team: Spanish\\n"\n"Language: es\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
)
PLURAL = '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
TWO_FORMS = 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "c"\n'

CASES = {
    # good files, some of them with look-alikes of the bad ones
    "plain": PLURAL + '\nmsgid "a"\nmsgstr "b"\n',
    "valid escapes": PLURAL + '\nmsgid "a"\nmsgstr "\\a\\x41\\101\\t\\\\q \\" b"\n',
    "same msgid, other context": PLURAL + '\nmsgctxt "k"\nmsgid "a"\nmsgstr "b"\n\n'
    'msgid "a"\nmsgstr "c"\n',
    "plural entry": PLURAL + "\n" + TWO_FORMS,
    "untranslated newline": PLURAL + '\nmsgid "a\\n"\nmsgstr ""\n',
    "fuzzy newline": PLURAL + '\n#, fuzzy\nmsgid "a"\nmsgstr "b\\n"\n',
    "obsolete newline": PLURAL + '\n#~ msgid "a"\n#~ msgstr "b\\n"\n',
    "no Plural-Forms, no plurals": '\nmsgid "a"\nmsgstr "b"\n',
    "Arabic plural": '"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : '
    'n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"\n\nmsgid "a"\nmsgstr "b"\n',
    "more nplurals than used": '"Plural-Forms: nplurals=3; plural=(n != 1);\\n"\n\n'
    'msgid "a"\nmsgstr "b"\n',
    "continued strings": PLURAL + '\nmsgid ""\n"a "\n"b\\n"\nmsgstr ""\n"c "\n"d\\n"\n',
    # bad files
    "invalid escape": PLURAL + '\nmsgid "a"\nmsgstr "b\\q"\n',
    "bare \\x": PLURAL + '\nmsgid "a"\nmsgstr "b\\x"\n',
    "escape in a continuation": PLURAL + '\nmsgid "a"\nmsgstr ""\n"one "\n"\\q two"\n',
    "escape in an obsolete entry": PLURAL + '\n#~ msgid "z"\n#~ msgstr "c\\q"\n',
    "escape in a previous msgid": PLURAL + '\n#| msgid "a\\q"\nmsgid "a"\nmsgstr "b"\n',
    "duplicate": PLURAL + '\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
    "duplicate untranslated": PLURAL + '\nmsgid "a"\nmsgstr ""\n\nmsgid "a"\nmsgstr ""\n',
    "duplicate obsolete": PLURAL + '\nmsgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n',
    "duplicate fuzzy": PLURAL + '\nmsgid "a"\nmsgstr "b"\n\n#, fuzzy\nmsgid "a"\nmsgstr "c"\n',
    "ends with newline": PLURAL + '\nmsgid "a\\n"\nmsgstr "b"\n',
    "begins with newline": PLURAL + '\nmsgid "\\na"\nmsgstr "b"\n',
    "plural count": PLURAL + '\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\n',
    "too many plural forms": PLURAL + "\n" + TWO_FORMS + 'msgstr[2] "d"\n',
    "plurals without Plural-Forms": "\n" + TWO_FORMS,
    "plural expression out of range": '"Plural-Forms: nplurals=1; plural=(n != 1);\\n"\n\n'
    'msgid "a"\nmsgstr "b"\n',
    "plural expression syntax": '"Plural-Forms: nplurals=2; plural=(n != 1;\\n"\n\n'
    'msgid "a"\nmsgstr "b"\n',
    "nplurals not a number": '"Plural-Forms: nplurals=x; plural=(n != 1);\\n"\n\n'
    'msgid "a"\nmsgstr "b"\n',
}


def msgfmt(text: str, tmp_path: Path) -> tuple[bool, set[int]]:
    """msgfmt --check's verdict and the lines its error messages name."""
    assert MSGFMT is not None, "GNU gettext's msgfmt is required (apt-get install gettext)"
    po = tmp_path / "case.po"
    po.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    lines = {
        int(m[1])
        for row in done.stderr.splitlines()
        if "warning:" not in row and (m := re.match(r".*?case\.po:(\d+):", row))
    }
    return done.returncode == 0, lines


@pytest.mark.parametrize("name", sorted(CASES))
def test_agrees_with_msgfmt_check(name: str, tmp_path: Path) -> None:
    text = HEADER + CASES[name]
    accepted, lines = msgfmt(text, tmp_path)
    found = problems(text)
    assert (found == []) is accepted, (name, found)
    for problem in found:
        assert problem.line in lines, (name, problem, lines)


def test_escape_column_is_msgfmts() -> None:
    text = HEADER + PLURAL + '\nmsgid "a"\nmsgstr "b\\q"\n'
    (found,) = problems(text)
    assert (found.code, found.column) == ("escape", 11)
    assert "\\q" in found.message

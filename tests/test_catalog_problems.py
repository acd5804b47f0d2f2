"""catalog.problems against the real ``msgfmt --check``: same verdict, same line."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from l10n.catalog import Problem, merge, problems, render_template, translations
from l10n.catalog.templates import Message

PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
FIELDS = (
    "Project-Id-Version: x",
    "PO-Revision-Date: 2024-01-01 00:00+0000",
    "Last-Translator: a",
    "Language-Team: b",
    "Language: es",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: 8bit",
)


def header(plural_forms: str | None = PLURAL_FORMS, *, prefix: str = "") -> str:
    fields = [*FIELDS, f"Plural-Forms: {plural_forms}"] if plural_forms is not None else FIELDS
    return prefix + 'msgid ""\nmsgstr ""\n' + "".join(f'"{f}\\n"\n' for f in fields) + "\n"


H = header()
PLURAL = 'msgid "a file"\nmsgid_plural "files"\nmsgstr[0] "un archivo"\nmsgstr[1] "archivos"\n'

CASES = {
    # good ones
    "plain": H + 'msgid "a"\nmsgstr "b"\n',
    "escapes": H + 'msgid "a\\n"\nmsgstr "\\a\\b\\t\\r\\f\\v\\\\\\"\\101\\x41\\n"\n',
    "untranslated": H + 'msgid "a"\nmsgstr ""\n\nmsgid "b\\n"\nmsgstr ""\n',
    "fuzzy newline": H + '#, fuzzy\nmsgid "a"\nmsgstr "b\\n"\n',
    "fuzzy header": header(prefix="#, fuzzy\n") + 'msgid "a"\nmsgstr "b"\n',
    "same msgid other context": H + 'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
    "plural": H + PLURAL,
    "plural untranslated": header(None) + 'msgid "a"\nmsgid_plural "b"\nmsgstr[0] ""\n',
    "plural fuzzy": H + '#, fuzzy\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\n',
    "ternary plural": header(
        "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2;"
    )
    + PLURAL.replace('msgstr[1] "archivos"', 'msgstr[1] "x"\nmsgstr[2] "y"'),
    "large value past 1000": header("nplurals=2; plural=n>1000 ? 5 : n!=1;") + PLURAL,
    "no semicolon": header("nplurals=2; plural=(n != 1)") + PLURAL,
    "nplurals without plural, no plural entries": header("nplurals=2;") + 'msgid "a"\nmsgstr "b"\n',
    "header defaults are warnings": header()
    .replace("Last-Translator: a", "Last-Translator: FULL NAME <EMAIL@ADDRESS>")
    .replace('"Language: es\\n"\n', "")
    + 'msgid "a"\nmsgstr "b"\n',
    "c-format": H + '#, c-format\nmsgid "%s has %d of %5.2f%%"\nmsgstr "%s tiene %i de %5.2f%%"\n',
    "c-format numbered": H + '#, c-format\nmsgid "%s %d %*d"\nmsgstr "%2$d %1$s %4$*3$d"\n',
    "c-format sizes": H + '#, c-format\nmsgid "%zu %ld %lc %m %p"\nmsgstr "%zu %li %lc %m %p"\n',
    "c-format invalid msgid": H + '#, c-format\nmsgid "100%y"\nmsgstr "%d"\n',
    "python-format": H + '#, python-format\nmsgid "%(a)s of %(b)d"\nmsgstr "%(b)d de %(a)r"\n',
    "python-format unnamed": H + '#, python-format\nmsgid "%s %i %%"\nmsgstr "%s %d %%"\n',
    "no-c-format": H + '#, no-c-format\nmsgid "%d"\nmsgstr "%s"\n',
    "c-format plural": H + '#, c-format\nmsgid "one"\nmsgid_plural "%d files"\n'
    'msgstr[0] "uno"\nmsgstr[1] "%d archivos"\n',
    "obsolete and previous": H
    + '#| msgid "z"\nmsgid "a"\nmsgstr "b"\n\n#~ msgid "c"\n#~ msgstr "d"\n',
    "comment with quotes": H + '# "\\q" said the translator\n#. "\\q"\nmsgid "a"\nmsgstr "b"\n',
    # bad ones
    "escape \\q": H + 'msgid "a"\nmsgstr "b\\q"\n',
    "escape in a continuation": H + 'msgid "a"\nmsgstr ""\n"x"\n"\\z"\n',
    "escape in msgctxt": H + 'msgctxt "\\q"\nmsgid "a"\nmsgstr "b"\n',
    "escape in previous msgid": H + '#| msgid "\\q"\nmsgid "a"\nmsgstr "b"\n',
    "escape in obsolete entry": H + 'msgid "a"\nmsgstr "b"\n\n#~ msgid "c"\n#~ msgstr "\\q"\n',
    "escape \\x without digits": H + 'msgid "a"\nmsgstr "\\x"\n',
    "escape \\8": H + 'msgid "a"\nmsgstr "\\8"\n',
    "context separator": H + 'msgid "a"\nmsgstr "b\\x04"\n',
    "duplicate": H + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
    "duplicate untranslated": H + 'msgid "a"\nmsgstr ""\n\nmsgid "a"\nmsgstr ""\n',
    "duplicate with context": H + 'msgctxt "c"\nmsgid "a"\nmsgstr "b"\n\n'
    'msgctxt "c"\nmsgid "a"\nmsgstr "b"\n',
    "duplicate obsolete": H + 'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n',
    "duplicate header": H + 'msgid ""\nmsgstr "X: y\\n"\n',
    "no header": 'msgid "a"\nmsgstr "b"\n',
    "untranslated header": 'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n',
    "empty file": "",
    "invalid plural expression": header("nplurals=2; plural=(n != ;") + 'msgid "a"\nmsgstr "b"\n',
    "trailing junk in plural": header("nplurals=2; plural=(n != 1) x;") + PLURAL,
    "invalid nplurals": header("nplurals=x; plural=0;") + 'msgid "a"\nmsgstr "b"\n',
    "nplurals=0": header("nplurals=0; plural=0;") + 'msgid "a"\nmsgstr "b"\n',
    "plural value too large": header("nplurals=2; plural=n;") + 'msgid "a"\nmsgstr "b"\n',
    "negative plural": header("nplurals=2; plural=n-1;") + 'msgid "a"\nmsgstr "b"\n',
    "division by zero": header("nplurals=2; plural=1%(n-n);") + 'msgid "a"\nmsgstr "b"\n',
    "too few forms": H + PLURAL.replace('msgstr[1] "archivos"\n', ""),
    "too many forms": H + PLURAL + 'msgstr[2] "más"\n',
    "plural without Plural-Forms": header(None) + PLURAL,
    "spaced Plural-Forms": header("nplurals = 2; plural = n != 1;") + PLURAL,
    "msgstr ends with a line break": H + 'msgid "a"\nmsgstr "b\\n"\n',
    "msgid begins with a line break": H + 'msgid "\\na"\nmsgstr "b"\n',
    "msgstr[1] ends differently": H + 'msgid "a\\n"\nmsgid_plural "as\\n"\n'
    'msgstr[0] "b\\n"\nmsgstr[1] "c"\n',
    "c-format type": H + '#, c-format\nmsgid "%d a"\nmsgstr "%s b"\n',
    "c-format missing": H + '#, c-format\nmsgid "%d a"\nmsgstr "b"\n',
    "c-format extra": H + '#, c-format\nmsgid "a"\nmsgstr "%d b"\n',
    "c-format size": H + '#, c-format\nmsgid "%zu"\nmsgstr "%lu"\n',
    "c-format invalid": H + '#, c-format\nmsgid "%s"\nmsgstr "%y"\n',
    "c-format mixed": H + '#, c-format\nmsgid "%s %d"\nmsgstr "%1$s %d"\n',
    "c-format gap": H + '#, c-format\nmsgid "%s %d"\nmsgstr "%2$d"\n',
    "possible-c-format": H + '#, possible-c-format\nmsgid "%d"\nmsgstr "%s"\n',
    "c-format plural form": H + '#, c-format\nmsgid "%d file"\nmsgid_plural "%d files"\n'
    'msgstr[0] "un"\nmsgstr[1] "%s archivos"\n',
    "python-format name": H + '#, python-format\nmsgid "%(x)s a"\nmsgstr "%(y)s b"\n',
    "python-format type": H + '#, python-format\nmsgid "%(x)s"\nmsgstr "%(x)d"\n',
    "python-format mapping": H + '#, python-format\nmsgid "%(x)s"\nmsgstr "%s"\n',
    "python-format count": H + '#, python-format\nmsgid "%s %s"\nmsgstr "%s"\n',
    "python-format order": H + '#, python-format\nmsgid "%s a %d"\nmsgstr "%d b %s"\n',
    "python-format mixed": H + '#, python-format\nmsgid "%(x)s"\nmsgstr "%(x)s %s"\n',
    "python-format dangling %": H + '#, python-format\nmsgid "%s"\nmsgstr "%s %"\n',
}


def msgfmt(tmp_path: Path, text: str) -> tuple[bool, int | None, str]:
    path = tmp_path / "case.po"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    named = re.search(rf"^{re.escape(str(path))}:(\d+):", result.stderr, re.MULTILINE)
    return result.returncode != 0, int(named[1]) if named else None, result.stderr


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_problems_agree_with_msgfmt(tmp_path: Path, text: str) -> None:
    translations(text, file="case.po")  # our readers take every one of them
    rejected, line, stderr = msgfmt(tmp_path, text)
    found = problems(text, file="case.po")
    assert bool(found) == rejected, stderr
    if found:
        assert found[0].line == line, stderr
        assert all(p.file == "case.po" and "\n" not in p.message for p in found)


def test_there_are_good_and_bad_cases_of_every_kind(tmp_path: Path) -> None:
    codes = {p.code for text in CASES.values() for p in problems(text, file="x.po")}
    kinds = {"escape", "context-separator", "duplicate", "header", "plural-forms", "newline"}
    assert codes == {*kinds, "format"}
    assert sum(not problems(text, file="x.po") for text in CASES.values()) >= 20


def test_a_problem_reads_as_msgfmt_says_it() -> None:
    [problem] = problems(CASES["escape \\q"], file="locales/es/a.po")
    assert problem == Problem(
        file="locales/es/a.po", line=14, code="escape", message="invalid control sequence"
    )
    assert str(problem) == "locales/es/a.po:14: invalid control sequence"
    [missing] = problems("", file="x.po")
    assert str(missing) == "x.po: PO file header missing or invalid"


@pytest.mark.parametrize("language", ["zh-Hans", "es", "fr", "ar"])
def test_catalogs_we_write_have_no_problems(language: str) -> None:
    template = render_template(
        [Message(msgid=f"Sentence {n} with 100% and a {{name}}.") for n in range(50)]
    )
    assert problems(template, file="x.pot") == []
    new = merge(template, None, language=language, source_language="en", file="x.po")
    assert problems(new, file="x.po") == []


def test_problems_take_linear_time() -> None:
    def text(size: int) -> str:
        entries = "".join(
            f'#. p\n#: a.html:{n}\n#, c-format\n'
            f'msgid "Line {n} of %d"\nmsgstr "Línea {n} de %d"\n\n'
            for n in range(size)
        )
        return CASES["plain"] + "\n" + entries

    def seconds(size: int) -> float:
        body = text(size)
        start = time.perf_counter()
        assert problems(body, file="x.po") == []
        return time.perf_counter() - start

    small, large = min(seconds(2000) for _ in range(3)), min(seconds(8000) for _ in range(3))
    assert large < 8 * small  # 4x the entries; quadratic would be 16x
    assert small < 0.5


@pytest.mark.parametrize(
    "po_file", sorted(Path(__file__).parent.parent.glob("locales/*/*/*.po")), ids=str
)
def test_committed_catalogs_agree_with_msgfmt(tmp_path: Path, po_file: Path) -> None:
    text = po_file.read_text(encoding="utf-8")
    rejected, _, stderr = msgfmt(tmp_path, text)
    assert not rejected, stderr
    assert problems(text, file=str(po_file)) == []
    broken = text.replace('msgstr "', 'msgstr "\\q', 1)  # in the header
    assert [p.code for p in problems(broken, file=str(po_file))] == ["escape"]
    assert msgfmt(tmp_path, broken)[0]

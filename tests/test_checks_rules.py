"""QA rules: planted violations among tricky correct cases, in zh-Hans, es and ar."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from checks_cases import CORRECT, GLOSSARY_CSV, PLANTED, entry, load_glossary
from click.testing import CliRunner

from l10n import checks
from l10n.checks import Entry
from l10n.cli import cli
from l10n.glossary import Glossary


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def rules(findings: list[checks.Finding]) -> list[tuple[str, int]]:
    return sorted(((f.rule, f.line) for f in findings), key=lambda r: (r[1], r[0]))


def test_correct_tricky_cases_are_clean(glossary) -> None:  # type: ignore[no-untyped-def]
    assert checks.check(CORRECT, glossary) == []


def test_every_planted_error_is_found(glossary) -> None:  # type: ignore[no-untyped-def]
    found = rules(checks.check(CORRECT + PLANTED, glossary))
    assert found == [
        ("GL001", 20),
        ("GL002", 20),  # 复旦 alone: wrong and forbidden
        ("GL001", 21),
        ("GL002", 21),  # forbidden transliteration of a name
        ("GL003", 22),  # do-not-translate product translated
        ("GL001", 23),
        ("GL002", 23),  # forbidden calque of a newspaper name
        ("GL001", 24),
        ("GL004", 24),  # discouraged abbreviation
        ("PH001", 25),  # placeholder <2/> missing
        ("PH002", 26),  # 2024 missing (1,204 ≙ 1.204 is fine)
    ]
    severity = {f.rule: f.severity for f in checks.check(PLANTED, glossary)}
    assert severity["GL004"] == "warning" and severity["PH002"] == "warning"
    assert severity["GL001"] == severity["GL002"] == severity["GL003"] == "error"


def test_fuzzy_only_with_include_fuzzy(glossary) -> None:  # type: ignore[no-untyped-def]
    fuzzy = [entry("zh-Hans", "Fudan University", "复旦", fuzzy=True)]
    assert checks.check(fuzzy, glossary) == []
    assert {f.rule for f in checks.check(fuzzy, glossary, include_fuzzy=True)} == {"GL001", "GL002"}


def test_untranslated_entries_are_not_checked(glossary) -> None:  # type: ignore[no-untyped-def]
    assert checks.check([entry("es", "Fudan University", "")], glossary) == []


def test_ignore_flag_silences_one_rule(glossary) -> None:  # type: ignore[no-untyped-def]
    silenced = entry("zh-Hans", "Fudan University", "复旦", flags=("l10n-ignore:GL001",))
    assert [f.rule for f in checks.check([silenced], glossary)] == ["GL002"]


def test_ignore_flag_lists_and_all() -> None:
    def flags(*f: str) -> Entry:
        return entry("es", "Home", "x", flags=f)

    assert flags("l10n-ignore:GL001", "GL002").ignores("GL002")
    assert not flags("l10n-ignore:GL001", "fuzzy", "GL002").ignores("GL002")
    assert flags("c-format", "l10n-ignore:all").ignores("PH001")
    assert not flags("l10n-ignore:GL001").ignores("GL002")


def test_inconsistent_translations_across_files() -> None:
    a = entry("es", "Home", "Inicio", file="locales/es/a.po", line=3)
    b = entry("es", "Home", "Portada", file="locales/es/b.po", line=8)
    c = entry("fr", "Home", "Accueil", file="locales/fr/b.po", line=8)
    findings = checks.check([a, b, c])
    assert [(f.rule, f.file, f.line) for f in findings] == [("GL005", "locales/es/b.po", 8)]
    assert "locales/es/a.po:3" in findings[0].message


# --- the command -------------------------------------------------------------------------


def test_check_command_exit_codes_and_json(tmp_path: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "terms.csv").write_text(GLOSSARY_CSV, encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text(
        "<p>The Global Times said so.</p><p>Sora is new.</p>", encoding="utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    po_file = tmp_path / "locales" / "es" / "a.po"
    assert "#. glossary: Global Times → Global Times (not Tiempos Globales)" in (
        po_file.read_text(encoding="utf-8")
    )
    clean = runner.invoke(cli, ["-C", str(tmp_path), "check"])
    assert clean.exit_code == 0, clean.output
    po = polib.pofile(str(po_file))
    po.find("The Global Times said so.").msgstr = "Lo dijo Tiempos Globales."
    po.save()
    result = runner.invoke(cli, ["-C", str(tmp_path), "check", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    lines = po_file.read_text(encoding="utf-8").splitlines()
    msgid_line = lines.index('msgid "The Global Times said so."') + 1
    assert {(f["rule"], f["file"], f["line"]) for f in data["findings"]} == {
        ("GL001", "locales/es/a.po", msgid_line),
        ("GL002", "locales/es/a.po", msgid_line),
    }
    po_file.write_text('msgid "x\nmsgstr', encoding="utf-8")
    broken = runner.invoke(cli, ["-C", str(tmp_path), "check"])
    assert broken.exit_code == 2 and "locales/es/a.po" in broken.stderr


def test_numbers_in_other_digits_count_as_the_same_number() -> None:
    from l10n.checks.rules import _numbers

    assert _numbers("In 2024, 1,204 people; 5² m") == {"2024", "1204", "52"}
    assert _numbers("في عام ٢٠٢٤") == {"2024"}
    assert _numbers("<1>2024</1> without placeholders <2/>") == {"2024"}
    assert _numbers("no numbers") == set()


# --- PH003: markup typed into a msgstr is published as text ----------------------------

MARKUP_CORRECT = [
    entry(
        "es",
        "<1>Sora</1> is <2>very <3>new</3></2><4/>",
        "<1>Sora</1> es <2>muy <3>nuevo</3></2><4/>",
    ),
    entry("es", "If a is less than b, b exceeds c", "Si a < b > c, entonces", line=2),
    entry("es", "x is below y and y above z", "x<y>z, y<x and y>", line=3),
    entry("es", "I love it", "¡Me encanta <3!", line=4),
    entry("ar", "As <1>Tang Lan</1> said", "كما قالت <1>تانغ لان</1> «بالتأكيد» <>", line=5),
    entry("zh-Hans", "The <1>Global Times</1> reported", "《环球时报》<1>报道</1>〈称〉", line=6),
    # The source talks about the tags as text: the translation keeps them.
    entry(
        "es",
        "Use the <b> tag, or <br/>, not <1>this</1>",
        "Usa <b> o <br/>, no <1>esto</1>",
        line=7,
    ),
    entry(
        "es",
        "Mail <ana@example.org> or see <https://example.org>",
        "Escribe a <ana@example.org> o <https://example.org>",
        line=8,
    ),
]

MARKUP_PLANTED = [
    entry("es", "Bold words", "Palabras <b>en negrita</b>", line=20),
    entry("es", "<1>Sora</1> is new", "<1>Sora</1> es nuevo</i>", line=21),
    entry("fr", "One line, then another", "Une ligne,<br>puis une autre", line=22),
    entry("ar", "Read the report", 'اقرأ <a href="https://example.org/r">التقرير</a>', line=23),
    entry("zh-Hans", "Very important", "<STRONG>非常</STRONG>重要", line=24),
    # Named in the source, but the translation adds another tag.
    entry("es", "Use the <b> tag", "Usa la etiqueta <b> o <i>", line=25),
]


def test_markup_in_the_translation_is_a_warning() -> None:
    assert checks.check(MARKUP_CORRECT) == []
    found = checks.check(MARKUP_CORRECT + MARKUP_PLANTED)
    assert rules(found) == [("PH003", line) for line in range(20, 26)]
    assert {f.severity for f in found} == {"warning"}
    messages = {f.line: f.message for f in found}
    assert "<b>, </b>" in messages[20] and "published as text" in messages[20]
    assert "</i>" in messages[21] and "<1>" not in messages[21]
    assert '<a href="https://example.org/r">, </a>' in messages[23]
    assert "<i>" in messages[25] and "<b>" not in messages[25]


def test_markup_warning_is_silenced_like_the_others() -> None:
    silenced = entry("es", "Bold", "<b>Negrita</b>", flags=("l10n-ignore:PH003",))
    assert checks.check([silenced]) == []


def test_check_command_warns_about_markup_and_exits_0(tmp_path: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text(
        "<p>Use the &lt;b&gt; tag for <b>bold</b>.</p><p>Sora is new.</p>", encoding="utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    po_file = tmp_path / "locales" / "es" / "a.po"
    po = polib.pofile(str(po_file))
    po.find("Use the <b> tag for <1>bold</1>.").msgstr = "Usa la etiqueta <b> para <1>negrita</1>."
    po.find("Sora is new.").msgstr = "Sora es <i>nuevo</i>."
    po.save()
    lines = po_file.read_text(encoding="utf-8").splitlines()
    msgid_line = lines.index('msgid "Sora is new."') + 1
    text = runner.invoke(cli, ["-C", str(tmp_path), "check"])
    assert text.exit_code == 0, text.output  # a warning alone passes
    assert text.output.splitlines() == [
        f"locales/es/a.po:{msgid_line}: warning PH003: markup <i>, </i> is not a placeholder;"
        " it is published as text",
        "0 error(s), 1 warning(s)",
    ]
    output: dict[str, str] = {}
    for fmt in ("json", "github", "junit", "sarif"):
        result = runner.invoke(cli, ["-C", str(tmp_path), "check", "--format", fmt])
        assert result.exit_code == 0 and "PH003" in result.output, (fmt, result.output)
        output[fmt] = result.output
    sarif = json.loads(output["sarif"])
    run = sarif["runs"][0]
    (result,) = run["results"]
    described = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert (result["ruleId"], result["level"], described["id"]) == ("PH003", "warning", "PH003")


def test_control_characters_in_the_translation_are_an_error() -> None:
    clean = entry("es", "Tab\there", "Tabulador\taquí\ny\x0cmás\r")  # HTML whitespace
    assert checks.check([clean]) == []
    dirty = [
        entry("es", "Escape", "Esc\x1bape\x1b", line=30),
        entry("es", "Nul bell", "Nul\x00 campana\x07", line=31),
        entry("es", "Delete", "Borrar\x7f y \x85 \x9f \x0b", line=32),
    ]
    found = checks.check(dirty)
    assert rules(found) == [("PH004", 30), ("PH004", 31), ("PH004", 32)]
    assert {f.severity for f in found} == {"error"}
    assert [f.message for f in found] == [
        "control character U+001B in the translation; it is not published",
        "control characters U+0000, U+0007 in the translation; they are not published",
        "control characters U+000B, U+007F, U+0085, U+009F in the translation;"
        " they are not published",
    ]
    silenced = entry("es", "Escape", "Esc\x1bape", flags=("l10n-ignore:PH004",))
    assert checks.check([silenced]) == []

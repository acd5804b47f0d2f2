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

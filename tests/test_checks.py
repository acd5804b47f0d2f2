"""QA rules: planted violations among tricky correct cases, in zh-Hans, es and ar."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import polib
import pytest
from click.testing import CliRunner

from l10n import checks
from l10n.checks import Entry
from l10n.cli import cli
from l10n.glossary import Glossary, load

GLOSSARY_CSV = """\
en,zh-Hans,es,ar,forbidden:zh-Hans,forbidden:es,discouraged:es,dnt
Fudan University,复旦大学,Universidad Fudan | Universidad de Fudan,جامعة فودان,复旦,,,
Global Times,环球时报,Global Times,غلوبال تايمز,,Tiempos Globales,,
Sora,Sora,Sora,Sora,,,,yes
Tang Lan,唐岚,Tang Lan,تانغ لان,唐兰,,,
artificial intelligence | AI,人工智能,inteligencia artificial | IA,الذكاء الاصطناعي,,,I.A.,
"""


@pytest.fixture(scope="module")
def glossary():  # type: ignore[no-untyped-def]
    return load({"glossaries/terms.csv": GLOSSARY_CSV.encode()}, source_language="en")


def entry(
    language: str,
    msgid: str,
    msgstr: str,
    *,
    line: int = 10,
    file: str = "",
    fuzzy: bool = False,
    flags: tuple[str, ...] = (),
) -> Entry:
    return Entry(
        file=file or f"locales/{language}/a.po",
        line=line,
        language=language,
        msgid=msgid,
        msgctxt=None,
        msgstr=msgstr,
        fuzzy=fuzzy,
        flags=flags,
    )


def rules(findings: list[checks.Finding]) -> list[tuple[str, int]]:
    return sorted(((f.rule, f.line) for f in findings), key=lambda r: (r[1], r[0]))


CORRECT = [
    # CJK substring inside a longer sentence, term split by inline markup in the source.
    entry(
        "zh-Hans",
        "Researchers at <1>Fudan University</1>'s lab",
        "在<1>复旦大学</1>的研究中",
        line=1,
    ),
    # Latin term inside CJK text (do-not-translate).
    entry("zh-Hans", "A clip made with Sora.", "使用Sora生成的视频。", line=2),
    # Arabic with an attached prefix (li-).
    entry("ar", "A gift to Fudan University", "هدية لجامعة فودان", line=3),
    # Possessive and admitted variant, term split by markup and a line break in msgstr.
    entry(
        "es",
        "Fudan University's researchers",
        "los investigadores de la Universidad\nde Fudan",
        line=4,
    ),
    entry("es", "As the <1>Global Times</1> reported", "Según informó <1>Global</1> Times", line=5),
    # Acronym: case-sensitive "AI" does not match "said" or "Kai".
    entry("es", "Kai said AI is here", "Kai dijo que la IA está aquí", line=6),
    entry("ar", "Tang Lan said", "قال تانغ لان", line=7),
]

PLANTED = [
    entry("zh-Hans", "Fudan University released a model.", "复旦发布了一个模型。", line=20),
    entry("zh-Hans", "Tang Lan told reporters", "唐兰对记者说", line=21),
    entry("zh-Hans", "Made with Sora", "使用索拉制作", line=22),
    entry("es", "The Global Times said", "Tiempos Globales dijo", line=23),
    entry("es", "AI is everywhere", "La I.A. está en todas partes", line=24),
    entry("ar", "Researchers at <1>Fudan</1> and <2/>", "باحثون في <1>فودان</1>", line=25),
    entry("es", "In 2024, 1,204 people", "En 2023, 1.204 personas", line=26),
]


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


def test_formats(glossary) -> None:  # type: ignore[no-untyped-def]
    findings = checks.check(PLANTED, glossary)
    data = json.loads(checks.render(findings, "json"))
    assert data["summary"] == {"errors": 9, "warnings": 2}
    first = data["findings"][0]
    assert set(first) == {
        "rule",
        "severity",
        "file",
        "line",
        "language",
        "msgid",
        "msgstr",
        "message",
    }
    github = checks.render(findings, "github").splitlines()
    assert "::error file=locales/zh-Hans/a.po,line=20,title=GL001::'Fudan University' must be" in (
        "\n".join(github)
    )
    assert any(line.startswith("::warning ") for line in github)
    junit = ET.fromstring(checks.render(findings, "junit", checked=["locales/fr/a.po"]))
    cases = junit.findall(".//testcase")
    assert {c.get("name") for c in cases} >= {"locales/fr/a.po", "locales/es/a.po"}
    assert junit.find(".//testcase[@name='locales/fr/a.po']/failure") is None
    assert junit.find(".//testcase[@name='locales/es/a.po']/failure") is not None
    sarif = json.loads(checks.render(findings, "sarif"))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert len(results) == len(findings)
    lines = {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results}
    assert lines == {20, 21, 22, 23, 24, 25, 26}
    text = checks.render(findings, "text")
    assert text.splitlines()[-1] == "9 error(s), 2 warning(s)"


def test_glossary_notes_for_translators(glossary) -> None:  # type: ignore[no-untyped-def]
    index = checks.TermIndex(glossary, "zh-Hans")
    notes = checks.glossary_notes(index, "Fudan University's <1>Tang</1> Lan used Sora")
    assert notes == [
        "glossary: Fudan University → 复旦大学 (not 复旦)",
        "glossary: Tang Lan → 唐岚 (not 唐兰)",
        "glossary: Sora → Sora (do not translate)",
    ]


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


# --- the JSON document: a stable interface (README, "Machine-readable output") ----------

FINDING_FIELDS = {
    "rule": str,
    "severity": str,
    "file": str,
    "line": int,
    "language": str,
    "msgid": str,
    "msgstr": str,
    "message": str,
}


def assert_documented_shape(data: dict[str, object]) -> None:
    """Keys and types promised in README: fields may be added, never renamed or removed."""
    assert list(data) == ["version", "findings", "summary"]
    assert data["version"] == 1 and type(data["version"]) is int
    findings = data["findings"]
    assert isinstance(findings, list) and findings
    for finding in findings:
        assert list(finding) == list(FINDING_FIELDS)
        for key, kind in FINDING_FIELDS.items():
            assert type(finding[key]) is kind, (key, finding[key])
        assert finding["rule"] in checks.RULES
        assert finding["severity"] in ("error", "warning")
        assert finding["line"] >= 1 and not finding["file"].startswith("/")
    summary = data["summary"]
    assert isinstance(summary, dict) and list(summary) == ["errors", "warnings"]
    assert summary["errors"] == sum(f["severity"] == "error" for f in findings)
    assert summary["warnings"] == sum(f["severity"] == "warning" for f in findings)


def test_json_document_has_the_documented_shape(glossary) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(checks.render(checks.check(PLANTED, glossary), "json"))
    assert_documented_shape(data)
    assert {f["severity"] for f in data["findings"]} == {"error", "warning"}
    empty = json.loads(checks.render([], "json"))
    assert empty == {"version": 1, "findings": [], "summary": {"errors": 0, "warnings": 0}}


def test_check_command_json_and_readme_sample_agree(tmp_path: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "terms.csv").write_text(GLOSSARY_CSV, encoding="utf-8")
    (tmp_path / "articles" / "briefs").mkdir(parents=True)
    (tmp_path / "articles" / "briefs" / "a.html").write_text(
        "<p>The Global Times said so.</p><p>AI is here.</p>", encoding="utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    po_file = tmp_path / "locales" / "es" / "briefs" / "a.po"
    po = polib.pofile(str(po_file))
    po.find("The Global Times said so.").msgstr = "Lo dijo Tiempos Globales."
    po.find("AI is here.").msgstr = "La I.A. está aquí."
    po.save()
    result = runner.invoke(cli, ["-C", str(tmp_path), "check", "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert_documented_shape(data)
    assert {f["file"] for f in data["findings"]} == {"locales/es/briefs/a.po"}
    assert data["summary"] == {"errors": 3, "warnings": 1}

    # The sample in README.md is real output of this version: same keys, same types.
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### l10n check --format json\n", 1)[1]
    sample = json.loads(section.split("```json\n", 1)[1].split("\n```", 1)[0])
    assert_documented_shape(sample)


def test_numbers_in_other_digits_count_as_the_same_number() -> None:
    from l10n.checks import _numbers

    assert _numbers("In 2024, 1,204 people; 5² m") == {"2024", "1204", "52"}
    assert _numbers("في عام ٢٠٢٤") == {"2024"}
    assert _numbers("<1>2024</1> without placeholders <2/>") == {"2024"}
    assert _numbers("no numbers") == set()


def test_term_index_is_built_once_per_glossary_and_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[str] = []
    real_init = checks.TermIndex.__init__

    def counting(self: checks.TermIndex, glossary: Glossary, language: str) -> None:
        built.append(language)
        real_init(self, glossary, language)

    monkeypatch.setattr(checks.TermIndex, "__init__", counting)

    def fresh() -> Glossary:
        return load({"glossaries/terms.csv": GLOSSARY_CSV.encode()}, source_language="en")

    first, other = fresh(), fresh()
    entry = Entry(file="a.po", line=1, language="es", msgid="x", msgctxt=None, msgstr="y")
    for _ in range(5):  # five catalogs checked one by one, as the pipeline does
        checks.check([entry], first)
    assert built == ["es"]
    assert checks.term_index(first, "es") is checks.term_index(first, "es")
    assert checks.term_index(other, "es") is not checks.term_index(first, "es")
    assert built == ["es", "es"]

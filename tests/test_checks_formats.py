"""Output formats of ``l10n check``: text, JSON (a stable interface), GitHub, JUnit, SARIF."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import polib
import pytest
from checks_cases import GLOSSARY_CSV, PLANTED, load_glossary
from click.testing import CliRunner

from l10n import checks
from l10n.cli import cli
from l10n.glossary import Glossary


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


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

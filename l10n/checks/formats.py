"""The formats of ``l10n check``'s findings: text for people, JSON, GitHub annotations,
JUnit and SARIF for CI dashboards.  Formatters return strings; the CLI writes them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from l10n.checks.rules import ERROR, RULES, WARNING, Finding, summary

FORMATS = ("text", "json", "github", "junit", "sarif")


def render(findings: Sequence[Finding], fmt: str, *, checked: Sequence[str] = ()) -> str:
    """Findings as ``text``, ``json``, ``github`` annotations, ``junit`` or ``sarif``."""
    if fmt == "json":
        return _json(findings)
    if fmt == "github":
        return "\n".join(
            f"::{f.severity} file={_gh(f.file, True)},line={f.line},title={f.rule}::"
            f"{_gh(f'{f.message} [{f.language}] {f.msgid}', False)}"
            for f in findings
        )
    if fmt == "junit":
        return _junit(findings, checked)
    if fmt == "sarif":
        return _sarif(findings)
    lines = [f"{f.file}:{f.line}: {f.severity} {f.rule}: {f.message}" for f in findings]
    counts = summary(findings)
    lines.append(f"{counts['errors']} error(s), {counts['warnings']} warning(s)")
    return "\n".join(lines)


JSON_VERSION = 1


def _json(findings: Sequence[Finding]) -> str:
    """The ``--format json`` document: a stable interface (README, "Machine-readable
    output").  Fields may be added; none is renamed or removed, so ``version`` stays 1."""
    return json.dumps(
        {
            "version": JSON_VERSION,
            "findings": [_as_dict(f) for f in findings],
            "summary": summary(findings),
        },
        ensure_ascii=False,
        indent=2,
    )


def _as_dict(f: Finding) -> dict[str, object]:
    return {
        "rule": f.rule,
        "severity": f.severity,
        "file": f.file,
        "line": f.line,
        "language": f.language,
        "msgid": f.msgid,
        "msgstr": f.msgstr,
        "message": f.message,
    }


def _gh(value: str, prop: bool) -> str:
    # GitHub workflow-command escaping (properties also escape ':' and ',').
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _junit(findings: Sequence[Finding], checked: Sequence[str]) -> str:
    by_file: dict[str, list[Finding]] = {name: [] for name in checked}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    counts = summary(findings)
    suites = ET.Element(
        "testsuites",
        name="l10n check",
        tests=str(len(by_file)),
        failures=str(sum(1 for fs in by_file.values() if any(f.severity == ERROR for f in fs))),
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="l10n check",
        tests=str(len(by_file)),
        failures=suites.get("failures", "0"),
        errors="0",
        skipped="0",
    )
    for name, file_findings in sorted(by_file.items()):
        case = ET.SubElement(suite, "testcase", classname="l10n.check", name=name, file=name)
        errors = [f for f in file_findings if f.severity == ERROR]
        if errors:
            failure = ET.SubElement(
                case, "failure", type=errors[0].rule, message=f"{len(errors)} error(s)"
            )
            failure.text = "\n".join(f"{f.file}:{f.line}: {f.rule}: {f.message}" for f in errors)
        warnings = [f for f in file_findings if f.severity == WARNING]
        if warnings:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(f"{f.file}:{f.line}: {f.rule}: {f.message}" for f in warnings)
    suites.set("errors", "0")
    suite.set("warnings", str(counts["warnings"]))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def _sarif(findings: Sequence[Finding]) -> str:
    rule_ids = sorted(RULES)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "l10n",
                        "informationUri": "https://pypi.org/project/l10n/",
                        "rules": [
                            {
                                "id": r,
                                "shortDescription": {"text": RULES[r][1]},
                                "defaultConfiguration": {"level": RULES[r][0]},
                            }
                            for r in rule_ids
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.rule,
                        "ruleIndex": rule_ids.index(f.rule),
                        "level": f.severity,
                        "message": {"text": f"{f.message} [{f.language}] {f.msgid}"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": f.file},
                                    "region": {"startLine": f.line},
                                }
                            }
                        ],
                    }
                    for f in findings
                ],
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)

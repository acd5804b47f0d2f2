"""``l10n status`` through the CLI: catalogs that lost their template's entries, and
held languages whose older page is still live."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from l10n.cli import cli

ARTICLE = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Shen Yi on AI</title></head>
<body>
<h1>Why the gap can close</h1>
<p>Researchers at Fudan University say the contest is about use.</p>
<p>Second paragraph here.</p>
<p>A third paragraph with a few more words.</p>
</body>
</html>
"""
PO = Path("locales/es/ai.po")
POT = Path("locales/templates/ai.pot")


def run(project: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["-C", str(project), *args])
    assert result.exit_code == code, result.output
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es"]\n[publish]\nmin_complete = 0\n', encoding="utf-8"
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "ai.html").write_text(ARTICLE, encoding="utf-8")
    run(tmp_path, "extract")
    return tmp_path


def rows(project: Path) -> dict[str, object]:
    payload = json.loads(run(project, "status", "--json").output)
    assert payload["version"] == 1
    language = payload["languages"][0]
    article: dict[str, object] = language["articles"][0]
    return {"ready": language["ready"], **article}


def truncate(path: Path, entries: int) -> None:
    """Keep the header and the first ``entries`` entries, as a cut-off download would."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    path.write_text("\n\n".join(blocks[: 1 + entries]) + "\n", encoding="utf-8")


def test_an_emptied_catalog_is_blocked_not_complete(project: Path) -> None:
    assert rows(project)["ready"] is True
    (project / PO).write_text("", encoding="utf-8")
    row = rows(project)
    assert row["ready"] is False
    assert (row["missing"], row["translated"], row["untranslated"], row["percent"]) == (
        5,
        0,
        5,
        0.0,
    )
    # An empty file has no header either, which msgfmt --check rejects too.
    assert str(row["blocked"]).endswith(
        f"5 entries of {POT.as_posix()} are missing; run `l10n extract`"
    )
    assert "msgfmt --check rejects the file" in str(row["blocked"])
    text = run(project, "status").output
    assert "100.0%" not in text and "ready to publish" not in text
    assert "es: blocked by 1 article(s)" in text
    assert f"5 entries of {POT.as_posix()} are missing; run `l10n extract`" in text


def test_a_catalog_truncated_at_an_entry_boundary_is_blocked(project: Path) -> None:
    truncate(project / PO, 2)
    row = rows(project)
    assert (row["missing"], row["untranslated"]) == (3, 5)
    assert row["ready"] is False and "3 entries of" in str(row["blocked"])


def test_a_cached_fact_does_not_hide_a_template_entry_the_catalog_lacks(project: Path) -> None:
    assert rows(project)["missing"] == 0  # facts of this catalog are now cached
    pot = project / POT
    pot.write_text(
        pot.read_text(encoding="utf-8") + '\nmsgid "Only in the template."\nmsgstr ""\n',
        encoding="utf-8",
    )
    row = rows(project)
    assert row["missing"] == 1 and row["ready"] is False
    assert row["blocked"] == f"1 entry of {POT.as_posix()} is missing; run `l10n extract`"
    run(project, "extract")
    assert rows(project)["missing"] == 0

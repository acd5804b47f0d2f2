"""`check` over many files: per-file rules in workers, GL005 across files in the parent."""

from __future__ import annotations

import json
from pathlib import Path

import polib
from click.testing import CliRunner

from l10n.cli import cli

SHARED = "The ministry declined to comment on the report."


def test_consistency_across_files_with_workers(tmp_path: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    for n in range(12):
        page = tmp_path / "articles" / f"story-{n:02}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<p>{SHARED}</p><p>Story number {n} has <b>news</b>.</p>", "utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    for n in range(12):
        po = polib.pofile(str(tmp_path / "locales" / "es" / f"story-{n:02}.po"))
        for entry in po:
            if entry.msgid == SHARED:
                # Most files agree; stories 3 and 7 differ.
                entry.msgstr = (
                    "El ministerio no quiso comentar." if n not in (3, 7) else "Sin comentario."
                )
            else:
                entry.msgstr = (
                    entry.msgid.replace("<1>", "").replace("</1>", "") if n == 5 else entry.msgid
                )
        po.save()
    result = runner.invoke(cli, ["-C", str(tmp_path), "-j", "2", "check", "--format", "json"])
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["findings"]
    gl005 = sorted((f["file"], f["message"]) for f in found if f["rule"] == "GL005")
    first = "locales/es/story-00.po"
    assert [file for file, _ in gl005] == ["locales/es/story-03.po", "locales/es/story-07.po"]
    assert all(f"translated differently in {first}:" in message for _, message in gl005)
    assert [f["file"] for f in found if f["rule"] == "PH001"] == ["locales/es/story-05.po"]
    # The same findings, in the same order, from one process.
    alone = runner.invoke(cli, ["-C", str(tmp_path), "-j", "1", "check", "--format", "json"])
    assert json.loads(alone.stdout)["findings"] == found

"""``l10n extract`` through the CLI: what its summary counts."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from l10n.cli import cli


def run(project: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["-C", str(project), *args])
    assert result.exit_code == 0, result.output
    return result


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_force_counts_what_was_redone_not_what_was_skipped(tmp_path: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es", "fr", "ar"]\n', encoding="utf-8")
    (tmp_path / "articles").mkdir()
    for name, text in (("a.html", "First article text."), ("b.html", "Second article text.")):
        (tmp_path / "articles" / name).write_text(f"<p>{text}</p>", encoding="utf-8")
    first = run(tmp_path, "extract")
    assert first.output.count("wrote ") == 8
    assert "8 file(s) already up to date" in run(tmp_path, "extract").output
    before = snapshot(tmp_path / "locales")
    forced = run(tmp_path, "extract", "--force")
    assert "already up to date" not in forced.output
    assert "8 file(s) made again, the same as before (left as they were)" in forced.output
    assert snapshot(tmp_path / "locales") == before
    (tmp_path / "articles" / "a.html").write_text("<p>Corrected text.</p>", encoding="utf-8")
    both = run(tmp_path, "extract", "--force")
    assert both.output.count("wrote ") == 4
    assert "4 file(s) made again, the same as before" in both.output
    assert "already up to date" not in both.output
    # Without --force the unchanged article is skipped, and said to be.
    (tmp_path / "articles" / "a.html").write_text("<p>Corrected again.</p>", encoding="utf-8")
    normal = run(tmp_path, "extract")
    assert normal.output.count("wrote ") == 4 and "4 file(s) already up to date" in normal.output

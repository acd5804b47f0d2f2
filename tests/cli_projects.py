"""Small projects made on disk for CLI tests, and what to compare them by."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from l10n.cli import cli

REPO = Path(__file__).resolve().parent.parent


def cli_run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(root), *args])


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (not following symlinks) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def new_project(root: Path, languages: str = '["es"]') -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "l10n.toml").write_text(f"languages = {languages}\n", encoding="utf-8")
    (root / "articles").mkdir()
    (root / "articles" / "good.html").write_text("<p>A good article.</p>", encoding="utf-8")
    return root


def error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def example_project(tmp_path: Path) -> Path:
    """The repository's example project (l10n.toml, articles, catalogs, glossary) copied."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy2(REPO / "l10n.toml", root / "l10n.toml")
    for name in ("articles", "locales", "glossaries"):
        shutil.copytree(REPO / name, root / name)
    return root

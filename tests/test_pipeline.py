"""Project discovery, article selection and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_projects import cli_run, error_line, new_project, tree
from click.testing import CliRunner
from db_faults import file_size_limit

from l10n import pipeline
from l10n.cli import cli
from l10n.errors import ArticleError, ConfigError


@pytest.fixture
def project(tmp_path: Path) -> pipeline.Project:
    (tmp_path / "l10n.toml").write_text('languages = ["fr"]\n', encoding="utf-8")
    for rel in ("a.html", "deep/er/b.htm", "notes.txt"):
        path = tmp_path / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<p>Text</p>", encoding="utf-8")
    return pipeline.load_project(tmp_path / "articles" / "deep")


def test_find_root_walks_up(project: pipeline.Project) -> None:
    assert pipeline.find_root(project.root / "articles" / "deep" / "er") == project.root


def test_find_root_without_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"l10n\.toml"):
        pipeline.find_root(tmp_path)


def test_list_articles_all_and_selected(project: pipeline.Project) -> None:
    assert pipeline.list_articles(project) == ["a.html", "deep/er/b.htm"]
    assert pipeline.list_articles(project, ["deep/er/b.htm"]) == ["deep/er/b.htm"]
    by_path = str(project.root / "articles" / "a.html")
    assert pipeline.list_articles(project, [by_path]) == ["a.html"]


def test_list_articles_rejects_missing_and_outside(project: pipeline.Project) -> None:
    with pytest.raises(ArticleError, match="no such article"):
        pipeline.list_articles(project, ["missing.html"])
    outside = project.root / "elsewhere.html"
    outside.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(ArticleError, match="not inside"):
        pipeline.list_articles(project, [str(outside)])


def test_write_atomic_replaces_whole_file_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "file.po"
    pipeline.write_atomic(target, b"first")
    os.chmod(target, 0o600)
    pipeline.write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.po"]


def test_write_atomic_leaves_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "file.po"
    target.write_bytes(b"translator's work")

    def boom(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        pipeline.write_atomic(target, b"new")
    assert target.read_bytes() == b"translator's work"
    assert [p.name for p in tmp_path.iterdir()] == ["file.po"]


def test_extract_is_idempotent(project: pipeline.Project) -> None:
    first = pipeline.extract(project)
    assert "locales/fr/a.po" in first.written
    second = pipeline.extract(project)
    assert second.written == ()
    assert "locales/templates/a.pot" in second.unchanged


# --- through the CLI: articles that would share files ------------------------------------




COLLIDING = [
    ("x.htm", "x.html"),
    ("y.HTML", "y.html"),
    ("A/b.html", "a/B.html"),
    ("caf\u00e9.html", "cafe\u0301.html"),  # NFC and NFD: one name on macOS
]
COMMANDS = [
    ("extract",),
    ("translate", "--engine", "pseudo"),
    ("publish",),
    ("check",),
    ("status",),
]


@pytest.mark.parametrize("names", COLLIDING, ids=lambda n: "+".join(n))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_articles_that_would_share_a_file_are_an_error_naming_both(
    tmp_path: Path, names: tuple[str, str], command: tuple[str, ...]
) -> None:
    root = new_project(tmp_path)
    first, second = (root / "articles" / n for n in names)
    first.parent.mkdir(parents=True, exist_ok=True)
    first.write_text("<p>The first text.</p>", encoding="utf-8")
    assert cli_run(root, "extract").exit_code == 0
    assert cli_run(root, "publish").exit_code == 0
    second.parent.mkdir(parents=True, exist_ok=True)
    second.write_text("<p>The second text.</p>", encoding="utf-8")
    before = tree(root)
    line = error_line(cli_run(root, *command))
    assert f"articles/{names[0]}" in line and f"articles/{names[1]}" in line
    assert tree(root) == before
    # Naming only one of them is no way around it: the other's catalog is the same file.
    assert f"articles/{names[1]}" in error_line(cli_run(root, *command, names[0]))
    assert tree(root) == before


def test_a_full_disk_while_publishing_is_one_line_and_leaves_every_file_intact(
    tmp_path: Path,
) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (tmp_path / "articles").mkdir()
    article = tmp_path / "articles" / "long.html"
    article.write_text("<p>" + "Long text. " * 2000 + "</p>", encoding="utf-8")
    for command in ("extract", "publish"):
        assert CliRunner().invoke(cli, ["-C", str(tmp_path), command]).exit_code == 0
    article.write_text("<p>" + "Other text. " * 2000 + "</p>", encoding="utf-8")

    def files() -> dict[Path, bytes]:
        # Not the kept segments: the new article's are small enough to be written, whole.
        kept = tmp_path / ".l10n" / "segments"
        found = (p for p in tmp_path.rglob("*") if p.is_file() and kept not in p.parents)
        return {p: p.read_bytes() for p in found}

    before = files()
    with file_size_limit(8192):  # the page and the state are larger: neither can be written
        result = CliRunner().invoke(cli, ["-C", str(tmp_path), "publish"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "public/es/long.html" in lines[0], lines
    assert files() == before  # the old page, the state; and no temporary file left

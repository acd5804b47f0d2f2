"""Links out of the project: skipped in every walk (articles, glossaries, locales),
never read or written through; through the CLI on tmp_path."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from cli_projects import cli_run, error_line, new_project, tree


def outside_tree(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.html").write_text("<p>Secret words.</p>", encoding="utf-8")
    (outside / "folder").mkdir()
    (outside / "folder" / "more.html").write_text("<p>More secrets.</p>", encoding="utf-8")
    return outside


def test_articles_linked_from_outside_the_project_are_skipped_with_a_warning(
    tmp_path: Path,
) -> None:
    outside = outside_tree(tmp_path)
    root = new_project(tmp_path / "p")
    articles = root / "articles"
    (articles / "link.html").symlink_to(outside / "secret.html")
    (articles / "linked").symlink_to(outside / "folder", target_is_directory=True)
    (root / "drafts").mkdir()
    (root / "drafts" / "draft.html").write_text("<p>A draft inside.</p>", encoding="utf-8")
    (articles / "inside.html").symlink_to(root / "drafts" / "draft.html")
    before = tree(outside)
    for command in (("extract",), ("publish",), ("status",)):
        result = cli_run(root, *command)
        assert result.exit_code == 0, result.output
        warnings = result.stderr.strip().splitlines()
        assert sorted(warnings) == [
            f"l10n: warning: articles/link.html: points outside the project "
            f"(to {outside / 'secret.html'}); skipped",
            f"l10n: warning: articles/linked: points outside the project "
            f"(to {outside / 'folder'}); skipped",
        ], command
    written = tree(root)
    assert not any(b"Secret" in t or b"More secrets" in t for t in written.values())
    assert "locales/es/link.po" not in written and "public/es/link.html" not in written
    # A link that stays inside the project is an article like any other.
    assert "public/es/inside.html" in written and "locales/es/inside.po" in written
    assert tree(outside) == before
    # Named on the command line it is refused, as before.
    assert "not inside" in error_line(cli_run(root, "extract", str(articles / "link.html")))


def test_a_glossary_linked_from_outside_the_project_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "terms.csv").write_text("en,es\ngood article,buen artículo\n", encoding="utf-8")
    root = new_project(tmp_path / "p")
    (root / "glossaries").mkdir()
    (root / "glossaries" / "terms.csv").symlink_to(outside / "terms.csv")
    (root / "glossaries" / "more").symlink_to(outside, target_is_directory=True)
    result = cli_run(root, "extract")
    assert result.exit_code == 0, result.output
    assert sorted(result.stderr.strip().splitlines()) == [
        f"l10n: warning: glossaries/more: points outside the project (to {outside}); skipped",
        f"l10n: warning: glossaries/terms.csv: points outside the project "
        f"(to {outside / 'terms.csv'}); skipped",
    ]
    assert "glossary:" not in (root / "locales" / "es" / "good.po").read_text(encoding="utf-8")
    lint = cli_run(root, "glossary", "lint")
    assert "glossaries/terms.csv: points outside the project" in lint.stderr
    assert "buen" not in lint.output


def test_a_catalog_linked_from_outside_is_not_used_as_translation_memory(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p")
    assert cli_run(root, "extract").exit_code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    leak = outside / "leak.po"
    leak.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "A good article."\nmsgstr "FROM OUTSIDE"\n',
        encoding="utf-8",
    )
    (root / "locales" / "es" / "leak.po").symlink_to(leak)
    for command in (("translate", "--engine", "pseudo"), ("check",)):
        result = cli_run(root, *command)
        assert result.exit_code == 0, result.output
        assert result.stderr.strip().splitlines() == [
            f"l10n: warning: locales/es/leak.po: points outside the project (to {leak}); skipped"
        ], command
    assert "FROM OUTSIDE" not in (root / "locales" / "es" / "good.po").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("folder", "command"),
    [("locales/es", "extract"), ("locales/templates", "extract"), ("public/es", "publish")],
)
def test_outputs_are_never_written_through_a_folder_linked_out_of_the_project(
    tmp_path: Path, folder: str, command: str
) -> None:
    root = new_project(tmp_path / "p")
    assert cli_run(root, "extract").exit_code == 0
    assert cli_run(root, "publish").exit_code == 0
    outside = tmp_path / "outside"
    (root / folder).rename(outside)  # what was there, now out of the project
    (root / folder).symlink_to(outside, target_is_directory=True)
    (root / "articles" / "good.html").write_text("<p>A changed article.</p>", encoding="utf-8")
    before, outside_before = tree(root), tree(outside)
    line = error_line(cli_run(root, command, "--force"))
    assert line.startswith(f"l10n: error: {folder}/good.")
    assert f"points outside the project (to {outside / 'good.'}" in line
    assert tree(outside) == outside_before
    after = tree(root)
    assert {p: after[p] for p in after if not p.startswith(".l10n/")} == {  # .l10n: caches
        p: before[p] for p in before if not p.startswith(".l10n/")
    }


def test_an_articles_subfolder_that_cannot_be_listed_is_reported_and_the_others_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = new_project(tmp_path / "p")
    locked = root / "articles" / "locked"
    locked.mkdir()
    (locked / "hidden.html").write_text("<p>Hidden words.</p>", encoding="utf-8")
    real = os.scandir

    # As chmod 000 does for anyone but root (the tests may run as root).
    def scandir(path: Any = ".") -> Any:
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = cli_run(root, "extract")
    assert error_line(result) == (
        "l10n: error: articles/locked: cannot list the folder: Permission denied"
    )
    assert (root / "locales" / "es" / "good.po").is_file()


@pytest.mark.parametrize("command", [["status"], ["extract"], ["publish"], ["check"]])
def test_a_tool_folder_linked_out_of_the_project_is_refused(
    tmp_path: Path, command: list[str]
) -> None:
    root = new_project(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / ".l10n").symlink_to(elsewhere, target_is_directory=True)
    before = tree(root)
    line = error_line(cli_run(root, *command))
    assert line == f"l10n: error: .l10n: points outside the project (to {elsewhere}); refused"
    assert list(elsewhere.iterdir()) == [] and tree(root) == before

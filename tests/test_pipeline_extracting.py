"""``l10n extract`` through the CLI: what its summary counts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner, Result

from l10n import catalog
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


def test_a_msgstr_saved_while_extract_merges_survives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A translator saves in Poedit after extract has read the PO and before it writes.
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (tmp_path / "articles").mkdir()
    article = tmp_path / "articles" / "a.html"
    article.write_text("<p>Kept text.</p><p>Old text.</p>", encoding="utf-8")
    run(tmp_path, "extract")
    po = tmp_path / "locales" / "es" / "a.po"
    article.write_text("<p>Kept text.</p><p>New text.</p>", encoding="utf-8")
    real = catalog.merge
    saved: list[str] = []

    def merge_then_translator_saves(*args: Any, **kwargs: Any) -> str:
        merged = real(*args, **kwargs)
        if not saved:
            text = po.read_text(encoding="utf-8").replace(
                'msgid "Kept text."\nmsgstr ""', 'msgid "Kept text."\nmsgstr "Texto guardado."'
            )
            po.write_text(text, encoding="utf-8")
            saved.append(text)
        return merged

    monkeypatch.setattr(catalog, "merge", merge_then_translator_saves)
    run(tmp_path, "-j", "1", "extract")
    entries = {e.msgid: e for e in polib.pofile(str(po)) if not e.obsolete}
    assert entries["Kept text."].msgstr == "Texto guardado."
    assert "New text." in entries and "Old text." not in entries
    # What the state records is what was written: nothing more to merge.
    assert "already up to date" in run(tmp_path, "extract").output


GOOD = [f"good{n}.html" for n in range(6)]


def bad_articles(articles: Path) -> dict[str, str]:
    """Article-named entries that cannot be extracted, each with what its error says."""
    (articles / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (articles / "empty.html").write_bytes(b"")
    (articles / "folder.html").mkdir()
    os.mkfifo(articles / "pipe.html")  # reading it would wait forever
    (articles / "broken.html").symlink_to(articles / "gone.html")
    return {
        "articles/broken.html": "No such file or directory",
        "articles/empty.html": "empty article",
        "articles/folder.html": "a folder, not a file",
        "articles/photo.html": "binary file",
        "articles/pipe.html": "not a regular file",
    }


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_articles_are_reported_one_line_each_and_the_others_are_extracted(
    tmp_path: Path, jobs: str
) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es", "fr"]\n', encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in GOOD:
        (articles / name).write_text(f"<p>Text of {name}.</p>", encoding="utf-8")
    bad = bad_articles(articles)
    for attempt in ("first", "again"):
        result = CliRunner().invoke(cli, ["-j", jobs, "-C", str(tmp_path), "extract"])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        lines = sorted(result.stderr.strip().splitlines())
        assert len(lines) == len(bad), lines
        for line, (path, why) in zip(lines, sorted(bad.items()), strict=True):
            assert line.startswith(f"l10n: error: {path}: ") and why in line, (attempt, line)
        made = snapshot(tmp_path / "locales")
        assert sorted(made) == sorted(
            f"{folder}/{name[:-5]}.{ext}"
            for name in GOOD
            for folder, ext in (("templates", "pot"), ("es", "po"), ("fr", "po"))
        )
        if attempt == "again":
            assert "18 file(s) already up to date" in result.output

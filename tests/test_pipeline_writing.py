"""Catalog writes: read-modify-write against the file as it is now, under the project's
write lock, and a clear one-line refusal when another command holds the lock."""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from l10n.cli import cli
from l10n.errors import CatalogError
from l10n.pipeline import load_project, writing


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es"]\n[translate]\nengine = "pseudo"\n', encoding="utf-8"
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text("<p>One.</p><p>Two.</p>", encoding="utf-8")
    assert CliRunner().invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    return tmp_path


@pytest.fixture
def held(project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The write lock held by another process (another open file description)."""
    monkeypatch.setattr(writing, "LOCK_TIMEOUT", 0.3)
    path = project / writing.LOCK_FILE
    path.parent.mkdir(exist_ok=True)
    with open(path, "a+b") as other:
        fcntl.flock(other, fcntl.LOCK_EX)
        yield


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".l10n" not in p.parts
    }


@pytest.mark.parametrize("command", [["translate"], ["extract", "--force"]])
def test_a_held_lock_is_one_line_exit_2_and_nothing_changes(
    project: Path, held: None, command: list[str]
) -> None:
    before = _files(project)
    if command[0] == "extract":  # something to write
        (project / "articles" / "a.html").write_text("<p>One.</p><p>Three.</p>", "utf-8")
        before = _files(project)
    result = CliRunner().invoke(cli, ["-C", str(project), "-j", "1", *command])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("l10n: error: another l10n command is writing ")
    assert lines[0].endswith("; try again")
    assert _files(project) == before


def test_the_lock_is_free_again_after_a_write(project: Path) -> None:
    loaded = load_project(project)
    rel = "locales/es/a.po"
    base = (project / rel).read_text(encoding="utf-8")
    first = writing.rewrite(loaded, rel, read=base, new=base + "\n# one\n", edit=lambda t: t)
    assert first is not None and first.written
    with open(project / writing.LOCK_FILE, "a+b") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # would raise if still held


def test_a_file_changed_since_it_was_read_is_edited_as_it_is_now(project: Path) -> None:
    loaded = load_project(project)
    rel = "locales/es/a.po"
    base = (project / rel).read_text(encoding="utf-8")
    (project / rel).write_text(base + "\n# saved by a translator\n", encoding="utf-8")
    seen: list[str | None] = []

    def edit(text: str | None) -> str:
        seen.append(text)
        return (text or "") + "# filled\n"

    done = writing.rewrite(loaded, rel, read=base, new=edit(base), edit=edit)
    assert seen == [base, base + "\n# saved by a translator\n"]
    on_disk = (project / rel).read_bytes()
    assert on_disk.endswith(b"# saved by a translator\n# filled\n")
    assert done is not None and done.written and done.text.encode("utf-8") == on_disk
    assert done.stamp.size == len(on_disk)


def test_an_edit_that_changes_nothing_writes_nothing(project: Path) -> None:
    loaded = load_project(project)
    rel = "locales/es/a.po"
    path = project / rel
    base = path.read_text(encoding="utf-8")
    mtime = path.stat().st_mtime_ns
    done = writing.rewrite(loaded, rel, read=base, new=base, edit=lambda text: text)
    assert done is not None and not done.written and path.stat().st_mtime_ns == mtime


def test_a_file_removed_meanwhile_stays_removed_when_the_edit_says_so(project: Path) -> None:
    loaded = load_project(project)
    rel = "locales/es/a.po"
    base = (project / rel).read_text(encoding="utf-8")
    (project / rel).unlink()
    done = writing.rewrite(
        loaded, rel, read=base, new=base + "x", edit=lambda t: None if t is None else t + "x"
    )
    assert done is None and not (project / rel).exists()


def test_an_unusable_lock_folder_is_a_catalog_error(project: Path) -> None:
    (project / ".l10n").rename(project / "state-elsewhere")
    (project / ".l10n").write_text("not a folder", encoding="utf-8")
    loaded = load_project(project)
    rel = "locales/es/a.po"
    base = (project / rel).read_text(encoding="utf-8")
    with pytest.raises(CatalogError, match="cannot take the write lock"):
        writing.rewrite(loaded, rel, read=base, new=base + "x", edit=lambda t: t)
    assert (project / rel).read_text(encoding="utf-8") == base


def test_a_catalog_with_a_byte_order_mark_keeps_it(project: Path) -> None:
    po = project / "locales" / "es" / "a.po"
    text = po.read_text(encoding="utf-8")
    po.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    loaded = load_project(project)
    new = text.replace('msgid "One."\nmsgstr ""', 'msgid "One."\nmsgstr "Uno."')
    saved = writing.rewrite(loaded, "locales/es/a.po", read=text, new=new, edit=lambda t: t)
    assert saved is not None and saved.written
    assert po.read_bytes() == b"\xef\xbb\xbf" + new.encode("utf-8")
    assert saved.stamp.sha == hashlib.sha256(po.read_bytes()).hexdigest()

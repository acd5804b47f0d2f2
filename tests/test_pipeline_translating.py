"""translate writes against the catalog as it is on disk when it writes: what extract merged
and what a translator saved while the engine was busy are kept, and the state record
describes the bytes translate really wrote."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from db_faults import read_only
from mt_server import FakeMT, serve, wait_until

from l10n.cli import cli
from l10n.pipeline.state import STATE_REL

REPO = Path(__file__).resolve().parent.parent
PARAGRAPHS = ["<p>First paragraph.</p>", "<p>Second paragraph.</p>", "<p>Third paragraph.</p>"]


def _page(paragraphs: list[str]) -> str:
    return "<html><body>" + "".join(paragraphs) + "</body></html>"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es"]\n[translate]\nengine = "libre"\nbatch_size = 50\n'
        "timeout = 30\nbackoff = 0.01\nretries = 0\nconcurrency = 1\n",
        encoding="utf-8",
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text(_page(PARAGRAPHS), encoding="utf-8")
    assert CliRunner().invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    return tmp_path


def _po(project: Path) -> Path:
    return project / "locales" / "es" / "a.po"


def _extract(project: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["-C", str(project), "extract", *extra])
    assert result.exit_code == 0, result.output
    return result.output


@contextmanager
def _translating(project: Path) -> Iterator[FakeMT]:
    """`l10n translate` in its own process, held at its engine request for the block."""
    with serve() as mt:
        mt.hold()
        run = subprocess.Popen(
            [sys.executable, "-m", "l10n", "-C", str(project), "translate", "--endpoint", mt.url],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert wait_until(lambda: mt.count() >= 1, timeout=30)
            yield mt
        finally:
            mt.release()
            _, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    assert "Traceback" not in err


def test_a_paragraph_extract_merges_while_translate_waits_stays(project: Path) -> None:
    article = project / "articles" / "a.html"
    with _translating(project):
        article.write_text(_page([*PARAGRAPHS, "<p>Late news.</p>"]), encoding="utf-8")
        _extract(project)
        assert "Late news." in _po(project).read_text(encoding="utf-8")
    entries = {e.msgid: e for e in polib.pofile(str(_po(project))) if not e.obsolete}
    assert "Late news." in entries and entries["Late news."].msgstr == ""
    # The machine fills still land on the entries translate was sent.
    assert entries["First paragraph."].msgstr == "FIRST PARAGRAPH."
    assert all(entries[m].fuzzy for m in ("First paragraph.", "Third paragraph."))
    # The record describes what is on disk: the next extract has nothing to merge, and
    # a forced one finds the catalog exactly as a merge of the current page makes it.
    after = _po(project).read_bytes()
    assert "already up to date" in _extract(project)
    _extract(project, "--force")
    assert _po(project).read_bytes() == after


def _block(text: str, msgid: str) -> str:
    """The entry of ``msgid`` as it stands in the file (comments to msgstr)."""
    return next(b for b in text.split("\n\n") if f'msgid "{msgid}"' in b)


def test_translator_edits_saved_while_translate_waits_stay(project: Path) -> None:
    po = _po(project)
    with _translating(project):
        text = po.read_text(encoding="utf-8")
        first = _block(text, "First paragraph.")
        edited = "# checked by Ana\n" + first.replace('msgstr ""', 'msgstr "Primer párrafo."')
        second = _block(text, "Second paragraph.")
        commented = "# ask the desk\n" + second
        text = text.replace(first, edited).replace(second, commented)
        po.write_text(text, encoding="utf-8")
    now = po.read_text(encoding="utf-8")
    assert _block(now, "First paragraph.") == edited  # byte for byte
    entries = {e.msgid: e for e in polib.pofile(str(po))}
    # The untouched entries, and the one that only gained a comment, get the engine's fill.
    assert entries["Third paragraph."].msgstr == "THIRD PARAGRAPH."
    assert entries["Second paragraph."].msgstr == "SECOND PARAGRAPH."
    assert "ask the desk" in entries["Second paragraph."].tcomment
    _extract(project)
    assert _block(po.read_text(encoding="utf-8"), "First paragraph.") == edited


def test_the_runs_own_error_is_reported_not_the_state_it_could_not_record(
    project: Path,
) -> None:
    with serve() as mt:
        mt.script(403, times=100)
        with read_only(project / STATE_REL):
            result = CliRunner().invoke(
                cli, ["-C", str(project), "translate", "--endpoint", mt.url]
            )
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "403" in result.stderr or "rejected" in result.stderr, result.stderr
    assert "read-only" not in result.stderr

"""A command killed at any moment (kill -9: no cleanup runs) leaves every project file
complete, the old one or the new one, and the next run finishes the job."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib

REPO = Path(__file__).resolve().parent.parent
KILLS = 9


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "l10n.toml").write_text(
        'languages = ["es", "fr"]\n[translate]\nengine = "pseudo"\n', encoding="utf-8"
    )
    shutil.copytree(REPO / "articles", root / "articles")
    shutil.copytree(REPO / "glossaries", root / "glossaries")
    return root


def _run(root: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "l10n", "-C", str(root), *args],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and ".l10n" not in p.parts]


def _complete(root: Path) -> None:
    """Every catalog parses and every page ends where a page ends."""
    for path in _files(root):
        assert ".tmp" not in path.name, f"left behind: {path}"
        if path.suffix in {".po", ".pot"}:
            polib.pofile(path.read_text(encoding="utf-8"))
            done = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], check=False)
            assert done.returncode == 0, path
        elif path.suffix == ".html" and "public" in path.parts:
            assert path.read_bytes().rstrip().endswith(b"</html>"), path


def test_kill_9_at_random_moments_leaves_every_file_whole(tmp_path: Path) -> None:
    root = _project(tmp_path)
    steps = [
        ("extract", "--force"),
        ("translate", "--refresh-fuzzy"),
        ("publish", "--force", "--allow-fuzzy", "--allow-pseudo", "--ignore-check"),
    ]
    # How long each step takes when left alone, so the kills land inside it.
    lengths = []
    for step in steps:
        started = time.perf_counter()
        assert _run(root, *step).wait(timeout=120) == 0, step
        lengths.append(time.perf_counter() - started)
    chance = random.Random(20261203)
    for n in range(KILLS):
        step = n % len(steps)
        process = _run(root, *steps[step])
        time.sleep(chance.uniform(0.3, 1.0) * lengths[step])
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        _complete(root)
    for step in steps:  # the next runs repair whatever was cut short
        assert _run(root, *step).wait(timeout=120) == 0, step
    _complete(root)
    pages = list((root / "public").rglob("*.html"))
    assert len(pages) == 2 * len(list((root / "articles").rglob("*.html")))

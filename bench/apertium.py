"""Apertium through ``l10n translate``: entries, words, start-ups, seconds, words/s.

    python bench/apertium.py                     # this checkout, best of 3
    python bench/apertium.py --peer 6d6722b      # and the l10n of that git revision
    python bench/apertium.py --jobs 1 --repeat 5

Builds a project in a temporary folder from the English pages of ``../shared/corpus/dev/``
(``INDEX.tsv`` language ``en``; third-party content beside the checkout, never copied
into this repository) with ``languages = ["es"]`` and ``[translate] engine =
"apertium"``, and runs ``l10n extract`` once (not timed).  Each timed run restores the
extracted project (no cache, nothing translated) and runs ``python -m l10n -C … -j N
translate`` as a subprocess: the wall time includes Python's start-up, reading and
writing every PO file and every Apertium start.

Columns: **entries** and **words** are the untranslated entries of the catalogs before
the run and the whitespace-separated words of their msgids (placeholders left out);
**start-ups** are the Apertium pipelines started during the run (processes running the
pair's analyser, counted in ``/proc`` every 20 ms: the run's data folder is a link of
its own, so other Apertium processes on the machine are not counted); **seconds** is
the best run's wall time; **words/s** is words over seconds.

``--peer REV`` times the ``l10n`` package of git revision REV (``git archive`` into a
temporary folder) on the same project in turn, e.g. the revision before the persistent
pipeline, which started one Apertium process per batch.  The machine's load average is
printed before and after: other work on the machine changes the figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import polib

from l10n.html import placeholders as ph
from l10n.translate.apertium import ApertiumTranslator

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
TARGET_WORDS_PER_SECOND = 5000


@dataclass(frozen=True, kw_only=True)
class Row:
    label: str
    entries: int
    words: int
    startups: int
    seconds: float
    runs: tuple[float, ...]
    exit_status: int


class Startups(threading.Thread):
    """Processes running the pair's analyser from ``marker``, while the watch runs."""

    def __init__(self, marker: Path) -> None:
        super().__init__(daemon=True)
        self.marker = str(marker).encode()
        self.pids: set[int] = set()
        self.others: set[int] = set()  # processes that run something else
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit() or int(entry.name) in self.others:
                    continue
                try:
                    with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                        command = handle.read()
                except OSError:
                    continue
                if self.marker in command and b"automorf" in command:
                    self.pids.add(int(entry.name))
                elif command and b"python" not in command:
                    # (a Python process may be a fork about to run Apertium: look again)
                    self.others.add(int(entry.name))
            time.sleep(0.02)


def english_pages(corpus: Path) -> list[Path]:
    with (corpus / "INDEX.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [corpus / r["file"] for r in rows if r["language"].strip().lower() == "en"]


def make_project(folder: Path, pages: list[Path]) -> Path:
    """The extracted project, and a data folder for Apertium naming this run's link."""
    project = folder / "project"
    (project / "articles").mkdir(parents=True)
    for page in pages:
        shutil.copy(page, project / "articles" / page.name)
    (project / "l10n.toml").write_text(
        'source_language = "en"\nlanguages = ["es"]\n\n[translate]\nengine = "apertium"\n',
        encoding="utf-8",
    )
    cli(ROOT, project, "extract")
    real = ApertiumTranslator().datadir()
    assert real is not None
    link = folder / "apertium-data-of-this-benchmark"
    link.symlink_to(real)
    (folder / "data" / "modes").mkdir(parents=True)
    for mode in (real / "modes").glob("*.mode"):
        text = mode.read_text(encoding="utf-8").replace(str(real), str(link))
        (folder / "data" / "modes" / mode.name).write_text(text, encoding="utf-8")
    return project


def cli(code: Path, project: Path, *args: str, env: dict[str, str] | None = None) -> int:
    """``python -m l10n`` with the l10n package found in ``code``."""
    environ = dict(env or os.environ)
    environ["PYTHONPATH"] = str(code)
    done = subprocess.run(
        [sys.executable, "-m", "l10n", "-C", str(project), *args],
        cwd=code,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr)
    return done.returncode


def untranslated(project: Path) -> tuple[int, int]:
    entries = words = 0
    for po in sorted((project / "locales" / "es").rglob("*.po")):
        for entry in polib.pofile(str(po)):
            if not entry.obsolete and not entry.msgstr:
                entries += 1
                words += len(ph.strip(entry.msgid).split())
    return entries, words


def timed(label: str, code: Path, folder: Path, jobs: int, repeat: int) -> Row:
    pristine = folder / "project"
    env = dict(os.environ, APERTIUM_DATADIR=str(folder / "data"))
    entries, words = untranslated(pristine)
    runs: list[float] = []
    startups = status = 0
    for n in range(repeat):
        work = folder / f"run-{label.split()[0]}-{n}"
        shutil.copytree(pristine, work, symlinks=True)
        watch = Startups(folder / "apertium-data-of-this-benchmark")
        watch.start()
        start = time.perf_counter()
        status = cli(code, work, "-j", str(jobs), "translate", env=env)
        seconds = time.perf_counter() - start
        watch.stop.set()
        watch.join()
        if not runs or seconds < min(runs):
            startups = len(watch.pids)
        runs.append(seconds)
        shutil.rmtree(work)
    return Row(
        label=label,
        entries=entries,
        words=words,
        startups=startups,
        seconds=min(runs),
        runs=tuple(runs),
        exit_status=status,
    )


def peer_code(revision: str, folder: Path) -> Path:
    target = folder / f"peer-{revision}"
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "l10n"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--peer", metavar="REV", help="also time l10n at this git revision")
    args = parser.parse_args(argv)

    if not ApertiumTranslator().supports("en", "es"):
        print("apertium with the en→es pair is not installed (apt-get install apertium "
              "apertium-eng-spa)", file=sys.stderr)  # fmt: skip
        return 2
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    pages = english_pages(args.corpus)
    version = subprocess.run(["apertium", "-V"], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="l10n-bench-apertium-") as tmp:
        folder = Path(tmp)
        make_project(folder, pages)
        load = os.getloadavg()
        print(
            f"{len(pages)} English pages → es; {version or 'apertium'}; {os.cpu_count()} CPUs, "
            f"-j {args.jobs}, best of {args.repeat}; load average before: "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
        rows = [timed("this checkout", ROOT, folder, args.jobs, args.repeat)]
        if args.peer:
            code = peer_code(args.peer, folder)
            rows.append(timed(f"{args.peer} (peer)", code, folder, args.jobs, args.repeat))
        load = os.getloadavg()
    print()
    print("| l10n | entries | words | start-ups | seconds | words/s | all runs (s) | exit |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for row in rows:
        runs = " ".join(f"{s:.2f}" for s in row.runs)
        print(
            f"| {row.label} | {row.entries:,} | {row.words:,} | {row.startups} | "
            f"{row.seconds:.2f} | {row.words / row.seconds:,.0f} | {runs} | {row.exit_status} |"
        )
    print()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    rate = rows[0].words / rows[0].seconds
    verdict = "meets" if rate >= TARGET_WORDS_PER_SECOND else "misses"
    print(f"this checkout: {rate:,.0f} words/s, {verdict} the {TARGET_WORDS_PER_SECOND:,} target")
    return 0


if __name__ == "__main__":
    sys.exit(main())

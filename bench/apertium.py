"""Apertium throughput: words per second machine-translating the corpus's msgids.

    python bench/apertium.py                    # default settings, best of 3
    python bench/apertium.py --sweep            # chunk sizes × worker counts, per page too
    python bench/apertium.py --chunk-chars 200000 --workers 2 --repeat 5

Reads the English pages of ``../shared/corpus/dev/`` (``INDEX.tsv`` language ``en``;
third-party content beside the checkout, never copied into this repository), segments
each with ``l10n.html.segment`` and keeps its distinct msgids, as its POT would.  Before
the clock starts: segmentation and one warm-up call (so the pair's files are in the page
cache).  Timed: ``ApertiumTranslator.translate`` from English to Spanish, either over
every page's msgids in one call (split into processes of ``--chunk-chars`` characters,
``--workers`` at a time) or, with ``per page``, one call per page as ``l10n translate``
makes for one article.

Words are whitespace-separated tokens of the msgids without placeholders.  ``failures``
counts messages the engine handed back untranslated because their placeholders could
not be kept exactly (it should be 0).  The target is 3,000 words/s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from l10n import html as html_stage
from l10n.html import placeholders as ph
from l10n.translate.apertium import ApertiumTranslator

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
SOURCE, TARGET = "en", "es"
TARGET_WORDS_PER_SECOND = 3000


@dataclass(frozen=True)
class Run:
    label: str
    chunk_chars: int
    workers: int
    per_page: bool


def english_pages(corpus: Path) -> list[Path]:
    with (corpus / "INDEX.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [corpus / r["file"] for r in rows if r["language"].strip().lower() == SOURCE]


def page_messages(path: Path) -> list[str]:
    doc = html_stage.segment(path.read_bytes())
    return list(dict.fromkeys(s.msgid for s in doc.segments))


def words(messages: list[str]) -> int:
    return sum(len(ph.strip(m).split()) for m in messages)


def timed(run: Run, pages: list[list[str]], repeat: int) -> tuple[float, int, int]:
    """Best seconds, processes started and failures for one setting."""
    engine = ApertiumTranslator(chunk_chars=run.chunk_chars, workers=run.workers)
    batches = pages if run.per_page else [[m for page in pages for m in page]]
    best = float("inf")
    processes = failures = 0
    real = subprocess.run
    for _ in range(repeat):
        calls = 0

        def counting(*args: object, **kwargs: object) -> object:
            nonlocal calls
            calls += 1
            return real(*args, **kwargs)  # type: ignore[call-overload]

        subprocess.run = counting  # type: ignore[assignment]
        try:
            start = time.perf_counter()
            failed = 0
            for batch in batches:
                engine.translate(batch, source=SOURCE, target=TARGET)
                failed += len(engine.failures)
            seconds = time.perf_counter() - start
        finally:
            subprocess.run = real
        if seconds < best:
            best, processes, failures = seconds, calls, failed
    return best, processes, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk-chars", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--sweep", action="store_true", help="try several settings")
    args = parser.parse_args(argv)

    default = ApertiumTranslator()
    if not default.supports(SOURCE, TARGET):
        print(
            "apertium with the en→es pair is not installed (apt-get install apertium "
            "apertium-eng-spa)",
            file=sys.stderr,
        )
        return 2
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2

    paths = english_pages(args.corpus)
    pages = [page_messages(p) for p in paths]
    messages = [m for page in pages for m in page]
    total_words = words(messages)
    chars = sum(len(m) for m in messages)
    version = subprocess.run(["apertium", "-V"], capture_output=True, text=True).stdout.strip()
    print(
        f"{len(paths)} English pages, {len(messages)} msgids, {total_words:,} words, "
        f"{chars:,} characters; {version or 'apertium'}, Python {platform.python_version()}, "
        f"best of {args.repeat}"
    )
    default.translate(messages[:50], source=SOURCE, target=TARGET)  # warm-up

    chunk = args.chunk_chars or default.chunk_chars
    workers = args.workers or default.workers
    if args.sweep:
        runs = [
            Run(f"one call, {c // 1000}k chars/process, {w} worker{'s' * (w > 1)}", c, w, False)
            for c in (25_000, 50_000, 100_000, 200_000, 1_000_000)
            for w in (1, 2)
        ]
        runs.append(Run(f"per page, defaults ({chunk // 1000}k, {workers})", chunk, workers, True))
    else:
        label = f"one call, {chunk // 1000}k chars/process, {workers} worker{'s' * (workers > 1)}"
        runs = [
            Run(label, chunk, workers, False),
            Run("per page, same settings", chunk, workers, True),
        ]

    print()
    print("| setting | processes | seconds | words/s | failures |")
    print("|---|---:|---:|---:|---:|")
    best_rate = 0.0
    for run in runs:
        seconds, processes, failures = timed(run, pages, args.repeat)
        rate = total_words / seconds
        best_rate = max(best_rate, rate) if not run.per_page else best_rate
        print(f"| {run.label} | {processes} | {seconds:.2f} | {rate:,.0f} | {failures} |")
        sys.stdout.flush()
    print()
    print(f"words: {total_words:,}")
    verdict = "meets" if best_rate >= TARGET_WORDS_PER_SECOND else "misses"
    target = f"{TARGET_WORDS_PER_SECOND:,}"
    print(f"best words/s (one call): {best_rate:,.0f} — {verdict} the {target} target")
    return 0


if __name__ == "__main__":
    sys.exit(main())

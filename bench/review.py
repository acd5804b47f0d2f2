"""Review benchmark: what ``l10n review`` spends on a large project, before any browser.

    python bench/review.py [--articles N] [--jobs N] [--keep DIR]

Builds an archive of N articles × 4 languages from the corpus pages (``bench/archive.py``),
runs ``l10n extract`` and ``l10n translate --engine pseudo`` on it through the CLI, and
then times, in this process, the calls the review server makes:

* ``review_index``: the first page (cold: the gate's facts of every catalog computed and
  cached in ``.l10n/state.sqlite3``), again (warm), page 5 sorted by untranslated
  entries, one language filtered by a query;
* ``review_article`` of the largest corpus page, in Arabic (segmenting it from the
  cache extract left, rendering the page twice — translated and source — with markers,
  checking every entry), and ``review_save`` of one of its entries (a draft, then its
  approval) — each the median of 5 runs.

The browser's own time (first render of the article frame) is not measured here.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import archive

from l10n import pipeline
from l10n.pipeline import reviewing


def timed(call: Callable[[], object], runs: int = 1) -> tuple[float, object]:
    seconds = []
    result: object = None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def cli(project: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "l10n", "-C", str(project), *args],
        check=False,
        stdout=subprocess.DEVNULL,
        cwd=archive.REPO,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args(argv)
    if not archive.CORPUS.is_dir():
        print(f"corpus not found at {archive.CORPUS}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        project = args.keep or Path(tmp) / "archive"
        project.mkdir(parents=True, exist_ok=True)
        sources = archive.read_sources(archive.CORPUS)
        articles = archive.build_archive(project, sources, args.articles)
        start = time.perf_counter()
        cli(project, "-j", str(args.jobs), "extract")
        cli(project, "-j", str(args.jobs), "translate", "--engine", "pseudo")
        setup = time.perf_counter() - start
        loaded = pipeline.load_project(project)
        rows: list[tuple[str, float]] = []
        cold, _ = timed(lambda: reviewing.review_index(loaded, jobs=args.jobs))
        rows.append(("review_index, page 1 (cold: facts of every catalog)", cold))
        warm, _ = timed(lambda: reviewing.review_index(loaded), runs=5)
        rows.append(("review_index, page 1 (warm)", warm))
        paged, _ = timed(lambda: reviewing.review_index(loaded, page=5, sort="-untranslated"), 5)
        rows.append(("review_index, page 5 by untranslated", paged))
        query, _ = timed(lambda: reviewing.review_index(loaded, lang="ar", query="guardian"), 5)
        rows.append(("review_index, ar, query", query))
        largest = max(articles, key=lambda a: (project / "articles" / a.rel).stat().st_size)
        size = (project / "articles" / largest.rel).stat().st_size
        view_time, view = timed(lambda: reviewing.review_article(loaded, largest.rel, "ar"), 5)
        assert isinstance(view, reviewing.ArticleView)
        rows.append((f"review_article, {size / 1e6:.2f} MB page, ar", view_time))
        target = next(e for e in view.entries if e.kind == "text" and e.msgstr)
        state = {"version": view.version, "original": target.msgstr}

        def save(approve: bool) -> object:
            result = reviewing.review_save(
                loaded,
                largest.rel,
                "ar",
                target.id,
                target.msgstr + " ",
                approve=approve,
                version=state["version"],
                original=state["original"],
            )
            state["version"], state["original"] = result.version, target.msgstr + " "
            return result

        draft, _ = timed(lambda: save(False))
        rows.append(("review_save, draft", draft))
        approve, _ = timed(lambda: save(True))
        rows.append(("review_save, approve", approve))
    print(f"{args.articles} articles × 4 languages; extract + translate took {setup:.1f} s")
    print(f"{view_time and len(view.entries)} entries on the largest page")
    for name, seconds in rows:
        print(f"{name:<58} {seconds * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

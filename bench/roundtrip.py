"""Round-trip benchmark over the shared corpus: l10n vs the lxml floor vs Translate Toolkit.

    python bench/roundtrip.py [--pages N] [--repeat K] [--corpus DIR]

Every tool runs in this one process on the same page bytes, already in memory: nothing
is read from or written to disk while the clock runs, and nothing needs the network.
Each timed stage is the best of K runs (``time.perf_counter``); peak memory comes from a
separate, untimed run under ``tracemalloc`` (Python allocations only: memory libxml2
allocates in C is not seen, so the lxml row understates its peak).

What is timed:

* l10n extract: ``segment`` + ``messages_from_segments`` + ``render_template`` + ``merge``
  into a new PO for one language, + ``segments.pack`` (the segments extract keeps for
  publish in ``.l10n/segments/``).  l10n publish: ``segments.unpack`` of what extract
  kept (decompress, parse and check the JSON, decode the page bytes again), as ``l10n
  publish`` does after ``l10n extract`` + ``catalog.translations`` of an identity-translated PO
  (msgstr = msgid, prepared untimed) + ``html.publish``.  ``--resegment`` makes publish
  segment the page again instead, as it does when there is no kept copy.
* lxml floor: ``lxml.html.document_fromstring`` + ``lxml.html.tostring``.
* Translate Toolkit: ``html2po.converthtml`` (PO bytes) and ``po2html.converthtml`` of
  an identity-translated copy of that PO (prepared untimed) with the page as template.

"Round trip" counts pages whose output equals the source byte for byte outside the root
``<html>`` start tag (l10n sets ``lang`` there); the same comparison applies to every tool.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.metadata
import io
import logging
import platform
import re
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import polib

from l10n import catalog
from l10n import html as html_stage
from l10n.pipeline import segments

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"
LANGUAGE = "es"
SOURCE_LANGUAGE = "en"
FIXED_DATE = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Page:
    name: str
    data: bytes


@dataclass
class Stage:
    """One timed step of a tool: a function applied to each page in turn."""

    label: str
    run: Callable[[Page], object]
    pages: Sequence[Page]
    best: float = 0.0
    per_page: dict[str, float] = field(default_factory=dict)  # of the best run
    failures: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    tool: str
    stages: list[Stage]
    pages: int
    bytes: int
    peak_mb: float = 0.0
    reproduced: int | None = None
    compared: int = 0
    failed: int = 0
    note: str = ""

    @property
    def seconds(self) -> float:
        return sum(s.best for s in self.stages)

    def seconds_on(self, names: set[str]) -> float:
        return sum(t for s in self.stages for n, t in s.per_page.items() if n in names)


# --- identity comparison ------------------------------------------------------------------

# The root tag is the first <html …> outside comments (IE conditional comments hold decoys).
_COMMENT_OR_ROOT = re.compile(rb"<!--(?:>|->|.*?-->)|(<html\b[^>]*>)", re.IGNORECASE | re.DOTALL)


def _without_root_tag(data: bytes) -> bytes:
    for m in _COMMENT_OR_ROOT.finditer(data):
        if m.group(1):
            return data[: m.start(1)] + data[m.end(1) :]
    return data


def same_page(source: bytes, output: bytes) -> bool:
    return _without_root_tag(source) == _without_root_tag(output)


# --- l10n ---------------------------------------------------------------------------------


KEPT: dict[str, bytes] = {}  # what extract keeps for publish, by page name
KEY = "bench"


def l10n_extract(page: Page) -> str:
    doc = html_stage.segment(page.data)
    messages = catalog.messages_from_segments(f"articles/{page.name}", doc.segments)
    pot = catalog.render_template(messages, creation_date=FIXED_DATE)
    KEPT[page.name] = segments.pack(KEY, doc)
    return catalog.merge(
        pot, None, language=LANGUAGE, source_language=SOURCE_LANGUAGE, file=f"{page.name}.po"
    )


def identity_po(text: str) -> str:
    po = polib.pofile(text, wrapwidth=78)
    for entry in po:
        entry.msgstr = entry.msgid
    return str(po)


def l10n_publish(page: Page, po_text: str, resegment: bool = False) -> bytes:
    kept = None if resegment else segments.unpack(KEPT[page.name], KEY, page.data)
    doc = kept or html_stage.segment(page.data)
    entries = catalog.translations(po_text, file=f"{page.name}.po")
    usable = {t.msgid: t.msgstr for t in entries if t.msgstr and not t.fuzzy}
    return html_stage.publish(
        doc, usable, language=LANGUAGE, source_language=SOURCE_LANGUAGE, direction="ltr"
    ).data


def l10n_tool(
    pages: Sequence[Page], resegment: bool = False
) -> tuple[list[Stage], Callable[[Page], bytes | None]]:
    filled = {p.name: identity_po(l10n_extract(p)) for p in pages}

    def publish(p: Page) -> bytes:
        return l10n_publish(p, filled[p.name], resegment)

    stages = [Stage("extract", l10n_extract, pages), Stage("publish", publish, pages)]
    return stages, publish


# --- lxml floor ---------------------------------------------------------------------------


def lxml_round_trip(page: Page) -> bytes:
    return bytes(lxml.html.tostring(lxml.html.document_fromstring(page.data)))


def lxml_tool(pages: Sequence[Page]) -> tuple[list[Stage], Callable[[Page], bytes | None]]:
    return [Stage("parse+serialize", lxml_round_trip, pages)], lxml_round_trip


# --- Translate Toolkit --------------------------------------------------------------------


def tt_available() -> bool:
    try:
        importlib.metadata.version("translate-toolkit")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def tt_extract(page: Page) -> bytes:
    from translate.convert import html2po

    out = io.BytesIO()
    html2po.converthtml(io.BytesIO(page.data), out, None, pot=False)
    return out.getvalue()


def tt_identity(po_bytes: bytes) -> bytes:
    from translate.storage import po

    store = po.pofile(io.BytesIO(po_bytes))
    for unit in store.units:
        if not unit.isheader():
            unit.target = unit.source
    return bytes(store)


def tt_publish(page: Page, po_bytes: bytes) -> bytes:
    from translate.convert import po2html

    out = io.BytesIO()
    po2html.converthtml(io.BytesIO(po_bytes), out, io.BytesIO(page.data))
    return out.getvalue()


def tt_tool(pages: Sequence[Page]) -> tuple[list[Stage], Callable[[Page], bytes | None]]:
    filled: dict[str, bytes] = {}
    for page in pages:
        try:
            filled[page.name] = tt_identity(tt_extract(page))
        except Exception:  # html2po rejects the page; counted by the extract stage
            continue
    accepted = [p for p in pages if p.name in filled]
    stages = [
        Stage("extract", tt_extract, pages),
        Stage("publish", lambda p: tt_publish(p, filled[p.name]), accepted),
    ]
    return stages, lambda p: tt_publish(p, filled[p.name]) if p.name in filled else None


# --- measuring ----------------------------------------------------------------------------


def time_stage(stage: Stage, repeat: int) -> None:
    best: float | None = None
    for _ in range(repeat):
        gc.collect()
        per_page: dict[str, float] = {}
        failures: dict[str, str] = {}
        for page in stage.pages:
            start = time.perf_counter()
            try:
                stage.run(page)
            except Exception as exc:
                failures[page.name] = f"{type(exc).__name__}: {exc}"
            per_page[page.name] = time.perf_counter() - start
        total = sum(per_page.values())
        if best is None or total < best:
            best, stage.per_page, stage.failures = total, per_page, failures
    stage.best = best or 0.0


def peak_memory(stages: Sequence[Stage]) -> float:
    """Peak traced Python memory, in MB, of one pass over every stage (outputs dropped)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        for stage in stages:
            for page in stage.pages:
                with contextlib.suppress(Exception):
                    stage.run(page)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(
    tool: str,
    build: Callable[[Sequence[Page]], tuple[list[Stage], Callable[[Page], bytes | None]]],
    pages: Sequence[Page],
    repeat: int,
    note: str = "",
) -> Result:
    stages, output = build(pages)
    result = Result(tool, stages, len(pages), sum(len(p.data) for p in pages), note=note)
    for stage in stages:
        time_stage(stage, repeat)
    result.peak_mb = peak_memory(stages)
    result.failed = len(stages[0].failures)
    reproduced = 0
    for page in pages:
        data = output(page)
        if data is None:
            continue
        result.compared += 1
        reproduced += same_page(page.data, data)
    result.reproduced = reproduced
    return result


# --- report -------------------------------------------------------------------------------


def report(results: Sequence[Result], pages: Sequence[Page], repeat: int) -> None:
    total_mb = sum(len(p.data) for p in pages) / 1e6
    print(
        f"{len(pages)} pages, {total_mb:.2f} MB; best of {repeat} runs; Python "
        f"{platform.python_version()}, lxml {lxml.__version__}"
        + (
            f", translate-toolkit {importlib.metadata.version('translate-toolkit')}"
            if tt_available()
            else ""
        )
    )
    print()
    by_tool = {r.tool: r for r in results}
    l10n, floor, tt = by_tool.get("l10n"), by_tool.get("lxml floor"), by_tool.get("translate")
    header = (
        f"{'tool':<12} {'stage':<16} {'seconds':>8} {'pages/s':>8} {'MB/s':>7} "
        f"{'peak MB':>8} {'failed':>7} {'round trip':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        for stage in r.stages:
            mb = sum(len(p.data) for p in stage.pages) / 1e6
            print(
                f"{r.tool:<12} {stage.label:<16} {stage.best:>8.3f} "
                f"{len(stage.pages) / stage.best:>8.1f} {mb / stage.best:>7.2f}"
            )
        shown = f"{r.reproduced}/{r.compared}" if r.reproduced is not None else "-"
        print(
            f"{r.tool:<12} {'total':<16} {r.seconds:>8.3f} {r.pages / r.seconds:>8.1f} "
            f"{r.bytes / 1e6 / r.seconds:>7.2f} {r.peak_mb:>8.1f} {r.failed:>7} {shown:>11}"
        )
        print("-" * len(header))
    print()
    if l10n and floor:
        print(f"l10n vs lxml floor: {l10n.seconds / floor.seconds:.1f}x the floor's time")
    if l10n and tt:
        print(f"l10n vs Translate Toolkit: {tt.seconds / l10n.seconds:.1f}x faster (all pages)")
        both = {n for n in tt.stages[1].per_page}
        if both:
            ratio = tt.seconds_on(both) / l10n.seconds_on(both)
            print(
                f"  on the {len(both)} pages html2po accepts: "
                f"{tt.seconds_on(both):.3f} s vs {l10n.seconds_on(both):.3f} s, "
                f"{ratio:.1f}x faster"
            )
        failures = tt.stages[0].failures
        if failures:
            print(f"  html2po failed on {len(failures)} pages:")
            for name, why in sorted(failures.items()):
                print(f"    {name}: {why[:100]}")
    print()
    print(
        "round trip: output equal to the source byte for byte outside the root <html> tag, "
        "after an identity translation (msgstr = msgid)."
    )
    print("peak MB: tracemalloc (Python allocations; libxml2's C allocations are not seen).")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (best is kept)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"default: {CORPUS}")
    parser.add_argument(
        "--resegment", action="store_true", help="publish segments again (no kept copy)"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    paths = sorted(args.corpus.glob("*.html")) if args.corpus.is_dir() else []
    if not paths:
        print(f"no pages found in {args.corpus}", file=sys.stderr)
        return 2
    pages = [Page(p.name, p.read_bytes()) for p in paths[: args.pages]]

    logging.disable(logging.CRITICAL)  # Translate Toolkit logs every odd tag
    warnings.simplefilter("ignore")
    results = [
        measure("l10n", lambda p: l10n_tool(p, args.resegment), pages, args.repeat),
        measure("lxml floor", lxml_tool, pages, args.repeat),
    ]
    if tt_available():
        results.append(measure("translate", tt_tool, pages, args.repeat))
    else:
        print("translate-toolkit is not installed: pip install -e '.[bench]'", file=sys.stderr)
    report(results, pages, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())

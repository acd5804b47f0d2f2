"""Review benchmark in the browser: how long the article view of the largest corpus page
takes to appear in Chromium, and how long a save takes until the page shows it.

    python bench/review_browser.py [--corpus DIR] [--page NAME] [--lang L] [--runs N] [--keep DIR]

A project with the largest page of the corpus (``../shared/corpus/dev``) as its one
article is made in a temporary folder (or ``--keep DIR``); ``l10n extract`` and
``l10n translate --engine pseudo`` run on it through the CLI, so every entry has a draft.
Then the real review server (uvicorn on 127.0.0.1) and headless Chromium (Debian's
``/usr/bin/chromium``, through Playwright) measure, N times each:

* first render: from navigating to the article view until its page frame is loaded and
  every segment is marked (``body[data-ready]``), split into the server's
  ``/api/article`` time (seen from the browser) and the rest;
* save: from Ctrl+S on one segment until the page has been reloaded from the server with
  the saved text (the message says so).

Figures are printed; nothing is asserted.  See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from l10n.pipeline.project import load_project
from l10n.review.server import ReviewServer

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev"


def build(folder: Path, page: Path, lang: str) -> str:
    (folder / "articles").mkdir(parents=True)
    rel = page.name
    shutil.copy2(page, folder / "articles" / rel)
    shutil.copytree(REPO / "glossaries", folder / "glossaries")
    (folder / "l10n.toml").write_text(
        f'source_language = "en"\nlanguages = ["{lang}"]\n', encoding="utf-8"
    )
    for step in (["extract"], ["translate", "--engine", "pseudo"]):
        subprocess.run(
            [sys.executable, "-m", "l10n", "-C", str(folder), *step],
            check=False,
            capture_output=True,
            cwd=REPO,
        )
    return rel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--lang", default="ar")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--page", default=None, help="a page of the corpus (default: largest)")
    args = parser.parse_args()
    pages = sorted(args.corpus.glob("*.htm*"), key=lambda p: p.stat().st_size)
    page = args.corpus / args.page if args.page else pages[-1]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="l10n-review-bench-"))
    started = time.perf_counter()
    rel = build(folder, page, args.lang)
    print(f"page: {page.name} ({page.stat().st_size / 1e6:.2f} MB), language {args.lang}")
    print(f"setup (extract + translate --engine pseudo): {time.perf_counter() - started:.1f} s")

    server = ReviewServer(load_project(folder))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    chromium_args = ["--no-sandbox"] if os.geteuid() == 0 else []
    renders: list[float] = []
    apis: list[float] = []
    saves: list[float] = []
    entries = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=chromium_args
        )
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.set_default_timeout(30_000)
        opener = context.new_page()
        opener.goto(server.url)  # the token becomes this context's cookie
        for run in range(args.runs):
            view = context.new_page()
            api_time: list[float] = []
            view.on(
                "requestfinished",
                lambda r, into=api_time: into.append(r.timing["responseEnd"])
                if "/api/article/" in r.url
                else None,
            )
            t0 = time.perf_counter()
            view.goto(f"{server.guard.origin}/article/{args.lang}/{rel}")
            view.wait_for_selector("body[data-ready]")
            renders.append(time.perf_counter() - t0)
            apis.extend(t / 1000 for t in api_time)
            frame = view.frame_locator("#page-frame")
            entries = frame.locator("[data-l10n-id]").count()
            frame.locator("p[data-l10n-id]:visible").nth(run).click()
            view.locator("#msgstr").press("End")
            view.keyboard.type(" (revisado)")
            t0 = time.perf_counter()
            view.keyboard.press("Control+S")
            expect(view.locator("#message")).to_have_class(
                re.compile(r"\b(ok|error)\b"), timeout=120_000
            )
            saves.append(time.perf_counter() - t0)
            message = view.locator("#message").text_content()
            view.close()
        browser.close()
    server.stop()
    thread.join(10)

    def show(name: str, values: list[float]) -> None:
        if values:
            print(
                f"{name}: median {statistics.median(values):.2f} s "
                f"(runs: {', '.join(f'{v:.2f}' for v in values)})"
            )

    print(f"segments marked on the page: {entries}")
    show("first render of the article view", renders)
    show("  of which /api/article (server: segments, both pages, checks)", apis)
    show("save until the page shows it", saves)
    print(f"last save said: {message}")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

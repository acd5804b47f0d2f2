"""Machine translation through the real CLI, per engine: entries, words, requests,
retries, seconds and words per second.

    python bench/translate_engines.py                      # 5 English corpus articles
    python bench/translate_engines.py --articles 12 --flaky
    python bench/translate_engines.py --engines libre,deepl --batch-size 100

Copies the first ``--articles`` English pages of ``../shared/corpus/dev/`` (``INDEX.tsv``
language ``en``; third-party content beside the checkout, never copied into this
repository) into a temporary project (one language, ``es``) and runs ``l10n extract``
once.  Then, for each engine, on a fresh copy of that project (empty cache), it times
``python -m l10n translate --engine NAME --endpoint URL`` in a subprocess, start-up
included, against a loopback server speaking that engine's API (tests/mt_server.py: it
upper-cases the text, keeping markup).  Apertium (if installed) runs without a server.

``requests`` are what the server received on the engine's path; ``batches`` the distinct
request bodies among them and ``retries`` the rest (the same body sent again after a
429, 500 or timeout); a request for a damaged text alone is a batch of one.  With
``--flaky`` the server answers 429 (``Retry-After: 0``) to every 7th request and 500 to
every 11th.  ``entries`` and ``words`` count the entries the run filled (words of their
msgids, placeholders left out).  It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polib

from l10n.html import placeholders as ph

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
sys.path.insert(0, str(ROOT / "tests"))

from mt_server import FakeMT, serve  # noqa: E402
from openai_server import serve_chat  # noqa: E402

KEY = "bench-key:fx"


@dataclass(frozen=True)
class Engine:
    name: str
    path: str | None  # the API path requests go to; None: no server (Apertium)
    key_env: str | None


ENGINES = {
    "libre": Engine("libre", "/translate", "LIBRETRANSLATE_API_KEY"),
    "deepl": Engine("deepl", "/v2/translate", "DEEPL_AUTH_KEY"),
    "microsoft": Engine("microsoft", "/translate", "MICROSOFT_TRANSLATOR_KEY"),
    "google": Engine("google", "/language/translate/v2", "GOOGLE_TRANSLATE_API_KEY"),
    "mymemory": Engine("mymemory", "/get", None),
    "openai": Engine("openai", "/chat/completions", "OPENAI_API_KEY"),  # whole articles
    "apertium": Engine("apertium", None, None),
}


@dataclass(frozen=True)
class Row:
    engine: str
    entries: int
    words: int
    requests: int
    batches: int
    retries: int
    seconds: float
    status: int


def english_pages(corpus: Path, count: int) -> list[Path]:
    with (corpus / "INDEX.tsv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    pages = [corpus / r["file"] for r in rows if r["language"].strip().lower() == "en"]
    return pages[:count]


def make_project(folder: Path, pages: list[Path], batch_size: int) -> None:
    (folder / "articles").mkdir(parents=True)
    for page in pages:
        shutil.copyfile(page, folder / "articles" / page.name)
    (folder / "l10n.toml").write_text(
        f'languages = ["es"]\n[translate]\nengine = "pseudo"\nbatch_size = {batch_size}\n'
        "backoff = 0.01\ntimeout = 10\n",
        encoding="utf-8",
    )
    cli(folder, "extract")


def cli(folder: Path, *args: str, env: dict[str, str] | None = None) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "l10n", "-C", str(folder), *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return done.returncode


def filled(folder: Path) -> tuple[int, int]:
    entries = words = 0
    for po in (folder / "locales" / "es").rglob("*.po"):
        for entry in polib.pofile(str(po)):
            if entry.msgstr and not entry.obsolete:
                entries += 1
                words += len(ph.strip(entry.msgid).split())
    return entries, words


def flaky(mt: FakeMT, path: str) -> None:
    """Every 7th request 429 with Retry-After: 0, every 11th 500 (rules are used in
    order, ``ok`` ones answering as usual)."""
    for n in range(1, 5000):
        if n % 7 == 0:
            mt.script(429, times=1, path=path, retry_after="0")
        elif n % 11 == 0:
            mt.script(500, times=1, path=path)
        else:
            mt.script("ok", times=1, path=path)


def run(engine: Engine, template: Path, work: Path, *, is_flaky: bool) -> Row:
    folder = work / engine.name
    shutil.copytree(template, folder)
    if engine.name == "openai":
        return run_chat(engine, folder)
    server: AbstractContextManager[Any] = (
        serve(deepl_key=KEY) if engine.path is not None else nullcontext()
    )
    with server as mt:
        args = ["translate", "--engine", engine.name]
        if mt is not None:
            args += ["--endpoint", mt.url]
            if is_flaky and engine.path is not None:
                flaky(mt, engine.path)
        env = {engine.key_env: KEY} if engine.key_env else {}
        started = time.perf_counter()
        status = cli(folder, *args, env=env)
        seconds = time.perf_counter() - started
        seen = [s for s in mt.seen if s.path == engine.path] if mt is not None else []
    bodies = {(s.query, s.body) for s in seen}
    entries, words = filled(folder)
    return Row(
        engine=engine.name,
        entries=entries,
        words=words,
        requests=len(seen),
        batches=len(bodies),
        retries=len(seen) - len(bodies),
        seconds=seconds,
        status=status,
    )


def run_chat(engine: Engine, folder: Path) -> Row:
    """The OpenAI-compatible engine against tests/openai_server.py (its own fake: the
    chat API answers JSON items, not texts)."""
    with serve_chat() as chat:
        args = ["translate", "--engine", engine.name, "--endpoint", chat.url]
        started = time.perf_counter()
        status = cli(folder, *args, env={"OPENAI_API_KEY": KEY})
        seconds = time.perf_counter() - started
        bodies = [a.body for a in chat.asked]
    entries, words = filled(folder)
    distinct = len({repr(b) for b in bodies})
    return Row(
        engine=engine.name,
        entries=entries,
        words=words,
        requests=len(bodies),
        batches=distinct,
        retries=len(bodies) - distinct,
        seconds=seconds,
        status=status,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--flaky", action="store_true")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    options = parser.parse_args()
    pages = english_pages(options.corpus, options.articles)
    if not pages:
        sys.exit(f"no English pages in {options.corpus}")
    names = [n.strip() for n in options.engines.split(",") if n.strip()]
    if "apertium" in names and shutil.which("apertium") is None:
        names.remove("apertium")
    with tempfile.TemporaryDirectory(prefix="l10n-bench-") as tmp:
        work = Path(tmp)
        template = work / "template"
        make_project(template, pages, options.batch_size)
        print(
            f"{len(pages)} English articles, batch_size {options.batch_size}"
            f"{', flaky server' if options.flaky else ''}; through `python -m l10n translate`"
        )
        header = ("engine", "entries", "words", "requests", "batches", "retries", "s", "words/s")
        print("{:<10} {:>7} {:>7} {:>8} {:>7} {:>7} {:>6} {:>8}".format(*header))
        for name in names:
            row = run(ENGINES[name], template, work, is_flaky=options.flaky)
            rate = row.words / row.seconds if row.seconds else 0.0
            note = "" if row.status == 0 else f"  (exit {row.status})"
            print(
                f"{row.engine:<10} {row.entries:>7} {row.words:>7} {row.requests:>8} "
                f"{row.batches:>7} {row.retries:>7} {row.seconds:>6.2f} {rate:>8.0f}{note}"
            )


if __name__ == "__main__":
    main()

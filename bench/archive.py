"""Archive-scale benchmark: the real ``l10n`` CLI over a synthetic archive of N articles.

    python bench/archive.py [--articles N] [--jobs N] [--corpus DIR] [--keep DIR]

A project is built in a temporary folder (or ``--keep DIR``, left in place): ``l10n.toml``
with four target languages, this repository's ``glossaries/newsroom.tbx`` and N article
files ``articles/<yyyy>/<mm>/<slug>-<n>.html`` made from the corpus pages in turn.  Each
copy is made distinct with byte-level ASCII insertions that keep the page's encoding: the
article number goes into the ``<title>`` text and into the text of the first ``<p>``
(outside comments, scripts and styles); a page with neither gets a unique comment.

Then the CLI runs as subprocesses, one step after another, on the same project:

    extract, extract (no-op), translate --engine pseudo, extract (after translate), check,
    publish, publish (no-op), edit one paragraph of one article, extract, publish

Each step runs under a small wrapper process that starts the CLI as its own child and
reports that child's ``RUSAGE_CHILDREN`` ``ru_maxrss`` (the largest single process of
the step: the CLI or one of its workers) and its wall time (``time.perf_counter``).
While a step runs, this process also samples the summed proportional set size (PSS) of
the whole process tree from ``/proc``, which counts workers together.  Files written are
the files under ``locales/`` and ``public/`` whose mtime or size changed (or that are
new); for the edit, content hashes say which files really changed.

Options the CLI does not have yet (``-j/--jobs``, ``publish --min-complete`` and
``--ignore-check``) are detected from ``--help`` and left out, and the report says so.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "dev"
GLOSSARY = REPO / "glossaries" / "newsroom.tbx"
LANGUAGES = ("zh-Hans", "es", "fr", "ar")
ARTICLES_PER_MONTH = 100
CONFIG = f"""\
source_language = "en"
languages = [{", ".join(f'"{lang}"' for lang in LANGUAGES)}]
articles = "articles"
locales = "locales"
glossaries = "glossaries"
output = "public"
"""

# The wrapper: run the CLI as its own child, then print the child's wall time and peak
# RSS.  RUSAGE_CHILDREN covers every waited-for descendant, so a fresh wrapper per step
# keeps one step's peak from hiding the next one's.
WRAPPER = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
with open(sys.argv[1], "wb") as log:
    rc = subprocess.call(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
seconds = time.perf_counter() - start
kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": rc, "seconds": seconds, "maxrss_kb": kb}))
"""


# --- building the archive -----------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    name: str
    slug: str
    data: bytes


@dataclass(frozen=True)
class Article:
    rel: str  # relative to articles/
    marker: bytes | None  # the bytes inserted into the first <p>, when there is one


def _codec(data: bytes) -> str:
    """A codec that maps the page's bytes to text and back unchanged, ASCII kept as ASCII."""
    if data.startswith(b"\xff\xfe") or data[:2] == b"<\x00":
        return "utf-16-le"
    if data.startswith(b"\xfe\xff") or data[:2] == b"\x00<":
        return "utf-16-be"
    return "latin-1"  # every ASCII-compatible charset: one character per byte


def _first_tag(text: str, tag: str) -> re.Match[str] | None:
    """The first ``<tag …>`` outside comments, scripts and styles."""
    pattern = re.compile(
        rf"<!--.*?-->|<(script|style)\b.*?</\1\s*>|(?P<tag><{tag}(?:\s[^>]*)?>)",
        re.IGNORECASE | re.DOTALL,
    )
    for m in pattern.finditer(text):
        if m.group("tag"):
            return m
    return None


def make_distinct(data: bytes, number: int) -> tuple[bytes, bytes | None]:
    """The page with ``number`` in its title and first paragraph; the paragraph marker."""
    codec = _codec(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:  # odd UTF-16: a trailing comment only
        return data + f"<!-- archive article {number} -->".encode(codec), None
    edits: list[tuple[int, str]] = []
    title = _first_tag(text, "title")
    if title:
        edits.append((title.end(), f"#{number} "))
    para = _first_tag(text, "p")
    marker = f"[{number}] " if para else None
    if para and marker:
        edits.append((para.end(), marker))
    if not edits:
        edits.append((len(text), f"\n<!-- archive article {number} -->\n"))
    for at, insert in sorted(edits, reverse=True):
        text = text[:at] + insert + text[at:]
    return text.encode(codec), marker.encode(codec) if marker else None


def read_sources(corpus: Path) -> list[Source]:
    sources = []
    for path in sorted(corpus.glob("*.html")):
        slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:48].strip("-")
        sources.append(Source(path.name, slug or "page", path.read_bytes()))
    return sources


def build_archive(project: Path, sources: Sequence[Source], count: int) -> list[Article]:
    (project / "l10n.toml").write_text(CONFIG, encoding="utf-8")
    (project / "glossaries").mkdir()
    shutil.copyfile(GLOSSARY, project / "glossaries" / GLOSSARY.name)
    articles = []
    for n in range(count):
        source = sources[n % len(sources)]
        month = n // ARTICLES_PER_MONTH
        rel = f"{2015 + month // 12:04d}/{month % 12 + 1:02d}/{source.slug}-{n}.html"
        data, marker = make_distinct(source.data, n)
        path = project / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        articles.append(Article(rel, marker))
    return articles


def edit_one(project: Path, articles: Sequence[Article]) -> Article:
    """Change the text of one paragraph of the first article that has one."""
    article = next(a for a in articles if a.marker is not None)
    assert article.marker is not None
    path = project / "articles" / article.rel
    data = path.read_bytes()
    codec = _codec(data)
    edited = article.marker + "Edited for the benchmark. ".encode(codec)
    path.write_bytes(data.replace(article.marker, edited, 1))
    return article


# --- files on disk ------------------------------------------------------------------------


Snapshot = dict[str, tuple[int, int, str]]  # rel -> (mtime_ns, size, hash or "")


def _walk(folder: Path) -> Iterator[os.DirEntry[str]]:
    stack = [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                yield entry


def snapshot(project: Path, folders: Sequence[str], hashes: bool = False) -> Snapshot:
    files: Snapshot = {}
    for folder in folders:
        for entry in _walk(project / folder):
            st = entry.stat(follow_symlinks=False)
            digest = ""
            if hashes:
                with open(entry.path, "rb") as handle:
                    digest = hashlib.file_digest(handle, "sha1").hexdigest()
            files[os.path.relpath(entry.path, project)] = (st.st_mtime_ns, st.st_size, digest)
    return files


def touched(before: Snapshot, after: Snapshot) -> list[str]:
    """New files and files whose mtime or size changed."""
    return sorted(
        rel
        for rel, (mtime, size, _) in after.items()
        if before.get(rel, (0, -1, ""))[:2] != (mtime, size)
    )


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """New files, removed files and files whose content changed."""
    return sorted(
        rel
        for rel in before.keys() | after.keys()
        if rel not in before or rel not in after or before[rel][2] != after[rel][2]
    )


def tree_size(folder: Path) -> tuple[int, int]:
    files = size = 0
    for entry in _walk(folder):
        files += 1
        size += entry.stat(follow_symlinks=False).st_size
    return files, size


# --- memory of a process tree -------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(name))
    return children


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


def tree_pss_kb(root: int) -> int:
    children = _children_map()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss_kb(pid)
        stack.extend(children.get(pid, ()))
    return total


class TreeSampler(threading.Thread):
    """Peak summed PSS of a process and its descendants, sampled every ``interval`` s."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, tree_pss_kb(self.pid))
            self.done.wait(self.interval)


# --- running the CLI ----------------------------------------------------------------------


@dataclass
class Step:
    label: str
    args: list[str]
    ok_codes: tuple[int, ...] = (0,)
    seconds: float = 0.0
    rc: int = 0
    maxrss_mb: float = 0.0
    tree_mb: float = 0.0
    written: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Features:
    jobs: bool
    min_complete: bool
    ignore_check: bool
    allow_pseudo: bool = False  # since publish holds pseudo text back

    @property
    def missing(self) -> list[str]:
        return [
            name
            for name, have in (
                ("-j/--jobs", self.jobs),
                ("publish --min-complete", self.min_complete),
                ("publish --ignore-check", self.ignore_check),
            )
            if not have
        ]


def _help(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "l10n", *args, "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def detect_features() -> Features:
    main, publish = _help(), _help("publish")
    return Features(
        jobs="--jobs" in main,
        min_complete="--min-complete" in publish,
        ignore_check="--ignore-check" in publish,
        allow_pseudo="--allow-pseudo" in publish,
    )


def run_step(step: Step, project: Path, logs: Path, global_args: Sequence[str]) -> None:
    log = logs / (re.sub(r"[^a-z0-9]+", "-", step.label.lower()).strip("-") + ".log")
    command = [sys.executable, "-m", "l10n", "-C", str(project), *global_args, *step.args]
    before = snapshot(project, ("locales", "public"))
    wrapper = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, str(log), *command], stdout=subprocess.PIPE, text=True
    )
    sampler = TreeSampler(wrapper.pid)
    sampler.start()
    out, _ = wrapper.communicate()
    sampler.done.set()
    sampler.join()
    if wrapper.returncode:
        raise SystemExit(f"the wrapper of {step.label!r} failed ({wrapper.returncode})")
    result = json.loads(out)
    step.rc, step.seconds = result["rc"], result["seconds"]
    step.maxrss_mb = result["maxrss_kb"] / 1024
    step.tree_mb = sampler.peak_kb / 1024
    step.written = touched(before, snapshot(project, ("locales", "public")))
    if step.rc not in step.ok_codes:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        raise SystemExit(
            f"{step.label}: exit status {step.rc} ({' '.join(command)})\n" + "\n".join(tail)
        )


# --- report -------------------------------------------------------------------------------


def machine() -> str:
    mem_gb = 0.0
    model = ""
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    mem_gb = int(line.split()[1]) / 2**20
        with open("/proc/cpuinfo") as handle:
            model = next((ln.split(":", 1)[1].strip() for ln in handle if "model name" in ln), "")
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs{f' ({model})' if model else ''}, {mem_gb:.1f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )


def l10n_source() -> str:
    """Where the CLI's ``l10n`` package comes from: folder, commit, uncommitted changes."""
    folder = subprocess.run(
        [sys.executable, "-c", "import l10n, os; print(os.path.dirname(l10n.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    try:
        head = subprocess.run(
            ["git", "-C", folder, "log", "-1", "--format=%h %cs"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", folder, "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return folder
    return f"{folder} at {head}" + (" + uncommitted changes" if dirty else "")


def table(steps: Sequence[Step], articles: int, edited: int) -> list[str]:
    lines = [
        "| step | seconds | articles/s | files written | peak RSS MB | tree PSS MB | exit |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for step in steps:
        n = edited if "edited" in step.label else articles
        lines.append(
            f"| {step.label} | {step.seconds:.2f} | {n / step.seconds:.1f} | "
            f"{len(step.written)} | {step.maxrss_mb:.0f} | {step.tree_mb:.0f} | {step.rc} |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="default: 10000")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="l10n -j N")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"default: {CORPUS}")
    parser.add_argument("--keep", type=Path, help="build the project here and leave it")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    sources = read_sources(args.corpus) if args.corpus.is_dir() else []
    if not sources:
        print(f"no pages found in {args.corpus}", file=sys.stderr)
        return 2
    if args.keep is not None:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: not an empty folder")
        args.keep.mkdir(parents=True, exist_ok=True)
        return bench(args.keep.resolve(), sources, args)
    with tempfile.TemporaryDirectory(prefix="l10n-archive-") as tmp:
        return bench(Path(tmp), sources, args)


def bench(project: Path, sources: Sequence[Source], args: argparse.Namespace) -> int:
    features = detect_features()
    global_args = ["--jobs", str(args.jobs)] if features.jobs else []
    publish = ["publish", "--allow-fuzzy"]
    publish += ["--ignore-check"] if features.ignore_check else []
    publish += ["--min-complete", "0"] if features.min_complete else []
    publish += ["--allow-pseudo"] if features.allow_pseudo else []  # the archive is pseudo

    started = datetime.now(UTC)
    start = time.perf_counter()
    articles = build_archive(project, sources, args.articles)
    built = time.perf_counter() - start
    files, size = tree_size(project / "articles")
    print(
        f"archive: {len(articles)} articles from {len(sources)} corpus pages, {files} files, "
        f"{size / 1e6:.1f} MB, built in {built:.1f} s in {project}",
        file=sys.stderr,
    )
    logs = project / "bench-logs"
    logs.mkdir()

    steps = [
        Step("extract", ["extract"]),
        Step("extract (no-op)", ["extract"]),
        Step("translate --engine pseudo", ["translate", "--engine", "pseudo"]),
        # translate rewrote every PO: extract merges them all again, once
        Step("extract (after translate)", ["extract"]),
        Step("check", ["check"], ok_codes=(0, 1)),
        Step("publish", publish, ok_codes=(0, 1)),
        Step("publish (no-op)", publish, ok_codes=(0, 1)),
    ]
    edit_steps = [
        Step("extract (1 edited)", ["extract"]),
        Step("publish (1 edited)", publish, ok_codes=(0, 1)),
    ]
    for step in steps:
        print(f"{step.label} …", file=sys.stderr, flush=True)
        run_step(step, project, logs, global_args)
        print(f"  {step.seconds:.1f} s, {len(step.written)} files", file=sys.stderr)

    print("hashing locales/ and public/ …", file=sys.stderr, flush=True)
    before = snapshot(project, ("locales", "public"), hashes=True)
    article = edit_one(project, articles)
    for step in edit_steps:
        print(f"{step.label} …", file=sys.stderr, flush=True)
        run_step(step, project, logs, global_args)
        print(f"  {step.seconds:.1f} s, {len(step.written)} files", file=sys.stderr)
    after = snapshot(project, ("locales", "public"), hashes=True)
    stem = article.rel.rsplit(".", 1)[0]
    expected = sorted(
        [f"locales/templates/{stem}.pot"]
        + [f"locales/{lang}/{stem}.po" for lang in LANGUAGES]
        + [f"public/{lang}/{article.rel}" for lang in LANGUAGES]
    )
    rewritten, different = touched(before, after), changed(before, after)

    print(f"## archive.py: {len(articles)} articles × {len(LANGUAGES)} languages")
    print()
    print(f"- {started:%Y-%m-%d}; l10n from {l10n_source()}; {machine()}")
    print(
        f"- archive: {files} article files, {size / 1e6:.1f} MB, from {len(sources)} corpus "
        f"pages; {len(LANGUAGES)} languages; glossary {GLOSSARY.name}"
    )
    print(
        f"- options: {' '.join(global_args) or '(no -j: not in this CLI)'}; "
        f"publish = `{' '.join(publish)}`"
    )
    if features.missing:
        print(f"- not in this CLI yet, left out: {', '.join(features.missing)}")
    print()
    for line in table([*steps, *edit_steps], len(articles), 1):
        print(line)
    print()
    end = before.keys() | after.keys()
    out_files = sum(1 for rel in end if rel.startswith(("locales/", "public/")))
    print(f"- locales/ + public/ after the run: {out_files} files")
    print(
        f"- edit of {article.rel}: {len(rewritten)} files rewritten (mtime/size), "
        f"{len(different)} with new content; target: exactly its POT, "
        f"{len(LANGUAGES)} POs and {len(LANGUAGES)} pages ({len(expected)} files): "
        + ("met" if rewritten == expected and different == expected else "not met")
    )
    for rel in rewritten if len(rewritten) <= 20 else rewritten[:20]:
        mark = "" if rel in expected else "  (not expected)"
        same = "" if rel in different else "  (same content)"
        print(f"  - {rel}{mark}{same}")
    if len(rewritten) > 20:
        print(f"  - … and {len(rewritten) - 20} more")
    print(
        "- peak RSS: the largest single process of the step (ru_maxrss); tree PSS: "
        "sampled sum over the CLI and its workers every 0.2 s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

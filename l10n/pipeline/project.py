"""The project on disk: finding it, its articles and catalogs, and writing files.

This package is the only code that reads and writes project files.  Each command reads
and checks all its inputs before it writes anything, and every file is written
atomically (temporary file in the same folder, then rename), so a bad input or a crash
never leaves a half-written file or overwrites a translator's work.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import os
import posixpath
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from l10n import glossary as glossary_stage
from l10n.config import (
    CONFIG_NAME,
    INIT_TEMPLATE,
    Config,
    Layout,
    TranslateConfig,
    parse_config,
)
from l10n.errors import ArticleError, CatalogError, ConfigError, L10nError
from l10n.glossary import Glossary, GlossaryError
from l10n.pipeline.parallel import in_shard
from l10n.pipeline.state import Stamp, State, digest, stamp_of
from l10n.pipeline.tree import confined, walk

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".html", ".htm")
GLOSSARY_SUFFIXES = (".tbx", ".xml", ".csv")


@dataclass(frozen=True, kw_only=True)
class Project:
    root: Path
    config: Config
    layout: Layout

    def path(self, rel: str) -> Path:
        return self.root / rel


@dataclass(frozen=True, kw_only=True)
class Notice:
    """A warning (or, in ``Report.failed``, an error) for the user, at a file and line."""

    file: str | None  # None: about the command line (an option)
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, kw_only=True)
class Report:
    """What a command did: files written, files left as they were, warnings."""

    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()  # skipped: made from the same inputs last time
    same: tuple[str, ...] = ()  # made again (changed input, --force): the same bytes
    notices: tuple[Notice, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    # Articles (or their catalogs) that were bad input: not done, their files untouched,
    # while the others were done; the command exits 2 after saying what it did.
    failed: tuple[Notice, ...] = ()


def failure(exc: L10nError) -> Notice:
    """An article's error, for ``Report.failed``."""
    return Notice(file=exc.file, line=exc.line, message=exc.message)


@dataclass(frozen=True, kw_only=True)
class Articles:
    """The articles a command works on, and the entries named like articles that are not
    files one can read (a folder, a FIFO, a link to nothing): commands report those."""

    rels: tuple[str, ...]  # sorted
    bad: tuple[Notice, ...] = ()


# --- project -------------------------------------------------------------------------


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``l10n.toml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_NAME} here or in any parent folder (run `l10n init`)", file=str(start)
    )


def load_project(start: Path) -> Project:
    root = find_root(start)
    config_path = root / CONFIG_NAME
    config = parse_config(_read_text(config_path, ConfigError), file=str(config_path))
    return Project(root=root, config=config, layout=Layout.from_config(config))


def init(folder: Path) -> Path:
    target = folder / CONFIG_NAME
    if target.exists():
        raise ConfigError("already exists; not overwriting", file=str(target))
    write_atomic(target, INIT_TEMPLATE.encode("utf-8"))
    return target


def list_articles(project: Project, selected: Sequence[str] = ()) -> list[str]:
    """Article paths relative to the articles folder, sorted; all of them by default."""
    return list(find_articles(project, selected).rels)


def find_articles(
    project: Project, selected: Sequence[str] = (), *, shard: tuple[int, int] | None = None
) -> Articles:
    """The articles (all by default, else those named; of ``shard`` only, if given) and
    the bad entries among them.

    Two articles whose files would be one file on macOS or Windows are an error naming
    both, also when only one is named: they share a catalog either way.
    """
    layout = project.layout
    found, odd = walk(project, project.config.articles, ARTICLE_SUFFIXES, warn=not selected)
    found.sort()
    clash = layout.collision(found)
    if clash is not None:
        first, second = (layout.article(rel) for rel in clash)
        raise ArticleError(
            f"would share {layout.template(clash[0])}, its catalogs and pages with {second} "
            "(names that differ only in case, Unicode normalization or .htm/.html are one "
            "file on macOS and Windows); rename one",
            file=first,
        )
    if not selected:
        return Articles(
            rels=tuple(r for r in found if in_shard(r, shard)),
            bad=tuple(
                Notice(file=layout.article(rel), line=None, message=why)
                for rel, why in sorted(odd)
                if in_shard(rel, shard)
            ),
        )
    base = project.path(project.config.articles)
    chosen = []
    for arg in selected:
        candidates = [Path(arg), base / arg]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            raise ArticleError("no such article", file=arg)
        try:
            chosen.append(path.resolve().relative_to(base.resolve()).as_posix())
        except ValueError:
            raise ArticleError(f"not inside the articles folder {base}", file=arg) from None
    return Articles(rels=tuple(r for r in sorted(set(chosen)) if in_shard(r, shard)))


def read_article(project: Project, rel: str) -> tuple[bytes, str]:
    """An article's bytes and their SHA-256."""
    article = project.layout.article(rel)
    try:
        data = project.path(article).read_bytes()
    except OSError as exc:
        raise ArticleError(exc.strerror or str(exc), file=article) from exc
    return data, hashlib.sha256(data).hexdigest()


def glossary_files(project: Project) -> dict[str, bytes]:
    """Glossary file contents by project-relative path, sorted."""
    files = {}
    for rel in _glossary_paths(project, warn=True):
        try:
            files[rel] = project.path(rel).read_bytes()
        except OSError as exc:
            raise GlossaryError(exc.strerror or str(exc), file=rel) from exc
    return files


def glossary_digest(project: Project, state: State) -> str:
    """One digest of every glossary file (names and contents)."""
    if not project.path(project.config.glossaries).is_dir():
        return ""
    rels = sorted(_glossary_paths(project, warn=False))  # glossary_files says what it skips
    return digest(*(f"{rel}={state.sha(rel)}" for rel in rels))


def _glossary_paths(project: Project, *, warn: bool) -> list[str]:
    folder = project.config.glossaries
    found, _ = walk(project, folder, GLOSSARY_SUFFIXES, warn=warn, unlistable=GlossaryError)
    top = PurePosixPath(folder)
    return [(top / rel).as_posix() for rel in sorted(found, key=lambda r: r.split("/"))]


def config_digest(project: Project) -> str:
    """The settings that change what extract and publish write (not the engine's)."""
    return repr(dataclasses.replace(project.config, translate=TranslateConfig()))


def load_glossary(project: Project) -> Glossary | None:
    files = glossary_files(project)
    if not files:
        return None
    return glossary_stage.load(files, source_language=project.config.source_language)


def _catalogs(project: Project, lang: str, selected: Sequence[str]) -> list[str]:
    if selected:
        return [project.layout.catalog(lang, rel) for rel in list_articles(project, selected)]
    folder = PurePosixPath(project.config.locales, lang).as_posix()
    found, _ = walk(project, folder, (".po",), warn=True, unlistable=CatalogError)
    return sorted(posixpath.join(folder, rel) for rel in found)


# --- files ---------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write via a temporary file in the same folder and rename: all or nothing.

    ``durable`` flushes the bytes to disk before the rename, so a power cut cannot leave
    an empty file behind the new name.  Files that are made again from the project on the
    next run (published pages) skip it: on an archive it is most of the time spent.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:
            # A failed write (full disk) names no file: the user needs to know which one
            # is left as it was.
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def write_output(path: Path, data: bytes, *, error: type[L10nError]) -> None:
    """Write a file the user named (``-o``) atomically, if it is a regular file or absent.

    Renaming over anything else would put a plain file in its place: ``/dev/full`` or a
    pipe a reader waits on would stop being one, a symlink would no longer point where it
    did.  Writing through a symlink instead could write anywhere, so any symlink is
    refused too, and the user names the file itself.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    except OSError as exc:
        raise error(exc.strerror or str(exc), file=str(path)) from exc
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "a special file")
        raise error(f"{kind}, not a regular file; not replaced", file=str(path))
    write_atomic(path, data)


def write_if_changed(
    project: Project, rel: str, data: bytes, *, durable: bool = True
) -> tuple[Stamp, bool]:
    """Write ``rel`` unless it already holds ``data``; its stamp, and whether it was written."""
    path = project.path(rel)
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return stamp_of(data, path.stat()), False
    write_atomic(path, data, durable=durable)
    return stamp_of(data, path.stat()), True


def _languages(project: Project, requested: Sequence[str]) -> Iterator[str]:
    configured = project.config.languages
    for lang in requested or configured:
        if lang not in configured:
            raise ConfigError(
                f"language {lang!r} is not configured (languages: {', '.join(configured)})",
                file=str(project.root / CONFIG_NAME),
            )
        yield lang


def _read_bytes(path: Path, error: type[L10nError]) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise error(exc.strerror or str(exc), file=str(path)) from exc


def _read_text(path: Path, error: type[L10nError]) -> str:
    return _decode(_read_bytes(path, error), error, str(path))


def _decode(data: bytes, error: type[L10nError], file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error("not valid UTF-8", file=file, line=line) from exc


def read_catalog(project: Project, rel: str) -> tuple[str, str]:
    """A catalog's SHA-256 and text (it must exist)."""
    confined(project, rel, project.config.locales, CatalogError)
    try:
        data = _read_bytes(project.path(rel), CatalogError)
    except CatalogError as exc:
        raise exc.located(file=rel) from exc
    return hashlib.sha256(data).hexdigest(), _decode(data, CatalogError, rel)


def _read_optional(project: Project, rel: str) -> str | None:
    """A catalog's text, or None when it does not exist yet."""
    confined(project, rel, project.config.locales, CatalogError)
    path = project.path(rel)
    if not path.exists():
        return None
    try:
        return _read_text(path, CatalogError)
    except CatalogError as exc:
        raise exc.located(file=rel) from exc


_DATE_HEADER = re.compile(r'^"POT-Creation-Date: [^"\n]*\\n"$', re.MULTILINE)


def _same_but_dates(old: str, new: str) -> bool:
    return _DATE_HEADER.sub("", old) == _DATE_HEADER.sub("", new)

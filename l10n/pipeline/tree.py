"""Walking the project's folders, and keeping l10n inside the project.

A link in the project to a file elsewhere (``articles/x.html -> ~/.ssh/...``) is a way to
publish or overwrite that file, and links come in with a pull request or a restored CI
cache.  So a file found by walking a folder is skipped, with a warning, when it resolves
outside the project, and a path l10n makes (a catalog, a page) is refused.  "The project"
is its root folder, or a folder that l10n.toml itself places elsewhere
(``output = "/var/www/site"``): the configuration is trusted, links are not.
"""

from __future__ import annotations

import logging
import os
import posixpath
import stat
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from l10n.errors import L10nError

if TYPE_CHECKING:
    from l10n.pipeline.project import Project

log = logging.getLogger(__name__)


def walk(
    project: Project,
    folder: str,
    suffixes: tuple[str, ...],
    *,
    warn: bool,
    unlistable: type[L10nError] | None = None,
) -> tuple[list[str], list[tuple[str, str]]]:
    """Regular files below ``folder`` whose names end with one of ``suffixes`` (paths
    relative to it), and the entries so named that are not regular files, with why.
    Nothing if ``folder`` does not exist.

    Links are not followed into folders (``Path.rglob`` did not either), and links out
    of the project are skipped, with a warning unless ``warn`` is false.  A folder that
    cannot be listed is an ``unlistable`` error: a glossary or catalog folder passed over
    in silence takes its terms or PO files out of ``check``.  Without ``unlistable`` it
    is one of the entries returned with why (an article folder: the others go on).
    """
    shown = PurePosixPath(folder).as_posix()
    boundary = _boundary(project, folder)
    target = os.path.realpath(project.path(folder))
    if not _inside(target, boundary):
        if warn:
            _skipped(shown, target)
        return [], []
    if not os.path.lexists(project.path(folder)):
        return [], []
    files: list[str] = []
    odd: list[tuple[str, str]] = []
    pending = [("", str(project.path(folder)))]
    while pending:  # not recursive: archives nest folders deeply
        prefix, here = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError as exc:
            why = f"cannot list the folder: {exc.strerror or exc}"
            if unlistable is not None:
                raise unlistable(why, file=posixpath.join(shown, prefix).rstrip("/")) from exc
            odd.append((prefix.rstrip("/") or ".", why))
            continue
        for entry in entries:
            rel = prefix + entry.name
            named = entry.name.lower().endswith(suffixes)
            link = entry.is_symlink()
            if not link:
                if entry.is_dir():
                    pending.append((rel + "/", entry.path))
                    if named:
                        odd.append((rel, "a folder, not a file"))
                elif named:
                    if entry.is_file():
                        files.append(rel)
                    else:
                        odd.append((rel, _SPECIAL))
                continue
            if not named and not entry.is_dir():
                continue
            target = os.path.realpath(entry.path)
            if not _inside(target, boundary):
                if warn:
                    _skipped(posixpath.join(shown, rel), target)
                continue
            if not named:
                continue  # a folder linked from inside the project: not walked twice
            try:
                mode = os.stat(entry.path).st_mode
            except OSError as exc:
                odd.append((rel, f"{exc.strerror} (a link to {target})"))
                continue
            if stat.S_ISREG(mode):
                files.append(rel)
            else:
                odd.append((rel, "a folder, not a file" if stat.S_ISDIR(mode) else _SPECIAL))
    return files, odd


# Never opened: reading a FIFO would wait for a writer forever.
_SPECIAL = "not a regular file (a FIFO, socket or device)"


def _skipped(shown: str, target: str) -> None:
    log.warning("%s: points outside the project (to %s); skipped", shown, target)


def _boundary(project: Project, folder: str) -> str:
    """What paths below ``folder`` must resolve into: the project root, or the folder
    itself when l10n.toml places it outside the root."""
    root = str(project.root)
    lexical = os.path.normpath(os.path.join(root, folder))
    return root if _inside(lexical, root) else os.path.realpath(lexical)


def _inside(path: str, boundary: str) -> bool:
    return os.path.commonpath([path, boundary]) == boundary


def confined(project: Project, rel: str, folder: str, error: type[L10nError]) -> None:
    """Refuse ``rel``, a path below ``folder`` that l10n reads or writes, when it resolves
    outside the project: a folder on the way, or the file itself, links out of it."""
    target = os.path.realpath(project.path(rel))
    if not _inside(target, _boundary(project, folder)):
        raise error(f"points outside the project (to {target}); refused", file=rel)

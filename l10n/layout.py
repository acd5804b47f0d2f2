"""Where each file of a project lives, from its configuration: paths only, no file system."""

from __future__ import annotations

import functools
import posixpath
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from l10n.config import Config


@dataclass(frozen=True, kw_only=True)
class Layout:
    """Where each file of a project lives, relative to the project root (POSIX paths).

    ``rel`` is always an article's path relative to the articles folder, ``/``-separated,
    with its ``.html``/``.htm`` suffix (``2024/03/ai.html``).
    """

    articles: str = "articles"
    locales: str = "locales"
    glossaries: str = "glossaries"
    output: str = "public"

    @classmethod
    def from_config(cls, config: Config) -> Layout:
        return cls(
            articles=config.articles,
            locales=config.locales,
            glossaries=config.glossaries,
            output=config.output,
        )

    # posixpath.join rather than PurePosixPath: an archive run computes these paths
    # hundreds of thousands of times, and the results are the same for clean paths.
    def article(self, rel: str) -> str:
        return posixpath.join(_clean(self.articles), rel)

    def template(self, rel: str) -> str:
        return posixpath.join(_clean(self.locales), "templates", f"{_stem(rel)}.pot")

    def catalog(self, lang: str, rel: str) -> str:
        return posixpath.join(_clean(self.locales), lang, f"{_stem(rel)}.po")

    def template_of(self, lang: str, catalog: str) -> str:
        """The template of ``catalog`` (a path ``catalog(lang, …)`` gave)."""
        stem = catalog.removeprefix(posixpath.join(_clean(self.locales), lang, ""))
        return posixpath.join(_clean(self.locales), "templates", f"{stem.removesuffix('.po')}.pot")

    def published(self, lang: str, rel: str) -> str:
        return posixpath.join(_clean(self.output), lang, rel)

    @staticmethod
    def collision(rels: Iterable[str]) -> tuple[str, str] | None:
        """Two articles whose template, catalogs or pages would be one file where file
        names are compared as macOS and Windows compare them (``x.htm`` and ``x.html``,
        ``A/b.html`` and ``a/B.html``, a name in NFC and in NFD), or None."""
        seen: dict[str, str] = {}
        for rel in rels:
            # Every output path is the stem (or the stem and its suffix) under a folder
            # the articles share, so equal stems are the one way two of them collide.
            other = seen.setdefault(_caseless(_stem(rel)), rel)
            if other != rel:
                return other, rel
        return None


@functools.cache
def _clean(folder: str) -> str:
    return str(PurePosixPath(folder))


def _caseless(name: str) -> str:
    """Unicode's canonical caseless form: equal for names a case-insensitive,
    normalising file system (APFS, HFS+, NTFS) takes for one."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", name).casefold())


def _stem(rel: str) -> str:
    """``rel`` without its HTML suffix; other suffixes stay so names cannot collide."""
    lowered = rel.lower()
    for suffix in (".html", ".htm"):
        if lowered.endswith(suffix):
            return rel[: -len(suffix)]
    return rel

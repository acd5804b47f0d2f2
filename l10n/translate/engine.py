"""What every machine-translation engine is to the pipeline: one base class.

The pipeline asks an engine nothing else than what :class:`Engine` declares, and every
declaration has a default, so an engine overrides only what is true of it:

* :meth:`Engine.translate` (the only abstract method): one answer per text, in order,
  every placeholder intact.  A text it could not translate comes back as its source text
  and is listed in :attr:`Engine.failures` (index → a reason fit to show: no secrets),
  reset by every call; the pipeline leaves those entries exactly as they were.
* :attr:`Engine.local`: runs on this machine without a rate limit, so every worker
  process may call it; a network engine is called from one process.
* :attr:`Engine.cacheable`: results are worth keeping in ``.l10n/cache.sqlite3``;
  :attr:`Engine.options` is what else than the name and the languages the cache key
  needs (a model, a formality).
* :attr:`Engine.flags`: flags its entries carry besides ``fuzzy`` (pseudo's
  ``l10n-pseudo``, which publish refuses).
* :meth:`Engine.missing` / :meth:`Engine.gap` / :meth:`Engine.supports`: whether it can
  run here at all (what to install) and whether it has a language pair.
* :meth:`Engine.prepare_glossary`: take the glossary's terms for a pair natively (DeepL
  glossaries); when it returns False the pipeline protects the terms itself.  Only an
  engine with :attr:`Engine.own_glossaries` is asked (its cache key then follows the
  glossary's content).
* :attr:`Engine.whole_articles`: the engine reads context (a language model), so it gets
  an article's untranslated entries together with the title through
  :meth:`Engine.translate_article` (msgids as they are, told the glossary's terms), and
  the dry run asks :meth:`Engine.estimate_article` for the tokens it would use.
* :meth:`Engine.describe`: the one line ``translate`` prints about the engine.
* :meth:`Engine.close`: release connections or processes (also ``with engine:``).

:meth:`Engine.create` builds an engine from :class:`Settings` (``[translate]`` of
``l10n.toml``, the key and the endpoint); :mod:`l10n.translate.registry` maps names to
engine classes.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Self

if TYPE_CHECKING:
    from l10n.config import TranslateConfig
    from l10n.translate.article import ArticleEntry, ArticleResult

__all__ = ["Engine", "Settings"]


@dataclass(frozen=True, kw_only=True)
class Settings:
    """What an engine is made from."""

    name: str  # the registry name it was asked for (one class may serve several)
    api_key: str | None  # from the environment variable ``key_env``
    key_env: str | None
    endpoint: str | None  # --endpoint, else ``[translate] endpoint``
    translate: TranslateConfig  # the whole table, for settings only some engines read


class Engine(abc.ABC):
    """Translate batches of msgids from one language to another (see the module doc)."""

    name: str = ""
    local: ClassVar[bool] = False
    cacheable: ClassVar[bool] = True
    flags: ClassVar[tuple[str, ...]] = ()
    whole_articles: ClassVar[bool] = False
    own_glossaries: ClassVar[bool] = False

    def __init__(self) -> None:
        self.failures: dict[int, str] = {}

    @classmethod
    def create(cls, settings: Settings) -> Engine:
        """The engine for ``settings``; engines with settings of their own override it."""
        return cls()

    @abc.abstractmethod
    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """One translation per text, in order; failed ones are their source text and
        are listed in :attr:`failures`."""

    @property
    def options(self) -> Mapping[str, str]:
        """Settings that change the output, for the cache key."""
        return {}

    def describe(self) -> str:
        """What ``translate`` says it uses, e.g. ``LibreTranslate at http://host/``."""
        return self.name

    def supports(self, source: str, target: str) -> bool:
        return True

    def missing(self, source: str, targets: Sequence[str]) -> str | None:
        """Why the engine cannot run on this machine at all (what to install), or None;
        a network engine finds out when it calls its server."""
        return None

    def gap(self, source: str, target: str) -> str | None:
        """Why ``source`` → ``target`` cannot be translated here, or None."""
        missing = self.missing(source, [target])
        if missing is not None or self.supports(source, target):
            return missing
        return f"{self.name} cannot translate {source}→{target}"

    def prepare_glossary(self, source: str, target: str, entries: Mapping[str, str]) -> bool:
        """Take ``entries`` (source term → target term) for this pair natively from now
        on; False (the default): the pipeline swaps the terms for placeholders first."""
        return False

    def translate_article(
        self, entries: Sequence[ArticleEntry], *, title: str, source: str, target: str
    ) -> ArticleResult:
        """One article's entries together (only for :attr:`whole_articles` engines)."""
        raise NotImplementedError(f"{self.name} translates batches, not whole articles")

    def estimate_article(
        self, entries: Sequence[ArticleEntry], *, title: str, source: str, target: str
    ) -> int:
        """About how many tokens :meth:`translate_article` would use for ``entries``."""
        raise NotImplementedError(f"{self.name} translates batches, not whole articles")

    def close(self) -> None:
        """Release connections or processes; the engine is not used afterwards."""
        return None  # nothing held by default

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

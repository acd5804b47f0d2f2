"""What an engine that translates whole articles gets and gives back.

Most engines translate texts one batch at a time (:meth:`Engine.translate`).  An engine
that reads context (a language model) sets :attr:`Engine.whole_articles` and gets an
article's untranslated entries together, in document order, with the article's title,
through :meth:`Engine.translate_article` (:func:`l10n.translate.run.by_engine` calls it).  Such an
engine gets the msgid itself, not term-protected text: it is told the glossary's terms
and must use them, and the result is checked for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class ArticleEntry:
    """One entry to translate: its msgid and what the translation must contain."""

    id: str  # unique within one call
    text: str  # the msgid, placeholders and all
    # (source term, target term) pairs the glossary requires; a do-not-translate term
    # is its own target.
    terms: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, kw_only=True)
class ArticleResult:
    """One translation per entry, in order; a failed one is "" and ``failures`` (by
    index) says why.  Token counts are what the server reported."""

    texts: tuple[str, ...]
    failures: dict[int, str] = field(default_factory=dict)
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


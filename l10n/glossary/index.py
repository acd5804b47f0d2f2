"""Matchers over a glossary's terms in one language, the way ``l10n check`` needs them."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from l10n.glossary.matcher import Matcher
from l10n.glossary.model import Concept, Glossary, Status, Term


@dataclass(frozen=True, kw_only=True)
class Entry:
    """What a match stands for: which term of which concept."""

    concept: Concept
    term: Term


def term_matcher(
    glossary: Glossary, language: str, *, statuses: Container[Status] = tuple(Status)
) -> Matcher[Entry]:
    """One matcher for every term of ``language`` (BCP 47 aware) with one of ``statuses``.

    Allowed, forbidden and discouraged terms go into the same matcher on purpose: with
    leftmost-longest matching, a forbidden short form inside an allowed longer term
    ("复旦" in "复旦大学") is not reported.
    """
    return Matcher.build(
        (term.text, term.case_sensitive, Entry(concept=concept, term=term))
        for concept in glossary.concepts
        for term in concept.terms_for(language)
        if term.status in statuses
    )

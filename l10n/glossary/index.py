"""Matchers over a glossary's terms in one language: what ``l10n check`` looks for, what
machine translation protects, and the notes extract writes for translators."""

from __future__ import annotations

import unicodedata
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


class TermIndex:
    """Matchers for one language pair: source terms in msgids, target terms in msgstrs."""

    def __init__(self, glossary: Glossary, language: str) -> None:
        source = glossary.source_language
        src: list[tuple[str, bool, Entry]] = []
        tgt: list[tuple[str, bool, Entry]] = []
        for concept in glossary.concepts:
            for term in concept.allowed(source):
                src.append((term.text, term.case_sensitive, Entry(concept=concept, term=term)))
                if concept.dnt:
                    # A do-not-translate term is also the right target term.
                    tgt.append((term.text, True, Entry(concept=concept, term=term)))
            for term in concept.terms_for(language):
                tgt.append((term.text, term.case_sensitive, Entry(concept=concept, term=term)))
        self.language = language
        self.source = Matcher.build(src)
        self.target = Matcher.build(tgt)

    def source_hits(self, text: str) -> list[Entry]:
        return [m.payload for m in self.source.find(text)]

    def target_hits(self, text: str) -> list[Entry]:
        return [m.payload for m in self.target.find(text)]


_INDEXES: dict[tuple[int, str], tuple[Glossary, TermIndex]] = {}


def term_index(glossary: Glossary, language: str) -> TermIndex:
    """The ``TermIndex`` of a glossary and language, built once per process.

    Building one compiles a matcher over every term (seconds for a 10,000-term
    glossary), and the pipeline checks thousands of catalogs one by one.  The cache
    holds the glossary itself, so its ``id`` cannot be reused while the entry lives.
    """
    key = (id(glossary), language)
    hit = _INDEXES.get(key)
    if hit is None or hit[0] is not glossary:
        if len(_INDEXES) >= 32:  # a long-lived process that loads many glossaries
            _INDEXES.clear()
        hit = _INDEXES[key] = (glossary, TermIndex(glossary, language))
    return hit[1]


def glossary_notes(index: TermIndex, msgid: str) -> list[str]:
    """``glossary: Fudan University → 复旦大学 (not 复旦) — a university in Shanghai`` lines
    for a translator, one per concept found: after the dash, the concept's notes, then
    the notes of the terms the line names, each after its term."""
    notes: list[str] = []
    for hit in index.source_hits(msgid):
        concept = hit.concept
        if concept.dnt:
            named = [hit.term]
            note = f"glossary: {hit.term.text} → {hit.term.text} (do not translate)"
        else:
            preferred = concept.preferred(index.language)
            if preferred is None:
                continue
            avoid = concept.forbidden(index.language)
            named = [hit.term, preferred, *avoid]
            note = f"glossary: {hit.term.text} → {preferred.text}"
            if avoid:
                note += f" (not {', '.join(t.text for t in avoid)})"
        advice = _advice(concept.note, *(f"{t.text}: {t.note}" for t in named if t.note))
        if advice:
            note += f" — {advice}"
        if note not in notes:
            notes.append(note)
    return notes


def _advice(*notes: str) -> str:
    """Notes as one line: a PO comment line per term keeps Poedit's list readable, and a
    cell or TBX element may hold several lines."""
    lines = [" ".join(raw.split()) for note in notes for raw in note.splitlines()]
    text = ""
    for line in dict.fromkeys(line for line in lines if line):
        if text:
            # Sentences follow each other; bare phrases ("state tabloid") need a separator.
            text += " " if unicodedata.category(text[-1]).startswith("P") else "; "
        text += line
    return text

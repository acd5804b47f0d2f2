"""Glossary before translation, for every engine.

Terms found in a msgid are swapped for extra standalone placeholders before the text
goes to an engine, and the glossary's target term is put back afterwards; engines only
have to keep placeholders (which they must anyway).  Do-not-translate terms come back
verbatim, names and institutions as the preferred target term of that language.
"""

from __future__ import annotations

from dataclasses import dataclass

from l10n.glossary.index import TermIndex
from l10n.glossary.model import Glossary
from l10n.html import placeholders as ph


@dataclass(frozen=True, kw_only=True)
class Protected:
    text: str  # what the engine gets
    terms: dict[int, str]  # added placeholder number -> text to put back
    required: tuple[tuple[str, str], ...]  # (source term, target term) the result must hold


def protect(msgid: str, index: TermIndex | None, *, swap: bool = True) -> Protected:
    """``msgid`` with its glossary terms swapped for placeholders; ``swap=False`` for an
    engine that applies the glossary itself: the text goes as it is, and the terms the
    result must hold are still listed."""
    if index is None:
        return Protected(text=msgid, terms={}, required=())
    numbers = [p.number for p in ph.pieces(msgid) if isinstance(p, ph.Tag)]
    next_number = max(numbers, default=0) + 1
    out: list[str] = []
    terms: dict[int, str] = {}
    required: list[tuple[str, str]] = []
    pos = 0
    for match in index.source.find(msgid):
        hit = match.payload
        concept = hit.concept
        if concept.dnt:
            target = hit.term.text
        else:
            preferred = concept.preferred(index.language)
            if preferred is None:
                continue
            target = preferred.text
        required.append((hit.term.text, target))
        if not swap or ph.PLACEHOLDER.search(match.text):
            continue  # a term split by markup stays in the text; the check flags a miss
        out.append(msgid[pos : match.start])
        out.append(f"<{next_number}/>")
        terms[next_number] = target
        next_number += 1
        pos = match.end
    out.append(msgid[pos:])
    return Protected(text="".join(out), terms=terms, required=tuple(required))


def glossary_entries(glossary: Glossary, language: str) -> dict[str, str]:
    """Each allowed source term → the target term :func:`protect` would put in its place
    (for an engine's own glossary, such as DeepL's)."""
    source = glossary.source_language
    out: dict[str, str] = {}
    for concept in glossary.concepts:
        preferred = None if concept.dnt else concept.preferred(language)
        if not concept.dnt and preferred is None:
            continue
        for term in concept.allowed(source):
            out.setdefault(term.text, term.text if preferred is None else preferred.text)
    return out


def restore(translated: str, protected: Protected) -> str:
    """Put the target terms in place of their placeholders."""
    if not protected.terms:
        return translated
    out: list[str] = []
    for piece in ph.pieces(translated):
        if isinstance(piece, ph.Tag) and piece.role == "empty" and piece.number in protected.terms:
            out.append(protected.terms[piece.number])
        elif isinstance(piece, ph.Tag):
            out.append(translated[piece.start : piece.end])
        else:
            out.append(piece.value)
    return "".join(out)


def missing_terms(result: str, protected: Protected) -> list[tuple[str, str]]:
    """Required target terms that the result does not contain."""
    flat = ph.PLACEHOLDER.sub("", result).casefold()
    return [(s, t) for s, t in protected.required if t.casefold() not in flat]

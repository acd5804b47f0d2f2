"""What a glossary is once read: concepts, each with terms per language and a status per term.

Formats (TBX, CSV) differ only in how they spell this; everything downstream — lint, the
matcher, ``l10n check`` — works on these objects.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from l10n.errors import L10nError
from l10n.glossary import languages as bcp47

Severity = Literal["error", "warning"]


class GlossaryError(L10nError):
    """A glossary file cannot be read (broken XML or CSV, unsafe XML, unknown format)."""


class Status(enum.Enum):
    """How a term may be used, after TBX's ``administrativeStatus``."""

    PREFERRED = "preferred"  # the term to suggest
    ADMITTED = "admitted"  # fine to use
    FORBIDDEN = "forbidden"  # TBX "deprecated": must not appear in a translation
    DISCOURAGED = "discouraged"  # TBX "superseded": still seen, should be replaced

    @property
    def allowed(self) -> bool:
        return self in (Status.PREFERRED, Status.ADMITTED)


def is_all_caps(text: str) -> bool:
    """Acronyms ("AI", "CICIR") are case-sensitive: "ai" or "Kai" is another word."""
    return any(c.isalpha() for c in text) and text == text.upper() and text != text.lower()


@dataclass(frozen=True, kw_only=True)
class Term:
    text: str  # whitespace-trimmed and collapsed; never empty
    language: str  # the tag as written in the file
    status: Status
    case_sensitive: bool
    line: int | None = None  # 1-based line in its file
    note: str = ""  # usage advice for this term ("self-styled name, never used")


@dataclass(frozen=True, kw_only=True)
class Concept:
    """One meaning and its terms in every language (a TBX ``conceptEntry``, a CSV row)."""

    id: str
    terms: tuple[Term, ...]
    dnt: bool = False  # do not translate: the source term appears verbatim in every language
    note: str = ""
    file: str = ""
    line: int | None = None
    languages: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Computed once: lookups run for every concept of every message checked.
        tags = tuple(dict.fromkeys(t.language for t in self.terms))
        object.__setattr__(self, "languages", tags)

    def terms_for(self, language: str) -> tuple[Term, ...]:
        """Terms of the tag that best serves ``language`` (exact, else a compatible one)."""
        tag = bcp47.best_tag(language, self.languages)
        if tag is None:
            return ()
        return tuple(t for t in self.terms if t.language == tag)

    def preferred(self, language: str) -> Term | None:
        """The term to suggest: the preferred one, else the first allowed one."""
        allowed = self.allowed(language)
        for term in allowed:
            if term.status is Status.PREFERRED:
                return term
        return allowed[0] if allowed else None

    def allowed(self, language: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms_for(language) if t.status.allowed)

    def forbidden(self, language: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms_for(language) if t.status is Status.FORBIDDEN)

    def discouraged(self, language: str) -> tuple[Term, ...]:
        return tuple(t for t in self.terms_for(language) if t.status is Status.DISCOURAGED)


@dataclass(frozen=True, kw_only=True)
class Glossary:
    concepts: tuple[Concept, ...]
    source_language: str

    def merged(self, other: Glossary) -> Glossary:
        """Both glossaries' concepts, in order; their source languages must agree."""
        if not bcp47.compatible(self.source_language, other.source_language):
            raise GlossaryError(
                f"cannot merge glossaries with source languages {self.source_language!r} "
                f"and {other.source_language!r}"
            )
        return Glossary(
            concepts=self.concepts + other.concepts, source_language=self.source_language
        )

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts)

    def __len__(self) -> int:
        return len(self.concepts)

    def languages(self) -> tuple[str, ...]:
        """Every language tag used, in order of first use."""
        return tuple(dict.fromkeys(tag for c in self.concepts for tag in c.languages))


@dataclass(frozen=True, kw_only=True)
class LintFinding:
    file: str
    line: int | None
    message: str
    severity: Severity

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True, kw_only=True)
class Reading:
    """A file's concepts plus what the reader noticed but could live with (for lint)."""

    concepts: tuple[Concept, ...]
    findings: tuple[LintFinding, ...] = ()


def clean_term(raw: str) -> tuple[str, str | None]:
    """``raw`` trimmed with whitespace runs collapsed, and why it needed that (or None).

    Spreadsheet cells and pretty-printed XML pick up stray spaces; the term still works,
    but lint says so because an exporter downstream may not be as forgiving.
    """
    text = " ".join(raw.split())
    if not text:
        return "", "empty term"
    if raw != raw.strip():
        return text, f"term {text!r} has leading or trailing whitespace"
    if text != raw:
        return text, f"term {text!r} has doubled or unusual whitespace"
    return text, None


def promote_first(terms: Iterable[tuple[Term, bool]]) -> list[Term]:
    """Apply TBX's default: with no preferred term, a first term without status is preferred.

    ``terms`` are one language's terms, each with whether its status was written.
    """
    items = list(terms)
    if not items or any(t.status is Status.PREFERRED for t, _ in items):
        return [t for t, _ in items]
    first, explicit = items[0]
    out = [t for t, _ in items]
    if not explicit and first.status is Status.ADMITTED:
        out[0] = Term(
            text=first.text,
            language=first.language,
            status=Status.PREFERRED,
            case_sensitive=first.case_sensitive,
            line=first.line,
            note=first.note,
        )
    return out

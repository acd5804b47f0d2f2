"""``l10n glossary lint``'s checks: everything about glossary files a terminologist can fix.

Broken files are findings too (not exceptions), so one run reports every file's problems.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import PurePosixPath

from l10n.glossary import languages as bcp47
from l10n.glossary.loader import CSV_SUFFIXES, read
from l10n.glossary.model import Concept, GlossaryError, LintFinding, Severity, Term


def lint(
    files: Mapping[str, bytes], *, source_language: str, languages: Sequence[str] = ()
) -> list[LintFinding]:
    """Findings for all ``files`` (name → content), ordered by file (as given), then line.

    With the project's target ``languages``, a language tag of a file that none of them
    (nor the source language) reads its terms from is a finding too."""
    findings: list[LintFinding] = []
    concepts: list[Concept] = []
    for name, data in files.items():
        try:
            reading = read(data, file=name)
        except GlossaryError as exc:
            findings.append(
                LintFinding(
                    file=exc.file or name, line=exc.line, message=exc.message, severity="error"
                )
            )
            continue
        findings.extend(reading.findings)
        reported = {
            f.message.split("'")[1]
            for f in reading.findings
            if f.message.startswith("unknown language tag")
        }
        findings.extend(
            f
            for f in _unknown_tags(reading.concepts, name)
            if f.message.split("'")[1] not in reported
        )
        if languages:
            project = (source_language, *languages)
            findings.extend(_unused_tags(reading.concepts, name, data, project))
        for concept in reading.concepts:
            findings.extend(_concept(concept, source_language))
        concepts.extend(reading.concepts)
    findings.extend(_shared_source_terms(concepts, source_language))
    order = {name: i for i, name in enumerate(files)}
    findings.sort(key=lambda f: (order.get(f.file, len(order)), f.line or 0))
    return findings


def _finding(concept: Concept, line: int | None, message: str, severity: Severity) -> LintFinding:
    return LintFinding(
        file=concept.file,
        line=line if line is not None else concept.line,
        message=message,
        severity=severity,
    )


def _unknown_tags(concepts: Sequence[Concept], file: str) -> Iterator[LintFinding]:
    seen: set[str] = set()
    for concept in concepts:
        for term in concept.terms:
            if term.language in seen:
                continue
            seen.add(term.language)
            if not bcp47.is_known(term.language):
                yield LintFinding(
                    file=file,
                    line=term.line,
                    message=f"unknown language tag {term.language!r}",
                    severity="error",
                )


def _unused_tags(
    concepts: Sequence[Concept], file: str, data: bytes, project: Sequence[str]
) -> Iterator[LintFinding]:
    """Tags whose terms no project language ever reads: the lookup (``best_tag``, per
    concept) picks another tag or none, so the column is silently useless."""
    first: dict[str, int | None] = {}
    chosen: set[str] = set()
    for concept in concepts:
        for term in concept.terms:
            first.setdefault(term.language, term.line)
        chosen.update(t for t in (bcp47.best_tag(p, concept.languages) for p in project) if t)
    spreadsheet = PurePosixPath(file).suffix.lower() in CSV_SUFFIXES
    for tag, line in first.items():
        if tag in chosen or not bcp47.is_known(tag):  # unknown tags are reported as such
            continue
        what = f'column "{tag}"' if spreadsheet else f'xml:lang "{tag}"'
        readers = [p for p in project if bcp47.compatible(p, tag)]
        if readers:
            # Another tag of the same concepts serves that language better.
            concept = next(c for c in concepts if tag in c.languages)
            winner = bcp47.best_tag(readers[0], concept.languages)
            message = f'{what} is never used: "{readers[0]}" reads "{winner}" instead'
        else:
            same = [
                p for p in project if bcp47.parse_tag(p).language == bcp47.parse_tag(tag).language
            ]
            hint = f'; did you mean "{same[0]}"?' if same else ""
            message = f"{what} matches no configured language{hint}"
        yield LintFinding(
            file=file,
            line=_header_line(data) if spreadsheet else line,
            message=message,
            severity="warning",
        )


def _header_line(data: bytes) -> int:
    """The line of a CSV file's header: its first line with a cell that is not blank."""
    text = data.decode("utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip(" \t,;\r"):
            return number
    return 1


def _same(a: Term, b: Term) -> bool:
    """Whether the matcher could confuse the two spellings."""
    if a.text == b.text:
        return True
    return a.text.casefold() == b.text.casefold() and not (a.case_sensitive and b.case_sensitive)


def _clash(earlier: Sequence[Term], later: Term) -> tuple[str, Severity] | None:
    """Why ``later`` conflicts with a term before it in the same concept and language."""
    for term in earlier:
        if not _same(term, later):
            continue
        if term.status.allowed != later.status.allowed:
            bad = later.status if not later.status.allowed else term.status
            return (
                f"term {later.text!r} ({later.language}) is both allowed and {bad.value}",
                "error",
            )
        if term.text == later.text:  # case variants of one status are fine ("ERNIE Bot")
            return f"term {later.text!r} ({later.language}) is listed twice", "warning"
    return None


def _concept(concept: Concept, source_language: str) -> Iterator[LintFinding]:
    if not concept.terms:
        yield _finding(concept, None, f"concept {concept.id!r} has no terms", "warning")
        return
    for language in concept.languages:
        terms = [t for t in concept.terms if t.language == language]
        for i, later in enumerate(terms):
            problem = _clash(terms[:i], later)
            if problem:
                yield _finding(concept, later.line, problem[0], problem[1])
    source = concept.terms_for(source_language)
    if concept.dnt:
        kept = [t for t in source if t.status.allowed]
        if not kept:
            yield _finding(
                concept,
                None,
                f"do-not-translate concept {concept.id!r} has no {source_language} term to keep",
                "error",
            )
            return
        spelled = {t.text for t in kept}
        for term in concept.terms:
            if term.status.allowed and term not in source and term.text not in spelled:
                yield _finding(
                    concept,
                    term.line,
                    f"do-not-translate concept {concept.id!r} has {term.language} term "
                    f"{term.text!r}; it must stay {kept[0].text!r}",
                    "warning",
                )
    elif not source:
        yield _finding(
            concept,
            None,
            f"concept {concept.id!r} has no {source_language} term, so articles never match it",
            "warning",
        )


def _shared_source_terms(
    concepts: Sequence[Concept], source_language: str
) -> Iterator[LintFinding]:
    by_key: dict[str, list[tuple[Concept, Term]]] = {}
    for concept in concepts:
        for term in concept.terms_for(source_language):
            by_key.setdefault(term.text.casefold(), []).append((concept, term))
    for group in by_key.values():
        for i, (concept, term) in enumerate(group):
            for other, other_term in group[:i]:
                if other is concept or not _same(other_term, term):
                    continue
                where = other.file if other.line is None else f"{other.file}:{other.line}"
                yield _finding(
                    concept,
                    term.line,
                    f"source term {term.text!r} is also in concept {other.id!r} ({where})",
                    "warning",
                )
                break

"""QA rules over translated PO entries: each rule returns findings for an entry.

Nothing here prints or reads files.  ``pipeline.check`` feeds the entries of every PO
file; ``checks.formats`` turns the findings into what CI dashboards read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from l10n.catalog.problems import problems as catalog_problems
from l10n.glossary.index import TermIndex, term_index
from l10n.glossary.model import Glossary, Status
from l10n.html import placeholders as ph
from l10n.html import rules as html
from l10n.html.reassemble import CONTROL

ERROR, WARNING = "error", "warning"

RULES: dict[str, tuple[str, str]] = {
    "GL001": (ERROR, "a glossary term of the source is not translated with an allowed term"),
    "GL002": (ERROR, "a forbidden glossary term is used"),
    "GL003": (ERROR, "a do-not-translate term is not kept verbatim"),
    "GL004": (WARNING, "a discouraged glossary term is used"),
    "GL005": (ERROR, "the same source text is translated differently in one language"),
    "PH001": (ERROR, "the placeholders of the translation do not match the source"),
    "PH002": (WARNING, "a number of the source is missing from the translation"),
    "PH003": (
        WARNING,
        "markup in the translation that is not a placeholder; it is published as text",
    ),
    "PH004": (ERROR, "control characters in the translation (ESC, NUL, …); not published"),
    "PO001": (ERROR, "msgfmt --check rejects the PO file (escape, duplicate, Plural-Forms)"),
    "PO002": (ERROR, "entries of the article's template are missing from the PO file"),
}
_RULE_ID = re.compile(r"[A-Z]{2}\d{3}")


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One translated PO entry, as the checks see it."""

    file: str  # relative to the project root
    line: int  # line of the entry's msgid
    language: str
    msgid: str
    msgctxt: str | None
    msgstr: str
    fuzzy: bool = False
    flags: tuple[str, ...] = ()

    def ignores(self, rule: str) -> bool:
        """``#, l10n-ignore:GL001`` silences GL001; ``l10n-ignore:GL001, GL002`` (PO flags
        split at commas) both; ``l10n-ignore:all`` every rule."""
        listing = False
        for flag in self.flags:
            flag = flag.strip()
            if flag.startswith("l10n-ignore:"):
                listing = True
                flag = flag.removeprefix("l10n-ignore:").strip()
            elif not (listing and _RULE_ID.fullmatch(flag)):
                listing = False
                continue
            if flag in (rule, "all"):
                return True
        return False


@dataclass(frozen=True, kw_only=True)
class Finding:
    rule: str
    severity: str
    file: str
    line: int
    language: str
    msgid: str
    msgstr: str
    message: str


# --- glossary rules --------------------------------------------------------------------


def _glossary_findings(entry: Entry, index: TermIndex) -> Iterable[Finding]:
    targets = index.target_hits(entry.msgstr)
    allowed = {
        id(h.concept)
        for h in targets
        if h.term.status in (Status.PREFERRED, Status.ADMITTED) or h.concept.dnt
    }
    flat = _flat(entry.msgstr)
    reported: set[tuple[str, int]] = set()
    for hit in index.source_hits(entry.msgid):
        concept = hit.concept
        key = ("GL003" if concept.dnt else "GL001", id(concept))
        if key in reported:
            continue
        reported.add(key)
        if concept.dnt:
            if hit.term.text not in flat:
                yield _finding(
                    entry, "GL003", f"do-not-translate term {hit.term.text!r} must appear verbatim"
                )
            continue
        wanted = concept.allowed(index.language)
        if wanted and id(concept) not in allowed:
            yield _finding(
                entry,
                "GL001",
                f"{hit.term.text!r} must be translated as {wanted[0].text!r}"
                + (f" (or {', '.join(repr(t.text) for t in wanted[1:])})" if wanted[1:] else ""),
            )
    for hit in targets:
        status = hit.term.status
        if status not in (Status.FORBIDDEN, Status.DISCOURAGED):
            continue
        preferred = hit.concept.preferred(index.language)
        instead = f"; use {preferred.text!r}" if preferred else ""
        if status is Status.FORBIDDEN:
            yield _finding(entry, "GL002", f"forbidden term {hit.term.text!r}{instead}")
        else:
            yield _finding(entry, "GL004", f"discouraged term {hit.term.text!r}{instead}")


# --- markup and number rules -----------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")


def _numbers(text: str) -> set[str]:
    text = ph.strip(text)
    # Other scripts' digits (and ², ³) count as the ASCII digits they stand for.  Found
    # through the set of characters, not a loop over them: this runs on every entry.
    other = {ord(c): str(unicodedata.digit(c)) for c in set(text) if c.isdigit() and c > "9"}
    if other:
        text = text.translate(other)
    return {re.sub(r"\D", "", n) for n in _NUMBER.findall(text)}


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", ph.PLACEHOLDER.sub("", text))


# A start or end tag as HTML spells it; placeholders start with a digit, so never match.
_TAG = re.compile(
    r"""<(?:/(?P<end>[A-Za-z][A-Za-z0-9]*)\s*"""
    r"""|(?P<start>[A-Za-z][A-Za-z0-9]*)"""
    r"""(?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*\s*/?)>"""
)


def _markup(text: str) -> list[str]:
    """Tags typed as text: the publisher escapes them, so readers see ``<b>``."""
    found = (m for m in _TAG.finditer(text) if (m["start"] or m["end"]).lower() in html.ELEMENTS)
    return list(dict.fromkeys(m[0] for m in found))


def _entry_findings(entry: Entry, index: TermIndex | None) -> Iterable[Finding]:
    problems = ph.problems(entry.msgid, entry.msgstr)
    if problems:
        yield _finding(entry, "PH001", "; ".join(problems))
    missing = sorted(_numbers(entry.msgid) - _numbers(entry.msgstr))
    if missing:
        yield _finding(entry, "PH002", f"number(s) {', '.join(missing)} missing")
    # A source that writes about tags ("use the <b> tag") keeps them in its translation.
    typed = _markup(entry.msgstr)
    if typed:
        typed = [tag for tag in typed if tag not in _markup(entry.msgid)]
    if typed:
        shown = ", ".join(typed)
        yield _finding(
            entry, "PH003", f"markup {shown} is not a placeholder; it is published as text"
        )
    controls = sorted(set(CONTROL.findall(entry.msgstr)))
    if controls:
        shown = ", ".join(f"U+{ord(c):04X}" for c in controls)
        many = len(controls) > 1
        yield _finding(
            entry,
            "PH004",
            f"control character{'s' * many} {shown} in the translation;"
            f" {'they are' if many else 'it is'} not published",
        )
    if index is not None:
        yield from _glossary_findings(entry, index)


def _finding(entry: Entry, rule: str, message: str) -> Finding:
    return Finding(
        rule=rule,
        severity=RULES[rule][0],
        file=entry.file,
        line=entry.line,
        language=entry.language,
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        message=message,
    )


def check(
    entries: Sequence[Entry],
    glossary: Glossary | None = None,
    *,
    include_fuzzy: bool = False,
    across_files: bool = True,
) -> list[Finding]:
    """All findings for translated entries (fuzzy ones only with ``include_fuzzy``).

    ``across_files=False`` leaves out GL005, which compares files: a caller checking an
    archive file by file runs ``consistency`` itself, with a ``FirstTranslations`` that
    need not hold the archive in memory.
    """
    active = [e for e in entries if e.msgstr and (include_fuzzy or not e.fuzzy)]
    findings: list[Finding] = []
    for entry in active:
        index = None if glossary is None else term_index(glossary, entry.language)
        findings.extend(f for f in _entry_findings(entry, index) if not entry.ignores(f.rule))
    if across_files:
        findings.extend(consistency(active, InMemoryFirst()))
    findings.sort(key=lambda f: (f.file, f.line, f.rule))
    return findings


@dataclass(frozen=True, kw_only=True, slots=True)
class Seen:
    """Where a source text was first translated, and how."""

    msgstr: str
    file: str
    line: int


class FirstTranslations(Protocol):
    def first(self, key: tuple[str, str | None, str], seen: Seen) -> Seen:
        """The first translation recorded under ``key``; records ``seen`` if none was."""
        ...


class InMemoryFirst:
    def __init__(self) -> None:
        self._seen: dict[tuple[str, str | None, str], Seen] = {}

    def first(self, key: tuple[str, str | None, str], seen: Seen) -> Seen:
        return self._seen.setdefault(key, seen)


def consistency(entries: Iterable[Entry], first: FirstTranslations) -> Iterable[Finding]:
    """GL005: a source text translated differently in another file of the same language."""
    for entry in entries:
        if not entry.msgstr:
            continue
        here = Seen(msgstr=entry.msgstr, file=entry.file, line=entry.line)
        seen = first.first((entry.language, entry.msgctxt, entry.msgid), here)
        if seen == here or seen.msgstr == entry.msgstr or seen.file == entry.file:
            continue
        if entry.ignores("GL005"):
            continue
        yield _finding(
            entry, "GL005", f"translated differently in {seen.file}:{seen.line}: {seen.msgstr!r}"
        )


def file_findings(
    text: str,
    *,
    file: str,
    language: str,
    missing: Sequence[str] = (),
    template_file: str = "",
) -> list[Finding]:
    """The rules about a PO file as a whole: PO001, what ``msgfmt --check`` rejects in it
    (Weblate, Poedit and every build that compiles it would refuse it too); PO002, the
    ``missing`` msgids of its template ``template_file`` (an emptied or truncated file)."""

    def finding(rule: str, line: int, message: str, msgid: str = "") -> Finding:
        return Finding(
            rule=rule,
            severity=RULES[rule][0],
            file=file,
            line=line,
            language=language,
            msgid=msgid,
            msgstr="",
            message=message,
        )

    found = [finding("PO001", p.line or 1, p.message) for p in catalog_problems(text, file=file)]
    if missing:
        count = len(missing)
        found.append(
            finding(
                "PO002",
                1,
                f"{count} entr{'y' if count == 1 else 'ies'} of {template_file or 'the template'}"
                f" missing (first: {missing[0][:60]!r}); run `l10n extract`",
                missing[0],
            )
        )
    return found


def summary(findings: Sequence[Finding]) -> dict[str, int]:
    return {
        "errors": sum(f.severity == ERROR for f in findings),
        "warnings": sum(f.severity == WARNING for f in findings),
    }

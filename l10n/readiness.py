"""Is a catalog ready to publish?  Its word counts and check errors, and the gate.

``facts`` boils one PO text down to the few numbers the publishing gate and
``l10n status`` need, so the pipeline can cache them per catalog (an archive of
10,000 articles is not re-read and re-checked on every publish).  ``shortfall`` says,
in words an editor reads, what keeps one article's catalog below its gate.

Completeness is counted against the article's template (POT): a catalog that has lost
entries of its template (an emptied or truncated file) is not complete, however few of
its remaining entries are untranslated, and never meets a gate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from l10n import catalog, checks
from l10n.glossary import Glossary


@dataclass(frozen=True, kw_only=True)
class Facts:
    """Entry and word counts of one catalog, and its check errors."""

    exists: bool = True
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    errors: int = 0  # `l10n check` errors among reviewed entries
    errors_with_fuzzy: int = 0  # ... when fuzzy entries are checked too
    # Template entries the catalog lacks (counted in ``untranslated`` too).
    missing: int = 0
    # What `msgfmt --check` rejects in the file ("file:line: why"), or "".
    invalid: str = ""
    # Pseudo-localized entries (fake text): drafts, and ones no longer marked fuzzy.
    pseudo: int = 0
    pseudo_reviewed: int = 0
    # Fuzzy entries with the source they were made for ("#|"): a human's earlier text.
    previous: int = 0

    @property
    def words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    def percent(self, *, count_fuzzy: bool = False) -> float:
        """Share of words translated and reviewed (or, drafts, merely translated)."""
        done = self.translated_words + (self.fuzzy_words if count_fuzzy else 0)
        return 100.0 if self.words == 0 else done * 100 / self.words

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Facts:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)  # type: ignore[arg-type]


MISSING = Facts(exists=False)


def check_entries(text: str, *, file: str, language: str) -> list[checks.Entry]:
    """The entries of a PO text as the QA rules see them."""
    return _as_check_entries(catalog.translations(text, file=file), file, language)


def _as_check_entries(
    entries: Sequence[catalog.Translation], file: str, language: str
) -> list[checks.Entry]:
    return [
        checks.Entry(
            file=file,
            line=t.line,
            language=language,
            msgid=t.msgid,
            msgctxt=t.msgctxt,
            msgstr=t.msgstr,
            fuzzy=t.fuzzy,
            flags=t.flags,
        )
        for t in entries
    ]


def missing_entries(
    text: str, template: str, *, file: str, template_file: str
) -> list[catalog.Translation]:
    """The entries of ``template`` (POT text) that the catalog ``text`` lacks.

    An entry is its (msgctxt, msgid); an obsolete entry of the catalog does not count
    as present.  ``l10n extract`` restores them (as untranslated entries).
    """
    return _missing(catalog.translations(text, file=file), template, template_file)


def _missing(
    entries: Sequence[catalog.Translation], template: str, template_file: str
) -> list[catalog.Translation]:
    present = {(t.msgctxt, t.msgid) for t in entries}
    wanted = catalog.translations(template, file=template_file)
    return [t for t in wanted if (t.msgctxt, t.msgid) not in present]


def missing_reason(count: int, template_file: str) -> str:
    """What an editor reads about ``count`` entries missing from a catalog."""
    entries = "entry" if count == 1 else "entries"
    verb = "is" if count == 1 else "are"
    return f"{count} {entries} of {template_file} {verb} missing; run `l10n extract`"


def facts(
    text: str,
    *,
    file: str,
    language: str,
    glossary: Glossary | None,
    template: str | None = None,
    template_file: str = "",
) -> Facts:
    """``template``: the article's POT text, whose entries the catalog should all have
    (``None`` when there is none to compare with)."""
    entries = catalog.translations(text, file=file)
    lost = [] if template is None else _missing(entries, template, template_file or file)
    stats = catalog.stats_of([*entries, *lost])
    # One pass with drafts included: every rule but GL005 looks at one entry at a time,
    # and GL005 only compares files, so the reviewed entries' findings are among these.
    found = checks.check(_as_check_entries(entries, file, language), glossary, include_fuzzy=True)
    drafts = {t.line for t in entries if t.fuzzy}
    errors = [f for f in found if f.severity == checks.ERROR]
    fake = [t for t in entries if is_pseudo(t)]
    return Facts(
        translated=stats.translated,
        fuzzy=stats.fuzzy,
        untranslated=stats.untranslated,
        translated_words=stats.translated_words,
        fuzzy_words=stats.fuzzy_words,
        untranslated_words=stats.untranslated_words,
        errors=sum(1 for f in errors if f.line not in drafts),
        errors_with_fuzzy=len(errors),
        missing=len(lost),
        invalid=_invalid(text, file),
        pseudo=sum(1 for t in fake if t.fuzzy),
        pseudo_reviewed=sum(1 for t in fake if not t.fuzzy),
        previous=sum(
            1
            for t in entries
            if t.fuzzy and t.msgstr and t.previous_msgid is not None and not is_pseudo(t)
        ),
    )


_PSEUDO_COMMENT = catalog.MACHINE_COMMENT + "pseudo"


def is_pseudo(t: catalog.Translation) -> bool:
    """Fake text from the pseudo engine: its flag, or, on a draft, its tool comment (GNU
    msgcat and msgmerge keep only the flags they know, and drop ``l10n-pseudo``)."""
    if not t.msgstr:
        return False
    return catalog.PSEUDO in t.flags or (t.fuzzy and _PSEUDO_COMMENT in t.tcomment.split("\n"))


def _invalid(text: str, file: str) -> str:
    rejected = catalog.problems(text, file=file)
    if not rejected:
        return ""
    more = len(rejected) - 1
    others = f" (and {more} more)" if more else ""
    return f"{rejected[0]}{others}; msgfmt --check rejects the file"


@dataclass(frozen=True, kw_only=True)
class Gate:
    """What a language needs before it is published."""

    min_complete: float  # percent of words
    allow_fuzzy: bool = False  # drafts: fuzzy words count, and are checked
    ignore_check: bool = False
    allow_pseudo: bool = False  # pseudo-localized text may go live (layout tests)

    def shortfall(self, found: Facts, *, template: str = "the template") -> str | None:
        """What is missing, or ``None`` when the catalog meets the gate.

        ``template``: the POT file, named when entries of it are missing.
        """
        if not found.exists:
            return "no catalog (run `l10n extract`)" if self.min_complete > 0 else None
        problems = []
        if found.invalid:  # never published, whatever the gate or --ignore-check say
            problems.append(found.invalid)
        if found.missing:  # whatever min_complete says: the catalog is damaged
            problems.append(missing_reason(found.missing, template))
        percent = found.percent(count_fuzzy=self.allow_fuzzy)
        if percent + 1e-9 < self.min_complete:
            what = "translated" if self.allow_fuzzy else "translated and reviewed"
            left = [f"{found.untranslated} untranslated"] if found.untranslated else []
            if found.fuzzy and not self.allow_fuzzy:
                left.append(f"{found.fuzzy} fuzzy")
            detail = f" ({', '.join(left)} entries)" if left else ""
            problems.append(
                f"{_percent(percent)}% of words {what}, needs {_percent(self.min_complete)}%"
                + detail
            )
        fake = found.pseudo_reviewed + (found.pseudo if self.allow_fuzzy else 0)
        if fake and not self.allow_pseudo:
            one = fake == 1
            problems.append(
                f"{fake} pseudo-translated {'entry' if one else 'entries'} (fake text); "
                f"translate {'it' if one else 'them'} with a real engine "
                "(`l10n translate --refresh-fuzzy`) or publish with --allow-pseudo"
            )
        errors = found.errors_with_fuzzy if self.allow_fuzzy else found.errors
        if errors and not self.ignore_check:
            problems.append(f"{errors} `l10n check` error{'s' if errors != 1 else ''}")
        return "; ".join(problems) or None


def _percent(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")

"""Is a catalog ready to publish?  Its word counts and check errors, and the gate.

``facts`` boils one PO text down to the few numbers the publishing gate and
``l10n status`` need, so the pipeline can cache them per catalog (an archive of
10,000 articles is not re-read and re-checked on every publish).  ``shortfall`` says,
in words an editor reads, what keeps one article's catalog below its gate.
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


def facts(text: str, *, file: str, language: str, glossary: Glossary | None) -> Facts:
    entries = catalog.translations(text, file=file)
    stats = catalog.stats_of(entries)
    # One pass with drafts included: every rule but GL005 looks at one entry at a time,
    # and GL005 only compares files, so the reviewed entries' findings are among these.
    found = checks.check(_as_check_entries(entries, file, language), glossary, include_fuzzy=True)
    drafts = {t.line for t in entries if t.fuzzy}
    errors = [f for f in found if f.severity == checks.ERROR]
    return Facts(
        translated=stats.translated,
        fuzzy=stats.fuzzy,
        untranslated=stats.untranslated,
        translated_words=stats.translated_words,
        fuzzy_words=stats.fuzzy_words,
        untranslated_words=stats.untranslated_words,
        errors=sum(1 for f in errors if f.line not in drafts),
        errors_with_fuzzy=len(errors),
    )


@dataclass(frozen=True, kw_only=True)
class Gate:
    """What a language needs before it is published."""

    min_complete: float  # percent of words
    allow_fuzzy: bool = False  # drafts: fuzzy words count, and are checked
    ignore_check: bool = False

    def shortfall(self, found: Facts) -> str | None:
        """What is missing, or ``None`` when the catalog meets the gate."""
        if not found.exists:
            return "no catalog (run `l10n extract`)" if self.min_complete > 0 else None
        problems = []
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
        errors = found.errors_with_fuzzy if self.allow_fuzzy else found.errors
        if errors and not self.ignore_check:
            problems.append(f"{errors} `l10n check` error{'s' if errors != 1 else ''}")
        return "; ".join(problems) or None


def _percent(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")

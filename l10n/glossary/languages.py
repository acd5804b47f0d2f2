"""BCP 47 language tags as glossaries use them: loose enough to find ``zh-CN`` terms when a
project asks for ``zh-Hans``, strict enough never to hand ``zh-Hant`` terms to ``zh-Hans``.

Two tags are compatible when they name the same language and the same script, where a
missing script is filled in from CLDR's likely subtags (``zh-TW`` is written in Hant,
``zh`` and ``zh-SG`` in Hans, ``sr`` in Cyrillic).  Regions never make tags incompatible:
a Mexican Spanish glossary is better than none for ``es-ES``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global


@dataclass(frozen=True, kw_only=True)
class Tag:
    """The parts of a tag that matter for lookup; all ``""`` when absent."""

    language: str  # lower case
    script: str  # title case, as written or inferred
    region: str  # upper case ("419" for Latin America)
    written_script: bool  # the script came from the tag itself, not from inference


def canonical(tag: str) -> str:
    """``tag`` with conventional casing (``zh-hans-cn`` → ``zh-Hans-CN``), ``_`` read as ``-``."""
    parts = [p for p in tag.strip().replace("_", "-").split("-") if p]
    out: list[str] = []
    for i, part in enumerate(parts):
        if i == 0:
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


@lru_cache(maxsize=4096)
def parse_tag(tag: str) -> Tag:
    """Split ``tag``; never raises, because lookup must work for tags Babel does not know."""
    parts = canonical(tag).split("-")
    language, script, region = parts[0], "", ""
    for part in parts[1:]:
        if not script and not region and len(part) == 4 and part.isalpha():
            script = part
        elif not region and ((len(part) == 2 and part.isalpha()) or part.isdigit()):
            region = part
    written = bool(script)
    if not script:
        script = _likely_script(language, region)
    return Tag(language=language, script=script, region=region, written_script=written)


def _likely_script(language: str, region: str) -> str:
    likely: Mapping[str, str] = get_global("likely_subtags")
    for key in (f"{language}_{region}" if region else "", language):
        if key and key in likely:
            parts = likely[key].split("_")
            if len(parts) > 1 and len(parts[1]) == 4:
                return parts[1]
    return ""


def _likely_region(language: str, script: str) -> str:
    likely: Mapping[str, str] = get_global("likely_subtags")
    for key in (f"{language}_{script}" if script else "", language):
        if key and key in likely:
            last = likely[key].split("_")[-1]
            if last.isupper() or last.isdigit():
                return last
    return ""


def compatible(a: str, b: str) -> bool:
    """Same language, and the same script where both scripts are known."""
    ta, tb = parse_tag(a), parse_tag(b)
    if ta.language != tb.language:
        return False
    return not (ta.script and tb.script and ta.script != tb.script)


@lru_cache(maxsize=16384)
def best_tag(wanted: str, available: tuple[str, ...]) -> str | None:
    """The tag of ``available`` whose terms serve ``wanted`` best, or None.

    An exact tag (ignoring case) wins; then, among compatible tags: the same region, no
    region at all, the region ``wanted`` most likely means (``es`` → ``ES``), any other.
    Ties go to the earlier tag, so a file's order decides between equals.
    """
    key = canonical(wanted).lower()
    for tag in available:
        if canonical(tag).lower() == key:
            return tag
    want = parse_tag(wanted)
    likely_region = want.region or _likely_region(want.language, want.script)
    best: tuple[int, int] | None = None
    found: str | None = None
    for index, tag in enumerate(available):
        if not compatible(wanted, tag):
            continue
        have = parse_tag(tag)
        if want.region and have.region == want.region:
            rank = 0
        elif not have.region:
            rank = 1
        elif have.region == likely_region:
            rank = 2
        else:
            rank = 3
        if best is None or (rank, index) < best:
            best, found = (rank, index), tag
    return found


def find(wanted: str, available: Sequence[str]) -> str | None:
    """:func:`best_tag` for any sequence."""
    return best_tag(wanted, tuple(available))


def is_known(tag: str) -> bool:
    """Whether Babel (CLDR) knows the tag; an unknown tag in a glossary is a typo."""
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


# Language, optional script, optional region, variants: the subset of BCP 47 that
# gettext and babel both understand.  Babel alone also accepts POSIX spellings such
# as "en_US.UTF-8" or "en@euro", which would make odd folder names.
_TAG = re.compile(
    r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
)


def strict_locale(tag: str) -> Locale | None:
    """The locale of a tag as ``l10n.toml`` may write it (case aside), or None."""
    if not _TAG.fullmatch(tag):
        return None
    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    # Babel quietly swaps "und" for en_US and deprecated codes ("iw") for current ones;
    # folder names and PO headers would then disagree.
    return locale if locale.language == tag.split("-")[0].lower() else None

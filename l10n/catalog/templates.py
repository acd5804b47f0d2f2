"""Templates: segments become POT messages; headers and metadata of catalogs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from babel import Locale
from babel.messages.plurals import get_plural

from l10n import po
from l10n.config import gettext_language
from l10n.html.model import Segment

GENERATOR = "l10n"
FUZZY = "fuzzy"
# Beside ``fuzzy`` on pseudo-localized entries: fake text, which publish never shows.
PSEUDO = "l10n-pseudo"

MACHINE_COMMENT = "machine translation: "

_DATE_FORMAT = "%Y-%m-%d %H:%M%z"


@dataclass(frozen=True, kw_only=True)
class Message:
    """One template entry: a distinct msgid with everything translators are told about it."""

    msgid: str
    msgctxt: str | None = None
    locations: tuple[str, ...] = ()  # "articles/ai.html#main/p[3]"
    comments: tuple[str, ...] = ()  # extracted comments ("#."), in order, no repeats


# --- segments to template ---------------------------------------------------------------


def messages_from_segments(
    article: str,
    segments: Sequence[Segment],
    notes: Mapping[str, Sequence[str]] | None = None,
) -> list[Message]:
    """One message per distinct msgid of an article, in order of first occurrence.

    ``article`` prefixes each location (``articles/ai.html``); ``notes`` adds extra
    extracted comments per msgid (glossary hints).
    """
    # Dicts with None values are ordered sets: first occurrence decides the order.
    locations: dict[str, dict[str, None]] = {}
    comments: dict[str, dict[str, None]] = {}
    for segment in segments:
        if not segment.msgid:
            continue  # msgid "" is the PO header; an empty segment has nothing to translate
        locations.setdefault(segment.msgid, {})[f"{article}:{segment.location}"] = None
        said = comments.setdefault(segment.msgid, {})
        said.update(dict.fromkeys(filter(None, (segment.context, *segment.legend))))
    for msgid, extra in (notes or {}).items():
        if msgid in comments:
            comments[msgid].update(dict.fromkeys(extra))
    return [
        Message(msgid=msgid, locations=tuple(where), comments=tuple(comments[msgid]))
        for msgid, where in locations.items()
    ]


def render_template(
    messages: Sequence[Message],
    *,
    project: str = "l10n",
    creation_date: datetime | None = None,
) -> str:
    """POT text for ``messages``; ``creation_date`` defaults to now (pin it in tests)."""
    metadata = {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": _format_date(creation_date or datetime.now(UTC)),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    combined: dict[tuple[str | None, str], po.Entry] = {}
    for message in messages:
        locations = message.locations
        if _SPACE_OR_STAR.search("".join(locations)):
            locations = tuple(_one_word(location) for location in locations)
        entry = combined.get((message.msgctxt, message.msgid))
        if entry is None:
            # Duplicates would make msgfmt reject the file, so they merge like xgettext's.
            comment = "\n".join(_comment_lines(message.comments))
            files = tuple(dict.fromkeys(locations) if len(locations) > 1 else locations)
            combined[message.msgctxt, message.msgid] = po.Entry(
                message.msgid, "", message.msgctxt, comment, "", files
            )
            continue
        for location in locations:
            if location not in entry.files:
                entry.files += (location,)
        lines = entry.comment.split("\n") if entry.comment else []
        lines += [c for c in _comment_lines(message.comments) if c not in lines]
        entry.comment = "\n".join(lines)
    return po.write(f"Translation template for {project}.", metadata, combined.values())


def _format_date(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.strftime(_DATE_FORMAT)


def _one_word(location: str) -> str:
    # "#:" lines are split on whitespace when read back, so a space would cut a location;
    # polib wraps long "#:" lines by turning "-" into "*" and back, which would eat a "*".
    return _SPACE_OR_STAR.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), location)


_SPACE_OR_STAR = re.compile(r"[\s*]")


def _comment_lines(comments: Iterable[str]) -> list[str]:
    # A bare "\r" (or other line break) inside a "#." line would end the comment when read
    # back and turn the rest of the line into a syntax error.
    return [line for comment in comments for line in comment.splitlines() if line.strip()]


def _metadata(pot: Mapping[str, str], *, language: str, source: str) -> dict[str, str]:
    """A new catalog's header: what msginit would write, in values msgfmt --check takes
    without warnings."""
    created = pot.get("POT-Creation-Date") or _format_date(datetime.now(UTC))
    return {
        "Project-Id-Version": pot.get("Project-Id-Version", GENERATOR),
        "Report-Msgid-Bugs-To": pot.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": created,
        "PO-Revision-Date": created,
        "Last-Translator": "",
        "Language-Team": _english(language),
        "Language": gettext_language(language),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": _plural_forms(language),
        "X-Generator": GENERATOR,
        "X-Source-Language": source,
    }


# The fields msgfmt --check-header asks for, and Plural-Forms, which editors need.
_REQUIRED = (
    "Project-Id-Version PO-Revision-Date Last-Translator Language-Team Language MIME-Version "
    "Content-Type Content-Transfer-Encoding Plural-Forms"
).split()


def _merged_metadata(
    pot: Mapping[str, str], old: Mapping[str, str], *, language: str, source: str
) -> dict[str, str]:
    """An existing catalog's header after a merge, as msgmerge leaves it: the template's
    POT-Creation-Date and Report-Msgid-Bugs-To, the rest as the translator left it
    (Plural-Forms above all, which babel's data may since have changed), plus the
    required fields it lacks."""
    new = _metadata(pot, language=language, source=source)
    metadata = dict(old)
    for name in _REQUIRED:
        metadata.setdefault(name, new[name])
    metadata["POT-Creation-Date"] = new["POT-Creation-Date"]
    if "Report-Msgid-Bugs-To" in pot:  # msgmerge takes this one from the template too
        metadata["Report-Msgid-Bugs-To"] = pot["Report-Msgid-Bugs-To"]
    # The folder the file lives in decides its language, and the CLI writes UTF-8.
    metadata["Language"] = new["Language"]
    if "charset=utf-8" not in metadata["Content-Type"].lower().replace(" ", ""):
        metadata["Content-Type"] = new["Content-Type"]
    return metadata


@cache
def _plural_forms(language: str) -> str:
    return str(get_plural(Locale.parse(gettext_language(language))).plural_forms)


@cache
def _english(language: str) -> str:
    return Locale.parse(gettext_language(language)).english_name or language

"""The words of the OpenAI-compatible engine: prompts, the reply's schema, token
estimates, requests cut at entry boundaries, and checking what comes back.

Pure functions over :class:`~l10n.translate.article.ArticleEntry`; no network here.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from l10n.html import placeholders as ph
from l10n.translate.article import ArticleEntry
from l10n.translate.placeholder_codecs import split_outer_space
from l10n.translate.protect import Protected, missing_terms

# Answers are asked for in this shape; "strict" needs every property listed as required
# and no others allowed.
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "text": {"type": "string"}},
                "required": ["id", "text"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["items"],
    "additionalProperties": False,
}

# How the reply's format is asked for, most exact first; a server that rejects one gets
# the next (llama.cpp, LM Studio and older vLLM or Azure API versions lack some).
FORMATS = ("json_schema", "json_object", "plain")

# Translations run longer than their source (and CJK output costs a token a character):
# a generous guess keeps a request's answer inside the budget; ``finish_reason:
# "length"`` still splits a request whose answer was cut off.
OUTPUT_FACTOR = 1.6
PER_ITEM = 12  # the JSON around one item, each way
PER_REQUEST = 40  # chat-format overhead of a request

_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_FENCE = re.compile(r"^\s*```[A-Za-z]*\s*\n?(.*?)\n?```\s*$", re.DOTALL)


def estimate_tokens(text: str) -> int:
    """About how many tokens ``text`` is: four characters a token for alphabetic
    scripts, one a character for Chinese, Japanese and Korean."""
    wide = len(_WIDE.findall(text))
    return wide + math.ceil((len(text) - wide) / 4)


def response_format(level: str) -> dict[str, Any] | None:
    """The ``response_format`` of the request for one of :data:`FORMATS`."""
    if level == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": "translations", "strict": True, "schema": SCHEMA},
        }
    if level == "json_object":
        return {"type": "json_object"}
    return None


def system_prompt(source: str, target: str, title: str) -> str:
    """The instructions; ``source`` and ``target`` are language names."""
    about = f' The article is titled "{title}".' if title else ""
    return (
        f"You are a professional news translator. Translate from {source} into {target}."
        f"{about} The user message is JSON: the article's entries in document order, each "
        'with an "id" and a "text". Read them as one article, so names, terms and tone '
        "stay consistent, but translate each entry on its own: never merge, split, skip "
        "or add entries, and add no notes.\n"
        "Rules for each entry:\n"
        '- "tags" lists markup such as <1>, </1> and <2/>: keep every one of them exactly '
        "once, unchanged, around the words they belong to.\n"
        '- "terms" gives required translations: use each "target" exactly as written.\n'
        '- "keep" lists words to leave exactly as they are (names, brands).\n'
        'Reply with JSON only, in the form {"items": [{"id": "…", "text": "…"}]}, one item '
        "per entry, with the entry's id."
    )


def user_message(entries: Sequence[ArticleEntry]) -> str:
    """The entries as the JSON the system prompt describes."""
    items: list[dict[str, Any]] = []
    for entry in entries:
        item: dict[str, Any] = {"id": entry.id, "text": entry.text}
        tags = [entry.text[p.start : p.end] for p in ph.pieces(entry.text) if isinstance(p, ph.Tag)]
        if tags:
            item["tags"] = tags
        terms = [{"source": s, "target": t} for s, t in entry.terms if s != t]
        if terms:
            item["terms"] = terms
        keep = [s for s, t in entry.terms if s == t]
        if keep:
            item["keep"] = keep
        items.append(item)
    return json.dumps({"entries": items}, ensure_ascii=False)


def request_tokens(entries: Sequence[ArticleEntry], fixed: int) -> int:
    """Estimated tokens of one request for ``entries``, its answer included; ``fixed``
    is the system prompt's estimate."""
    total = fixed + PER_REQUEST
    for entry in entries:
        total += _entry_tokens(entry)
    return total


def _entry_tokens(entry: ArticleEntry) -> int:
    asked = estimate_tokens(user_message([entry])) + PER_ITEM
    answered = math.ceil(estimate_tokens(entry.text) * OUTPUT_FACTOR) + PER_ITEM
    return asked + answered


def chunks(entries: Sequence[ArticleEntry], *, fixed: int, budget: int) -> list[list[ArticleEntry]]:
    """``entries`` in order, cut at entry boundaries into as few requests as ``budget``
    tokens (request and answer) allow; an entry larger than the budget goes alone."""
    out: list[list[ArticleEntry]] = []
    current: list[ArticleEntry] = []
    used = fixed + PER_REQUEST
    for entry in entries:
        size = _entry_tokens(entry)
        if current and used + size > budget:
            out.append(current)
            current, used = [], fixed + PER_REQUEST
        current.append(entry)
        used += size
    if current:
        out.append(current)
    return out


def parse_reply(content: str) -> dict[str, str] | None:
    """The translations in a reply, by id (``None``: not JSON of a shape we know).

    Accepted: ``{"items": [{"id", "text"}]}`` (what is asked for), a bare list of items,
    or an object mapping ids to texts; a Markdown code fence around it is ignored.  The
    first item of an id wins; an item that is not an (id, text) pair is skipped."""
    fenced = _FENCE.match(content)
    try:
        data = json.loads(fenced.group(1) if fenced else content)
    except ValueError:
        return None
    if isinstance(data, Mapping) and isinstance(data.get("items"), list):
        data = data["items"]
    found: dict[str, str] = {}
    if isinstance(data, list):
        for item in data:
            if not isinstance(item, Mapping):
                continue
            key, text = item.get("id"), item.get("text")
            if isinstance(key, int) and not isinstance(key, bool):
                key = str(key)
            if isinstance(key, str) and isinstance(text, str):
                found.setdefault(key, text)
        return found
    if isinstance(data, Mapping) and data and all(isinstance(v, str) for v in data.values()):
        return {str(k): str(v) for k, v in data.items()}
    return None


def check(entry: ArticleEntry, answer: str | None) -> tuple[str | None, str]:
    """(the translation to keep, or None; why not).  The entry's outer whitespace is
    put back, since models trim it."""
    if answer is None:
        return None, "the reply had no item for it"
    lead, _, trail = split_outer_space(entry.text)
    text = unicodedata.normalize("NFC", answer).strip()
    if not text and any(ch.isalnum() for ch in ph.strip(entry.text)):
        return None, "the reply's item was empty"
    damage = ph.problems(entry.text, text)
    if damage:
        return None, f"placeholders damaged ({', '.join(damage)})"
    missing = missing_terms(text, Protected(text=entry.text, terms={}, required=entry.terms))
    if missing:
        shown = ", ".join(f"{s} → {t}" for s, t in missing)
        return None, f"glossary term missing ({shown})"
    return lead + text + trail, ""

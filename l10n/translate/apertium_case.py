"""The capital Apertium gives a word it takes for a sentence's first, and taking it back.

Apertium's pairs capitalize the first word of every sentence whatever its case in the
source (eng-spa's transfer rules set the case of the first chunk after a sentence end),
and a placeholder is invisible to them, so in ``<1/> of <2/> says``, with a glossary
term in each placeholder, "of" opens the sentence: ``<1/> De <2/> dice``.

So before a lower-case word that Apertium takes for a sentence's first (the message's
first word, or the first after a sentence end, whatever placeholders come before it),
the stream gets an empty pair of ``[l10n:k]`` superblanks (``_LEAD``), which change
nothing, and the same message goes again with a comma between them (``_LEAD_COMMA``),
after which the word has its mid-sentence case: ``<1/>, de <2/> dice``.  The first
translation keeps its words and takes that case (``_recase``), because the comma could
change more than the case.  A word the msgid capitalizes gets no mark, so a real
sentence start keeps its capital; so does a word whose translation is capitalized
mid-sentence too ("I", a name).  The reader drops the marks and whatever Apertium left
between them.
"""

from __future__ import annotations

import re

_LEAD = "[l10n:k][l10n:k]"
_LEAD_COMMA = "[l10n:k],[l10n:k]"
_LEAD_MARK = "l10n:k"
_CLOSING = "\"')]}»”’"
_WORD = re.compile(r"\w+")
# Apertium's output stream: a word-bound blank, a superblank, an escaped character, or
# any other character.
_STREAM_TOKEN = re.compile(
    r"(\[\[(?:\\.|[^\\\]])*\]\])|(\[(?:\\.|[^\\\]])*\])|\\(.)|(.)", re.DOTALL
)


def _starts_lower(text: str) -> bool:
    """Is the first letter or digit of ``text`` a lower-case letter?"""
    return next((c for c in text if c.isalnum()), "").islower()


def _ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSING).endswith((".", "!", "?", "…"))


def _recase(plain: str, comma: str) -> str:
    """``plain`` (Apertium's output of a stream with ``_LEAD`` marks), its first word
    after each mark in the case it has after the comma in ``comma`` (the output of the
    same stream with ``_LEAD_COMMA``)."""
    spots, cased = plain.split(_LEAD), comma.split(_LEAD_COMMA)
    if len(spots) == 1 or len(spots) != len(cased):
        return plain
    out = [spots[0]]
    for text, model in zip(spots[1:], cased[1:], strict=True):
        i, j = _first_letter(text), _first_letter(model)
        if i is not None and j is not None and model[j].islower() and text[i].isupper():
            word, like = _WORD.match(text, i), _WORD.match(model, j)
            assert word is not None and like is not None  # both start with a letter
            if word.group().lower() == like.group().lower():  # "IPHONE", "iPhone"
                text = text[:i] + like.group() + text[word.end() :]
            else:
                text = text[:i] + text[i].lower() + text[i + 1 :]
        out.append(text)
    return _LEAD.join(out)


def _first_letter(stream: str) -> int | None:
    """Index of the first letter of the stream's text (outside blanks), or None when a
    digit, a sentence end, the message's end or another mark comes first."""
    for token in _STREAM_TOKEN.finditer(stream):
        superblank = token.group(2)
        if superblank is not None:
            if superblank in ("[]", f"[{_LEAD_MARK}]") or superblank.startswith("[l10n:s"):
                return None
            continue
        if token.group(1) is not None:
            continue  # a word-bound blank
        c = token.group(3) or token.group(4)
        if c.isalpha():
            return token.start(3) if token.group(3) else token.start()
        if c.isdigit():
            return None
    return None

"""Sentence mode: a run split at its sentence ends, so translators get one sentence
per entry.  Only the run's top-level text is split: a sentence end inside an inline
element (a link, an emphasis) stays inside its placeholder pair."""

from __future__ import annotations

import re
from collections.abc import Iterator

from l10n.html.msgid import Item
from l10n.html.parser import Node

# Sentence ends: terminal punctuation, optional closing quotes/brackets, whitespace,
# then something that starts a sentence.  CJK full stops need no space after them.
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])[\"'”’»)\]]*([\t\n\f\r ]+)"
    r"(?=[\"'“‘«(\[¿¡]*[A-Z0-9\u00C0-\u00DE\u0391-\u03A9\u0410-\u042F])"
    r"|(?<=[。！？])()(?=[^\s。！？」』”）])"
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc e.g i.e u.s u.k u.n inc co corp ltd no gen sen rep "
    "gov lt col capt sgt mt ft jan feb mar apr jun jul aug sep sept oct nov dec fig".split()
)


def split_sentences(text: str, items: list[Item]) -> Iterator[list[Item]]:
    """Split a run at sentence ends found in its top-level text."""
    current: list[Item] = []
    for item in items:
        if not (isinstance(item, Node) and item.kind == "text"):
            current.append(item)
            continue
        pos = item.start
        for m in _SENTENCE_END.finditer(text, item.start, item.end):
            if _is_abbreviation(text, item.start, m.start()):
                continue
            gap_start = m.start(1) if m.group(1) is not None else m.start(2)
            gap_end = m.end(1) if m.group(1) is not None else m.end(2)
            current.append(Node("text", pos, gap_start))
            yield current
            current = []
            pos = gap_end
        current.append(Node("text", pos, item.end))
    yield current


def _is_abbreviation(text: str, run_start: int, end: int) -> bool:
    """Is the word before the full stop at ``end`` an abbreviation or an initial?"""
    before = text[run_start:end].rstrip("\"'”’»)]")
    if not before.endswith("."):
        return False
    word = before[:-1].rsplit(None, 1)[-1] if before[:-1].split() else ""
    word = word.lstrip("(\"'“‘«")
    return (len(word) == 1 and word.isalpha()) or word.lower() in _ABBREVIATIONS

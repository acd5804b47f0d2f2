"""Similarity of source texts (for fuzzy matches in merge and translation memory) and
word counts that treat CJK and Thai characters as words."""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from rapidfuzz.distance import Indel

SIMILARITY = 0.6  # msgmerge's threshold for offering an old translation as fuzzy

# Scripts written without spaces between words: each character counts as a word.
_CHARACTER_WORDS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
    (0x20000, 0x3134F),  # CJK extensions B-G
)


_IDEOGRAPHS = "".join(f"{chr(low)}-{chr(high)}" for low, high in _CHARACTER_WORDS)
_IDEOGRAPH = re.compile(f"[{_IDEOGRAPHS}]")


_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def count_words(text: str) -> int:
    """Words in ``text``: runs of letters/digits, plus one per CJK, kana or Thai character."""
    if text.isascii():  # most source text: the same count, without a loop in Python
        return len(_ASCII_WORD.findall(text))
    words = 0
    in_word = False
    for char in text:
        kind = unicodedata.category(char)[0]
        if _IDEOGRAPH.match(char):
            words += kind != "M"  # a combining vowel sign belongs to the letter before it
            in_word = False
        elif kind in "LN" or (kind == "M" and in_word):
            words += not in_word
            in_word = True
        else:
            in_word = False
    return words


class Similar:
    """Finds the old msgid closest to a new one, as msgmerge's fuzzy search does.

    The measure is 2·LCS/(m+n) by characters, what difflib's ratio without autojunk
    approximates (rapidfuzz's Indel similarity computes it exactly, in microseconds for a
    paragraph where SequenceMatcher takes milliseconds).  Comparing every
    new msgid with every old one would still be quadratic, too slow for thousands of
    entries: like msgmerge's own index, candidates are first ranked by shared character
    trigrams, and only the best few get a real ratio.
    """

    _CANDIDATES = 12  # real ratios computed per new msgid
    _MIN_DICE = 0.2  # trigram overlap below which a ratio of 0.6 is not plausible

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = list(texts)
        self._grams = [_trigrams(text) for text in self._texts]
        self._index: dict[str, list[int]] = {}
        for number, grams in enumerate(self._grams):
            for gram in grams:
                self._index.setdefault(gram, []).append(number)
        self._taken: set[int] = set()

    def take(self, text: str) -> int | None:
        """Index of the unused text most similar to ``text`` (ratio ≥ 0.6), now used up."""
        best = self.best(text)
        if best is not None:
            self._taken.add(best[0])
        return None if best is None else best[0]

    def best(self, text: str, threshold: float = SIMILARITY) -> tuple[int, float] | None:
        """Index and ratio of the unused text most similar to ``text``, if ≥ ``threshold``."""
        grams = _trigrams(text)
        shared = Counter[int]()
        for gram in grams:
            shared.update(self._index.get(gram, ()))
        ranked = heapq.nsmallest(
            self._CANDIDATES,
            (
                (-2 * count / (len(grams) + len(self._grams[n])), n)
                for n, count in shared.items()
                if n not in self._taken
            ),
        )
        best, best_ratio = None, threshold
        for dice, number in ranked:
            if -dice < self._MIN_DICE:
                break
            # 0.0 when below the cutoff, which lets rapidfuzz stop early.
            ratio = ratio_of(self._texts[number], text, cutoff=best_ratio)
            if ratio >= best_ratio and (best is None or ratio > best_ratio):
                best, best_ratio = number, ratio
        return None if best is None else (best, best_ratio)


def ratio_of(a: str, b: str, *, cutoff: float = 0.0) -> float:
    """2·LCS/(m+n) of two texts by characters (1.0 for two empty texts), or 0.0 when
    below ``cutoff``."""
    return float(Indel.normalized_similarity(a, b, score_cutoff=cutoff))


def _trigrams(text: str) -> frozenset[str]:
    # Boundary marks give even one- and two-letter messages a trigram.
    padded = f"\x02{' '.join(text.casefold().split())}\x03"
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))

"""Find glossary terms in message text, in any script, fast.

All terms of a glossary language are compiled into one regular expression per case mode
(prefix-sharing alternation built from a trie), so a message is scanned once per mode
however large the glossary; re's C engine does the work, not a Python loop over terms.

Both the message and the terms are normalised the same way before matching, with an
index map back to the original text so every :class:`Match` gives offsets into the
message as written:

* placeholders ``<1>``/``</1>`` vanish (inline markup inside a term must not hide it);
  ``<2/>`` (a line break, an image) separates words like a space;
* whitespace runs, including line breaks and no-break spaces, become one space;
* typographic apostrophes and dashes become ``'`` and ``-``; soft hyphens, zero-width
  spaces, Arabic tatweel and harakat (vowel marks written only sometimes) vanish;
* the text is put in NFC, and case-insensitive terms are compared after ``casefold``
  (which may change the length: "ß" → "ss"; the map keeps offsets right).

Boundaries depend on the script at each end of a term, never on the term's language:

* Latin, Greek, Cyrillic (and digits) need a word boundary: no letter or digit of that
  group next to the term.  Punctuation, possessives and hyphens are boundaries
  ("Fudan University's", "Sora-generated"), and so are CJK neighbours ("使用Sora生成").
* Arabic allows attached proclitics before the term (و ف ب ك ل, the article ال and their
  combinations: وال، بال، لل، ولل…) but no Arabic letter after it; there is no stemming.
  A term written with its article also matches after ل, which elides the alef
  (الذكاء الاصطناعي in "للذكاء الاصطناعي").
* Everything else (Chinese, Japanese, Thai…) matches as a substring.

Matches are leftmost-longest and never overlap, so "复旦" inside "复旦大学" is not a match
of its own when both are terms.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from l10n.html import placeholders as ph

T = TypeVar("T")

# Letters and digits of the scripts that separate words with spaces.
_ALPHA = (
    "0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u0300-\u036f"
    "\u0370-\u0373\u0376\u0377\u037a-\u037d\u037f\u0386\u0388-\u03ff\u0400-\u052f"
    "\u0531-\u0556\u0561-\u0587\u10a0-\u10ff\u1c80-\u1c8f\u1e00-\u1fff\u2c60-\u2c7f"
    "\u2de0-\u2dff\ua640-\ua69f\ua720-\ua7ff\uab30-\uab6f\ufb00-\ufb06"
    "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
)
_ARABIC = (
    "\u0620-\u065f\u066e-\u066f\u0670-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdfb\ufe70-\ufefc"
)
_IS_ALPHA = re.compile(f"[{_ALPHA}]")
_IS_ARABIC = re.compile(f"[{_ARABIC}]")


def _proclitics() -> tuple[str, ...]:
    # conjunction? + preposition? + article?, where ل + ال is written لل.
    out: set[str] = set()
    for conj in ("", "و", "ف"):
        for prep in ("", "ب", "ك", "ل"):
            for art in ("", "ال"):
                out.add(conj + ("لل" if prep == "ل" and art else prep + art))
    out.discard("")
    return tuple(sorted(out, key=lambda p: (len(p), p)))


PROCLITICS = _proclitics()


def _arabic_start() -> str:
    by_length: dict[int, list[str]] = {}
    for prefix in PROCLITICS:
        by_length.setdefault(len(prefix), []).append(re.escape(prefix))
    # Python's look-behind needs a fixed width, hence one per prefix length.
    options = [f"(?<![{_ARABIC}])"] + [
        f"(?<=(?<![{_ARABIC}])(?:{'|'.join(group)}))" for _, group in sorted(by_length.items())
    ]
    return "(?:" + "|".join(options) + ")"


_START = {"alpha": f"(?<![{_ALPHA}])", "arabic": _arabic_start(), "other": ""}
# The end boundary depends only on a term's last character, so one assertion after the
# whole alternation serves every term (one per term made compiling the pattern 10× slower);
# when it fails, backtracking tries the next shorter term.
_END = f"(?:(?<=[{_ALPHA}])(?![{_ALPHA}])|(?<=[{_ARABIC}])(?![{_ARABIC}])|(?<![{_ALPHA}{_ARABIC}]))"

# Placeholders as in l10n.html.placeholders ("</1/>" is not one), with the whitespace
# around them so that removing one never leaves a double space.
_PLACEHOLDER = rf"(?:<{ph.NUMBER}/?>|</{ph.NUMBER}>)"
_FOLD = {c: "'" for c in "\u2018\u2019\u201b\u02bc\u2032\uff07"}
_FOLD.update({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"})
_DROP = "\u00ad\u200b\u2060\ufeff\u0640\u064b-\u0652\u0670"
_SPECIAL = re.compile(
    rf"(?P<ph>\s*{_PLACEHOLDER}(?:\s*{_PLACEHOLDER})*\s*)"
    r"|(?P<ws>\s{2,}|[^\S ])"
    rf"|(?P<ch>[{''.join(_FOLD)}{_DROP}])"
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Match(Generic[T]):
    """A term found in a text; ``text[start:end]`` of the original is ``text``."""

    start: int
    end: int
    text: str
    payload: T


@dataclass(frozen=True, kw_only=True, slots=True)
class _Mapped:
    """A normalised string and, per character, the original span it came from."""

    value: str
    starts: list[int] | None = None  # None: identical to the original
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]

    def index(self, original: int) -> int:
        """The first character at or after original offset ``original``."""
        return original if self.starts is None else bisect_left(self.starts, original)


def normalise(text: str) -> tuple[_Mapped, _Mapped]:
    """``text`` normalised for case-sensitive and (casefolded) case-insensitive matching."""
    exact = _normalise(text)
    folded = exact.value.casefold()
    if len(folded) == len(exact.value):
        # Every character folded to exactly one: positions are unchanged.
        return exact, _Mapped(value=folded, starts=exact.starts, ends=exact.ends)
    starts: list[int] = []
    ends: list[int] = []
    for i, char in enumerate(exact.value):
        start, end = exact.span(i, i + 1)
        width = len(char.casefold())
        starts.extend([start] * width)
        ends.extend([end] * width)
    return exact, _Mapped(value=folded, starts=starts, ends=ends)


def _normalise(text: str) -> _Mapped:
    base: _Mapped | None = None
    if not unicodedata.is_normalized("NFC", text):
        base = _nfc(text)
        text = base.value
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    changed = base is not None
    for m in _SPECIAL.finditer(text):
        changed = True
        start, end = m.span()
        if start > pos:
            pieces.append(text[pos:start])
            starts.extend(range(pos, start))
            ends.extend(range(pos + 1, start + 1))
        kind, found = m.lastgroup, m.group()
        out = ""
        if kind == "ph":
            # <1>…</1> is inline markup: gone.  <2/> or surrounding space: a word break.
            if "/>" in found or any(c.isspace() for c in found):
                out = " "
        elif kind == "ws":
            out = " "
        else:
            out = _FOLD.get(found, "")
        if out:
            pieces.append(out)
            starts.append(start)
            ends.append(end)
        pos = end
    if not changed:
        return _Mapped(value=text)
    pieces.append(text[pos:])
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    value = "".join(pieces)
    if "  " in value:  # a dropped character between two spaces
        value, starts, ends = _collapse(value, starts, ends)
    if base is not None:
        starts = [base.span(s, s + 1)[0] for s in starts]
        ends = [base.span(e - 1, e)[1] for e in ends]
    return _Mapped(value=value, starts=starts, ends=ends)


def _collapse(value: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    chars: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    for char, start, end in zip(value, starts, ends, strict=True):
        if char == " " and chars and chars[-1] == " ":
            new_ends[-1] = end
            continue
        chars.append(char)
        new_starts.append(start)
        new_ends.append(end)
    return "".join(chars), new_starts, new_ends


def _nfc(text: str) -> _Mapped:
    """NFC per cluster (a base character and the combining marks after it)."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cluster_start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and unicodedata.combining(text[i]):
            continue
        composed = unicodedata.normalize("NFC", text[cluster_start:i])
        pieces.append(composed)
        starts.extend([cluster_start] * len(composed))
        ends.extend([i] * len(composed))
        cluster_start = i
    return _Mapped(value="".join(pieces), starts=starts, ends=ends)


def term_key(term: str, *, case_sensitive: bool) -> str:
    """The normalised form a term is matched as ("" if nothing is left of it)."""
    exact, folded = normalise(term)
    return (exact if case_sensitive else folded).value.strip(" ")


def _script(char: str) -> str:
    if _IS_ALPHA.match(char):
        return "alpha"
    if _IS_ARABIC.match(char):
        return "arabic"
    return "other"


# re.escape also escapes spaces and other characters that only matter in VERBOSE mode;
# every character saved is one the (pure Python) regex parser does not have to read.
_ESCAPE = str.maketrans({c: "\\" + c for c in "\\.^$*+?{}[]|()"})

_Node = dict[str, "_Node"]  # a trie: one key per next character; "" marks a term's end


def _compile(keys: Iterable[str]) -> re.Pattern[str] | None:
    roots: dict[str, _Node] = {"alpha": {}, "arabic": {}, "other": {}}
    for key in keys:
        node = roots[_script(key[0])]
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    branches = [_START[script] + _render(root) for script, root in roots.items() if root]
    return re.compile("(?:" + "|".join(branches) + ")" + _END) if branches else None


def _render(node: _Node) -> str:
    """The regex for a trie node.  Children come before the node's own end, so a longer
    term is tried first and the shorter one is what backtracking falls back to; children
    start with different characters, so the first alternative that matches is the only
    one that can."""
    parts: list[str] = []
    for char in sorted(k for k in node if k):
        literal, child = char, node[char]
        while "" not in child and len(child) == 1:  # a chain without branches: one literal
            ((char, child),) = child.items()
            literal += char
        parts.append(literal.translate(_ESCAPE) + _render(child))
    if "" in node:
        parts.append("")  # this node ends a term: match it if no longer one does
    if len(parts) == 1:
        return parts[0]
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True, kw_only=True)
class _Mode(Generic[T]):
    pattern: re.Pattern[str]
    payloads: dict[str, list[T]]  # normalised term → payloads of the entries spelling it
    folded: bool


@dataclass(frozen=True, kw_only=True)
class Matcher(Generic[T]):
    """Every term of a glossary (one language) compiled for :meth:`find`."""

    modes: tuple[_Mode[T], ...]
    size: int  # number of entries with a usable term

    @classmethod
    def build(cls, entries: Iterable[tuple[str, bool, T]]) -> Matcher[T]:
        """``entries`` are (term, case_sensitive, payload).  Terms that normalise to the same
        text share their matches: each payload gets its own :class:`Match`."""
        tables: tuple[dict[str, list[T]], dict[str, list[T]]] = ({}, {})
        size = 0
        for term, case_sensitive, payload in entries:
            key = term_key(term, case_sensitive=case_sensitive)
            if key:
                table = tables[0 if case_sensitive else 1]
                table.setdefault(key, []).append(payload)
                if key.startswith("ال") and len(key) > 2:
                    # After the preposition ل the article's alef is not written:
                    # ل + الجامعة = للجامعة.
                    table.setdefault("لل" + key[2:], []).append(payload)
                size += 1
        modes: list[_Mode[T]] = []
        for folded, table in ((False, tables[0]), (True, tables[1])):
            pattern = _compile(table)
            if pattern is not None:
                modes.append(_Mode(pattern=pattern, payloads=table, folded=folded))
        return cls(modes=tuple(modes), size=size)

    def find(self, text: str) -> list[Match[T]]:
        """Leftmost-longest, non-overlapping matches, in order of position."""
        if not self.modes:
            return []
        exact, folded = normalise(text)
        views = [folded if mode.folded else exact for mode in self.modes]
        found: list[Match[T]] = []
        if len(self.modes) == 1:
            mode, view = self.modes[0], views[0]
            for m in mode.pattern.finditer(view.value):
                self._emit(found, text, view.span(*m.span()), mode.payloads[m.group()])
            return found
        # Two modes: merge their streams so the union is still leftmost-longest, searching
        # a mode again past a match the other mode won.
        nexts = [self._search(mode, view, 0) for mode, view in zip(self.modes, views, strict=True)]
        while True:
            live = [c for c in nexts if c is not None]
            if not live:
                return found
            start, end = min((s, -e) for s, e, _ in live)
            end = -end
            for s, e, payloads in live:
                if (s, e) == (start, end):
                    self._emit(found, text, (start, end), payloads)
            for i, candidate in enumerate(nexts):
                if candidate is not None and candidate[0] < end:
                    nexts[i] = self._search(self.modes[i], views[i], end)

    @staticmethod
    def _search(mode: _Mode[T], view: _Mapped, original: int) -> tuple[int, int, list[T]] | None:
        m = mode.pattern.search(view.value, view.index(original))
        if m is None:
            return None
        start, end = view.span(*m.span())
        return start, end, mode.payloads[m.group()]

    @staticmethod
    def _emit(found: list[Match[T]], text: str, span: tuple[int, int], payloads: list[T]) -> None:
        start, end = span
        for payload in payloads:
            found.append(Match(start=start, end=end, text=text[start:end], payload=payload))

    def __len__(self) -> int:
        return self.size

"""Apertium's stream format: messages and their placeholders in, msgstrs out.

:class:`~l10n.translate.apertium.ApertiumTranslator` runs ``apertium -u -f none``; this
module writes the stream it sends and reads back the stream Apertium returns.  We write
Apertium's stream format ourselves instead of letting its HTML deformatter do it,
because that lets a placeholder travel in two forms at once:

* the text inside a pair ``<1>…</1>`` is wrapped in a word-bound blank
  (``[[t:1]]red house[[/]]``), which Apertium 3.8 attaches to every word it yields, so
  when Spanish reorders "red house" into "casa roja" the placeholder follows the words;
* every placeholder is also a superblank (``[l10n:o1]``, ``[l10n:c1]``, ``[l10n:e2]``),
  which Apertium passes through verbatim and in order, whatever it does to the words.

Each message ends with an inserted sentence end and a numbered superblank
(``.[][l10n:s7]``), so no rule reorders words across two messages, and the output is
split on those markers (``_Reader``).  A message whose words all sit inside top-level
pairs ("<1>Search</1> | <2>Menu</2>") is a list, and each of its items gets a sentence
end too, or Apertium reads "Search Menu" as one noun phrase.

Putting placeholders back
-------------------------
1. Word-bound (``_word_bound``): a pair wraps the first to the last output word that
   carries its tag, widened out to its own superblank over what belongs to no other
   pair and lies on the pair's side of its other superblank (quotes and spaces that
   were inside it, a word Apertium split off: "Newest" → "[[t:1]]Más[[/]] nuevo"), and
   kept inside the pairs that held it in the source.  Pairs none of whose words carry
   the tag (content that is only punctuation) and standalone placeholders go where
   their superblanks are.
2. Positional (``_positional``): every placeholder where its superblank is: always
   intact, though words may have moved past it.

The translator tries them in that order and keeps the first whose placeholders fit the
msgid (``_fits``); what it does when neither does is in its own module docstring.

Whitespace and typography (``_tidy``): the output keeps the msgid's leading and trailing
whitespace, runs of spaces left by dropped words collapse to one (unless the msgid has
such runs), and where the msgid writes apostrophes as ``’`` only, Apertium's ``'`` goes
back to ``’``.  Any character survives: the stream escapes ``\\ [ ] ^ $ @ { } / < >``
and protects ``~``, so ``&``, ``<`` and quotes come back as they were.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from l10n.html import placeholders as ph
from l10n.translate.apertium_case import _LEAD, _LEAD_MARK, _ends_sentence, _starts_lower

_STREAM_SPECIAL = frozenset("\\[]^$@{}/<>")
_MARK = re.compile(r"l10n:([oces])(\d+)")
_WBLANK_TAG = re.compile(r"t:(\d+)")
_SPACES = re.compile(r" {2,}")
_ROLE_CODE = {"open": "o", "close": "c", "empty": "e"}
# Apertium's deformatters end a sentence with ".[]" and its reformatters drop the "."
# before every "[]"; we follow the same convention.
_SENTENCE_END = ".[]"
_CODE_ROLE = {v: k for k, v in _ROLE_CODE.items()}


# ---------------------------------------------------------------------------------------
# The stream: what goes in


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _STREAM_SPECIAL else c for c in text)


def _encode_text(text: str, tags: Sequence[int]) -> str:
    """A text piece; inside pairs, its words carry a word-bound blank naming them."""
    out: list[str] = []
    for i, part in enumerate(text.split("~")):
        if i:
            out.append("[~]")  # "~" is Apertium's own; as a superblank it stays as it is
        core = part.strip()
        if not core or not tags:
            out.append(_escape(part))
            continue
        lead = part[: len(part) - len(part.lstrip())]
        trail = part[len(part.rstrip()) :]
        label = ";".join(f"t:{n}" for n in tags)
        out.append(f"{lead}[[{label}]]{_escape(core)}[[/]]{trail}")
    return "".join(out)


def _encode(message: str, *, with_tags: bool = True) -> str:
    """``message`` in Apertium's stream format, placeholders as superblanks.

    A message whose words all sit inside top-level placeholders ("<1>Search</1> |
    <2>Menu</2>") is a list of items, not a sentence: each item gets a sentence end of
    its own, or Apertium's rules would read the items as one noun phrase and shuffle
    words between them.
    """
    items = _is_list(message)
    out: list[str] = []
    stack: list[int] = []
    starting = True  # no word yet in the sentence Apertium is reading
    for piece in ph.pieces(message):
        if isinstance(piece, ph.Text):
            if _has_word(piece.value):
                if starting and _starts_lower(piece.value):
                    out.append(_LEAD)
                starting = _ends_sentence(piece.value)
            out.append(_encode_text(piece.value, stack if with_tags else ()))
            continue
        out.append(f"[l10n:{_ROLE_CODE[piece.role]}{piece.number}]")
        if piece.role == "open":
            stack.append(piece.number)
        elif piece.role == "close" and piece.number in stack:
            stack.remove(piece.number)
            if items and not stack and _has_word(ph.strip(message[piece.end :])):
                out.append(_SENTENCE_END)
                starting = True
    return "".join(out)


def _is_list(message: str) -> bool:
    top_words = False
    items = 0
    depth = 0
    for piece in ph.pieces(message):
        if isinstance(piece, ph.Text):
            top_words = top_words or (depth == 0 and _has_word(piece.value))
        elif piece.role == "open":
            depth += 1
        elif piece.role == "close":
            depth = max(0, depth - 1)
            items += depth == 0
    return items > 1 and not top_words


# ---------------------------------------------------------------------------------------
# The stream: what comes out


@dataclass(slots=True)
class _Word:
    """Output text, with the pairs whose word-bound blank it carries."""

    text: str
    tags: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class _Mark:
    """A placeholder's superblank, where Apertium left it."""

    number: int
    role: str


_Token = _Word | _Mark


@dataclass(slots=True)
class _Reader:
    """Split Apertium's output stream into messages of words and marks."""

    stream: str
    messages: list[tuple[int, list[_Token]]] = field(default_factory=list)

    def read(self) -> list[tuple[int, list[_Token]]]:
        tokens: list[_Token] = []
        text: list[str] = []
        tags: frozenset[int] = frozenset()
        lead = False  # inside the lead-in's superblanks: its comma is not the message's
        s = self.stream
        i, n = 0, len(s)

        def flush() -> None:
            if text and not lead:
                tokens.append(_Word("".join(text), tags))
            text.clear()

        while i < n:
            c = s[i]
            if c == "\\" and i + 1 < n:
                text.append(s[i + 1])
                i += 2
            elif s.startswith("[[/]]", i):
                flush()
                tags = frozenset()
                i += 5
            elif s.startswith("[[", i):
                end = _closing(s, i + 2, "]]")
                flush()
                tags = frozenset(int(m) for m in _WBLANK_TAG.findall(s[i + 2 : end]))
                i = end + 2
            elif c == "[":
                end = _closing(s, i + 1, "]")
                content = s[i + 1 : end]
                i = end + 1
                if not content:
                    flush()
                    _drop_sentence_end(tokens)
                    continue
                if content == _LEAD_MARK:  # see apertium_case
                    flush()
                    lead = not lead
                    continue
                mark = _MARK.fullmatch(content)
                if mark is None:
                    text.append(_unescape(content))  # "[~]", or a blank Apertium made
                    continue
                flush()
                code, number = mark.group(1), int(mark.group(2))
                if code == "s":
                    self.messages.append((number, tokens))
                    tokens = []
                    tags = frozenset()
                else:
                    tokens.append(_Mark(number, _CODE_ROLE[code]))
            else:
                j = i + 1
                while j < n and s[j] not in "\\[":
                    j += 1
                text.append(s[i:j])
                i = j
        return self.messages


def _closing(s: str, start: int, close: str) -> int:
    """Index of the unescaped ``close`` from ``start`` on (end of stream if none)."""
    i = start
    while i < len(s):
        if s[i] == "\\":
            i += 2
        elif s.startswith(close, i):
            return i
        else:
            i += 1
    return len(s)


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s, flags=re.DOTALL)


def _drop_sentence_end(tokens: list[_Token]) -> None:
    """Remove the "." of a sentence end we inserted (the one before "[]")."""
    for tok in reversed(tokens):
        if isinstance(tok, _Mark) or not tok.text.strip():
            continue
        stripped = tok.text.rstrip()
        if stripped.endswith("."):
            tok.text = stripped[:-1] + tok.text[len(stripped) :]
        return


# ---------------------------------------------------------------------------------------
# Putting placeholders back


def _render(tokens: Sequence[_Token]) -> str:
    out: list[str] = []
    for tok in tokens:
        if isinstance(tok, _Word):
            out.append(tok.text)
        elif tok.role == "open":
            out.append(f"<{tok.number}>")
        elif tok.role == "close":
            out.append(f"</{tok.number}>")
        else:
            out.append(f"<{tok.number}/>")
    return "".join(out)


def _positional(tokens: Sequence[_Token], message: str) -> str:
    """Every placeholder where its superblank came out."""
    return _render(tokens)


def _word_bound(tokens: Sequence[_Token], message: str) -> str:
    """Pairs around the words that carry them; the rest where their superblanks are."""
    ancestors = _ancestors(message)
    tagged: dict[int, list[int]] = {}
    for k, tok in enumerate(tokens):
        if isinstance(tok, _Word) and tok.text.strip():
            for n in tok.tags:
                tagged.setdefault(n, []).append(k)
    marks = {(tok.number, tok.role): k for k, tok in enumerate(tokens) if isinstance(tok, _Mark)}
    moved = [n for n in ancestors if n in tagged and (n, "open") in marks and (n, "close") in marks]
    spans: dict[int, tuple[int, int]] = {}
    for n in moved:  # outer pairs first (source order)
        start = _widen(tokens, tagged[n][0], marks[(n, "open")], n, ancestors, opening=True)
        end = _widen(
            tokens, tagged[n][-1] + 1, marks[(n, "close")] + 1, n, ancestors, opening=False
        )
        for a in ancestors[n]:  # stay inside the pairs that held it in the source
            if a in spans and spans[a][0] < end and start < spans[a][1]:
                start, end = max(start, spans[a][0]), min(end, spans[a][1])
        spans[n] = (start, end)
    # (position, order, mark): the mark goes before token ``position``.  At one spot,
    # closes come first (inner ones first), then marks left where they were, then opens
    # (outer ones first).
    placed: list[tuple[int, int, _Mark]] = []
    for n, (start, end) in spans.items():
        size, depth = end - start, len(ancestors[n])
        placed.append((start, 10**9 - size * 1000 + depth, _Mark(n, "open")))
        placed.append((end, -(10**9) + size * 1000 - depth, _Mark(n, "close")))
    for k, tok in enumerate(tokens):
        if isinstance(tok, _Mark) and tok.number not in spans:
            placed.append((k, 0, tok))
    placed.sort(key=lambda p: (p[0], p[1]))
    out: list[_Token] = []
    j = 0
    for k, tok in enumerate(tokens):
        while j < len(placed) and placed[j][0] <= k:
            out.append(placed[j][2])
            j += 1
        if isinstance(tok, _Word):
            out.append(tok)
    out.extend(p[2] for p in placed[j:])
    return _render(out)


def _widen(
    tokens: Sequence[_Token],
    edge: int,
    mark: int,
    n: int,
    ancestors: dict[int, frozenset[int]],
    *,
    opening: bool,
) -> int:
    """Move ``edge`` out to pair ``n``'s superblank at ``mark`` when what lies between
    belongs to no other pair and not beyond the pair's other superblank: punctuation
    and spaces that were inside the pair, words Apertium split off or added ("Newest" →
    "[[t:1]]Más[[/]] nuevo")."""
    if (opening and mark >= edge) or (not opening and mark <= edge):
        return edge
    lo, hi = (mark, edge) if opening else (edge, mark)
    for tok in tokens[lo:hi]:
        if isinstance(tok, _Word):
            if not tok.tags <= ancestors[n]:
                return edge  # another pair's words
        elif tok.number == n:
            if tok.role != ("open" if opening else "close"):
                return edge  # the pair's other end: those words were outside it
        elif tok.role != "empty" and n not in ancestors.get(tok.number, frozenset()):
            return edge
    return mark


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _ancestors(message: str) -> dict[int, frozenset[int]]:
    """Each pair of ``message`` (in source order) → the pairs around it."""
    found: dict[int, frozenset[int]] = {}
    stack: list[int] = []
    for piece in ph.pieces(message):
        if not isinstance(piece, ph.Tag):
            continue
        if piece.role == "open":
            found.setdefault(piece.number, frozenset(stack))
            stack.append(piece.number)
        elif piece.role == "close" and piece.number in stack:
            stack.remove(piece.number)
    return found


def _fits(message: str, translation: str) -> bool:
    issues = ph.problems(message, translation)
    return not issues or issues == ph.problems(message, message)


def _tidy(message: str, translation: str) -> str:
    """The msgid's outer whitespace; no double spaces or straight apostrophes it lacks."""
    core = translation.strip()
    if "  " not in message:
        core = _SPACES.sub(" ", core)
    if "’" in message and "'" not in message:
        core = core.replace("'", "’")
    lead = message[: len(message) - len(message.lstrip())]
    trail = message[len(message.rstrip()) :] if message.strip() else ""
    return f"{lead}{core}{trail}"

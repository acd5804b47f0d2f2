"""Apertium: offline, rule-based machine translation from Debian's packages.

``apt-get install apertium apertium-eng-spa`` gives English⇄Spanish; every other
installed pair (``apertium-eng-cat``, ``apertium-en-gl``, ``apertium-eo-en``…) is found
from the mode files in Apertium's data folder, so ``pairs()`` only reports what this
machine can really translate.

How a batch travels
-------------------
Apertium is fast once loaded, and most of its cost per call is starting a pipeline of a
dozen programs, so ``translate`` sends many messages through one ``apertium -u -f none``
process (one per ``chunk_chars`` characters of input; a batch smaller than that is one
process).  We write Apertium's stream format ourselves instead of letting its HTML
deformatter do it, because that lets a placeholder travel in two forms at once:

* the text inside a pair ``<1>…</1>`` is wrapped in a word-bound blank
  (``[[t:1]]red house[[/]]``), which Apertium 3.8 attaches to every word it yields, so
  when Spanish reorders "red house" into "casa roja" the placeholder follows the words;
* every placeholder is also a superblank (``[l10n:o1]``, ``[l10n:c1]``, ``[l10n:e2]``),
  which Apertium passes through verbatim and in order, whatever it does to the words.

Each message ends with an inserted sentence end and a numbered superblank
(``.[][l10n:s7]``), so no rule reorders words across two messages, and the output is
split on those markers (their number and order are checked).  A message whose words
all sit inside top-level pairs ("<1>Search</1> | <2>Menu</2>") is a list, and each of
its items gets a sentence end too, or Apertium reads "Search Menu" as one noun phrase.

Putting placeholders back
-------------------------
1. Word-bound: a pair wraps the first to the last output word that carries its tag,
   widened out to its own superblank over what belongs to no other pair and lies on
   the pair's side of its other superblank (quotes and spaces that were inside it, a
   word Apertium split off: "Newest" → "[[t:1]]Más[[/]] nuevo"), and kept inside the
   pairs that held it in the source.  Pairs none of whose words carry the tag (content
   that is only punctuation) and standalone placeholders go where their superblanks are.
2. If that does not nest (``placeholders.problems``), every placeholder goes where its
   superblank is: always intact, though words may have moved past it.
3. If even that fails (the message's output could not be told apart), the text pieces
   between placeholders are translated on their own in one more process and put back
   around the placeholders in source order.
4. A message that still has no placeholder-exact translation comes back as its msgid
   unchanged and is listed in ``self.failures`` (reset by every ``translate`` call) so
   the caller can leave it untranslated.  ``translate`` never returns a text whose
   placeholders do not fit its msgid.

Whitespace and typography: the output keeps the msgid's leading and trailing
whitespace, runs of spaces left by dropped words collapse to one (unless the msgid has
such runs), and where the msgid writes apostrophes as ``’`` only, Apertium's ``'`` goes
back to ``’``.  Any character survives: the stream escapes ``\\ [ ] ^ $ @ { } / < >``
and protects ``~``, so ``&``, ``<`` and quotes come back as they were.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from l10n.errors import TranslateError
from l10n.html import placeholders as ph

# ISO 639-3 codes in Apertium pair names → BCP 47 primary subtags (where one exists).
_ISO3_TO_BCP47 = {
    "afr": "af",
    "ara": "ar",
    "arg": "an",
    "bel": "be",
    "bos": "bs",
    "bre": "br",
    "bul": "bg",
    "cat": "ca",
    "ces": "cs",
    "cym": "cy",
    "dan": "da",
    "deu": "de",
    "ell": "el",
    "eng": "en",
    "epo": "eo",
    "est": "et",
    "eus": "eu",
    "fin": "fi",
    "fra": "fr",
    "gla": "gd",
    "gle": "ga",
    "glg": "gl",
    "hbs": "sh",
    "heb": "he",
    "hin": "hi",
    "hrv": "hr",
    "isl": "is",
    "ita": "it",
    "kaz": "kk",
    "lav": "lv",
    "lit": "lt",
    "mkd": "mk",
    "mlt": "mt",
    "msa": "ms",
    "nld": "nl",
    "nno": "nn",
    "nob": "nb",
    "oci": "oc",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rus": "ru",
    "slk": "sk",
    "slv": "sl",
    "sme": "se",
    "spa": "es",
    "srp": "sr",
    "swe": "sv",
    "tat": "tt",
    "tur": "tr",
    "ukr": "uk",
    "urd": "ur",
}
_BCP47_TO_ISO3 = {v: k for k, v in _ISO3_TO_BCP47.items()}

# A translation direction: "eng-spa", "en-gl", "spa-eng_US", "eng-cat_valencia".
# Mode files with more parts ("eng-spa-tagger") are debugging modes, not pairs.
_MODE_NAME = re.compile(r"([a-z]{2,3}(?:_[A-Za-z0-9]+)*)-([a-z]{2,3}(?:_[A-Za-z0-9]+)*)")
_STREAM_SPECIAL = frozenset("\\[]^$@{}/<>")
_MARK = re.compile(r"l10n:([oces])(\d+)")
_WBLANK_TAG = re.compile(r"t:(\d+)")
_SPACES = re.compile(r" {2,}")
_ROLE_CODE = {"open": "o", "close": "c", "empty": "e"}
# Apertium's deformatters end a sentence with ".[]" and its reformatters drop the "."
# before every "[]"; we follow the same convention.
_SENTENCE_END = ".[]"
_CODE_ROLE = {v: k for k, v in _ROLE_CODE.items()}


def language_tag(code: str) -> str:
    """The BCP 47 tag for one side of an Apertium mode name ("eng_US" → "en-US")."""
    primary, *variants = code.split("_")
    return "-".join([_ISO3_TO_BCP47.get(primary, primary), *variants])


def _normal(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()


def _primary(tag: str) -> str:
    return _normal(tag).split("-", 1)[0]


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
    for piece in ph.pieces(message):
        if isinstance(piece, ph.Text):
            out.append(_encode_text(piece.value, stack if with_tags else ()))
            continue
        out.append(f"[l10n:{_ROLE_CODE[piece.role]}{piece.number}]")
        if piece.role == "open":
            stack.append(piece.number)
        elif piece.role == "close" and piece.number in stack:
            stack.remove(piece.number)
            if items and not stack and _has_word(ph.strip(message[piece.end :])):
                out.append(_SENTENCE_END)
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
        s = self.stream
        i, n = 0, len(s)

        def flush() -> None:
            if text:
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


def _chunks(streams: Sequence[str], limit: int) -> Iterator[list[int]]:
    """Indexes of consecutive messages, about ``limit`` stream characters at a time."""
    chunk: list[int] = []
    size = 0
    for i, stream in enumerate(streams):
        if chunk and size + len(stream) > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(i)
        size += len(stream) + 20
    if chunk:
        yield chunk


# ---------------------------------------------------------------------------------------


class ApertiumTranslator:
    """Translate with the ``apertium`` command and the pairs installed beside it.

    ``translate`` starts one ``apertium`` process per ``chunk_chars`` characters of
    input (a batch below that is one process), up to ``workers`` at a time.  Each start
    costs about 0.2 s of loading, so chunks are large; one Apertium pipeline already
    keeps two cores busy, so on a 2-core machine ``workers=2`` gains nothing
    (``bench/apertium.py``), but more cores can use it.  Messages
    whose placeholders cannot be kept exactly come back unchanged and are listed in
    ``failures`` (see the module docstring).  Raises ``TranslateError`` when Apertium or
    the requested pair is not installed, or when Apertium fails.
    """

    name = "apertium"

    def __init__(
        self,
        *,
        executable: str = "apertium",
        datadir: str | os.PathLike[str] | None = None,
        chunk_chars: int = 200_000,
        workers: int = 1,
        timeout: float | None = None,
    ) -> None:
        self.executable = executable
        self._datadir = Path(datadir) if datadir is not None else None
        self.chunk_chars = chunk_chars
        self.workers = max(1, workers)
        self.timeout = timeout
        self.failures: list[str] = []
        self._modes: dict[tuple[str, str], tuple[str, str, str]] | None = None

    # -- what is installed ----------------------------------------------------------------

    def _program(self) -> str | None:
        return shutil.which(self.executable)

    def datadir(self) -> Path | None:
        """Where the mode files live: ``datadir``, ``$APERTIUM_DATADIR``, or beside the
        program (``/usr/bin/apertium`` → ``/usr/share/apertium``)."""
        if self._datadir is not None:
            return self._datadir
        if os.environ.get("APERTIUM_DATADIR"):
            return Path(os.environ["APERTIUM_DATADIR"])
        program = self._program()
        if program is None:
            return None
        return Path(program).resolve().parent.parent / "share" / "apertium"

    def _installed(self) -> dict[tuple[str, str], tuple[str, str, str]]:
        """(source, target) in lower case → (mode, source tag, target tag)."""
        if self._modes is None:
            modes: dict[tuple[str, str], tuple[str, str, str]] = {}
            folder = self.datadir()
            if self._program() is not None and folder is not None and (folder / "modes").is_dir():
                for path in sorted((folder / "modes").glob("*.mode")):
                    m = _MODE_NAME.fullmatch(path.stem)
                    if m is None:
                        continue
                    source, target = language_tag(m.group(1)), language_tag(m.group(2))
                    modes.setdefault(
                        (_normal(source), _normal(target)), (path.stem, source, target)
                    )
            self._modes = modes
        return self._modes

    def pairs(self) -> set[tuple[str, str]]:
        """Every (source, target) BCP 47 pair the installed modes translate."""
        return {(source, target) for _, source, target in self._installed().values()}

    def mode(self, source: str, target: str) -> str | None:
        """The Apertium mode for ``source`` → ``target`` (a tag with a region or variant
        falls back to its language: en-GB → en), or ``None``."""
        modes = self._installed()
        for s in dict.fromkeys((_normal(source), _primary(source))):
            for t in dict.fromkeys((_normal(target), _primary(target))):
                if (s, t) in modes:
                    return modes[(s, t)][0]
        return None

    def supports(self, source: str, target: str) -> bool:
        return self.mode(source, target) is not None

    def _require(self, source: str, target: str) -> str:
        if self._program() is None:
            raise TranslateError(
                f"apertium is not installed ({self.executable!r} not found); install "
                "apertium and a language pair such as apertium-eng-spa, or choose "
                "another engine"
            )
        mode = self.mode(source, target)
        if mode is None:
            s, t = _primary(source), _primary(target)
            a, b = _BCP47_TO_ISO3.get(s, s), _BCP47_TO_ISO3.get(t, t)
            installed = ", ".join(f"{x}→{y}" for x, y in sorted(self.pairs())) or "none"
            raise TranslateError(
                f"apertium has no {source}→{target} pair installed; install apertium-{a}-{b} "
                f"(or apertium-{b}-{a}) or choose another engine (installed: {installed})"
            )
        return mode

    # -- translating -----------------------------------------------------------------------

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """One translation per text, placeholders exact; see the class docstring."""
        mode = self._require(source, target)
        self.failures = []
        results: list[str | None] = [None] * len(texts)
        todo: list[int] = []
        for i, t in enumerate(texts):
            if _has_word(ph.strip(t)):
                todo.append(i)
            else:
                results[i] = t  # nothing to translate: placeholders and punctuation only
        outputs = self._run(mode, [_encode(texts[i]) for i in todo])
        retry: list[int] = []
        for i, tokens in zip(todo, outputs, strict=True):
            message = texts[i]
            if tokens is not None:
                for place in (_word_bound, _positional):
                    candidate = _tidy(message, place(tokens, message))
                    if _fits(message, candidate):
                        results[i] = candidate
                        break
            if results[i] is None:
                retry.append(i)
        if retry:
            self._piecewise(mode, texts, retry, results)
        for i in range(len(texts)):
            if results[i] is None:
                self.failures.append(texts[i])
                results[i] = texts[i]
        return [r if r is not None else t for r, t in zip(results, texts, strict=True)]

    def _piecewise(
        self, mode: str, texts: Sequence[str], indexes: Sequence[int], results: list[str | None]
    ) -> None:
        """Translate the text between placeholders on its own; keep placeholders as they are."""
        plans: dict[int, list[str | int]] = {}
        pieces: list[str] = []
        for i in indexes:
            plan: list[str | int] = []
            message = texts[i]
            for piece in ph.pieces(message):
                if isinstance(piece, ph.Tag):
                    plan.append(message[piece.start : piece.end])
                elif _has_word(piece.value):
                    plan.append(len(pieces))
                    pieces.append(piece.value)
                else:
                    plan.append(piece.value)
            plans[i] = plan
        outputs = self._run(mode, [_encode(p, with_tags=False) for p in pieces])
        for i, plan in plans.items():
            out: list[str] = []
            for step in plan:
                if isinstance(step, str):
                    out.append(step)
                    continue
                tokens = outputs[step]
                if tokens is None:
                    break
                out.append(_tidy(pieces[step], _render(tokens)))
            else:
                candidate = "".join(out)
                if _fits(texts[i], candidate):
                    results[i] = candidate

    def _run(self, mode: str, streams: Sequence[str]) -> list[list[_Token] | None]:
        """Apertium's output tokens per stream (``None`` where it could not be told apart)."""
        if not streams:
            return []
        chunks = list(_chunks(streams, self.chunk_chars))
        if self.workers > 1 and len(chunks) > 1:
            with ThreadPoolExecutor(max_workers=self.workers) as pool:
                done = list(pool.map(lambda c: self._chunk(mode, [streams[i] for i in c]), chunks))
        else:
            done = [self._chunk(mode, [streams[i] for i in c]) for c in chunks]
        return [tokens for part in done for tokens in part]

    def _chunk(self, mode: str, streams: Sequence[str]) -> list[list[_Token] | None]:
        """One apertium process for ``streams``; halves again if markers went missing."""
        stream = "".join(f"{s}{_SENTENCE_END}[l10n:s{k}]" for k, s in enumerate(streams))
        read = _Reader(self._call(mode, stream)).read()
        if [k for k, _ in read] == list(range(len(streams))):
            return [tokens for _, tokens in read]
        if len(streams) == 1:
            return [None]
        half = len(streams) // 2
        return self._chunk(mode, streams[:half]) + self._chunk(mode, streams[half:])

    def _call(self, mode: str, stream: str) -> str:
        program = self._program() or self.executable
        command = [program, "-u", "-f", "none"]
        folder = self.datadir()
        if folder is not None:
            command += ["-d", str(folder)]
        command.append(mode)
        timeout = self.timeout if self.timeout is not None else 30 + len(stream) / 2000
        try:
            done = subprocess.run(
                command,
                input=stream,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TranslateError(f"apertium {mode} timed out after {timeout:.0f} s") from None
        except OSError as exc:
            raise TranslateError(f"cannot run apertium: {exc.strerror or exc}") from None
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            why = lines[-1].strip() if lines else f"exit status {done.returncode}"
            raise TranslateError(f"apertium {mode} failed: {why}")
        return done.stdout

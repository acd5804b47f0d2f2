"""Apertium: offline, rule-based machine translation from Debian's packages.

``apt-get install apertium apertium-eng-spa`` gives English⇄Spanish; every other
installed pair (``apertium-eng-cat``, ``apertium-en-gl``, ``apertium-eo-en``…) is found
from the mode files in Apertium's data folder, so ``pairs()`` only reports what this
machine can really translate.

How a batch travels
-------------------
Apertium is fast once loaded, and most of its cost per call is starting a pipeline of a
dozen programs, so the engine starts a pair's pipeline once per process and keeps it
for the whole run (:mod:`l10n.translate.apertium_pipeline`: null-flush mode, restarted
if it dies, closed by ``close`` or when the process ends).  Each message goes in
Apertium's stream format with its placeholders both as word-bound blanks and as
superblanks, and ends with a sentence end, a numbered marker and a NUL; each comes back
as one frame, read on its own.  How messages are written and read back is in
:mod:`l10n.translate.apertium_format`.

Putting placeholders back
-------------------------
1. Word-bound: a pair wraps the output words that carry its word-bound blank, and
   standalone placeholders go where their superblanks are.
2. If that does not nest (``placeholders.problems``), every placeholder goes where its
   superblank is: always intact, though words may have moved past it.
3. If even that fails (the message's output could not be told apart), the text pieces
   between placeholders are translated on their own and put back around the
   placeholders in source order.
4. A message that still has no placeholder-exact translation comes back as its msgid
   unchanged and is listed in ``self.failures`` (reset by every ``translate`` call) so
   the caller can leave it untranslated.  ``translate`` never returns a text whose
   placeholders do not fit its msgid.

The output keeps the msgid's outer whitespace and typography, and any character
survives the trip (see :mod:`l10n.translate.apertium_format`).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate.apertium_case import _LEAD, _LEAD_COMMA, _recase
from l10n.translate.apertium_format import (
    _SENTENCE_END,
    _encode,
    _fits,
    _has_word,
    _positional,
    _Reader,
    _render,
    _tidy,
    _Token,
    _word_bound,
)
from l10n.translate.apertium_pipeline import Pipeline, stages
from l10n.translate.engine import Engine

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


def language_tag(code: str) -> str:
    """The BCP 47 tag for one side of an Apertium mode name ("eng_US" → "en-US")."""
    primary, *variants = code.split("_")
    return "-".join([_ISO3_TO_BCP47.get(primary, primary), *variants])


def _normal(tag: str) -> str:
    return tag.strip().replace("_", "-").lower()


def _primary(tag: str) -> str:
    return _normal(tag).split("-", 1)[0]


def _package(source: str, target: str) -> str:
    """The Debian package a pair would be in: pairs are named by ISO 639-3 codes."""
    a, b = _primary(source), _primary(target)
    return f"apertium-{_BCP47_TO_ISO3.get(a, a)}-{_BCP47_TO_ISO3.get(b, b)}"


def _text(frame: bytes | None) -> str | None:
    try:
        return frame.decode("utf-8") if frame is not None else None
    except UnicodeDecodeError:
        return None


# ---------------------------------------------------------------------------------------


class ApertiumTranslator(Engine):
    """Translate with the ``apertium`` pairs installed on this machine.

    The first ``translate`` for a pair starts its pipeline, and every later call in the
    same process (every batch, every article) uses it; another pair's first call closes
    it and starts that pair's.  ``starts`` counts the pipelines this engine started in
    this process, restarts included.  Call ``close`` at the end of the run (a worker
    process closes its own when it exits).  Messages whose placeholders cannot be kept
    exactly come back unchanged and are listed in ``failures`` (see the module
    docstring).  Raises ``TranslateError`` when Apertium or the requested pair is not
    installed, when Apertium keeps failing, or when it stops answering for ``timeout``
    seconds (default: 30 s plus 1 s per 2,000 characters of a message).
    """

    name = "apertium"
    local = True
    _KEPT = "apertium could not keep the placeholders"

    def __init__(
        self,
        *,
        executable: str = "apertium",
        datadir: str | os.PathLike[str] | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__()
        self.executable = executable
        self._datadir = Path(datadir) if datadir is not None else None
        self.timeout = timeout
        self._modes: dict[tuple[str, str], tuple[str, str, str]] | None = None
        self._pipeline: Pipeline | None = None
        self._mode: str | None = None
        self._closed_starts: dict[int, int] = {}  # process id → starts of closed pipelines

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

    def describe(self) -> str:
        return "apertium (offline)"

    def missing(self, source: str, targets: Sequence[str]) -> str | None:
        """Why Apertium cannot run here at all, with the packages for ``targets``, or None."""
        if self._program() is not None:
            return None
        packages = " ".join(dict.fromkeys(_package(source, t) for t in targets))
        return f"apertium is not installed: apt-get install apertium {packages}".rstrip()

    def gap(self, source: str, target: str) -> str | None:
        """Why ``source`` → ``target`` cannot be translated here, or None."""
        missing = self.missing(source, [target])
        if missing is not None or self.mode(source, target) is not None:
            return missing
        installed = ", ".join(f"{x}→{y}" for x, y in sorted(self.pairs())) or "none"
        return (
            f"apertium has no {source}→{target} pair installed; install "
            f"{_package(source, target)} (or {_package(target, source)}) or choose another "
            f"engine (installed: {installed})"
        )

    def _require(self, source: str, target: str) -> str:
        mode = self.mode(source, target)
        if mode is None:  # then gap() says why
            raise TranslateError(str(self.gap(source, target)))
        return mode

    # -- translating -----------------------------------------------------------------------

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """One translation per text, placeholders exact; see the class docstring."""
        mode = self._require(source, target)
        self.failures = {}
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
                self.failures[i] = self._KEPT
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
        sendable = [k for k, s in enumerate(streams) if "\0" not in s]  # NUL ends a frame
        leads = [k for k in sendable if _LEAD in streams[k]]
        sent = [f"{streams[k]}{_SENTENCE_END}[l10n:s{k}]" for k in sendable]
        sent += [f"{streams[k].replace(_LEAD, _LEAD_COMMA)}{_SENTENCE_END}" for k in leads]
        frames = [_text(f) for f in self._pipeline_for(mode).run([s.encode() for s in sent])]
        comma = dict(zip(leads, frames[len(sendable) :], strict=True))
        out: list[list[_Token] | None] = [None] * len(streams)
        for k, frame in zip(sendable, frames, strict=False):
            if frame is None:
                continue  # Apertium died on it, or did not write UTF-8
            cased = comma.get(k)
            read = _Reader(_recase(frame, cased) if cased is not None else frame).read()
            if [n for n, _ in read] == [k]:
                out[k] = read[0][1]
        return out

    def _pipeline_for(self, mode: str) -> Pipeline:
        if self._pipeline is None or self._mode != mode:
            self.close()
            folder = self.datadir()
            if folder is None:  # _require has found the mode there
                raise TranslateError("apertium is not installed")
            program = self._program()
            beside = Path(program).parent / "apertium-wblank-mode" if program else None
            helper = str(beside) if beside is not None and beside.is_file() else None
            commands = stages(folder / "modes" / f"{mode}.mode", helper=helper)
            self._pipeline = Pipeline(commands, name=mode, timeout=self.timeout)
            self._mode = mode
        return self._pipeline

    @property
    def starts(self) -> int:
        """Pipelines started by this engine in this process (restarts included)."""
        running = self._pipeline.starts if self._pipeline is not None else 0
        return self._closed_starts.get(os.getpid(), 0) + running

    @property
    def pids(self) -> tuple[int, ...]:
        """The process ids of this process's running pipeline (empty when none runs)."""
        return self._pipeline.pids if self._pipeline is not None else ()

    def close(self) -> None:
        """End this process's pipeline; the next ``translate`` starts one again."""
        if self._pipeline is not None:
            self._pipeline.close()
            pid = os.getpid()
            self._closed_starts[pid] = self._closed_starts.get(pid, 0) + self._pipeline.starts
        self._pipeline = None
        self._mode = None

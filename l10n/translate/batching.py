"""What every engine that sends many texts per request shares: cutting a batch into
requests within the API's documented limits, sending them (a bounded number in flight,
each retried on its own), and the per-text fallback, only for a request that comes back
damaged.

A request whose answer has the wrong number of translations is sent again text by text;
a text whose placeholders came back wrong is sent again alone (the others of its
request are kept), and if it is still wrong, the words between its placeholders are
translated piece by piece (in one request).  A request the server refuses as too large
(413, or the API's own words for it) is split in two.  So a run costs one request per
batch plus retries, and :attr:`BatchTranslator.requests` / :attr:`retries` count both.

A subclass says how to ask its API: :meth:`BatchTranslator._send` makes one HTTP request
for a list of encoded texts and returns the translations in the API's encoding.
"""

from __future__ import annotations

import abc
import json
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

import requests

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate.engine import Engine
from l10n.translate.http import (
    Breaker,
    Failed,
    GaveUp,
    Retryable,
    RetryPolicy,
    SessionPool,
    TooLarge,
    describe_status,
    error_detail,
    network_failure,
    retrying,
    scrub,
    status_failure,
)
from l10n.translate.placeholder_codecs import damaged, segments, split_outer_space

__all__ = ["BatchTranslator", "Limits", "WireCodec", "chunks", "read_json", "send"]


class WireCodec(Protocol):
    """How placeholders travel to one API (see :mod:`l10n.translate.placeholder_codecs`)."""

    def usable(self, message: str) -> bool: ...
    def encode(self, message: str) -> str: ...
    def decode(self, translation: str) -> str | None: ...
    def encode_plain(self, text: str) -> str: ...
    def decode_plain(self, text: str) -> str: ...


@dataclass(frozen=True, kw_only=True)
class Limits:
    """What one request may hold, as the API documents it.

    ``chars``: code points of all texts together; ``json_bytes``: the texts as they are
    written in the JSON body (non-ASCII escaped, as ``requests`` sends it), kept under
    the API's request size with room for the rest of the body; ``item_bytes``: UTF-8
    bytes of one text (a longer one is refused without asking)."""

    texts: int
    chars: int | None = None
    json_bytes: int | None = None
    item_bytes: int | None = None


def _json_size(text: str) -> int:
    return len(json.dumps(text)) + 2  # the quotes are in dumps; comma and space


def chunks(texts: Sequence[str], limits: Limits) -> list[list[int]]:
    """Indexes of ``texts`` in runs that respect ``limits`` (a text too large for any
    request still gets a run of its own: the server says what it thinks of it)."""
    out: list[list[int]] = []
    current: list[int] = []
    chars = size = 0
    for index, text in enumerate(texts):
        n_chars, n_size = len(text), _json_size(text) if limits.json_bytes else 0
        full = len(current) >= limits.texts
        full = full or (limits.chars is not None and chars + n_chars > limits.chars)
        full = full or (limits.json_bytes is not None and size + n_size > limits.json_bytes)
        if current and full:
            out.append(current)
            current, chars, size = [], 0, 0
        current.append(index)
        chars += n_chars
        size += n_size
    if current:
        out.append(current)
    return out


def send(
    session: requests.Session, method: str, url: str, *, timeout: float, **kwargs: Any
) -> requests.Response:
    """One HTTP exchange; network trouble as :class:`~l10n.translate.http.Retryable`."""
    try:
        return session.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as exc:
        raise network_failure(exc, timeout) from None


def read_json(
    response: requests.Response,
    *,
    rejected: Callable[[int], str],
    scrub_text: Callable[[str], str],
) -> Any:
    """The JSON body of a successful answer, or the failure its status means.

    401/403 raise :class:`TranslateError` worded by ``rejected``; 413 is
    :class:`~l10n.translate.http.TooLarge`; a body that is not JSON (cut off, an HTML
    error page) is worth another try."""
    code = response.status_code
    if code in {401, 403}:
        raise TranslateError(rejected(code))
    if code == 413:
        raise TooLarge(f"answered {describe_status(code)}")
    if not 200 <= code < 300:
        detail = scrub_text(error_detail(response))
        raise status_failure(code, retry_after=response.headers.get("Retry-After"), detail=detail)
    try:
        return response.json()
    except ValueError:
        raise Retryable(f"answered {describe_status(code)} with a reply that is not JSON") from None


@dataclass
class _Item:
    index: int
    lead: str
    core: str
    trail: str


class BatchTranslator(Engine):
    """An :class:`~l10n.translate.engine.Engine` that sends many texts per request.

    :meth:`translate` returns the source text for each message it could not translate
    and says why in ``failures`` (index → reason, for the last call); it raises
    :class:`TranslateError` only for what no retry can fix (a rejected key, a used-up
    quota).  Not meant to be called from several threads at once.
    """

    name: str
    where: str  # "LibreTranslate at http://host/", starts every reason
    limits: Limits
    codec: WireCodec

    def __init__(
        self,
        *,
        secrets: Sequence[str | None],
        timeout: float,
        max_retries: int,
        backoff: float,
        concurrency: int,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if concurrency < 1 or max_retries < 0 or timeout <= 0:
            raise TranslateError("concurrency must be ≥ 1, max_retries ≥ 0 and timeout > 0")
        super().__init__()
        self.timeout = timeout
        self.concurrency = concurrency
        self.requests = 0  # HTTP requests sent, every try counted
        self.retries = 0  # of which: tries after the first of a batch, and fallbacks
        self._secrets = tuple(s for s in secrets if s)
        self._policy = RetryPolicy(max_retries=max_retries, backoff=backoff, sleep=sleep)
        self._sessions = SessionPool()
        self._count = threading.Lock()

    def describe(self) -> str:
        return self.where

    def close(self) -> None:
        """Close pooled connections."""
        self._sessions.close()

    @abc.abstractmethod
    def _send(
        self, session: requests.Session, texts: list[str], source: str, target: str
    ) -> list[str]:
        """One request for ``texts`` (encoded): the answers, in order, however many came.

        Raises :class:`~l10n.translate.http.Retryable` for what another try may cure,
        :class:`~l10n.translate.http.Failed` (or :class:`TooLarge`) otherwise, and
        :class:`TranslateError` for what fails every request."""

    def _scrub(self, text: str) -> str:
        return scrub(text, self._secrets)

    # -- translate --

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """One translation per text, in order; failed ones are their source text and are
        listed in :attr:`failures`."""
        self.failures = {}
        results = list(texts)
        items: list[_Item] = []
        for index, text in enumerate(results):
            lead, core, trail = split_outer_space(text)
            if any(ch.isalnum() for ch in ph.strip(core)):  # else nothing to translate
                items.append(_Item(index, lead, core, trail))
        codec = self.codec
        whole = [i for i in items if codec.usable(i.core)]
        broken: list[tuple[_Item, list[str] | None]] = [
            (i, None) for i in items if not codec.usable(i.core)
        ]
        answers = self._many([codec.encode(i.core) for i in whole], source, target)
        again: list[tuple[_Item, list[str]]] = []
        for item, (answer, alone) in zip(whole, answers, strict=True):
            issues = self._accept(item, answer, results)
            if issues is None or isinstance(answer, Failed):
                continue
            if alone:
                broken.append((item, issues))
            else:
                again.append((item, issues))
        if again:  # damaged inside a request of several: each is asked again, alone
            retried = self._many(
                [codec.encode(i.core) for i, _ in again], source, target, alone=True
            )
            for (item, first), (answer, _) in zip(again, retried, strict=True):
                issues = self._accept(item, answer, results)
                if issues is not None and not isinstance(answer, Failed):
                    broken.append((item, issues or first))
        if broken:
            self._by_pieces(broken, results, source, target)
        return results

    def _accept(self, item: _Item, answer: str | Failed, results: list[str]) -> list[str] | None:
        """Put a good answer in ``results`` (None); else what is wrong with it ([] for a
        failure, recorded in :attr:`failures`)."""
        if isinstance(answer, Failed):
            self.failures[item.index] = self._scrub(answer.reason)
            return []
        decoded = self.codec.decode(answer)
        issues = ["tags unreadable"] if decoded is None else ph.problems(item.core, decoded)
        if decoded is not None and not issues:
            results[item.index] = item.lead + decoded + item.trail
            self.failures.pop(item.index, None)
            return None
        return issues

    def _by_pieces(
        self,
        broken: list[tuple[_Item, list[str] | None]],
        results: list[str],
        source: str,
        target: str,
    ) -> None:
        """The words between the placeholders of ``broken`` messages, all in one go."""
        plans = [(item, issues, segments(item.core)) for item, issues in broken]
        words = [self.codec.encode_plain(s.text) for _, _, ps in plans for s in ps if s.translate]
        answers = iter(self._many(words, source, target, fallback=True))
        for item, issues, parts in plans:
            out: list[str] = []
            failure: Failed | None = None
            for part in parts:
                if not part.translate:
                    out.append(part.text)
                    continue
                answer, _ = next(answers)
                if isinstance(answer, Failed):
                    failure = failure or answer
                else:
                    out.append(self.codec.decode_plain(answer).strip())
            if failure is not None:
                if issues is None:  # never sent whole: the pieces' failure is the reason
                    reason = failure.reason
                else:
                    reason = damaged(self.where, issues, then=failure.reason)
            else:
                translated = "".join(out)
                left = ph.problems(item.core, translated)
                if not left:
                    results[item.index] = item.lead + translated + item.trail
                    self.failures.pop(item.index, None)
                    continue
                reason = damaged(self.where, issues or [], still=left)
            self.failures[item.index] = self._scrub(reason)

    # -- requests --

    def _many(
        self,
        texts: list[str],
        source: str,
        target: str,
        *,
        alone: bool = False,
        fallback: bool = False,
    ) -> list[tuple[str | Failed, bool]]:
        """Each text's answer (or why it has none) and whether it was asked alone.

        ``alone``: one text per request; ``fallback``: the requests are retries of
        damaged ones (counted in :attr:`retries`)."""
        if not texts:
            return []
        out: list[tuple[str | Failed, bool] | None] = [None] * len(texts)
        most = self.limits.item_bytes
        sendable: list[int] = []
        for i, text in enumerate(texts):
            size = len(text.encode("utf-8"))
            if most is not None and size > most:
                why = f"{self.where} cannot take this text ({size} bytes; at most {most})"
                out[i] = (Failed(why), True)
            else:
                sendable.append(i)
        if alone:
            runs = [[i] for i in sendable]
        else:
            cut = chunks([texts[i] for i in sendable], self.limits)
            runs = [[sendable[j] for j in run] for run in cut]
        breaker = Breaker()
        fatal: list[TranslateError] = []

        def run(indexes: list[int]) -> None:
            if breaker.tripped:
                for i in indexes:
                    out[i] = (Failed(f"not tried: {breaker.reason}"), len(indexes) == 1)
                return
            batch = [texts[i] for i in indexes]
            try:
                got = self._ask(batch, source, target, breaker, first_is_retry=alone or fallback)
            except TranslateError as exc:
                breaker.trip(exc.message)
                fatal.append(exc)
                got = [Failed(exc.message)] * len(indexes)
            for i, answer in zip(indexes, got, strict=True):
                out[i] = (answer, len(indexes) == 1)

        workers = min(self.concurrency, len(runs))
        if workers <= 1:
            for indexes in runs:
                run(indexes)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="l10n-mt") as pool:
                list(pool.map(run, runs))
        if fatal:
            raise TranslateError(self._scrub(fatal[0].message))
        return [o if o is not None else (Failed("not tried"), True) for o in out]

    def _ask(
        self,
        texts: list[str],
        source: str,
        target: str,
        breaker: Breaker,
        *,
        first_is_retry: bool,
    ) -> list[str | Failed]:
        """One request's answers; a miscounted or too-large one is asked again smaller."""
        tries = 0

        def attempt() -> list[str]:
            nonlocal tries
            tries += 1
            with self._count:
                self.requests += 1
                if tries > 1 or first_is_retry:
                    self.retries += 1
            with self._sessions.session() as session:
                return self._send(session, texts, source, target)

        try:
            answers = retrying(
                attempt, self._policy, where=self.where, stop=lambda: breaker.tripped
            )
        except GaveUp as exc:
            if exc.unreachable:
                breaker.trip(exc.reason)
            return [exc] * len(texts)
        except TooLarge as exc:
            if len(texts) == 1:
                return [exc]
            return self._split(texts, source, target, breaker)
        except Failed as exc:
            return [exc] * len(texts)
        if len(answers) == len(texts):
            return list(answers)
        if len(texts) == 1:
            got = len(answers)
            return [Failed(f"{self.where} answered with {got} translations for 1 text")]
        # The answers cannot be matched to the texts: ask for each text on its own.
        return [self._ask([t], source, target, breaker, first_is_retry=True)[0] for t in texts]

    def _split(
        self, texts: list[str], source: str, target: str, breaker: Breaker
    ) -> list[str | Failed]:
        half = len(texts) // 2
        first = self._ask(texts[:half], source, target, breaker, first_is_retry=True)
        return first + self._ask(texts[half:], source, target, breaker, first_is_retry=True)

"""What every networked engine needs: retries with backoff, readable failure reasons,
secrets kept out of messages and pooled HTTP sessions (the piece-by-piece fallback for
damaged placeholders is in :mod:`l10n.translate.placeholder_codecs`).

Engines raise :class:`Retryable` for answers worth another try (429, 5xx, timeouts,
connection errors) and :class:`Failed` for answers that will not get better (other 4xx,
replies that are not a translation); :func:`retrying` turns those into one
:class:`Failed` that says what happened and how many tries it took.
"""

from __future__ import annotations

import email.utils
import errno
import http
import queue
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

import requests

T = TypeVar("T")

# Answers worth retrying besides 429: every 5xx except "not implemented" (a wrong URL or
# an unsupported feature, which stays wrong however often it is asked).
_NOT_RETRIED_5XX = frozenset({501, 505})
_EXTRA_REASONS = {456: "Quota Exceeded", 529: "Too Many Requests"}  # DeepL's own codes
REDACTED = "***"


class Failed(Exception):
    """One message cannot be translated; ``reason`` is safe to show (no secrets)."""

    def __init__(self, reason: str, *, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail  # the server's own words, put after the tries count


class Retryable(Failed):
    """A transient failure: rate limited, server error, timeout, connection trouble.

    ``unreachable`` marks failures that will hit every other message too (the server is
    down, or keeps rate limiting), so a batch can stop instead of waiting out each retry.
    """

    def __init__(
        self,
        reason: str,
        *,
        detail: str = "",
        retry_after: float | None = None,
        unreachable: bool = False,
    ) -> None:
        super().__init__(reason, detail=detail)
        self.retry_after = retry_after
        self.unreachable = unreachable


class TooLarge(Failed):
    """The server refused a request for its size (413, or its own words for it); a
    request with fewer texts may pass."""


class GaveUp(Failed):
    """Retries are exhausted; ``reason`` already says after how many tries."""

    def __init__(self, reason: str, *, tries: int, unreachable: bool) -> None:
        super().__init__(reason)
        self.tries = tries
        self.unreachable = unreachable


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (and its URL-encoded forms) replaced by ``***``."""
    for secret in secrets:
        if not secret or len(secret) < 3:
            continue
        for form in {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}:
            text = text.replace(form, REDACTED)
    return text


def describe_status(code: int) -> str:
    """``429 Too Many Requests``, ``456 Quota Exceeded``, ``599``."""
    try:
        return f"{code} {http.HTTPStatus(code).phrase}"
    except ValueError:
        extra = _EXTRA_REASONS.get(code)
        return f"{code} {extra}" if extra else str(code)


def is_retryable_status(code: int) -> bool:
    return code == 429 or (500 <= code <= 599 and code not in _NOT_RETRIED_5XX)


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """The delay a ``Retry-After`` header asks for: seconds, or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # an HTTP-date is always GMT
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
        return max(seconds, 0.0)
    return seconds if seconds >= 0 else None


def display_url(url: str) -> str:
    """``url`` fit for a message: no credentials, query or fragment."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # IPv6
    if parts.port is not None:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path or "/", "", ""))


def network_failure(exc: requests.RequestException, timeout: float) -> Retryable:
    """What a ``requests`` exception means, in words (never its text: that has the URL,
    and the URL may hold a key or the message being translated)."""
    if isinstance(exc, requests.Timeout):
        if isinstance(exc, requests.ConnectTimeout):
            return Retryable(f"did not accept a connection within {timeout:g} s", unreachable=True)
        return Retryable(f"did not answer within {timeout:g} s")
    if isinstance(exc, requests.exceptions.SSLError):
        return Retryable("failed the TLS handshake (certificate or TLS problem)", unreachable=True)
    if isinstance(exc, requests.ConnectionError):
        causes = _causes(exc)
        if any(
            isinstance(c, ConnectionRefusedError) or getattr(c, "errno", None) == errno.ECONNREFUSED
            for c in causes
        ):
            return Retryable("refused the connection", unreachable=True)
        if any(isinstance(c, ConnectionResetError) for c in causes):
            return Retryable("dropped the connection")
        text = " ".join(str(c) for c in causes)
        if "RemoteDisconnected" in text or "Connection aborted" in text:
            return Retryable("closed the connection without answering")
        if "Name or service not known" in text or "nodename nor servname" in text:
            return Retryable("could not be found (DNS lookup failed)", unreachable=True)
        name = next(
            (
                type(c).__name__
                for c in reversed(causes)
                if isinstance(c, OSError) and not isinstance(c, requests.RequestException)
            ),
            type(exc).__name__,
        )
        return Retryable(f"could not be reached ({name})", unreachable=True)
    return Retryable(f"could not be asked ({type(exc).__name__})")


def _causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and everything behind it: causes, contexts, and urllib3's ``reason``."""
    found: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if any(current is seen for seen in found):
            continue
        found.append(current)
        more = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        more.extend(current.args)
        todo.extend(m for m in more if isinstance(m, BaseException))
    return found


def status_failure(code: int, *, retry_after: str | None = None, detail: str = "") -> Failed:
    """The failure for an HTTP error status; ``detail`` is the server's explanation."""
    reason = f"answered {describe_status(code)}"
    if is_retryable_status(code):
        return Retryable(
            reason,
            detail=detail,
            retry_after=retry_after_seconds(retry_after),
            unreachable=code == 429,
        )
    return Failed(reason, detail=detail)


def error_detail(response: requests.Response, *, limit: int = 160) -> str:
    """A short explanation from an error body: its ``error``/``message`` field when JSON."""
    try:
        body = response.json()
    except ValueError:
        return ""
    found: object = None
    if isinstance(body, Mapping):
        found = body.get("error") or body.get("message") or body.get("detail")
        if isinstance(found, Mapping):
            found = found.get("message") or found.get("code")
    if not isinstance(found, str | int) or isinstance(found, bool):
        return ""
    text = " ".join(str(found).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(kw_only=True)
class RetryPolicy:
    """Exponential backoff with jitter: ``backoff · 2^(n-1)`` seconds before retry n, half
    of it random, at most ``max_delay``; and never less than ``Retry-After`` asks (a
    server asking for more than ``max_retry_after`` is not retried: the run reports it
    rather than sleeping for an hour)."""

    max_retries: int = 4
    backoff: float = 0.5
    max_delay: float = 60.0
    max_retry_after: float = 600.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        base = self.backoff * 2.0 ** (retry - 1)
        wait = min(base / 2 + self.rng.uniform(0, base / 2), self.max_delay)
        return wait if retry_after is None else max(wait, retry_after)


def retrying(
    attempt: Callable[[], T],
    policy: RetryPolicy,
    *,
    where: str,
    stop: Callable[[], bool] | None = None,
) -> T:
    """Call ``attempt`` until it succeeds, fails for good, or retries run out.

    ``where`` starts every message ("LibreTranslate at http://host/"); ``stop`` is asked
    before each retry so a batch whose server has gone away stops waiting.
    """
    tries = 0
    while True:
        tries += 1
        try:
            return attempt()
        except Retryable as exc:
            wait = exc.retry_after
            if wait is not None and wait > policy.max_retry_after:
                raise GaveUp(
                    f"{where} {exc.reason} and asked to wait {wait:.0f} s{_colon(exc.detail)}",
                    tries=tries,
                    unreachable=True,
                ) from None
            if tries > policy.max_retries or (stop is not None and stop()):
                after = f" after {tries} tries" if tries > 1 else ""
                raise GaveUp(
                    f"{where} {exc.reason}{after}{_colon(exc.detail)}",
                    tries=tries,
                    unreachable=exc.unreachable,
                ) from None
            policy.sleep(policy.delay(tries, wait))
        except Failed as exc:
            kind = TooLarge if isinstance(exc, TooLarge) else Failed
            raise kind(f"{where} {exc.reason}{_colon(exc.detail)}") from None


def _colon(detail: str) -> str:
    return f": {detail}" if detail else ""


class Breaker:
    """Shared by the workers of one batch: once the server is known to be unreachable
    (or keeps rate limiting after every retry), the rest of the batch is not tried."""

    def __init__(self) -> None:
        self._tripped = threading.Event()
        self._reason = ""
        self._lock = threading.Lock()

    def trip(self, reason: str) -> None:
        with self._lock:
            if not self._tripped.is_set():
                self._reason = reason
                self._tripped.set()

    @property
    def tripped(self) -> bool:
        return self._tripped.is_set()

    @property
    def reason(self) -> str:
        return self._reason


class SessionPool:
    """Reusable ``requests`` sessions, one per request in flight (sessions are not
    documented as thread-safe, so threads never share one at the same time)."""

    def __init__(self) -> None:
        self._idle: queue.SimpleQueue[requests.Session] = queue.SimpleQueue()
        self._all: list[requests.Session] = []
        self._lock = threading.Lock()

    @contextmanager
    def session(self) -> Iterator[requests.Session]:
        try:
            s = self._idle.get_nowait()
        except queue.Empty:
            s = requests.Session()
            with self._lock:
                self._all.append(s)
        try:
            yield s
        finally:
            self._idle.put(s)

    def close(self) -> None:
        with self._lock:
            sessions, self._all = self._all, []
        for s in sessions:
            s.close()

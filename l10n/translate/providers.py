"""Machine translation through deep-translator (google, mymemory, libre, microsoft, yandex,
papago, baidu, qcri) and OpenAI's chat API (chatgpt), made robust for batches.

deep-translator (1.11.4) is convenient but not built for this: it has no request timeout,
``translate_batch`` sends one request per text and stops at the first failure, network
trouble escapes as bare ``requests`` exceptions while rate limits come as its own
exceptions (which share no base class), some engines put the API key in the URL or in
exception text, and a shared ``GoogleTranslator`` is not thread-safe.  So:

* every request runs through a ``requests.Session`` with a timeout, and the response (or
  network error) of each request is kept, so a failure is judged by the HTTP status and
  body, not by deep-translator's exceptions (how deep-translator's requests are routed,
  how each engine is built and what each API's error replies look like is in
  :mod:`l10n.translate.deep_translator_engines`);
* each message gets a fresh engine instance (never shared between threads), at most
  ``concurrency`` requests are in flight, and every message is retried on its own with
  exponential backoff (plus jitter) on 429, 5xx, timeouts and connection errors;
* a message that still fails is left untranslated (its source text is returned) and the
  reason is recorded in :attr:`ProviderTranslator.failures`; only failures no retry can
  cure for *any* message (a rejected key, a used-up quota) raise :class:`TranslateError`.
  Once the server is unreachable (or keeps answering 429) after all retries, the rest of
  the batch is not tried, so a dead server costs one message's retries, not every one's;
* placeholders (``<1>``, ``</1>``, ``<2/>``) travel as tokens engines leave alone
  (``⟦1⟧``, ``⟦/1⟧``, ``⟦2/⟧``); Microsoft, which understands HTML, gets ``<span>``s
  (:mod:`l10n.translate.placeholder_codecs`).  A translation whose placeholders do not
  come back exactly once is translated again piece by piece (the words between
  placeholders separately), else it is a failure;
* API keys never reach a message: the texts built here are scrubbed of them.

Language tags are turned into each engine's codes by :mod:`l10n.translate.languages`.

Endpoints: ``endpoint`` works for every engine; it replaces the scheme and host of the
engine's usual URL and keeps its path: for ``libre`` it is the server
(``http://localhost:5000/``), for ``chatgpt`` an OpenAI-compatible base such as
``http://localhost:8080/v1``.

Keys: ``papago`` and ``baidu`` need two values; pass them as ``"ID:SECRET"``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate.deep_translator_engines import (
    SPECS,
    Call,
    Setup,
    body_problem,
    deep_translator_module,
    make_engine,
    rebase,
    reply_text,
    send,
)
from l10n.translate.engine import Engine, Settings
from l10n.translate.http import (
    Breaker,
    Failed,
    GaveUp,
    RetryPolicy,
    SessionPool,
    describe_status,
    error_detail,
    network_failure,
    retrying,
    scrub,
    status_failure,
)
from l10n.translate.languages import engine_language
from l10n.translate.placeholder_codecs import (
    Codec,
    HtmlCodec,
    TokenCodec,
    damaged,
    segments,
    split_outer_space,
)

__all__ = ["PROVIDERS", "ProviderTranslator"]

PROVIDERS: tuple[str, ...] = tuple(SPECS)

# The names these had when they were defined here (tests import them from this module).
_Tokens = TokenCodec
_Html = HtmlCodec
_language = engine_language


# -- the translator ---------------------------------------------------------------------


class ProviderTranslator(Engine):
    """A :class:`~l10n.translate.engine.Engine` for one of :data:`PROVIDERS`.

    :meth:`translate` never loses a batch to one bad message: a message that cannot be
    translated comes back as its source text and ``failures[index]`` says why (for the
    last call only).  It raises :class:`TranslateError` only when no message can succeed
    (key rejected, quota used up).  Not meant to be called from several threads at once.

    ``options``: ``region`` (microsoft), ``domain`` (qcri), ``model`` (chatgpt),
    ``email`` (mymemory, for its larger free quota).  ``sleep`` is for tests.
    """

    def __init__(
        self,
        provider: str,
        *,
        api_key: str | None = None,
        endpoint: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 4,
        concurrency: int = 4,
        backoff: float = 0.5,
        options: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        spec = SPECS.get(provider)
        if spec is None:
            known = ", ".join(PROVIDERS)
            raise TranslateError(f"unknown machine-translation provider {provider!r} ({known})")
        if provider == "libre" and not api_key and endpoint is None:
            raise TranslateError(
                "libre needs an API key for libretranslate.com, or an endpoint "
                "(the URL of a LibreTranslate server)"
            )
        if spec.needs_key and provider != "libre" and not api_key:
            raise TranslateError(
                f"{provider} needs an API key: set the environment variable named in the config"
            )
        key_id: str | None = None
        key = api_key or None
        if provider in {"papago", "baidu"} and key is not None:
            key_id, sep, secret = key.partition(":")
            if not sep or not key_id or not secret:
                raise TranslateError(f"{provider} needs its key as ID:SECRET (two values)")
            key = secret
        if concurrency < 1 or max_retries < 0 or timeout <= 0:
            raise TranslateError("concurrency must be ≥ 1, max_retries ≥ 0 and timeout > 0")
        super().__init__()
        self.name = provider
        self.provider = provider
        self.timeout = timeout
        self.concurrency = concurrency
        self.failures: dict[int, str] = {}
        self._spec = spec
        self._secrets = tuple(s for s in (api_key, key, key_id) if s)
        self._key, self._key_id = key, key_id
        url, where = rebase(spec, endpoint)
        self._url = url
        self.where = scrub(f"{spec.label} at {where}", self._secrets)
        self._options: Mapping[str, str] = dict(options or {})
        self._policy = RetryPolicy(max_retries=max_retries, backoff=backoff, sleep=sleep)
        self._codec: Codec = HtmlCodec if spec.html else TokenCodec
        self._sessions = SessionPool()
        if provider != "chatgpt":
            deep_translator_module(provider)  # fail now, not per message, if it is missing

    @classmethod
    def create(cls, settings: Settings) -> ProviderTranslator:
        return cls(
            settings.name,
            api_key=settings.api_key,
            endpoint=settings.endpoint,
            timeout=settings.translate.timeout,
            concurrency=settings.translate.concurrency,
            max_retries=settings.translate.retries,
            backoff=settings.translate.backoff,
        )

    def __repr__(self) -> str:
        return f"ProviderTranslator({self.provider!r}, where={self.where!r})"

    def describe(self) -> str:
        return self.where

    def close(self) -> None:
        """Close pooled connections."""
        self._sessions.close()

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """One translation per text, in order; failed ones are their source text and are
        listed in :attr:`failures`."""
        self.failures = {}
        results = list(texts)
        if not results:
            return results
        setup = Setup(
            key=self._key,
            key_id=self._key_id,
            url=self._url,
            options=self._options,
            source=engine_language(self.provider, source),
            target=engine_language(self.provider, target),
        )
        breaker = Breaker()
        fatal: TranslateError | None = None
        with ThreadPoolExecutor(
            max_workers=min(self.concurrency, len(results)), thread_name_prefix="l10n-mt"
        ) as pool:
            futures = [pool.submit(self._one, text, setup, breaker) for text in results]
            for index, future in enumerate(futures):
                try:
                    results[index] = future.result()
                except TranslateError as exc:
                    breaker.trip(exc.message)
                    fatal = fatal or exc
                except Failed as exc:
                    self.failures[index] = self._scrub(exc.reason)
                except Exception as exc:  # a bug here or in deep-translator: keep the batch
                    detail = self._scrub(f"{type(exc).__name__}: {exc}")[:300]
                    self.failures[index] = f"{self.where} failed unexpectedly ({detail})"
        if fatal is not None:
            raise TranslateError(self._scrub(fatal.message))
        return results

    # -- one message --

    def _one(self, text: str, setup: Setup, breaker: Breaker) -> str:
        if breaker.tripped:
            raise Failed(f"not tried: {breaker.reason}")
        lead, core, trail = split_outer_space(text)
        if not any(ch.isalnum() for ch in ph.strip(core)):
            return text  # nothing an engine could translate
        codec = self._codec
        damage: list[str] | None = None  # None: the text cannot be sent whole (has ⟦ or ⟧)
        if codec.usable(core):
            answer = self._request(codec.encode(core), setup, breaker)
            decoded = codec.decode(answer)
            damage = ph.problems(core, decoded) if decoded is not None else ["tags unreadable"]
            if decoded is not None and not damage:
                return lead + decoded + trail
            if not ph.signature(core):
                raise Failed(damaged(self.where, damage))
        try:
            translated = self._by_pieces(core, setup, breaker)
        except Failed as exc:
            if damage is None:
                raise
            raise Failed(damaged(self.where, damage, then=exc.reason)) from None
        left = ph.problems(core, translated)
        if left:
            raise Failed(damaged(self.where, damage or [], still=left))
        return lead + translated + trail

    def _by_pieces(self, core: str, setup: Setup, breaker: Breaker) -> str:
        out: list[str] = []
        for segment in segments(core):
            if not segment.translate:
                out.append(segment.text)
                continue
            answer = self._request(self._codec.encode_plain(segment.text), setup, breaker)
            out.append(self._codec.decode_plain(answer).strip())
        return "".join(out)

    def _request(self, payload: str, setup: Setup, breaker: Breaker) -> str:
        try:
            return retrying(
                lambda: self._attempt(payload, setup),
                self._policy,
                where=self.where,
                stop=lambda: breaker.tripped,
            )
        except GaveUp as exc:
            if exc.unreachable:
                breaker.trip(exc.reason)
            raise

    def _attempt(self, payload: str, setup: Setup) -> str:
        with self._sessions.session() as session, Call(session, self.timeout) as call:
            try:
                engine = make_engine(self.provider, setup)
                result = send(self.provider, engine, payload, self._options)
            except TranslateError:
                raise
            except Exception as exc:
                raise self._judge(call, exc) or self._refused(exc) from None
        problem = self._judge(call, None)
        if problem is not None:
            raise problem
        text = reply_text(result)
        if text is None:
            raise Failed("answered without a translation")
        return text

    # -- what went wrong --

    def _judge(self, call: Call, exc: Exception | None) -> Failed | None:
        """What is wrong with the exchange (``None``: nothing, as far as HTTP goes).

        Raises :class:`TranslateError` for what no retry or other message can fix."""
        if call.error is not None:
            return network_failure(call.error, self.timeout)
        response = call.response
        if response is None:
            return None
        code = response.status_code
        if code in {401, 403}:
            raise TranslateError(self._rejected(code))
        if not 200 <= code < 300:
            detail = self._scrub(error_detail(response))
            return status_failure(
                code, retry_after=response.headers.get("Retry-After"), detail=detail
            )
        body = _json(response)
        problem = body_problem(
            self.provider, body, where=self.where, scrub=self._scrub, rejected=self._rejected
        )
        if problem is not None or exc is None:
            return problem
        if body is None:
            return Failed(f"answered {describe_status(code)} with a reply that is not JSON")
        return Failed(
            f"answered {describe_status(code)} with a reply that has no translation in it"
        )

    def _refused(self, exc: Exception) -> Failed:
        """deep-translator refused before sending anything (text too long, bad language)."""
        message = getattr(exc, "message", None)
        detail = message if isinstance(message, str) else type(exc).__name__
        return Failed(f"cannot take this text ({self._scrub(' '.join(detail.split()))})")

    def _rejected(self, code: int) -> str:
        if self._spec.needs_key and self._key:
            return f"{self.where} rejected the API key ({describe_status(code)})"
        return f"{self.where} refused access ({describe_status(code)})"

    def _scrub(self, text: str) -> str:
        return scrub(text, self._secrets)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return None

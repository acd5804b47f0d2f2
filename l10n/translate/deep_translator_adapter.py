"""Keyless engines through deep-translator's public API: ``google-web`` (Google
Translate's free web page, ``deep_translator.GoogleTranslator``).

Only what deep-translator documents is used: the constructor (``source``, ``target``,
``proxies``), ``translate`` and ``get_supported_languages(as_dict=True)``.  Its address is
fixed, so a proxy is the only way to route it: ``HTTPS_PROXY``/``HTTP_PROXY`` (and
``NO_PROXY``), read here with ``requests`` and passed as ``proxies=``.

deep-translator calls ``requests`` without a timeout, so every call runs in a daemon
thread that is waited for ``timeout`` seconds; a call that has not come back by then is
"no answer" and the rest of the batch is not tried (the thread cannot be cancelled, and
a server that hangs once hangs again; the daemon thread ends with the connection or the
process).  Its exceptions say less than a status line (``TooManyRequests`` for 429,
``RequestError`` for any other error status, no ``Retry-After``), so 429 and errors are
retried with the ``[translate] retries``/``backoff`` policy and become per-entry failures
with a reason; a language missing from its list is an error before anything is sent.

Placeholders travel as tokens (:class:`~l10n.translate.placeholder_codecs.TokenCodec`);
a text whose tokens come back damaged is translated piece by piece between them.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from babel import Locale, UnknownLocaleError

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate.engine import Engine, Settings
from l10n.translate.http import (
    Breaker,
    Failed,
    GaveUp,
    Retryable,
    RetryPolicy,
    display_url,
    network_failure,
    retrying,
    status_failure,
)
from l10n.translate.placeholder_codecs import TokenCodec, damaged, segments, split_outer_space

__all__ = ["PROVIDERS", "DeepTranslatorEngine", "Provider"]


@dataclass(frozen=True, kw_only=True)
class Provider:
    label: str  # starts every failure reason
    translator: str  # the class in ``deep_translator``
    url: str  # where it sends requests (deep-translator's fixed address): for the proxy
    max_chars: int  # deep-translator refuses longer texts before sending


PROVIDERS: dict[str, Provider] = {
    "google-web": Provider(
        label="Google Translate's web page",
        translator="GoogleTranslator",
        url="https://translate.google.com/m",
        max_chars=5000,
    ),
}


def _deep_translator(module: str = "") -> Any:
    try:
        return importlib.import_module("deep_translator" + (f".{module}" if module else ""))
    except ImportError as exc:
        raise TranslateError(
            "this engine needs deep-translator (pip install 'deep-translator>=1.11.4,<2')"
        ) from exc


class DeepTranslatorEngine(Engine):
    """One of :data:`PROVIDERS`, one text per request (that is all their pages take)."""

    def __init__(
        self,
        provider: str,
        *,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 0.5,
        proxies: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        spec = PROVIDERS.get(provider)
        if spec is None:
            raise TranslateError(f"unknown deep-translator engine {provider!r}")
        super().__init__()
        self.name = provider
        self.timeout = timeout
        self._spec = spec
        self._class = getattr(_deep_translator(), spec.translator)
        self._errors = _deep_translator("exceptions")
        self._policy = RetryPolicy(max_retries=max_retries, backoff=backoff, sleep=sleep)
        if proxies is None:
            proxies = requests.utils.get_environ_proxies(spec.url)  # honours NO_PROXY
        self._proxies: dict[str, str] = dict(proxies)
        self.where = spec.label
        # name → code, from a translator made for the default pair (no request is sent).
        languages = self._class().get_supported_languages(as_dict=True)
        self._codes: dict[str, str] = {str(k).lower(): str(v) for k, v in languages.items()}

    @classmethod
    def create(cls, settings: Settings) -> DeepTranslatorEngine:
        if settings.endpoint:
            raise TranslateError(
                f"{settings.name} always asks {PROVIDERS[settings.name].url}: it takes no "
                "endpoint (route it with HTTPS_PROXY instead)"
            )
        return cls(
            settings.name,
            timeout=settings.translate.timeout,
            max_retries=settings.translate.retries,
            backoff=settings.translate.backoff,
        )

    def describe(self) -> str:
        proxy = self._proxies.get(self._spec.url.partition(":")[0])
        via = f" via proxy {display_url(proxy)}" if proxy else ""
        return f"{self.where} ({self.name}: {self._spec.url}, no key, deep-translator){via}"

    # -- languages --

    def language(self, tag: str) -> str | None:
        """deep-translator's code for a BCP 47 tag (``None``: it has none).

        Its list is matched by code (``zh-CN``, ``pt``), then by the language's English
        name (``he`` → ``hebrew`` → Google's ``iw``); Chinese by script or region."""
        codes = {code.lower(): code for code in self._codes.values()}
        norm = tag.replace("_", "-").strip()
        parts = norm.lower().split("-")
        if parts[0] == "zh":
            traditional = bool({"hant", "tw", "hk", "mo"} & set(parts[1:]))
            return self._codes.get(
                "chinese (traditional)" if traditional else "chinese (simplified)"
            )
        for candidate in ("-".join(parts), parts[0]):
            if candidate in codes:
                return codes[candidate]
        try:
            name = Locale.parse(parts[0]).get_display_name("en")
        except (UnknownLocaleError, ValueError, TypeError):
            return None
        return self._codes.get(str(name).lower()) if name else None

    def supports(self, source: str, target: str) -> bool:
        return self.language(source) is not None and self.language(target) is not None

    def gap(self, source: str, target: str) -> str | None:
        unknown = [tag for tag in (source, target) if self.language(tag) is None]
        if not unknown:
            return None
        return (
            f"{self.name} cannot translate {source}→{target}: deep-translator lists no "
            f"language for {', '.join(repr(tag) for tag in unknown)} for {self.where}"
        )

    # -- translating --

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        self.failures = {}
        gap = self.gap(source, target)
        if gap is not None:
            raise TranslateError(gap)
        pair = (self.language(source) or "", self.language(target) or "")
        breaker = Breaker()
        results = list(texts)
        for index, text in enumerate(results):
            try:
                results[index] = self._one(text, pair, breaker)
            except Failed as exc:
                self.failures[index] = exc.reason
        return results

    def _one(self, text: str, pair: tuple[str, str], breaker: Breaker) -> str:
        if breaker.tripped:
            raise Failed(f"not tried: {breaker.reason}")
        lead, core, trail = split_outer_space(text)
        if not any(ch.isalnum() for ch in ph.strip(core)):
            return text  # nothing to translate
        damage: list[str] | None = None  # None: the text has ⟦ or ⟧ and goes piece by piece
        if TokenCodec.usable(core):
            decoded = TokenCodec.decode(self._request(TokenCodec.encode(core), pair, breaker))
            damage = ph.problems(core, decoded) if decoded is not None else ["tags unreadable"]
            if decoded is not None and not damage:
                return lead + decoded + trail
            if not ph.signature(core):
                raise Failed(damaged(self.where, damage))
        try:
            translated = "".join(
                self._request(s.text, pair, breaker).strip() if s.translate else s.text
                for s in segments(core)
            )
        except Failed as exc:
            if damage is None:
                raise
            raise Failed(damaged(self.where, damage, then=exc.reason)) from None
        left = ph.problems(core, translated)
        if left:
            raise Failed(damaged(self.where, damage or [], still=left))
        return lead + translated + trail

    def _request(self, payload: str, pair: tuple[str, str], breaker: Breaker) -> str:
        if len(payload) >= self._spec.max_chars:
            raise Failed(f"{self.where} takes texts under {self._spec.max_chars} characters")
        try:
            return retrying(
                lambda: self._attempt(payload, pair, breaker),
                self._policy,
                where=self.where,
                stop=lambda: breaker.tripped,
            )
        except GaveUp as exc:
            if exc.unreachable:
                breaker.trip(exc.reason)
            raise

    def _attempt(self, payload: str, pair: tuple[str, str], breaker: Breaker) -> str:
        source, target = pair
        # A fresh translator per request: deep-translator keeps per-request URL state.
        translator = self._class(source=source, target=target, proxies=self._proxies or None)
        box: dict[str, Any] = {}

        def call() -> None:
            try:
                box["result"] = translator.translate(payload)
            except BaseException as exc:  # judged by the waiting thread
                box["error"] = exc

        worker = threading.Thread(target=call, name="l10n-deep-translator", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            reason = f"{self.where} gave no answer in {self.timeout:g} s"
            breaker.trip(reason)
            raise Failed(f"gave no answer in {self.timeout:g} s")
        error = box.get("error")
        if error is not None:
            raise self._judge(error) from error
        result = box.get("result")
        if not isinstance(result, str):
            raise Failed("answered without a translation")
        return result

    def _judge(self, exc: BaseException) -> Failed:
        """deep-translator's or requests' exception as a failure (retried if worth it)."""
        errors = self._errors
        if isinstance(exc, errors.TooManyRequests):
            return status_failure(429)
        if isinstance(exc, errors.RequestError):
            return Retryable("answered with an error status (deep-translator does not say which)")
        if isinstance(exc, errors.TranslationNotFound | errors.ElementNotFoundInGetRequest):
            return Failed("answered with a page that has no translation in it")
        if isinstance(exc, errors.NotValidPayload | errors.NotValidLength):
            return Failed("cannot take this text (deep-translator refused it before sending)")
        if isinstance(exc, errors.LanguageNotSupportedException):
            return Failed("does not take this language pair")
        if isinstance(exc, requests.RequestException):
            return network_failure(exc, self.timeout)
        # A page deep-translator could not read (its parser failed on it), or a bug.
        return Failed(f"failed unexpectedly ({type(exc).__name__})")

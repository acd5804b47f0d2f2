"""Machine translation through deep-translator (google, mymemory, libre, microsoft, yandex,
papago, baidu, qcri) and OpenAI's chat API (chatgpt), made robust for batches.

deep-translator (1.11.4) is convenient but not built for this: it has no request timeout,
``translate_batch`` sends one request per text and stops at the first failure, network
trouble escapes as bare ``requests`` exceptions while rate limits come as its own
exceptions (which share no base class), some engines put the API key in the URL or in
exception text, and a shared ``GoogleTranslator`` is not thread-safe.  So:

* every request runs through a ``requests.Session`` with a timeout: deep-translator's
  modules call ``requests.get``/``requests.post``, and their module-level ``requests`` is
  replaced (once, on first use) by a stand-in that routes the calls of *this thread*
  through the session of the request being made and passes every other call through to
  ``requests`` unchanged.  The response (or network error) of each request is kept, so
  a failure is judged by the HTTP status and body, not by deep-translator's exceptions;
* each message gets a fresh engine instance (never shared between threads), at most
  ``concurrency`` requests are in flight, and every message is retried on its own with
  exponential backoff (plus jitter) on 429, 5xx, timeouts and connection errors;
* a message that still fails is left untranslated (its source text is returned) and the
  reason is recorded in :attr:`ProviderTranslator.failures`; only failures no retry can
  cure for *any* message (a rejected key, a used-up quota) raise :class:`TranslateError`.
  Once the server is unreachable (or keeps answering 429) after all retries, the rest of
  the batch is not tried, so a dead server costs one message's retries, not every one's;
* placeholders (``<1>``, ``</1>``, ``<2/>``) travel as tokens engines leave alone
  (``⟦1⟧``, ``⟦/1⟧``, ``⟦2/⟧``); Microsoft, which understands HTML, gets ``<span>``s.
  A translation whose placeholders do not come back exactly once is translated again
  piece by piece (the words between placeholders separately), else it is a failure;
* API keys never reach a message: the texts built here are scrubbed of them.

Base URLs: only ``LibreTranslator`` takes one (``custom_url``); for the others the
instance's ``_base_url`` is set after construction (deep-translator reads it on every
request), so ``endpoint`` works for every engine.  ``endpoint`` replaces the scheme and host
of the engine's usual URL and keeps its path: for ``libre`` it is the server
(``http://localhost:5000/``), for ``chatgpt`` an OpenAI-compatible base such as
``http://localhost:8080/v1``.

Keys: ``papago`` and ``baidu`` need two values; pass them as ``"ID:SECRET"``.
"""

from __future__ import annotations

import functools
import html
import importlib
import json
import re
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate.http import (
    Breaker,
    Failed,
    GaveUp,
    Retryable,
    RetryPolicy,
    SessionPool,
    damaged,
    describe_status,
    display_url,
    error_detail,
    network_failure,
    retrying,
    scrub,
    segments,
    split_outer_space,
    status_failure,
)

__all__ = ["PROVIDERS", "ProviderTranslator"]


@dataclass(frozen=True, slots=True)
class _Spec:
    label: str
    root: str  # scheme://host[/base] that ``endpoint`` replaces
    path: str  # what deep-translator appends to it (its URL templates included)
    needs_key: bool
    html: bool = False  # the engine is asked to treat the text as HTML


_SPECS: dict[str, _Spec] = {
    "google": _Spec("Google Translate", "https://translate.google.com", "/m", False),
    # deep-translator uses plain http here; the same API answers on https.
    "mymemory": _Spec("MyMemory", "https://api.mymemory.translated.net", "/get", False),
    # deep-translator's default mirror (libretranslate.de) is gone; the main site needs a key.
    "libre": _Spec("LibreTranslate", "https://libretranslate.com", "/", True),
    "microsoft": _Spec(
        "Microsoft Translator",
        "https://api.cognitive.microsofttranslator.com",
        "/translate?api-version=3.0",
        True,
        html=True,
    ),
    "yandex": _Spec(
        "Yandex Translate",
        "https://translate.yandex.net",
        "/api/{version}/tr.json/{endpoint}",
        True,
    ),
    "papago": _Spec("Papago", "https://openapi.naver.com", "/v1/papago/n2mt", True),
    "baidu": _Spec(
        "Baidu Translate", "https://fanyi-api.baidu.com", "/api/trans/vip/translate", True
    ),
    "qcri": _Spec("QCRI", "https://mt.qcri.org", "/api/v1/{endpoint}", True),
    "chatgpt": _Spec("OpenAI", "https://api.openai.com/v1", "/chat/completions", True),
}

PROVIDERS: tuple[str, ...] = tuple(_SPECS)

# -- placeholder codecs -----------------------------------------------------------------

_OPEN, _CLOSE = "⟦", "⟧"
_TOKEN = re.compile(r"⟦\s*(/?)\s*(\d{1,4})\s*(/?)\s*⟧")


class _Tokens:
    """``<1>`` ↔ ``⟦1⟧``, ``</1>`` ↔ ``⟦/1⟧``, ``<2/>`` ↔ ``⟦2/⟧`` (spaces inside tolerated)."""

    @staticmethod
    def usable(message: str) -> bool:
        return _OPEN not in message and _CLOSE not in message

    @staticmethod
    def encode(message: str) -> str:
        out: list[str] = []
        for piece in ph.pieces(message):
            if isinstance(piece, ph.Text):
                out.append(piece.value)
            else:
                slash_before = "/" if piece.role == "close" else ""
                slash_after = "/" if piece.role == "empty" else ""
                out.append(f"{_OPEN}{slash_before}{piece.number}{slash_after}{_CLOSE}")
        return "".join(out)

    @staticmethod
    def decode(translation: str) -> str | None:
        def back(m: re.Match[str]) -> str:
            before, digits, after = m.groups()
            return m.group() if before and after else f"<{before}{int(digits)}{after}>"

        return _TOKEN.sub(back, translation)

    @staticmethod
    def encode_plain(text: str) -> str:
        return text

    @staticmethod
    def decode_plain(text: str) -> str:
        return text


_SPAN = re.compile(r"<\s*(/?)\s*span\b([^>]*)>|(<[^>]*>)", re.IGNORECASE)
_SPAN_ID = re.compile(r"""\bid\s*=\s*["']?p(\d{1,4})["']?""", re.IGNORECASE)
_EMPTY_SPAN = re.compile(
    r"""<\s*span\b[^>]*\bid\s*=\s*["']?p(\d{1,4})["']?[^>]*>\s*<\s*/\s*span\s*>""", re.IGNORECASE
)


class _Html:
    """For engines told the text is HTML: ``<1>…</1>`` ↔ ``<span id="p1">…</span>``,
    ``<2/>`` ↔ ``<span id="p2" class="notranslate"></span>``; text is escaped."""

    @staticmethod
    def usable(message: str) -> bool:
        return True

    @staticmethod
    def encode(message: str) -> str:
        out: list[str] = []
        for piece in ph.pieces(message):
            if isinstance(piece, ph.Text):
                out.append(html.escape(piece.value, quote=False))
            elif piece.role == "open":
                out.append(f'<span id="p{piece.number}">')
            elif piece.role == "close":
                out.append("</span>")
            else:
                out.append(f'<span id="p{piece.number}" class="notranslate"></span>')
        return "".join(out)

    @staticmethod
    def decode(translation: str) -> str | None:
        text = _EMPTY_SPAN.sub(lambda m: f"\0{int(m.group(1))}/\0", translation)
        out: list[str] = []
        stack: list[int] = []
        pos = 0
        for m in _SPAN.finditer(text):
            out.append(html.unescape(text[pos : m.start()]))
            pos = m.end()
            if m.group(3) is not None:
                continue  # some other tag the engine added: drop it
            if m.group(1):
                if not stack:
                    return None
                out.append(f"</{stack.pop()}>")
            else:
                found = _SPAN_ID.search(m.group(2))
                if found is None:
                    return None
                stack.append(int(found.group(1)))
                out.append(f"<{stack[-1]}>")
        out.append(html.unescape(text[pos:]))
        if stack:
            return None
        return re.sub(r"\0(\d+)/\0", r"<\1/>", "".join(out))

    @staticmethod
    def encode_plain(text: str) -> str:
        return html.escape(text, quote=False)

    @staticmethod
    def decode_plain(text: str) -> str:
        return html.unescape(text)


# -- routing deep-translator's requests through our sessions ------------------------------

_local = threading.local()
_install_lock = threading.Lock()
_MODULES = ("google", "mymemory", "libre", "microsoft", "yandex", "papago", "baidu", "qcri")


class _Call:
    """One request's session and timeout, and what came of it."""

    def __init__(self, session: requests.Session, timeout: float) -> None:
        self.session = session
        self.timeout = timeout
        self.response: requests.Response | None = None
        self.error: requests.RequestException | None = None

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = self.timeout
        self.response, self.error = None, None
        try:
            self.response = self.session.request(method, url, **kwargs)
        except requests.RequestException as exc:
            self.error = exc
            raise
        return self.response


class _RequestsShim:
    """Stands in for the ``requests`` module inside deep-translator's engine modules.

    In a thread that is making one of our requests, ``get``/``post`` go through that
    request's :class:`_Call`; everywhere else they are ``requests.get``/``requests.post``.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, params: Any = None, **kwargs: Any) -> requests.Response:
        call: _Call | None = getattr(_local, "call", None)
        if call is None:
            return requests.get(url, params=params, **kwargs)
        return call.request("GET", url, params=params, **kwargs)

    def post(
        self, url: str, data: Any = None, json: Any = None, **kwargs: Any
    ) -> requests.Response:
        call: _Call | None = getattr(_local, "call", None)
        if call is None:
            return requests.post(url, data=data, json=json, **kwargs)
        return call.request("POST", url, data=data, json=json, **kwargs)


_SHIM = _RequestsShim()


def _deep_translator(module: str) -> Any:
    """deep-translator's engine module, its ``requests`` routed through :class:`_RequestsShim`."""
    name = f"deep_translator.{module}"
    loaded = sys.modules.get(name)
    if loaded is not None and getattr(loaded, "requests", None) is _SHIM:
        return loaded
    with _install_lock:
        try:
            for other in _MODULES:
                mod = importlib.import_module(f"deep_translator.{other}")
                if getattr(mod, "requests", None) is requests:
                    setattr(mod, "requests", _SHIM)  # noqa: B010
            return importlib.import_module(name)
        except ImportError as exc:
            raise TranslateError(
                "this engine needs deep-translator (pip install deep-translator)"
            ) from exc


# -- engines ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Setup:
    key: str | None
    key_id: str | None  # papago, baidu: the part before ":"
    url: str
    options: Mapping[str, str]
    source: str  # in the engine's own code
    target: str


class _ChatGpt:
    """OpenAI's chat API, called directly: deep-translator's ``ChatGptTranslator`` needs the
    pre-1.0 ``openai`` package (``openai.ChatCompletion``), sets the key globally and has no
    timeout.  Requests go through the current :class:`_Call` like deep-translator's."""

    def __init__(self, setup: _Setup) -> None:
        self.setup = setup

    def translate(self, text: str) -> str:
        call: _Call = _local.call
        s = self.setup
        prompt = (
            f"Translate the user's text from {s.source} into {s.target}. Markers such as "
            "⟦1⟧, ⟦/1⟧ and ⟦2/⟧ stand for formatting: keep every one of them exactly once, "
            "around the words they belong to. Reply with the translation only."
        )
        response = call.request(
            "POST",
            s.url,
            headers={"Authorization": f"Bearer {s.key}"},
            json={
                "model": s.options.get("model", "gpt-3.5-turbo"),
                "temperature": 0,
                "messages": [
                    {"role": "system", "content": prompt},
                    {"role": "user", "content": text},
                ],
            },
        )
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
        if not isinstance(content, str):
            raise TypeError("no text in the reply")
        return content


@functools.cache
def _microsoft_class() -> Any:
    base = _deep_translator("microsoft").MicrosoftTranslator

    class Microsoft(base):  # type: ignore[misc, valid-type]
        # deep-translator asks Microsoft for its language list (no timeout, no key) every
        # time an instance is made; the server checks the codes anyway.
        def _get_supported_languages(self) -> dict[str, str]:
            return {"english": "en"}

    return Microsoft


def _make(provider: str, s: _Setup) -> Any:
    """A fresh engine for one request (deep-translator instances keep per-request state)."""
    if provider == "chatgpt":
        return _ChatGpt(s)
    engine: Any
    if provider == "google":
        engine = _deep_translator("google").GoogleTranslator(source="auto", target="en")
    elif provider == "mymemory":
        engine = _deep_translator("mymemory").MyMemoryTranslator(
            source="english", target="spanish", email=s.options.get("email")
        )
    elif provider == "libre":
        # LibreTranslator insists on a key, but a self-hosted server may have none; it only
        # sends api_key when the attribute is set.
        engine = _deep_translator("libre").LibreTranslator(
            source="en", target="es", api_key=s.key or "-", custom_url=s.url
        )
        engine.api_key = s.key
    elif provider == "microsoft":
        engine = _microsoft_class()(
            source="en", target="en", api_key=s.key, region=s.options.get("region"), textType="html"
        )
    elif provider == "yandex":
        engine = _deep_translator("yandex").YandexTranslator(
            source="en", target="de", api_key=s.key
        )
    elif provider == "papago":
        engine = _deep_translator("papago").PapagoTranslator(
            client_id=s.key_id, secret_key=s.key, source="en", target="ko"
        )
    elif provider == "baidu":
        engine = _deep_translator("baidu").BaiduTranslator(
            source="en", target="zh", appid=s.key_id, appkey=s.key
        )
    elif provider == "qcri":
        engine = _deep_translator("qcri").QcriTranslator(source="en", target="es", api_key=s.key)
    else:  # pragma: no cover - checked in ProviderTranslator
        raise TranslateError(f"unknown engine {provider!r}")
    engine._base_url = s.url
    # deep-translator's language lists are partial and sometimes wrong (papago maps "en"
    # to "English"); codes are mapped here and the server judges them.
    engine.source, engine.target = s.source, s.target
    return engine


_BAIDU = {
    "ja": "jp", "ko": "kor", "fr": "fra", "es": "spa", "ar": "ara", "bg": "bul", "et": "est",
    "da": "dan", "fi": "fin", "sl": "slo", "sv": "swe", "vi": "vie", "ro": "rom",
}  # fmt: skip
_MICROSOFT_KEEP = {"pt-pt", "fr-ca", "sr-cyrl", "sr-latn", "mn-cyrl", "mn-mong", "iu-latn"}


def _is_traditional_chinese(low: str) -> bool:
    parts = low.split("-")
    return parts[0] in {"zh", "zt"} and bool({"hant", "tw", "hk", "mo"} & set(parts[1:]))


def _language(provider: str, tag: str) -> str:
    """The engine's code for a BCP 47 tag."""
    norm = tag.replace("_", "-").strip()
    low = norm.lower()
    primary = low.split("-")[0]
    if low == "auto":
        return "auto"
    trad = _is_traditional_chinese(low)
    if provider == "chatgpt":
        return _language_name(norm)
    if primary == "zh":
        chinese = {
            "google": ("zh-TW", "zh-CN"),
            "mymemory": ("zh-TW", "zh-CN"),
            "papago": ("zh-TW", "zh-CN"),
            "libre": ("zt", "zh"),
            "microsoft": ("zh-Hant", "zh-Hans"),
            "baidu": ("cht", "zh"),
        }
        if provider in chinese:
            return chinese[provider][0 if trad else 1]
        return primary
    if provider == "mymemory":
        return norm
    if provider == "microsoft":
        return low if low in _MICROSOFT_KEEP else primary
    if provider == "baidu":
        return _BAIDU.get(primary, primary)
    return primary


def _language_name(tag: str) -> str:
    try:
        from babel import Locale

        name = Locale.parse(tag, sep="-").get_display_name("en")
    except Exception:
        return tag
    return name if isinstance(name, str) and name else tag


def _rebase(spec: _Spec, endpoint: str | None) -> tuple[str, str]:
    """The URL deep-translator is given, and the address named in messages."""
    root = (endpoint or spec.root).strip().rstrip("/")
    return root + spec.path, display_url(root + "/")


# -- the translator ---------------------------------------------------------------------


class ProviderTranslator:
    """A :class:`~l10n.translate.Translator` for one of :data:`PROVIDERS`.

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
        spec = _SPECS.get(provider)
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
        self.name = provider
        self.provider = provider
        self.timeout = timeout
        self.concurrency = concurrency
        self.failures: dict[int, str] = {}
        self._spec = spec
        self._secrets = tuple(s for s in (api_key, key, key_id) if s)
        self._key, self._key_id = key, key_id
        url, where = _rebase(spec, endpoint)
        self._url = url
        self.where = scrub(f"{spec.label} at {where}", self._secrets)
        self._options: Mapping[str, str] = dict(options or {})
        self._policy = RetryPolicy(max_retries=max_retries, backoff=backoff, sleep=sleep)
        self._codec: type[_Tokens] | type[_Html] = _Html if spec.html else _Tokens
        self._sessions = SessionPool()
        if provider != "chatgpt":
            _deep_translator(provider)  # fail now, not per message, if it is missing

    def __repr__(self) -> str:
        return f"ProviderTranslator({self.provider!r}, where={self.where!r})"

    def close(self) -> None:
        """Close pooled connections."""
        self._sessions.close()

    def __enter__(self) -> ProviderTranslator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """One translation per text, in order; failed ones are their source text and are
        listed in :attr:`failures`."""
        self.failures = {}
        results = list(texts)
        if not results:
            return results
        setup = _Setup(
            key=self._key,
            key_id=self._key_id,
            url=self._url,
            options=self._options,
            source=_language(self.provider, source),
            target=_language(self.provider, target),
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

    def _one(self, text: str, setup: _Setup, breaker: Breaker) -> str:
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

    def _by_pieces(self, core: str, setup: _Setup, breaker: Breaker) -> str:
        out: list[str] = []
        for segment in segments(core):
            if not segment.translate:
                out.append(segment.text)
                continue
            answer = self._request(self._codec.encode_plain(segment.text), setup, breaker)
            out.append(self._codec.decode_plain(answer).strip())
        return "".join(out)

    def _request(self, payload: str, setup: _Setup, breaker: Breaker) -> str:
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

    def _attempt(self, payload: str, setup: _Setup) -> str:
        with self._sessions.session() as session:
            call = _Call(session, self.timeout)
            _local.call = call
            try:
                engine = _make(self.provider, setup)
                if self.provider == "qcri":
                    result = engine.translate(
                        payload, domain=self._options.get("domain", "general")
                    )
                else:
                    result = engine.translate(payload)
            except TranslateError:
                raise
            except Exception as exc:
                raise self._judge(call, exc) or self._refused(exc) from None
            finally:
                _local.call = None
        problem = self._judge(call, None)
        if problem is not None:
            raise problem
        if isinstance(result, list) and all(isinstance(r, str) for r in result):
            result = "\n".join(result)  # yandex answers with its list of texts
        if not isinstance(result, str):
            raise Failed("answered without a translation")
        return result

    # -- what went wrong --

    def _judge(self, call: _Call, exc: Exception | None) -> Failed | None:
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
        problem = self._body_problem(body)
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

    def _body_problem(self, body: Any) -> Failed | None:
        """Errors some APIs report with ``200 OK``."""
        if not isinstance(body, Mapping):
            return None
        if self.provider == "mymemory":
            status = body.get("responseStatus")
            code = int(status) if isinstance(status, int | str) and str(status).isdigit() else 200
            data = body.get("responseData")
            text = data.get("translatedText") if isinstance(data, Mapping) else None
            if isinstance(text, str) and text.startswith("MYMEMORY WARNING"):
                raise TranslateError(f"{self.where} says the free daily quota is used up")
            if code != 200:
                detail = body.get("responseDetails")
                return status_failure(code, detail=self._scrub(str(detail or ""))[:160])
        elif self.provider == "yandex":
            answer = body.get("code")
            if isinstance(answer, int) and answer != 200:
                if answer in {401, 402}:
                    raise TranslateError(self._rejected(answer))
                if answer in {403, 404}:
                    raise TranslateError(f"{self.where} says the daily quota is used up ({answer})")
                return status_failure(answer)
        elif self.provider == "baidu" and "error_code" in body:
            code_text = str(body.get("error_code"))
            message = self._scrub(str(body.get("error_msg", "")))[:160]
            if code_text in {"52003", "54001", "58000", "58002", "90107"}:
                raise TranslateError(f"{self.where} rejected the key ({code_text} {message})")
            if code_text == "54004":
                raise TranslateError(f"{self.where} says the account balance is used up")
            if code_text in {"52001", "52002", "54003", "54005"}:
                return Retryable(
                    f"answered error {code_text}", detail=message, unreachable=code_text == "54003"
                )
            return Failed(f"answered error {code_text}", detail=message)
        return None

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

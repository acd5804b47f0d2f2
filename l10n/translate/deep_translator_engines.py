"""What each engine needs to be asked and how it answers: deep-translator's engine
classes (google, mymemory, libre, microsoft, yandex, papago, baidu, qcri) and OpenAI's
chat API (chatgpt), built fresh for every request and pointed at an endpoint.

deep-translator (1.11.4) has no request timeout and judges answers by its own exceptions,
so its modules' ``requests`` is replaced (once, on first use) by a stand-in that routes
the calls of a thread inside a :class:`Call` through that call's session, with its
timeout, and keeps the response (or network error) for :func:`body_problem` and the
translator to judge; every other call passes through to ``requests`` unchanged.

Base URLs: only ``LibreTranslator`` takes one (``custom_url``); for the others the
instance's ``_base_url`` is set after construction (deep-translator reads it on every
request), so an endpoint works for every engine.  :func:`rebase` replaces the scheme and
host of the engine's usual URL and keeps its path (:attr:`Spec.path`).
"""

from __future__ import annotations

import functools
import importlib
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from l10n.errors import TranslateError
from l10n.translate.http import Failed, Retryable, display_url, status_failure

__all__ = [
    "SPECS",
    "Call",
    "Setup",
    "Spec",
    "body_problem",
    "deep_translator_module",
    "make_engine",
    "rebase",
    "reply_text",
    "send",
]


@dataclass(frozen=True, slots=True)
class Spec:
    label: str
    root: str  # scheme://host[/base] that ``endpoint`` replaces
    path: str  # what deep-translator appends to it (its URL templates included)
    needs_key: bool
    html: bool = False  # the engine is asked to treat the text as HTML


SPECS: dict[str, Spec] = {
    "google": Spec("Google Translate", "https://translate.google.com", "/m", False),
    # deep-translator uses plain http here; the same API answers on https.
    "mymemory": Spec("MyMemory", "https://api.mymemory.translated.net", "/get", False),
    # deep-translator's default mirror (libretranslate.de) is gone; the main site needs a key.
    "libre": Spec("LibreTranslate", "https://libretranslate.com", "/", True),
    "microsoft": Spec(
        "Microsoft Translator",
        "https://api.cognitive.microsofttranslator.com",
        "/translate?api-version=3.0",
        True,
        html=True,
    ),
    "yandex": Spec(
        "Yandex Translate",
        "https://translate.yandex.net",
        "/api/{version}/tr.json/{endpoint}",
        True,
    ),
    "papago": Spec("Papago", "https://openapi.naver.com", "/v1/papago/n2mt", True),
    "baidu": Spec(
        "Baidu Translate", "https://fanyi-api.baidu.com", "/api/trans/vip/translate", True
    ),
    "qcri": Spec("QCRI", "https://mt.qcri.org", "/api/v1/{endpoint}", True),
    "chatgpt": Spec("OpenAI", "https://api.openai.com/v1", "/chat/completions", True),
}


def rebase(spec: Spec, endpoint: str | None) -> tuple[str, str]:
    """The URL deep-translator is given, and the address named in messages."""
    root = (endpoint or spec.root).strip().rstrip("/")
    return root + spec.path, display_url(root + "/")


# -- routing deep-translator's requests through our sessions ------------------------------

_local = threading.local()
_install_lock = threading.Lock()
_MODULES = ("google", "mymemory", "libre", "microsoft", "yandex", "papago", "baidu", "qcri")


class Call:
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

    def __enter__(self) -> Call:
        """Route this thread's deep-translator requests through this call."""
        _local.call = self
        return self

    def __exit__(self, *exc: object) -> None:
        _local.call = None


class _RequestsShim:
    """Stands in for the ``requests`` module inside deep-translator's engine modules.

    In a thread that is making one of our requests, ``get``/``post`` go through that
    request's :class:`Call`; everywhere else they are ``requests.get``/``requests.post``.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, params: Any = None, **kwargs: Any) -> requests.Response:
        call: Call | None = getattr(_local, "call", None)
        if call is None:
            return requests.get(url, params=params, **kwargs)
        return call.request("GET", url, params=params, **kwargs)

    def post(
        self, url: str, data: Any = None, json: Any = None, **kwargs: Any
    ) -> requests.Response:
        call: Call | None = getattr(_local, "call", None)
        if call is None:
            return requests.post(url, data=data, json=json, **kwargs)
        params = kwargs.get("params")
        if (
            json is None
            and data is None
            and isinstance(params, dict)
            and {"q", "source", "target"} <= params.keys()
        ):
            # LibreTranslate: deep-translator puts everything in the query string of a
            # POST, while servers written to the API docs read a JSON body.  Send both;
            # the key only in the body, so it never appears in a URL or a log line.
            json = dict(params)
            kwargs["params"] = {k: v for k, v in params.items() if k != "api_key"}
        return call.request("POST", url, data=data, json=json, **kwargs)


_SHIM = _RequestsShim()


def deep_translator_module(module: str) -> Any:
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
class Setup:
    key: str | None
    key_id: str | None  # papago, baidu: the part before ":"
    url: str
    options: Mapping[str, str]
    source: str  # in the engine's own code
    target: str


class _ChatGpt:
    """OpenAI's chat API, called directly: deep-translator's ``ChatGptTranslator`` needs the
    pre-1.0 ``openai`` package (``openai.ChatCompletion``), sets the key globally and has no
    timeout.  Requests go through the current :class:`Call` like deep-translator's."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup

    def translate(self, text: str) -> str:
        call: Call = _local.call
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
    base = deep_translator_module("microsoft").MicrosoftTranslator

    class Microsoft(base):  # type: ignore[misc, valid-type]
        # deep-translator asks Microsoft for its language list (no timeout, no key) every
        # time an instance is made; the server checks the codes anyway.
        def _get_supported_languages(self) -> dict[str, str]:
            return {"english": "en"}

    return Microsoft


def make_engine(provider: str, s: Setup) -> Any:
    """A fresh engine for one request (deep-translator instances keep per-request state)."""
    if provider == "chatgpt":
        return _ChatGpt(s)
    engine: Any
    if provider == "google":
        engine = deep_translator_module("google").GoogleTranslator(source="auto", target="en")
    elif provider == "mymemory":
        engine = deep_translator_module("mymemory").MyMemoryTranslator(
            source="english", target="spanish", email=s.options.get("email")
        )
    elif provider == "libre":
        # LibreTranslator insists on a key, but a self-hosted server may have none; it only
        # sends api_key when the attribute is set.
        engine = deep_translator_module("libre").LibreTranslator(
            source="en", target="es", api_key=s.key or "-", custom_url=s.url
        )
        engine.api_key = s.key
    elif provider == "microsoft":
        engine = _microsoft_class()(
            source="en", target="en", api_key=s.key, region=s.options.get("region"), textType="html"
        )
    elif provider == "yandex":
        engine = deep_translator_module("yandex").YandexTranslator(
            source="en", target="de", api_key=s.key
        )
    elif provider == "papago":
        engine = deep_translator_module("papago").PapagoTranslator(
            client_id=s.key_id, secret_key=s.key, source="en", target="ko"
        )
    elif provider == "baidu":
        engine = deep_translator_module("baidu").BaiduTranslator(
            source="en", target="zh", appid=s.key_id, appkey=s.key
        )
    elif provider == "qcri":
        engine = deep_translator_module("qcri").QcriTranslator(
            source="en", target="es", api_key=s.key
        )
    else:  # pragma: no cover - checked in ProviderTranslator
        raise TranslateError(f"unknown engine {provider!r}")
    engine._base_url = s.url
    # deep-translator's language lists are partial and sometimes wrong (papago maps "en"
    # to "English"); codes are mapped by l10n.translate.languages and the server judges them.
    engine.source, engine.target = s.source, s.target
    return engine


def send(provider: str, engine: Any, payload: str, options: Mapping[str, str]) -> Any:
    """Ask ``engine`` (from :func:`make_engine`) to translate ``payload``; its raw answer."""
    if provider == "qcri":
        return engine.translate(payload, domain=options.get("domain", "general"))
    return engine.translate(payload)


# -- replies ---------------------------------------------------------------------------


def reply_text(result: Any) -> str | None:
    """The translation in an engine's answer (``None``: there is none)."""
    if isinstance(result, list) and all(isinstance(r, str) for r in result):
        result = "\n".join(result)  # yandex answers with its list of texts
    if not isinstance(result, str):
        return None
    return result


def body_problem(
    provider: str,
    body: Any,
    *,
    where: str,
    scrub: Callable[[str], str],
    rejected: Callable[[int], str],
) -> Failed | None:
    """Errors some APIs report with ``200 OK``, judged from the parsed JSON ``body``.

    Raises :class:`TranslateError` for what no retry or other message can fix; ``where``
    names the service, ``scrub`` keeps secrets out of text and ``rejected`` words a
    refused key."""
    if not isinstance(body, Mapping):
        return None
    if provider == "mymemory":
        status = body.get("responseStatus")
        code = int(status) if isinstance(status, int | str) and str(status).isdigit() else 200
        data = body.get("responseData")
        text = data.get("translatedText") if isinstance(data, Mapping) else None
        if isinstance(text, str) and text.startswith("MYMEMORY WARNING"):
            raise TranslateError(f"{where} says the free daily quota is used up")
        if code != 200:
            detail = body.get("responseDetails")
            return status_failure(code, detail=scrub(str(detail or ""))[:160])
    elif provider == "yandex":
        answer = body.get("code")
        if isinstance(answer, int) and answer != 200:
            if answer in {401, 402}:
                raise TranslateError(rejected(answer))
            if answer in {403, 404}:
                raise TranslateError(f"{where} says the daily quota is used up ({answer})")
            return status_failure(answer)
    elif provider == "baidu" and "error_code" in body:
        code_text = str(body.get("error_code"))
        message = scrub(str(body.get("error_msg", "")))[:160]
        if code_text in {"52003", "54001", "58000", "58002", "90107"}:
            raise TranslateError(f"{where} rejected the key ({code_text} {message})")
        if code_text == "54004":
            raise TranslateError(f"{where} says the account balance is used up")
        if code_text in {"52001", "52002", "54003", "54005"}:
            return Retryable(
                f"answered error {code_text}", detail=message, unreachable=code_text == "54003"
            )
        return Failed(f"answered error {code_text}", detail=message)
    return None

"""How each provider's REST API is asked and how it answers, called directly with
``requests`` (no third-party client: each gets a timeout, an endpoint, and its errors
judged by the HTTP status and body).

Batched, within each API's documented limits per request:

* LibreTranslate ``POST /translate``, ``q`` an array (the server's ``--batch-limit`` and
  ``--char-limit`` are unlimited by default; we stay at 100 texts and 20,000 characters,
  and a request refused as too large is split);
* Microsoft Translator v3 ``POST /translate?api-version=3.0``: up to 1,000 elements and
  50,000 characters per request;
* Google Cloud Translation v2 (Basic) ``POST /language/translate/v2``, ``q`` an array: up
  to 128 segments, request under 100 KB (the key in the ``X-Goog-Api-Key`` header);
* Yandex Translate v1.5 ``POST /api/v1.5/tr.json/translate``, ``text`` repeated: 10,000
  characters per request;
* Baidu ``/api/trans/vip/translate``: texts joined by newlines (one result per line),
  6,000 bytes per request.

One text per request: MyMemory (``GET /get``, 500 bytes), Papago (5,000 characters) and
QCRI.  (``chatgpt`` is the ``openai`` engine, :mod:`l10n.translate.openai`.)
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from l10n.errors import TranslateError
from l10n.translate.batching import Limits
from l10n.translate.http import Failed, Retryable, TooLarge, status_failure

__all__ = ["APIS", "Api", "Request", "Setup"]


@dataclass(frozen=True, slots=True)
class Setup:
    key: str | None
    key_id: str | None  # papago, baidu: the part before ":"
    root: str  # scheme://host[/base], no trailing slash
    options: Mapping[str, str]
    source: str  # in the engine's own code
    target: str


@dataclass(frozen=True, kw_only=True)
class Request:
    method: str
    url: str
    params: dict[str, str] | None = None
    json: Any = None
    data: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Judge:
    """What an answer's body is worth: ``where`` names the service, ``scrub`` keeps
    secrets out of text, ``rejected`` words a refused key."""

    where: str
    scrub: Callable[[str], str]
    rejected: Callable[[int], str]


@dataclass(frozen=True, kw_only=True)
class Api:
    label: str
    root: str  # what ``endpoint`` replaces
    needs_key: bool
    limits: Limits
    build: Callable[[list[str], Setup], Request]
    parse: Callable[[Any, int], list[str] | None]  # body, texts sent → translations
    html: bool = False  # the text is sent as HTML (placeholders as <span>s)
    # Judges an error status before the usual rules (None: no opinion), or a body
    # that answers 200 with an error inside.
    status: Callable[[int, Any, Judge], Failed | None] | None = None
    problem: Callable[[Any, Judge], Failed | None] | None = None


def _strings(values: Any) -> list[str] | None:
    if isinstance(values, list) and all(isinstance(v, str) for v in values):
        return list(values)
    return None


def _get(body: Any, *path: str | int) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(body, list) or len(body) <= step:
                return None
        elif not isinstance(body, Mapping):
            return None
        body = body[step] if isinstance(step, int) else body.get(step)
    return body


# -- LibreTranslate --


def _libre(texts: list[str], s: Setup) -> Request:
    body: dict[str, Any] = {"q": texts, "source": s.source, "target": s.target, "format": "text"}
    if s.key:
        body["api_key"] = s.key  # in the body, never in a URL
    return Request(method="POST", url=s.root + "/translate", json=body)


def _libre_parse(body: Any, n: int) -> list[str] | None:
    return _strings(_get(body, "translatedText"))


def _libre_status(code: int, body: Any, judge: Judge) -> Failed | None:
    error = _get(body, "error")
    if code == 400 and isinstance(error, str) and "exceeds" in error and "limit" in error:
        return TooLarge(f"answered 400 Bad Request: {judge.scrub(error)[:160]}")
    return None


# -- Microsoft --


def _microsoft(texts: list[str], s: Setup) -> Request:
    headers = {"Ocp-Apim-Subscription-Key": s.key or ""}
    region = s.options.get("region")
    if region:
        headers["Ocp-Apim-Subscription-Region"] = region
    params = {"api-version": "3.0", "from": s.source, "to": s.target, "textType": "html"}
    return Request(
        method="POST",
        url=s.root + "/translate",
        params=params,
        json=[{"Text": t} for t in texts],
        headers=headers,
    )


def _microsoft_parse(body: Any, n: int) -> list[str] | None:
    if not isinstance(body, list):
        return None
    out = [_get(item, "translations", 0, "text") for item in body]
    return _strings(out)


# -- Google Cloud Translation v2 --


def _google(texts: list[str], s: Setup) -> Request:
    body = {"q": texts, "source": s.source, "target": s.target, "format": "html"}
    return Request(
        method="POST",
        url=s.root + "/language/translate/v2",
        json=body,
        headers={"X-Goog-Api-Key": s.key or ""},
    )


def _google_parse(body: Any, n: int) -> list[str] | None:
    found = _get(body, "data", "translations")
    if not isinstance(found, list):
        return None
    return _strings([_get(t, "translatedText") for t in found])


def _google_status(code: int, body: Any, judge: Judge) -> Failed | None:
    # Google says "rate limit" with 403 (and a reason), and "bad key" with 400.
    reasons = {str(_get(e, "reason")) for e in _get(body, "error", "errors") or []}
    if reasons & {"userRateLimitExceeded", "rateLimitExceeded"}:
        return Retryable("answered 403 User Rate Limit Exceeded", unreachable=True)
    if reasons & {"dailyLimitExceeded", "quotaExceeded"}:
        raise TranslateError(f"{judge.where} says the daily quota is used up")
    if code == 400 and reasons & {"keyInvalid"}:
        raise TranslateError(judge.rejected(code))
    return None


# -- Yandex --


def _yandex(texts: list[str], s: Setup) -> Request:
    data = [("key", s.key or ""), ("lang", f"{s.source}-{s.target}"), ("format", "plain")]
    data += [("text", t) for t in texts]
    return Request(method="POST", url=s.root + "/api/v1.5/tr.json/translate", data=data)


def _yandex_parse(body: Any, n: int) -> list[str] | None:
    return _strings(_get(body, "text"))


def _yandex_problem(body: Any, judge: Judge) -> Failed | None:
    answer = _get(body, "code")
    if isinstance(answer, int) and answer != 200:
        if answer in {401, 402}:
            raise TranslateError(judge.rejected(answer))
        if answer in {403, 404}:
            raise TranslateError(f"{judge.where} says the daily quota is used up ({answer})")
        return status_failure(answer)
    return None


# -- Baidu --


def _baidu(texts: list[str], s: Setup) -> Request:
    q = "\n".join(texts)
    salt = str(random.randint(32768, 65536))
    sign = hashlib.md5(f"{s.key_id}{q}{salt}{s.key}".encode()).hexdigest()  # Baidu's scheme
    data = {"q": q, "from": s.source, "to": s.target, "appid": s.key_id or "", "salt": salt}
    data["sign"] = sign
    return Request(method="POST", url=s.root + "/api/trans/vip/translate", data=data)


def _baidu_parse(body: Any, n: int) -> list[str] | None:
    found = _get(body, "trans_result")
    if not isinstance(found, list):
        return None
    return _strings([_get(r, "dst") for r in found])


def _baidu_problem(body: Any, judge: Judge) -> Failed | None:
    if not isinstance(body, Mapping) or "error_code" not in body:
        return None
    code = str(body.get("error_code"))
    message = judge.scrub(str(body.get("error_msg", "")))[:160]
    if code in {"52003", "54001", "58000", "58002", "90107"}:
        raise TranslateError(f"{judge.where} rejected the key ({code} {message})")
    if code == "54004":
        raise TranslateError(f"{judge.where} says the account balance is used up")
    if code in {"52001", "52002", "54003", "54005"}:
        return Retryable(f"answered error {code}", detail=message, unreachable=code == "54003")
    return Failed(f"answered error {code}", detail=message)


# -- one text per request --


def _mymemory(texts: list[str], s: Setup) -> Request:
    params = {"q": texts[0], "langpair": f"{s.source}|{s.target}"}
    email = s.options.get("email") or s.key
    if email:
        params["de"] = email
    return Request(method="GET", url=s.root + "/get", params=params)


def _mymemory_parse(body: Any, n: int) -> list[str] | None:
    text = _get(body, "responseData", "translatedText")
    return [text] if isinstance(text, str) else None


def _mymemory_problem(body: Any, judge: Judge) -> Failed | None:
    status = _get(body, "responseStatus")
    code = int(status) if isinstance(status, int | str) and str(status).isdigit() else 200
    text = _get(body, "responseData", "translatedText")
    if isinstance(text, str) and text.startswith("MYMEMORY WARNING"):
        raise TranslateError(f"{judge.where} says the free daily quota is used up")
    if code != 200:
        detail = judge.scrub(str(_get(body, "responseDetails") or ""))[:160]
        return status_failure(code, detail=detail)
    return None


def _papago(texts: list[str], s: Setup) -> Request:
    headers = {"X-Naver-Client-Id": s.key_id or "", "X-Naver-Client-Secret": s.key or ""}
    data = {"source": s.source, "target": s.target, "text": texts[0]}
    return Request(method="POST", url=s.root + "/v1/papago/n2mt", data=data, headers=headers)


def _papago_parse(body: Any, n: int) -> list[str] | None:
    text = _get(body, "message", "result", "translatedText")
    return [text] if isinstance(text, str) else None


def _qcri(texts: list[str], s: Setup) -> Request:
    params = {
        "key": s.key or "",  # QCRI's API takes the key nowhere else
        "langpair": f"{s.source}-{s.target}",
        "domain": s.options.get("domain", "general"),
        "text": texts[0],
    }
    return Request(method="GET", url=s.root + "/api/v1/translate", params=params)


def _qcri_parse(body: Any, n: int) -> list[str] | None:
    text = _get(body, "translatedText")
    return [text] if isinstance(text, str) else None


ONE = Limits(texts=1)

APIS: dict[str, Api] = {
    "google": Api(
        label="Google Cloud Translation",
        root="https://translation.googleapis.com",
        needs_key=True,
        limits=Limits(texts=128, json_bytes=90_000),
        build=_google,
        parse=_google_parse,
        html=True,
        status=_google_status,
    ),
    "mymemory": Api(
        label="MyMemory",
        root="https://api.mymemory.translated.net",
        needs_key=False,
        limits=Limits(texts=1, item_bytes=500),
        build=_mymemory,
        parse=_mymemory_parse,
        problem=_mymemory_problem,
    ),
    # The main site needs a key; a self-hosted server (``endpoint``) may not.
    "libre": Api(
        label="LibreTranslate",
        root="https://libretranslate.com",
        needs_key=True,
        limits=Limits(texts=100, chars=20_000),
        build=_libre,
        parse=_libre_parse,
        status=_libre_status,
    ),
    "microsoft": Api(
        label="Microsoft Translator",
        root="https://api.cognitive.microsofttranslator.com",
        needs_key=True,
        limits=Limits(texts=1000, chars=50_000),
        build=_microsoft,
        parse=_microsoft_parse,
        html=True,
    ),
    "yandex": Api(
        label="Yandex Translate",
        root="https://translate.yandex.net",
        needs_key=True,
        limits=Limits(texts=100, chars=10_000),
        build=_yandex,
        parse=_yandex_parse,
        problem=_yandex_problem,
    ),
    "papago": Api(
        label="Papago",
        root="https://openapi.naver.com",
        needs_key=True,
        limits=Limits(texts=1, chars=5_000),
        build=_papago,
        parse=_papago_parse,
    ),
    "baidu": Api(
        label="Baidu Translate",
        root="https://fanyi-api.baidu.com",
        needs_key=True,
        limits=Limits(texts=100, json_bytes=6_000),
        build=_baidu,
        parse=_baidu_parse,
        problem=_baidu_problem,
    ),
    "qcri": Api(
        label="QCRI",
        root="https://mt.qcri.org",
        needs_key=True,
        limits=ONE,
        build=_qcri,
        parse=_qcri_parse,
    ),
}

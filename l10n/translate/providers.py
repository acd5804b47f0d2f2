"""Machine translation through each provider's REST API (google, mymemory, libre,
microsoft, yandex, papago, baidu, qcri); ``chatgpt`` is the ``openai`` engine
(:mod:`l10n.translate.openai`).

Each is asked directly with ``requests`` (:mod:`l10n.translate.provider_apis` says how),
as many texts per request as its API takes (:mod:`l10n.translate.batching`), with a
timeout on every request, a bounded number in flight, and retries with backoff on 429,
5xx, timeouts and connection errors (``Retry-After`` honoured).  deep-translator used
to sit here; it has no timeout, sends one text per request and can only be pointed at
another server through its private attributes, so it is no longer used.

* a message that still fails is left untranslated (its source text is returned) and the
  reason is recorded in :attr:`ProviderTranslator.failures`; only failures no retry can
  cure for *any* message (a rejected key, a used-up quota) raise :class:`TranslateError`;
* placeholders (``<1>``, ``</1>``, ``<2/>``) travel as tokens engines leave alone
  (``⟦1⟧``, ``⟦/1⟧``, ``⟦2/⟧``); Microsoft and Google, told the text is HTML, get
  ``<span>``s (:mod:`l10n.translate.placeholder_codecs`);
* API keys never reach a message: the texts built here are scrubbed of them.

Endpoints: ``endpoint`` replaces the scheme and host (and base path) of the API's usual
URL: for ``libre`` it is the server (``http://localhost:5000/``).

Keys: ``papago`` and ``baidu`` need two values; pass them as ``"ID:SECRET"``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

import requests

from l10n.errors import TranslateError
from l10n.translate.batching import BatchTranslator, read_json, send
from l10n.translate.engine import Settings
from l10n.translate.http import Failed, describe_status, display_url
from l10n.translate.languages import engine_language
from l10n.translate.placeholder_codecs import HtmlCodec, TokenCodec
from l10n.translate.provider_apis import APIS, Judge, Setup

__all__ = ["PROVIDERS", "ProviderTranslator"]

PROVIDERS: tuple[str, ...] = tuple(APIS)

# The names these had when they were defined here (tests import them from this module).
_Tokens = TokenCodec
_Html = HtmlCodec
_language = engine_language


class ProviderTranslator(BatchTranslator):
    """An :class:`~l10n.translate.engine.Engine` for one of :data:`PROVIDERS`.

    ``options``: ``region`` (microsoft), ``domain`` (qcri),
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
        api = APIS.get(provider)
        if api is None:
            known = ", ".join(PROVIDERS)
            raise TranslateError(f"unknown machine-translation provider {provider!r} ({known})")
        if provider == "libre" and not api_key and endpoint is None:
            raise TranslateError(
                "libre needs an API key for libretranslate.com, or an endpoint "
                "(the URL of a LibreTranslate server)"
            )
        if api.needs_key and provider != "libre" and not api_key:
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
        super().__init__(
            secrets=(api_key, key, key_id),
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            concurrency=concurrency,
            sleep=sleep,
        )
        self.name = provider
        self.provider = provider
        self.limits = api.limits
        self.codec = HtmlCodec() if api.html else TokenCodec()
        self._api = api
        self._key, self._key_id = key, key_id
        self._root = (endpoint or api.root).strip().rstrip("/")
        self.where = self._scrub(f"{api.label} at {display_url(self._root + '/')}")
        self._options: Mapping[str, str] = dict(options or {})
        self._judge = Judge(where=self.where, scrub=self._scrub, rejected=self._rejected)

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

    def _send(
        self, session: requests.Session, texts: list[str], source: str, target: str
    ) -> list[str]:
        setup = Setup(
            key=self._key,
            key_id=self._key_id,
            root=self._root,
            options=self._options,
            source=engine_language(self.provider, source),
            target=engine_language(self.provider, target),
        )
        request = self._api.build(texts, setup)
        response = send(
            session,
            request.method,
            request.url,
            timeout=self.timeout,
            params=request.params,
            json=request.json,
            data=request.data,
            headers=request.headers,
        )
        code = response.status_code
        if not 200 <= code < 300 and self._api.status is not None:
            problem = self._api.status(code, _body(response), self._judge)
            if problem is not None:
                raise problem
        body = read_json(response, rejected=self._rejected, scrub_text=self._scrub)
        if self._api.problem is not None:
            problem = self._api.problem(body, self._judge)
            if problem is not None:
                raise problem
        answers = self._api.parse(body, len(texts))
        if answers is None:
            raise Failed(
                f"answered {describe_status(code)} with a reply that has no translation in it"
            )
        return answers

    def _rejected(self, code: int) -> str:
        if self._api.needs_key and self._key:
            return f"{self.where} rejected the API key ({describe_status(code)})"
        return f"{self.where} refused access ({describe_status(code)})"


def _body(response: requests.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None

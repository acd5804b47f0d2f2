"""An engine for OpenAI-compatible chat servers, built for articles: OpenAI, Azure OpenAI,
Ollama, vLLM, llama.cpp's server and LM Studio all answer ``POST {endpoint}/chat/completions``.

An article's untranslated entries go together, in document order, with its title, in as
few requests as ``[translate] context_tokens`` allows (cut between entries, never inside
one).  Each entry comes with its placeholders and the glossary's terms; the reply is JSON
with entry ids (a JSON schema where the server takes one, else JSON mode, else plain
words), and every item is checked: its id, each placeholder exactly once, the required
terms.  Whatever goes wrong is mended as narrowly as it can be:

* an item that is missing, damaged or lacks a term is asked again alone, then left
  untranslated with the reason; extra items are ignored, the order does not matter;
* a reply that is not JSON, or was cut off at the token limit (``finish_reason:
  "length"``), is asked again in two halves, down to single entries;
* 429 (its ``Retry-After``, seconds or a date, is waited out), 5xx, timeouts and
  dropped connections are retried with backoff; once the server is unreachable the rest
  of the article is not tried;
* a 400 while a response format is asked for steps down to the next format, for the
  rest of the run.

Azure OpenAI: the endpoint is the deployment's URL with its ``api-version``
(``https://NAME.openai.azure.com/openai/deployments/DEPLOYMENT?api-version=2024-10-21``);
the query string goes on every request and the key travels in an ``api-key`` header
(elsewhere as ``Authorization: Bearer``).  A local server (Ollama, llama.cpp) needs no
key.  The key is never written to a message: server errors that echo it are scrubbed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import requests

from l10n.errors import TranslateError
from l10n.translate.article import ArticleEntry, ArticleResult
from l10n.translate.engine import Engine, Settings
from l10n.translate.http import (
    Failed,
    GaveUp,
    RetryPolicy,
    describe_status,
    display_url,
    error_detail,
    network_failure,
    retrying,
    scrub,
    status_failure,
)
from l10n.translate.languages import engine_language
from l10n.translate.openai_prompt import (
    FORMATS,
    chunks,
    estimate_tokens,
    parse_reply,
    request_tokens,
    response_format,
    system_prompt,
    user_message,
)
from l10n.translate.openai_prompt import check as check_item

__all__ = ["DEFAULT_ENDPOINT", "DEFAULT_MODEL", "OpenAITranslator"]

DEFAULT_ENDPOINT = "https://api.openai.com/v1"
DEFAULT_MODEL = "gpt-4o-mini"

# Words in a 400's explanation that mean the request was too big, not its format.
_TOO_BIG = ("context", "token", "too long", "maximum")


@dataclass(frozen=True, kw_only=True)
class _Reply:
    items: dict[str, str] | None  # None: not JSON of a shape we know
    why: str  # when items is None, or cut off
    cut_off: bool = False


@dataclass
class _Run:
    """One ``translate_article`` call: results so far, and what it cost."""

    system: str
    texts: list[str]
    index: dict[str, int]
    failures: dict[int, str] = field(default_factory=dict)
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    stopped: str = ""  # why the rest is not tried (the server is unreachable)


class OpenAITranslator(Engine):
    """The ``openai`` engine (``chatgpt`` is its old name).  Not thread-safe."""

    whole_articles = True

    def __init__(
        self,
        *,
        api_key: str | None = None,
        endpoint: str | None = None,
        model: str | None = None,
        context_tokens: int = 8000,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 0.5,
        key_env: str = "OPENAI_API_KEY",
        name: str = "openai",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__()
        if not api_key and endpoint is None:
            raise TranslateError(
                f"{name} needs an API key in the environment variable {key_env} "
                "(or an endpoint: a local server such as Ollama needs none)"
            )
        root = (endpoint or DEFAULT_ENDPOINT).strip()
        parts = urlsplit(root)
        path = parts.path.rstrip("/") + "/chat/completions"
        self._url = urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))
        azure = (parts.hostname or "").endswith(".azure.com") or "api-version" in parse_qs(
            parts.query
        )
        self._headers = {"Content-Type": "application/json"}
        if api_key:
            self._headers.update(
                {"api-key": api_key} if azure else {"Authorization": f"Bearer {api_key}"}
            )
        self._secrets = (api_key,)
        self.name = name
        self.model = model or DEFAULT_MODEL
        self.context_tokens = context_tokens
        self.timeout = timeout
        self.where = scrub(f"{self.model} at {display_url(root.rstrip('/') + '/')}", self._secrets)
        self._policy = RetryPolicy(max_retries=max_retries, backoff=backoff, sleep=sleep)
        self._format = FORMATS[0]
        self._session = requests.Session()

    @classmethod
    def create(cls, settings: Settings) -> OpenAITranslator:
        """The engine as ``[translate]`` describes it (``chatgpt`` keeps its name)."""
        t = settings.translate
        return cls(
            api_key=settings.api_key,
            endpoint=settings.endpoint,
            model=t.model,
            context_tokens=t.context_tokens,
            timeout=t.timeout,
            max_retries=t.retries,
            backoff=t.backoff,
            key_env=settings.key_env or "OPENAI_API_KEY",
            name=settings.name,
        )

    def __repr__(self) -> str:
        return f"OpenAITranslator(where={self.where!r})"

    @property
    def options(self) -> dict[str, str]:
        """What besides the text decides the answer (part of the cache key)."""
        return {"model": self.model}

    def describe(self) -> str:
        return self.where

    def close(self) -> None:
        self._session.close()

    # -- the engine contract --

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """Texts without an article around them (the batch contract): failed ones come
        back as their source text, listed in :attr:`failures`."""
        entries = [ArticleEntry(id=str(n), text=t) for n, t in enumerate(texts, 1)]
        result = self.translate_article(entries, title="", source=source, target=target)
        self.failures = dict(result.failures)
        return [texts[i] if i in result.failures else t for i, t in enumerate(result.texts)]

    def translate_article(
        self, entries: Sequence[ArticleEntry], *, title: str, source: str, target: str
    ) -> ArticleResult:
        """One translation per entry, in order ("" where it failed, with the reason in
        ``failures``).  Raises :class:`TranslateError` only for what no retry or other
        entry can fix (a rejected key, a wrong endpoint or model)."""
        system = self._system(title, source, target)
        run = _Run(system=system, texts=[""] * len(entries), index={})
        for i, entry in enumerate(entries):
            run.index[entry.id] = i
        for chunk in chunks(entries, fixed=estimate_tokens(system), budget=self.context_tokens):
            self._chunk(chunk, run, alone=False)
        return ArticleResult(
            texts=tuple(run.texts),
            failures=run.failures,
            requests=run.requests,
            prompt_tokens=run.prompt_tokens,
            completion_tokens=run.completion_tokens,
        )

    def estimate_article(
        self, entries: Sequence[ArticleEntry], *, title: str, source: str, target: str
    ) -> int:
        """About how many tokens (asked and answered) ``translate_article`` would use."""
        fixed = estimate_tokens(self._system(title, source, target))
        cut = chunks(entries, fixed=fixed, budget=self.context_tokens)
        return sum(request_tokens(c, fixed) for c in cut)

    def _system(self, title: str, source: str, target: str) -> str:
        return system_prompt(
            engine_language("openai", source), engine_language("openai", target), title
        )

    # -- one request's worth of entries --

    def _chunk(self, chunk: list[ArticleEntry], run: _Run, *, alone: bool) -> None:
        if run.stopped:
            self._fail(chunk, run, f"not tried: {run.stopped}")
            return
        try:
            reply = self._ask(chunk, run)
        except GaveUp as exc:
            if exc.unreachable:
                run.stopped = exc.reason
            self._fail(chunk, run, exc.reason)
            return
        except Failed as exc:  # a 400 that is not about the format: too big, or refused
            reply = _Reply(items=None, why=exc.reason)
        if reply.items is None or reply.cut_off:
            if len(chunk) > 1:
                half = len(chunk) // 2
                self._chunk(chunk[:half], run, alone=False)
                self._chunk(chunk[half:], run, alone=False)
            elif not alone:
                self._chunk(chunk, run, alone=True)
            else:
                self._fail(chunk, run, reply.why)
            return
        again: list[ArticleEntry] = []
        for entry in chunk:
            text, why = check_item(entry, reply.items.get(entry.id))
            if text is not None:
                run.texts[run.index[entry.id]] = text
            elif alone:
                self._fail([entry], run, f"{self.where}: {why}")
            else:
                again.append(entry)
        for entry in again:
            self._chunk([entry], run, alone=True)

    def _fail(self, chunk: Sequence[ArticleEntry], run: _Run, why: str) -> None:
        for entry in chunk:
            run.failures[run.index[entry.id]] = scrub(why, self._secrets)

    def _ask(self, chunk: Sequence[ArticleEntry], run: _Run) -> _Reply:
        messages = [
            {"role": "system", "content": run.system},
            {"role": "user", "content": user_message(chunk)},
        ]
        return retrying(lambda: self._attempt(messages, run), self._policy, where=self.where)

    def _attempt(self, messages: list[dict[str, str]], run: _Run) -> _Reply:
        while True:
            body: dict[str, Any] = {"model": self.model, "temperature": 0, "messages": messages}
            wanted = response_format(self._format)
            if wanted is not None:
                body["response_format"] = wanted
            run.requests += 1
            try:
                response = self._session.post(
                    self._url, headers=self._headers, json=body, timeout=self.timeout
                )
            except requests.RequestException as exc:
                raise network_failure(exc, self.timeout) from None
            if response.status_code == 400 and self._format != "plain":
                detail = error_detail(response).casefold()
                if not any(word in detail for word in _TOO_BIG):
                    self._format = FORMATS[FORMATS.index(self._format) + 1]
                    continue
            return self._read(response, run)

    def _read(self, response: requests.Response, run: _Run) -> _Reply:
        code = response.status_code
        if code in {401, 403}:
            said = "rejected the API key" if len(self._headers) > 1 else "refused access"
            raise TranslateError(self._scrub(f"{self.where} {said} ({describe_status(code)})"))
        if code == 404:
            detail = self._scrub(error_detail(response))
            raise TranslateError(
                f"{self.where} answered {describe_status(code)}"
                + (f": {detail}" if detail else "")
                + " (check the endpoint and the model)"
            )
        if not 200 <= code < 300:
            detail = self._scrub(error_detail(response))
            wait = response.headers.get("Retry-After")
            raise status_failure(code, retry_after=wait, detail=detail)
        try:
            data = response.json()
        except ValueError:
            data = None
        usage = data.get("usage") if isinstance(data, dict) else None
        if isinstance(usage, dict):
            run.prompt_tokens += _count(usage.get("prompt_tokens"))
            run.completion_tokens += _count(usage.get("completion_tokens"))
        choices = data.get("choices") if isinstance(data, dict) else None
        choice = choices[0] if isinstance(choices, list) and choices else None
        message = choice.get("message") if isinstance(choice, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str):
            refusal = message.get("refusal") if isinstance(message, dict) else None
            if isinstance(refusal, str) and refusal:
                return _Reply(items=None, why=self._scrub(f"{self.where} refused: {refusal}"))
            return _Reply(items=None, why=f"{self.where} answered without a chat completion")
        if isinstance(choice, dict) and choice.get("finish_reason") == "length":
            return _Reply(items=None, why=f"{self.where} stopped at its token limit", cut_off=True)
        items = parse_reply(content)
        if items is None:
            return _Reply(items=None, why=f"{self.where} did not answer with the JSON asked for")
        return _Reply(items=items, why="")

    def _scrub(self, text: str) -> str:
        return scrub(text, self._secrets)


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0

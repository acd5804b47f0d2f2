"""DeepL, through its HTTP API directly.

deep-translator's ``DeeplTranslator`` sends the key as an ``auth_key`` query parameter,
which DeepL no longer accepts (and which puts the key in every URL), one text per
request.  Here: ``Authorization: DeepL-Auth-Key …``, up to 50 texts per request, XML tag
handling for placeholders (``<1>…</1>`` → ``<g id="1">…</g>``, ``<2/>`` → ``<x id="2"/>``),
retries with backoff on 429/5xx/timeouts, and DeepL's own glossaries.

Like :class:`~l10n.translate.providers.ProviderTranslator`, :meth:`DeepLTranslator.translate`
returns the source text for messages it could not translate and says why in ``failures``;
a rejected key (403) or a used-up quota (456) raises :class:`TranslateError`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
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
from l10n.translate.placeholder_codecs import (
    XmlCodec,
    damaged,
    from_xml,
    segments,
    split_outer_space,
    to_xml,
)

__all__ = ["DeepLTranslator", "deepl_source", "deepl_target", "from_xml", "to_xml"]

FREE_ENDPOINT = "https://api-free.deepl.com"
PRO_ENDPOINT = "https://api.deepl.com"
MAX_TEXTS = 50  # DeepL's limit per request
MAX_BYTES = 100_000  # under DeepL's 128 KiB request limit, with room for the JSON around

def deepl_source(tag: str) -> str:
    """DeepL's source code for a BCP 47 tag: the language alone, upper case (``EN``)."""
    return tag.replace("_", "-").split("-")[0].upper()


_EN_GB = {"gb", "uk", "au", "nz", "ie", "in", "za"}


def deepl_target(tag: str) -> str:
    """DeepL's target code: ``en`` → ``EN-US``, ``pt-BR`` → ``PT-BR``, ``zh-Hans`` →
    ``ZH-HANS``, ``nb``/``no`` → ``NB``, otherwise the language in upper case."""
    parts = tag.replace("_", "-").lower().split("-")
    primary, rest = parts[0], set(parts[1:])
    if primary == "en":
        return "EN-GB" if rest & _EN_GB else "EN-US"
    if primary == "pt":
        return "PT-BR" if "br" in rest else "PT-PT"
    if primary == "zh":
        return "ZH-HANT" if rest & {"hant", "tw", "hk", "mo"} else "ZH-HANS"
    if primary == "es" and "419" in rest:
        return "ES-419"
    if primary in {"no", "nn", "nb"}:
        return "NB"
    return primary.upper()


@dataclass
class _Item:
    index: int
    lead: str
    core: str
    trail: str


class DeepLTranslator(Engine):
    """A :class:`~l10n.translate.engine.Engine` for DeepL.

    ``endpoint`` defaults to ``https://api-free.deepl.com`` for keys ending in ``:fx`` and
    ``https://api.deepl.com`` otherwise.  ``glossary_id`` (from :meth:`create_glossary`)
    must be for the language pair being translated.  Not for use from several threads
    at once.
    """

    name = "deepl"

    def __init__(
        self,
        api_key: str,
        *,
        endpoint: str | None = None,
        glossary_id: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 0.5,
        formality: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key:
            raise TranslateError(
                "deepl needs an API key: set the environment variable named in the config"
            )
        if timeout <= 0 or max_retries < 0:
            raise TranslateError("timeout must be > 0 and max_retries ≥ 0")
        super().__init__()
        self._key = api_key
        root = endpoint or (FREE_ENDPOINT if api_key.endswith(":fx") else PRO_ENDPOINT)
        self._root = root.strip().rstrip("/")
        self._display = scrub(display_url(self._root + "/"), [api_key])
        self.where = f"DeepL at {self._display}"
        self.glossary_id = glossary_id
        self.formality = formality
        self.timeout = timeout
        self.failures: dict[int, str] = {}
        self._policy = RetryPolicy(max_retries=max_retries, backoff=backoff, sleep=sleep)
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"DeepL-Auth-Key {api_key}"

    @classmethod
    def create(cls, settings: Settings) -> DeepLTranslator:
        return cls(
            settings.api_key or "",
            endpoint=settings.endpoint,
            timeout=settings.translate.timeout,
            max_retries=settings.translate.retries,
            backoff=settings.translate.backoff,
        )

    def __repr__(self) -> str:
        return f"DeepLTranslator(where={self.where!r})"

    def describe(self) -> str:
        return self.where

    def close(self) -> None:
        self._session.close()

    # -- translation --

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """One translation per text, in order; failed ones are their source text and are
        listed in :attr:`failures` (index → reason)."""
        self.failures = {}
        results = list(texts)
        items: list[_Item] = []
        for index, text in enumerate(results):
            lead, core, trail = split_outer_space(text)
            if any(ch.isalnum() for ch in ph.strip(core)):
                items.append(_Item(index, lead, core, trail))
        answers = self._translate_many([to_xml(i.core) for i in items], source, target)
        broken: list[tuple[_Item, list[str]]] = []
        for item, answer in zip(items, answers, strict=True):
            if isinstance(answer, Failed):
                self.failures[item.index] = self._scrub(answer.reason)
                continue
            decoded = from_xml(answer)
            issues = ["tags unreadable"] if decoded is None else ph.problems(item.core, decoded)
            if decoded is not None and not issues:
                results[item.index] = item.lead + decoded + item.trail
            else:
                broken.append((item, issues))
        if broken:
            self._by_pieces(broken, results, source, target)
        return results

    def _by_pieces(
        self, broken: list[tuple[_Item, list[str]]], results: list[str], source: str, target: str
    ) -> None:
        """Translate the words between the placeholders of ``broken`` messages separately."""
        plans = [(item, issues, segments(item.core)) for item, issues in broken]
        words = [s.text for _, _, parts in plans for s in parts if s.translate]
        pieces = [XmlCodec.encode_plain(w) for w in words]
        answers = iter(self._translate_many(pieces, source, target))
        for item, issues, parts in plans:
            out: list[str] = []
            failure: Failed | None = None
            for s in parts:
                if not s.translate:
                    out.append(s.text)
                    continue
                answer = next(answers)
                if isinstance(answer, Failed):
                    failure = failure or answer
                else:
                    out.append(XmlCodec.decode_plain(answer).strip())
            if failure is not None:
                reason = damaged(self.where, issues, then=failure.reason)
            else:
                translated = "".join(out)
                left = ph.problems(item.core, translated)
                if not left:
                    results[item.index] = item.lead + translated + item.trail
                    continue
                reason = damaged(self.where, issues, still=left)
            self.failures[item.index] = self._scrub(reason)

    def _translate_many(self, xml: list[str], source: str, target: str) -> list[str | Failed]:
        """Each text's translation, or why it has none; requests of ≤ 50 texts."""
        out: list[str | Failed] = []
        stopped: Failed | None = None
        for chunk in _chunks(xml):
            if stopped is not None:
                out.extend(Failed(f"not tried: {stopped.reason}") for _ in chunk)
                continue
            try:
                out.extend(self._request(chunk, source, target))
            except GaveUp as exc:
                out.extend(exc for _ in chunk)
                if exc.unreachable:
                    stopped = exc
            except Failed as exc:
                out.extend(exc for _ in chunk)
        return out

    def _request(self, chunk: list[str], source: str, target: str) -> list[str]:
        body: dict[str, Any] = {
            "text": chunk,
            "source_lang": deepl_source(source),
            "target_lang": deepl_target(target),
            "tag_handling": "xml",
            "ignore_tags": ["x"],
            "non_splitting_tags": ["g", "x"],
        }
        if self.glossary_id:
            body["glossary_id"] = self.glossary_id
        if self.formality:
            body["formality"] = self.formality

        def attempt() -> list[str]:
            data = self._post("/v2/translate", body)
            found = data.get("translations") if isinstance(data, Mapping) else None
            if not isinstance(found, list) or len(found) != len(chunk):
                raise Failed("answered with a reply that has no translations in it")
            texts = [t.get("text") if isinstance(t, Mapping) else None for t in found]
            if not all(isinstance(t, str) for t in texts):
                raise Failed("answered with a reply that has no translations in it")
            return [str(t) for t in texts]

        return retrying(attempt, self._policy, where=self.where)

    # -- glossaries --

    def create_glossary(
        self, name: str, source: str, target: str, entries: Mapping[str, str]
    ) -> str:
        """Create a DeepL glossary (``source`` → ``target`` terms) and return its id."""
        lines: list[str] = []
        seen: set[str] = set()
        for term, translation in entries.items():
            s, t = " ".join(term.split()), " ".join(translation.split())
            if s and t and s not in seen:
                seen.add(s)
                lines.append(f"{s}\t{t}")
        if not lines:
            raise TranslateError(f"glossary {name!r} has no entries for DeepL")
        body = {
            "name": name,
            "source_lang": deepl_source(source).lower(),
            "target_lang": deepl_source(target).lower(),
            "entries": "\n".join(lines),
            "entries_format": "tsv",
        }

        def attempt() -> str:
            data = self._post("/v2/glossaries", body)
            found = data.get("glossary_id") if isinstance(data, Mapping) else None
            if not isinstance(found, str) or not found:
                raise Failed("answered with a reply that has no glossary_id in it")
            return found

        try:
            return retrying(attempt, self._policy, where=self.where)
        except Failed as exc:
            raise TranslateError(
                self._scrub(f"cannot create DeepL glossary {name!r}: {exc.reason}")
            ) from None

    # -- HTTP --

    def _post(self, path: str, body: Mapping[str, Any]) -> Any:
        try:
            response = self._session.post(self._root + path, json=body, timeout=self.timeout)
        except requests.RequestException as exc:
            raise network_failure(exc, self.timeout) from None
        code = response.status_code
        if code == 403:
            raise TranslateError(
                f"DeepL rejected the key ({describe_status(code)} from {self._display}); "
                "keys ending in :fx are for api-free.deepl.com, others for api.deepl.com"
            )
        if code == 456:
            raise TranslateError(
                f"DeepL quota exceeded (456 from {self._display}): the account's character "
                "allowance is used up"
            )
        if not 200 <= code < 300:
            detail = self._scrub(error_detail(response))
            raise status_failure(
                code, retry_after=response.headers.get("Retry-After"), detail=detail
            )
        try:
            return response.json()
        except ValueError:
            raise Failed(
                f"answered {describe_status(code)} with a reply that is not JSON"
            ) from None

    def _scrub(self, text: str) -> str:
        return scrub(text, [self._key])


def _chunks(texts: list[str]) -> list[list[str]]:
    """``texts`` in runs of at most :data:`MAX_TEXTS` texts and about :data:`MAX_BYTES`."""
    chunks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for text in texts:
        n = len(text.encode("utf-8")) + 8
        if current and (len(current) >= MAX_TEXTS or size + n > MAX_BYTES):
            chunks.append(current)
            current, size = [], 0
        current.append(text)
        size += n
    if current:
        chunks.append(current)
    return chunks

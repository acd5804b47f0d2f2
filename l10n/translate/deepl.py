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

import hashlib
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from l10n.errors import TranslateError
from l10n.translate.batching import BatchTranslator, Limits, read_json, send
from l10n.translate.engine import Settings
from l10n.translate.http import (
    Failed,
    describe_status,
    display_url,
    retrying,
    scrub,
)
from l10n.translate.placeholder_codecs import XmlCodec, from_xml, to_xml

__all__ = ["DeepLTranslator", "deepl_source", "deepl_target", "from_xml", "to_xml"]

FREE_ENDPOINT = "https://api-free.deepl.com"
PRO_ENDPOINT = "https://api.deepl.com"
MAX_TEXTS = 50  # DeepL's limit per request
MAX_BYTES = 120_000  # of texts, JSON-escaped: under DeepL's 128 KiB request body limit


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


class DeepLTranslator(BatchTranslator):
    """A :class:`~l10n.translate.engine.Engine` for DeepL.

    ``endpoint`` defaults to ``https://api-free.deepl.com`` for keys ending in ``:fx`` and
    ``https://api.deepl.com`` otherwise.  ``glossary_id`` (from :meth:`create_glossary`)
    is used for every language pair; :meth:`prepare_glossary` sets one per pair.  Not
    for use from several threads at once.
    """

    name = "deepl"
    own_glossaries = True
    limits = Limits(texts=MAX_TEXTS, json_bytes=MAX_BYTES)
    codec = XmlCodec()

    def __init__(
        self,
        api_key: str,
        *,
        endpoint: str | None = None,
        glossary_id: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff: float = 0.5,
        concurrency: int = 1,
        formality: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key:
            raise TranslateError(
                "deepl needs an API key: set the environment variable named in the config"
            )
        if timeout <= 0 or max_retries < 0:
            raise TranslateError("timeout must be > 0 and max_retries ≥ 0")
        super().__init__(
            secrets=[api_key],
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            concurrency=concurrency,
            sleep=sleep,
        )
        self._key = api_key
        root = endpoint or (FREE_ENDPOINT if api_key.endswith(":fx") else PRO_ENDPOINT)
        self._root = root.strip().rstrip("/")
        self._display = scrub(display_url(self._root + "/"), [api_key])
        self.where = f"DeepL at {self._display}"
        self.glossary_id = glossary_id
        self.formality = formality
        self._headers = {"Authorization": f"DeepL-Auth-Key {api_key}"}
        # (source, target) in DeepL's glossary codes → (glossary id, content hash)
        self._glossaries: dict[tuple[str, str], tuple[str, str]] = {}
        self._pairs: frozenset[tuple[str, str]] | None = None

    @classmethod
    def create(cls, settings: Settings) -> DeepLTranslator:
        return cls(
            settings.api_key or "",
            endpoint=settings.endpoint,
            timeout=settings.translate.timeout,
            max_retries=settings.translate.retries,
            backoff=settings.translate.backoff,
            concurrency=settings.translate.concurrency,
        )

    def __repr__(self) -> str:
        return f"DeepLTranslator(where={self.where!r})"

    # -- translation --

    def _send(
        self, session: requests.Session, texts: list[str], source: str, target: str
    ) -> list[str]:
        body: dict[str, Any] = {
            "text": texts,
            "source_lang": deepl_source(source),
            "target_lang": deepl_target(target),
            "tag_handling": "xml",
            "ignore_tags": ["x"],
            "non_splitting_tags": ["g", "x"],
        }
        pair = self._glossaries.get(_pair(source, target))
        glossary_id = pair[0] if pair is not None else self.glossary_id
        if glossary_id:
            body["glossary_id"] = glossary_id
        if self.formality:
            body["formality"] = self.formality
        data = self._call(session, "POST", "/v2/translate", body)
        found = data.get("translations") if isinstance(data, Mapping) else None
        answers = [t.get("text") if isinstance(t, Mapping) else None for t in found or []]
        if not isinstance(found, list) or not all(isinstance(t, str) for t in answers):
            raise Failed("answered with a reply that has no translations in it")
        return [str(t) for t in answers]

    # -- glossaries --

    def prepare_glossary(self, source: str, target: str, entries: Mapping[str, str]) -> bool:
        """Use a DeepL glossary of ``entries`` for ``source`` → ``target`` from now on:
        the one made earlier from the same entries (its name holds their hash), or a new
        one.  False when DeepL has no glossaries for the pair (or there are no entries):
        the caller then protects the terms itself."""
        pair = _pair(source, target)
        tsv = _tsv(entries)
        if not tsv or pair not in self.glossary_pairs():
            return False
        digest = hashlib.sha256(f"{pair}\n{tsv}".encode()).hexdigest()[:16]
        known = self._glossaries.get(pair)
        if known is not None and known[1] == digest:
            return True
        found = self._find_glossary(digest, pair)
        if found is None:
            name = f"l10n {pair[0]}-{pair[1]} {digest}"
            found = self.create_glossary(name, source, target, entries)
        self._glossaries[pair] = (found, digest)
        return True

    def glossary_pairs(self) -> frozenset[tuple[str, str]]:
        """The (source, target) pairs DeepL makes glossaries for, asked once."""
        if self._pairs is None:
            data = self._setup("GET", "/v2/glossary-language-pairs", "list glossary pairs")
            listed = data.get("supported_languages") if isinstance(data, Mapping) else None
            self._pairs = frozenset(
                (str(p.get("source_lang", "")).lower(), str(p.get("target_lang", "")).lower())
                for p in listed or []
                if isinstance(p, Mapping)
            )
        return self._pairs

    def _find_glossary(self, digest: str, pair: tuple[str, str]) -> str | None:
        data = self._setup("GET", "/v2/glossaries", "list glossaries")
        listed = data.get("glossaries") if isinstance(data, Mapping) else None
        for g in listed or []:
            if not isinstance(g, Mapping) or digest not in str(g.get("name", "")):
                continue
            langs = (str(g.get("source_lang", "")).lower(), str(g.get("target_lang", "")).lower())
            found = g.get("glossary_id")
            if langs == pair and g.get("ready", True) and isinstance(found, str) and found:
                return found
        return None

    def create_glossary(
        self, name: str, source: str, target: str, entries: Mapping[str, str]
    ) -> str:
        """Create a DeepL glossary (``source`` → ``target`` terms) and return its id."""
        tsv = _tsv(entries)
        if not tsv:
            raise TranslateError(f"glossary {name!r} has no entries for DeepL")
        source_lang, target_lang = _pair(source, target)
        body = {
            "name": name,
            "source_lang": source_lang,
            "target_lang": target_lang,
            "entries": tsv,
            "entries_format": "tsv",
        }
        data = self._setup("POST", "/v2/glossaries", f"create DeepL glossary {name!r}", body)
        found = data.get("glossary_id") if isinstance(data, Mapping) else None
        if not isinstance(found, str) or not found:
            raise TranslateError(
                f"cannot create DeepL glossary {name!r}: {self.where} answered with a reply "
                "that has no glossary_id in it"
            )
        return found

    # -- HTTP --

    def _setup(
        self, method: str, path: str, what: str, body: Mapping[str, Any] | None = None
    ) -> Any:
        """A glossary request, retried like the others; failing it stops the run."""

        def attempt() -> Any:
            with self._sessions.session() as session:
                return self._call(session, method, path, body)

        try:
            return retrying(attempt, self._policy, where=self.where)
        except Failed as exc:
            message = exc.reason if what.startswith("create") else f"{exc.reason} ({what})"
            prefix = f"cannot {what}: " if what.startswith("create") else "cannot use glossaries: "
            raise TranslateError(self._scrub(prefix + message)) from None

    def _call(
        self,
        session: requests.Session,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
    ) -> Any:
        response = send(
            session,
            method,
            self._root + path,
            timeout=self.timeout,
            json=body,
            headers=self._headers,
        )
        code = response.status_code
        if code == 456:
            raise TranslateError(
                f"DeepL quota exceeded (456 from {self._display}): the account's character "
                "allowance is used up"
            )
        return read_json(response, rejected=self._rejected, scrub_text=self._scrub)

    def _rejected(self, code: int) -> str:
        return (
            f"DeepL rejected the key ({describe_status(code)} from {self._display}); "
            "keys ending in :fx are for api-free.deepl.com, others for api.deepl.com"
        )


def _pair(source: str, target: str) -> tuple[str, str]:
    """A language pair in DeepL's glossary codes (``en``, ``pt``: no variants)."""
    return deepl_source(source).lower(), deepl_source(target).lower()


def _tsv(entries: Mapping[str, str]) -> str:
    """``entries`` as DeepL's TSV: whitespace collapsed, empty and repeated terms dropped."""
    lines: list[str] = []
    seen: set[str] = set()
    for term, translation in entries.items():
        s, t = " ".join(term.split()), " ".join(translation.split())
        if s and t and s not in seen:
            seen.add(s)
            lines.append(f"{s}\t{t}")
    return "\n".join(lines)

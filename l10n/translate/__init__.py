"""Machine translation behind one small protocol, so engines are interchangeable and
tests can use a fake.  Engines receive msgids with placeholders and must return them
with every placeholder intact; the caller verifies that before writing anything.

An engine that cannot translate some texts of a batch returns their source text and
lists them in a ``failures`` attribute (by index or by text); the caller leaves those
entries for a translator.  An engine with ``cacheable = False`` (pseudo) is not cached.
An engine with ``local = True`` (pseudo, Apertium) runs on this machine and has no rate
limit, so the pipeline lets every worker process call it; network engines are called
from one process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from l10n.errors import TranslateError

if TYPE_CHECKING:
    from l10n.config import Config


class Translator(Protocol):
    """Translate a batch of messages from one language to another."""

    name: str

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        """Return one translation per text, in order."""
        ...


PROVIDERS = (
    "google",
    "mymemory",
    "libre",
    "microsoft",
    "yandex",
    "papago",
    "baidu",
    "qcri",
    "chatgpt",
)
ENGINES = ("pseudo", "apertium", "deepl", "openai", *PROVIDERS)

# Where each engine's key is looked up unless l10n.toml names another variable
# (``[translate] key_env = "…"``).  Keys are never written anywhere.
KEY_ENV = {
    "deepl": "DEEPL_AUTH_KEY",
    "google": "GOOGLE_TRANSLATE_API_KEY",
    "libre": "LIBRETRANSLATE_API_KEY",
    "microsoft": "MICROSOFT_TRANSLATOR_KEY",
    "yandex": "YANDEX_API_KEY",
    "papago": "PAPAGO_CLIENT_SECRET",
    "baidu": "BAIDU_APPKEY",
    "qcri": "QCRI_API_KEY",
    "chatgpt": "OPENAI_API_KEY",
    "openai": "OPENAI_API_KEY",
    "mymemory": "MYMEMORY_EMAIL",
}


def make_engine(
    name: str,
    *,
    config: Config | None = None,
    endpoint: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Translator:
    """The engine called ``name``, configured from ``[translate]`` and the environment."""
    from l10n.config import TranslateConfig  # l10n.config imports ENGINES from here

    # Validated by l10n.config: 0 retries means one try, 0 backoff means no wait.
    settings = config.translate if config is not None else TranslateConfig()
    env = environ or {}
    key_env = settings.key_env or KEY_ENV.get(name)
    api_key = env.get(key_env) if key_env else None
    endpoint = endpoint or settings.endpoint
    timeout = settings.timeout
    if name == "pseudo":
        from l10n.translate.pseudo import PseudoTranslator

        return PseudoTranslator()
    if name == "apertium":
        from l10n.translate.apertium import ApertiumTranslator

        return ApertiumTranslator()
    if name == "deepl":
        from l10n.translate.deepl import DeepLTranslator

        if not api_key:
            raise TranslateError(f"DeepL needs a key in the environment variable {key_env}")
        return DeepLTranslator(
            api_key,
            endpoint=endpoint,
            timeout=timeout,
            max_retries=settings.retries,
            backoff=settings.backoff,
            concurrency=settings.concurrency,
        )
    if name in {"openai", "chatgpt"}:  # chatgpt: the old name, now the same engine
        from l10n.translate.openai import OpenAITranslator

        return OpenAITranslator.configured(
            settings, api_key=api_key, key_env=key_env, endpoint=endpoint
        )
    if name in PROVIDERS:
        from l10n.translate.providers import ProviderTranslator

        return ProviderTranslator(
            name,
            api_key=api_key,
            endpoint=endpoint,
            timeout=timeout,
            concurrency=settings.concurrency,
            max_retries=settings.retries,
            backoff=settings.backoff,
        )
    raise TranslateError(f"unknown engine {name!r} (available: {', '.join(ENGINES)})")


def engine_supports(engine: Translator, source: str, target: str) -> bool:
    supports = getattr(engine, "supports", None)
    return bool(supports(source, target)) if callable(supports) else True


def engine_missing(engine: Translator, source: str, targets: Sequence[str]) -> str | None:
    """Why ``engine`` cannot run on this machine at all (what to install), or None.

    Only engines with a ``missing`` method (Apertium) can be missing; a network engine
    finds out when it calls its server."""
    missing = getattr(engine, "missing", None)
    if not callable(missing):
        return None
    reason = missing(source, targets)
    return str(reason) if reason else None


def engine_gap(engine: Translator, source: str, target: str) -> str | None:
    """Why ``engine`` cannot translate ``source`` → ``target``, or None."""
    gap = getattr(engine, "gap", None)
    if callable(gap):
        reason = gap(source, target)
        return str(reason) if reason else None
    if engine_supports(engine, source, target):
        return None
    return f"{engine.name} cannot translate {source}→{target}"

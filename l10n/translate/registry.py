"""Every engine ``l10n translate`` knows, by name: one table.

Adding an engine is one entry in :data:`REGISTRY`::

    "acme": Entry("acme:AcmeEngine", key_env="ACME_API_KEY", needs_key=True,
                  about="Acme's translation API"),

where ``l10n/translate/acme.py`` defines ``class AcmeEngine(Engine)`` (see
:mod:`l10n.translate.engine`) and, when it needs settings, overrides
``Engine.create(settings)`` to read them from :class:`~l10n.translate.engine.Settings`
(``settings.translate`` is the whole ``[translate]`` table).  The module is imported only
when the engine is used.  ``l10n.toml`` then accepts the name, ``--engine`` too, and
errors list it among the choices.

``key_env`` is the environment variable the key is read from unless ``[translate]
key_env`` names another; with ``needs_key`` a missing key is an error naming it before
anything is sent.  Keys are never written anywhere.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from l10n.errors import TranslateError
from l10n.translate.engine import Engine, Settings

if TYPE_CHECKING:
    from l10n.config import Config

__all__ = ["ENGINES", "REGISTRY", "Entry", "engine_class", "key_env", "make_engine"]


@dataclass(frozen=True)
class Entry:
    engine: str  # "module:Class", the module below l10n.translate
    key_env: str | None = None
    needs_key: bool = False
    about: str = ""  # a few words for listings


_REST = "providers:ProviderTranslator"  # the providers' REST APIs, one class
_CHAT = "openai:OpenAITranslator"  # chatgpt is its old name

REGISTRY: dict[str, Entry] = {
    "apertium": Entry("apertium:ApertiumTranslator", about="offline, rule-based"),
    "deepl": Entry("deepl:DeepLTranslator", key_env="DEEPL_AUTH_KEY", needs_key=True),
    # A local server (Ollama, llama.cpp) needs no key: the engine says what it lacks.
    "openai": Entry(_CHAT, key_env="OPENAI_API_KEY", about="whole articles, LLM chat API"),
    "google": Entry(_REST, key_env="GOOGLE_TRANSLATE_API_KEY", needs_key=True),
    "google-web": Entry(
        "deep_translator_adapter:DeepTranslatorEngine",
        about="Google Translate's free web page, no key, through deep-translator",
    ),
    "mymemory": Entry(_REST, key_env="MYMEMORY_EMAIL"),
    "libre": Entry(_REST, key_env="LIBRETRANSLATE_API_KEY"),
    "microsoft": Entry(_REST, key_env="MICROSOFT_TRANSLATOR_KEY", needs_key=True),
    "yandex": Entry(_REST, key_env="YANDEX_API_KEY", needs_key=True),
    "papago": Entry(_REST, key_env="PAPAGO_CLIENT_SECRET", needs_key=True),
    "baidu": Entry(_REST, key_env="BAIDU_APPKEY", needs_key=True),
    "qcri": Entry(_REST, key_env="QCRI_API_KEY", needs_key=True),
    "chatgpt": Entry(_CHAT, key_env="OPENAI_API_KEY", about="the openai engine's old name"),
    "pseudo": Entry("pseudo:PseudoTranslator", about="fake text for layout tests"),
}

ENGINES: tuple[str, ...] = tuple(REGISTRY)

# What translate uses when l10n.toml names no engine (where it has the language pair).
DEFAULT_ENGINE = "apertium"


def key_env(name: str, config: Config | None = None) -> str | None:
    """The environment variable ``name``'s key is read from."""
    configured = config.translate.key_env if config is not None else None
    entry = REGISTRY.get(name)
    return configured or (entry.key_env if entry is not None else None)


def engine_class(name: str) -> type[Engine]:
    """The class registered as ``name`` (its module imported now)."""
    entry = REGISTRY.get(name)
    if entry is None:
        raise TranslateError(f"unknown engine {name!r} (available: {', '.join(ENGINES)})")
    module, _, attribute = entry.engine.partition(":")
    found = vars(importlib.import_module(f"l10n.translate.{module}")).get(attribute)
    if not (isinstance(found, type) and issubclass(found, Engine)):
        raise TypeError(f"{entry.engine} is not an Engine")
    return found


def make_engine(
    name: str,
    *,
    config: Config | None = None,
    endpoint: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Engine:
    """The engine called ``name``, configured from ``[translate]`` and the environment."""
    from l10n.config import TranslateConfig  # l10n.config imports ENGINES from here

    cls = engine_class(name)
    variable = key_env(name, config)
    api_key = (environ or {}).get(variable) if variable else None
    if REGISTRY[name].needs_key and not api_key:
        raise TranslateError(f"{name} needs a key in the environment variable {variable}")
    settings = config.translate if config is not None else TranslateConfig()
    return cls.create(
        Settings(
            name=name,
            api_key=api_key or None,
            key_env=variable,
            endpoint=endpoint or settings.endpoint,
            translate=settings,
        )
    )

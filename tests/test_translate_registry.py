"""One table from engine name to class and key variable; make_engine builds from it."""

from __future__ import annotations

import pytest

from l10n.config import parse_config
from l10n.errors import TranslateError
from l10n.translate import registry
from l10n.translate.deepl import DeepLTranslator
from l10n.translate.engine import Engine
from l10n.translate.registry import ENGINES, REGISTRY, Entry, engine_class, key_env, make_engine


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_registered_name_is_an_engine_class(name: str) -> None:
    assert issubclass(engine_class(name), Engine)


def test_the_names_are_the_registry() -> None:
    assert tuple(REGISTRY) == ENGINES
    assert set(ENGINES) == {
        "pseudo", "apertium", "deepl", "openai", "chatgpt", "libre", "microsoft", "google",
        "google-web", "yandex", "baidu", "mymemory", "papago", "qcri",
    }  # fmt: skip


def test_chatgpt_is_the_openai_engine_under_its_old_name() -> None:
    assert engine_class("chatgpt") is engine_class("openai")
    assert key_env("chatgpt") == key_env("openai") == "OPENAI_API_KEY"
    engine = make_engine("chatgpt", environ={"OPENAI_API_KEY": "sk-1"})
    assert engine.whole_articles and engine.name == "chatgpt"


def test_only_deepl_takes_the_glossary_itself() -> None:
    own = {name for name in ENGINES if engine_class(name).own_glossaries}
    assert own == {"deepl"}
    assert {name for name in ENGINES if engine_class(name).whole_articles} == {"openai", "chatgpt"}


def test_google_reads_its_api_key_variable() -> None:
    assert key_env("google") == "GOOGLE_TRANSLATE_API_KEY"
    # The message names the variable to set.
    with pytest.raises(TranslateError, match=r"google needs a key .* GOOGLE_TRANSLATE_API_KEY"):
        make_engine("google", environ={})
    engine = make_engine("google", environ={"GOOGLE_TRANSLATE_API_KEY": "k"})
    assert engine.describe().startswith("Google Cloud Translation at ")


def test_local_engines_are_made_without_settings() -> None:
    assert make_engine("pseudo").name == "pseudo"
    apertium = make_engine("apertium")
    assert apertium.local and apertium.name == "apertium"


def test_network_engines_get_the_translate_table_and_the_key() -> None:
    config = parse_config(
        'languages = ["es"]\n[translate]\nengine = "libre"\ntimeout = 7\nretries = 1\n',
        file="l10n.toml",
    )
    engine = make_engine(
        "libre",
        config=config,
        endpoint="http://127.0.0.1:9/",
        environ={"LIBRETRANSLATE_API_KEY": "k-123"},
    )
    assert engine.describe() == "LibreTranslate at http://127.0.0.1:9/"
    assert not engine.local and engine.cacheable


def test_a_required_key_is_asked_for_by_its_variable() -> None:
    with pytest.raises(TranslateError, match="deepl needs a key in the environment variable "
                       "DEEPL_AUTH_KEY"):
        make_engine("deepl", environ={})
    config = parse_config(
        'languages = ["es"]\n[translate]\nkey_env = "MY_DEEPL"\n', file="l10n.toml"
    )
    assert key_env("deepl", config) == "MY_DEEPL"
    with pytest.raises(TranslateError, match="MY_DEEPL"):
        make_engine("deepl", config=config, environ={"DEEPL_AUTH_KEY": "x"})
    assert make_engine("deepl", config=config, environ={"MY_DEEPL": "abc:fx"}).name == "deepl"


def test_deepl_gets_the_configured_concurrency() -> None:
    config = parse_config('languages = ["es"]\n[translate]\nconcurrency = 3\n', file="l10n.toml")
    engine = make_engine("deepl", config=config, environ={"DEEPL_AUTH_KEY": "abc:fx"})
    assert isinstance(engine, DeepLTranslator) and engine.concurrency == 3


def test_an_unknown_name_lists_the_choices() -> None:
    with pytest.raises(TranslateError, match="unknown engine 'nope' \\(available: apertium, "):
        make_engine("nope")


def test_registering_an_engine_is_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        REGISTRY, "echo", Entry("pseudo:PseudoTranslator", key_env="ECHO_KEY", needs_key=True)
    )
    with pytest.raises(TranslateError, match="echo needs a key in the environment variable"):
        make_engine("echo")
    assert make_engine("echo", environ={"ECHO_KEY": "k"}).translate(
        ["Hi"], source="en", target="es"
    ) == ["[Ĥî ~]"]


def test_an_entry_that_is_not_an_engine_is_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REGISTRY, "bad", Entry("pseudo:pseudo"))
    with pytest.raises(TypeError, match="not an Engine"):
        registry.engine_class("bad")


def test_a_rest_provider_needs_a_key_where_its_api_does() -> None:
    # libre is the exception: a self-hosted server (an endpoint) takes no key.
    from l10n.translate.provider_apis import APIS

    for name, api in APIS.items():
        assert REGISTRY[name].needs_key == (api.needs_key and name != "libre"), name


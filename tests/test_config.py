from __future__ import annotations

import dataclasses
import json

import pytest

from l10n.config import (
    CONFIG_NAME,
    INIT_TEMPLATE,
    Config,
    TranslateConfig,
    gettext_language,
    parse_config,
    text_direction,
)
from l10n.errors import ConfigError


def error_of(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, file=CONFIG_NAME)
    return caught.value


def test_init_template_parses_to_the_documented_defaults() -> None:
    config = parse_config(INIT_TEMPLATE, file=CONFIG_NAME)
    assert config == Config(languages=("zh-Hans", "es", "fr", "ar"))
    assert config.source_language == "en"
    assert (config.articles, config.locales, config.glossaries, config.output) == (
        "articles",
        "locales",
        "glossaries",
        "public",
    )
    assert config.segment == "block"
    assert config.translate == TranslateConfig()
    assert config.translate.engine is None  # Apertium where it has the pair; never pseudo
    assert '# segment = "sentence"' in INIT_TEMPLATE
    assert "# [translate]" in INIT_TEMPLATE


def test_full_config_with_translate_table() -> None:
    config = parse_config(
        """\
source_language = "fr"
languages = ["pt-BR", "zh-Hans"]
articles = "content/articles"
output = "site"
segment = "sentence"

[translate]
engine = "libre"
endpoint = "http://localhost:5000/"
key_env = "MY_KEY"
batch_size = 10
concurrency = 2
timeout = 5
retries = 0
backoff = 0
""",
        file=CONFIG_NAME,
    )
    assert config.source_language == "fr"
    assert config.languages == ("pt-BR", "zh-Hans")
    assert config.articles == "content/articles"
    assert config.output == "site"
    assert config.locales == "locales"
    assert config.segment == "sentence"
    assert config.translate == TranslateConfig(
        engine="libre",
        endpoint="http://localhost:5000/",
        key_env="MY_KEY",
        batch_size=10,
        concurrency=2,
        timeout=5.0,
        retries=0,
        backoff=0.0,
    )
    assert config.translate.engine_line == 8
    assert isinstance(config.translate.timeout, float)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.translate.retries = 3  # type: ignore[misc]
    hash(config)  # a frozen config can key caches


def test_unknown_language_tag_names_file_and_line() -> None:
    text = 'source_language = "en"\nlanguages = [\n  "es",\n  "xx-Nope",\n]\n'
    assert str(error_of(text)) == "l10n.toml:4: unknown language tag 'xx-Nope' in languages"


@pytest.mark.parametrize(
    "tag", ["english", "en.UTF-8", "en@euro", "zh-Hans-", "e", "tlh", "und", "iw"]
)
def test_tags_babel_or_bcp47_reject(tag: str) -> None:
    error = error_of(f'languages = [\n"es",\n{json.dumps(tag)}]\n')
    assert "unknown language tag" in error.message
    assert (error.file, error.line) == (CONFIG_NAME, 3)


@pytest.mark.parametrize("tag", ["zh-Hans", "es", "fr", "ar", "pt-BR", "sr-Latn", "es-419"])
def test_valid_tags(tag: str) -> None:
    assert parse_config(f'languages = ["{tag}"]\n', file=CONFIG_NAME).languages == (tag,)


def test_bad_source_language() -> None:
    error = error_of('languages = ["es"]\nsource_language = "klingon"\n')
    assert (error.line, error.message) == (2, "unknown language tag 'klingon' in source_language")


def test_source_language_among_targets() -> None:
    error = error_of('source_language = "en"\nlanguages = ["es",\n "EN"]\n')
    assert error.line == 3
    assert "source language" in error.message


def test_duplicate_language_points_at_second_occurrence() -> None:
    error = error_of('languages = [\n "es",\n "fr",\n "es",\n]\n')
    assert (error.line, error.message) == (4, "language 'es' is listed twice")


def test_duplicate_language_in_other_spelling() -> None:
    error = error_of('languages = ["zh-Hans",\n "zh-hans"]\n')
    assert error.line == 2


def test_unknown_key_is_a_typo() -> None:
    error = error_of('languages = ["es"]\n\nlanguage = "fr"\n')
    assert error.line == 3
    assert "unknown setting 'language'" in error.message


def test_unknown_table_is_a_typo() -> None:
    error = error_of('languages = ["es"]\n\n[translte]\nengine = "pseudo"\n')
    assert error.line == 3
    assert "'translte'" in error.message


def test_toml_syntax_error_line() -> None:
    error = error_of('source_language = "en"\nlanguages = ["es"\noutput = "public"\n')
    assert error.file == CONFIG_NAME
    assert error.line == 3
    assert str(error).startswith("l10n.toml:3: invalid TOML")
    assert "(at line" not in error.message


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 100_000 + "]" * 100_000 + "\n",
        'languages = ["es"]\n[translate]\nx = ' + "{a = " * 100_000 + "1" + "}" * 100_000,
        "languages = [" + "{a = [" * 50_000 + "]}" * 50_000 + "]\n",
    ],
    ids=["arrays", "inline tables", "both"],
)
def test_toml_nested_too_deeply_is_an_error_not_a_crash(text: str) -> None:
    error = error_of(text)
    assert str(error) == "l10n.toml: invalid TOML: values nested too deeply"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('languages = "es"\n', 1, "languages must be"),
        ("languages = []\n", 1, "languages must be"),
        ('languages = ["es", 3]\n', 1, "list of strings"),
        ('languages = ["es"]\narticles = 3\n', 2, "articles must be"),
        ('languages = ["es"]\noutput = ""\n', 2, "output must be"),
        ('languages = ["es"]\nsource_language = ["en"]\n', 2, "source_language must be"),
        ('languages = ["es"]\nsegment = "word"\n', 2, "segment must be 'block' or 'sentence'"),
        ('languages = ["es"]\ntranslate = "pseudo"\n', 2, "translate must be a table"),
        ('languages = ["es"]\n[translate]\nengine = 1\n', 3, "translate.engine must be"),
    ],
)
def test_wrong_types(text: str, line: int, words: str) -> None:
    error = error_of(text)
    assert error.line == line
    assert words in error.message


def test_missing_languages() -> None:
    error = error_of('source_language = "en"\n')
    assert "languages" in error.message
    assert error.line is None


def test_text_direction() -> None:
    assert text_direction("ar") == "rtl"
    assert text_direction("he") == "rtl"
    assert text_direction("zh-Hans") == "ltr"
    assert text_direction("es") == "ltr"


def test_gettext_language() -> None:
    assert gettext_language("zh-Hans") == "zh_Hans"
    assert gettext_language("pt-BR") == "pt_BR"
    assert gettext_language("es") == "es"
    with pytest.raises(ConfigError):
        gettext_language("xx-Nope")


# --- [publish] ---------------------------------------------------------------------------


def test_publish_table_defaults_to_no_gate_and_no_alternates() -> None:
    config = parse_config('languages = ["es"]\n', file=CONFIG_NAME)
    assert config.publish.gate("es") == 0.0
    assert config.publish.alternates is False


def test_publish_gate_per_language_and_urls() -> None:
    config = parse_config(
        'languages = ["es", "ar"]\n[publish]\nmin_complete = { default = 95, ar = 80.5 }\n'
        'alternates = true\nbase_url = "https://news.example.org"\n',
        file=CONFIG_NAME,
    )
    assert (config.publish.gate("es"), config.publish.gate("ar")) == (95.0, 80.5)
    assert config.publish.page_url("ar", "2024/a.html") == "https://news.example.org/ar/2024/a.html"
    assert config.publish.page_url(None, "2024/a.html") == "https://news.example.org/2024/a.html"
    custom = parse_config(
        'languages = ["es"]\n[publish]\nbase_url = "https://x.org/l10n/"\n'
        'source_url = "https://x.org/{article}?lang=en"\n',
        file=CONFIG_NAME,
    )
    assert custom.publish.page_url(None, "a.html") == "https://x.org/a.html?lang=en"
    assert custom.publish.page_url("es", "a.html") == "https://x.org/l10n/es/a.html"


@pytest.mark.parametrize(
    ("table", "line", "words"),
    [
        ("min_complete = 101", 3, "publish.min_complete must be a percentage"),
        ("min_complete = nan", 3, "publish.min_complete must be a percentage"),
        ("min_complete = -inf", 3, "publish.min_complete must be a percentage"),
        ("min_complete = { default = inf }", 3, "publish.min_complete must be a percentage"),
        ("min_complete = { es = -1 }", 3, "publish.min_complete must be a percentage"),
        ("min_complete = true", 3, "publish.min_complete must be a percentage"),
        ('min_complete = "90"', 3, "publish.min_complete must be a percentage"),
        ("min_complete = { de = 90 }", 3, "names 'de', which is not in languages"),
        ("alternates = 1", 3, "publish.alternates must be true or false"),
        ("alternates = true", 3, "needs publish.base_url"),
        ("base_url = 3", 3, "publish.base_url must be a string"),
        ("gate = 3", 3, "unknown setting publish.gate"),
    ],
)
def test_publish_table_errors_name_the_line(table: str, line: int, words: str) -> None:
    error = error_of(f'languages = ["es"]\n[publish]\n{table}\n')
    assert words in error.message
    assert error.line == line


def test_init_template_documents_the_publish_table() -> None:
    uncommented = "\n".join(
        line.removeprefix("# ") for line in INIT_TEMPLATE.splitlines() if "[translate]" not in line
    )
    start = uncommented.index("[publish]")
    table = uncommented[start:].split("\n\n")[0]
    config = parse_config('languages = ["es", "ar"]\n' + table, file=CONFIG_NAME)
    assert config.publish.alternates and config.publish.gate("es") == 100.0


# --- [translate] -------------------------------------------------------------------------


def test_retries_and_backoff_zero_mean_none() -> None:
    config = parse_config(
        'languages = ["es"]\n[translate]\nretries = 0\nbackoff = 0\n', file=CONFIG_NAME
    )
    assert (config.translate.retries, config.translate.backoff) == (0, 0.0)


def test_openai_settings() -> None:
    config = parse_config(
        'languages = ["es"]\n[translate]\nengine = "openai"\nmodel = "gpt-4o-mini"\n'
        "context_tokens = 32000\nprice_per_million = 1\n",
        file=CONFIG_NAME,
    )
    assert config.translate.engine == "openai" and config.translate.model == "gpt-4o-mini"
    assert config.translate.context_tokens == 32000
    assert config.translate.price_per_million == 1.0
    assert isinstance(config.translate.price_per_million, float)


def test_misspelt_translate_key_suggests_the_known_one() -> None:
    error = error_of('languages = ["es"]\n[translate]\nengine = "libre"\nretires = 0\n')
    assert str(error) == "l10n.toml:4: unknown setting translate.retires; did you mean 'retries'?"


def test_unknown_translate_key_far_from_any_lists_the_known_ones() -> None:
    error = error_of('languages = ["es"]\n[translate]\npairs = ["en-es"]\n')
    assert error.line == 3
    assert error.message.startswith("unknown setting translate.pairs (known: backoff, ")
    assert "engine_line" not in error.message


def test_misspelt_top_level_key_suggests_the_known_one() -> None:
    error = error_of('languages = ["es"]\n\nlanguage = "fr"\n')
    assert error.message == "unknown setting 'language'; did you mean 'languages'?"


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("retries = -1", "translate.retries must be a whole number ≥ 0"),
        ("retries = 1.5", "translate.retries must be a whole number ≥ 0"),
        ("retries = true", "translate.retries must be a whole number ≥ 0"),
        ("backoff = -0.1", "translate.backoff must be a number ≥ 0 (seconds)"),
        ('backoff = "1"', "translate.backoff must be a number ≥ 0 (seconds)"),
        ("timeout = 0", "translate.timeout must be a number > 0 (seconds)"),
        ("batch_size = 0", "translate.batch_size must be a whole number ≥ 1"),
        ("concurrency = 0", "translate.concurrency must be a whole number ≥ 1"),
        ('endpoint = ""', "translate.endpoint must be a non-empty string"),
        ("key_env = 3", "translate.key_env must be a non-empty string"),
        ('model = ""', "translate.model must be a non-empty string"),
        ("context_tokens = 100", "translate.context_tokens must be a whole number ≥ 500 (tokens)"),
        (
            "price_per_million = -1",
            "translate.price_per_million must be a number ≥ 0 (per million tokens)",
        ),
    ],
)
def test_translate_values_out_of_range_name_key_and_line(setting: str, words: str) -> None:
    error = error_of(f'languages = ["es"]\n[translate]\nengine = "libre"\n{setting}\n')
    assert (error.file, error.line, error.message) == (CONFIG_NAME, 4, words)


def test_key_line_is_searched_in_its_own_table() -> None:
    text = 'languages = ["es"]\n[publish]\nalternates = false\n[translate]\nalternates = 1\n'
    error = error_of(text)
    assert (error.line, error.message) == (
        5,
        "unknown setting translate.alternates (known: backoff, batch_size, concurrency, "
        "context_tokens, endpoint, engine, key_env, model, price_per_million, retries, "
        "timeout)",
    )


def test_unknown_engine_suggests_the_near_one() -> None:
    error = error_of('languages = ["es"]\n[translate]\nengine = "apertum"\n')
    assert error.line == 3
    assert error.message.startswith("translate.engine: unknown engine 'apertum'; did you mean")
    assert "'apertium'?" in error.message


def test_publish_accepts_withdraw_held() -> None:
    assert parse_config('languages = ["es"]\n', file=CONFIG_NAME).publish.withdraw_held is False
    config = parse_config('languages = ["es"]\n[publish]\nwithdraw_held = true\n', file=CONFIG_NAME)
    assert config.publish.withdraw_held is True
    error = error_of('languages = ["es"]\n[publish]\nwithdraw_held = "yes"\n')
    assert (error.line, error.message) == (3, "publish.withdraw_held must be true or false")


def test_misspelt_publish_key_suggests_the_known_one() -> None:
    error = error_of('languages = ["es"]\n[publish]\nmin_compete = 90\n')
    assert str(error) == (
        "l10n.toml:3: unknown setting publish.min_compete; did you mean 'min_complete'?"
    )


# --- language tags in canonical form -------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "canonical"),
    [("zh-hans", "zh-Hans"), ("zh_Hans", "zh-Hans"), ("ES", "es"), ("pt_br", "pt-BR")],
)
def test_tag_not_in_canonical_form_is_rejected_with_the_canonical_one(
    tag: str, canonical: str
) -> None:
    error = error_of(f'languages = [\n  "fr",\n  "{tag}",\n]\n')
    assert str(error) == (
        f'l10n.toml:3: language "{tag}" is not written in canonical form; '
        f'did you mean "{canonical}"?'
    )


def test_source_language_must_be_canonical_too() -> None:
    error = error_of('languages = ["es"]\nsource_language = "EN"\n')
    assert str(error) == (
        'l10n.toml:2: language "EN" is not written in canonical form; did you mean "en"?'
    )


def test_two_spellings_of_one_language_are_named_together() -> None:
    error = error_of('languages = ["zh-Hans", "es",\n "zh_hans"]\n')
    assert str(error) == 'l10n.toml:2: languages "zh-Hans" and "zh_hans" name the same language'


def test_min_complete_tag_in_other_case_suggests_the_configured_one() -> None:
    error = error_of('languages = ["zh-Hans"]\n[publish]\nmin_complete = { zh-hans = 80 }\n')
    assert error.line == 3
    assert error.message.endswith('not in languages; did you mean "zh-Hans"?')

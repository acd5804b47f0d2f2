"""The project configuration (``l10n.toml``) and the paths it implies.

Nothing here touches the file system: the CLI reads the file and hands its text to
``parse_config``; ``Layout`` only computes paths relative to the project root.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import tomllib
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from babel import Locale

from l10n.errors import ConfigError
from l10n.glossary.languages import canonical, strict_locale
from l10n.layout import Layout
from l10n.translate import ENGINES

__all__ = [
    "CONFIG_NAME",
    "INIT_TEMPLATE",
    "Config",
    "Layout",  # where the files of a project live, from its Config
    "PublishConfig",
    "TranslateConfig",
    "canonical_tag",
    "gettext_language",
    "parse_config",
    "text_direction",
]

CONFIG_NAME = "l10n.toml"

SEGMENT_MODES = ("block", "sentence")

INIT_TEMPLATE = """\
# l10n project configuration.
#
# Paths are relative to this file. Language tags are BCP 47 (zh-Hans, pt-BR, ar).
# l10n keeps its records and caches in .l10n/ beside this file: add it to .gitignore.

# The language the articles are written in.
source_language = "en"

# The languages to translate into; locales/<tag>/ holds each language's PO files.
languages = ["zh-Hans", "es", "fr", "ar"]

articles = "articles"        # article HTML, any depth
locales = "locales"          # templates/ (POT) and one folder per language (PO)
glossaries = "glossaries"    # TBX or CSV termbases
output = "public"            # published pages: public/<tag>/<article>.html

# One PO entry per block (paragraph, heading, list item) or per sentence.
# segment = "sentence"

# Machine translation for `l10n translate`. Without an engine, Apertium translates the
# languages it has a pair for (apt-get install apertium apertium-eng-spa); "pseudo"
# writes fake text for layout tests, which publish refuses.
# [translate]
# engine = "apertium"

# Publishing: a language is published only when every article has at least this
# percent of its words translated and reviewed (and `l10n check` finds no errors).
# [publish]
# min_complete = 100                        # or { default = 100, ar = 80 }
# alternates = true                         # <link rel="alternate" hreflang> + og:locale
# base_url = "https://news.example.org/"    # pages at {base_url}{lang}/{article}
# source_url = "https://news.example.org/{article}"   # the original (and x-default)
"""

_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")

_DEFAULT_PATHS = {
    "articles": "articles",
    "locales": "locales",
    "glossaries": "glossaries",
    "output": "public",
}
_KNOWN_KEYS = frozenset(
    {"source_language", "languages", "segment", "translate", "publish", *_DEFAULT_PATHS}
)


@dataclass(frozen=True, kw_only=True)
class Config:
    """The validated contents of ``l10n.toml``."""

    source_language: str = "en"
    languages: tuple[str, ...]
    articles: str = "articles"
    locales: str = "locales"
    glossaries: str = "glossaries"
    output: str = "public"
    segment: str = "block"
    translate: TranslateConfig = field(default_factory=lambda: TranslateConfig())
    publish: PublishConfig = field(default_factory=lambda: PublishConfig())


def _limit(default: float, low: float, *, above: bool = False, unit: str = "") -> Any:
    """A numeric setting's default and range, for :func:`_table`."""
    return field(default=default, metadata={"low": low, "above": above, "unit": unit})


@dataclass(frozen=True, kw_only=True)
class TranslateConfig:
    """The ``[translate]`` table; its fields are the table's schema (see :func:`_table`)."""

    engine: str | None = None  # None: Apertium where it has the pair
    endpoint: str | None = None  # base URL of a self-hosted server
    key_env: str | None = None  # the environment variable holding the key
    batch_size: int = _limit(50, 1)  # messages per engine call
    concurrency: int = _limit(4, 1)  # requests in flight
    timeout: float = _limit(30.0, 0, above=True, unit="seconds")  # per request
    retries: int = _limit(4, 0)  # 0: one try only
    backoff: float = _limit(0.5, 0, unit="seconds")  # before the first retry; 0: none
    model: str | None = None  # openai: the model (or Azure deployment) asked
    context_tokens: int = _limit(8000, 500, unit="tokens")  # openai: per request, both ways
    price_per_million: float = _limit(0.0, 0, unit="per million tokens")  # dry-run cost; 0: none
    # Where ``engine`` is set, so a warning about the configured engine can point there.
    engine_line: int | None = field(default=None, compare=False, metadata={"key": False})


@dataclass(frozen=True, kw_only=True)
class PublishConfig:
    """The ``[publish]`` table: the publishing gate and language alternates."""

    # Percent of words translated and reviewed a language needs before it is published;
    # ``min_complete_by_language`` overrides it per language tag.
    min_complete: float = 0.0
    min_complete_by_language: tuple[tuple[str, float], ...] = field(
        default=(), metadata={"key": False}
    )
    alternates: bool = False
    withdraw_held: bool = False
    # Where published pages live: ``{base_url}{lang}/{article}``; the source page is at
    # ``source_url`` (default ``{base_url}{article}``), also the ``x-default``.
    base_url: str = ""
    source_url: str = ""

    def gate(self, language: str) -> float:
        return dict(self.min_complete_by_language).get(language, self.min_complete)

    def page_url(self, language: str | None, article: str) -> str:
        if language is None:
            template = self.source_url or self.base_url + "{article}"
            return template.replace("{article}", article)
        return f"{self.base_url}{language}/{article}"


def parse_config(text: str, *, file: str) -> Config:
    """Parse and validate the text of ``l10n.toml``; ``file`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        message = _TOML_LINE.sub("", str(exc)).strip()
        raise ConfigError(
            f"invalid TOML: {message}", file=file, line=int(found.group(1)) if found else None
        ) from exc
    except RecursionError as exc:  # tomllib parses nested arrays and tables recursively
        raise ConfigError("invalid TOML: values nested too deeply", file=file) from exc

    for key in data:
        if key not in _KNOWN_KEYS:
            raise _unknown(text, file, key, _KNOWN_KEYS)

    source = data.get("source_language", "en")
    if not isinstance(source, str):
        raise _type_error(text, file, "source_language", "a string")
    _check_tag(file, "source_language", source, line=_value_line(text, "source_language", source))

    languages = _languages(text, file, data, source)

    paths: dict[str, str] = {}
    for key, default in _DEFAULT_PATHS.items():
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise _type_error(text, file, key, "a non-empty string (a folder path)")
        paths[key] = value

    segment = data.get("segment", "block")
    if segment not in SEGMENT_MODES:
        raise ConfigError(
            f"segment must be {' or '.join(map(repr, SEGMENT_MODES))}, not {segment!r}",
            file=file,
            line=_key_line(text, "segment"),
        )

    return Config(
        publish=_publish(text, file, data.get("publish", {}), languages),
        source_language=source,
        languages=languages,
        segment=segment,
        translate=_translate(text, file, data.get("translate", {})),
        articles=paths["articles"],
        locales=paths["locales"],
        glossaries=paths["glossaries"],
        output=paths["output"],
    )


# --- tables: a table's dataclass is its schema; a key it has no field for is an error ---


def _table(text: str, file: str, section: str, raw: object, schema: type) -> dict[str, Any]:
    """``raw`` checked against the fields of the dataclass ``schema``: unknown keys, types
    and ranges.  A string may be empty only where the default is."""
    if not isinstance(raw, dict):
        raise _type_error(text, file, section, f"a table ([{section}])")
    fields = {f.name: f for f in dataclasses.fields(schema) if f.metadata.get("key", True)}
    types = typing.get_type_hints(schema)
    values = dict(raw)
    for key, value in raw.items():
        if key not in fields:
            raise _unknown(text, file, key, fields, section=section)
        if key in _SPECIAL.get(section, ()):
            continue
        expected = _expected(types[key], fields[key], value)
        if expected:
            raise _type_error(text, file, key, expected, section=section)
        if types[key] is float:
            values[key] = float(value)
    return values


def _expected(kind: object, spec: dataclasses.Field[Any], value: object) -> str:
    """What ``value`` should have been, or "" when it is fine."""
    if kind is bool:
        return "" if isinstance(value, bool) else "true or false"
    if kind in (int, float):
        low, above, unit = spec.metadata["low"], spec.metadata["above"], spec.metadata["unit"]
        words = f"{'a whole number' if kind is int else 'a number'} {'>' if above else '≥'} {low}"
        words += f" ({unit})" if unit else ""
        number = int if kind is int else (int, float)
        if isinstance(value, bool) or not isinstance(value, number):
            return words
        return "" if (value > low if above else value >= low) else words
    can_be_empty = spec.default == ""
    if isinstance(value, str) and (can_be_empty or value.strip()):
        return ""
    return "a string" if can_be_empty else "a non-empty string"


# Keys checked by their table's own code.
_SPECIAL = {"publish": ("min_complete",)}


def _translate(text: str, file: str, raw: object) -> TranslateConfig:
    table = _table(text, file, "translate", raw, TranslateConfig)
    line = _key_line(text, "engine", section="translate") if "engine" in table else None
    engine = table.get("engine")
    if engine is not None and engine not in ENGINES:
        raise ConfigError(
            f"translate.engine: unknown engine {engine!r}{_did_you_mean(engine, ENGINES)}"
            f" (available: {', '.join(ENGINES)})",
            file=file,
            line=line,
        )
    return TranslateConfig(**table, engine_line=line)


def _publish(text: str, file: str, raw: object, languages: tuple[str, ...]) -> PublishConfig:
    table = _table(text, file, "publish", raw, PublishConfig)
    gate = table.pop("min_complete", 0)
    by_language = dict(gate) if isinstance(gate, dict) else {"default": gate}
    for tag, value in by_language.items():
        if tag != "default" and tag not in languages:
            hint = (
                f'; did you mean "{canonical_tag(tag)}"?' if canonical_tag(tag) in languages else ""
            )
            raise ConfigError(
                f"publish.min_complete names {tag!r}, which is not in languages{hint}",
                file=file,
                line=_key_line(text, tag) or _key_line(text, "min_complete"),
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise _type_error(
                text, file, "min_complete", "a percentage from 0 to 100", section="publish"
            )
    default = float(by_language.pop("default", 0))
    base_url = table.pop("base_url", "")
    if table.get("alternates") and not base_url:
        raise ConfigError(
            "publish.alternates needs publish.base_url (where the published pages live)",
            file=file,
            line=_key_line(text, "alternates", section="publish"),
        )
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    return PublishConfig(
        **table,
        min_complete=default,
        min_complete_by_language=tuple(sorted((k, float(v)) for k, v in by_language.items())),
        base_url=base_url,
    )


def _unknown(
    text: str, file: str, key: str, known: Collection[str], *, section: str = ""
) -> ConfigError:
    name = f"{section}.{key}" if section else repr(key)
    hint = _did_you_mean(key, known) or f" (known: {', '.join(sorted(known))})"
    return ConfigError(
        f"unknown setting {name}{hint}", file=file, line=_key_line(text, key, section=section)
    )


def _did_you_mean(word: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- language tags --------------------------------------------------------------------


def _languages(text: str, file: str, data: Mapping[str, object], source: str) -> tuple[str, ...]:
    if "languages" not in data:
        raise ConfigError("missing setting 'languages' (a list of language tags)", file=file)
    languages = data["languages"]
    if not isinstance(languages, list) or not languages:
        raise _type_error(text, file, "languages", "a non-empty list of language tags")
    # Canonical form → the tag as written: the folder name is the tag, so "zh-hans" and
    # "zh-Hans" would be two folders for one language.
    seen: dict[str, str] = {}
    for index, tag in enumerate(languages):
        if not isinstance(tag, str):
            raise _type_error(text, file, "languages", "a list of strings")
        line = _value_line(text, "languages", tag, nth=languages[:index].count(tag) + 1)
        key = canonical_tag(tag)
        if key == canonical_tag(source):
            raise ConfigError(
                f"language {tag!r} is the source language; list only target languages",
                file=file,
                line=line,
            )
        if key in seen:
            first = seen[key]
            message = (
                f"language {tag!r} is listed twice"
                if first == tag
                else f'languages "{first}" and "{tag}" name the same language'
            )
            raise ConfigError(message, file=file, line=line)
        _check_tag(file, "languages", tag, line=line)
        seen[key] = tag
    return tuple(languages)


def canonical_tag(tag: str) -> str:
    """``tag`` in canonical case with ``-`` for ``_`` (``zh_hans`` → ``zh-Hans``); a tag
    that differs in anything else is returned as it is."""
    recased = canonical(tag)
    return recased if recased.lower() == tag.replace("_", "-").lower() else tag


def _check_tag(file: str, key: str, tag: str, *, line: int | None) -> Locale:
    """The locale of a configured tag, which must be known and in canonical form."""
    written = canonical_tag(tag)
    # Rejected rather than fixed: the tag names folders and files, which must agree.
    if written != tag and strict_locale(written) is not None:
        raise ConfigError(
            f'language "{tag}" is not written in canonical form; did you mean "{written}"?',
            file=file,
            line=line,
        )
    locale = strict_locale(tag)
    if locale is None:
        raise ConfigError(f"unknown language tag {tag!r} in {key}", file=file, line=line)
    return locale


def _type_error(text: str, file: str, key: str, expected: str, *, section: str = "") -> ConfigError:
    name = f"{section}.{key}" if section else key
    return ConfigError(
        f"{name} must be {expected}", file=file, line=_key_line(text, key, section=section)
    )


def _key_line(text: str, key: str, *, section: str = "") -> int | None:
    """Line where ``key`` is assigned or opens a table: inside ``[section]`` if it is
    there, else the first match in the file (a dotted key, an inline table)."""
    quoted = re.escape(key)
    pattern = re.compile(
        rf"^[ \t]*(?:\[+[ \t]*)?(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*[=.\]]", re.MULTILINE
    )
    found = None
    if section:
        header = re.compile(rf"^[ \t]*\[[ \t]*{re.escape(section)}[ \t]*\]", re.MULTILINE)
        opened = header.search(text)
        if opened is not None:
            after = re.compile(r"^[ \t]*\[", re.MULTILINE).search(text, opened.end())
            found = pattern.search(text, opened.end(), after.start() if after else len(text))
    found = found or pattern.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def _value_line(text: str, key: str, value: str, *, nth: int = 1) -> int | None:
    """Line of the ``nth`` quoted ``value`` written after ``key`` (the key's line as fallback)."""
    start = _key_line(text, key)
    if start is None:
        return None
    offset = 0 if start == 1 else _nth_index(text, "\n", start - 1) + 1
    needle = re.compile(rf"\"{re.escape(value)}\"|'{re.escape(value)}'")
    hits = list(needle.finditer(text, offset))
    if len(hits) < nth:
        return start
    return text.count("\n", 0, hits[nth - 1].start()) + 1


def _nth_index(text: str, char: str, n: int) -> int:
    index = -1
    for _ in range(n):
        index = text.index(char, index + 1)
    return index


def text_direction(tag: str) -> str:
    """``"rtl"`` or ``"ltr"`` for a BCP 47 tag, from the CLDR data babel ships."""
    return _known(tag).text_direction


def gettext_language(tag: str) -> str:
    """The PO ``Language:`` header value for a BCP 47 tag (``pt-BR`` → ``pt_BR``)."""
    return str(_known(tag))


def _known(tag: str) -> Locale:
    locale = strict_locale(tag)
    if locale is None:
        raise ConfigError(f"unknown language tag {tag!r}")
    return locale

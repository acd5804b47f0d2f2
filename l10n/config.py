"""The project configuration (``l10n.toml``) and the paths it implies.

Nothing here touches the file system: the CLI reads the file and hands its text to
``parse_config``; ``Layout`` only computes paths relative to the project root.
"""

from __future__ import annotations

import functools
import posixpath
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from types import MappingProxyType

from babel import Locale, UnknownLocaleError

from l10n.errors import ConfigError

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

# Machine translation for `l10n translate`; "pseudo" works offline.
# [translate]
# engine = "pseudo"

# Publishing: a language is published only when every article has at least this
# percent of its words translated and reviewed (and `l10n check` finds no errors).
# [publish]
# min_complete = 100                        # or { default = 100, ar = 80 }
# alternates = true                         # <link rel="alternate" hreflang> + og:locale
# base_url = "https://news.example.org/"    # pages at {base_url}{lang}/{article}
# source_url = "https://news.example.org/{article}"   # the original (and x-default)
"""

# Language, optional script, optional region, variants: the subset of BCP 47 that
# gettext and babel both understand.  Babel alone also accepts POSIX spellings such
# as "en_US.UTF-8" or "en@euro", which would make odd folder names.
_TAG = re.compile(
    r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
)

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
_PUBLISH_KEYS = frozenset({"min_complete", "alternates", "base_url", "source_url", "withdraw_held"})


def _empty_table() -> Mapping[str, object]:
    return MappingProxyType({})


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
    translate_engine: str = "pseudo"
    # The raw [translate] table, deep-frozen; engines read their own keys from it.
    # Left out of the hash because mapping proxies cannot be hashed.
    translate: Mapping[str, object] = field(default_factory=_empty_table, hash=False)
    publish: PublishConfig = field(default_factory=lambda: PublishConfig())


@dataclass(frozen=True, kw_only=True)
class PublishConfig:
    """The ``[publish]`` table: the publishing gate and language alternates."""

    # Percent of words translated and reviewed a language needs before it is published;
    # ``min_complete_by_language`` overrides it per language tag.
    min_complete: float = 0.0
    min_complete_by_language: tuple[tuple[str, float], ...] = ()
    alternates: bool = False
    # Where published pages live: ``{base_url}{lang}/{article}``; the source page is at
    # ``source_url`` (default ``{base_url}{article}``), also the ``x-default``.
    base_url: str = ""
    source_url: str = ""
    # Remove the older pages l10n published of a language its gate holds back.
    withdraw_held: bool = False

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

    for key in data:
        if key not in _KNOWN_KEYS:
            known = ", ".join(sorted(_KNOWN_KEYS))
            raise ConfigError(
                f"unknown setting {key!r} (known: {known})", file=file, line=_key_line(text, key)
            )

    source = data.get("source_language", "en")
    if not isinstance(source, str):
        raise _type_error(text, file, "source_language", "a string")
    _check_tag(text, file, "source_language", source)

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

    table = data.get("translate", {})
    if not isinstance(table, dict):
        raise _type_error(text, file, "translate", "a table ([translate])")
    engine = table.get("engine", "pseudo")
    if not isinstance(engine, str) or not engine:
        raise _type_error(text, file, "engine", "a non-empty string", section="translate")

    publish = _publish(text, file, data.get("publish", {}), languages)

    return Config(
        publish=publish,
        source_language=source,
        languages=languages,
        segment=segment,
        translate_engine=engine,
        translate=MappingProxyType({str(k): _freeze(v) for k, v in table.items()}),
        articles=paths["articles"],
        locales=paths["locales"],
        glossaries=paths["glossaries"],
        output=paths["output"],
    )


def _publish(text: str, file: str, table: object, languages: tuple[str, ...]) -> PublishConfig:
    if not isinstance(table, dict):
        raise _type_error(text, file, "publish", "a table ([publish])")
    for key in table:
        if key not in _PUBLISH_KEYS:
            known = ", ".join(sorted(_PUBLISH_KEYS))
            raise ConfigError(
                f"unknown setting publish.{key} (known: {known})",
                file=file,
                line=_key_line(text, key),
            )
    raw = table.get("min_complete", 0)
    by_language: dict[str, float] = {}
    if isinstance(raw, dict):
        default = raw.get("default", 0)
        for tag, value in raw.items():
            if tag != "default" and tag not in languages:
                raise ConfigError(
                    f"publish.min_complete names {tag!r}, which is not in languages",
                    file=file,
                    line=_key_line(text, tag) or _key_line(text, "min_complete"),
                )
            by_language[tag] = _percent(text, file, value)
        by_language.pop("default", None)
        raw = default
    alternates = table.get("alternates", False)
    if not isinstance(alternates, bool):
        raise _type_error(text, file, "alternates", "true or false", section="publish")
    withdraw_held = table.get("withdraw_held", False)
    if not isinstance(withdraw_held, bool):
        raise _type_error(text, file, "withdraw_held", "true or false", section="publish")
    urls = {}
    for key in ("base_url", "source_url"):
        value = table.get(key, "")
        if not isinstance(value, str):
            raise _type_error(text, file, key, "a string (a URL)", section="publish")
        urls[key] = value
    if alternates and not urls["base_url"]:
        raise ConfigError(
            "publish.alternates needs publish.base_url (where the published pages live)",
            file=file,
            line=_key_line(text, "alternates"),
        )
    if urls["base_url"] and not urls["base_url"].endswith("/"):
        urls["base_url"] += "/"
    return PublishConfig(
        min_complete=_percent(text, file, raw),
        min_complete_by_language=tuple(sorted(by_language.items())),
        alternates=alternates,
        base_url=urls["base_url"],
        source_url=urls["source_url"],
        withdraw_held=withdraw_held,
    )


def _percent(text: str, file: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
        raise _type_error(
            text, file, "min_complete", "a percentage from 0 to 100", section="publish"
        )
    return float(value)


def _languages(text: str, file: str, data: Mapping[str, object], source: str) -> tuple[str, ...]:
    if "languages" not in data:
        raise ConfigError("missing setting 'languages' (a list of language tags)", file=file)
    languages = data["languages"]
    if not isinstance(languages, list) or not languages:
        raise _type_error(text, file, "languages", "a non-empty list of language tags")
    seen: set[str] = set()
    for index, tag in enumerate(languages):
        if not isinstance(tag, str):
            raise _type_error(text, file, "languages", "a list of strings")
        locale = _check_tag(text, file, "languages", tag)
        # Compare parsed locales so "zh-hans" and "zh-Hans" count as the same language.
        if locale == _locale(source):
            raise ConfigError(
                f"language {tag!r} is the source language; list only target languages",
                file=file,
                line=_value_line(text, "languages", tag),
            )
        if str(locale) in seen:
            raise ConfigError(
                f"language {tag!r} is listed twice",
                file=file,
                line=_value_line(text, "languages", tag, nth=languages[:index].count(tag) + 1),
            )
        seen.add(str(locale))
    return tuple(languages)


def _check_tag(text: str, file: str, key: str, tag: str) -> Locale:
    locale = _locale(tag)
    if locale is None:
        raise ConfigError(
            f"unknown language tag {tag!r} in {key}", file=file, line=_value_line(text, key, tag)
        )
    return locale


def _locale(tag: str) -> Locale | None:
    if not _TAG.fullmatch(tag):
        return None
    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    # Babel quietly swaps "und" for en_US and deprecated codes ("iw") for current ones;
    # folder names and PO headers would then disagree.
    return locale if locale.language == tag.split("-")[0].lower() else None


def _type_error(text: str, file: str, key: str, expected: str, *, section: str = "") -> ConfigError:
    name = f"{section}.{key}" if section else key
    return ConfigError(f"{name} must be {expected}", file=file, line=_key_line(text, key))


def _key_line(text: str, key: str) -> int | None:
    """Line where ``key`` is assigned or opens a table (first match wins)."""
    quoted = re.escape(key)
    pattern = re.compile(
        rf"^[ \t]*(?:\[+[ \t]*)?(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*[=.\]]", re.MULTILINE
    )
    found = pattern.search(text)
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


def _freeze(value: object) -> object:
    """TOML data made immutable: tables become mapping proxies, arrays tuples."""
    if isinstance(value, dict):
        return MappingProxyType({str(k): _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@dataclass(frozen=True, kw_only=True)
class Layout:
    """Where each file of a project lives, relative to the project root (POSIX paths).

    ``rel`` is always an article's path relative to the articles folder, ``/``-separated,
    with its ``.html``/``.htm`` suffix (``2024/03/ai.html``).
    """

    articles: str = "articles"
    locales: str = "locales"
    glossaries: str = "glossaries"
    output: str = "public"

    @classmethod
    def from_config(cls, config: Config) -> Layout:
        return cls(
            articles=config.articles,
            locales=config.locales,
            glossaries=config.glossaries,
            output=config.output,
        )

    # posixpath.join rather than PurePosixPath: an archive run computes these paths
    # hundreds of thousands of times, and the results are the same for clean paths.
    def article(self, rel: str) -> str:
        return posixpath.join(_clean(self.articles), rel)

    def template(self, rel: str) -> str:
        return posixpath.join(_clean(self.locales), "templates", f"{_stem(rel)}.pot")

    def catalog(self, lang: str, rel: str) -> str:
        return posixpath.join(_clean(self.locales), lang, f"{_stem(rel)}.po")

    def published(self, lang: str, rel: str) -> str:
        return posixpath.join(_clean(self.output), lang, rel)


@functools.cache
def _clean(folder: str) -> str:
    return str(PurePosixPath(folder))


def _stem(rel: str) -> str:
    """``rel`` without its HTML suffix; other suffixes stay so names cannot collide."""
    lowered = rel.lower()
    for suffix in (".html", ".htm"):
        if lowered.endswith(suffix):
            return rel[: -len(suffix)]
    return rel


def text_direction(tag: str) -> str:
    """``"rtl"`` or ``"ltr"`` for a BCP 47 tag, from the CLDR data babel ships."""
    return _known(tag).text_direction


def gettext_language(tag: str) -> str:
    """The PO ``Language:`` header value for a BCP 47 tag (``pt-BR`` → ``pt_BR``)."""
    return str(_known(tag))


def _known(tag: str) -> Locale:
    locale = _locale(tag)
    if locale is None:
        raise ConfigError(f"unknown language tag {tag!r}")
    return locale

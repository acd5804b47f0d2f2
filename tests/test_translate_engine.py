"""The engine contract: what the pipeline may ask of every engine, and the defaults."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from l10n.config import TranslateConfig
from l10n.translate.article import ArticleEntry
from l10n.translate.engine import Engine, Settings


class Minimal(Engine):
    name = "minimal"

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        return list(texts)


class OnlySpanish(Minimal):
    name = "spanish"

    def supports(self, source: str, target: str) -> bool:
        return target == "es"


class Closes(Minimal):
    def __init__(self) -> None:
        super().__init__()
        self.closed = 0

    def close(self) -> None:
        self.closed += 1


def test_an_engine_needs_only_translate_and_gets_every_other_capability_by_default() -> None:
    engine = Minimal()
    assert engine.translate(["a"], source="en", target="es") == ["a"]
    assert (engine.local, engine.cacheable, engine.flags) == (False, True, ())
    assert engine.failures == {} and dict(engine.options) == {}
    assert engine.describe() == "minimal"
    assert engine.missing("en", ["es"]) is None and engine.gap("en", "fr") is None
    assert engine.prepare_glossary("en", "es", {"a": "b"}) is False
    assert engine.whole_articles is False and engine.own_glossaries is False
    engine.close()  # nothing to release


def test_a_batch_engine_refuses_whole_articles() -> None:
    entries = [ArticleEntry(id="1", text="a")]
    with pytest.raises(NotImplementedError, match="minimal translates batches"):
        Minimal().translate_article(entries, title="", source="en", target="es")
    with pytest.raises(NotImplementedError, match="minimal translates batches"):
        Minimal().estimate_article(entries, title="", source="en", target="es")


def test_without_translate_there_is_no_engine() -> None:
    class Nothing(Engine):
        pass

    with pytest.raises(TypeError, match="translate"):
        Nothing()  # type: ignore[abstract]


def test_gap_comes_from_supports_unless_the_engine_says_more() -> None:
    engine = OnlySpanish()
    assert engine.gap("en", "es") is None
    assert engine.gap("en", "fr") == "spanish cannot translate en→fr"


def test_with_closes_the_engine() -> None:
    with Closes() as engine:
        assert engine.closed == 0
    assert engine.closed == 1


def test_create_makes_an_engine_from_settings() -> None:
    settings = Settings(
        name="minimal", api_key=None, key_env=None, endpoint=None, translate=TranslateConfig()
    )
    assert isinstance(Minimal.create(settings), Minimal)

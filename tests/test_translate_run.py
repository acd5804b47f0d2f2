"""Memory first, then cache, then engine; batches saved one by one; failures left alone."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from l10n.glossary import load
from l10n.glossary.index import TermIndex
from l10n.translate.cache import Cache
from l10n.translate.memory import Memory
from l10n.translate.run import GLOSSARY_MISS, Fill, Tally, by_engine, from_memory


class FakeEngine:
    """Upper-cases words, keeps placeholders; drops them for texts containing 'break'."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.failures: dict[int, str] = {}

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        self.calls.append(list(texts))
        self.failures = {i: "server said no" for i, t in enumerate(texts) if "refuse" in t}
        out = []
        for text in texts:
            result = re.sub(r"(?<![<\d/])\b[a-z]+\b", lambda m: m.group().upper(), text)
            if "break" in text:
                result = re.sub(r"</?\d+/?>", "", result)
            out.append(result)
        return out


def run(
    todo: list[str],
    engine: FakeEngine,
    *,
    cache: Cache | None = None,
    index: TermIndex | None = None,
    batch_size: int = 2,
) -> tuple[list[list[Fill]], Tally]:
    saved: list[list[Fill]] = []
    tally = Tally()
    by_engine(
        todo,
        engine=engine,
        source="en",
        target="es",
        index=index,
        cache=cache,
        batch_size=batch_size,
        save=saved.append,
        tally=tally,
    )
    return saved, tally


def test_memory_exact_and_close() -> None:
    memory = Memory([("Hello there, world of news", "Hola, mundo de noticias", "a.po")])
    tally = Tally()
    fills, rest = from_memory(
        ["Hello there, world of news", "Hello there, world of news!", "Other"], memory, tally
    )
    assert rest == ["Other"]
    assert fills[0].msgstr == "Hola, mundo de noticias" and not fills[0].fuzzy
    assert fills[1].fuzzy and fills[1].previous_msgid == "Hello there, world of news"
    assert (tally.memory, tally.memory_fuzzy) == (1, 1)


def test_batches_are_saved_one_by_one_and_marked_fuzzy() -> None:
    engine = FakeEngine()
    saved, tally = run(["one <1>two</1>", "three", "four"], engine)
    assert [len(batch) for batch in saved] == [2, 1]
    assert len(engine.calls) == 2
    first = saved[0][0]
    assert first.msgstr == "ONE <1>TWO</1>" and first.fuzzy
    assert "machine translation: fake" in first.comment
    assert tally.engine == 3 and tally.failed == 0


def test_cache_means_nothing_is_sent_twice() -> None:
    cache = Cache(sqlite3.connect(":memory:"), engine="fake", source="en", target="es", options={})
    first = FakeEngine()
    run(["alpha", "beta"], first, cache=cache)
    second = FakeEngine()
    saved, tally = run(["alpha", "beta"], second, cache=cache)
    assert second.calls == []
    assert [f.msgstr for f in saved[0]] == ["ALPHA", "BETA"]
    assert tally.cached == 2


def test_lost_placeholders_and_refusals_are_left_untranslated() -> None:
    engine = FakeEngine()
    saved, tally = run(["please break <1>this</1>", "please refuse", "fine"], engine, batch_size=5)
    fills = {f.msgid: f for f in saved[0]}
    assert fills["please break <1>this</1>"].msgstr == ""
    assert "placeholders lost" in fills["please break <1>this</1>"].comment
    assert fills["please refuse"].msgstr == ""
    assert fills["fine"].msgstr == "FINE"
    assert tally.failed == 2


def test_glossary_terms_come_out_as_targets_and_misses_are_flagged() -> None:
    glossary = load(
        {"g.csv": b"en,es,dnt\nFudan University,Universidad Fudan,\nSora,Sora,yes\n"},
        source_language="en",
    )
    index = TermIndex(glossary, "es")
    engine = FakeEngine()
    saved, tally = run(
        ["at Fudan University with Sora", "at Fudan <1>University</1>"], engine, index=index
    )
    good, split = saved[0]
    assert good.msgstr == "AT Universidad Fudan WITH Sora" and good.flags == ()
    assert "Fudan" not in engine.calls[0][0]  # the engine never saw the term
    assert split.flags == (GLOSSARY_MISS,)
    assert "glossary term missing: Fudan University → Universidad Fudan" in split.comment
    assert tally.glossary_miss == 1

"""Memory first, then cache, then engine; batches saved one by one; failures left alone."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from l10n.glossary import load
from l10n.glossary.index import TermIndex
from l10n.translate.cache import Cache
from l10n.translate.engine import Engine
from l10n.translate.memory import Memory
from l10n.translate.run import GLOSSARY_MISS, Fill, Tally, by_engine, from_memory


class FakeEngine(Engine):
    """Upper-cases words, keeps placeholders; drops them for texts containing 'break'."""

    name = "fake"

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

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


def test_lost_placeholders_and_refusals_get_no_fill_at_all_and_say_why() -> None:
    # No fill: the entry keeps its msgstr, flags and comments exactly as they were.
    engine = FakeEngine()
    saved, tally = run(["please break <1>this</1>", "please refuse", "fine"], engine, batch_size=5)
    assert [f.msgid for f in saved[0]] == ["fine"] and saved[0][0].msgstr == "FINE"
    assert tally.failed == 2
    assert tally.reasons == ["fake lost placeholders", "server said no"]


class Flaky(FakeEngine):
    """Refuses every text the first ``refusals`` times it is asked."""

    def __init__(self, refusals: int) -> None:
        super().__init__()
        self.refusals = refusals

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        out = super().translate(texts, source=source, target=target)
        if self.refusals > 0:
            self.refusals -= 1
            self.failures = {i: "busy" for i in range(len(texts))}
        return out


def test_ask_again_gives_a_busy_engine_one_more_chance_per_batch() -> None:
    saved: list[list[Fill]] = []
    tally = Tally()

    def ask(todo: list[str], again: bool) -> None:
        by_engine(
            todo,
            engine=Flaky(1),
            source="en",
            target="es",
            index=None,
            cache=None,
            batch_size=5,
            save=saved.append,
            tally=tally,
            ask_again=again,
        )

    ask(["one", "two"], True)
    assert [f.msgstr for f in saved[0]] == ["ONE", "TWO"] and tally.failed == 0
    ask(["three"], False)
    assert saved[1] == [] and tally.failed == 1 and tally.reasons == ["busy"]


def test_engine_flags_are_written_and_progress_counts_entries_and_characters() -> None:
    class Marked(FakeEngine):
        flags = ("l10n-pseudo",)

    seen: list[tuple[int, int]] = []
    saved: list[list[Fill]] = []
    tally = Tally()
    by_engine(
        ["ab", "cde", "f"],
        engine=Marked(),
        source="en",
        target="es",
        index=None,
        cache=None,
        batch_size=2,
        save=saved.append,
        progress=lambda n, c: seen.append((n, c)),
        tally=tally,
    )
    assert all(f.flags == ("l10n-pseudo",) for batch in saved for f in batch)
    assert seen == [(2, 5), (1, 1)] and tally.characters == 6


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

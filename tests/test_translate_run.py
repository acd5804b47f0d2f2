"""Memory first, then cache, then engine; batches saved one by one; failures left alone."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from l10n.glossary import load
from l10n.glossary.index import TermIndex
from l10n.translate.article import ArticleEntry, ArticleResult
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


class FakeArticleEngine(Engine):
    """A ``whole_articles`` engine: answers "ES:" + text, using the terms it is told;
    fails entries containing 'refuse' with a reason."""

    name = "article"
    whole_articles = True

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, list[ArticleEntry]]] = []

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        raise AssertionError("an article engine gets whole articles")

    def translate_article(
        self, entries: Sequence[ArticleEntry], *, title: str, source: str, target: str
    ) -> ArticleResult:
        self.calls.append((title, list(entries)))
        texts: list[str] = []
        for entry in entries:
            text = "ES:" + entry.text
            for source_term, target_term in entry.terms:
                text = text.replace(source_term, target_term)
            texts.append("" if "refuse" in entry.text else text)
        failures = {i: "the model refused" for i, e in enumerate(entries) if "refuse" in e.text}
        return ArticleResult(
            texts=tuple(texts), failures=failures, requests=1, prompt_tokens=10,
            completion_tokens=5,
        )  # fmt: skip


def run_article(
    todo: list[str], engine: FakeArticleEngine, *, cache: Cache | None = None,
    index: TermIndex | None = None,
) -> tuple[list[list[Fill]], Tally]:  # fmt: skip
    saved: list[list[Fill]] = []
    tally = Tally()
    by_engine(
        todo, engine=engine, source="en", target="es", index=index, cache=cache,
        batch_size=1, save=saved.append, tally=tally, title="The title",
    )  # fmt: skip
    return saved, tally


def test_article_engine_gets_the_whole_article_with_its_title_and_terms() -> None:
    glossary = load({"g.csv": b"en,es\nFudan University,Universidad Fudan\n"}, source_language="en")
    engine = FakeArticleEngine()
    todo = ["at Fudan University", "second <1>one</1>", "please refuse", "at Fudan University"]
    saved, tally = run_article(todo, engine, index=TermIndex(glossary, "es"))
    assert len(engine.calls) == 1  # batch_size does not cut an article
    title, entries = engine.calls[0]
    assert title == "The title"
    # The msgid itself, once, with the term it must use.
    assert [e.text for e in entries] == todo[:3]
    assert entries[0].terms == (("Fudan University", "Universidad Fudan"),)
    fills = saved[0]
    # The refused entry gets no fill at all: it stays as it was; the tally says why.
    assert [(f.msgid, f.msgstr) for f in fills] == [
        ("at Fudan University", "ES:at Universidad Fudan"),
        ("second <1>one</1>", "ES:second <1>one</1>"),
        ("at Fudan University", "ES:at Universidad Fudan"),
    ]
    assert fills[0].fuzzy and fills[0].comment == "machine translation: article"
    assert tally.reasons == ["the model refused"]
    assert (tally.engine, tally.failed, tally.requests, tally.prompt_tokens) == (3, 1, 1, 10)
    assert "15 tokens (10 prompt, 5 completion) in 1 request" in tally.summary()


def terms(target: str) -> TermIndex:
    csv = f"en,es\nFudan University,{target}\n".encode()
    return TermIndex(load({"g.csv": csv}, source_language="en"), "es")


def test_article_engine_cache_is_keyed_by_the_terms_too() -> None:
    connection = sqlite3.connect(":memory:")
    cache = Cache(connection, engine="article", source="en", target="es", options={})
    todo = ["at Fudan University", "plain"]
    run_article(todo, FakeArticleEngine(), cache=cache, index=terms("Universidad Fudan"))
    again = FakeArticleEngine()
    saved, tally = run_article(todo, again, cache=cache, index=terms("Universidad Fudan"))
    assert again.calls == [] and tally.cached == 2
    third = FakeArticleEngine()
    saved, tally = run_article(todo, third, cache=cache, index=terms("Universidad de Fudan"))
    assert [e.text for e in third.calls[0][1]] == ["at Fudan University"]
    assert saved[0][0].msgstr == "ES:at Universidad de Fudan" and tally.cached == 1

"""Memory first, then cache, then engine; batches saved one by one; failures left alone."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence

from l10n.glossary import load
from l10n.glossary.index import TermIndex
from l10n.translate.article import ArticleEntry, ArticleResult
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


class FakeArticleEngine:
    """An engine with ``translate_article``: answers "ES:" + text, using the terms it is
    told; fails entries containing 'refuse' with a reason."""

    name = "article"

    def __init__(self) -> None:
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
    assert [f.msgstr for f in fills] == [
        "ES:at Universidad Fudan", "ES:second <1>one</1>", "", "ES:at Universidad Fudan",
    ]  # fmt: skip
    assert fills[0].fuzzy and fills[0].comment == "machine translation: article"
    assert fills[2].comment == (
        "machine translation: article failed (the model refused); left for a translator"
    )
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

"""The shared batching of network engines (l10n/translate/batching.py), through
LibreTranslate's real code path against the fake server on 127.0.0.1: one request per
batch, the per-text fallback only for a damaged request, requests ≤ batches + retries."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from mt_server import FakeMT, Sleeps, fake_translate, serve

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate.batching import Limits, chunks
from l10n.translate.providers import ProviderTranslator


@pytest.fixture
def mt() -> Iterator[FakeMT]:
    with serve() as fake:
        yield fake


def libre(mt: FakeMT, **kw: object) -> ProviderTranslator:
    options: dict[str, object] = {
        "endpoint": mt.url,
        "timeout": 0.5,
        "backoff": 0.01,
        "sleep": Sleeps(),
        "concurrency": 1,
    }
    options.update(kw)
    return ProviderTranslator("libre", **options)  # type: ignore[arg-type]


def sent(mt: FakeMT) -> list[list[str]]:
    return [json.loads(s.body)["q"] for s in mt.seen]


def test_chunks_respect_every_limit() -> None:
    texts = ["aaaa", "bb", "cccccc", "d", "é" * 3]
    assert chunks(texts, Limits(texts=2)) == [[0, 1], [2, 3], [4]]
    assert chunks(texts, Limits(texts=10, chars=7)) == [[0, 1], [2, 3], [4]]
    # JSON size: "aaaa" is 6 + 2, "é" is written \u00e9 (6 bytes)
    assert chunks(texts, Limits(texts=10, json_bytes=16)) == [[0, 1], [2, 3], [4]]
    assert chunks(["x" * 50], Limits(texts=10, chars=7)) == [[0]]  # alone, still sent
    assert chunks([], Limits(texts=3)) == []


def test_one_request_per_batch_in_order(mt: FakeMT) -> None:
    texts = [f"message {i} <1>bold {i}</1>" for i in range(250)]
    t = libre(mt)
    assert t.translate(texts, source="en", target="fr") == [fake_translate(x) for x in texts]
    assert [len(q) for q in sent(mt)] == [100, 100, 50]
    assert (t.requests, t.retries) == (3, 0)


def test_a_miscounted_answer_is_asked_text_by_text(mt: FakeMT) -> None:
    mt.script("short")
    t = libre(mt)
    texts = ["One", "Two", "Three"]
    assert t.translate(texts, source="en", target="es") == ["ONE", "TWO", "THREE"]
    assert sent(mt) == [texts, ["One"], ["Two"], ["Three"]]
    assert t.failures == {} and (t.requests, t.retries) == (4, 3)


def test_only_the_damaged_text_is_asked_again_alone(mt: FakeMT) -> None:
    mt.script("mangle", match="⟦", times=1)
    t = libre(mt)
    texts = ["Plain one", "See <1>the report</1>", "Plain two"]
    assert t.translate(texts, source="en", target="es") == [
        "PLAIN ONE",
        "SEE <1>THE REPORT</1>",
        "PLAIN TWO",
    ]
    assert sent(mt) == [["Plain one", "See ⟦1⟧the report⟦/1⟧", "Plain two"],
                        ["See ⟦1⟧the report⟦/1⟧"]]  # fmt: skip
    assert (t.requests, t.retries) == (2, 1)


def test_still_damaged_alone_goes_piece_by_piece_in_one_request(mt: FakeMT) -> None:
    mt.script("mangle", match="⟦", times=2)
    t = libre(mt)
    msg = "See <1>the report</1> by <2/> Reuters, <3>today</3>."
    out = t.translate(["Other", msg], source="en", target="es")
    assert out == ["OTHER", "SEE <1>THE REPORT</1> BY <2/> REUTERS, <3>TODAY</3>."]
    assert t.failures == {}
    assert sent(mt)[2] == ["See", "the report", "by", "Reuters,", "today"]
    assert mt.count() == 3


def test_a_text_sent_alone_and_damaged_goes_straight_to_pieces(mt: FakeMT) -> None:
    mt.script("mangle", match="⟦")
    t = libre(mt)
    assert t.translate(["a <1>b</1> c"], source="en", target="es") == ["A <1>B</1> C"]
    assert sent(mt) == [["a ⟦1⟧b⟦/1⟧ c"], ["a", "b", "c"]]


def test_piece_by_piece_failure_is_recorded(mt: FakeMT) -> None:
    mt.script("mangle", match="⟦")
    mt.script(400, match="broken")
    t = libre(mt)
    assert t.translate(["x <1>broken</1>"], source="en", target="es") == ["x <1>broken</1>"]
    assert t.failures[0] == (
        f"LibreTranslate at {mt.url} damaged the placeholders (missing </1>, missing <1>); "
        "piece by piece, it answered 400 Bad Request: scripted 400"
    )


def test_a_request_refused_as_too_large_is_split() -> None:
    with serve(libre_char_limit=25) as mt:
        t = libre(mt)
        texts = ["ten chars!", "ten chars?", "ten chars.", "ten chars;"]
        assert t.translate(texts, source="en", target="es") == [x.upper() for x in texts]
        assert [len(q) for q in sent(mt)] == [4, 2, 2]
        assert (t.requests, t.retries) == (3, 2)


def test_requests_are_at_most_batches_plus_retries_on_a_flaky_server(mt: FakeMT) -> None:
    mt.script(429, times=2, retry_after="1")
    mt.script(500, times=1)
    mt.script("slow", times=1)
    mt.script("garbage", times=1)
    sleeps = Sleeps()
    t = libre(mt, sleep=sleeps, timeout=0.3, max_retries=5)
    mt.slow_seconds = 1.0
    texts = [f"entry {i} <1>x</1>" for i in range(300)]  # 3 batches
    out = t.translate(texts, source="en", target="es")
    assert out == [fake_translate(x) for x in texts] and t.failures == {}
    assert mt.count() == t.requests == 3 + 5 and t.retries == 5
    assert sleeps[:2] == [1.0, 1.0]  # Retry-After honoured


def test_server_killed_halfway_costs_one_requests_tries_not_every_batchs(mt: FakeMT) -> None:
    texts = [f"entry {i}" for i in range(500)]  # 5 batches
    mt.script("die", times=1, match="entry 200")  # the third batch's request kills it
    t = libre(mt, max_retries=2)
    out = t.translate(texts, source="en", target="es")
    assert out[:200] == [x.upper() for x in texts[:200]]
    assert out[200:] == texts[200:] and set(t.failures) == set(range(200, 500))
    assert t.failures[200].startswith(f"LibreTranslate at {mt.url} ")
    assert t.failures[499].startswith("not tried: ")
    assert t.requests <= 2 + 3  # two good batches, the third's tries; the rest not sent
    for i in (0, 200, 499):
        assert ph.problems(texts[i], out[i]) == []


def test_a_rejected_key_stops_at_the_first_request(mt: FakeMT) -> None:
    mt.libre_key = "right"
    t = libre(mt, api_key="wrong", concurrency=3)
    with pytest.raises(TranslateError, match="rejected the API key"):
        t.translate([f"t{i}" for i in range(300)], source="en", target="es")
    assert mt.count() <= 3

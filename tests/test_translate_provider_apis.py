"""Each provider's request as its API documents it, and its answer read back, against
the fake server on 127.0.0.1 (tests/mt_server.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
from mt_server import FakeMT, Sleeps, serve

from l10n.translate.provider_apis import APIS
from l10n.translate.providers import ProviderTranslator

KEY = "sk-Sup3r-S3cret-KEY"


@pytest.fixture
def mt() -> Iterator[FakeMT]:
    with serve() as fake:
        yield fake


ENGINES = [
    # provider, key, path the engine asks, where the key travels
    ("libre", KEY, "/translate", "body"),
    ("mymemory", None, "/get", None),
    ("google", KEY, "/language/translate/v2", "X-Goog-Api-Key"),
    ("microsoft", KEY, "/translate", "Ocp-Apim-Subscription-Key"),
    ("yandex", KEY, "/api/v1.5/tr.json/translate", "body"),
    ("papago", "client-id:" + KEY, "/v1/papago/n2mt", "X-Naver-Client-Secret"),
    ("baidu", "app-id:" + KEY, "/api/trans/vip/translate", None),  # only a signature is sent
    ("qcri", KEY, "/api/v1/translate", "query"),
]


@pytest.mark.parametrize(("provider", "key", "path", "carrier"), ENGINES)
def test_every_engine_through_its_endpoint(
    mt: FakeMT, provider: str, key: str | None, path: str, carrier: str | None
) -> None:
    t = ProviderTranslator(
        provider, api_key=key, endpoint=mt.url, timeout=0.5, backoff=0.01, sleep=Sleeps()
    )
    texts = ["Hello <1>world</1> <2/>", "Again"]
    assert t.translate(texts, source="en", target="es") == ["HELLO <1>WORLD</1> <2/>", "AGAIN"]
    assert t.failures == {}
    assert {s.path for s in mt.seen} == {path}
    # Batched APIs take both texts in one request; the others one each.
    assert mt.count() == (1 if APIS[provider].limits.texts > 1 else 2) == t.requests
    for seen in mt.seen:
        if carrier == "query":
            assert KEY in seen.query
        elif carrier == "body":
            assert KEY.encode() in seen.body
        elif carrier is not None:
            assert KEY in seen.headers[carrier]
        else:
            assert KEY not in seen.query and KEY.encode() not in seen.body
    assert KEY not in repr(t) and KEY not in t.where


def test_yandex_repeats_text(mt: FakeMT) -> None:
    t = ProviderTranslator("yandex", api_key=KEY, endpoint=mt.url, timeout=0.5)
    t.translate(["One", "Two"], source="en", target="de")
    form = parse_qs(mt.seen[0].body.decode())
    assert form["text"] == ["One", "Two"] and form["lang"] == ["en-de"]


def test_baidu_joins_lines_and_signs_them(mt: FakeMT) -> None:
    t = ProviderTranslator("baidu", api_key="app-id:" + KEY, endpoint=mt.url, timeout=0.5)
    assert t.translate(["One", "Two"], source="en", target="ja") == ["ONE", "TWO"]
    form = {k: v[0] for k, v in parse_qs(mt.seen[0].body.decode()).items()}
    assert form["q"] == "One\nTwo" and form["to"] == "jp" and form["appid"] == "app-id"
    expected = hashlib.md5(f"app-id{form['q']}{form['salt']}{KEY}".encode()).hexdigest()
    assert form["sign"] == expected


def test_papago_gets_codes_and_both_key_parts(mt: FakeMT) -> None:
    t = ProviderTranslator("papago", api_key="id:secret", endpoint=mt.url, timeout=0.5)
    t.translate(["Hello"], source="en", target="ko")
    assert mt.seen[0].body == b"source=en&target=ko&text=Hello"
    assert mt.seen[0].headers["X-Naver-Client-Id"] == "id"
    assert mt.seen[0].headers["X-Naver-Client-Secret"] == "secret"


def test_microsoft_within_1000_elements_and_50000_characters(mt: FakeMT) -> None:
    t = ProviderTranslator("microsoft", api_key=KEY, endpoint=mt.url, timeout=5, concurrency=1)
    t.translate([f"t{i}" for i in range(1001)], source="en", target="de")
    assert [len(json.loads(s.body)) for s in mt.seen] == [1000, 1]
    mt.seen.clear()
    t.translate(["a" * 20_000, "b" * 20_000, "c" * 20_000], source="en", target="de")
    assert [len(json.loads(s.body)) for s in mt.seen] == [2, 1]

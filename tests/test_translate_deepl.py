"""DeepL through its HTTP API, against a fake server on 127.0.0.1 (tests/mt_server.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from mt_server import FakeMT, Sleeps, fake_translate, serve

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate.deepl import DeepLTranslator, deepl_source, deepl_target, from_xml, to_xml

KEY = "0a1b2c3d-4e5f-6789-abcd-ef0123456789:fx"


@pytest.fixture
def mt() -> Iterator[FakeMT]:
    with serve(deepl_key=KEY, slow_seconds=1.5) as fake:
        yield fake


def deepl(mt: FakeMT, **kw: object) -> DeepLTranslator:
    options: dict[str, object] = {
        "endpoint": mt.url,
        "timeout": 0.3,
        "backoff": 0.01,
        "sleep": Sleeps(),
    }
    options.update(kw)
    return DeepLTranslator(KEY, **options)  # type: ignore[arg-type]


def bodies(mt: FakeMT, path: str = "/v2/translate") -> list[dict[str, object]]:
    return [json.loads(s.body) for s in mt.seen if s.path == path and s.method == "POST"]


def test_key_in_header_not_in_url_or_body(mt: FakeMT) -> None:
    t = deepl(mt)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    (seen,) = mt.seen
    assert seen.method == "POST"
    assert seen.headers["Authorization"] == f"DeepL-Auth-Key {KEY}"
    assert seen.query == "" and KEY.encode() not in seen.body
    assert seen.headers["Content-Type"] == "application/json"
    assert KEY not in repr(t) and KEY not in t.where


def test_request_shape_and_xml_round_trip(mt: FakeMT) -> None:
    t = deepl(mt)
    texts = ["Fish & <1>chips</1> <2/> a < b", "  Photo: <3>AP <4>staff</4></3>  ", "<5/>", ""]
    out = t.translate(texts, source="en", target="zh-Hans")
    assert out == [
        "FISH & <1>CHIPS</1> <2/> A < B",
        "  PHOTO: <3>AP <4>STAFF</4></3>  ",
        "<5/>",
        "",
    ]
    assert t.failures == {}
    (body,) = bodies(mt)
    assert body == {
        "text": [
            'Fish &amp; <g id="1">chips</g> <x id="2"/> a &lt; b',
            'Photo: <g id="3">AP <g id="4">staff</g></g>',
        ],
        "source_lang": "EN",
        "target_lang": "ZH-HANS",
        "tag_handling": "xml",
        "ignore_tags": ["x"],
        "non_splitting_tags": ["g", "x"],
    }


def test_xml_codec() -> None:
    msg = "a <1>b <2>c</2></1> <3/> & d < e > f"
    assert to_xml(msg) == 'a <g id="1">b <g id="2">c</g></g> <x id="3"/> &amp; d &lt; e &gt; f'
    assert from_xml(to_xml(msg)) == msg
    assert from_xml("<x id='3'></x> <g  id = \"1\" >x</g >") == "<3/> <1>x</1>"
    assert from_xml("x</g>") is None
    assert from_xml('<g id="1">x') is None
    assert from_xml("<b>x</b>") is None


def test_xml_codec_keeps_placeholder_numbers_of_any_length() -> None:
    msg = "a <10000>b <123456789>c</123456789></10000> <99999/>"
    assert ph.problems(msg, msg) == []
    assert to_xml(msg) == 'a <g id="10000">b <g id="123456789">c</g></g> <x id="99999"/>'
    back = from_xml(fake_translate(to_xml(msg)))
    assert back == "A <10000>B <123456789>C</123456789></10000> <99999/>"


def test_fifty_texts_per_request_in_order(mt: FakeMT) -> None:
    texts = [f"message {i} <1>{i}</1>" for i in range(120)]
    t = deepl(mt)
    assert t.translate(texts, source="en", target="de") == [fake_translate(x) for x in texts]
    assert [len(b["text"]) for b in bodies(mt)] == [50, 50, 20]  # type: ignore[arg-type]


def test_language_codes() -> None:
    assert deepl_source("en-GB") == "EN" and deepl_source("zh-Hant") == "ZH"
    assert deepl_target("en") == "EN-US" and deepl_target("en-GB") == "EN-GB"
    assert deepl_target("pt-BR") == "PT-BR" and deepl_target("pt") == "PT-PT"
    assert deepl_target("zh-Hans") == "ZH-HANS" and deepl_target("zh-TW") == "ZH-HANT"
    assert deepl_target("nb-NO") == "NB" and deepl_target("es") == "ES"
    assert deepl_target("es-419") == "ES-419" and deepl_target("de-AT") == "DE"


def test_endpoint_follows_the_key() -> None:
    assert DeepLTranslator("abc:fx").where == "DeepL at https://api-free.deepl.com/"
    assert DeepLTranslator("abc").where == "DeepL at https://api.deepl.com/"
    with pytest.raises(TranslateError, match="needs an API key"):
        DeepLTranslator("")


def test_glossary_creation_and_use(mt: FakeMT) -> None:
    t = deepl(mt)
    entries = {"Fudan University": "Universidad Fudan", " Xinhua ": "Xinhua", "empty": " "}
    gid = t.create_glossary("newsroom en-es", "en-US", "es", entries)
    assert gid == "gls-1"
    (body,) = bodies(mt, "/v2/glossaries")
    assert body == {
        "name": "newsroom en-es",
        "source_lang": "en",
        "target_lang": "es",
        "entries": "Fudan University\tUniversidad Fudan\nXinhua\tXinhua",
        "entries_format": "tsv",
    }
    glossed = deepl(mt, glossary_id=gid)
    glossed.translate(["Fudan University said"], source="en", target="es")
    assert bodies(mt)[-1]["glossary_id"] == "gls-1"


def test_rejected_key(mt: FakeMT) -> None:
    mt.deepl_key = "some-other-key"
    t = deepl(mt)
    with pytest.raises(TranslateError, match="DeepL rejected the key") as info:
        t.translate(["Hello"], source="en", target="es")
    assert KEY not in str(info.value)
    with pytest.raises(TranslateError, match="DeepL rejected the key"):
        t.create_glossary("g", "en", "es", {"a": "b"})


def test_quota_exceeded(mt: FakeMT) -> None:
    mt.script(456)
    t = deepl(mt)
    with pytest.raises(TranslateError, match=r"DeepL quota exceeded \(456 from") as info:
        t.translate(["Hello"], source="en", target="es")
    assert KEY not in str(info.value)
    assert mt.count() == 1


@pytest.mark.parametrize("status", [429, 500, 503, 529])
def test_transient_errors_are_retried(mt: FakeMT, status: int) -> None:
    sleeps = Sleeps()
    mt.script(status, times=2, retry_after="1" if status == 429 else None)
    t = deepl(mt, sleep=sleeps)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert mt.count() == 3 and len(sleeps) == 2
    if status == 429:
        assert sleeps == [1.0, 1.0]


def test_gives_up_and_records_every_text_of_the_request(mt: FakeMT) -> None:
    mt.script(503, times=None)
    t = deepl(mt, max_retries=2)
    assert t.translate(["a", "b"], source="en", target="es") == ["a", "b"]
    reason = f"DeepL at {mt.url} answered 503 Service Unavailable after 3 tries: scripted 503"
    assert t.failures == {0: reason, 1: reason}


def test_bad_request_is_not_retried(mt: FakeMT) -> None:
    mt.script(400)
    t = deepl(mt)
    t.translate(["Hello"], source="en", target="es")
    assert t.failures == {0: f"DeepL at {mt.url} answered 400 Bad Request: scripted 400"}
    assert mt.count() == 1


@pytest.mark.parametrize("behaviour", ["garbage", "truncated"])
def test_a_reply_that_is_not_json_is_tried_again(mt: FakeMT, behaviour: str) -> None:
    mt.script(behaviour)
    t = deepl(mt)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert mt.count() == 2


def test_a_reply_without_translations_is_a_clear_failure(mt: FakeMT) -> None:
    mt.script("shape")
    t = deepl(mt)
    assert t.translate(["Hello"], source="en", target="es") == ["Hello"]
    assert t.failures[0] == (
        f"DeepL at {mt.url} answered with a reply that has no translations in it"
    )


def test_a_miscounted_answer_is_asked_text_by_text(mt: FakeMT) -> None:
    mt.script("short")
    t = deepl(mt)
    assert t.translate(["a", "b"], source="en", target="es") == ["A", "B"]
    assert [b["text"] for b in bodies(mt)] == [["a", "b"], ["a"], ["b"]]


def test_429_with_retry_after_over_120_texts(mt: FakeMT) -> None:
    sleeps = Sleeps()
    mt.script(429, times=2, retry_after="2")
    t = deepl(mt, sleep=sleeps)
    texts = [f"t{i}" for i in range(120)]
    assert t.translate(texts, source="en", target="es") == [x.upper() for x in texts]
    assert mt.count() == t.requests == 3 + 2 and sleeps == [2.0, 2.0]


def test_timeout_then_retry(mt: FakeMT) -> None:
    mt.script("slow")
    t = deepl(mt)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert mt.count() == 2


def test_connection_refused_stops_the_batch(mt: FakeMT) -> None:
    url = mt.url
    mt.stop()
    t = deepl(mt)
    texts = [f"t{i}" for i in range(120)]
    assert t.translate(texts, source="en", target="es") == texts
    first = f"DeepL at {url} refused the connection after 5 tries"
    assert t.failures[0] == first and t.failures[49] == first
    assert t.failures[50] == f"not tried: {first}" and t.failures[119] == f"not tried: {first}"


def test_damaged_tags_are_asked_alone_then_piece_by_piece(mt: FakeMT) -> None:
    mt.script("mangle", match="<g", times=2)
    t = deepl(mt)
    msg = "See <1>the report</1> by <2/> Reuters"
    assert t.translate([msg, "Plain"], source="en", target="es") == [
        "SEE <1>THE REPORT</1> BY <2/> REUTERS",
        "PLAIN",
    ]
    texts = [b["text"] for b in bodies(mt)]
    assert texts[1] == [to_xml(msg)]  # alone
    assert texts[2] == ["See", "the report", "by", "Reuters"]
    for src, dst in zip([msg], t.translate([msg], source="en", target="es"), strict=True):
        assert ph.problems(src, dst) == []


ENTRIES = {"Fudan University": "Universidad Fudan", "Xinhua": "Xinhua"}


def test_glossary_made_once_per_pair_and_reused_by_content(mt: FakeMT) -> None:
    t = deepl(mt)
    assert t.prepare_glossary("en", "es", ENTRIES) is True
    (created,) = bodies(mt, "/v2/glossaries")
    assert created["source_lang"] == "en" and created["target_lang"] == "es"
    assert created["entries"] == "Fudan University\tUniversidad Fudan\nXinhua\tXinhua"
    t.translate(["Fudan University said"], source="en", target="es")
    assert bodies(mt)[-1]["glossary_id"] == "gls-1"
    name = str(created["name"])
    # Another run (a new engine) finds it by its name and does not create another.
    again = deepl(mt)
    assert again.prepare_glossary("en-US", "es", ENTRIES) is True
    assert len(bodies(mt, "/v2/glossaries")) == 1
    again.translate(["Xinhua"], source="en", target="es")
    assert bodies(mt)[-1]["glossary_id"] == "gls-1"
    # Changed entries: a new glossary.
    assert again.prepare_glossary("en", "es", {**ENTRIES, "AI": "IA"}) is True
    (_, changed) = bodies(mt, "/v2/glossaries")
    assert changed["name"] != name and str(changed["name"]).startswith("l10n en-es ")
    again.translate(["AI"], source="en", target="es")
    assert bodies(mt)[-1]["glossary_id"] == "gls-2"
    assert mt.count("/v2/glossary-language-pairs") == 2  # once per engine


def test_glossary_for_an_unsupported_pair_is_declined(mt: FakeMT) -> None:
    t = deepl(mt)
    assert t.prepare_glossary("en", "ar", ENTRIES) is False
    assert t.prepare_glossary("en", "es", {}) is False
    assert mt.count("/v2/glossaries") == 0
    t.translate(["Hello"], source="en", target="ar")
    assert "glossary_id" not in bodies(mt)[-1]


def test_glossary_trouble_stops_with_a_reason(mt: FakeMT) -> None:
    mt.script(500, times=None, path="/v2/glossary-language-pairs")
    t = deepl(mt, max_retries=1)
    with pytest.raises(TranslateError, match=r"cannot use glossaries: DeepL at .* answered 500"):
        t.prepare_glossary("en", "es", ENTRIES)

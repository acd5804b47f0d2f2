"""deep-translator engines through the real deep-translator code, against a fake server on
127.0.0.1 (tests/mt_server.py): order, placeholders, bounded concurrency, retries,
timeouts, failures recorded per message, keys kept out of every message."""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Iterator

import pytest
import requests
from mt_server import FakeMT, Sleeps, fake_translate, serve

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate.providers import PROVIDERS, ProviderTranslator, _Html, _language, _Tokens

KEY = "sk-Sup3r-S3cret-KEY"


@pytest.fixture
def mt() -> Iterator[FakeMT]:
    with serve(slow_seconds=1.5) as fake:
        yield fake


def libre(mt: FakeMT, **kw: object) -> ProviderTranslator:
    options: dict[str, object] = {
        "endpoint": mt.url,
        "timeout": 0.3,
        "backoff": 0.01,
        "sleep": Sleeps(),
    }
    options.update(kw)
    return ProviderTranslator("libre", **options)  # type: ignore[arg-type]


TEXTS = [
    "Fudan <1>University</1> said",
    "  Leading and trailing  ",
    "Photo <2/> by <3>AP <4>staff</4></3>",
    "<5/>",
    "12 345",
    "—",
    "",
]


def test_batch_in_order_with_placeholders_intact(mt: FakeMT) -> None:
    t = libre(mt)
    out = t.translate(TEXTS, source="en", target="es")
    assert t.failures == {}
    assert out == [
        "FUDAN <1>UNIVERSITY</1> SAID",
        "  LEADING AND TRAILING  ",
        "PHOTO <2/> BY <3>AP <4>STAFF</4></3>",
        "<5/>",  # nothing to translate: not sent
        "12 345",
        "—",
        "",
    ]
    for src, dst in zip(TEXTS, out, strict=True):
        assert ph.problems(src, dst) == []
    # deep-translator's LibreTranslator: POST with everything in the query string
    assert sorted(mt.texts("/translate")) == [
        "12 345",
        "Fudan ⟦1⟧University⟦/1⟧ said",
        "Leading and trailing",
        "Photo ⟦2/⟧ by ⟦3⟧AP ⟦4⟧staff⟦/4⟧⟦/3⟧",
    ]
    assert all(s.method == "POST" and "format=text" in s.query for s in mt.seen)
    assert all("api_key" not in s.query for s in mt.seen)  # no key: none sent


def test_placeholders_numbered_from_ten_thousand_come_back(mt: FakeMT) -> None:
    t = libre(mt)
    text = "Fudan <10000>University</10000> said<123456/>"
    assert t.translate([text], source="en", target="es") == [
        "FUDAN <10000>UNIVERSITY</10000> SAID<123456/>"
    ]
    assert t.failures == {}
    assert mt.texts("/translate") == ["Fudan ⟦10000⟧University⟦/10000⟧ said⟦123456/⟧"]


def test_many_texts_keep_their_order(mt: FakeMT) -> None:
    texts = [f"message {i} <1>bold {i}</1>" for i in range(40)]
    t = libre(mt, concurrency=8)
    assert t.translate(texts, source="en", target="fr") == [fake_translate(x) for x in texts]


def test_concurrency_is_bounded() -> None:
    with serve(delay=0.05) as mt:
        t = libre(mt, concurrency=3)
        out = t.translate([f"text {i}" for i in range(12)], source="en", target="es")
        assert out == [f"TEXT {i}" for i in range(12)]
        assert 2 <= mt.max_in_flight <= 3
        assert mt.count() == 12


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_transient_errors_are_retried(mt: FakeMT, status: int) -> None:
    sleeps = Sleeps()
    mt.script(status, times=2)
    t = libre(mt, sleep=sleeps)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert t.failures == {}
    assert mt.count() == 3
    assert len(sleeps) == 2
    assert 0.005 <= sleeps[0] <= 0.01 and 0.01 <= sleeps[1] <= 0.02  # backoff doubles, jittered


def test_retry_after_is_honoured(mt: FakeMT) -> None:
    sleeps = Sleeps()
    mt.script(429, retry_after="3")
    t = libre(mt, sleep=sleeps)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert sleeps == [3.0]


def test_persistent_429_is_recorded_with_what_happened(mt: FakeMT) -> None:
    mt.script(429, times=None)
    t = libre(mt, max_retries=3)
    out = t.translate(["One", "Two", "Three"], source="en", target="es")
    assert out == ["One", "Two", "Three"]  # untranslated, not lost
    assert set(t.failures) == {0, 1, 2}
    reasons = list(t.failures.values())
    gave_up = f"LibreTranslate at {mt.url} answered 429 Too Many Requests after 4 tries"
    assert f"{gave_up}: scripted 429" in reasons
    # once one message has used all its tries, the others stop retrying
    assert all(
        r.startswith((f"LibreTranslate at {mt.url} answered 429", "not tried")) for r in reasons
    )
    assert mt.count() <= 3 * 4


def test_other_4xx_is_not_retried(mt: FakeMT) -> None:
    mt.script(400, match="bad")
    t = libre(mt)
    out = t.translate(["good", "bad one", "fine"], source="en", target="es")
    assert out == ["GOOD", "bad one", "FINE"]
    assert list(t.failures) == [1]
    assert t.failures[1] == f"LibreTranslate at {mt.url} answered 400 Bad Request: scripted 400"
    assert mt.count() == 3


def test_slow_answer_times_out_then_retry_succeeds(mt: FakeMT) -> None:
    mt.script("slow")
    t = libre(mt)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert mt.count() == 2


def test_server_that_never_answers_in_time(mt: FakeMT) -> None:
    mt.script("slow", times=None)
    t = libre(mt, max_retries=1)
    assert t.translate(["Hello"], source="en", target="es") == ["Hello"]
    assert t.failures == {
        0: f"LibreTranslate at {mt.url} did not answer within 0.3 s after 2 tries"
    }


def test_dropped_connection_is_retried(mt: FakeMT) -> None:
    mt.script("reset")
    t = libre(mt)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert mt.count() == 2


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [("garbage", "a reply that is not JSON"), ("shape", "a reply that has no translation")],
)
def test_garbage_is_a_clear_failure(mt: FakeMT, behaviour: str, words: str) -> None:
    mt.script(behaviour)
    t = libre(mt, api_key=KEY)
    texts = ["Hello", "World"]
    out = t.translate(texts, source="en", target="es")
    ((index, reason),) = t.failures.items()
    assert out[index] == texts[index] and out[1 - index] == texts[1 - index].upper()
    assert reason.startswith(f"LibreTranslate at {mt.url} answered 200 OK with {words}")
    assert KEY not in reason
    assert mt.count() == 2  # not retried: it would not get better


def test_connection_refused_fails_fast(mt: FakeMT) -> None:
    url = mt.url
    mt.stop()
    t = libre(mt, concurrency=2, api_key=KEY, sleep=time.sleep)  # real (0.01 s) backoff
    texts = [f"text {i}" for i in range(20)]
    assert t.translate(texts, source="en", target="es") == texts
    assert set(t.failures) == set(range(20))
    assert f"LibreTranslate at {url} refused the connection after 5 tries" in t.failures[0]
    assert sum(r.startswith("not tried: ") for r in t.failures.values()) >= 15
    assert not any(KEY in r for r in t.failures.values())


def test_libre_gets_a_json_body_and_the_key_never_in_the_url(mt: FakeMT) -> None:
    mt.libre_key = KEY
    t = libre(mt, api_key=KEY)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    seen = mt.seen[0]
    # The query string deep-translator builds stays (for servers that read it), and the
    # same fields go in a JSON body, as LibreTranslate's API documents.
    assert "q=Hello" in seen.query and KEY not in seen.query
    body = json.loads(seen.body)
    assert body["q"] == "Hello" and body["target"] == "es" and body["api_key"] == KEY
    assert KEY not in repr(t) and KEY not in t.where


def test_rejected_key_raises_without_the_key(mt: FakeMT) -> None:
    mt.libre_key = "another-key"
    t = libre(mt, api_key=KEY)
    with pytest.raises(TranslateError) as info:
        t.translate(["Hello", "World", "Again"], source="en", target="es")
    message = str(info.value)
    assert message == f"LibreTranslate at {mt.url} rejected the API key (403 Forbidden)"
    assert KEY not in message and KEY not in repr(info.value.args)


def test_key_is_scrubbed_from_server_text(mt: FakeMT) -> None:
    mt.script(400, match="Hello")
    t = libre(mt, api_key="scripted")  # the server's error text contains the "key"
    t.translate(["Hello"], source="en", target="es")
    assert "scripted" not in t.failures[0] and "***" in t.failures[0]


def test_damaged_placeholders_are_translated_piece_by_piece(mt: FakeMT) -> None:
    mt.script("mangle", match="⟦")
    t = libre(mt)
    msg = "See <1>the report</1> by <2/> Reuters, <3>today</3>."
    assert t.translate([msg], source="en", target="es") == [
        "SEE <1>THE REPORT</1> BY <2/> REUTERS, <3>TODAY</3>."
    ]
    assert t.failures == {}
    assert mt.texts() == [
        "See ⟦1⟧the report⟦/1⟧ by ⟦2/⟧ Reuters, ⟦3⟧today⟦/3⟧.",
        "See",
        "the report",
        "by",
        "Reuters,",
        "today",
    ]


def test_tokens_with_spaces_inside_are_read_back(mt: FakeMT) -> None:
    mt.script("spaces")
    t = libre(mt)
    assert t.translate(["a <1>b</1> <2/>"], source="en", target="es") == ["A <1>B</1> <2/>"]
    assert mt.count() == 1


def test_piece_by_piece_failure_is_recorded(mt: FakeMT) -> None:
    mt.script("mangle", match="⟦")
    mt.script(400, match="broken")
    t = libre(mt)
    assert t.translate(["x <1>broken</1>"], source="en", target="es") == ["x <1>broken</1>"]
    assert t.failures[0] == (
        f"LibreTranslate at {mt.url} damaged the placeholders (missing </1>, missing <1>); "
        "piece by piece, it answered 400 Bad Request: scripted 400"
    )


def test_text_with_token_brackets_goes_piece_by_piece(mt: FakeMT) -> None:
    t = libre(mt)
    assert t.translate(["a ⟦b⟧ <1>c</1>"], source="en", target="es") == ["A ⟦B⟧ <1>C</1>"]
    assert mt.texts() == ["a ⟦b⟧", "c"]


def test_mymemory_through_its_endpoint(mt: FakeMT) -> None:
    t = ProviderTranslator("mymemory", endpoint=mt.url, timeout=0.3, backoff=0.01)
    out = t.translate(["Hello <1>there</1>", "x" * 600], source="en", target="zh-Hant")
    assert out[0] == "HELLO <1>THERE</1>"
    assert out[1] == "x" * 600
    assert "cannot take this text" in t.failures[1] and "500" in t.failures[1]
    assert mt.seen[0].path == "/get" and "langpair=en%7Czh-TW" in mt.seen[0].query


def test_google_through_its_endpoint_one_instance_per_request(mt: FakeMT) -> None:
    t = ProviderTranslator("google", endpoint=mt.url, timeout=0.3, backoff=0.01, concurrency=4)
    texts = [f"Story {i} <1>here</1> & <2/> there" for i in range(16)]
    assert t.translate(texts, source="en", target="zh-Hans") == [fake_translate(x) for x in texts]
    assert all(s.path == "/m" and "tl=zh-CN" in s.query for s in mt.seen)


def test_microsoft_gets_html_and_key_in_header(mt: FakeMT) -> None:
    t = ProviderTranslator(
        "microsoft", api_key=KEY, endpoint=mt.url, timeout=0.3, backoff=0.01, concurrency=2
    )
    texts = ["Fish & <1>chips</1> <2/> a < b", "Plain"]
    assert t.translate(texts, source="en", target="pt-BR") == [
        "FISH & <1>CHIPS</1> <2/> A < B",
        "PLAIN",
    ]
    seen = sorted(mt.seen, key=lambda s: len(s.body))[-1]
    assert seen.headers["Ocp-Apim-Subscription-Key"] == KEY
    assert KEY not in seen.query and "textType=html" in seen.query and "to=pt" in seen.query
    assert b'<span id=\\"p1\\">chips</span>' in seen.body and b"&amp;" in seen.body


def test_codecs_round_trip() -> None:
    msg = "a <1>b <2>c</2></1> <3/> & d < e"
    assert _Tokens.encode(msg) == "a ⟦1⟧b ⟦2⟧c⟦/2⟧⟦/1⟧ ⟦3/⟧ & d < e"
    assert _Tokens.decode(_Tokens.encode(msg)) == msg
    assert _Tokens.decode("⟦ /1 ⟧ ⟦2 / ⟧") == "</1> <2/>"
    assert _Html.decode(_Html.encode(msg)) == msg
    assert _Html.decode("x</span>") is None
    assert _Html.decode('<span id="p1">x') is None
    assert _Html.decode('<SPAN id="p1">x</SPAN> <b>y</b>') == "<1>x</1> y"


def test_language_codes() -> None:
    assert _language("google", "zh-Hans") == "zh-CN"
    assert _language("google", "zh-Hant-TW") == "zh-TW"
    assert _language("libre", "zh-Hant") == "zt"
    assert _language("libre", "pt-BR") == "pt"
    assert _language("microsoft", "zh") == "zh-Hans"
    assert _language("microsoft", "pt-PT") == "pt-pt"
    assert _language("mymemory", "en-GB") == "en-GB"
    assert _language("papago", "ko") == "ko"  # deep-translator would send "Korean"
    assert _language("baidu", "ja") == "jp"
    assert _language("chatgpt", "pt-BR") == "Portuguese (Brazil)"


def test_configuration_errors() -> None:
    with pytest.raises(TranslateError, match="unknown machine-translation provider"):
        ProviderTranslator("babelfish")
    with pytest.raises(TranslateError, match="microsoft needs an API key"):
        ProviderTranslator("microsoft")
    with pytest.raises(TranslateError, match="libre needs an API key"):
        ProviderTranslator("libre")
    with pytest.raises(TranslateError, match="ID:SECRET") as info:
        ProviderTranslator("papago", api_key="no-colon-secret")
    assert "no-colon-secret" not in str(info.value)
    assert set(PROVIDERS) == {
        "google", "mymemory", "libre", "microsoft", "yandex", "papago", "baidu", "qcri", "chatgpt",
    }  # fmt: skip


def test_deep_translator_outside_our_calls_is_untouched(mt: FakeMT) -> None:
    libre(mt)  # installs the stand-in
    dl = importlib.import_module("deep_translator.libre")

    assert dl.requests is not requests
    assert dl.requests.exceptions is requests.exceptions
    answer = dl.requests.get(mt.url + "get", params={"q": "hi", "langpair": "en|es"}, timeout=2)
    assert answer.json()["responseData"]["translatedText"] == "HI"


ENGINES = [
    # provider, key, path the engine asks, where the key travels
    ("libre", KEY, "/translate", "body"),
    ("mymemory", None, "/get", None),
    ("google", None, "/m", None),
    ("microsoft", KEY, "/translate", "Ocp-Apim-Subscription-Key"),
    ("yandex", KEY, "/api/v1.5/tr.json/translate", "body"),
    ("papago", "client-id:" + KEY, "/v1/papago/n2mt", "X-Naver-Client-Secret"),
    ("baidu", "app-id:" + KEY, "/api/trans/vip/translate", None),  # only a signature is sent
    ("qcri", KEY, "/api/v1/translate", "query"),
    ("chatgpt", KEY, "/chat/completions", "Authorization"),
]


@pytest.mark.parametrize(("provider", "key", "path", "carrier"), ENGINES)
def test_every_engine_through_its_endpoint(
    mt: FakeMT, provider: str, key: str | None, path: str, carrier: str | None
) -> None:
    t = ProviderTranslator(provider, api_key=key, endpoint=mt.url, timeout=0.3, backoff=0.01)
    texts = ["Hello <1>world</1> <2/>", "Again"]
    assert t.translate(texts, source="en", target="es") == ["HELLO <1>WORLD</1> <2/>", "AGAIN"]
    assert t.failures == {}
    assert {s.path for s in mt.seen} == {path}
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


def test_papago_gets_codes_not_names(mt: FakeMT) -> None:
    t = ProviderTranslator("papago", api_key="id:secret", endpoint=mt.url, timeout=0.3)
    t.translate(["Hello"], source="en", target="ko")
    assert mt.seen[0].body == b"source=en&target=ko&text=Hello"
    assert mt.seen[0].headers["X-Naver-Client-Id"] == "id"


def test_mymemory_errors_inside_ok_answers(mt: FakeMT) -> None:
    t = ProviderTranslator("mymemory", endpoint=mt.url, timeout=0.3, backoff=0.01, sleep=Sleeps())
    busy = {"responseData": {"translatedText": "busy"}, "responseStatus": 429}
    mt.script("reply", reply=busy)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert mt.count() == 2
    warning = "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY"
    mt.script("reply", reply={"responseData": {"translatedText": warning}, "responseStatus": 200})
    with pytest.raises(TranslateError, match="free daily quota is used up"):
        t.translate(["Hello"], source="en", target="es")


def test_baidu_errors_inside_ok_answers(mt: FakeMT) -> None:
    t = ProviderTranslator(
        "baidu", api_key="app:" + KEY, endpoint=mt.url, timeout=0.3, backoff=0.01, sleep=Sleeps()
    )
    mt.script("reply", reply={"error_code": "54003", "error_msg": "Invalid Access Limit"})
    assert t.translate(["Hello"], source="en", target="zh") == ["HELLO"]
    mt.script("reply", reply={"error_code": "52003", "error_msg": "UNAUTHORIZED USER"})
    with pytest.raises(TranslateError, match="rejected the key") as info:
        t.translate(["Hello"], source="en", target="zh")
    assert KEY not in str(info.value)

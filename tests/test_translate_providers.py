"""Provider engines over their REST APIs, against a fake server on 127.0.0.1
(tests/mt_server.py): order, placeholders, retries, timeouts, failures recorded per
message, keys kept out of every message."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterator

import pytest
from mt_server import FakeMT, Sleeps, fake_translate, serve

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate.providers import PROVIDERS, ProviderTranslator, _Html, _language, _Tokens

KEY = "sk-Sup3r-S3cret-KEY"


@pytest.fixture
def mt() -> Iterator[FakeMT]:
    with serve(slow_seconds=1.5) as fake:
        yield fake


def engine(mt: FakeMT, provider: str = "libre", **kw: object) -> ProviderTranslator:
    options: dict[str, object] = {
        "endpoint": mt.url,
        "timeout": 0.3,
        "backoff": 0.01,
        "sleep": Sleeps(),
    }
    options.update(kw)
    return ProviderTranslator(provider, **options)  # type: ignore[arg-type]


TEXTS = [
    "Fudan <1>University</1> said",
    "  Leading and trailing  ",
    "Photo <2/> by <3>AP <4>staff</4></3>",
    "<5/>",
    "12 345",
    "—",
    "",
]


def test_batch_in_order_with_placeholders_intact_in_one_request(mt: FakeMT) -> None:
    t = engine(mt)
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
    (seen,) = mt.seen
    body = json.loads(seen.body)
    assert body["q"] == [
        "Fudan ⟦1⟧University⟦/1⟧ said",
        "Leading and trailing",
        "Photo ⟦2/⟧ by ⟦3⟧AP ⟦4⟧staff⟦/4⟧⟦/3⟧",
        "12 345",
    ]
    assert body["format"] == "text" and "api_key" not in body  # no key: none sent
    assert seen.query == ""
    assert (t.requests, t.retries) == (1, 0)


def test_placeholders_numbered_from_ten_thousand_come_back(mt: FakeMT) -> None:
    t = engine(mt)
    text = "Fudan <10000>University</10000> said<123456/>"
    assert t.translate([text], source="en", target="es") == [
        "FUDAN <10000>UNIVERSITY</10000> SAID<123456/>"
    ]
    assert t.failures == {}
    (seen,) = mt.seen
    assert json.loads(seen.body)["q"] == ["Fudan ⟦10000⟧University⟦/10000⟧ said⟦123456/⟧"]


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_transient_errors_are_retried(mt: FakeMT, status: int) -> None:
    sleeps = Sleeps()
    mt.script(status, times=2)
    t = engine(mt, sleep=sleeps)
    assert t.translate(["Hello", "World"], source="en", target="es") == ["HELLO", "WORLD"]
    assert t.failures == {}
    assert mt.count() == 3 == t.requests and t.retries == 2
    assert len(sleeps) == 2
    assert 0.005 <= sleeps[0] <= 0.01 and 0.01 <= sleeps[1] <= 0.02  # backoff doubles, jittered


def test_retry_after_in_seconds_is_honoured_even_above_the_backoff_cap(mt: FakeMT) -> None:
    sleeps = Sleeps()
    mt.script(429, retry_after="90")
    t = engine(mt, sleep=sleeps)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert sleeps == [90.0]


def test_retry_after_as_an_http_date_is_honoured(mt: FakeMT) -> None:
    sleeps = Sleeps()
    mt.script(503, retry_after=email.utils.formatdate(time.time() + 30, usegmt=True))
    t = engine(mt, sleep=sleeps)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    (slept,) = sleeps
    assert 27 <= slept <= 31


def test_retry_after_beyond_reason_is_reported_not_slept(mt: FakeMT) -> None:
    sleeps = Sleeps()
    mt.script(429, retry_after="3600")
    t = engine(mt, sleep=sleeps)
    assert t.translate(["Hello"], source="en", target="es") == ["Hello"]
    assert sleeps == [] and mt.count() == 1
    assert t.failures[0] == (
        f"LibreTranslate at {mt.url} answered 429 Too Many Requests and asked to wait "
        "3600 s: scripted 429"
    )


def test_persistent_429_is_recorded_with_what_happened(mt: FakeMT) -> None:
    mt.script(429, times=None)
    t = engine(mt, max_retries=3)
    out = t.translate(["One", "Two", "Three"], source="en", target="es")
    assert out == ["One", "Two", "Three"]  # untranslated, not lost
    gave_up = f"LibreTranslate at {mt.url} answered 429 Too Many Requests after 4 tries"
    assert t.failures == {i: f"{gave_up}: scripted 429" for i in range(3)}
    assert mt.count() == 4  # one request, four tries


def test_other_4xx_is_not_retried(mt: FakeMT) -> None:
    mt.script(400)
    t = engine(mt)
    out = t.translate(["good", "bad one"], source="en", target="es")
    assert out == ["good", "bad one"]
    reason = f"LibreTranslate at {mt.url} answered 400 Bad Request: scripted 400"
    assert t.failures == {0: reason, 1: reason}
    assert mt.count() == 1


def test_slow_answer_times_out_then_retry_succeeds(mt: FakeMT) -> None:
    mt.script("slow")
    t = engine(mt)
    assert t.translate(["Hello", "World"], source="en", target="es") == ["HELLO", "WORLD"]
    assert mt.count() == 2 and t.retries == 1


def test_server_that_never_answers_in_time(mt: FakeMT) -> None:
    mt.script("slow", times=None)
    t = engine(mt, max_retries=1)
    assert t.translate(["Hello"], source="en", target="es") == ["Hello"]
    assert t.failures == {
        0: f"LibreTranslate at {mt.url} did not answer within 0.3 s after 2 tries"
    }


def test_dropped_connection_is_retried(mt: FakeMT) -> None:
    mt.script("reset")
    t = engine(mt)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert mt.count() == 2


@pytest.mark.parametrize("behaviour", ["garbage", "truncated"])
def test_a_reply_that_is_not_json_is_tried_again(mt: FakeMT, behaviour: str) -> None:
    mt.script(behaviour)
    t = engine(mt, api_key=KEY)
    assert t.translate(["Hello", "World"], source="en", target="es") == ["HELLO", "WORLD"]
    assert mt.count() == 2 and t.failures == {}


def test_a_reply_that_is_never_json_is_a_clear_failure(mt: FakeMT) -> None:
    mt.script("truncated", times=None)
    t = engine(mt, api_key=KEY, max_retries=1)
    assert t.translate(["Hello"], source="en", target="es") == ["Hello"]
    assert t.failures[0] == (
        f"LibreTranslate at {mt.url} answered 200 OK with a reply that is not JSON after 2 tries"
    )


def test_a_reply_without_translations_is_not_retried(mt: FakeMT) -> None:
    mt.script("shape")
    t = engine(mt, api_key=KEY)
    assert t.translate(["Hello", "World"], source="en", target="es") == ["Hello", "World"]
    reason = t.failures[0]
    assert reason == (
        f"LibreTranslate at {mt.url} answered 200 OK with a reply that has no translation in it"
    )
    assert KEY not in reason and mt.count() == 1


def test_connection_refused_fails_fast(mt: FakeMT) -> None:
    url = mt.url
    mt.stop()
    t = engine(mt, concurrency=2, api_key=KEY, sleep=time.sleep)  # real (0.01 s) backoff
    texts = [f"text {i}" for i in range(250)]  # three requests of at most 100
    assert t.translate(texts, source="en", target="es") == texts
    assert set(t.failures) == set(range(250))
    first = f"LibreTranslate at {url} refused the connection after 5 tries"
    assert first in t.failures.values()
    assert any(r == f"not tried: {first}" for r in t.failures.values())
    assert t.requests <= 5 + 5  # at most two requests in flight used their tries
    assert not any(KEY in r for r in t.failures.values())


def test_libre_key_only_in_the_json_body(mt: FakeMT) -> None:
    mt.libre_key = KEY
    t = engine(mt, api_key=KEY)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    seen = mt.seen[0]
    assert KEY not in seen.query and seen.headers["Content-Type"] == "application/json"
    body = json.loads(seen.body)
    assert body == {"q": ["Hello"], "source": "en", "target": "es", "format": "text",
                    "api_key": KEY}  # fmt: skip
    assert KEY not in repr(t) and KEY not in t.where


def test_rejected_key_raises_without_the_key(mt: FakeMT) -> None:
    mt.libre_key = "another-key"
    t = engine(mt, api_key=KEY)
    with pytest.raises(TranslateError) as info:
        t.translate(["Hello", "World", "Again"], source="en", target="es")
    message = str(info.value)
    assert message == f"LibreTranslate at {mt.url} rejected the API key (403 Forbidden)"
    assert KEY not in message and KEY not in repr(info.value.args)
    assert mt.count() == 1


def test_key_is_scrubbed_from_server_text(mt: FakeMT) -> None:
    mt.script(400, match="Hello")
    t = engine(mt, api_key="scripted")  # the server's error text contains the "key"
    t.translate(["Hello"], source="en", target="es")
    assert "scripted" not in t.failures[0] and "***" in t.failures[0]


def test_tokens_with_spaces_inside_are_read_back(mt: FakeMT) -> None:
    mt.script("spaces")
    t = engine(mt)
    assert t.translate(["a <1>b</1> <2/>"], source="en", target="es") == ["A <1>B</1> <2/>"]
    assert mt.count() == 1


def test_text_with_token_brackets_goes_piece_by_piece(mt: FakeMT) -> None:
    t = engine(mt)
    assert t.translate(["a ⟦b⟧ <1>c</1>"], source="en", target="es") == ["A ⟦B⟧ <1>C</1>"]
    assert mt.texts() == ["a ⟦b⟧", "c"]
    assert t.failures == {}


def test_mymemory_one_text_per_request_and_too_long_is_not_sent(mt: FakeMT) -> None:
    t = engine(mt, "mymemory")
    out = t.translate(["Hello <1>there</1>", "x" * 600, "Again"], source="en", target="zh-Hant")
    assert out == ["HELLO <1>THERE</1>", "x" * 600, "AGAIN"]
    assert t.failures == {
        1: f"MyMemory at {mt.url} cannot take this text (600 bytes; at most 500)"
    }
    assert [s.path for s in mt.seen] == ["/get", "/get"]
    assert all("langpair=en%7Czh-TW" in s.query for s in mt.seen)


def test_one_text_engines_are_bounded_in_flight() -> None:
    with serve(delay=0.05) as mt:
        t = engine(mt, "mymemory", concurrency=3)
        out = t.translate([f"text {i}" for i in range(12)], source="en", target="es")
        assert out == [f"TEXT {i}" for i in range(12)]
        assert 2 <= mt.max_in_flight <= 3
        assert mt.count() == 12 == t.requests


def test_microsoft_gets_html_and_key_in_header(mt: FakeMT) -> None:
    t = engine(mt, "microsoft", api_key=KEY, options={"region": "westeurope"})
    texts = ["Fish & <1>chips</1> <2/> a < b", "Plain"]
    assert t.translate(texts, source="en", target="pt-BR") == [
        "FISH & <1>CHIPS</1> <2/> A < B",
        "PLAIN",
    ]
    (seen,) = mt.seen
    assert seen.headers["Ocp-Apim-Subscription-Key"] == KEY
    assert seen.headers["Ocp-Apim-Subscription-Region"] == "westeurope"
    assert KEY not in seen.query and "textType=html" in seen.query and "to=pt" in seen.query
    assert json.loads(seen.body) == [
        {"Text": 'Fish &amp; <span id="p1">chips</span> '
                 '<span id="p2" class="notranslate"></span> a &lt; b'},
        {"Text": "Plain"},
    ]  # fmt: skip


def test_google_v2_key_in_header_html_and_arrays(mt: FakeMT) -> None:
    t = engine(mt, "google", api_key=KEY)
    texts = [f"Story {i} <1>here</1> & <2/> there" for i in range(130)]
    assert t.translate(texts, source="en", target="zh-Hans") == [fake_translate(x) for x in texts]
    assert sorted(len(json.loads(s.body)["q"]) for s in mt.seen) == [2, 128]  # 128 at most
    for seen in mt.seen:
        assert seen.path == "/language/translate/v2" and seen.headers["X-Goog-Api-Key"] == KEY
        assert KEY not in seen.query
        body = json.loads(seen.body)
        assert body["target"] == "zh-CN" and body["format"] == "html"


def test_google_rate_limit_403_is_retried_and_daily_quota_stops(mt: FakeMT) -> None:
    def google_403(reason: str) -> None:
        mt.script(403, reply={"code": 403, "message": reason, "errors": [{"reason": reason}]})

    t = engine(mt, "google", api_key=KEY)
    google_403("userRateLimitExceeded")
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert mt.count() == 2
    google_403("dailyLimitExceeded")
    with pytest.raises(TranslateError, match="daily quota is used up"):
        t.translate(["Hello"], source="en", target="es")
    google_403("forbidden")
    with pytest.raises(TranslateError, match="rejected the API key") as info:
        t.translate(["Hello"], source="en", target="es")
    assert KEY not in str(info.value)


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
    assert _language("papago", "ko") == "ko"
    assert _language("baidu", "ja") == "jp"
    assert _language("chatgpt", "pt-BR") == "Portuguese (Brazil)"


def test_configuration_errors() -> None:
    with pytest.raises(TranslateError, match="unknown machine-translation provider"):
        ProviderTranslator("babelfish")
    with pytest.raises(TranslateError, match="microsoft needs an API key"):
        ProviderTranslator("microsoft")
    with pytest.raises(TranslateError, match="google needs an API key"):
        ProviderTranslator("google")
    with pytest.raises(TranslateError, match="libre needs an API key"):
        ProviderTranslator("libre")
    with pytest.raises(TranslateError, match="ID:SECRET") as info:
        ProviderTranslator("papago", api_key="no-colon-secret")
    assert "no-colon-secret" not in str(info.value)
    assert set(PROVIDERS) == {
        "google", "mymemory", "libre", "microsoft", "yandex", "papago", "baidu", "qcri",
    }  # fmt: skip


def test_mymemory_errors_inside_ok_answers(mt: FakeMT) -> None:
    t = engine(mt, "mymemory")
    busy = {"responseData": {"translatedText": "busy"}, "responseStatus": 429}
    mt.script("reply", reply=busy)
    assert t.translate(["Hello"], source="en", target="es") == ["HELLO"]
    assert mt.count() == 2
    warning = "MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY"
    mt.script("reply", reply={"responseData": {"translatedText": warning}, "responseStatus": 200})
    with pytest.raises(TranslateError, match="free daily quota is used up"):
        t.translate(["Hello"], source="en", target="es")


def test_baidu_errors_inside_ok_answers(mt: FakeMT) -> None:
    t = engine(mt, "baidu", api_key="app:" + KEY)
    mt.script("reply", reply={"error_code": "54003", "error_msg": "Invalid Access Limit"})
    assert t.translate(["Hello"], source="en", target="zh") == ["HELLO"]
    mt.script("reply", reply={"error_code": "52003", "error_msg": "UNAUTHORIZED USER"})
    with pytest.raises(TranslateError, match="rejected the key") as info:
        t.translate(["Hello"], source="en", target="zh")
    assert KEY not in str(info.value)

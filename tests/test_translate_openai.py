"""The ``openai`` engine against an OpenAI-compatible chat server on 127.0.0.1: whole
articles per request, every item checked, and each way a server or model goes wrong."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result
from mt_server import Sleeps
from openai_server import FakeChat, serve_chat

from l10n.cli import cli
from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate import make_engine
from l10n.translate.article import ArticleEntry, ArticleResult
from l10n.translate.openai import OpenAITranslator

KEY = "sk-test-0123456789abcdef"
TITLE = "Rivers are warming"
TEXTS = [
    "Tang Lan of <1>Fudan University</1> says the river is warmer.",
    "Fish move <1>north</1> each <2>summer</2>.",
    "Farmers worry.",
    "The <1>Yangtze</1> floods less.<2/>",
]
TERMS = {0: (("Fudan University", "Universidad Fudan"),), 3: (("Yangtze", "Yangtze"),)}


@pytest.fixture
def chat() -> Iterator[FakeChat]:
    with serve_chat() as fake:
        yield fake


def entries(texts: list[str] = TEXTS) -> list[ArticleEntry]:
    return [
        ArticleEntry(id=str(n), text=t, terms=TERMS.get(n, ()) if texts is TEXTS else ())
        for n, t in enumerate(texts)
    ]


def engine(chat: FakeChat, sleeps: Sleeps | None = None, **options: object) -> OpenAITranslator:
    settings: dict[str, object] = {"backoff": 0.01, "timeout": 2.0, "max_retries": 3}
    settings.update(options)
    return OpenAITranslator(
        api_key=KEY, endpoint=chat.url, sleep=Sleeps() if sleeps is None else sleeps, **settings  # type: ignore[arg-type]
    )


def run(chat: FakeChat, texts: list[str] = TEXTS, **options: object) -> ArticleResult:
    with engine(chat, **options) as t:
        return t.translate_article(entries(texts), title=TITLE, source="en", target="es")


def expected(n: int) -> str:
    return {
        0: "TANG LAN OF <1>Universidad Fudan</1> SAYS THE RIVER IS WARMER.",
        1: "FISH MOVE <1>NORTH</1> EACH <2>SUMMER</2>.",
        2: "FARMERS WORRY.",
        3: "THE <1>Yangtze</1> FLOODS LESS.<2/>",
    }[n]


# -- the article in one request --------------------------------------------------------


def test_small_article_is_one_request_in_document_order_with_title_terms_and_tags(
    chat: FakeChat,
) -> None:
    result = run(chat)
    assert result.texts == tuple(expected(n) for n in range(4))
    assert result.failures == {}
    assert chat.count() == 1 and result.requests == 1
    asked = chat.asked[0]
    assert TITLE in asked.system and "Spanish" in asked.system and "English" in asked.system
    sent = asked.entries
    assert [e["text"] for e in sent] == TEXTS  # the msgids themselves, in order
    assert sent[0]["terms"] == [{"source": "Fudan University", "target": "Universidad Fudan"}]
    assert sent[3]["keep"] == ["Yangtze"] and sent[3]["tags"] == ["<1>", "</1>", "<2/>"]
    assert asked.body["response_format"]["type"] == "json_schema"
    assert asked.body["response_format"]["json_schema"]["strict"] is True
    assert asked.headers["Authorization"] == f"Bearer {KEY}"
    assert (result.prompt_tokens, result.completion_tokens) == chat.usage[0]


def test_reordered_items_land_on_their_own_entries(chat: FakeChat) -> None:
    chat.script("reorder")
    result = run(chat)
    assert result.texts == tuple(expected(n) for n in range(4))
    assert chat.count() == 1


def test_fenced_json_is_read(chat: FakeChat) -> None:
    chat.script("fence")
    assert run(chat).texts == tuple(expected(n) for n in range(4))
    assert chat.count() == 1


def test_extra_item_is_ignored(chat: FakeChat) -> None:
    chat.script("extra")
    result = run(chat)
    assert result.texts == tuple(expected(n) for n in range(4)) and result.failures == {}
    assert chat.count() == 1


def test_missing_item_is_asked_again_alone(chat: FakeChat) -> None:
    chat.script("drop", match="Farmers")
    result = run(chat)
    assert result.texts == tuple(expected(n) for n in range(4)) and result.failures == {}
    assert chat.count() == 2
    assert [e["text"] for e in chat.asked[1].entries] == ["Farmers worry."]


def test_damaged_placeholders_are_retried_alone_then_left_with_the_reason(
    chat: FakeChat,
) -> None:
    chat.script("damage", match="Fish", times=2)
    result = run(chat)
    assert result.texts[1] == "" and set(result.failures) == {1}
    assert "placeholders damaged" in result.failures[1] and "missing <1>" in result.failures[1]
    assert [result.texts[n] for n in (0, 2, 3)] == [expected(n) for n in (0, 2, 3)]
    assert chat.count() == 2
    assert [e["text"] for e in chat.asked[1].entries] == [TEXTS[1]]


def test_missing_glossary_term_is_retried_alone_then_left_with_the_reason(
    chat: FakeChat,
) -> None:
    chat.script("ignore_terms", match="Fudan", times=2)
    result = run(chat)
    assert result.texts[0] == ""
    assert "glossary term missing (Fudan University → Universidad Fudan)" in result.failures[0]
    assert set(result.failures) == {0} and chat.count() == 2


def test_malformed_json_is_asked_again_in_halves(chat: FakeChat) -> None:
    chat.script("garbage")
    result = run(chat)
    assert result.texts == tuple(expected(n) for n in range(4)) and result.failures == {}
    assert [len(a.entries) for a in chat.asked] == [4, 2, 2]


def test_answer_cut_off_at_the_token_limit_is_split_never_inside_an_entry() -> None:
    with serve_chat(max_items=1) as chat:
        result = run(chat)
        assert result.texts == tuple(expected(n) for n in range(4)) and result.failures == {}
        assert [len(a.entries) for a in chat.asked] == [4, 2, 1, 1, 2, 1, 1]
        # Every entry travels whole.
        assert {e["text"] for a in chat.asked for e in a.entries} == set(TEXTS)


def test_entry_cut_off_even_alone_is_left_with_the_reason() -> None:
    with serve_chat(max_items=0) as chat:
        result = run(chat, ["One.", "Two."])
    assert result.texts == ("", "")
    assert all("stopped at its token limit" in why for why in result.failures.values())


def test_context_budget_cuts_the_article_at_entry_boundaries(chat: FakeChat) -> None:
    texts = [f"Paragraph {n} says something long enough to count. " * 3 for n in range(12)]
    result = run(chat, texts, context_tokens=900)
    assert result.failures == {} and all(result.texts)
    sizes = [len(a.entries) for a in chat.asked]
    assert len(sizes) > 1 and sum(sizes) == 12
    assert [e["text"] for a in chat.asked for e in a.entries] == texts  # document order


# -- the server misbehaves -----------------------------------------------------------


def test_429_waits_at_least_what_retry_after_asks(chat: FakeChat) -> None:
    chat.script(429, retry_after="3")
    sleeps = Sleeps()
    with engine(chat, sleeps) as t:
        result = t.translate_article(entries(), title=TITLE, source="en", target="es")
    assert result.failures == {} and chat.count() == 2
    assert len(sleeps) == 1 and sleeps[0] >= 3


def test_429_with_retry_after_as_an_http_date_waits_until_then(chat: FakeChat) -> None:
    # Parsed by http.retry_after_seconds, as for every other engine.
    chat.script(429, retry_after=email.utils.formatdate(time.time() + 30, usegmt=True))
    sleeps = Sleeps()
    with engine(chat, sleeps) as t:
        result = t.translate_article(entries(), title=TITLE, source="en", target="es")
    assert result.failures == {} and chat.count() == 2
    assert len(sleeps) == 1 and 28 <= sleeps[0] <= 30


def test_500_then_success(chat: FakeChat) -> None:
    chat.script(500, times=2)
    sleeps = Sleeps()
    with engine(chat, sleeps) as t:
        result = t.translate_article(entries(), title=TITLE, source="en", target="es")
    assert result.failures == {} and chat.count() == 3 and len(sleeps) == 2
    assert result.requests == 3


def test_500_for_good_leaves_every_entry_with_the_reason(chat: FakeChat) -> None:
    chat.script(500, times=100)
    result = run(chat, max_retries=2)
    assert result.texts == ("",) * 4
    assert all("500 Internal Server Error after 3 tries" in w for w in result.failures.values())


def test_json_schema_rejected_falls_back_to_json_mode_for_the_rest_of_the_run() -> None:
    with serve_chat(reject_schema=True) as chat, engine(chat) as t:
        first = t.translate_article(entries(), title=TITLE, source="en", target="es")
        second = t.translate(["Again."], source="en", target="es")
        kinds = [(a.body.get("response_format") or {}).get("type") for a in chat.asked]
    assert first.failures == {} and second == ["AGAIN."]
    assert kinds == ["json_schema", "json_object", "json_object"]


def test_server_killed_halfway_keeps_what_came_back_and_stops_asking() -> None:
    texts = [f"Paragraph {n} says something long enough to count. " * 3 for n in range(12)]
    with serve_chat(die_after=1) as chat:
        result = run(chat, texts, context_tokens=900)
    done = [t for t in result.texts if t]
    assert 0 < len(done) < 12
    assert set(result.failures) == {i for i, t in enumerate(result.texts) if not t}
    reasons = set(result.failures.values())
    assert any("refused the connection" in r for r in reasons)
    assert any(r.startswith("not tried:") for r in reasons)


def test_server_error_that_echoes_the_key_is_scrubbed(chat: FakeChat) -> None:
    chat.script("echo", times=100)
    result = run(chat, max_retries=1)
    assert result.failures and all(KEY not in w for w in result.failures.values())
    assert any("***" in w for w in result.failures.values())


def test_rejected_key_stops_the_run_without_showing_the_key(chat: FakeChat) -> None:
    chat.script(401)
    with pytest.raises(TranslateError, match="rejected the API key") as info:
        run(chat)
    assert KEY not in str(info.value)


# -- endpoints and keys ----------------------------------------------------------------


def test_azure_endpoint_keeps_its_api_version_and_sends_an_api_key_header(
    chat: FakeChat,
) -> None:
    url = chat.url + "?api-version=2024-10-21"
    with OpenAITranslator(api_key=KEY, endpoint=url, model="my-deployment") as t:
        assert t.translate(["Hello."], source="en", target="es") == ["HELLO."]
    asked = chat.asked[0]
    assert asked.query == "api-version=2024-10-21"
    assert asked.headers["api-key"] == KEY and "Authorization" not in asked.headers
    assert asked.body["model"] == "my-deployment"
    assert KEY not in t.where and "api-version" not in t.where


def test_local_server_needs_no_key(chat: FakeChat) -> None:
    with OpenAITranslator(endpoint=chat.url, model="llama3") as t:
        assert t.translate(["Hello."], source="en", target="es") == ["HELLO."]
    assert "Authorization" not in chat.asked[0].headers


def test_openai_itself_needs_a_key_named_by_its_variable() -> None:
    with pytest.raises(TranslateError, match="OPENAI_API_KEY"):
        make_engine("openai", environ={})


def test_chatgpt_is_the_same_engine() -> None:
    engine = make_engine("chatgpt", environ={"OPENAI_API_KEY": KEY})
    assert isinstance(engine, OpenAITranslator)


def test_dry_run_estimate_needs_no_server() -> None:
    t = OpenAITranslator(api_key=KEY, endpoint="http://127.0.0.1:9/v1")
    tokens = t.estimate_article(entries(), title=TITLE, source="en", target="es")
    assert tokens > sum(len(text) for text in TEXTS) // 4


# -- through the CLI -------------------------------------------------------------------

PARAGRAPHS = [
    f"<p>Paragraph {n} quotes <a href='/r{n}'>a researcher at Fudan University</a>.</p>"
    for n in range(6)
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es"]\n[translate]\nengine = "openai"\nmodel = "test-model"\n'
        "timeout = 2\nbackoff = 0.01\nretries = 3\nprice_per_million = 0.6\n",
        encoding="utf-8",
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text(
        "<html><head><title>Rivers are warming</title></head><body>"
        + "".join(PARAGRAPHS)
        + "</body></html>",
        encoding="utf-8",
    )
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "g.csv").write_text(
        "en,es\nFudan University,Universidad Fudan\n", encoding="utf-8"
    )
    assert CliRunner().invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    return tmp_path


def translate(project: Path, chat: FakeChat, *extra: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["-C", str(project), "translate", "--lang", "es", "--endpoint", chat.url, *extra],
        env={"OPENAI_API_KEY": KEY},
    )


def po(project: Path, name: str = "a") -> list[polib.POEntry]:
    path = project / "locales" / "es" / f"{name}.po"
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def test_cli_translates_the_article_in_one_request_and_a_rerun_sends_nothing(
    project: Path, chat: FakeChat
) -> None:
    result = translate(project, chat)
    assert result.exit_code == 0, result.output
    filled = po(project)
    assert len(filled) == 7 and chat.count() == 1
    for entry in filled:
        assert entry.fuzzy and "machine translation: openai" in entry.tcomment
        assert ph.problems(entry.msgid, entry.msgstr) == []
    assert all("Universidad Fudan" in e.msgstr for e in filled[1:])
    assert chat.asked[0].body["model"] == "test-model"
    assert "Rivers are warming" in chat.asked[0].system
    prompt, completion = chat.usage[0]
    assert f"{prompt + completion} tokens ({prompt} prompt, {completion} completion)" in (
        result.output
    )
    assert translate(project, chat).exit_code == 0 and chat.count() == 1
    # Another article repeating a paragraph: only the new text is sent.
    (project / "articles" / "b.html").write_text(
        PARAGRAPHS[2] + "<p>Brand new text.</p>", encoding="utf-8"
    )
    CliRunner().invoke(cli, ["-C", str(project), "extract"])
    third = translate(project, chat)
    assert third.exit_code == 0, third.output
    assert chat.count() == 2 and [e["text"] for e in chat.asked[1].entries] == [
        "Brand new text."
    ]
    assert "1 from cache" in third.output


def test_cli_dry_run_estimates_tokens_and_cost_and_sends_nothing(
    project: Path, chat: FakeChat
) -> None:
    result = translate(project, chat, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "es: 7 segments" in result.output and "to openai, about " in result.output
    tokens = int(result.output.split("about ")[1].split(" tokens")[0])
    assert f"cost about {tokens * 0.6 / 1e6:.4f}" in result.output
    assert chat.count() == 0


def test_cli_honours_retry_after(project: Path, chat: FakeChat) -> None:
    chat.script(429, retry_after="1")
    start = time.monotonic()
    result = translate(project, chat)
    assert result.exit_code == 0, result.output
    assert time.monotonic() - start >= 1.0
    assert chat.count() == 2 and all(e.msgstr for e in po(project))


def test_cli_failed_entry_is_left_untranslated_with_the_reason(
    project: Path, chat: FakeChat
) -> None:
    chat.script("damage", match="Paragraph 3", times=2)
    before = {e.msgid: (e.tcomment, e.flags) for e in po(project)}
    result = translate(project, chat)
    assert result.exit_code == 1, result.output  # honest: an entry is left
    left = [e for e in po(project) if not e.msgstr]
    assert [e.msgid[:11] for e in left] == ["Paragraph 3"]
    assert (left[0].tcomment, left[0].flags) == before[left[0].msgid]  # untouched
    assert "1 failed" in result.output
    (summary,) = [line for line in result.stderr.splitlines() if "not translated" in line]
    assert summary.startswith("l10n: es: 1 entries not translated by openai (")
    assert "placeholders damaged" in summary


def test_cli_server_killed_halfway_then_a_rerun_completes(project: Path) -> None:
    (project / "articles" / "b.html").write_text("<p>Second article.</p>", encoding="utf-8")
    (project / "articles" / "c.html").write_text("<p>Third article.</p>", encoding="utf-8")
    CliRunner().invoke(cli, ["-C", str(project), "extract"])
    with serve_chat(die_after=1) as dying:
        first = translate(project, dying)
    assert first.exit_code == 1, first.output
    assert "failed" in first.output
    done = {n: [e.msgstr for e in po(project, n)] for n in "abc"}
    assert any(all(v) for v in done.values()) and not all(all(v) for v in done.values())
    with serve_chat() as fresh:
        second = translate(project, fresh)
        assert second.exit_code == 0, second.output
    for name, before in done.items():
        after = [e.msgstr for e in po(project, name)]
        assert all(after)
        assert [a for a, b in zip(after, before, strict=True) if b] == [b for b in before if b]


def test_cli_never_shows_the_key(project: Path, chat: FakeChat) -> None:
    chat.script("echo", times=100)
    result = translate(project, chat)
    assert KEY not in result.output
    for path in project.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    assert "***" in result.stderr  # the reason, scrubbed, in the summary line


def test_cli_chatgpt_engine_is_the_article_engine(project: Path, chat: FakeChat) -> None:
    result = translate(project, chat, "--engine", "chatgpt")
    assert result.exit_code == 0, result.output
    assert chat.count() == 1 and len(chat.asked[0].entries) == 7

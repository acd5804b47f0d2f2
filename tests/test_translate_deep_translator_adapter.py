"""``google-web``: deep-translator's GoogleTranslator through its public API, its fixed
address reached through a loopback proxy (tests/proxy_server.py) that answers as the
page does, inside a TLS tunnel with a certificate made here: nothing leaves 127.0.0.1."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from deep_translator import GoogleTranslator
from mt_server import fake_translate
from proxy_server import Proxy, make_certificate, serve_proxy

from l10n.cli import cli
from l10n.errors import TranslateError
from l10n.translate.deep_translator_adapter import DeepTranslatorEngine
from l10n.translate.registry import make_engine

HOST = "translate.google.com"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"), HOST)


@pytest.fixture
def proxy(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    cert, key = certificate
    with serve_proxy(cert, key) as running:
        for name in ("HTTPS_PROXY", "HTTP_PROXY"):
            monkeypatch.setenv(name, running.url)
            monkeypatch.setenv(name.lower(), running.url)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.setenv(name, "")
        for name in ("ALL_PROXY", "all_proxy", "CURL_CA_BUNDLE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))
        yield running


def engine(
    *, timeout: float = 5.0, retries: int = 2, sleeps: list[float] | None = None
) -> DeepTranslatorEngine:
    waits = sleeps if sleeps is not None else []
    return DeepTranslatorEngine(
        "google-web", timeout=timeout, max_retries=retries, backoff=0.01, sleep=waits.append
    )


def page_requests(proxy: Proxy) -> list[str]:
    urls = [seen.url for seen in proxy.gets()]
    assert all(url.startswith(f"https://{HOST}/m?") for url in urls), urls
    return urls


def test_translates_through_the_proxy_with_placeholders_intact(proxy: Proxy) -> None:
    mt = engine()
    texts = ["Hello <1>world</1>.", "  <2/> ", " Read <2/> more "]
    result = mt.translate(texts, source="en", target="es")
    assert result == ["HELLO <1>WORLD</1>.", "  <2/> ", " READ <2/> MORE "]
    assert mt.failures == {}
    urls = page_requests(proxy)
    assert len(urls) == 2  # nothing sent for a text with nothing to translate
    assert f"tl={mt.language('es')}" in urls[0] and f"sl={mt.language('en')}" in urls[0]
    assert [s.url for s in proxy.seen if s.method == "CONNECT"] == [f"{HOST}:443"] * 2
    assert "via proxy " + proxy.url in mt.describe()


def test_damaged_placeholders_are_translated_piece_by_piece(proxy: Proxy) -> None:
    proxy.script("mangle")
    mt = engine()
    assert mt.translate(["Say <1>hi</1> now"], source="en", target="es") == ["SAY <1>HI</1> NOW"]
    assert mt.failures == {}
    assert len(page_requests(proxy)) == 4  # the whole text, then its three pieces


def test_429_is_retried_with_backoff_then_succeeds(proxy: Proxy) -> None:
    proxy.script("429", "429")
    sleeps: list[float] = []
    mt = engine(retries=2, sleeps=sleeps)
    assert mt.translate(["Good morning"], source="en", target="fr") == ["GOOD MORNING"]
    assert mt.failures == {}
    assert len(sleeps) == 2 and sleeps[1] >= sleeps[0] / 2 > 0
    assert len(page_requests(proxy)) == 3


def test_429_for_good_fails_every_entry_and_stops_asking(proxy: Proxy) -> None:
    proxy.script(*["429"] * 10)
    mt = engine(retries=1)
    texts = ["One", "Two", "Three"]
    assert mt.translate(texts, source="en", target="es") == texts
    assert "429" in mt.failures[0] and "after 2 tries" in mt.failures[0]
    assert mt.failures[1].startswith("not tried: ") and "429" in mt.failures[1]
    assert set(mt.failures) == {0, 1, 2}
    assert len(page_requests(proxy)) == 2


def test_a_server_that_never_answers_is_no_answer_within_the_timeout(proxy: Proxy) -> None:
    proxy.script("hang")
    mt = engine(timeout=0.5)
    started = time.monotonic()
    assert mt.translate(["One", "Two"], source="en", target="es") == ["One", "Two"]
    assert time.monotonic() - started < 3
    assert mt.failures[0] == "Google Translate's web page gave no answer in 0.5 s"
    assert mt.failures[1] == "not tried: Google Translate's web page gave no answer in 0.5 s"
    assert len(page_requests(proxy)) == 1


def test_a_page_without_a_translation_is_a_failure_with_a_reason(proxy: Proxy) -> None:
    proxy.script("garbage")
    mt = engine()
    assert mt.translate(["One", "Two"], source="en", target="es") == ["One", "TWO"]
    assert mt.failures == {
        0: "Google Translate's web page answered with a page that has no translation in it"
    }


def test_an_unsupported_language_is_an_error_before_anything_is_sent(proxy: Proxy) -> None:
    mt = engine()
    # "qaa" is reserved for local use: no list has it.
    assert mt.gap("en", "qaa") is not None and "'qaa'" in (mt.gap("en", "qaa") or "")
    with pytest.raises(TranslateError, match="'qaa'"):
        mt.translate(["Hello"], source="en", target="qaa")
    assert proxy.seen == []


def test_tags_map_to_deep_translators_own_codes() -> None:
    mt = engine()
    listed = GoogleTranslator().get_supported_languages(as_dict=True)
    for code in listed.values():
        assert mt.language(code) == code
    # By name where Google's code is not the BCP 47 one, and Chinese by script or region.
    assert mt.language("he") == listed["hebrew"]
    assert mt.language("pt_BR") == listed["portuguese"]
    assert mt.language("zh-Hant-TW") == listed["chinese (traditional)"]
    assert mt.language("zh") == listed["chinese (simplified)"]
    assert mt.language("qaa") is None


def test_no_endpoint_is_taken() -> None:
    with pytest.raises(TranslateError, match="takes no endpoint"):
        make_engine("google-web", endpoint="http://127.0.0.1:9/")


# -- through the CLI -----------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es"]\n[translate]\nengine = "google-web"\n'
        "timeout = 5\nretries = 1\nbackoff = 0\n",
        encoding="utf-8",
    )
    (tmp_path / "articles").mkdir()
    paragraphs = "".join(f"<p>Paragraph {n} has <em>words</em>.</p>" for n in range(3))
    (tmp_path / "articles" / "a.html").write_text(
        f"<html><body>{paragraphs}</body></html>", encoding="utf-8"
    )
    assert CliRunner().invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    return tmp_path


def git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(project), *args], check=True, capture_output=True, text=True
    )
    return done.stdout


def test_cli_translates_with_google_web(project: Path, proxy: Proxy) -> None:
    result = CliRunner().invoke(cli, ["-C", str(project), "translate", "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert "engine: Google Translate's web page (google-web" in result.output
    po = polib.pofile(str(project / "locales" / "es" / "a.po"))
    assert {e.msgstr for e in po} == {fake_translate(e.msgid) for e in po}
    assert len(page_requests(proxy)) == 3


def test_cli_429_for_good_exits_1_and_leaves_every_tracked_file_untouched(
    project: Path, proxy: Proxy
) -> None:
    (project / ".gitignore").write_text(".l10n/\n", encoding="utf-8")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "extracted")
    proxy.script(*["429"] * 10)
    result = CliRunner().invoke(
        cli, ["-C", str(project), "translate", "--engine", "google-web", "--lang", "es"]
    )
    assert result.exit_code == 1, result.output
    assert "3 entries not translated by google-web" in result.stderr
    assert "429" in result.stderr
    assert git(project, "status", "--porcelain") == ""
    # Two tries for the first entry, the rest not tried; the same once more at the end
    # of the batch (the run's second pass over failed entries).
    assert len(page_requests(proxy)) == 4


def test_a_proxy_that_refuses_fails_the_entries_with_a_reason(proxy: Proxy) -> None:
    closed = proxy.url.rsplit(":", 1)[0] + ":9"  # the discard port: nothing listens
    mt = DeepTranslatorEngine("google-web", proxies={"https": closed}, max_retries=0)
    assert mt.translate(["One", "Two"], source="en", target="es") == ["One", "Two"]
    assert mt.failures[0].startswith("Google Translate's web page refused the connection")
    assert mt.failures[1].startswith("not tried: ")
    assert proxy.seen == []

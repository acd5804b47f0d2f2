"""`l10n translate` against servers on 127.0.0.1 speaking each engine's API: the real
code path, one request per batch, retries, the cache, a server that dies halfway, and
DeepL glossaries."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result
from mt_server import FakeMT, serve, wait_until

from l10n import cli_progress
from l10n.cli import cli
from l10n.html import placeholders as ph

PARAGRAPHS = [
    f"<p>Paragraph {n} quotes <a href='/r{n}'>researcher {n}</a> at <em>length</em>.</p>"
    for n in range(12)
]


@pytest.fixture
def mt() -> Iterator[FakeMT]:
    with serve() as fake:
        yield fake


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es"]\n[translate]\nengine = "libre"\nbatch_size = 3\n'
        "timeout = 2\nbackoff = 0.01\nretries = 4\nconcurrency = 2\n",
        encoding="utf-8",
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text(
        "<html><body>" + "".join(PARAGRAPHS) + "</body></html>", encoding="utf-8"
    )
    assert CliRunner().invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    return tmp_path


def translate(project: Path, mt: FakeMT, *extra: str) -> Result:
    return CliRunner().invoke(
        cli, ["-C", str(project), "translate", "--lang", "es", "--endpoint", mt.url, *extra]
    )


def entries(project: Path, name: str = "a") -> list[polib.POEntry]:
    return [
        e for e in polib.pofile(str(project / "locales" / "es" / f"{name}.po")) if not e.obsolete
    ]


def test_fills_everything_fuzzy_with_placeholders_and_never_pays_twice(
    project: Path, mt: FakeMT
) -> None:
    result = translate(project, mt)
    assert result.exit_code == 0, result.output
    filled = entries(project)
    assert len(filled) == 12
    for entry in filled:
        assert entry.msgstr and entry.fuzzy, entry
        assert ph.problems(entry.msgid, entry.msgstr) == []
        assert "machine translation: libre" in entry.tcomment
    assert "PARAGRAPH 0 QUOTES <1>RESEARCHER 0</1> AT <2>LENGTH</2>." in {e.msgstr for e in filled}
    sent = mt.count()
    assert sent == 4  # 12 entries in batches of 3, one request each
    again = translate(project, mt)
    assert again.exit_code == 0 and mt.count() == sent
    # Another article with a paragraph already translated: served from the cache.
    (project / "articles" / "b.html").write_text(
        PARAGRAPHS[3] + "<p>Brand new text.</p>", encoding="utf-8"
    )
    CliRunner().invoke(cli, ["-C", str(project), "extract"])
    third = translate(project, mt)
    assert third.exit_code == 0, third.output
    assert mt.count() == sent + 1
    assert mt.texts()[-1] == "Brand new text."
    assert "1 from cache" in third.output


def test_survives_429_and_500(project: Path, mt: FakeMT) -> None:
    mt.script(429, times=3)
    mt.script(500, times=2, match="Paragraph 7")
    result = translate(project, mt)
    assert result.exit_code == 0, result.output
    assert all(e.msgstr for e in entries(project))
    assert "0 failed" in result.output


def test_server_killed_halfway_loses_nothing_and_a_rerun_completes(project: Path) -> None:
    with serve() as dying:
        dying.script("die", match="Paragraph 6 ")  # the third batch's request
        first = translate(project, dying)
    assert first.exit_code == 1, first.output  # honest: not everything was translated
    done = {e.msgid: e.msgstr for e in entries(project) if e.msgstr}
    assert 0 < len(done) < 12
    (summary,) = [line for line in first.stderr.splitlines() if "not translated" in line]
    assert summary.startswith(f"l10n: es: {12 - len(done)} entries not translated by libre (")
    assert "refused the connection" in summary
    assert summary.endswith("run l10n translate again to continue where it stopped")
    with serve() as fresh:
        second = translate(project, fresh)
        assert second.exit_code == 0, second.output
        after = entries(project)
        assert all(e.msgstr for e in after)
        # What the first run wrote is still there, and was not sent again.
        assert {e.msgid: e.msgstr for e in after if e.msgid in done} == done
        assert fresh.count() <= 12 - len(done)
        assert fresh.count() == 2  # the two batches left


def test_dry_run_sends_nothing(project: Path, mt: FakeMT) -> None:
    result = translate(project, mt, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "es: 12 segments" in result.output and "to libre" in result.output
    assert mt.count() == 0


def test_server_that_reads_only_json_bodies(project: Path) -> None:
    with serve(json_only=True) as strict:
        result = translate(project, strict)
        assert result.exit_code == 0, result.output
        assert all(e.msgstr for e in entries(project))
        assert all("json" in s.headers.get("Content-Type", "") for s in strict.seen)


def test_ctrl_c_exits_130_keeps_finished_batches_and_says_so(project: Path) -> None:
    # A real SIGINT to a real process: the workers, click and the PO writer all see it.
    with serve(delay=1.0) as slow:
        run = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "l10n",
                "-C",
                str(project),
                "translate",
                "--lang",
                "es",
                "--endpoint",
                slow.url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert wait_until(lambda: slow.count() >= 3, timeout=30)  # third batch in flight
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=30)
    assert run.returncode == 130, err
    assert "Traceback" not in err and "Aborted" not in err
    assert "interrupted" in err and "saved" in err and "l10n translate again" in err
    assert "(es: " in err and " entries in 0 of 1 articles)" in err
    assert "continue where it stopped" in err
    done = [e for e in entries(project) if e.msgstr]
    assert 0 < len(done) < 12
    assert all(ph.problems(e.msgid, e.msgstr) == [] for e in done)


def _one_paragraph(tmp_path: Path, settings: str) -> Path:
    (tmp_path / "l10n.toml").write_text(
        f'languages = ["es"]\n[translate]\nengine = "libre"\ntimeout = 2\n{settings}',
        encoding="utf-8",
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text("<p>Only paragraph.</p>", encoding="utf-8")
    assert CliRunner().invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    return tmp_path


def test_retries_zero_means_one_request(tmp_path: Path, mt: FakeMT) -> None:
    project = _one_paragraph(tmp_path, "retries = 0\nbackoff = 0.01\n")
    mt.script(500, times=1)
    result = translate(project, mt)
    assert result.exit_code == 1, result.output
    assert mt.count() == 1  # the 500 is not retried, nor asked again
    assert "1 failed" in result.output
    assert not entries(project)[0].msgstr


def test_backoff_zero_retries_without_waiting(tmp_path: Path, mt: FakeMT) -> None:
    project = _one_paragraph(tmp_path, "retries = 4\nbackoff = 0\n")
    mt.script(500, times=4)
    started = time.monotonic()
    result = translate(project, mt)
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert mt.count() == 5 and entries(project)[0].msgstr == "ONLY PARAGRAPH."
    # Any backoff above 0 waits at least backoff·(1 + 2 + 4 + 8)/2 before the fifth try:
    # 3.75 s for the old stand-in of 0.5.
    assert elapsed < 2.0


def test_says_which_engine_it_uses(project: Path, mt: FakeMT) -> None:
    result = translate(project, mt, "--dry-run")
    assert result.stdout.splitlines()[0] == f"engine: LibreTranslate at {mt.url}, from l10n.toml"


def test_a_flaky_server_that_recovers_leaves_nothing_empty(tmp_path: Path, mt: FakeMT) -> None:
    # One request at a time, so the first text meets every error: 5 tries are not enough
    # for it alone, and it is asked once more after its batch.
    project = _one_paragraph(tmp_path, "retries = 4\nbackoff = 0.01\nconcurrency = 1\n")
    (project / "articles" / "a.html").write_text(
        "".join(f"<p>Paragraph {n} is <b>here</b>.</p>" for n in range(6)), encoding="utf-8"
    )
    assert CliRunner().invoke(cli, ["-C", str(project), "extract"]).exit_code == 0
    mt.script(429, times=3, retry_after="0")
    mt.script(500, times=4)
    result = translate(project, mt)
    assert result.exit_code == 0, result.output
    assert all(e.msgstr and ph.problems(e.msgid, e.msgstr) == [] for e in entries(project))
    assert "0 failed" in result.output


def test_a_failing_engine_changes_no_existing_entry(project: Path, mt: FakeMT) -> None:
    # Drafts of another engine, and an entry left empty with its own comment.
    assert translate(project, mt).exit_code == 0
    po = polib.pofile(str(project / "locales" / "es" / "a.po"))
    for entry in po:
        entry.tcomment = "machine translation: apertium"
    po[0].msgstr = ""
    po[0].flags = []
    po[0].tcomment = "a translator's note"
    po.save()
    before = (project / "locales" / "es" / "a.po").read_bytes()
    (project / ".l10n" / "cache.sqlite3").unlink()  # nothing to serve from the cache
    mt.stop()  # no network
    result = translate(project, mt, "--refresh-fuzzy")
    assert result.exit_code == 1, result.output
    assert (project / "locales" / "es" / "a.po").read_bytes() == before
    assert "l10n: es: 12 entries not translated by libre (" in result.stderr


def test_progress_lines_in_a_log_at_least_every_interval(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_progress, "INTERVAL", 0.2)
    with serve(delay=0.25) as slow:
        result = translate(project, slow)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("l10n: es: ")]
    assert len(lines) >= 3, result.stderr  # about 1 s of work
    shape = r"l10n: es: [01]/1 articles, \d+ entries, [\d,]+ characters, \d+%.*"
    assert all(re.fullmatch(shape, line) for line in lines), lines


def test_control_characters_from_the_engine_are_flagged_and_not_published(
    tmp_path: Path, mt: FakeMT
) -> None:
    project = _one_paragraph(tmp_path, "retries = 0\n")
    mt.script("reply", reply={"translatedText": ["S\x1b[2Jólo\x00 párrafo\x07."]})
    assert translate(project, mt).exit_code == 0
    assert entries(project)[0].msgstr == "S\x1b[2Jólo\x00 párrafo\x07."  # a fuzzy draft
    runner = CliRunner()
    check = runner.invoke(cli, ["-C", str(project), "check", "--include-fuzzy"])
    assert check.exit_code == 1
    assert "PH004: control characters U+0000, U+0007, U+001B" in check.output
    publish = ["-C", str(project), "publish", "--allow-fuzzy", "--ignore-check"]
    assert runner.invoke(cli, publish).exit_code == 0
    page = (project / "public" / "es" / "a.html").read_text(encoding="utf-8")
    assert "<p>S[2Jólo párrafo.</p>" in page


ENGINE_KEYS = {
    "libre": ("LIBRETRANSLATE_API_KEY", "/translate"),
    "microsoft": ("MICROSOFT_TRANSLATOR_KEY", "/translate"),
    "google": ("GOOGLE_TRANSLATE_API_KEY", "/language/translate/v2"),
    "deepl": ("DEEPL_AUTH_KEY", "/v2/translate"),
}


@pytest.mark.parametrize("name", sorted(ENGINE_KEYS))
def test_each_batched_engine_one_request_per_batch(project: Path, mt: FakeMT, name: str) -> None:
    variable, path = ENGINE_KEYS[name]
    mt.script(429, times=1, retry_after="0")
    result = CliRunner(env={variable: "k-123"}).invoke(
        cli,
        ["-C", str(project), "translate", "--lang", "es", "--engine", name,
         "--endpoint", mt.url],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    filled = entries(project)
    assert all(e.msgstr and ph.problems(e.msgid, e.msgstr) == [] for e in filled)
    assert f"machine translation: {name}" in filled[0].tcomment
    assert mt.count(path) == mt.count() == 4 + 1  # four batches of three, one retry
    assert all(b"k-123" not in s.query.encode() for s in mt.seen)


def _glossary_project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es", "ar"]\n[translate]\nengine = "deepl"\ntimeout = 2\n'
        "backoff = 0.01\n",
        encoding="utf-8",
    )
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "terms.csv").write_text(
        "en,es,ar\nFudan University,Universidad Fudan,جامعة فودان\n", encoding="utf-8"
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text(
        "<p>Fudan University said so.</p>", encoding="utf-8"
    )
    assert CliRunner().invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    return tmp_path


def test_deepl_glossary_made_once_reused_and_sent(tmp_path: Path) -> None:
    project = _glossary_project(tmp_path)
    key = "k-123:fx"

    def run() -> Result:
        return CliRunner(env={"DEEPL_AUTH_KEY": key}).invoke(
            cli, ["-C", str(project), "translate", "--endpoint", mt.url]
        )

    with serve(deepl_key=key) as mt:
        first = run()
        assert first.exit_code == 0, first.output
        sent = [json.loads(s.body) for s in mt.seen if s.path == "/v2/translate"]
        by_target = {b["target_lang"]: b for b in sent}
        # es: DeepL has glossaries for en→es: the term goes as it is, with the glossary
        assert by_target["ES"]["text"] == ["Fudan University said so."]
        assert by_target["ES"]["glossary_id"] == "gls-1"
        # ar: no DeepL glossary for the pair: the term is protected as before
        assert "glossary_id" not in by_target["AR"]
        assert by_target["AR"]["text"] == ['<x id="1"/> said so.']
        (made,) = mt.glossaries
        assert made["entries"] == "Fudan University\tUniversidad Fudan"
        es = {e.msgid: e for e in entries(project)}
        assert es["Fudan University said so."].msgstr == "FUDAN UNIVERSITY SAID SO."
        # Nothing left to send: no request at all.
        before = mt.count()
        assert run().exit_code == 0 and mt.count() == before
        # New text in another run: the glossary is found by its content, not made again.
        (project / "articles" / "a.html").write_text(
            "<p>Fudan University said so.</p><p>Fudan University again.</p>", encoding="utf-8"
        )
        assert CliRunner().invoke(cli, ["-C", str(project), "extract"]).exit_code == 0
        third = run()
        assert third.exit_code == 0, third.output
        assert len(mt.glossaries) == 1
        assert sum(1 for s in mt.seen if s.path == "/v2/glossaries" and s.method == "POST") == 1
        last = [json.loads(s.body) for s in mt.seen if s.path == "/v2/translate"][-2:]
        assert {b["target_lang"]: b.get("glossary_id") for b in last} == {"ES": "gls-1", "AR": None}

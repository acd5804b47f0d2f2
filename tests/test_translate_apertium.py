"""The Apertium engine, against the real ``apertium`` and its English→Spanish pair.

``apertium`` and ``apertium-eng-spa`` are test requirements, installed by the README's
test command and CI.  Error paths use stand-in programs and fake mode folders.  How the
pipeline itself starts, restarts and ends is in ``test_translate_apertium_pipeline``.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n import html as html_stage
from l10n.cli import cli
from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate import apertium as engine_module
from l10n.translate.apertium import ApertiumTranslator, language_tag
from l10n.translate.apertium_case import _LEAD
from l10n.translate.apertium_format import (
    _SENTENCE_END,
    _encode,
    _has_word,
    _Reader,
    _render,
)

ROOT = Path(__file__).resolve().parents[1]
POT = ROOT / "locales" / "templates" / "commentary" / "ai-initiative.pot"
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.fixture
def engine() -> Iterator[ApertiumTranslator]:
    translator = ApertiumTranslator()
    yield translator
    translator.close()


def alive(pid: int) -> bool:
    """Is ``pid`` a process, running or a zombie waiting to be reaped?"""
    return Path(f"/proc/{pid}").exists()


def es(engine: ApertiumTranslator, texts: list[str]) -> list[str]:
    return engine.translate(texts, source="en", target="es")


# --- what is installed --------------------------------------------------------------------


def test_language_tags_from_mode_names() -> None:
    assert language_tag("eng") == "en"
    assert language_tag("spa") == "es"
    assert language_tag("en") == "en"
    assert language_tag("eng_US") == "en-US"
    assert language_tag("cat_valencia") == "ca-valencia"
    assert language_tag("ast") == "ast"  # no two-letter code: the three-letter one is BCP 47


def test_pairs_come_from_the_mode_files(tmp_path: Path) -> None:
    modes = tmp_path / "modes"
    modes.mkdir()
    for name in ("eng-cat", "cat-eng", "eng-cat_valencia", "en-gl", "eng-cat-tagger", "README"):
        (modes / f"{name}.mode").write_text("cat\n")
    engine = ApertiumTranslator(executable=sys.executable, datadir=tmp_path)
    assert engine.pairs() == {("en", "ca"), ("ca", "en"), ("en", "ca-valencia"), ("en", "gl")}
    assert engine.mode("en", "ca") == "eng-cat"
    assert engine.mode("en-GB", "ca-ES") == "eng-cat"  # region falls back to the language
    assert engine.mode("en", "ca-Valencia") == "eng-cat_valencia"
    assert engine.mode("en", "gl") == "en-gl"
    assert not engine.supports("en", "es")


def test_installed_pairs(engine: ApertiumTranslator) -> None:
    pairs = engine.pairs()
    assert ("en", "es") in pairs and ("es", "en") in pairs
    assert engine.supports("en-US", "es-MX")
    folder = engine.datadir()
    assert folder is not None
    for source, target in pairs:
        mode = engine.mode(source, target)
        assert mode is not None and (folder / "modes" / f"{mode}.mode").is_file()


def test_unsupported_pair_is_one_clear_line(tmp_path: Path) -> None:
    # A data folder holding only the English–Spanish modes, whatever this machine has.
    (tmp_path / "modes").mkdir()
    for name in ("eng-spa", "spa-eng"):
        (tmp_path / "modes" / f"{name}.mode").write_text("cat\n")
    engine = ApertiumTranslator(executable=sys.executable, datadir=tmp_path)
    with pytest.raises(TranslateError) as caught:
        engine.translate(["Hello"], source="en", target="fr")
    message = str(caught.value)
    assert message.startswith("apertium has no en→fr pair installed; install apertium-eng-fra")
    assert "choose another engine" in message and "en→es" in message
    assert "\n" not in message


def test_missing_apertium_is_one_clear_line() -> None:
    engine = ApertiumTranslator(executable="no-such-apertium-here")
    assert engine.pairs() == set()
    assert not engine.supports("en", "es")
    with pytest.raises(TranslateError, match=r"^apertium is not installed") as caught:
        engine.translate(["Hello"], source="en", target="es")
    assert "\n" not in str(caught.value)


def test_missing_apertium_names_the_packages_of_the_pairs() -> None:
    engine = ApertiumTranslator(executable="no-such-apertium-here")
    assert engine.missing("en", ["es", "ca", "es-MX"]) == (
        "apertium is not installed: apt-get install apertium apertium-eng-spa apertium-eng-cat"
    )
    assert engine.gap("en-GB", "es") == (
        "apertium is not installed: apt-get install apertium apertium-eng-spa"
    )


def test_installed_apertium_is_not_missing(engine: ApertiumTranslator) -> None:
    assert engine.missing("en", ["es"]) is None
    assert engine.gap("en", "es") is None
    gap = engine.gap("en", "zh-Hans")
    assert gap is not None and gap.startswith("apertium has no en→zh-Hans pair installed")


def _fake_apertium(tmp_path: Path, body: str) -> ApertiumTranslator:
    """An eng-spa mode whose pipeline is one stand-in program (a Python script)."""
    program = tmp_path / "fake-stage"
    program.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "modes").mkdir()
    (tmp_path / "modes" / "eng-spa.mode").write_text(f"{program}\n")
    return ApertiumTranslator(executable=sys.executable, datadir=tmp_path, timeout=1)


def test_apertium_failure_becomes_translate_error(tmp_path: Path) -> None:
    engine = _fake_apertium(
        tmp_path, "print('Error: something broke', file=sys.stderr); sys.exit(3)"
    )
    with pytest.raises(TranslateError, match=r"^apertium eng-spa failed: Error: something broke$"):
        engine.translate(["Hello"], source="en", target="es")
    assert engine.starts == 3  # it was started again, then given up on


def test_apertium_timeout_becomes_translate_error(tmp_path: Path) -> None:
    engine = _fake_apertium(tmp_path, "time.sleep(10)")
    with pytest.raises(TranslateError, match=r"^apertium eng-spa timed out after 1 s$"):
        engine.translate(["Hello"], source="en", target="es")
    assert engine.pids == ()  # the hanging program was ended


# --- translating --------------------------------------------------------------------------


def test_english_becomes_spanish(engine: ApertiumTranslator) -> None:
    [out] = es(engine, ["The house is red."])
    assert "casa" in out and "roja" in out
    assert out.endswith(".") and ".." not in out
    assert engine.failures == {}


def test_placeholders_follow_their_words(engine: ApertiumTranslator) -> None:
    messages = {
        # Spanish puts the adjective after the noun: the pair moves with both words.
        "The <1>red house</1> is big.": r"^La <1>casa roja</1> es grande\.$",
        # Nested: the inner pair follows "black" to the end of the noun phrase.
        "See <1>the <2>black</2> dog</1> now.": r"<1>el perro <2>negro</2></1> ahora",
        "I saw <1>the white cat</1> and <2>the black dog</2>.": (
            r"<1>el gato blanco</1> y <2>el perro negro</2>"
        ),
        # Standalone placeholders stay between the sentences they separate.
        "The first line<1/>The second line": r"^La primera línea<1/>La segunda línea$",
        # A list of links is a list: each item translated on its own, in its own pair.
        "<1>Search</1> | <2>Menu</2>": r"^<1>Búsqueda</1> \| <2>\w+</2>$",
        "<1><2>Edit</2></1> <3><4>Public Profile</4></3>": (
            r"^<1><2>\w+</2></1> <3><4>Perfil público</4></3>$"
        ),
        # Punctuation inside the pair stays inside it.
        'Read <1>"the news"</1> today.': r'<1>"[^"<]+"</1>',
        "By <1>Helen Zhao</1> | <2>Feb. 27, 2024</2>": r"^Por <1>Helen Zhao</1> \| <2>",
    }
    outputs = es(engine, list(messages))
    for (msgid, pattern), out in zip(messages.items(), outputs, strict=True):
        assert ph.problems(msgid, out) == [], (msgid, out)
        assert re.search(pattern, out), (msgid, out)
    assert engine.failures == {}


def test_one_pipeline_for_every_batch(engine: ApertiumTranslator) -> None:
    texts = [f"The house number <1>{n}</1> is red." for n in range(10)]
    texts += ["Science <1>and</1> technology<2/>", "The cat is black.", "AT&T <1>news</1>"] * 10
    outputs = es(engine, texts[:20])
    pids = engine.pids
    assert len(pids) > 5 and all(alive(pid) for pid in pids)  # a dozen programs
    for start in range(20, len(texts), 5):  # batch after batch, as the pipeline sends them
        outputs += es(engine, texts[start : start + 5])
        assert engine.pids == pids
    assert engine.starts == 1
    assert len(outputs) == len(texts)
    assert all(ph.problems(t, o) == [] for t, o in zip(texts, outputs, strict=True))
    assert outputs[0] == "El número de casa <1>0</1> es rojo."
    assert outputs[11] == "El gato es negro."
    engine.close()
    assert engine.pids == () and not any(alive(pid) for pid in pids)  # ended and reaped
    assert es(engine, ["The dog."]) == ["El perro."]  # and started again when needed
    assert engine.starts == 2


def _kill_mid_run(engine: ApertiumTranslator, texts: list[str]) -> tuple[list[str], int, bool]:
    """Translate ``texts`` while another thread kills one of the pipeline's programs
    (SIGKILL) 0.3 s after the pipeline started: the output, the victim, and whether
    ``translate`` was still running when it was killed."""
    finished = threading.Event()
    killed: list[tuple[int, bool]] = []

    def killer() -> None:
        while not engine.pids and not finished.is_set():
            time.sleep(0.002)
        time.sleep(0.3)
        pids = engine.pids
        if pids:
            victim = pids[len(pids) // 2]
            running = not finished.is_set()
            os.kill(victim, signal.SIGKILL)
            killed.append((victim, running))

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        out = es(engine, texts)
    finally:
        finished.set()
        thread.join()
    [(victim, running)] = killed
    return out, victim, running


def test_restarts_after_its_process_is_killed_mid_run(engine: ApertiumTranslator) -> None:
    texts = [
        f"The dog number {n} runs to <1>the red house</1> and sees the black cat."
        for n in range(2500)
    ]
    clean = ApertiumTranslator()
    expected = es(clean, texts)
    clean.close()
    out, victim, running = _kill_mid_run(engine, texts)
    assert running, "the batch ended before the kill: make it longer"
    assert engine.starts == 2
    assert victim not in engine.pids and not alive(victim)  # reaped, not a zombie
    assert engine.failures == {}
    assert out == expected  # the messages in flight were sent again


def test_restarts_after_a_kill_between_batches(engine: ApertiumTranslator) -> None:
    assert es(engine, ["The cat is black."]) == ["El gato es negro."]
    first = engine.pids
    os.kill(first[0], signal.SIGKILL)
    assert es(engine, ["The house is red.", "The dog."]) == ["La casa es roja.", "El perro."]
    assert engine.starts == 2 and not set(first) & set(engine.pids)
    assert not any(alive(pid) for pid in first)


def test_special_characters_round_trip(engine: ApertiumTranslator) -> None:
    texts = [
        "AT&T and Tom & Jerry say a < b > c.",
        "She said \"yes\" and 'no'.",
        "Use [x] {y} ~z^ $5 @me a/b back\\slash *star # now",
        "Not a placeholder: </1/> and [l10n:s0] and [[t:1]] stay text.",
        "The dog’s bone",
    ]
    out = es(engine, texts)
    assert "AT&T" in out[0] and "Tom & Jerry" in out[0] and "< b > c" in out[0]
    assert '"' in out[1] and "'" in out[1]
    for piece in ("[x]", "{y}", "~z^", "$5", "@me", "\\", "*", "#"):
        assert piece in out[2], piece
    assert "</1/>" in out[3] and "[l10n:s0]" in out[3] and "[[t:1]]" in out[3]
    assert ph.problems(texts[3], out[3]) == []
    assert "'" not in out[4]  # the msgid's curly apostrophes stay curly
    assert engine.failures == {}


def test_whitespace_and_untranslatable(engine: ApertiumTranslator) -> None:
    assert es(engine, []) == []
    assert es(engine, ["<1/>", "", " | ", "<1></1>"]) == ["<1/>", "", " | ", "<1></1>"]
    assert engine.starts == 0  # nothing to translate: no process
    out = es(engine, ["  The dog  ", "The dog\nThe cat", "The  dog"])
    assert out[0] == "  El perro  "
    assert out[1] == "El perro\nEl gato"


# --- when placeholders do not come back ---------------------------------------------------


def _broken(tokens: object, message: str) -> str:
    return "<9>broken"


def test_falls_back_to_superblank_positions(
    engine: ApertiumTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "_word_bound", _broken)
    msgid = "The <1>red house</1> is big."
    [out] = es(engine, [msgid])
    assert ph.problems(msgid, out) == [] and "casa" in out
    assert engine.failures == {}


def test_falls_back_to_pieces_between_placeholders(
    engine: ApertiumTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "_word_bound", _broken)
    monkeypatch.setattr(engine_module, "_positional", _broken)
    texts = ["The white cat <1>sleeps in the red house</1>.<2/>", "The cat is black."]
    out = es(engine, texts)
    assert engine.starts == 1  # the pieces go through the same pipeline
    assert re.fullmatch(r"El gato blanco <1>[^<]*casa roja</1>\.<2/>", out[0]), out[0]
    assert out[1] == "El gato es negro."
    assert engine.failures == {}


def test_untranslatable_placeholders_leave_the_msgid(
    engine: ApertiumTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "_fits", lambda msgid, out: False)
    texts = ["The <1>red house</1>.", "<1/>"]
    assert es(engine, texts) == texts
    assert list(engine.failures) == [0]  # by index, with the reason
    assert "placeholders" in engine.failures[0]
    monkeypatch.undo()
    es(engine, ["The dog."])
    assert engine.failures == {}  # reset by every call


# --- the example article ------------------------------------------------------------------


def test_golden_example_article(engine: ApertiumTranslator) -> None:
    msgids = [entry.msgid for entry in polib.pofile(str(POT))]
    assert len(msgids) > 50
    out = es(engine, msgids)
    assert engine.starts == 1
    assert engine.failures == {}
    for msgid, translated in zip(msgids, out, strict=True):
        assert ph.problems(msgid, translated) == [], (msgid, translated)
        assert translated[:1].isspace() == msgid[:1].isspace()
        assert translated[-1:].isspace() == msgid[-1:].isspace()
    changed = sum(1 for m, t in zip(msgids, out, strict=True) if m != t)
    assert changed >= 0.8 * len(msgids)
    by_id = dict(zip(msgids, out, strict=True))
    byline = by_id["By <1>Helen Zhao</1> | <2>Feb.\xa027, 2024</2>"]
    assert byline.startswith("Por <1>Helen Zhao</1> | <2>")


# --- the same translations as one process per batch ---------------------------------------


def _one_process(mode: str, streams: list[str]) -> list[str]:
    """What one ``apertium -u -f none`` process per batch (the way before the persistent
    pipeline) makes of ``streams``, without the case marks: rendered text per stream."""
    stream = "".join(
        f"{s.replace(_LEAD, '')}{_SENTENCE_END}[l10n:s{k}]" for k, s in enumerate(streams)
    )
    done = subprocess.run(
        ["apertium", "-u", "-f", "none", mode], input=stream, capture_output=True, text=True
    )
    read = _Reader(done.stdout).read()
    assert [k for k, _ in read] == list(range(len(streams)))
    return [_render(tokens) for _, tokens in read]


def _corpus_sample(pages: int) -> list[str]:
    if not CORPUS.is_dir():
        pytest.skip("no corpus at ../shared/corpus/dev")
    with (CORPUS / "INDEX.tsv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["language"] == "en"]
    msgids: list[str] = []
    for row in rows[:pages]:
        doc = html_stage.segment((CORPUS / row["file"]).read_bytes())
        msgids += [s.msgid for s in doc.segments]
    return list(dict.fromkeys(msgids))


def test_same_translations_as_one_process_per_batch(engine: ApertiumTranslator) -> None:
    msgids = [m for m in _corpus_sample(4) if _has_word(ph.strip(m))]
    assert len(msgids) > 200
    streams = [_encode(m) for m in msgids]
    old = _one_process("eng-spa", streams)
    new: list[str] = []
    for start in range(0, len(streams), 25):  # batch after batch through one pipeline
        tokens = engine._run("eng-spa", streams[start : start + 25])
        new += [_render(t) if t is not None else "" for t in tokens]
    assert engine.starts == 1
    differ = [k for k, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    # Only the case of a word Apertium took for a sentence's first (see the next tests),
    # or a message the old way read together with the next one ("Mexico's" before it).
    for k in differ:
        if old[k].lower() != new[k].lower():
            assert new[k] == _one_process("eng-spa", [streams[k]])[0], msgids[k]
    assert len(differ) < 0.1 * len(msgids)


# --- the case of a word Apertium takes for a sentence's first -----------------------------


def test_word_after_a_leading_glossary_term_keeps_its_case(tmp_path: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.html").write_text(
        "<html><body><p>Tang Lan of Fudan University says the economy is growing.</p>"
        "<p>The house is red.</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "names.csv").write_text(
        "en,es,dnt\nTang Lan,,yes\nFudan University,Universidad de Fudan,\n", encoding="utf-8"
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(tmp_path), "extract"]).exit_code == 0
    result = runner.invoke(cli, ["-C", str(tmp_path), "translate", "--engine", "apertium"])
    assert result.exit_code == 0, result.output
    po = {e.msgid: e.msgstr for e in polib.pofile(str(tmp_path / "locales" / "es" / "a.po"))}
    said = po["Tang Lan of Fudan University says the economy is growing."]
    assert said.startswith("Tang Lan de Universidad de Fudan dice"), said
    assert po["The house is red."] == "La casa es roja."


def test_mid_sentence_case_after_placeholders_and_sentence_ends(engine: ApertiumTranslator) -> None:
    texts = [
        "<1/> of <2/> says it.",
        "He left. <1/> of <2/> says it.",
        "<1/> <2>of the house</2> says it.",
        "<1/> says it.",
        "more on this story",
        "<1>Edit</1> | <2>edit</2>",
        "iPhone sales",
    ]
    out = es(engine, texts)
    assert out[0] == "<1/> de <2/> lo dice."
    assert out[1] == "Dejó. <1/> de <2/> lo dice."
    assert out[2] == "<1/> <2>de la casa</2> lo dice."
    assert out[3] == "<1/> lo dice."
    assert out[4].startswith("más ")
    assert re.fullmatch(r"<1>E\w+</1> \| <2>e\w+</2>", out[5]), out[5]
    assert out[6].startswith("iPhone") or " iPhone" in out[6], out[6]
    assert engine.failures == {}


def test_real_sentence_starts_keep_their_capital(engine: ApertiumTranslator) -> None:
    texts = ["<1/> The house is red.", "He left. <1/> The house is red.", "Of course, <1/> said."]
    out = es(engine, texts)
    assert out[0] == "<1/> La casa es roja."
    assert out[1] == "Dejó. <1/> La casa es roja."
    assert out[2][:1].isupper()

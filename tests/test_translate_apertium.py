"""The Apertium engine, against the real ``apertium`` and its English→Spanish pair.

``apertium`` and ``apertium-eng-spa`` are test requirements, installed by the README's
test command and CI.  Error paths use stand-in programs and fake mode folders.
"""

from __future__ import annotations

import re
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polib
import pytest

from l10n.errors import TranslateError
from l10n.html import placeholders as ph
from l10n.translate import apertium as engine_module
from l10n.translate.apertium import ApertiumTranslator, language_tag

ROOT = Path(__file__).resolve().parents[1]
POT = ROOT / "locales" / "templates" / "commentary" / "ai-initiative.pot"


@pytest.fixture
def engine() -> ApertiumTranslator:
    return ApertiumTranslator()


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every command run through ``subprocess.run``, which still runs for real."""
    seen: list[list[str]] = []
    real: Callable[..., Any] = subprocess.run

    def spy(command: list[str], *args: Any, **kwargs: Any) -> Any:
        seen.append(list(command))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    return seen


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
    """A stand-in ``apertium`` (a Python script) with an eng-spa mode beside it."""
    program = tmp_path / "fake-apertium"
    program.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "modes").mkdir()
    (tmp_path / "modes" / "eng-spa.mode").write_text("cat\n")
    return ApertiumTranslator(executable=str(program), datadir=tmp_path, timeout=1)


def test_apertium_failure_becomes_translate_error(tmp_path: Path) -> None:
    engine = _fake_apertium(
        tmp_path, "print('Error: something broke', file=sys.stderr); sys.exit(3)"
    )
    with pytest.raises(TranslateError, match=r"^apertium eng-spa failed: Error: something broke$"):
        engine.translate(["Hello"], source="en", target="es")


def test_apertium_timeout_becomes_translate_error(tmp_path: Path) -> None:
    engine = _fake_apertium(tmp_path, "time.sleep(10)")
    with pytest.raises(TranslateError, match=r"^apertium eng-spa timed out after 1 s$"):
        engine.translate(["Hello"], source="en", target="es")


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


def test_one_process_per_batch(engine: ApertiumTranslator, calls: list[list[str]]) -> None:
    texts = [f"The house number <1>{n}</1> is red." for n in range(10)]
    texts += ["Science <1>and</1> technology<2/>", "The cat is black.", "AT&T <1>news</1>"] * 10
    outputs = es(engine, texts)
    assert len(outputs) == len(texts)
    assert len(calls) == 1
    assert calls[0][0].endswith("apertium") and "-u" in calls[0] and calls[0][-1] == "eng-spa"
    assert all(ph.problems(t, o) == [] for t, o in zip(texts, outputs, strict=True))
    assert outputs[0] == "El número de casa <1>0</1> es rojo."
    assert outputs[11] == "El gato es negro."


def test_large_batches_are_split_by_characters(calls: list[list[str]]) -> None:
    texts = [f"The dog number {n} runs to <1>the red house</1>." for n in range(40)]
    small = ApertiumTranslator(chunk_chars=400, workers=2)
    split = es(small, texts)
    assert 4 <= len(calls) <= 12
    calls.clear()
    assert es(ApertiumTranslator(), texts) == split
    assert len(calls) == 1


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


def test_whitespace_and_untranslatable(engine: ApertiumTranslator, calls: list[list[str]]) -> None:
    assert es(engine, []) == []
    assert es(engine, ["<1/>", "", " | ", "<1></1>"]) == ["<1/>", "", " | ", "<1></1>"]
    assert calls == []  # nothing to translate: no process
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
    engine: ApertiumTranslator, monkeypatch: pytest.MonkeyPatch, calls: list[list[str]]
) -> None:
    monkeypatch.setattr(engine_module, "_word_bound", _broken)
    monkeypatch.setattr(engine_module, "_positional", _broken)
    texts = ["The white cat <1>sleeps in the red house</1>.<2/>", "The cat is black."]
    out = es(engine, texts)
    assert len(calls) == 2  # the batch, then one process for every retried piece
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


def test_golden_example_article(engine: ApertiumTranslator, calls: list[list[str]]) -> None:
    msgids = [entry.msgid for entry in polib.pofile(str(POT))]
    assert len(msgids) > 50
    out = es(engine, msgids)
    assert len(calls) == 1
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

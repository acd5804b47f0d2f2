"""The ``l10n`` command end to end, in-process with click's CliRunner on tmp_path."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner, Result

from l10n.cli import cli

ARTICLE = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Shen Yi on AI</title>
<meta name="description" content="A short commentary."></head>
<body>
<h1>Why the gap can close</h1>
<p>Researchers at <a href="https://www.fudan.edu.cn/" title="Fudan home">Fudan University</a>
say the <em>real</em> contest is about use.</p>
<p>Second paragraph&nbsp;here.</p>
</body>
</html>
"""


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(project), *args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text(
        'source_language = "en"\nlanguages = ["es", "ar"]\n', encoding="utf-8"
    )
    (tmp_path / "articles" / "2024").mkdir(parents=True)
    (tmp_path / "articles" / "2024" / "ai.html").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def po_path(project: Path, lang: str = "es") -> Path:
    return project / "locales" / lang / "2024" / "ai.po"


def translate_all(project: Path, mapping: dict[str, str], lang: str = "es") -> None:
    po = polib.pofile(str(po_path(project, lang)))
    for entry in po:
        if entry.msgid in mapping:
            entry.msgstr = mapping[entry.msgid]
    po.save()


def test_extract_writes_template_and_catalogs(project: Path) -> None:
    result = run(project, "extract")
    assert result.exit_code == 0, result.output
    pot = polib.pofile(str(project / "locales" / "templates" / "2024" / "ai.pot"))
    msgids = [e.msgid for e in pot]
    assert (
        "Researchers at <1>Fudan University</1> say the <2>real</2> contest is about use." in msgids
    )
    assert "Fudan home" in msgids
    assert "Second paragraph\u00a0here." in msgids
    ar = polib.pofile(str(po_path(project, "ar")))
    assert ar.metadata["Language"] == "ar"
    assert ar.metadata["Plural-Forms"].startswith("nplurals=6;")


def test_extract_from_a_subfolder_finds_the_project(project: Path) -> None:
    result = CliRunner().invoke(cli, ["-C", str(project / "articles" / "2024"), "extract"])
    assert result.exit_code == 0, result.output
    assert po_path(project).is_file()


def test_second_extract_keeps_translations_and_marks_changed_source_fuzzy(project: Path) -> None:
    run(project, "extract")
    translate_all(
        project,
        {
            "Why the gap can close": "Por qué la brecha puede cerrarse",
            "Second paragraph\u00a0here.": "Segundo párrafo\u00a0aquí.",
        },
    )
    article = project / "articles" / "2024" / "ai.html"
    article.write_text(
        ARTICLE.replace("Why the gap can close", "Why the gap can still close"), encoding="utf-8"
    )
    assert run(project, "extract").exit_code == 0
    po = polib.pofile(str(po_path(project)))
    changed = po.find("Why the gap can still close")
    assert changed is not None and changed.fuzzy
    assert changed.previous_msgid == "Why the gap can close"
    assert changed.msgstr == "Por qué la brecha puede cerrarse"
    kept = po.find("Second paragraph\u00a0here.")
    assert kept is not None and kept.msgstr == "Segundo párrafo\u00a0aquí." and not kept.fuzzy


def test_publish_uses_translations_and_marks_the_rest(project: Path) -> None:
    run(project, "extract")
    translate_all(
        project,
        {
            "Why the gap can close": "Por qué la brecha puede cerrarse",
            "Researchers at <1>Fudan University</1> say the <2>real</2> contest is about use.": (
                "Investigadores de la <1>Universidad Fudan</1> dicen que la competencia "
                "<2>real</2> es por el uso."
            ),
        },
    )
    result = run(project, "publish", "--lang", "es")
    assert result.exit_code == 0, result.output
    out = (project / "public" / "es" / "2024" / "ai.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in out
    assert "<h1>Por qué la brecha puede cerrarse</h1>" in out
    assert '<a href="https://www.fudan.edu.cn/" title="Fudan home">Universidad Fudan</a>' in out
    assert '<p lang="en">Second paragraph&nbsp;here.</p>' in out
    assert not (project / "public" / "ar").exists()


def test_publish_arabic_is_right_to_left(project: Path) -> None:
    run(project, "extract")
    translate_all(project, {"Why the gap can close": "لماذا يمكن سد الفجوة"}, lang="ar")
    assert run(project, "publish", "--lang", "ar").exit_code == 0
    out = (project / "public" / "ar" / "2024" / "ai.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in out


def test_fuzzy_entries_only_with_allow_fuzzy(project: Path) -> None:
    run(project, "extract")
    assert run(project, "translate", "--engine", "pseudo", "--lang", "es").exit_code == 0
    run(project, "publish", "--lang", "es")
    page = project / "public" / "es" / "2024" / "ai.html"
    assert "Why the gap can close" in page.read_text(encoding="utf-8")
    run(project, "publish", "--lang", "es", "--allow-fuzzy", "--allow-pseudo")
    text = page.read_text(encoding="utf-8")
    assert "Why the gap can close" not in text
    assert "[Ŵĥý ţĥé ĝàþ çàñ çĺöšé" in text


def test_translate_pseudo_writes_fuzzy_with_engine_comment(project: Path) -> None:
    run(project, "extract")
    result = run(project, "translate", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(po_path(project)))
    entry = po.find("Why the gap can close")
    assert entry is not None and entry.fuzzy
    assert "pseudo" in entry.tcomment
    dry = run(project, "translate", "--engine", "pseudo", "--dry-run")
    assert "es: 0 segments, 0 characters to pseudo" in dry.output


def test_dry_run_estimates_and_writes_nothing(project: Path) -> None:
    run(project, "extract")
    before = po_path(project).read_bytes()
    dry = run(project, "translate", "--engine", "pseudo", "--dry-run", "--lang", "es")
    assert dry.exit_code == 0, dry.output
    assert "es: 6 segments, 165 characters to pseudo" in dry.output
    assert po_path(project).read_bytes() == before


def test_translation_memory_reuses_reviewed_text_from_another_article(project: Path) -> None:
    run(project, "extract")
    translate_all(project, {"Second paragraph\u00a0here.": "Segundo párrafo\u00a0aquí."})
    other = project / "articles" / "other.html"
    other.write_text(
        "<p>Second paragraph&nbsp;here.</p><p>Second paragraph here!</p>", encoding="utf-8"
    )
    run(project, "extract")
    result = run(project, "translate", "--engine", "pseudo", "--lang", "es", "other.html")
    assert "1 from memory, 1 close matches (fuzzy)" in result.output
    po = polib.pofile(str(project / "locales" / "es" / "other.po"))
    exact = po.find("Second paragraph\u00a0here.")
    assert exact is not None and exact.msgstr == "Segundo párrafo\u00a0aquí." and not exact.fuzzy
    close = po.find("Second paragraph here!")
    assert close is not None and close.fuzzy and close.msgstr == "Segundo párrafo\u00a0aquí."
    assert close.previous_msgid == "Second paragraph\u00a0here."


def test_mismatched_placeholders_block_the_language_warn_and_strict_fails(
    project: Path,
) -> None:
    run(project, "extract")
    msgid = "Researchers at <1>Fudan University</1> say the <2>real</2> contest is about use."
    translate_all(project, {msgid: "Investigadores de la <1>Universidad Fudan</1> dicen."})
    page = project / "public" / "es" / "2024" / "ai.html"
    # A check error (PH001) holds the language back: nothing written, exit 1, and why.
    gated = CliRunner().invoke(cli, ["-C", str(project), "publish", "--lang", "es"])
    assert gated.exit_code == 1
    assert "es not published: 2024/ai.html: 1 `l10n check` error" in gated.stderr
    assert not page.exists()
    # Past the gate, the bad translation is not used: the segment keeps its source text.
    args = ["-C", str(project), "publish", "--lang", "es", "--ignore-check"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert "locales/es/2024/ai.po:" in result.stderr and "missing <2>" in result.stderr
    assert "Researchers at" in page.read_text(encoding="utf-8")
    strict = CliRunner().invoke(cli, [*args, "--strict", "--force"])
    assert strict.exit_code == 2
    assert "Traceback" not in strict.output


def test_status_json(project: Path) -> None:
    run(project, "extract")
    translate_all(project, {"Why the gap can close": "Por qué la brecha puede cerrarse"})
    result = run(project, "status", "--json", "--lang", "es")
    payload = json.loads(result.output)
    assert payload["version"] == 1 and [g["language"] for g in payload["languages"]] == ["es"]
    rows = payload["languages"][0]["articles"]
    assert rows[0]["article"] == "2024/ai.html"
    assert rows[0]["page"] == "unpublished" and rows[0]["blocked"] is None
    assert rows[0]["translated"] == 1
    assert rows[0]["untranslated"] == rows[0]["translated"] + rows[0]["untranslated"] - 1
    assert 0 < rows[0]["percent"] < 100


def test_init_writes_a_config_once(tmp_path: Path) -> None:
    first = CliRunner().invoke(cli, ["-C", str(tmp_path), "init"])
    assert first.exit_code == 0 and (tmp_path / "l10n.toml").is_file()
    second = CliRunner().invoke(cli, ["-C", str(tmp_path), "init"])
    assert second.exit_code == 2 and "already exists" in second.stderr


# --- bad input: one line naming the file, exit 2, nothing half-written -------------------


def fails(project: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["-C", str(project), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_empty_article(project: Path) -> None:
    (project / "articles" / "empty.html").write_bytes(b"")
    line = fails(project, "extract")
    assert "articles/empty.html" in line and "empty" in line
    # Articles are done one by one, each all or nothing: the good one is complete,
    # the bad one has no files at all.
    assert not list((project / "locales").rglob("empty.po*"))
    assert polib.pofile(str(po_path(project))).find("Why the gap can close") is not None


def test_binary_article(project: Path) -> None:
    (project / "articles" / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    line = fails(project, "extract")
    assert "articles/photo.html" in line and "binary" in line


def test_po_syntax_error_is_reported_and_not_overwritten(project: Path) -> None:
    run(project, "extract")
    translate_all(project, {"Why the gap can close": "Por qué la brecha puede cerrarse"})
    po = po_path(project)
    broken = po.read_text(encoding="utf-8").replace('msgstr "Por qué', "msgstr Por qué", 1)
    po.write_text(broken, encoding="utf-8")
    line = fails(project, "extract")
    assert "locales/es/2024/ai.po:" in line
    bad_line = next(i for i, t in enumerate(broken.splitlines(), 1) if t.startswith("msgstr Por"))
    assert f"ai.po:{bad_line}" in line
    assert po.read_text(encoding="utf-8") == broken
    assert fails(project, "publish").startswith("l10n: error: locales/es/2024/ai.po:")


def test_broken_config(project: Path) -> None:
    (project / "l10n.toml").write_text('source_language = "en"\nlanguages = ["es"\n')
    line = fails(project, "extract")
    assert "l10n.toml:" in line


def test_unknown_language_tag(project: Path) -> None:
    (project / "l10n.toml").write_text('source_language = "en"\nlanguages = ["es", "xx-Nope"]\n')
    line = fails(project, "extract")
    assert "l10n.toml:2" in line and "xx-Nope" in line


def test_language_not_configured(project: Path) -> None:
    run(project, "extract")
    line = fails(project, "publish", "--lang", "de")
    assert "'de'" in line


@pytest.mark.parametrize(
    "command", [["translate", "--engine", "pseudo"], ["publish"], ["status"], ["check"]]
)
def test_lang_option_is_compared_in_canonical_form(project: Path, command: list[str]) -> None:
    (project / "l10n.toml").write_text('languages = ["zh-Hans", "es"]\n', encoding="utf-8")
    run(project, "extract")
    result = run(project, *command, "--lang", "zh_hans")
    assert result.exit_code == 0, result.output
    assert not (project / "locales" / "zh_hans").exists()
    assert not (project / "public" / "zh_hans").exists()
    if command[0] == "status":
        assert "zh-Hans:" in result.output and "es:" not in result.output
    if command[0] == "publish":
        assert (project / "public" / "zh-Hans" / "2024" / "ai.html").is_file()
        assert not (project / "public" / "es").exists()
    line = fails(project, *command, "--lang", "de")
    assert "'de' is not configured (languages: zh-Hans, es)" in line


def test_config_tag_in_other_case_is_rejected_before_anything_is_written(project: Path) -> None:
    (project / "l10n.toml").write_text('languages = ["es",\n "zh-hans"]\n', encoding="utf-8")
    line = fails(project, "extract")
    assert line.endswith(
        'l10n.toml:2: language "zh-hans" is not written in canonical form; did you mean "zh-Hans"?'
    )
    assert not (project / "locales").exists()


def test_no_project(tmp_path: Path) -> None:
    line = fails(tmp_path, "extract")
    assert "l10n.toml" in line


def test_messy_page_is_not_bad_input(project: Path) -> None:
    messy = b"<p>caf\xe9 <b>tag <i>soup</b> \xff\xfe broken</i><p>second <div>x"
    (project / "articles" / "messy.html").write_bytes(messy)
    assert run(project, "extract").exit_code == 0
    po = polib.pofile(str(project / "locales" / "es" / "messy.po"))
    for entry in po:
        entry.msgstr = entry.msgid
    po.save()
    assert run(project, "publish", "--lang", "es").exit_code == 0
    assert (project / "public" / "es" / "messy.html").read_bytes() == messy


def test_damaged_translation_cache_is_reported_and_kept(project: Path) -> None:
    run(project, "extract")
    cache = project / ".l10n" / "cache.sqlite3"
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(b"not a database " * 64)
    line = fails(project, "translate", "--engine", "apertium", "--lang", "es")
    assert ".l10n/cache.sqlite3" in line and "move it away" in line
    assert cache.read_bytes() == b"not a database " * 64


def test_ctrl_c_is_exit_130_with_what_was_saved(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("l10n.pipeline.publish", interrupted)
    result = CliRunner().invoke(cli, ["-C", str(project), "publish"])
    assert result.exit_code == 130
    assert "Aborted" not in result.output
    assert "interrupted: every file written before the interrupt is complete" in result.output
    assert "run l10n publish again" in result.output


BAD_CATALOGS = {  # how a PO file breaks: what `check` and `publish` must say
    "escape": "invalid control sequence",
    "duplicate": "duplicate message definition",
    "plural": "nplurals = 1 but plural expression can produce values as large as 1",
}


@pytest.mark.parametrize("how", sorted(BAD_CATALOGS))
def test_what_msgfmt_rejects_is_a_check_error_and_never_published(project: Path, how: str) -> None:
    assert run(project, "extract").exit_code == 0
    path = po_path(project)
    translate_all(project, {"Second paragraph\u00a0here.": "Segundo párrafo."})
    text = path.read_text(encoding="utf-8")
    if how == "escape":
        text = text.replace('msgstr "Segundo párrafo."', 'msgstr "Segundo\\q párrafo."')
    elif how == "duplicate":
        text += '\nmsgid "Why the gap can close"\nmsgstr "Otra vez"\n'
    else:
        text = re.sub(r"Plural-Forms: [^\\]*", "Plural-Forms: nplurals=1; plural=(n != 1);", text)
    path.write_text(text, encoding="utf-8")
    rows = text.splitlines()
    if how == "escape":
        line = next(n for n, row in enumerate(rows, 1) if "\\q" in row)
    else:  # the second msgid; the header's msgstr, where msgfmt names both
        line = len(rows) - 1 if how == "duplicate" else rows.index('msgstr ""') + 1
    checked = run(project, "check", "--lang", "es")
    assert checked.exit_code == 1, checked.output
    assert f"locales/es/2024/ai.po:{line}" in checked.output
    assert "PO001" in checked.output and BAD_CATALOGS[how] in checked.output
    published = CliRunner().invoke(cli, ["-C", str(project), "publish", "--ignore-check"])
    assert published.exit_code == 1
    assert BAD_CATALOGS[how] in published.output
    assert "msgfmt --check rejects the file" in published.output
    assert not (project / "public" / "es").exists()
    assert (project / "public" / "ar" / "2024" / "ai.html").exists()


def test_an_emptied_catalog_is_a_check_error(project: Path) -> None:
    assert run(project, "extract").exit_code == 0
    po_path(project).write_text("", encoding="utf-8")
    checked = run(project, "check", "--lang", "es")
    assert checked.exit_code == 1, checked.output
    assert "PO002" in checked.output and "run `l10n extract`" in checked.output


# --- which engine: named on the command line (errors) or configured (warnings) -----------


@pytest.fixture
def no_apertium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH without the apertium program (the engine looks it up there)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def configure_apertium(project: Path) -> None:
    (project / "l10n.toml").write_text(
        'source_language = "en"\nlanguages = ["es", "ar"]\n\n[translate]\nengine = "apertium"\n',
        encoding="utf-8",
    )


@pytest.mark.usefixtures("no_apertium")
def test_named_engine_not_installed_is_an_error_naming_the_package(project: Path) -> None:
    run(project, "extract")
    before = po_path(project).read_bytes()
    line = fails(project, "translate", "--engine", "apertium", "--lang", "es")
    assert line == (
        "l10n: error: apertium is not installed: apt-get install apertium apertium-eng-spa"
    )
    assert po_path(project).read_bytes() == before
    everything = fails(project, "translate", "--engine", "apertium")
    assert everything.endswith("apt-get install apertium apertium-eng-spa apertium-eng-ara")


@pytest.mark.usefixtures("no_apertium")
def test_configured_engine_not_installed_is_skipped_with_a_warning_at_its_line(
    project: Path,
) -> None:
    configure_apertium(project)
    run(project, "extract")
    result = run(project, "translate")
    assert result.exit_code == 0, result.output
    assert (
        "l10n: warning: l10n.toml:5: apertium is not installed: apt-get install apertium "
        "apertium-eng-spa; en→es skipped (choose another engine with --engine)"
    ) in result.stderr.splitlines()
    assert "en→ar skipped" in result.stderr


def test_named_engine_without_a_pair_warns_without_naming_the_config(project: Path) -> None:
    run(project, "extract")
    result = run(project, "translate", "--engine", "apertium", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "l10n: warning: apertium cannot translate en→ar; skipped (choose another engine "
        "with --engine)"
    ) in result.stderr.splitlines()
    assert "es: " in result.output  # the pair it has still runs


def test_configured_engine_without_a_pair_warns_at_its_line(project: Path) -> None:
    configure_apertium(project)
    run(project, "extract")
    result = run(project, "translate", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "l10n: warning: l10n.toml:5: apertium cannot translate en→ar; skipped" in result.stderr


def test_named_engine_and_named_language_it_cannot_do_is_an_error(project: Path) -> None:
    run(project, "extract")
    before = po_path(project, "ar").read_bytes()
    line = fails(project, "translate", "--engine", "apertium", "--lang", "ar")
    assert line.startswith("l10n: error: apertium has no en→ar pair installed; install ")
    assert po_path(project, "ar").read_bytes() == before


def test_glossary_lint_judges_tags_against_the_configured_languages(project: Path) -> None:
    (project / "glossaries").mkdir()
    (project / "glossaries" / "x.csv").write_text(
        "en,es,ar-Latn\nFudan University,Universidad Fudan,Fudan\n", encoding="utf-8"
    )
    result = run(project, "glossary", "lint")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        'glossaries/x.csv:1: warning: column "ar-Latn" matches no configured language; '
        'did you mean "ar"?',
        "0 error(s), 1 warning(s)",
    ]


# --- no accidental pseudo: the default engine, and pseudo text kept off live pages -------


def test_translate_without_an_engine_uses_apertium_where_it_has_the_pair_and_says_so(
    project: Path,
) -> None:
    run(project, "extract")
    arabic = po_path(project, "ar").read_bytes()
    result = run(project, "translate")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "engine: apertium (offline), the default: no engine in l10n.toml"
    )
    entry = polib.pofile(str(po_path(project))).find("Second paragraph\u00a0here.")
    assert entry is not None and entry.msgstr and entry.fuzzy
    assert entry.tcomment == "machine translation: apertium" and "l10n-pseudo" not in entry.flags
    (warning,) = [line for line in result.stderr.splitlines() if "en→ar" in line]
    assert "set [translate] engine in l10n.toml or pass --engine" in warning
    assert "pseudo" in warning and "deepl" in warning
    assert po_path(project, "ar").read_bytes() == arabic


def test_translate_without_an_engine_or_a_pair_stops_naming_the_choices(project: Path) -> None:
    run(project, "extract")
    before = po_path(project, "ar").read_bytes()
    line = fails(project, "translate", "--lang", "ar")
    assert line.startswith("l10n: error: no engine configured, and apertium has no en→ar pair")
    assert "set [translate] engine in l10n.toml or pass --engine; choices: apertium" in line
    assert "pseudo" in line
    assert po_path(project, "ar").read_bytes() == before


@pytest.mark.usefixtures("no_apertium")
def test_translate_without_an_engine_or_apertium_stops_naming_the_choices(project: Path) -> None:
    run(project, "extract")
    before = po_path(project).read_bytes()
    line = fails(project, "translate")
    assert line.startswith("l10n: error: apertium is not installed: apt-get install apertium")
    assert "pass --engine; choices: " in line and "pseudo" in line
    assert po_path(project).read_bytes() == before


def test_pseudo_entries_are_flagged_and_publish_holds_them_unless_allowed(project: Path) -> None:
    run(project, "extract")
    result = run(project, "translate", "--engine", "pseudo", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("engine: pseudo (")
    entries = [e for e in polib.pofile(str(po_path(project))) if e.msgid]
    assert entries and all(e.flags == ["fuzzy", "l10n-pseudo"] for e in entries)
    check = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po_path(project))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stderr  # gettext accepts a flag it does not know
    page = project / "public" / "es" / "2024" / "ai.html"
    held = run(project, "publish", "--lang", "es", "--allow-fuzzy")
    assert held.exit_code == 1
    (why,) = [line for line in held.stderr.splitlines() if "not published" in line]
    assert "pseudo" in why and "--allow-pseudo" in why
    assert not page.exists()
    plain = run(project, "publish", "--lang", "es")  # drafts are not used: nothing fake shows
    assert plain.exit_code == 0 and "Why the gap can close" in page.read_text(encoding="utf-8")
    allowed = run(project, "publish", "--lang", "es", "--allow-fuzzy", "--allow-pseudo")
    assert allowed.exit_code == 0, allowed.output
    assert "[Ŵĥý ţĥé ĝàþ çàñ çĺöšé" in page.read_text(encoding="utf-8")


def test_pseudo_text_is_held_even_when_a_gettext_tool_dropped_its_flag(project: Path) -> None:
    # msgcat and msgmerge keep only the flags they know; the tool comment stays.
    run(project, "extract")
    run(project, "translate", "--engine", "pseudo", "--lang", "es")
    merged = subprocess.run(
        ["msgcat", str(po_path(project))], capture_output=True, text=True, check=True
    ).stdout
    assert "l10n-pseudo" not in merged and "#, fuzzy" in merged
    po_path(project).write_text(merged, encoding="utf-8")
    held = run(project, "publish", "--lang", "es", "--allow-fuzzy")
    assert held.exit_code == 1 and "pseudo" in held.stderr


def test_a_real_engine_replaces_pseudo_text_and_its_flag(project: Path) -> None:
    run(project, "extract")
    run(project, "translate", "--engine", "pseudo", "--lang", "es")
    result = run(project, "translate", "--engine", "apertium", "--lang", "es", "--refresh-fuzzy")
    assert result.exit_code == 0, result.output
    entries = [e for e in polib.pofile(str(po_path(project))) if e.msgid]
    assert all(e.flags == ["fuzzy"] and "apertium" in e.tcomment for e in entries)
    assert run(project, "publish", "--lang", "es", "--allow-fuzzy").exit_code == 0


def test_translate_reports_a_catalog_it_cannot_use_and_fills_the_others(project: Path) -> None:
    (project / "articles" / "other.html").write_text("<p>Another text.</p>", encoding="utf-8")
    (project / "articles" / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 20)
    (project / "articles" / "folder.html").mkdir()
    assert run(project, "extract").exit_code == 2  # photo.html has no catalog
    broken = project / "locales" / "ar" / "other.po"
    broken.write_text('msgid "unterminated\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["-C", str(project), "translate", "--engine", "pseudo"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = sorted(result.stderr.strip().splitlines())
    assert [line.split(": ")[2] for line in lines] == [
        "articles/folder.html",
        "locales/ar/other.po:1",
        "locales/ar/photo.po",
        "locales/es/photo.po",
    ], lines
    assert all(line.startswith("l10n: error: ") for line in lines)
    assert broken.read_text(encoding="utf-8") == 'msgid "unterminated\n'
    for path in (po_path(project, "es"), po_path(project, "ar"), project / "locales/es/other.po"):
        assert all(e.msgstr for e in polib.pofile(str(path)) if not e.obsolete), path


def test_control_characters_in_a_po_file_are_found_by_check_and_not_published(
    project: Path,
) -> None:
    run(project, "extract")
    po = po_path(project)
    text = po.read_text(encoding="utf-8")
    entry = 'msgid "Second paragraph\u00a0here."\nmsgstr ""'
    # Raw ESC and NUL bytes (what an editor saves) and \b, an escape polib and msgfmt read.
    po.write_text(
        text.replace(entry, entry[:-2] + '"Segundo\x1b[1m p\\bárrafo\x00 aquí."'),
        encoding="utf-8",
    )
    line = po.read_text(encoding="utf-8").splitlines().index(entry.splitlines()[0]) + 1
    result = run(project, "check", "--lang", "es")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"locales/es/2024/ai.po:{line}: error PH004: control characters U+0000, U+0008, U+001B"
        " in the translation; they are not published",
        "1 error(s), 0 warning(s)",
    ]
    assert run(project, "publish", "--lang", "es", "--ignore-check").exit_code == 0
    page = (project / "public" / "es" / "2024" / "ai.html").read_text(encoding="utf-8")
    assert "<p>Segundo[1m párrafo aquí.</p>" in page


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "-1", "100.5"])
def test_min_complete_that_is_not_a_percentage_is_refused(project: Path, value: str) -> None:
    run(project, "extract")
    result = CliRunner().invoke(cli, ["-C", str(project), "publish", f"--min-complete={value}"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[-1].startswith("Error: Invalid value for '--min-complete'")
    assert not (project / "public").exists()


def _forbid_ai(project: Path, folder: str = "glossaries/sub") -> None:
    (project / folder).mkdir(parents=True)
    (project / folder / "terms.csv").write_text("en,es,forbidden:es\nAI,IA,AI\n", encoding="utf-8")
    run(project, "extract")
    translate_all(project, {"Shen Yi on AI": "Shen Yi sobre AI"})


def _cannot_list(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Listing ``folder`` fails as it does for a user without read permission on it
    (chmod 000), which stops nobody when the tests run as root."""
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_forbidden_term_in_a_glossary_subfolder_is_found(project: Path) -> None:
    _forbid_ai(project)
    result = run(project, "check")
    assert result.exit_code == 1
    assert "GL002" in result.output


@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("glossary", "lint"),
        ("glossary", "export", "--format", "csv"),
        ("extract", "--force"),
        ("translate", "--engine", "pseudo"),
        ("publish", "--ignore-check"),
    ],
)
def test_a_glossary_folder_that_cannot_be_listed_is_an_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    _forbid_ai(project, "glossaries/sub/deeper")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    _cannot_list(monkeypatch, project / "glossaries" / "sub")
    line = fails(project, *command)
    assert line == "l10n: error: glossaries/sub: cannot list the folder: Permission denied"
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_a_catalog_folder_that_cannot_be_listed_is_an_error_for_check(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forbid_ai(project, "glossaries")
    _cannot_list(monkeypatch, project / "locales" / "es" / "2024")
    line = fails(project, "check")
    assert line == "l10n: error: locales/es/2024: cannot list the folder: Permission denied"


@pytest.mark.parametrize("kind", ["fifo", "symlink", "dangling symlink", "symlink to a fifo"])
def test_glossary_export_refuses_to_replace_what_is_not_a_regular_file(
    project: Path, kind: str
) -> None:
    _forbid_ai(project, "glossaries")
    target, real = project / "out.csv", project / "real.csv"
    if kind.endswith("fifo"):
        os.mkfifo(real if kind.startswith("symlink") else target)
    else:
        real.write_text("kept\n", encoding="utf-8")
    if kind.startswith("symlink"):
        target.symlink_to(real)
    elif kind == "dangling symlink":
        target.symlink_to(project / "nowhere.csv")
    before = os.lstat(target)
    line = fails(project, "glossary", "export", "--format", "csv", "-o", str(target))
    what = "a named pipe" if kind == "fifo" else "a symbolic link"
    assert line == f"l10n: error: {target}: {what}, not a regular file; not replaced"
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    if kind == "symlink":
        assert real.read_text(encoding="utf-8") == "kept\n"
    assert not (project / "nowhere.csv").exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".out")) == []


def test_glossary_export_replaces_a_regular_file_keeping_its_mode(project: Path) -> None:
    _forbid_ai(project, "glossaries")
    target = project / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    result = run(project, "glossary", "export", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    printed = run(project, "glossary", "export", "--format", "csv").output
    assert "AI" in printed and target.read_text(encoding="utf-8") == printed
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_glossaries_path_that_is_not_a_folder_is_an_error(project: Path) -> None:
    (project / "glossaries").write_text("en,es\nAI,IA\n", encoding="utf-8")
    line = fails(project, "check")
    assert line == "l10n: error: glossaries: cannot list the folder: Not a directory"

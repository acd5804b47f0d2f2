"""One PO entry edited in place (``catalog.editing``): the entry's lines change, no other."""

from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l10n import catalog
from l10n.catalog import editing
from l10n.errors import CatalogError

MSGFMT = shutil.which("msgfmt")

# Wrapped and commented as msgmerge and Poedit leave files, not as polib would write them.
PO = """\
# Spanish translation.
# A translator's note at the top.
msgid ""
msgstr ""
"Project-Id-Version: x\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"

#. p
#: articles/a.html:main/p[1]
msgid "First paragraph."
msgstr "Primer párrafo."

# machine translation: apertium
#. p
#. <1>…</1> = <a href="https://example.org/">…</a>
#: articles/a.html:main/p[2]
#, fuzzy, python-format
#| msgid "The old second paragraph with a <1>link</1>."
msgid "The second paragraph with a <1>link</1>."
msgstr ""
"El segundo párrafo "
"con un <1>enlace</1>."

#: articles/a.html:main/p[3]
msgid "Third."
msgstr ""

#~ msgid "A third, removed."
#~ msgstr "Un tercero, quitado."
"""


def changed_lines(before: str, after: str) -> list[int]:
    """0-based lines of ``before`` that the edit replaced or removed (and where it added)."""
    ops = difflib.SequenceMatcher(None, before.split("\n"), after.split("\n")).get_opcodes()
    return [n for tag, i1, i2, _, _ in ops if tag != "equal" for n in range(i1, max(i2, i1 + 1))]


def entry_lines(text: str, msgid: str) -> range:
    """The lines of the (live) entry of ``msgid``: its comments to its last string."""
    lines = text.split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith(f'msgid "{msgid[:10]}'))
    start = at
    while start > 0 and lines[start - 1].strip():
        start -= 1
    end = at
    while end < len(lines) and lines[end].strip():
        end += 1
    return range(start, end)


def msgfmt_ok(tmp_path: Path, text: str) -> None:
    assert MSGFMT is not None, "gettext's msgfmt is needed (README's commands install it)"
    po = tmp_path / "x.po"
    po.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [MSGFMT, "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


def test_a_draft_changes_only_that_entry_and_marks_it_fuzzy(tmp_path: Path) -> None:
    after = editing.edit_entry(
        PO, msgctxt=None, msgid="Third.", msgstr="Tercero.", approve=False, file="x.po"
    )
    assert set(changed_lines(PO, after)) <= set(entry_lines(PO, "Third."))
    entry = polib.pofile(after).find("Third.")
    assert entry.msgstr == "Tercero." and entry.fuzzy
    # The obsolete entry, the header and every comment are as they were.
    assert after.endswith('#~ msgid "A third, removed."\n#~ msgstr "Un tercero, quitado."\n')
    assert after.startswith(PO[: PO.index("#: articles/a.html:main/p[3]")])
    msgfmt_ok(tmp_path, after)


def test_approving_clears_fuzzy_and_the_previous_msgid_and_keeps_other_flags(
    tmp_path: Path,
) -> None:
    msgid = "The second paragraph with a <1>link</1>."
    after = editing.edit_entry(
        PO,
        msgctxt=None,
        msgid=msgid,
        msgstr="El segundo párrafo con un <1>enlace</1>.",
        approve=True,
        file="x.po",
    )
    assert set(changed_lines(PO, after)) <= set(entry_lines(PO, msgid))
    entry = polib.pofile(after).find(msgid)
    assert not entry.fuzzy and entry.previous_msgid is None
    assert entry.flags == ["python-format"]
    assert entry.tcomment == "machine translation: apertium"  # the history stays
    assert entry.msgstr == "El segundo párrafo con un <1>enlace</1>."
    msgfmt_ok(tmp_path, after)


def test_the_new_msgstr_is_written_as_polib_writes_it() -> None:
    long = "Una traducción bastante larga " * 6 + 'con "comillas" y\ttabulador.'
    after = editing.edit_entry(
        PO, msgctxt=None, msgid="First paragraph.", msgstr=long, approve=True, file="x.po"
    )
    entry = polib.POEntry(msgid="First paragraph.", msgstr=long)
    expected = entry.__unicode__(wrapwidth=78).split("\n", 1)[1].rstrip("\n")
    assert expected.startswith("msgstr")
    assert expected in after
    assert polib.pofile(after).find("First paragraph.").msgstr == long


def test_line_endings_of_a_crlf_file_are_kept() -> None:
    crlf = PO.replace("\n", "\r\n")
    after = editing.edit_entry(
        crlf, msgctxt=None, msgid="Third.", msgstr="Tercero.", approve=False, file="x.po"
    )
    assert "\n" not in after.replace("\r\n", "")
    assert after.replace("\r\n", "\n") == editing.edit_entry(
        PO, msgctxt=None, msgid="Third.", msgstr="Tercero.", approve=False, file="x.po"
    )


def test_an_approved_entry_saved_again_as_a_draft_gets_fuzzy_first() -> None:
    text = PO.replace("#, fuzzy, python-format", "#, python-format")
    msgid = "The second paragraph with a <1>link</1>."
    after = editing.edit_entry(
        text, msgctxt=None, msgid=msgid, msgstr="Otro <1>enlace</1>.", approve=False, file="x"
    )
    assert "#, fuzzy, python-format\n" in after
    # A draft keeps the previous msgid: Poedit still shows what changed in the source.
    assert polib.pofile(after).find(msgid).previous_msgid is not None


def test_an_entry_without_flags_gets_its_flag_line_before_the_msgid() -> None:
    after = editing.edit_entry(
        PO, msgctxt=None, msgid="First paragraph.", msgstr="Uno.", approve=False, file="x"
    )
    assert '#: articles/a.html:main/p[1]\n#, fuzzy\nmsgid "First paragraph."\n' in after


def test_a_changed_pseudo_text_loses_its_pseudo_flag() -> None:
    where = "#: articles/a.html:main/p[3]\n"
    text = PO.replace(where, where + "#, fuzzy, l10n-pseudo\n")
    text = text.replace('msgid "Third."\nmsgstr ""', 'msgid "Third."\nmsgstr "[Ţĥîŕđ.]"')
    after = editing.edit_entry(
        text, msgctxt=None, msgid="Third.", msgstr="Tercero.", approve=True, file="x"
    )
    assert catalog.PSEUDO not in polib.pofile(after).find("Third.").flags


def test_context_tells_entries_apart() -> None:
    text = PO + '\nmsgctxt "menu"\nmsgid "Third."\nmsgstr ""\n'
    after = editing.edit_entry(
        text, msgctxt="menu", msgid="Third.", msgstr="Tercero (menú).", approve=True, file="x"
    )
    pofile = polib.pofile(after)
    assert pofile.find("Third.", msgctxt="menu").msgstr == "Tercero (menú)."
    assert pofile.find("Third.").msgstr == ""


def test_an_obsolete_entry_of_the_same_msgid_is_not_the_one_edited() -> None:
    obsolete = '#~ msgid "Third."\n#~ msgstr "Tercero, obsoleto."\n\n'
    text = PO.replace("#: articles/a.html:main/p[3]\n", obsolete + "#: articles/a.html:main/p[3]\n")
    after = editing.edit_entry(
        text, msgctxt=None, msgid="Third.", msgstr="Tercero.", approve=True, file="x"
    )
    assert obsolete in after
    assert 'msgid "Third."\nmsgstr "Tercero."\n' in after


def test_unknown_and_plural_entries_are_refused() -> None:
    with pytest.raises(CatalogError, match="no entry"):
        editing.edit_entry(PO, msgctxt=None, msgid="Nope", msgstr="x", approve=True, file="x")
    plural = PO + '\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    with pytest.raises(CatalogError, match="plural"):
        editing.edit_entry(plural, msgctxt=None, msgid="one", msgstr="x", approve=True, file="x")


def test_entries_are_the_live_ones() -> None:
    found = editing.entries(PO, file="x.po")
    assert [e.msgid for e in found] == [
        "First paragraph.",
        "The second paragraph with a <1>link</1>.",
        "Third.",
    ]
    assert found[1].previous_msgid == "The old second paragraph with a <1>link</1>."

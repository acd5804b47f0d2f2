from __future__ import annotations

import gettext as gettext_module
import random
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import polib
import pytest
from babel import Locale
from babel.messages.plurals import get_plural

import l10n.po as fast
from l10n import catalog
from l10n.catalog import (
    Message,
    Stats,
    Translation,
    apply_fills,
    count_words,
    merge,
    messages_from_segments,
    render_template,
    stats,
    translations,
)
from l10n.errors import CatalogError
from l10n.html import segment as segment_html
from l10n.html.model import Placeholder, Segment, SegmentKind, Span
from l10n.translate.run import Fill

CREATED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
ARTICLE = "articles/ai.html"


def segment(
    msgid: str, location: str, context: str = "p", legends: tuple[str, ...] = ()
) -> Segment:
    placeholders = tuple(
        Placeholder(
            number=number,
            name="a",
            standalone=False,
            open=Span(start=0, end=1),
            close=Span(start=2, end=3),
            legend=legend,
        )
        for number, legend in enumerate(legends, 1)
    )
    return Segment(
        msgid=msgid,
        kind=SegmentKind.TEXT,
        context=context,
        location=location,
        span=Span(start=0, end=1),
        placeholders=placeholders,
    )


def pot(*msgids: str) -> str:
    messages = [
        Message(msgid=m, locations=(f"{ARTICLE}:main/p[{n}]",), comments=("p",))
        for n, m in enumerate(msgids, 1)
    ]
    return render_template(messages, creation_date=CREATED)


def po(language: str, *pairs: tuple[str, str]) -> str:
    """A PO file as a translator's editor might leave it (long lines unwrapped)."""
    text = merge(pot(), None, language=language, source_language="en", file="x.po")
    for n, (msgid, msgstr) in enumerate(pairs, 1):
        text += f'\n#. p\n#: {ARTICLE}:main/p[{n}]\nmsgid "{msgid}"\nmsgstr "{msgstr}"\n'
    return text


def by_msgid(text: str) -> dict[str, Translation]:
    return {t.msgid: t for t in translations(text, file="x.po")}


def msgfmt_check(tmp_path: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


# --- messages and templates ----------------------------------------------------------------


def test_messages_merge_repeated_text() -> None:
    segments = [
        segment("Hello <1>world</1>", "main/p[1]", legends=('<a href="/w">',)),
        segment("Second.", "main/p[2]"),
        segment("Hello <1>world</1>", "main/li[1]", context="li", legends=('<a href="/w">',)),
        segment("Hello <1>world</1>", "main/p[1]"),
        segment("", "main/p[9]"),
    ]
    messages = messages_from_segments(
        ARTICLE, segments, {"Second.": ["glossary: Fudan University → 复旦大学"], "nope": ["x"]}
    )
    assert messages == [
        Message(
            msgid="Hello <1>world</1>",
            locations=(f"{ARTICLE}:main/p[1]", f"{ARTICLE}:main/li[1]"),
            comments=("p", '<1>…</1> = <a href="/w">', "li"),
        ),
        Message(
            msgid="Second.",
            locations=(f"{ARTICLE}:main/p[2]",),
            comments=("p", "glossary: Fudan University → 复旦大学"),
        ),
    ]


def test_template_text() -> None:
    messages = messages_from_segments(
        ARTICLE,
        [
            segment("Hello <1>world</1>", "main/p[1]", legends=("<a>",)),
            segment("Hello <1>world</1>", "main/p[3]", legends=("<a>",)),
        ],
    )
    text = render_template(messages, project="news", creation_date=CREATED)
    assert '"Project-Id-Version: news\\n"' in text
    assert '"POT-Creation-Date: 2024-03-01 12:00+0000\\n"' in text
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in text
    assert '"X-Generator: l10n\\n"' in text
    assert (
        "#. p\n#. <1>…</1> = <a>\n"
        "#: articles/ai.html:main/p[1] articles/ai.html:main/p[3]\n"
        'msgid "Hello <1>world</1>"\nmsgstr ""\n'
    ) in text
    assert text.endswith('msgstr ""\n')


def test_template_combines_duplicate_messages() -> None:
    text = render_template(
        [
            Message(msgid="Same", locations=("a.html#p[1]",), comments=("p",)),
            Message(msgid="Same", locations=("b.html#p[1]",), comments=("p", "li")),
        ],
        creation_date=CREATED,
    )
    assert text.count('msgid "Same"') == 1
    assert "#. p\n#. li\n#: a.html#p[1] b.html#p[1]\n" in text


def test_template_survives_odd_characters() -> None:
    msgid = 'Line\u2028separator, next\x85line, \x1cfile, form\x0cfeed, "quotes" \\ here'
    text = render_template(
        [Message(msgid=msgid, locations=("my article.html#p[1]",), comments=("a\rb",))],
        creation_date=CREATED,
    )
    assert "#: my%20article.html#p[1]\n" in text
    [entry] = translations(text, file="x.pot")
    assert entry.msgid == msgid
    assert entry.comment == "a\nb"


def test_msgfmt_accepts_template(tmp_path: Path) -> None:
    result = msgfmt_check(tmp_path, "ai.pot", pot("One.", "Two."))
    assert result.returncode == 0, result.stderr


# --- merging -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "gettext"), [("zh-Hans", "zh_Hans"), ("es", "es"), ("fr", "fr"), ("ar", "ar")]
)
def test_new_catalog_headers(tmp_path: Path, language: str, gettext: str) -> None:
    text = merge(pot("One."), None, language=language, source_language="en", file="x.po")
    read = fast.read(text)
    assert read is not None and not read.fuzzy
    metadata = read.metadata
    assert metadata["Language"] == gettext
    assert metadata["X-Source-Language"] == "en"
    assert metadata["POT-Creation-Date"] == "2024-03-01 12:00+0000"
    assert metadata["MIME-Version"] == "1.0"
    # Whatever the installed babel says, and a formula that reaches each of its forms.
    assert metadata["Plural-Forms"] == get_plural(Locale.parse(gettext)).plural_forms
    nplurals, expression = re.fullmatch(
        r"nplurals=(\d+); plural=(.*);", metadata["Plural-Forms"]
    ).groups()  # type: ignore[union-attr]
    formula = gettext_module.c2py(expression)
    reached = {formula(n) for n in [*range(1001), 10**6, 2 * 10**6]}
    assert reached == set(range(int(nplurals)))
    forms = "".join(f'msgstr[{n}] "form {n}"\n' for n in range(int(nplurals)))
    plural = f'\nmsgid "One file"\nmsgid_plural "Many files"\n{forms}'
    result = msgfmt_check(tmp_path, f"{language}.po", text + plural)
    assert result.returncode == 0, result.stderr
    assert by_msgid(text)["One."].msgstr == ""


def header_of(text: str) -> str:
    return text[: text.index("\n\n") + 1]


def test_merge_keeps_the_header_of_an_existing_catalog() -> None:
    existing = po("es", ("One.", "Uno."))
    plural_forms = fast.read(existing).metadata["Plural-Forms"]  # type: ignore[union-attr]
    edited = existing.replace(plural_forms, "nplurals=2; plural=n>1 ? 1 : 0;").replace(
        '"X-Generator: l10n\\n"', '"X-Generator: Poedit 3.4\\n"\n"X-Poedit-Basepath: .\\n"'
    )
    edited = edited.replace("# Spanish translation.", "# Traducción de Marie.\n# 2024", 1)
    edited = edited.replace('msgid ""', '#, fuzzy\nmsgid ""', 1)
    assert edited.count("Poedit") == 2 and "n>1 ? 1 : 0" in edited
    merged = merge(pot("One.", "Two."), edited, language="es", source_language="en", file="x.po")
    assert header_of(merged) == header_of(edited)
    later = render_template([Message(msgid="One.")], creation_date=datetime(2025, 5, 6, tzinfo=UTC))
    merged = merge(later, edited, language="es", source_language="en", file="x.po")
    assert header_of(merged) == header_of(edited).replace(
        "POT-Creation-Date: 2024-03-01 12:00+0000", "POT-Creation-Date: 2025-05-06 00:00+0000"
    )


def test_merge_adds_only_missing_required_header_fields(tmp_path: Path) -> None:
    existing = 'msgid ""\nmsgstr ""\n"Last-Translator: Marie\\n"\n\nmsgid "One."\nmsgstr "Uno."\n'
    text = merge(pot("One."), existing, language="es", source_language="en", file="x.po")
    metadata = fast.read(text).metadata  # type: ignore[union-attr]
    new = fast.read(merge(pot(), None, language="es", source_language="en", file="x.po"))
    assert new is not None
    assert metadata["Last-Translator"] == "Marie"
    assert metadata["Plural-Forms"] == new.metadata["Plural-Forms"]
    assert set(metadata) == set(new.metadata) - {"X-Generator", "X-Source-Language"}
    result = msgfmt_check(tmp_path, "es.po", text)
    assert (result.returncode, result.stderr) == (0, "")


PLURAL_PO = (
    'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
    '# kept\n#: a.html\nmsgid "One file"\nmsgid_plural "{n} files"\n'
    'msgstr[0] "Un archivo"\nmsgstr[1] "{n} archivos"\n\n'
    '#, fuzzy\n#| msgid "A dog"\n#| msgid_plural "{n} dogs"\nmsgid "One dog"\n'
    'msgid_plural "{n} dogs"\nmsgstr[0] "Un perro"\nmsgstr[1] "{n} perros"\n\n'
    'msgid "Open."\nmsgstr ""\n\n'
    '#~ msgid "Gone"\n#~ msgid_plural "Gones"\n#~ msgstr[0] "Ido"\n#~ msgstr[1] "Idos"\n'
)


def test_plural_entries_survive_merge_and_fill(tmp_path: Path) -> None:
    assert fast.read(PLURAL_PO) is None  # read by polib, into po.Entry
    template = PLURAL_PO.replace('msgstr[0] "Un archivo"', 'msgstr[0] ""').replace(
        'msgstr[1] "{n} archivos"', 'msgstr[1] ""'
    )
    merged = merge(template, PLURAL_PO, language="es", source_language="en", file="x.po")
    as_polib = str(polib.pofile(PLURAL_PO, wrapwidth=78))
    assert merged[merged.index("\n\n") :] == as_polib[as_polib.index("\n\n") :]  # all kept
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in merged
    filled = fill(merged, {"Open.": "Abierto.", "One file": "x"}, file="x.po", engine="e")
    assert filled == merged.replace('msgid "Open."\nmsgstr ""', (
        '# machine translation: e\n#, fuzzy\nmsgid "Open."\nmsgstr "Abierto."'
    ))
    result = msgfmt_check(tmp_path, "es.po", filled)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", ["zh-Hans", "es", "fr", "ar", "pt-BR"])
def test_msgfmt_accepts_merged_catalogs(tmp_path: Path, language: str) -> None:
    existing = po(language, ("One.", "1"), ("Gone.", "g"), ("Two words here.", "2"))
    existing = existing.replace('msgid "Two words here."', '#, fuzzy\nmsgid "Two words here."')
    text = merge(
        pot("One.", "Two words there.", "Three."),
        existing,
        language=language,
        source_language="en",
        file="x.po",
    )
    assert "#~ " in text and "#| " in text  # exercise obsolete and previous-msgid syntax
    result = msgfmt_check(tmp_path, f"{language}.po", text)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_merge_keeps_translations_and_takes_template_positions() -> None:
    existing = po("es", ("One.", "Uno."), ("Two.", "Dos."))
    existing = existing.replace('msgid "Two."', '# checked with the desk\n#, no-wrap\nmsgid "Two."')
    template = render_template(
        [
            Message(msgid="Two.", locations=("articles/b.html#h1",), comments=("h1",)),
            Message(msgid="New.", locations=("articles/b.html#p[1]",)),
            Message(msgid="One.", locations=("articles/b.html#p[2]",), comments=("p",)),
        ],
        creation_date=datetime(2025, 1, 2, 3, 4, tzinfo=UTC),
    )
    text = merge(template, existing, language="es", source_language="en", file="x.po")
    assert [t.msgid for t in translations(text, file="x.po")] == ["Two.", "New.", "One."]
    assert (
        "# checked with the desk\n#. h1\n#: articles/b.html#h1\n#, no-wrap\n"
        'msgid "Two."\nmsgstr "Dos."\n'
    ) in text
    assert '#: articles/b.html#p[2]\nmsgid "One."\nmsgstr "Uno."\n' in text
    assert '"POT-Creation-Date: 2025-01-02 03:04+0000\\n"' in text
    assert "#~" not in text


def test_merge_keeps_translator_headers() -> None:
    existing = po("fr", ("One.", "Un.")).replace(
        '"Last-Translator: \\n"', '"Last-Translator: Marie <marie@example.org>\\n"'
    )
    existing = existing.replace('"Language: fr\\n"', '"Language: de\\n"')
    text = merge(pot("One."), existing, language="fr", source_language="en", file="x.po")
    assert '"Last-Translator: Marie <marie@example.org>\\n"' in text
    assert '"Language: fr\\n"' in text
    assert '"Language: de\\n"' not in text


def test_changed_source_becomes_fuzzy_with_previous_msgid() -> None:
    existing = po("es", ("The minister resigned on Monday.", "El ministro dimitió el lunes."))
    text = merge(
        pot("The minister resigned on Tuesday."),
        existing,
        language="es",
        source_language="en",
        file="x.po",
    )
    assert (
        "#, fuzzy\n"
        '#| msgid "The minister resigned on Monday."\n'
        'msgid "The minister resigned on Tuesday."\n'
        'msgstr "El ministro dimitió el lunes."\n'
    ) in text
    entry = translations(text, file="x.po")[0]
    assert entry.fuzzy
    assert "#~" not in text


def test_fuzzy_match_of_a_fuzzy_entry_keeps_the_text_its_translation_was_for() -> None:
    existing = po("es", ("The minister resigned on Monday.", "El ministro dimitió el lunes."))
    existing = existing.replace(
        'msgid "The minister resigned on Monday."',
        '#, fuzzy\n#| msgid "A minister resigned on Monday."\n'
        'msgid "The minister resigned on Monday."',
    )
    text = merge(
        pot("The minister resigned on Sunday."),
        existing,
        language="es",
        source_language="en",
        file="x.po",
    )
    assert (
        '#| msgid "A minister resigned on Monday."\nmsgid "The minister resigned on Sunday."'
        in text
    )


def test_template_errors_name_the_template() -> None:
    with pytest.raises(CatalogError) as caught:
        merge(
            'msgid "a"\nmsgstr ""\ngarbage\n',
            None,
            language="es",
            source_language="en",
            file="locales/es/ai.po",
            template_file="locales/templates/ai.pot",
        )
    assert str(caught.value) == "locales/templates/ai.pot:3: syntax error in PO file"


def test_one_word_change_in_a_long_paragraph_is_still_similar() -> None:
    # difflib's default autojunk rates this pair 0.06: it ignores every letter that is
    # common in a text of 200+ characters, and get_close_matches() would find nothing.
    paragraph = (
        "The gap is real, and it would be foolish to deny it. American companies still lead "
        "in frontier models, in the advanced chips that train them and in the deep pools of "
        "venture capital that pay for both. Admitting this is not defeatism. It is the "
        "starting point for any strategy worth having."
    )
    existing = po("zh-Hans", (paragraph, "差距是真实的。"))
    changed = paragraph.replace("real,", "new")
    text = merge(pot(changed), existing, language="zh-Hans", source_language="en", file="x.po")
    entry = translations(text, file="x.po")[0]
    assert entry.msgid == changed
    assert (entry.fuzzy, entry.msgstr) == (True, "差距是真实的。")


def test_an_old_translation_is_offered_only_once() -> None:
    existing = po("es", ("The cat sat on the mat.", "El gato."))
    text = merge(
        pot("The cat sat on the mats.", "The cat sat on a mat."),
        existing,
        language="es",
        source_language="en",
        file="x.po",
    )
    assert [t.msgstr for t in translations(text, file="x.po")] == ["El gato.", ""]


def test_unrelated_new_text_gets_no_fuzzy_translation() -> None:
    existing = po("es", ("The minister resigned on Monday.", "El ministro dimitió."))
    text = merge(
        pot("Markets rallied."), existing, language="es", source_language="en", file="x.po"
    )
    assert translations(text, file="x.po")[0].msgstr == ""
    assert '#~ msgid "The minister resigned on Monday."\n#~ msgstr "El ministro dimitió."' in text


def test_vanished_entries_become_obsolete_or_go() -> None:
    existing = po("fr", ("Kept.", "Gardé."), ("Gone and translated.", "Parti."), ("Empty.", ""))
    text = merge(
        pot("Kept.", "Brand new."), existing, language="fr", source_language="en", file="x.po"
    )
    assert text.rstrip().endswith('#~ msgid "Gone and translated."\n#~ msgstr "Parti."')
    assert "Empty." not in text
    assert [t.msgid for t in translations(text, file="x.po")] == ["Kept.", "Brand new."]


def test_obsolete_entry_is_revived_when_its_text_returns() -> None:
    existing = po("es", ("Back again.", "De nuevo."))
    gone = merge(pot("Other."), existing, language="es", source_language="en", file="x.po")
    assert '#~ msgid "Back again."' in gone
    back = merge(
        pot("Other.", "Back again."), gone, language="es", source_language="en", file="x.po"
    )
    entries = by_msgid(back)
    revived = entries["Back again."]
    assert (revived.msgstr, revived.fuzzy) == ("De nuevo.", False)
    assert "#~" not in back


def test_merge_of_2000_entries_finds_each_edited_one() -> None:
    # Speed is for bench/; this checks the indexed similarity search misses nothing.
    rng = random.Random(7)
    vocabulary = [f"word{n}" for n in range(3000)]
    sentences = list(
        dict.fromkeys(" ".join(rng.choices(vocabulary, k=rng.randint(3, 60))) for _ in range(2000))
    )
    existing = po("es", *((s, s.upper()) for s in sentences))
    edited = [s + " extra" if n % 10 == 0 else s for n, s in enumerate(sentences)]
    text = merge(pot(*edited), existing, language="es", source_language="en", file="x.po")
    result = translations(text, file="x.po")
    assert sum(t.fuzzy for t in result) == len(range(0, len(sentences), 10))
    assert all(t.msgstr == t.msgid.removesuffix(" extra").upper() for t in result)


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nbogus line\n', 5),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d\n', 5),
        ('msgid "a"\nmsgstr "b"\n"unbalanced " quote"\n', 3),
        ('msgid "a"\nmsgid_plural\n', 2),
    ],
)
def test_syntax_errors_name_file_and_line(text: str, line: int) -> None:
    with pytest.raises(CatalogError) as caught:
        translations(text, file="locales/es/ai.po")
    assert caught.value.file == "locales/es/ai.po"
    assert caught.value.line == line
    assert str(caught.value).startswith(f"locales/es/ai.po:{line}: syntax error")
    assert "\n" not in str(caught.value)


def test_polib_errors_are_wrapped() -> None:
    with pytest.raises(CatalogError) as caught:
        translations('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', file="x.po")
    assert isinstance(caught.value.__cause__, OSError)
    assert caught.value.line == 3


def test_text_is_never_read_as_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ai.po").write_text(po("es", ("One.", "Uno.")), encoding="utf-8")
    with pytest.raises(CatalogError):
        translations("ai.po", file="ai.po")
    assert translations("", file="empty.po") == []
    assert stats("", file="empty.po").percent == 100.0


def test_translation_lines_point_at_msgid() -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n'  # 1-3
        '\n# note\n#. p\n#: a.html#p[1]\n#, fuzzy\nmsgid "One."\nmsgstr "Uno."\n'  # 4-10
        'msgctxt "menu"\nmsgid ""\n"Two "\n"lines."\nmsgstr ""\n'  # 11-15
        '\n#~ msgid "Old."\n#~ msgstr "Viejo."\n'
    )
    one, two = translations(text, file="x.po")
    assert (one.line, one.msgid, one.fuzzy, one.tcomment, one.comment) == (
        9,
        "One.",
        True,
        "note",
        "p",
    )
    assert one.flags == ("fuzzy",)
    assert (two.line, two.msgctxt, two.msgid, two.msgstr, two.fuzzy) == (
        12,
        "menu",
        "Two lines.",
        "",
        False,
    )


# --- machine translation -------------------------------------------------------------------


def fill(text: str, filled: dict[str, str], *, file: str, engine: str, fuzzy: bool = True) -> str:
    """Machine translations by msgid, written the way ``l10n translate`` writes them."""
    return apply_fills(
        text,
        [
            Fill(msgid=m, msgstr=t, fuzzy=fuzzy, comment=f"machine translation: {engine}")
            for m, t in filled.items()
        ],
        file=file,
    )


def test_still_open_keeps_only_fills_for_entries_as_they_were_read() -> None:
    read = po("es", ("Saved.", ""), ("Open.", ""), ("Gone.", ""), ("Fuzzy.", "Borroso."))
    read = read.replace('msgid "Fuzzy."', '#, fuzzy\nmsgid "Fuzzy."')
    # Meanwhile a translator saved one entry and reworded the fuzzy one; one was removed.
    now = po("es", ("Saved.", "Guardado."), ("Open.", ""), ("Fuzzy.", "Otro."), ("New.", ""))
    now = now.replace('msgid "Fuzzy."', '#, fuzzy\nmsgid "Fuzzy."')
    fills = [
        Fill(msgid=m, msgstr=m.upper(), fuzzy=True, comment="machine translation: pseudo")
        for m in ("Saved.", "Open.", "Gone.", "Fuzzy.")
    ]
    kept = catalog.still_open(fills, read=read, now=now, file="x.po")
    assert [f.msgid for f in kept] == ["Open."]
    unchanged = catalog.still_open(fills, read=read, now=read, file="x.po")
    assert unchanged == fills


def test_fill_only_touches_untranslated_entries() -> None:
    existing = po("es", ("Done.", "Hecho."), ("Open.", ""), ("Other.", ""))
    text = fill(
        existing,
        {"Done.": "MT done", "Open.": "Abierto.", "Missing.": "x"},
        file="x.po",
        engine="pseudo",
    )
    entries = by_msgid(text)
    done, opened, other = entries["Done."], entries["Open."], entries["Other."]
    assert (done.msgstr, done.fuzzy, done.tcomment) == ("Hecho.", False, "")
    assert (opened.msgstr, opened.fuzzy) == ("Abierto.", True)
    assert opened.tcomment == "machine translation: pseudo"
    assert other.msgstr == ""
    assert "# machine translation: pseudo\n" in text


def test_fill_leaves_fuzzy_translations_and_obsolete_entries() -> None:
    existing = (
        po("es", ("Fuzzy.", "Borroso.")).replace('msgid "Fuzzy."', '#, fuzzy\nmsgid "Fuzzy."')
        + '\n#~ msgid "Old."\n#~ msgstr ""\n'
    )
    assert fill(existing, {"Fuzzy.": "x", "Old.": "y"}, file="x.po", engine="e") == existing


def test_fill_without_fuzzy_flag() -> None:
    text = fill(
        po("es", ("Open.", "")), {"Open.": "Abierto."}, file="x.po", engine="deepl", fuzzy=False
    )
    entry = by_msgid(text)["Open."]
    assert (entry.msgstr, entry.fuzzy) == ("Abierto.", False)
    assert entry.tcomment == "machine translation: deepl"


def test_msgfmt_accepts_filled_catalog(tmp_path: Path) -> None:
    text = fill(po("ar", ("Open.", "")), {"Open.": "مفتوح"}, file="x.po", engine="pseudo")
    result = msgfmt_check(tmp_path, "ar.po", text)
    assert result.returncode == 0, result.stderr


# --- statistics ----------------------------------------------------------------------------


def test_stats() -> None:
    text = po(
        "zh-Hans",
        ("Read <1>the full report</1> here.", "在<1>这里</1>阅读完整报告。"),
        ("Fuzzy one two.", "模糊"),
        ("Not yet translated, 2024!", ""),
        ("Also open.", ""),
    ).replace('msgid "Fuzzy one two."', '#, fuzzy\nmsgid "Fuzzy one two."')
    assert stats(text, file="x.po") == Stats(
        translated=1,
        fuzzy=1,
        untranslated=2,
        translated_words=5,
        fuzzy_words=3,
        untranslated_words=6,
        percent=25.0,
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hello, world!", 2),
        ("don't stop", 3),
        ("复旦大学 is in 上海", 8),
        ("ひらがなとカタカナ", 9),
        ("ภาษาไทย", 7),
        ("हिन्दी भाषा", 2),
        ("مرحبا بالعالم", 2),
        ("  ", 0),
    ],
)
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words


def test_placeholder_numbers_are_not_words() -> None:
    text = po("es", ("<1/> Photo <2>credit</2>", ""))
    assert stats(text, file="x.po").untranslated_words == 2


# --- the fast reader and writer (l10n.po) against polib ------------------------------------
#
# Templates, new catalogs and translations() no longer go through polib, which is slow;
# these tests hold l10n.po to producing and reading exactly what polib does.

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = sorted((SHARED / "corpus" / "dev").glob("*.html")) if SHARED.is_dir() else []

TRICKY = [
    "Plain text.",
    'He said "no", twice: ""',
    "back\\slash, \\n is not a line break, nor \\t; ends in \\",
    "tab\there\tand\t",
    "two\nlines\n",
    "\nstarts with a line break",
    "carriage\rreturn and CRLF\r\n",
    "form\x0cfeed, vertical\x0btab, back\x08space, nul\x00, escape\x1b",
    "line\u2028separator, next\x85line, file\x1cseparator",
    "A long paragraph that goes on and on, " * 6,
    "x" * 150,
    "two " + "y" * 100 + " long words " + "z" * 90,
    "Hyphenated self-contained long-term well-known co-op re-entry e-mail X-ray " * 3,
    "an em--dash, a ---- rule -- and - lone - hyphens -x- a-b-c-d " * 3,
    "9-11 and 2-3-4 and a-1 and über-schön " * 5,
    "a-b-cd " * 30,
    "中文的句子里没有空格，所以换行只能在标点之后进行。" * 5,
    "e\u0301" * 50 + " combining " + "a\u0308\u0301" * 30,
    "spaces  between   words and at the end   " * 3,
    "   leading spaces then text " * 4,
    "\u3000ideographic\u3000spaces\u3000and\xa0no-break\xa0spaces " * 4,
    '"' * 80,
    "\\" * 80,
    "",
]


def occurrence(word: str) -> tuple[str, str]:
    path, colon, number = word.rpartition(":")
    return (path, number) if colon and number.isdigit() else (word, "")


def polib_file(
    entries: list[fast.Entry], header: str = "Head.", metadata: dict[str, str] | None = None
) -> polib.POFile:
    pofile = polib.POFile(wrapwidth=78)
    pofile.header = header
    pofile.metadata = {"Language": "es", "X-Other": "1"} if metadata is None else metadata
    for e in entries:
        pofile.append(
            polib.POEntry(
                msgid=e.msgid,
                msgstr=e.msgstr,
                msgctxt=e.msgctxt,
                comment=e.comment,
                tcomment=e.tcomment,
                occurrences=[occurrence(word) for word in e.files],
                flags=list(e.flags),
                previous_msgctxt=e.previous_msgctxt,
                previous_msgid=e.previous_msgid,
                obsolete=e.obsolete,
                msgid_plural=e.msgid_plural,
                msgstr_plural=dict(e.msgstr_plural),
                previous_msgid_plural=e.previous_msgid_plural,
            )
        )
    return pofile


def tricky_entries(text: str) -> list[fast.Entry]:
    long_path = "articles/" + "very-long-directory-name/" * 3 + "page.html:main/div[2]/p[14]"
    return [
        fast.Entry(text or "x", comment=text, files=(f"{ARTICLE}:main/p[1]",)),
        fast.Entry("id", text, msgctxt=text, tcomment=text, flags=("fuzzy", "no-wrap")),
        fast.Entry(
            text + " (changed)",
            text,
            comment=f"p\n{text}\n<1>…</1> = <a href='https://example.org/{text[:30]}'>",
            files=(long_path, "a.html:12", "b*c.html", "d-e.html", long_path + "-2"),
            flags=("fuzzy",),
            previous_msgctxt=text,
            previous_msgid=text or "before",
        ),
        fast.Entry(text + " (gone)", text or "t", tcomment=text, flags=("fuzzy",), obsolete=True),
        fast.Entry(text + " (gone too)", "t", msgctxt="c", previous_msgid=text, obsolete=True),
        fast.Entry(  # "#:" lines just fitting, and not
            text + " (here)", files=("a" * 37, "b" * 38, "c" * 75, "d", "e" * 76, "f" * 36, "g")
        ),
    ]


def plural_entries(text: str) -> list[fast.Entry]:
    return [
        fast.Entry(text or "x", msgid_plural=text + "s", msgstr_plural={0: text, 1: "", 2: text}),
        fast.Entry(
            "id",
            msgctxt=text,
            flags=("fuzzy",),
            previous_msgid=text,
            previous_msgid_plural=text or "before",
            msgid_plural="ids",
            msgstr_plural={2: text + " (two)", 0: "first", 1: text},  # polib sorts them
        ),
        fast.Entry(
            text + " (gone)",
            tcomment=text,
            previous_msgid_plural="p",
            msgid_plural=text,
            msgstr_plural={0: text},
            obsolete=True,
        ),
    ]


@pytest.mark.parametrize("text", TRICKY)
def test_po_writes_plural_forms_as_polib_does(text: str) -> None:
    entries = [*plural_entries(text), *tricky_entries(text)]
    written = fast.write("Head.", {"Language": "es", "X-Other": "1"}, entries)
    assert written == str(polib_file(entries))
    read = catalog._read(written, file="x.po")  # by polib, into po.Entry: nothing lost
    theirs = catalog.parse(written, file="x.po")
    fields = ("msgid", "msgid_plural", "msgstr", "msgstr_plural", "msgctxt", "previous_msgid")
    fields += ("previous_msgid_plural", "obsolete", "tcomment", "comment")
    assert [([getattr(e, f) for f in fields], list(e.flags)) for e in read.entries] == [
        ([getattr(e, f) for f in fields], e.flags) for e in theirs
    ]
    assert fast.write(read.header, read.metadata, read.entries) == str(theirs)


def polib_translations(text: str) -> list[Translation]:
    """translations() as it was, on polib alone."""
    pofile, lines = catalog._parse(text, file="x.po")
    return [
        Translation(
            msgid=e.msgid,
            msgctxt=e.msgctxt,
            msgstr=e.msgstr,
            fuzzy=e.fuzzy,
            line=catalog._msgid_line(e, lines),
            flags=tuple(e.flags),
            comment=e.comment,
            tcomment=e.tcomment,
            previous_msgid=e.previous_msgid,
        )
        for e in pofile
        if not e.obsolete
    ]


def polib_template(messages: list[Message]) -> str:
    """render_template() as it was, on polib alone."""
    pofile = polib.POFile(wrapwidth=78)
    pofile.header = "Translation template for l10n."
    pofile.metadata = {
        "Project-Id-Version": "l10n",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2024-03-01 12:00+0000",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "l10n",
    }
    combined: dict[tuple[str | None, str], polib.POEntry] = {}
    for message in messages:
        entry = combined.get((message.msgctxt, message.msgid))
        if entry is None:
            entry = combined[message.msgctxt, message.msgid] = polib.POEntry(
                msgid=message.msgid, msgctxt=message.msgctxt
            )
            pofile.append(entry)
        for location in message.locations:
            if (catalog._one_word(location), "") not in entry.occurrences:
                entry.occurrences.append((catalog._one_word(location), ""))
        lines = entry.comment.split("\n") if entry.comment else []
        lines += [c for c in catalog._comment_lines(message.comments) if c not in lines]
        entry.comment = "\n".join(lines)
    return str(pofile)


def polib_new_catalog(template: str, language: str, notes: dict[str, list[str]]) -> str:
    """merge(template, None) as it was, on polib alone."""
    pot = catalog.parse(template, file="x.pot")
    pofile = polib.POFile(wrapwidth=78)
    pofile.header = f"{catalog._english(language)} translation."
    pofile.metadata = catalog._metadata(pot.metadata, language=language, source="en")
    seen: set[tuple[str | None, str]] = set()
    for ref in pot:
        if ref.obsolete or (ref.msgctxt, ref.msgid) in seen:
            continue
        seen.add((ref.msgctxt, ref.msgid))
        entry = polib.POEntry(
            msgid=ref.msgid,
            msgctxt=ref.msgctxt,
            occurrences=list(ref.occurrences),
            comment=catalog._with_notes(ref.comment, notes.get(ref.msgid, ())),
            flags=[f for f in ref.flags if f != "fuzzy"],
        )
        pofile.append(entry)
    return str(pofile)


def same_as_polib(text: str) -> None:
    """po.read() reads ``text`` as polib does, or leaves it to polib."""
    ours = fast.read(text)
    if ours is not None:
        theirs = catalog.parse(text, file="x.po")
        assert (ours.header, ours.metadata, ours.fuzzy) == (
            theirs.header,
            theirs.metadata,
            theirs.metadata_is_fuzzy,
        )
        fields = ("msgid", "msgstr", "msgctxt", "comment", "tcomment", "previous_msgctxt")
        fields += ("previous_msgid", "obsolete")
        assert [
            ([getattr(e, f) for f in fields], [occurrence(f) for f in e.files], list(e.flags))
            for e in ours.entries
        ] == [([getattr(e, f) for f in fields], e.occurrences, e.flags) for e in theirs]
    try:
        expected: object = polib_translations(text)
    except CatalogError as exc:
        expected = (str(exc), exc.line)
    try:
        actual: object = translations(text, file="x.po")
    except CatalogError as exc:
        actual = (str(exc), exc.line)
    assert actual == expected


@pytest.mark.parametrize("text", TRICKY)
def test_po_writes_what_polib_writes(text: str) -> None:
    entries = tricky_entries(text)
    for header in ("Head.", "", "two\nlines\n\n,: odd"):
        metadata = {"Zeta": "z", "Language": "es", "Plural-Forms": "nplurals=1; plural=0;"}
        for fuzzy in (False, True):
            expected = polib_file(entries, header, metadata)
            expected.metadata_is_fuzzy = fuzzy
            assert fast.write(header, metadata, entries, fuzzy=fuzzy) == str(expected)


@pytest.mark.parametrize("text", TRICKY)
def test_po_reads_what_polib_reads(text: str) -> None:
    written = str(polib_file(tricky_entries(text)))
    assert fast.read(written) is not None  # polib's own layout takes the fast way
    same_as_polib(written)


@pytest.mark.parametrize("text", TRICKY)
def test_template_and_new_catalog_match_polib(text: str) -> None:
    messages = [
        Message(msgid=text or "x", locations=("a b.html#p*1", "x.html:3"), comments=(text,)),
        Message(msgid="twice", locations=("a b.html", "a%20b.html", "x.html", "x.html")),
        Message(msgid="ctx", msgctxt=text, locations=(f"{ARTICLE}:{text[:40]}",)),
        Message(msgid=text or "x", locations=("c.html",), comments=("p", text, "p")),
        Message(msgid=f"{text} again", comments=(f"{text}\r{text}", " ", "")),
    ]
    template = render_template(messages, creation_date=CREATED)
    assert template == polib_template(messages)
    notes = {text or "x": ["glossary: a → b", text], "ctx": ["n"]}
    for language in ("es", "zh-Hans"):
        new = merge(template, None, language=language, source_language="en", file="x.po")
        assert new == polib_new_catalog(template, language, {})
        new = merge(
            template, None, language=language, source_language="en", file="x.po", notes=notes
        )
        assert new == polib_new_catalog(template, language, notes)
        same_as_polib(new)
    edited = str(polib_file(tricky_entries(text)))  # flags, translations, obsolete entries
    assert merge(edited, None, language="es", source_language="en", file="x.po") == (
        polib_new_catalog(edited, "es", {})
    )


@pytest.mark.parametrize("text", TRICKY)
def test_merge_into_a_catalog_reads_the_template_as_polib_does(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = render_template(
        [
            Message(msgid=text or "x", locations=("a.html", "b.html:2"), comments=(text,)),
            Message(msgid=f"{text}!", msgctxt=text, locations=("b-c.html:3", "d.html")),
            Message(msgid="Kept.", locations=("c.html",)),
        ],
        creation_date=CREATED,
    ).replace('msgid "Kept."', '#, fuzzy, c-format\nmsgid "Kept."')
    existing = str(polib_file([*tricky_entries(text), fast.Entry("Kept.", "Guardado.")]))
    merged = merge(template, existing, language="es", source_language="en", file="x.po")
    result = {(e.msgctxt, e.msgid): e for e in catalog.parse(merged, file="x.po")}
    for ref in catalog.parse(template, file="x.pot"):
        entry = result[ref.msgctxt, ref.msgid]
        assert (entry.occurrences, entry.comment) == (ref.occurrences, ref.comment)
        kept = [flag for flag in ref.flags if flag != "fuzzy"]  # the template's, then others
        assert entry.flags[: len(kept)] == kept
    monkeypatch.setattr(fast, "read", lambda text: None)  # polib reads everything now
    assert merge(template, existing, language="es", source_language="en", file="x.po") == merged


@pytest.mark.parametrize(
    "text",
    [
        'msgid ""\r\nmsgstr ""\r\n"Language: es\\n"\r\n\r\nmsgid "a"\r\nmsgstr "b"\r\n',
        '\ufeffmsgid "a"\nmsgstr "b"\n',
        'msgid "a"\nmsgstr "b"',  # no line break at the end
        '\n\n\nmsgid "a"\nmsgstr "b"\n\n\n',
        '  msgid "a"\nmsgstr "b"\n',
        'msgid "a" \nmsgstr "b"\t\n',
        'msgid  "a"\nmsgstr\t"b"\n',
        'msgid "a"\n\nmsgstr "b"\n',
        'msgid "a"\n# between\nmsgstr "b"\n',
        'msgctxt "c"\n#. between\nmsgid "a"\nmsgstr "b"\n',
        'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "bs"\n',
        'msgid "a"\nmsgstr ""\n"b"\n\n"c"\n',
        'msgid ""\nmsgstr "X: 1\\n"\n\nmsgid ""\nmsgstr "Y: 2\\n"\n',
        'msgctxt "h"\nmsgid ""\nmsgstr "X: 1\\n"\n',
        '#, fuzzy\nmsgid ""\nmsgstr "X: 1\\n"\n"continued\\n"\n"Y: 2\\n"\n',
        '# head\n#\n##two\n#. x\n# tc\nmsgid "a"\nmsgstr "b"\n',
        '#.\n#:\n#,\n# \n#.   spaced  \n#: a:1 b:x c: :4 d:²\n#, fuzzy,, c\nmsgid "a"\nmsgstr ""\n',
        '#| msgid "p"\n#| "q"\n#| msgctxt "c"\n#| "d"\nmsgid "a"\nmsgstr "b"\n',
        '#| "q"\nmsgid "a"\nmsgstr "b"\n',
        '#| msgid "p"\n# tc, not the header\nmsgid "a"\nmsgstr "b"\n',
        '#~| msgid "p"\n# the header\nmsgid "a"\nmsgstr "b"\n',
        '#| msgid "p"\n#. x\n#| "q"\nmsgid "a"\nmsgstr "b"\n',
        '#|msgid "p"\nmsgid "a"\nmsgstr "b"\n',
        '#| msgid_plural "p"\nmsgid "a"\nmsgstr "b"\n',
        '#~| msgid "p"\n#~ msgid "a"\n#~ msgstr "b"\n',
        '#~| msgid "p\n#~ msgid "a"\n#~ msgstr "b"\n',
        '#~ msgid "a"\nmsgstr "b"\n',
        '#~ msgid "a"\n#~ msgstr ""\n#~ "b"\n',
        '#~ msgid ""\n#~ "a"\n#~ msgstr "b"\n\nmsgid ""\nmsgstr "X: y\\n"\n',
        '#~\tmsgid "a"\n#~\tmsgstr "b"\n',
        'msgid "a"\nmsgstr "b"\n# trailing comment\n',
        'msgid "a\\x41 \\101 \\\\\\""\nmsgstr "\\a\\q"\n',
        'msgid "a"\nmsgstr "b"\n"',
        'msgid "a"\nmsgstr "b\n',
        'msgid "a"\nmsgstr "b""c"\n',
        "# only a comment\n",
        "",
    ],
)
def test_unusual_po_files_read_as_polib_reads_them(text: str) -> None:
    same_as_polib(text)


def test_random_entries_match_polib() -> None:
    rng = random.Random(11)
    pieces = ["a", "b", " ", " ", "-", "--", '"', "\\", "\t", "\n", "\r", "é", "字", "\u0301"]
    pieces += ["\x0b", "\x1c", "\u2028", "\x85", "\u3000", "*", ":", "#", "|", "~", "msgid"]

    def text() -> str:
        size = rng.choice([0, 5, 20, 60, 80, 150])
        return "".join(
            rng.choice(["a", "b", "e", " "]) if rng.random() < 0.7 else rng.choice(pieces)
            for _ in range(rng.randint(0, size))
        )

    for _ in range(150):
        entries = [
            fast.Entry(
                text() or "x",
                text(),
                rng.choice([None, "", text()]),
                text(),
                text(),
                tuple(rng.choice(["a.html", "b-c.html:1", "d*e", "f:x", "g" * 70]) for _ in "ab"),
                rng.choice([(), ("fuzzy",), ("fuzzy", "c-format")]),
                rng.choice([None, text()]),
                rng.choice([None, text()]),
                rng.random() < 0.2,
            )
            for _ in range(4)
        ]
        written = str(polib_file(entries))
        assert fast.write("Head.", {"Language": "es", "X-Other": "1"}, entries) == written
        same_as_polib(written)
        lines = written.split("\n")
        for _ in range(3):  # and now a translator's editor, or a mistake, has been at it
            n = rng.randrange(len(lines))
            lines[n] = rng.choice([" ", "", "#", "#~ ", "#| ", '"']) + lines[n]
        same_as_polib("\n".join(lines))


@pytest.mark.skipif(not CORPUS, reason=f"corpus not found in {SHARED}")
@pytest.mark.parametrize("page", CORPUS, ids=lambda page: page.name)
def test_corpus_catalogs_match_polib(page: Path) -> None:
    doc = segment_html(page.read_bytes())
    messages = messages_from_segments(f"articles/{page.name}", doc.segments)
    template = render_template(messages, creation_date=CREATED)
    assert template == polib_template(messages)
    new = merge(template, None, language="es", source_language="en", file="x.po")
    assert new == polib_new_catalog(template, "es", {})
    for text in (template, new):
        assert fast.read(text) is not None
        assert translations(text, file="x.po") == polib_translations(text)


def _every_kind_of_fill(text: str) -> list[Fill]:
    """Machine, memory, fuzzy-memory, failed and glossary-miss fills over a catalog."""
    fills = []
    for n, entry in enumerate(e for e in polib.pofile(text) if not e.obsolete):
        kind = n % 4
        fills.append(
            Fill(
                msgid=entry.msgid,
                msgstr="" if kind == 3 else f"«{entry.msgid}» {n}",
                fuzzy=kind != 1,
                comment=("machine translation: pseudo", "translation memory: a.po")[kind % 2]
                + ("\nglossary term missing: X → Y" if kind == 2 else ""),
                previous_msgid=entry.msgid + " old" if kind == 1 else None,
                flags=("l10n-glossary-miss",) if kind == 2 else (),
            )
        )
    return fills


def polib_apply_fills(text: str, fills: list[Fill], *, refresh_fuzzy: bool) -> str:
    """apply_fills() as it was, on polib alone."""
    from l10n.catalog.updating import _comment, _flags

    by_msgid = {f.msgid: f for f in fills}
    pofile = catalog.parse(text, file="x.po")
    changed = False
    for entry in pofile:
        item = by_msgid.get(entry.msgid)
        if item is None or entry.obsolete or entry.msgstr_plural:
            continue
        if entry.msgstr and not (refresh_fuzzy and entry.fuzzy):
            continue
        entry.tcomment = _comment(entry.tcomment, item)
        changed = True
        if item.msgstr:
            entry.msgstr = item.msgstr
            entry.flags = list(_flags(tuple(entry.flags), item))
            entry.previous_msgid = item.previous_msgid
            entry.previous_msgctxt = None
    out = str(pofile)
    return (out if out.endswith("\n") else out + "\n") if changed else text


@pytest.mark.parametrize(
    "po_file", sorted(Path(__file__).parent.parent.glob("locales/*/*/*.po")), ids=str
)
@pytest.mark.parametrize("refresh", [False, True])
def test_apply_fills_writes_what_polib_writes(
    po_file: Path, refresh: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = po_file.read_text(encoding="utf-8")
    fills = _every_kind_of_fill(text)
    expected = polib_apply_fills(text, fills, refresh_fuzzy=refresh)
    assert fast.read(text) is not None  # the fast reader takes these
    assert apply_fills(text, fills, file="x.po", refresh_fuzzy=refresh) == expected
    monkeypatch.setattr(fast, "read", lambda text: None)  # and polib, feeding po.Entry
    assert apply_fills(text, fills, file="x.po", refresh_fuzzy=refresh) == expected


def test_apply_fills_on_plural_entries_writes_what_polib_writes() -> None:
    dog = Fill(msgid="One dog", msgstr="x", fuzzy=True, comment="c")
    fills = [*_every_kind_of_fill(PLURAL_PO), dog]
    for refresh in (False, True):
        result = apply_fills(PLURAL_PO, fills, file="x.po", refresh_fuzzy=refresh)
        assert result == polib_apply_fills(PLURAL_PO, fills, refresh_fuzzy=refresh)
        assert 'msgstr[1] "{n} perros"' in result


def test_count_words_ascii_fast_path_counts_like_the_general_rule() -> None:
    import string
    import unicodedata

    def by_category(text: str) -> int:  # the rule for text without CJK, kana or Thai
        words, in_word = 0, False
        for char in text:
            letter = unicodedata.category(char)[0] in "LN"
            words += letter and not in_word
            in_word = letter
        return words

    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 30)))
        assert count_words(text) == by_category(text), text

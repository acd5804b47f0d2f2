from __future__ import annotations

import random
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from l10n.catalog import (
    Message,
    Stats,
    Translation,
    count_words,
    fill,
    merge,
    messages_from_segments,
    render_template,
    stats,
    translations,
)
from l10n.errors import CatalogError
from l10n.html.model import Placeholder, Segment, SegmentKind, Span

CREATED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
ARTICLE = "articles/ai.html"

needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext not installed")


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


@needs_msgfmt
def test_msgfmt_accepts_template(tmp_path: Path) -> None:
    result = msgfmt_check(tmp_path, "ai.pot", pot("One.", "Two."))
    assert result.returncode == 0, result.stderr


# --- merging -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "gettext", "plural"),
    [
        ("zh-Hans", "zh_Hans", "nplurals=1; plural=0;"),
        ("es", "es", "nplurals=2; plural=(n != 1);"),
        ("fr", "fr", "nplurals=2; plural=(n > 1);"),
        ("ar", "ar", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "),
    ],
)
def test_new_catalog_headers(language: str, gettext: str, plural: str) -> None:
    text = merge(pot("One."), None, language=language, source_language="en", file="x.po")
    assert f'"Language: {gettext}\\n"' in text
    assert f'"Plural-Forms: {plural}' in text
    assert '"X-Source-Language: en\\n"' in text
    assert '"POT-Creation-Date: 2024-03-01 12:00+0000\\n"' in text
    assert '"MIME-Version: 1.0\\n"' in text
    assert '#, fuzzy\nmsgid ""' not in text
    assert by_msgid(text)["One."].msgstr == ""


@needs_msgfmt
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


def test_merge_of_2000_entries_is_fast() -> None:
    rng = random.Random(7)
    vocabulary = [f"word{n}" for n in range(3000)]
    sentences = list(
        dict.fromkeys(" ".join(rng.choices(vocabulary, k=rng.randint(3, 60))) for _ in range(2000))
    )
    existing = po("es", *((s, s.upper()) for s in sentences))
    edited = [s + " extra" if n % 10 == 0 else s for n, s in enumerate(sentences)]
    started = time.perf_counter()
    text = merge(pot(*edited), existing, language="es", source_language="en", file="x.po")
    assert time.perf_counter() - started < 10
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


@needs_msgfmt
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

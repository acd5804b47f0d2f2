"""Language alternates in the published head: hreflang links, og:locale, canonical."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from l10n.html import Alternate, Alternates, alternates_for, og_locale, publish, segment
from l10n.html.head import describe, edits
from l10n.html.parser import parse

ALT = Alternates(
    links=(
        Alternate(hreflang="en", href="https://ex.com/en/a.html"),
        Alternate(hreflang="es", href="https://ex.com/es/a.html"),
        Alternate(hreflang="x-default", href="https://ex.com/en/a.html"),
    ),
    og_locale="es_ES",
    og_alternates=("en_US",),
    canonical="https://ex.com/es/a.html",
)

NEW_TAGS = [
    '<link rel="alternate" hreflang="en" href="https://ex.com/en/a.html">',
    '<link rel="alternate" hreflang="es" href="https://ex.com/es/a.html">',
    '<link rel="alternate" hreflang="x-default" href="https://ex.com/en/a.html">',
    '<meta property="og:locale" content="es_ES">',
    '<meta property="og:locale:alternate" content="en_US">',
]


def lines(indent: str, newline: str = "\n", close: str = ">") -> str:
    """The new tags as they should appear, each on its own line."""
    return "".join(indent + tag[:-1] + close + newline for tag in NEW_TAGS)


def pub(page: str | bytes, alternates: Alternates | None = ALT, **kw: str) -> bytes:
    data = page.encode("utf-8") if isinstance(page, str) else page
    doc = segment(data)
    translations = {s.msgid: s.msgid for s in doc.segments}  # words unchanged
    return publish(
        doc,
        translations,
        language="es",
        source_language="en",
        alternates=alternates,
        **kw,
    ).data


def test_inserted_before_end_of_head_with_head_indentation() -> None:
    page = (
        "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=utf-8>\n    <title>T</title>\n"
        "  </head>\n  <body><p>Hello</p></body>\n</html>\n"
    )
    expected = (
        '<!DOCTYPE html>\n<html lang="es">\n  <head>\n    <meta charset=utf-8>\n'
        "    <title>T</title>\n"
        + lines("    ")
        + "  </head>\n  <body><p>Hello</p></body>\n</html>\n"
    )
    assert pub(page).decode() == expected


def test_crlf_page_stays_crlf() -> None:
    page = (
        "<html>\r\n<head>\r\n\t<meta charset=utf-8>\r\n\t<title>T</title>\r\n</head>\r\n"
        "<body><p>Hello</p></body></html>\r\n"
    )
    expected = (
        '<html lang="es">\r\n<head>\r\n\t<meta charset=utf-8>\r\n\t<title>T</title>\r\n'
        + lines("\t", "\r\n")
        + "</head>\r\n<body><p>Hello</p></body></html>\r\n"
    )
    out = pub(page).decode()
    assert out == expected
    assert "\n" not in out.replace("\r\n", "")


def test_xhtml_page_gets_self_closing_tags() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        '  <meta charset="utf-8" />\n  <title>T</title>\n</head>\n'
        "<body><p>Hello</p></body></html>\n"
    )
    expected = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="es">\n<head>\n'
        '  <meta charset="utf-8" />\n  <title>T</title>\n'
        + lines("  ", close=" />")
        + "</head>\n<body><p>Hello</p></body></html>\n"
    )
    assert pub(page).decode() == expected


def test_tight_self_closing_style_is_followed() -> None:
    page = "<head>\n<meta charset=utf-8/>\n</head>\n<p>Hello</p>\n"
    assert pub(page).decode() == (
        "<head>\n<meta charset=utf-8/>\n" + lines("", close="/>") + "</head>\n<p>Hello</p>\n"
    )


def test_head_without_end_tag_gets_tags_after_its_last_element() -> None:
    page = (
        "<html>\n<head>\n  <meta charset=utf-8>\n  <title>T</title>\n"
        "<body>\n<p>Hello</p>\n</body>\n</html>\n"
    )
    expected = (
        '<html lang="es">\n<head>\n  <meta charset=utf-8>\n  <title>T</title>\n'
        + "\n".join("  " + tag for tag in NEW_TAGS)
        + "\n<body>\n<p>Hello</p>\n</body>\n</html>\n"
    )
    assert pub(page).decode() == expected


def test_empty_head_without_end_tag() -> None:
    page = "<html><head>\n<body><p>Hello</p></body></html>"
    expected = (
        '<html lang="es"><head>\n' + "\n".join(NEW_TAGS) + "\n<body><p>Hello</p></body></html>"
    )
    assert pub(page).decode() == expected


def test_no_head_at_all_goes_after_html_start_tag() -> None:
    page = "<!doctype html>\n<html class=x>\n<body><p>Hello</p></body>\n</html>\n"
    expected = (
        '<!doctype html>\n<html class=x lang="es">\n'
        + "\n".join(NEW_TAGS)
        + "\n<body><p>Hello</p></body>\n</html>\n"
    )
    assert pub(page).decode() == expected


def test_no_head_keeps_charset_and_title_first() -> None:
    page = "<!doctype html>\n<meta charset=utf-8>\n<title>T</title>\n<p>Hello</p>\n"
    expected = (
        "<!doctype html>\n<meta charset=utf-8>\n<title>T</title>\n"
        + "\n".join(NEW_TAGS)
        + "\n<p>Hello</p>\n"
    )
    assert pub(page).decode() == expected


def test_no_html_and_no_head_goes_after_the_doctype() -> None:
    page = "<!DOCTYPE html><p>Hello</p>"
    assert pub(page).decode() == "<!DOCTYPE html>\n" + "\n".join(NEW_TAGS) + "\n<p>Hello</p>"


def test_old_alternates_are_replaced_in_place_without_duplicates() -> None:
    page = (
        "<html>\n<head>\n"
        "  <meta charset=utf-8>\n"
        '  <link rel="alternate" hreflang="en" href="https://ex.com/en/a.html">\n'
        '  <LINK REL="Alternate nofollow" HREFLANG=fr href="https://ex.com/fr/a.html"> \n'
        '  <link rel="alternate" type="application/rss+xml" href="/feed.xml">\n'
        "  <title>T</title>\n"
        '  <meta property="og:locale" content="en_US">\n'
        '  <meta name="og:locale:alternate" content="fr_FR">'
        "<meta property=og:type content=article>\n"
        "</head>\n<body><p>Hello</p></body></html>\n"
    )
    expected = (
        '<html lang="es">\n<head>\n'
        "  <meta charset=utf-8>\n"
        + lines("  ")
        + '  <link rel="alternate" type="application/rss+xml" href="/feed.xml">\n'
        "  <title>T</title>\n"
        "  <meta property=og:type content=article>\n"
        "</head>\n<body><p>Hello</p></body></html>\n"
    )
    out = pub(page).decode()
    assert out == expected
    assert out.count('hreflang="en"') == 1
    assert out.count("og:locale") == 2


def test_old_alternates_alone_are_removed_when_there_is_nothing_to_add() -> None:
    page = (
        "<head>\n<title>T</title>\n"
        "<link rel=alternate hreflang=fr href=/fr/><link rel=alternate hreflang=de href=/de/>\n"
        '<meta property="og:locale" content="en_US">\n</head>\n<p>Hello</p>\n'
    )
    out = pub(page, Alternates()).decode()
    assert out == "<head>\n<title>T</title>\n</head>\n<p>Hello</p>\n"


def test_old_alternate_sharing_a_line_is_replaced_on_its_own() -> None:
    page = (
        '<head><title>T</title><link rel="alternate" hreflang="fr" href="/fr/"></head><p>Hello</p>'
    )
    expected = "<head><title>T</title>\n" + "\n".join(NEW_TAGS) + "\n</head><p>Hello</p>"
    assert pub(page).decode() == expected


def test_minified_head_gets_one_tag_per_line() -> None:
    page = "<html><head><meta charset=utf-8><title>T</title></head><body><p>Hello</p></body></html>"
    expected = (
        '<html lang="es"><head><meta charset=utf-8><title>T</title>\n'
        + "\n".join(NEW_TAGS)
        + "\n</head><body><p>Hello</p></body></html>"
    )
    assert pub(page).decode() == expected


@pytest.mark.parametrize(
    ("tag", "rewritten"),
    [
        (
            '<link rel="canonical" href="https://ex.com/en/a.html">',
            '"https://ex.com/es/a.html?q=1&amp;r=&quot;2&quot;"',
        ),
        (
            "<link rel='canonical' href='https://ex.com/en/a.html'>",
            "'https://ex.com/es/a.html?q=1&amp;r=\"2\"'",
        ),
        (
            "<link rel=CANONICAL href=https://ex.com/en/a.html>",
            '"https://ex.com/es/a.html?q=1&amp;r=&quot;2&quot;"',
        ),
        ("<link rel=canonical href=/en/a.html>", None),
    ],
)
def test_canonical_href_is_rewritten_keeping_its_quotes(tag: str, rewritten: str | None) -> None:
    page = f"<head>\n{tag}\n</head>\n<p>Hello</p>\n"
    canonical = 'https://ex.com/es/a.html?q=1&r="2"' if rewritten else "/es/a.html"
    alternates = dataclasses.replace(ALT, canonical=canonical)
    out = pub(page, alternates).decode()
    old_href = tag[tag.index("href=") + 5 : -1]
    new_tag = tag.replace(old_href, rewritten or "/es/a.html")
    assert out == f"<head>\n{new_tag}\n" + lines("") + "</head>\n<p>Hello</p>\n"


def test_canonical_left_alone_without_a_new_one() -> None:
    page = '<head>\n<link rel="canonical" href="/en/a.html">\n</head>\n<p>Hello</p>\n'
    out = pub(page, dataclasses.replace(ALT, canonical=None)).decode()
    assert out == (
        '<head>\n<link rel="canonical" href="/en/a.html">\n' + lines("") + "</head>\n<p>Hello</p>\n"
    )


PAGES = [
    "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n<title>T</title>\r\n"
    '<link rel="alternate" hreflang="fr" href="/fr/">\r\n</head>\r\n<p>Hello</p>\r\n</html>',
    "<p>Hello</p>",
    "<head><link rel=canonical href=/en/><meta property=og:locale content=en_US></head>",
]


@pytest.mark.parametrize("page", PAGES)
def test_without_alternates_output_is_what_it_was(page: str) -> None:
    data = page.encode()
    doc = segment(data)
    identity = {s.msgid: s.msgid for s in doc.segments}
    before = publish(doc, identity, language="es", source_language="en").data
    assert pub(data, None) == before
    # The head description changes nothing by itself.
    without = dataclasses.replace(doc, page=dataclasses.replace(doc.page, head=None))
    assert publish(without, identity, language="es", source_language="en").data == before


def test_page_without_head_description_is_parsed_again() -> None:
    page = b"<head>\n<title>T</title>\n</head>\n<p>Hello</p>\n"
    doc = segment(page)
    bare = dataclasses.replace(doc, page=dataclasses.replace(doc.page, head=None))
    reparsed = publish(bare, {}, language="es", source_language="en", alternates=ALT).data
    assert reparsed == publish(doc, {}, language="es", source_language="en", alternates=ALT).data
    assert reparsed.count(b"hreflang") == 3


def test_page_with_head_description_pickles() -> None:
    doc = segment(b"<head>\n<link rel=canonical href=/en/>\n</head><p>Hello</p>")
    assert pickle.loads(pickle.dumps(doc)) == doc


def test_translated_title_of_removed_link_is_dropped() -> None:
    page = (
        "<head>\n<title>T</title>\n"
        '<link rel="alternate" hreflang="fr" title="French" href="/fr/">\n'
        "</head>\n<p>Hello</p>\n"
    )
    doc = segment(page.encode("cp1252"))
    out = publish(
        doc,
        {"French": "Français ☃", "Hello": "Hola"},
        language="es",
        source_language="en",
        alternates=ALT,
    )
    assert out.data.decode(out.encoding) == (
        '<head>\n<title lang="en">T</title>\n' + lines("") + "</head>\n<p>Hola</p>\n"
    )


def test_legacy_charset_page_gets_percent_encoded_urls() -> None:
    page = (
        '<html>\r\n<head>\r\n<meta charset="windows-1252">\r\n<title>Caf\xe9</title>\r\n'
        '<link rel="canonical" href="https://ex.com/en/caf\xe9.html">\r\n'
        "</head>\r\n<p>Caf\xe9 ouvert</p>\r\n</html>\r\n"
    ).encode("cp1252")
    alternates = Alternates(
        links=(
            Alternate(hreflang="en", href="https://ex.com/en/caf\xe9.html"),
            Alternate(hreflang="zh-Hans", href="https://ex.com/zh-Hans/咖啡馆.html?q=a b"),
        ),
        og_locale="zh_CN",
        canonical="https://ex.com/zh-Hans/咖啡馆.html",
    )
    doc = segment(page)
    out = publish(doc, {}, language="zh-Hans", source_language="en", alternates=alternates)
    assert out.encoding == "cp1252"
    assert out.data == (
        '<html lang="zh-Hans">\r\n<head>\r\n<meta charset="windows-1252">\r\n'
        '<title lang="en">Caf\xe9</title>\r\n'
        '<link rel="canonical" href="https://ex.com/zh-Hans/%E5%92%96%E5%95%A1%E9%A6%86.html">\r\n'
        '<link rel="alternate" hreflang="en" href="https://ex.com/en/caf%C3%A9.html">\r\n'
        '<link rel="alternate" hreflang="zh-Hans" '
        'href="https://ex.com/zh-Hans/%E5%92%96%E5%95%A1%E9%A6%86.html?q=a%20b">\r\n'
        '<meta property="og:locale" content="zh_CN">\r\n'
        '</head>\r\n<p lang="en">Caf\xe9 ouvert</p>\r\n</html>\r\n'
    ).encode("cp1252")


def test_utf8_page_keeps_readable_urls() -> None:
    alternates = Alternates(links=(Alternate(hreflang="zh-Hans", href="/zh-Hans/咖啡馆.html"),))
    out = pub("<head>\n</head>\n<p>Hello</p>", alternates).decode()
    assert out == (
        '<head>\n<link rel="alternate" hreflang="zh-Hans" href="/zh-Hans/咖啡馆.html">\n'
        "</head>\n<p>Hello</p>"
    )


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-Hans", "zh_CN"),
        ("zh-Hant", "zh_TW"),
        ("es", "es_ES"),
        ("fr", "fr_FR"),
        ("ar", "ar_EG"),
        ("en", "en_US"),
        ("pt-BR", "pt_BR"),
        ("sr-Latn", "sr_RS"),
        ("de-AT", "de_AT"),
        ("he", "he_IL"),
    ],
)
def test_og_locale_from_likely_subtags(tag: str, expected: str) -> None:
    assert og_locale(tag) == expected


def test_alternates_for_a_language_version() -> None:
    urls = {"en": "/en/a.html", "zh-Hans": "/zh-Hans/a.html", "zh-CN": "/zh-CN/a.html"}
    got = alternates_for(urls, language="zh-Hans", x_default="/en/a.html")
    assert got == Alternates(
        links=(
            Alternate(hreflang="en", href="/en/a.html"),
            Alternate(hreflang="zh-Hans", href="/zh-Hans/a.html"),
            Alternate(hreflang="zh-CN", href="/zh-CN/a.html"),
            Alternate(hreflang="x-default", href="/en/a.html"),
        ),
        og_locale="zh_CN",
        og_alternates=("en_US",),
        canonical="/zh-Hans/a.html",
    )


def test_edits_straight_from_a_parse_tree() -> None:
    text = "<head>\n<title>T</title>\n</head>"
    found = edits(describe(text, parse(text)), Alternates(og_locale="fr_FR"))
    assert found == [(24, 24, '<meta property="og:locale" content="fr_FR">\n')]
    assert describe(text, parse(text)).insert.start == 24

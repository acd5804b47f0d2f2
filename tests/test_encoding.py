"""Bytes ⇄ text: the codec a browser would use, and an exact way back to the source bytes."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.errors import ArticleError
from l10n.html import encoding, segment
from l10n.html.encoding import can_encode, codec_for_label, declared_charset, decode


def round_trips(data: bytes) -> tuple[str, str, bytes]:
    text, codec, bom = decode(data)
    assert bom + text.encode(codec, "surrogateescape") == data
    return text, codec, bom


# --- byte-order marks ----------------------------------------------------------------------


def test_utf8_bom_is_kept_apart_from_the_text() -> None:
    data = codecs.BOM_UTF8 + "<p>Crème brûlée</p>".encode()
    text, codec, bom = round_trips(data)
    assert (text, codec, bom) == ("<p>Crème brûlée</p>", "utf-8", codecs.BOM_UTF8)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_boms(bom: bytes, codec: str) -> None:
    data = bom + "<p>Grüße aus Köln</p>".encode(codec)
    text, found, kept = round_trips(data)
    assert (text, found, kept) == ("<p>Grüße aus Köln</p>", codec, bom)


def test_bom_wins_over_a_declared_charset() -> None:
    data = codecs.BOM_UTF8 + '<meta charset="iso-8859-1"><p>Café</p>'.encode()
    text, codec, _ = round_trips(data)
    assert codec == "utf-8"
    assert "Café" in text


def test_utf16_bom_with_odd_length_still_round_trips() -> None:
    data = codecs.BOM_UTF16_LE + "<p>hi</p>".encode("utf-16-le") + b"x"
    round_trips(data)


# --- declared charsets -------


def test_meta_charset() -> None:
    data = '<meta charset="windows-1251"><p>Привет, мир</p>'.encode("cp1251")
    text, codec, bom = round_trips(data)
    assert codec == "cp1251"
    assert bom == b""
    assert "Привет, мир" in text


def test_meta_charset_unquoted_and_uppercase() -> None:
    data = "<META CHARSET=KOI8-R><p>Добрый день</p>".encode("koi8-r")
    text, codec, _ = round_trips(data)
    assert codec == "koi8-r"
    assert "Добрый день" in text


def test_http_equiv_content_type() -> None:
    data = (
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">'
        "<p>Zażółć gęślą jaźń</p>"
    ).encode("iso-8859-2")
    assert declared_charset(data) == "ISO-8859-2"
    text, codec, _ = round_trips(data)
    assert codec == "iso8859-2"
    assert "Zażółć gęślą jaźń" in text


def test_xml_declaration() -> None:
    data = '<?xml version="1.0" encoding="iso-8859-15"?><p>Prix : 5 €</p>'.encode("iso-8859-15")
    assert declared_charset(data) == "iso-8859-15"
    text, codec, _ = round_trips(data)
    assert codec == "iso8859-15"
    assert "5 €" in text


def test_meta_charset_wins_over_xml_declaration() -> None:
    data = b'<?xml version="1.0" encoding="utf-8"?><meta charset="windows-1252"><p>x</p>'
    assert declared_charset(data) == "windows-1252"


def test_declaration_inside_a_comment_is_ignored() -> None:
    data = b'<!-- <meta charset="koi8-r"> --><meta charset="utf-8"><p>caf\xc3\xa9</p>'
    assert declared_charset(data) == "utf-8"
    text, codec, _ = round_trips(data)
    assert codec == "utf-8"
    assert "café" in text


def test_gb2312_label_decodes_as_gb18030() -> None:
    # 镕 is in GBK/GB18030 but not in GB2312; browsers decode the label as GB18030.
    source = "<meta charset=gb2312><p>朱镕基访问 € 中文</p>"
    data = source.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    text, codec, _ = round_trips(data)
    assert codec == "gb18030"
    assert text == source


def test_iso_8859_1_label_decodes_as_cp1252() -> None:
    # 0x93/0x94 are C1 controls in ISO-8859-1 but curly quotes in windows-1252.
    data = b'<meta charset="iso-8859-1"><p>\x93Caf\xe9\x94 \x96 na\xefve</p>'
    text, codec, _ = round_trips(data)
    assert codec == "cp1252"
    assert "“Café” – naïve" in text


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        (" GB2312 ", "gb18030"),
        ("gbk", "gb18030"),
        ("shift_jis", "cp932"),
        ("euc-kr", "cp949"),
        ("big5", "big5hkscs"),
        ("UTF8", "utf-8"),
        ("utf-16", "utf-8"),
        ("no-such-charset", None),
    ],
)
def test_codec_for_label(label: str, codec: str | None) -> None:
    assert codec_for_label(label) == codec


# --- messy pages -------


def test_invalid_utf8_bytes_round_trip() -> None:
    # A UTF-8 page with two pasted legacy bytes (0xEF, 0xFF) among its accents.
    good = "<p>Café, crème brûlée, déjà vu — à bientôt, señor Muñoz.</p>".encode()
    data = b'<meta charset="utf-8">' + good + b"<p>na\xefve \xff</p>"
    text, codec, _ = round_trips(data)
    assert codec == "utf-8"
    assert "Café, crème brûlée, déjà vu" in text
    assert "\udcef" in text  # the stray byte travels as a lone surrogate
    assert "\udcff" in text


def test_truncated_utf8_sequence_at_end_round_trips() -> None:
    # An excerpt cut at a byte limit, in the middle of its last character: every other
    # byte is valid UTF-8, so the text is UTF-8 (the docstring of _mostly_utf8 says so).
    data = "<p>It’s the city’s “best” café</p><p>Ends with a dash ".encode() + b"\xe2\x80"
    text, codec, _ = round_trips(data)
    assert codec == "utf-8"
    assert "It’s the city’s “best” café" in text


def test_wrong_label_utf8_page_written_in_cp1252() -> None:
    data = '<meta charset="utf-8"><p>Café crème, brûlée à la carte</p>'.encode("cp1252")
    text, codec, _ = round_trips(data)
    assert codec == "cp1252"
    assert "Café crème, brûlée à la carte" in text


def test_wrong_label_cp1252_page_written_in_utf8_keeps_bytes() -> None:
    # Browsers believe the label and show mojibake; so does the decoder, byte-exactly.
    data = '<meta charset="windows-1252"><p>Ŝi ŝatas ĉokoladon</p>'.encode()
    text, codec, _ = round_trips(data)
    assert codec == "cp1252"
    assert "<p>" in text


def test_unlabelled_legacy_page_is_cp1252() -> None:
    data = "<p>Señor Muñoz – “olé”</p>".encode("cp1252")
    text, codec, _ = round_trips(data)
    assert codec == "cp1252"
    assert "Señor Muñoz – “olé”" in text


def test_unlabelled_ascii_page_is_utf8() -> None:
    _, codec, _ = round_trips(b"<p>Plain ASCII words</p>")
    assert codec == "utf-8"


def test_bytes_undefined_in_cp1252_round_trip() -> None:
    data = b"<meta charset=windows-1252><p>x\x81\x8d\x8f\x90\x9d y</p>"
    text, codec, _ = round_trips(data)
    assert codec == "cp1252"
    assert "\udc81" in text


def test_unknown_label_falls_back() -> None:
    data = b'<meta charset="klingon"><p>ok \xc3\xa9</p>'
    text, codec, _ = round_trips(data)
    assert codec == "utf-8"
    assert "ok é" in text


def test_latin1_fallback_when_no_codec_round_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoding, "_round_trip", lambda data, codec: None)
    data = b"<p>\x81\xfe\x00 anything \xc3</p>"
    text, codec, bom = round_trips(data)
    assert codec == "latin-1"
    assert bom == b""
    assert text == data.decode("latin-1")


@pytest.mark.parametrize("label", ["utf-7", "ibm037", "raw-unicode-escape"])
def test_labels_browsers_do_not_know_are_ignored(label: str) -> None:
    # WHATWG Encoding knows none of these labels, so a browser ignores the declaration
    # and reads this ASCII page as ASCII.  Decoding it as UTF-7 / EBCDIC / Python escapes
    # would turn the page into something the browser never shows.
    data = f'<html><head><meta charset="{label}"></head><body><p>Good morning</p></body></html>'
    text, codec, _ = round_trips(data.encode("ascii"))
    assert text == data
    assert codec in ("utf-8", "cp1252")


def test_wrong_ebcdic_label_is_not_an_article_error() -> None:
    data = b'<html><head><meta charset="ibm037"></head><body><p>Good morning</p></body></html>'
    doc = segment(data)
    assert [s.msgid for s in doc.segments] == ["Good morning"]


# --- bad input -------


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n"])
def test_empty_article_is_an_error(data: bytes) -> None:
    with pytest.raises(ArticleError):
        segment(data)


def test_binary_file_is_an_error() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    with pytest.raises(ArticleError):
        segment(data)


def test_control_characters_are_an_error() -> None:
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) * 50 + b"<p>x</p>"
    with pytest.raises(ArticleError):
        segment(data)


def test_utf16_page_with_nul_bytes_is_not_binary() -> None:
    data = codecs.BOM_UTF16_LE + "<p>Hello there</p>".encode("utf-16-le")
    assert [s.msgid for s in segment(data).segments] == ["Hello there"]


def test_can_encode() -> None:
    assert can_encode("Año nuevo – “feliz”", "cp1252")
    assert not can_encode("新年快乐", "cp1252")
    assert can_encode("新年快乐", "utf-8")


# --- the round-trip property ------------------------------------------------------------------

_PREFIXES = st.sampled_from(
    [
        b"",
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        b'<meta charset="utf-8">',
        b'<meta charset="gb2312">',
        b"<meta charset=shift_jis>",
        b'<meta charset="iso-8859-1">',
        b'<meta http-equiv="content-type" content="text/html; charset=euc-kr">',
        b"<?xml version='1.0' encoding='big5'?>",
        b'<meta charset="iso-2022-jp">',
    ]
)


@settings(max_examples=400, deadline=None)
@given(_PREFIXES, st.binary(max_size=300))
def test_decode_round_trips_any_bytes(prefix: bytes, body: bytes) -> None:
    data = prefix + body
    text, codec, bom = decode(data)
    assert bom + text.encode(codec, "surrogateescape") == data


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_decode_round_trips_any_utf8_text(value: str) -> None:
    data = value.encode("utf-8", "surrogatepass")
    text, codec, bom = decode(data)
    assert bom + text.encode(codec, "surrogateescape") == data

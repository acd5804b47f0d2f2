"""Bytes ⇄ text for real pages, such that text → bytes gives back the exact source.

The codec is chosen the way browsers do (BOM, then the declared charset, then UTF-8,
then windows-1252), mapped to the WHATWG superset a browser would really use.  Bytes
the codec cannot decode are carried as lone surrogates (``surrogateescape``) so that a
page with invalid sequences or a wrong label still round-trips byte for byte.
"""

from __future__ import annotations

import codecs
import re

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels browsers treat as a wider encoding than their name says (WHATWG Encoding).
_SUPERSETS = {
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "l1": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "utf-16": "utf-8",  # a charset declared inside the page cannot be UTF-16
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
    "x-user-defined": "cp1252",
}

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""")
_PRESCAN_BYTES = 4096


def codec_for_label(label: str) -> str | None:
    """The Python codec for a charset label, or ``None`` if it names nothing we know."""
    key = label.strip().lower()
    key = _SUPERSETS.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset label the page declares near its start, as a browser's prescan finds it."""
    head = data[:_PRESCAN_BYTES]
    xml = _XML_DECL.match(head)
    # Comments may hold old declarations; a browser's prescan skips them.
    head = re.sub(rb"<!--.*?-->", b"", head, flags=re.DOTALL)
    m = _META_CHARSET.search(head)
    if m:
        return m.group(1).decode("ascii")
    if xml:
        return xml.group(1).decode("ascii")
    return None


def decode(data: bytes) -> tuple[str, str, bytes]:
    """Return ``(text, codec, bom)`` with ``bom + text.encode(codec, "surrogateescape") == data``."""
    for bom, name in BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = _round_trip(body, name)
            if text is not None:
                return text, name, bom
    candidates: list[str] = []
    label = declared_charset(data)
    declared = codec_for_label(label) if label else None
    if declared:
        candidates.append(declared)
    candidates += ["utf-8", "cp1252"]
    if declared in (None, "utf-8") and not _mostly_utf8(data):
        # Labelled UTF-8 (or not labelled) but written in a legacy codec: browsers show
        # mojibake, but the legacy text is what its author meant.
        candidates = ["cp1252", "utf-8"]
    for name in candidates:
        text = _round_trip(data, name)
        if text is not None:
            return text, name, b""
    # latin-1 maps every byte to one character and back: always exact.
    return data.decode("latin-1"), "latin-1", b""


_SURROGATE = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with at most a few broken sequences (a truncated
    excerpt, a pasted byte), rather than text in another codec."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
        bad = len(_SURROGATE.findall(text))
        good = len(_NON_ASCII.findall(text))
        return good >= 4 * bad
    return True


def _round_trip(data: bytes, codec: str) -> str | None:
    try:
        text = data.decode(codec, "surrogateescape")
        if text.encode(codec, "surrogateescape") != data:
            return None
    except (UnicodeError, LookupError):
        return None
    return text


def can_encode(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True

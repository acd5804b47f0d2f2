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

# The WHATWG Encoding Standard: the labels browsers know, each mapped to the Python
# codec that decodes what a browser would (often a superset of the label's name).
# A label outside this table is ignored, as browsers ignore it.
_WHATWG: dict[str, tuple[str, ...]] = {
    "utf-8": (
        "unicode-1-1-utf-8",
        "unicode11utf8",
        "unicode20utf8",
        "utf-8",
        "utf8",
        "x-unicode20utf8",
    ),
    "cp866": ("866", "cp866", "csibm866", "ibm866"),
    "iso8859-2": (
        "csisolatin2",
        "iso-8859-2",
        "iso-ir-101",
        "iso8859-2",
        "iso88592",
        "iso_8859-2",
        "iso_8859-2:1987",
        "l2",
        "latin2",
    ),
    "iso8859-3": ("csisolatin3", "iso-8859-3", "iso8859-3", "iso_8859-3", "l3", "latin3"),
    "iso8859-4": ("csisolatin4", "iso-8859-4", "iso8859-4", "iso_8859-4", "l4", "latin4"),
    "iso8859-5": ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso8859-5", "iso_8859-5"),
    "iso8859-6": (
        "arabic",
        "asmo-708",
        "csisolatinarabic",
        "ecma-114",
        "iso-8859-6",
        "iso8859-6",
        "iso_8859-6",
    ),
    "iso8859-7": (
        "csisolatingreek",
        "ecma-118",
        "elot_928",
        "greek",
        "greek8",
        "iso-8859-7",
        "iso8859-7",
        "iso_8859-7",
        "sun_eu_greek",
    ),
    "iso8859-8": (
        "csisolatinhebrew",
        "hebrew",
        "iso-8859-8",
        "iso8859-8",
        "iso_8859-8",
        "visual",
        "iso-8859-8-i",
        "logical",
    ),
    "iso8859-10": ("csisolatin6", "iso-8859-10", "iso8859-10", "l6", "latin6"),
    "iso8859-13": ("iso-8859-13", "iso8859-13"),
    "iso8859-14": ("iso-8859-14", "iso8859-14"),
    "iso8859-15": ("csisolatin9", "iso-8859-15", "iso8859-15", "iso_8859-15", "l9"),
    "iso8859-16": ("iso-8859-16",),
    "koi8-r": ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"),
    "koi8-u": ("koi8-ru", "koi8-u"),
    "mac-roman": ("csmacintosh", "mac", "macintosh", "x-mac-roman"),
    "cp874": ("dos-874", "iso-8859-11", "iso8859-11", "tis-620", "windows-874"),
    "cp1250": ("cp1250", "windows-1250", "x-cp1250"),
    "cp1251": ("cp1251", "windows-1251", "x-cp1251"),
    "cp1252": (
        "ansi_x3.4-1968",
        "ascii",
        "cp1252",
        "cp819",
        "csisolatin1",
        "ibm819",
        "iso-8859-1",
        "iso-ir-100",
        "iso8859-1",
        "iso88591",
        "iso_8859-1",
        "l1",
        "latin1",
        "us-ascii",
        "windows-1252",
        "x-cp1252",
        "x-user-defined",
    ),
    "cp1253": ("cp1253", "windows-1253", "x-cp1253"),
    "cp1254": (
        "cp1254",
        "csisolatin5",
        "iso-8859-9",
        "iso8859-9",
        "iso_8859-9",
        "l5",
        "latin5",
        "windows-1254",
        "x-cp1254",
    ),
    "cp1255": ("cp1255", "windows-1255", "x-cp1255"),
    "cp1256": ("cp1256", "windows-1256", "x-cp1256"),
    "cp1257": ("cp1257", "windows-1257", "x-cp1257"),
    "cp1258": ("cp1258", "windows-1258", "x-cp1258"),
    "mac-cyrillic": ("x-mac-cyrillic", "x-mac-ukrainian"),
    "gb18030": (
        "chinese",
        "csgb2312",
        "csiso58gb231280",
        "gb2312",
        "gb_2312",
        "gb_2312-80",
        "gbk",
        "iso-ir-58",
        "x-gbk",
        "gb18030",
    ),
    "big5hkscs": ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"),
    "euc_jp": ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"),
    "iso2022_jp": ("csiso2022jp", "iso-2022-jp"),
    "cp932": (
        "csshiftjis",
        "ms932",
        "ms_kanji",
        "shift-jis",
        "shift_jis",
        "sjis",
        "windows-31j",
        "x-sjis",
    ),
    "cp949": (
        "cseuckr",
        "csksc56011987",
        "euc-kr",
        "iso-ir-149",
        "korean",
        "ks_c_5601-1987",
        "ks_c_5601-1989",
        "ksc5601",
        "ksc_5601",
        "windows-949",
    ),
    # A charset declared inside the page cannot be UTF-16: browsers read it as UTF-8.
    "utf-16": (
        "utf-16",
        "utf-16le",
        "utf-16be",
        "ucs-2",
        "unicode",
        "unicodefffe",
        "csunicode",
        "iso-10646-ucs-2",
        "unicodefeff",
    ),
}
_LABELS = {label: codec for codec, labels in _WHATWG.items() for label in labels}
_LABELS.update({label: "utf-8" for label in _WHATWG["utf-16"]})

_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE
)
_XML_DECL = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""")
_PRESCAN_BYTES = 4096


def codec_for_label(label: str) -> str | None:
    """The Python codec for a charset label, or ``None`` if browsers do not know it."""
    codec = _LABELS.get(label.strip().lower())
    return None if codec is None else codecs.lookup(codec).name


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
    """Return ``(text, codec, bom)`` such that
    ``bom + text.encode(codec, "surrogateescape") == data``."""
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


_BROKEN = re.compile("[\udc80-\udcff]+")
# A UTF-8 lead byte followed by fewer continuation bytes than it announces, at the end.
_TRUNCATED_AT_END = re.compile(
    rb"(?:[\xc2-\xdf]|[\xe0-\xef][\x80-\xbf]?|[\xf0-\xf4][\x80-\xbf]{0,2})\Z"
)
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with at most a few broken sequences (a truncated
    excerpt, a pasted byte), rather than text in another codec."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
        bad = len(_BROKEN.findall(text))
        if bad == 1 and _TRUNCATED_AT_END.search(data):
            return True  # cut off in the middle of the last character
        good = len(_NON_ASCII.findall(text))
        return good > 0 and bad <= max(1, good // 4)
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

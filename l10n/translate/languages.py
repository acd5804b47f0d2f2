"""The language each engine expects for a BCP 47 tag (``zh-Hant-TW``, ``pt_BR``, ``auto``).

deep-translator's own language lists are partial and sometimes wrong (it maps papago's
``en`` to ``English``), so tags are mapped here and the server judges the result.
OpenAI's chat API is told the language's English name instead of a code.
"""

from __future__ import annotations

__all__ = ["engine_language"]

_BAIDU = {
    "ja": "jp", "ko": "kor", "fr": "fra", "es": "spa", "ar": "ara", "bg": "bul", "et": "est",
    "da": "dan", "fi": "fin", "sl": "slo", "sv": "swe", "vi": "vie", "ro": "rom",
}  # fmt: skip
_MICROSOFT_KEEP = {"pt-pt", "fr-ca", "sr-cyrl", "sr-latn", "mn-cyrl", "mn-mong", "iu-latn"}


def _is_traditional_chinese(low: str) -> bool:
    parts = low.split("-")
    return parts[0] in {"zh", "zt"} and bool({"hant", "tw", "hk", "mo"} & set(parts[1:]))


def engine_language(provider: str, tag: str) -> str:
    """The engine's code for a BCP 47 tag."""
    norm = tag.replace("_", "-").strip()
    low = norm.lower()
    primary = low.split("-")[0]
    if low == "auto":
        return "auto"
    trad = _is_traditional_chinese(low)
    if provider in {"chatgpt", "openai"}:
        return _language_name(norm)
    if primary == "zh":
        chinese = {
            "google": ("zh-TW", "zh-CN"),
            "mymemory": ("zh-TW", "zh-CN"),
            "papago": ("zh-TW", "zh-CN"),
            "libre": ("zt", "zh"),
            "microsoft": ("zh-Hant", "zh-Hans"),
            "baidu": ("cht", "zh"),
        }
        if provider in chinese:
            return chinese[provider][0 if trad else 1]
        return primary
    if provider == "mymemory":
        return norm
    if provider == "microsoft":
        return low if low in _MICROSOFT_KEEP else primary
    if provider == "baidu":
        return _BAIDU.get(primary, primary)
    return primary


def _language_name(tag: str) -> str:
    """English name of the language (``tag`` itself if babel cannot name it)."""
    try:
        from babel import Locale

        name = Locale.parse(tag, sep="-").get_display_name("en")
    except Exception:
        return tag
    return name if isinstance(name, str) and name else tag

"""Glossary and entries shared by the tests of ``l10n.checks`` and ``l10n.glossary.index``:
planted violations among tricky correct cases, in zh-Hans, es and ar."""

from __future__ import annotations

from l10n.checks import Entry
from l10n.glossary import Glossary, load

GLOSSARY_CSV = """\
en,zh-Hans,es,ar,forbidden:zh-Hans,forbidden:es,discouraged:es,dnt
Fudan University,复旦大学,Universidad Fudan | Universidad de Fudan,جامعة فودان,复旦,,,
Global Times,环球时报,Global Times,غلوبال تايمز,,Tiempos Globales,,
Sora,Sora,Sora,Sora,,,,yes
Tang Lan,唐岚,Tang Lan,تانغ لان,唐兰,,,
artificial intelligence | AI,人工智能,inteligencia artificial | IA,الذكاء الاصطناعي,,,I.A.,
"""




def load_glossary() -> Glossary:
    return load({"glossaries/terms.csv": GLOSSARY_CSV.encode()}, source_language="en")


def entry(
    language: str,
    msgid: str,
    msgstr: str,
    *,
    line: int = 10,
    file: str = "",
    fuzzy: bool = False,
    flags: tuple[str, ...] = (),
) -> Entry:
    return Entry(
        file=file or f"locales/{language}/a.po",
        line=line,
        language=language,
        msgid=msgid,
        msgctxt=None,
        msgstr=msgstr,
        fuzzy=fuzzy,
        flags=flags,
    )


CORRECT = [
    # CJK substring inside a longer sentence, term split by inline markup in the source.
    entry(
        "zh-Hans",
        "Researchers at <1>Fudan University</1>'s lab",
        "在<1>复旦大学</1>的研究中",
        line=1,
    ),
    # Latin term inside CJK text (do-not-translate).
    entry("zh-Hans", "A clip made with Sora.", "使用Sora生成的视频。", line=2),
    # Arabic with an attached prefix (li-).
    entry("ar", "A gift to Fudan University", "هدية لجامعة فودان", line=3),
    # Possessive and admitted variant, term split by markup and a line break in msgstr.
    entry(
        "es",
        "Fudan University's researchers",
        "los investigadores de la Universidad\nde Fudan",
        line=4,
    ),
    entry("es", "As the <1>Global Times</1> reported", "Según informó <1>Global</1> Times", line=5),
    # Acronym: case-sensitive "AI" does not match "said" or "Kai".
    entry("es", "Kai said AI is here", "Kai dijo que la IA está aquí", line=6),
    entry("ar", "Tang Lan said", "قال تانغ لان", line=7),
]

PLANTED = [
    entry("zh-Hans", "Fudan University released a model.", "复旦发布了一个模型。", line=20),
    entry("zh-Hans", "Tang Lan told reporters", "唐兰对记者说", line=21),
    entry("zh-Hans", "Made with Sora", "使用索拉制作", line=22),
    entry("es", "The Global Times said", "Tiempos Globales dijo", line=23),
    entry("es", "AI is everywhere", "La I.A. está en todas partes", line=24),
    entry("ar", "Researchers at <1>Fudan</1> and <2/>", "باحثون في <1>فودان</1>", line=25),
    entry("es", "In 2024, 1,204 people", "En 2023, 1.204 personas", line=26),
]

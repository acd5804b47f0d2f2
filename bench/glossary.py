"""Glossary benchmark: load a large synthetic termbase and find its terms in PO entries.

    python bench/glossary.py [--concepts N] [--articles N] [--entries N] [--repeat K]

Everything is generated in memory from a fixed seed (no files, no network):

* a glossary of ``--concepts`` concepts (default 10,000) with terms in en, zh-Hans, es, fr
  and ar — made-up names from random syllables, some with admitted variants, some with
  forbidden or discouraged variants, some all-capital acronyms, some do-not-translate —
  exported to TBX 2008 and to CSV by l10n itself;
* ``--articles`` articles (default 100), each a PO catalogue of ``--entries`` msgid/msgstr
  pairs (default 60) per target language (zh-Hans, es, fr, ar), with glossary terms,
  placeholders and line breaks sprinkled in.

Timed (best of ``--repeat``): reading the TBX and the CSV, building the matchers (one for
the source language, one per target language: what ``l10n check`` builds), and matching
every msgid with the source matcher and every msgstr with its language's matcher.  Peak
memory is ``tracemalloc``'s over one separate, untimed pass of all stages.  The ``re``
module's pattern cache is purged before each build, so every build compiles.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from l10n.glossary import (
    Concept,
    Glossary,
    Status,
    Term,
    export_csv,
    export_tbx2008,
    load,
    term_matcher,
)

SOURCE = "en"
TARGETS = ("zh-Hans", "es", "fr", "ar")
LATIN = ["ka", "to", "ri", "mu", "sen", "dar", "vel", "qui", "lo", "ban", "tek", "zor", "ni", "pha"]
HANZI = "复旦大学研究院中心国际科技新华社会议报告经济发展委员会人民银行数据安全网络智能模型"
ARABIC = ["جا", "مع", "فو", "دا", "ن", "سي", "ر", "كا", "تب", "مر", "كز", "بح", "ث", "لي"]
# Filler words for the synthetic sentences (split at spaces; zh-Hans by character).
_FILLER = {
    "en": "the report says that new rules will apply from next year in several regions",
    "es": "el informe dice que las nuevas normas se aplicarán desde el próximo año",
    "fr": "le rapport indique que les nouvelles règles s'appliqueront dès l'an prochain",
    "ar": "قال التقرير إن القواعد الجديدة ستطبق اعتبارا من العام المقبل في عدة مناطق",
}
WORDS = {tag: text.split(" ") for tag, text in _FILLER.items()}
WORDS["zh-Hans"] = list("报告称新规定将从明年起在多个地区适用并且会议认为")


def _name(rng: random.Random, syllables: list[str], words: int) -> str:
    return " ".join(
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).title()
        for _ in range(words)
    )


def make_glossary(rng: random.Random, size: int) -> Glossary:
    concepts = []
    for n in range(size):
        words = rng.randint(1, 3)
        name = _name(rng, LATIN, words)
        if rng.random() < 0.05:
            name = "".join(w[0] for w in _name(rng, LATIN, 4).split()).upper() + str(n % 97)
        zh = "".join(rng.choice(HANZI) for _ in range(rng.randint(2, 5)))
        ar = " ".join("".join(rng.choice(ARABIC) for _ in range(3)) for _ in range(words))
        forms = {
            "en": [name],
            "zh-Hans": [zh],
            "es": [f"{name} {_name(rng, LATIN, 1)}"],
            "fr": [f"{_name(rng, LATIN, 1)} {name}"],
            "ar": [ar],
        }
        if rng.random() < 0.2:
            forms["en"].append(name + " " + _name(rng, LATIN, 1))
        dnt = rng.random() < 0.05
        if dnt:
            forms = {tag: [name] for tag in forms}
        terms = [
            Term(
                text=text,
                language=tag,
                status=Status.PREFERRED if i == 0 else Status.ADMITTED,
                case_sensitive=text.isupper(),
            )
            for tag, texts in forms.items()
            for i, text in enumerate(texts)
        ]
        if not dnt and rng.random() < 0.1:
            tag = rng.choice(TARGETS)
            status = rng.choice([Status.FORBIDDEN, Status.DISCOURAGED])
            bad = forms[tag][0][: max(2, len(forms[tag][0]) // 2)].strip()
            terms.append(Term(text=bad, language=tag, status=status, case_sensitive=False))
        concepts.append(Concept(id=f"c{n}", terms=tuple(terms), dnt=dnt))
    return Glossary(concepts=tuple(concepts), source_language=SOURCE)


def _sentence(rng: random.Random, tag: str, terms: list[str]) -> str:
    words = [rng.choice(WORDS[tag]) for _ in range(rng.randint(8, 20))]
    for term in terms:
        words.insert(rng.randint(0, len(words)), term)
    if rng.random() < 0.3:
        i = rng.randint(0, len(words) - 1)
        words[i] = f"<1>{words[i]}</1>"
    if rng.random() < 0.1:
        words.insert(rng.randint(0, len(words)), "<2/>")
    joiner = "" if tag == "zh-Hans" else " "
    return joiner.join(words) + ("。" if tag == "zh-Hans" else ".")


@dataclass(frozen=True)
class Catalog:
    language: str
    pairs: list[tuple[str, str]]


def make_catalogs(
    rng: random.Random, glossary: Glossary, articles: int, entries: int
) -> list[Catalog]:
    catalogs = []
    for _ in range(articles):
        chosen = [
            [rng.choice(glossary.concepts) for _ in range(rng.randint(0, 3))]
            for _ in range(entries)
        ]
        msgids = [
            _sentence(rng, SOURCE, [c.terms_for(SOURCE)[0].text for c in concepts])
            for concepts in chosen
        ]
        for tag in TARGETS:
            pairs = []
            for msgid, concepts in zip(msgids, chosen, strict=True):
                texts = [rng.choice(c.terms_for(tag)).text for c in concepts]
                pairs.append((msgid, _sentence(rng, tag, texts)))
            catalogs.append(Catalog(language=tag, pairs=pairs))
    return catalogs


def run(tbx: bytes, csv: bytes, catalogs: list[Catalog]) -> tuple[dict[str, float], int]:
    times: dict[str, float] = {}

    def timed(label: str, step: Callable[[], object]) -> object:
        start = time.perf_counter()
        result = step()
        times[label] = time.perf_counter() - start
        return result

    glossary = timed("read TBX", lambda: load({"g.tbx": tbx}, source_language=SOURCE))
    timed("read CSV", lambda: load({"g.csv": csv}, source_language=SOURCE))
    assert isinstance(glossary, Glossary)

    # re.compile caches patterns: without a purge, repeats would time a dictionary lookup.
    re.purge()

    def build() -> dict[str, object]:
        return {tag: term_matcher(glossary, tag) for tag in (SOURCE, *TARGETS)}

    matchers = timed("build matchers", build)
    assert isinstance(matchers, dict)

    def match() -> int:
        found = 0
        for catalog in catalogs:
            source, target = matchers[SOURCE], matchers[catalog.language]
            for msgid, msgstr in catalog.pairs:
                found += len(source.find(msgid)) + len(target.find(msgstr))
        return found

    found = timed("match", match)
    assert isinstance(found, int)
    return times, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--entries", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    glossary = make_glossary(rng, args.concepts)
    catalogs = make_catalogs(rng, glossary, args.articles, args.entries)
    tbx, csv = export_tbx2008(glossary).encode(), export_csv(glossary).encode()
    pairs = sum(len(c.pairs) for c in catalogs)
    terms = sum(len(c.terms) for c in glossary)

    best: dict[str, float] = {}
    found = 0
    for _ in range(args.repeat):
        times, found = run(tbx, csv, catalogs)
        for label, seconds in times.items():
            best[label] = min(best.get(label, seconds), seconds)
    tracemalloc.start()
    run(tbx, csv, catalogs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    print(
        f"{args.concepts:,} concepts ({terms:,} terms; TBX {len(tbx) / 1e6:.1f} MB, "
        f"CSV {len(csv) / 1e6:.1f} MB), {args.articles} articles × {len(TARGETS)} languages "
        f"× {args.entries} entries = {pairs:,} msgid/msgstr pairs; best of {args.repeat}; "
        f"Python {platform.python_version()}"
    )
    print()
    rows = [
        ("read TBX", best["read TBX"], args.concepts, "concepts"),
        ("read CSV", best["read CSV"], args.concepts, "concepts"),
        ("build 5 matchers", best["build matchers"], terms, "terms"),
        ("match msgids + msgstrs", best["match"], pairs, "entries"),
        ("build + match (check)", best["build matchers"] + best["match"], pairs, "entries"),
    ]
    print("| stage | seconds | rate |")
    print("|---|---:|---:|")
    for label, seconds, count, unit in rows:
        print(f"| {label} | {seconds:.2f} | {count / seconds:,.0f} {unit}/s |")
    print()
    print(f"{found:,} matches; peak traced memory {peak / 2**20:.1f} MB (all stages, one pass)")


if __name__ == "__main__":
    main()

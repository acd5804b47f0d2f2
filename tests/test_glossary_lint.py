"""``lint``: every finding a terminologist can act on, with file and line."""

from __future__ import annotations

from l10n.glossary import LintFinding, lint


def _lint(**files: str) -> list[tuple[str, int | None, str, str]]:
    data = {name.replace("_", "."): text.encode() for name, text in files.items()}
    return [(f.file, f.line, f.severity, f.message) for f in lint(data, source_language="en")]


def test_clean_files_have_no_findings() -> None:
    assert _lint(a_csv="en,es\nFudan University,Universidad Fudan\n") == []
    assert lint({}, source_language="en") == []


def test_broken_files_are_findings_not_exceptions() -> None:
    findings = _lint(
        bad_tbx="<martif>\n<text>\n</martif>\n",
        bad_csv="en,en\n",
        terms_xlsx="",
        good_csv="en\nSora\n",
    )
    assert [(f, line, s) for f, line, s, _ in findings] == [
        ("bad.tbx", 3, "error"),
        ("bad.csv", 1, "error"),
        ("terms.xlsx", None, "error"),
    ]
    assert findings[0][3].startswith("not well-formed XML")
    assert "unsupported glossary format" in findings[2][3]


def test_term_both_allowed_and_forbidden() -> None:
    findings = _lint(
        g_csv="en,es,forbidden:es,discouraged:en\n"
        "Fudan University,Universidad Fudan,universidad fudan,Fudan University\n"
    )
    assert findings == [
        ("g.csv", 2, "error", "term 'Fudan University' (en) is both allowed and discouraged"),
        ("g.csv", 2, "error", "term 'universidad fudan' (es) is both allowed and forbidden"),
    ]


def test_case_sensitive_variants_do_not_clash() -> None:
    tbx = """<martif><text><body><termEntry><langSet xml:lang="en">
      <tig><term>AI</term></tig>
      <tig><term>Ai</term><termNote type="l10n:caseSensitive">yes</termNote>
        <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      <tig><term>ERNIE Bot</term></tig><tig><term>Ernie Bot</term></tig>
      <tig><term>ERNIE Bot</term></tig>
    </langSet></termEntry></body></text></martif>"""
    assert _lint(g_tbx=tbx) == [("g.tbx", 6, "warning", "term 'ERNIE Bot' (en) is listed twice")]


def test_padded_and_empty_terms() -> None:
    findings = _lint(g_csv="en,es\n Fudan,Fudán  Universidad | \n")
    assert findings == [
        ("g.csv", 2, "warning", "term 'Fudan' has leading or trailing whitespace"),
        ("g.csv", 2, "warning", "term 'Fudán Universidad' has doubled or unusual whitespace"),
        ("g.csv", 2, "warning", "empty term"),
    ]


def test_unknown_language_tags_once_per_file() -> None:
    findings = _lint(g_csv="en,xx-YY,zh-Hans,es-419\nA,B,C,D\nE,F,G,H\n")
    assert findings == [("g.csv", 1, "error", "unknown language tag 'xx-YY' in the header")]


def test_source_term_in_two_concepts_across_files() -> None:
    tbx = """<martif><text><body>
      <termEntry id="ai"><langSet xml:lang="en"><tig><term>AI</term></tig></langSet></termEntry>
      <termEntry id="sora"><langSet xml:lang="en"><tig><term>Sora</term></tig></langSet></termEntry>
    </body></text></martif>"""
    findings = _lint(
        a_tbx=tbx,
        b_csv="en,es,id\nSORA,Sora,sora2\nai,ia,ai-lower\nAI,IA,ai-upper\n",
    )
    # "ai" is case-insensitive, so it would also match "AI": both rows clash.
    assert findings == [
        ("b.csv", 2, "warning", "source term 'SORA' is also in concept 'sora' (a.tbx:3)"),
        ("b.csv", 3, "warning", "source term 'ai' is also in concept 'ai' (a.tbx:2)"),
        ("b.csv", 4, "warning", "source term 'AI' is also in concept 'ai' (a.tbx:2)"),
    ]


def test_case_sensitive_source_terms_in_two_concepts_do_not_clash() -> None:
    csv = "en,case-sensitive\nApple,yes\napple,yes\nAPPLE,\n"
    assert _lint(g_csv=csv) == []


def test_do_not_translate_concepts() -> None:
    findings = _lint(
        g_csv="en,es,fr,dnt\nSora,Sora,Soura,yes\n,Xinhua,Xinhua,yes\nCICIR,,,\n,Fudan,,\n"
    )
    assert findings == [
        (
            "g.csv",
            2,
            "warning",
            "do-not-translate concept 'row2' has fr term 'Soura'; it must stay 'Sora'",
        ),
        ("g.csv", 3, "error", "do-not-translate concept 'row3' has no en term to keep"),
        ("g.csv", 5, "warning", "concept 'row5' has no en term, so articles never match it"),
    ]


def test_reader_findings_from_tbx() -> None:
    tbx = """<martif><text><body><termEntry id="x">
      <langSet><tig><term>Orphan</term></tig></langSet>
      <langSet xml:lang="en"><tig><term>Kavo</term>
        <termNote type="administrativeStatus">maybe</termNote></tig></langSet>
    </termEntry></body></text></martif>"""
    assert _lint(g_tbx=tbx) == [
        ("g.tbx", 2, "error", "<langSet> without xml:lang; its terms are ignored"),
        ("g.tbx", 4, "warning", "unknown administrative status 'maybe'; read as admitted"),
    ]


def test_findings_are_sorted_by_file_then_line_and_print_as_one_line() -> None:
    findings = lint(
        {
            "z.csv": b"en,es\nA,B\n C,D\nAA,\n",
            "a.csv": b"en,es\n E,F\n",
        },
        source_language="en",
    )
    assert [(f.file, f.line) for f in findings] == [("z.csv", 3), ("a.csv", 2)]
    assert str(findings[0]) == "z.csv:3: warning: term 'C' has leading or trailing whitespace"
    assert str(LintFinding(file="x.tbx", line=None, message="m", severity="error")) == (
        "x.tbx: error: m"
    )


# --- tags no configured language reads ----------------------------------------------------


def _lint_for(languages: tuple[str, ...], **files: str) -> list[str]:
    data = {name.replace("_", "."): text.encode() for name, text in files.items()}
    return [str(f) for f in lint(data, source_language="en", languages=languages)]


def test_csv_column_of_an_unconfigured_variant_suggests_the_configured_one() -> None:
    # zh-Hant terms are never given to zh-Hans (another script), pt-PT ones are to pt-BR.
    csv = "\nen,zh-Hant,de,pt-PT\nFudan University,復旦大學,Fudan-Universität,Universidade Fudan\n"
    assert _lint_for(("zh-Hans", "pt-BR"), x_csv=csv) == [
        'x.csv:2: warning: column "zh-Hant" matches no configured language; '
        'did you mean "zh-Hans"?',
        'x.csv:2: warning: column "de" matches no configured language',
    ]


def test_csv_column_shadowed_by_a_closer_one_is_never_used() -> None:
    csv = "en,es,es-ES,zh-Hans,zh\nFudan University,Universidad Fudan,U. Fudan,复旦大学,复旦\n"
    assert _lint_for(("zh-Hans", "es"), x_csv=csv) == [
        'x.csv:1: warning: column "es-ES" is never used: "es" reads "es" instead',
        'x.csv:1: warning: column "zh" is never used: "zh-Hans" reads "zh-Hans" instead',
    ]


def test_a_looser_tag_that_serves_a_language_is_fine() -> None:
    # The lookup gives zh terms to zh-Hans and es-ES terms to es when nothing closer exists.
    csv = "en,zh,es-ES\nFudan University,复旦大学,Universidad Fudan\n"
    assert _lint_for(("zh-Hans", "es"), x_csv=csv) == []


def test_tbx_xml_lang_that_matches_no_configured_language() -> None:
    tbx = """<martif><text><body>
    <termEntry><langSet xml:lang="en"><tig><term>AI</term></tig></langSet>
      <langSet xml:lang="zh-Hans"><tig><term>人工智能</term></tig></langSet>
      <langSet xml:lang="zh-TW">
        <tig><term>人工智慧</term></tig></langSet></termEntry>
    </body></text></martif>"""
    assert _lint_for(("zh-Hans",), g_tbx=tbx) == [
        'g.tbx:5: warning: xml:lang "zh-TW" matches no configured language; '
        'did you mean "zh-Hans"?'
    ]


def test_without_project_languages_no_tag_is_judged() -> None:
    assert _lint(x_csv="en,de\nFudan University,Fudan-Universität\n") == []

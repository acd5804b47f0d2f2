"""TBX v3 and TBX 2008 glossaries: structure, statuses, do-not-translate, case, safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.glossary import Concept, Glossary, GlossaryError, Status, export_tbx2008, parse_tbx
from l10n.glossary.tbx import read_tbx

TBX_V3 = """\
<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
  <tbxHeader><fileDesc><sourceDesc><p>newsroom</p></sourceDesc></fileDesc></tbxHeader>
  <text>
    <body>
      <conceptEntry id="fudan">
        <descrip type="definition">A public university in Shanghai.</descrip>
        <langSec xml:lang="en">
          <termSec>
            <term>Fudan University</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>Fudan Uni</term>
            <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote>
          </termSec>
        </langSec>
        <langSec xml:lang="zh-Hans">
          <termSec><term>复旦大学</term></termSec>
          <termSec>
            <term>复大</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
            <note>Informal abbreviation.</note>
          </termSec>
        </langSec>
        <langSec xml:lang="es">
          <termSec>
            <term>Universidad Fudan</term>
            <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
          </termSec>
          <termSec>
            <term>Universidad de Fudan</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </termSec>
        </langSec>
      </conceptEntry>
      <conceptEntry id="sora">
        <adminGrp>
          <admin type="projectSubset">doNotTranslate</admin>
        </adminGrp>
        <langSec xml:lang="en">
          <termSec><term>Sora</term></termSec>
        </langSec>
      </conceptEntry>
      <conceptEntry id="ai">
        <langSec xml:lang="en">
          <termSec><term>AI</term></termSec>
          <termSec><term>artificial intelligence</term></termSec>
          <termSec>
            <term>iPhone</term>
            <termNote type="l10n:caseSensitive">yes</termNote>
          </termSec>
        </langSec>
      </conceptEntry>
    </body>
  </text>
</tbx>
"""

TBX_2008 = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en">
  <martifHeader>
    <fileDesc><sourceDesc><p>Translate Toolkit</p></sourceDesc></fileDesc>
  </martifHeader>
  <text>
    <body>
      <termEntry id="cicir">
        <note>Think tank; keep the acronym.</note>
        <langSet xml:lang="en">
          <tig>
            <term>CICIR</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </tig>
        </langSet>
        <langSet xml:lang="fr">
          <langSet-ignored/>
          <ntig>
            <termGrp>
              <term>CICIR</term>
              <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>
            </termGrp>
          </ntig>
          <tig>
            <term>Institut chinois</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
          </tig>
        </langSet>
      </termEntry>
      <termEntry>
        <langSet xml:lang="en">
          <admin type="projectSubset">doNotTranslate</admin>
          <tig><term>Xinhua</term></tig>
        </langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""


def _v3() -> list[Concept]:
    return list(parse_tbx(TBX_V3.encode(), file="g.tbx", source_language="en").concepts)


def test_tbx_v3_concepts_terms_and_statuses() -> None:
    fudan = _v3()[0]
    assert fudan.id == "fudan"
    assert fudan.note == "A public university in Shanghai."
    assert fudan.file == "g.tbx"
    assert fudan.line == 7
    assert [(t.text, t.status) for t in fudan.terms_for("en")] == [
        ("Fudan University", Status.PREFERRED),
        ("Fudan Uni", Status.DISCOURAGED),
    ]
    assert getattr(fudan.preferred("en"), "text", None) == "Fudan University"
    assert [t.text for t in fudan.discouraged("en")] == ["Fudan Uni"]
    assert [t.line for t in fudan.terms_for("en")] == [11, 15]


def test_tbx_v3_first_term_without_status_is_preferred() -> None:
    fudan = _v3()[0]
    # "复旦大学" has no status and no other term of zh-Hans is preferred.
    assert [(t.text, t.status) for t in fudan.terms_for("zh-Hans")] == [
        ("复旦大学", Status.PREFERRED),
        ("复大", Status.FORBIDDEN),
    ]
    assert [t.text for t in fudan.forbidden("zh-Hans")] == ["复大"]
    # Term-level notes stay with their term, not in the concept's note.
    assert [t.note for t in fudan.terms_for("zh-Hans")] == ["", "Informal abbreviation."]
    assert fudan.note == "A public university in Shanghai."
    # An explicit preferred term is not overridden by order.
    assert getattr(fudan.preferred("es"), "text", None) == "Universidad de Fudan"
    assert [t.text for t in fudan.allowed("es")] == ["Universidad Fudan", "Universidad de Fudan"]


def test_tbx_v3_later_terms_without_status_are_admitted() -> None:
    ai = _v3()[2]
    assert [(t.text, t.status) for t in ai.terms_for("en")] == [
        ("AI", Status.PREFERRED),
        ("artificial intelligence", Status.ADMITTED),
        ("iPhone", Status.ADMITTED),
    ]


def test_tbx_v3_do_not_translate_inside_admin_grp() -> None:
    fudan, sora, ai = _v3()
    assert sora.dnt
    assert not fudan.dnt
    assert not ai.dnt


def test_tbx_case_sensitivity_rules() -> None:
    ai = _v3()[2]
    cases = {t.text: t.case_sensitive for t in ai.terms}
    assert cases == {"AI": True, "artificial intelligence": False, "iPhone": True}
    fudan = _v3()[0]
    assert not any(t.case_sensitive for t in fudan.terms)


def test_tbx_2008_tig_ntig_notes_and_langset_dnt() -> None:
    glossary = parse_tbx(TBX_2008.encode(), file="g.tbx", source_language="en")
    cicir, xinhua = glossary.concepts
    assert cicir.id == "cicir"
    assert cicir.note == "Think tank; keep the acronym."
    assert [(t.text, t.status, t.case_sensitive) for t in cicir.terms_for("fr")] == [
        ("CICIR", Status.ADMITTED, True),
        ("Institut chinois", Status.FORBIDDEN, False),
    ]
    assert (
        getattr(cicir.preferred("fr"), "text", None) == "CICIR"
    )  # no preferred term: first allowed one
    assert xinhua.id == "c2"  # TBX 2008 ids are optional
    assert xinhua.dnt
    assert getattr(xinhua.preferred("en"), "status", None) is Status.PREFERRED


def test_tbx_2008_without_doctype_or_namespace_and_v3_dct_style() -> None:
    dct = b"""<tbx xmlns="urn:iso:std:iso:30042:ed-2" xmlns:basic="http://www.tbxinfo.net/ns/basic"
        type="TBX-Basic" style="dct"><text><body>
      <conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>Sora</term>
        <basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus>
      </termSec></langSec></conceptEntry></body></text></tbx>"""
    (concept,) = parse_tbx(dct, file="g.tbx", source_language="en").concepts
    assert concept.terms[0].status is Status.FORBIDDEN


def test_weblate_and_translate_toolkit_spellings() -> None:
    data = b"""<martif><text><body>
      <termEntry><langSet xml:lang="en">
        <tig><term>Kavo</term><termNote type="translationNote">no</termNote></tig>
        <tig><term>Kavu</term><termNote type="administrativeStatus">forbidden</termNote></tig>
        <tig><term>Kava</term><termNote type="administrativeStatus">obsolete</termNote></tig>
        <tig><term>Kave</term><termNote type="administrativeStatus">deprecated</termNote></tig>
      </langSet></termEntry>
      <termEntry><langSet xml:lang="en"><descrip>Explanation</descrip><tig><term>Teral</term></tig>
      <descrip type="Translation needed">no</descrip></langSet></termEntry>
    </body></text></martif>"""
    kavo, teral = parse_tbx(data, file="g.tbx", source_language="en").concepts
    assert kavo.dnt
    assert [t.status for t in kavo.terms][1:] == [Status.FORBIDDEN] * 3
    assert teral.dnt
    assert teral.note == "Explanation"


def test_unknown_status_is_admitted_and_reported() -> None:
    data = b"""<martif><text><body><termEntry><langSet xml:lang="en">
      <tig><term>Kavo</term></tig>
      <tig><term>Kavu</term><termNote type="administrativeStatus">maybe</termNote></tig>
    </langSet></termEntry></body></text></martif>"""
    reading = read_tbx(data, file="g.tbx")
    assert [t.status for t in reading.concepts[0].terms] == [Status.PREFERRED, Status.ADMITTED]
    assert [(f.line, f.severity) for f in reading.findings] == [(3, "warning")]
    assert "maybe" in reading.findings[0].message


def test_padded_terms_are_cleaned_and_reported() -> None:
    data = b"""<martif><text><body><termEntry><langSet xml:lang="en">
      <tig><term> Fudan  University </term></tig><tig><term>  </term></tig>
    </langSet></termEntry></body></text></martif>"""
    reading = read_tbx(data, file="g.tbx")
    assert [t.text for t in reading.concepts[0].terms] == ["Fudan University"]
    assert [f.message for f in reading.findings] == [
        "term 'Fudan University' has leading or trailing whitespace",
        "empty term",
    ]


def test_syntax_error_has_file_and_line() -> None:
    data = b"<martif>\n<text>\n<body>\n<termEntry>\n</body>\n</text></martif>\n"
    with pytest.raises(GlossaryError) as info:
        parse_tbx(data, file="broken.tbx", source_language="en")
    assert info.value.file == "broken.tbx"
    assert info.value.line == 5
    assert str(info.value).startswith("broken.tbx:5: not well-formed XML")


def test_empty_file_and_wrong_root_are_errors() -> None:
    with pytest.raises(GlossaryError, match="not well-formed"):
        parse_tbx(b"", file="e.tbx", source_language="en")
    with pytest.raises(GlossaryError, match="root element is <html>") as info:
        parse_tbx(b"\n<html/>", file="h.xml", source_language="en")
    assert info.value.line == 2


def test_external_entity_is_refused_without_reading_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY xxe SYSTEM "file://{secret}">
]>
<martif><text><body><termEntry><langSet xml:lang="en">
<tig><term>&xxe;</term></tig></langSet></termEntry></body></text></martif>""".encode()
    with pytest.raises(GlossaryError, match="declares entities") as info:
        parse_tbx(data, file="xxe.tbx", source_language="en")
    assert info.value.line == 3
    assert "TOP SECRET" not in str(info.value)


def test_network_entity_and_parameter_entity_are_refused() -> None:
    for declaration in (
        '<!ENTITY remote SYSTEM "http://127.0.0.1:9/x">',
        '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x"> %remote;',
    ):
        data = f"""<!DOCTYPE martif [ {declaration} ]>
<martif><text><body/></text></martif>""".encode()
        with pytest.raises(GlossaryError, match="declares entities"):
            parse_tbx(data, file="net.tbx", source_language="en")


def test_billion_laughs_is_refused_without_expansion() -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    data = (
        "<?xml version='1.0'?>\n<!DOCTYPE martif [\n"
        + "\n".join(levels)
        + "\n]>\n<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>&lol9;"
        "</term></tig></langSet></termEntry></body></text></martif>"
    ).encode()
    with pytest.raises(GlossaryError, match="declares entities"):
        parse_tbx(data, file="lol.tbx", source_language="en")


def test_entity_hidden_from_the_byte_scan_is_still_refused() -> None:
    # A "]" in a comment ends the scan early; the parsed DTD still shows the entity.
    data = b"""<!DOCTYPE martif [ <!-- ] --> <!ENTITY x "y"> ]>
<martif><text><body/></text></martif>"""
    with pytest.raises(GlossaryError, match="declares entities"):
        parse_tbx(data, file="hidden.tbx", source_language="en")


def test_reference_to_an_entity_of_an_unloaded_dtd_is_refused() -> None:
    data = b"""<!DOCTYPE martif SYSTEM "http://127.0.0.1:9/martif.dtd">
<martif><text><body><termEntry><langSet xml:lang="en">
<tig><term>&undeclared;</term></tig></langSet></termEntry></body></text></martif>"""
    with pytest.raises(GlossaryError, match="unresolvable entity"):
        parse_tbx(data, file="dtd.tbx", source_language="en")


def test_plain_doctype_without_entities_is_accepted() -> None:
    glossary = parse_tbx(TBX_2008.encode(), file="g.tbx", source_language="en")
    assert len(glossary) == 2


def _shape(glossary: Glossary) -> list[object]:
    return [
        (
            c.id,
            c.dnt,
            c.note,
            [(t.text, t.language, t.status, t.case_sensitive, t.note) for t in c.terms],
        )
        for c in glossary.concepts
    ]


@pytest.mark.parametrize("source", [TBX_V3, TBX_2008])
def test_export_tbx2008_round_trip(source: str) -> None:
    glossary = parse_tbx(source.encode(), file="g.tbx", source_language="en")
    exported = export_tbx2008(glossary)
    assert exported.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE martif')
    again = parse_tbx(exported.encode(), file="again.tbx", source_language="en")
    assert _shape(again) == _shape(glossary)
    # And the export is stable.
    assert export_tbx2008(again) == exported


def test_export_writes_explicit_case_flag_only_when_needed() -> None:
    glossary = parse_tbx(TBX_V3.encode(), file="g.tbx", source_language="en")
    exported = export_tbx2008(glossary)
    assert exported.count('type="l10n:caseSensitive"') == 1  # iPhone; "AI" needs none
    assert '<admin type="projectSubset">doNotTranslate</admin>' in exported

"""TBX (ISO 30042) termbases: TBX v3 (TBX-Basic) and TBX 2008 (``martif``), as Weblate,
OmegaT and Translate Toolkit write them.

Both versions are read by local element names, so a v3 file in the
``urn:iso:std:iso:30042:ed-2`` namespace and a 2008 file without one go through the same
code, and so do TBX v3's DCA style (``<termNote type="administrativeStatus">``) and DCT
style (``<basic:administrativeStatus>``).

XML is parsed without network access, without loading DTDs and without expanding
entities; a file that declares entities is refused rather than half-read, because the
only reason to declare one in a termbase is to smuggle in another file or a billion
laughs.
"""

from __future__ import annotations

import re

from lxml import etree

from l10n.glossary.model import (
    Concept,
    Glossary,
    GlossaryError,
    LintFinding,
    Reading,
    Severity,
    Status,
    Term,
    clean_term,
    is_all_caps,
    promote_first,
)

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ENTRY = frozenset({"conceptEntry", "termEntry"})
_LANG_SECTION = frozenset({"langSec", "langSet"})
_TERM_SECTION = frozenset({"termSec", "tig", "ntig"})
_GROUP = frozenset({"adminGrp", "descripGrp", "transacGrp", "termGrp", "termCompList"})
# Elements whose data category is in their ``type`` attribute (DCA style); in DCT style
# the element's own name is the category.
_TYPED = frozenset({"admin", "descrip", "termNote", "adminNote", "descripNote", "transacNote"})

# administrativeStatus values, compared lower-case without "-"/"_".  Besides ISO 12620's
# "…Term-admn-sts" picklist, Translate Toolkit writes bare "deprecated" and Weblate reads
# "forbidden" and "obsolete" as forbidden.
_STATUS = {
    "preferredtermadmnsts": Status.PREFERRED,
    "preferredterm": Status.PREFERRED,
    "preferred": Status.PREFERRED,
    "admittedtermadmnsts": Status.ADMITTED,
    "admittedterm": Status.ADMITTED,
    "admitted": Status.ADMITTED,
    "standardizedtermadmnsts": Status.ADMITTED,
    "legaltermadmnsts": Status.ADMITTED,
    "regulatedtermadmnsts": Status.ADMITTED,
    "deprecatedtermadmnsts": Status.FORBIDDEN,
    "deprecatedterm": Status.FORBIDDEN,
    "deprecated": Status.FORBIDDEN,
    "forbidden": Status.FORBIDDEN,
    "obsolete": Status.FORBIDDEN,
    "supersededtermadmnsts": Status.DISCOURAGED,
    "supersededterm": Status.DISCOURAGED,
    "superseded": Status.DISCOURAGED,
}
_EXPORT_STATUS = {
    Status.PREFERRED: "preferredTerm-admn-sts",
    Status.ADMITTED: "admittedTerm-admn-sts",
    Status.FORBIDDEN: "deprecatedTerm-admn-sts",
    Status.DISCOURAGED: "supersededTerm-admn-sts",
}
_YES = frozenset({"yes", "true", "1"})
_NO = frozenset({"no", "false", "0"})


def parse_tbx(data: bytes, *, file: str, source_language: str) -> Glossary:
    """Read a TBX file; raises :class:`GlossaryError` (with file and line) if it is broken."""
    return Glossary(concepts=read_tbx(data, file=file).concepts, source_language=source_language)


def read_tbx(data: bytes, *, file: str) -> Reading:
    """Concepts of a TBX file, plus the tolerable problems lint should mention."""
    root = _parse_xml(data, file)
    findings: list[LintFinding] = []
    concepts: list[Concept] = []
    for element in root.iter():
        if _local(element) in _ENTRY:
            concept = _read_entry(element, file, len(concepts) + 1, findings)
            concepts.append(concept)
    return Reading(concepts=tuple(concepts), findings=tuple(findings))


def _parse_xml(data: bytes, file: str) -> etree._Element:
    declared = _entity_declaration_line(data)
    if declared is not None:
        # Refused before parsing: libxml2 would otherwise spend its time on the DTD first.
        raise GlossaryError(_ENTITIES, file=file, line=declared)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = re.sub(r", line \d+, column \d+$", "", exc.msg or "syntax error")
        raise GlossaryError(f"not well-formed XML: {message}", file=file, line=exc.lineno) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        # The byte scan missed it (an odd encoding, a "]" in a value): still refused.
        raise GlossaryError(_ENTITIES, file=file, line=None)
    for node in root.iter(etree.Entity):
        # Declared in an external DTD we deliberately do not load.
        raise GlossaryError(
            f"unresolvable entity reference {node.text}", file=file, line=node.sourceline
        )
    if _local(root) not in ("tbx", "martif"):
        raise GlossaryError(
            f"not a TBX file: the root element is <{_local(root)}>, not <tbx> or <martif>",
            file=file,
            line=root.sourceline,
        )
    return root


_ENTITIES = "the DOCTYPE declares entities, which glossaries may not use"


def _entity_declaration_line(data: bytes) -> int | None:
    """Line of an ``<!ENTITY`` in the DOCTYPE's internal subset, if there is one."""
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):  # utf-8 stands for ASCII supersets
        doctype = data.find("<!DOCTYPE".encode(encoding))
        if doctype < 0:
            continue
        entity = data.find("<!ENTITY".encode(encoding), doctype)
        subset_end = data.find("]".encode(encoding), doctype)
        if entity >= 0 and (subset_end < 0 or entity < subset_end):
            return data.count(b"\n", 0, entity) + 1
    return None


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _category(element: etree._Element) -> str:
    """The data category of a descriptive element, lower case (``l10n:`` prefix dropped)."""
    name = _local(element)
    category = (element.get("type") or "") if name in _TYPED else name
    return category.rpartition(":")[2].strip().lower()


def _value(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _is_note(name: str, category: str) -> bool:
    # Weblate keeps the source explanation in an untyped <descrip>.
    return name == "note" or category == "definition" or (name == "descrip" and not category)


class _Entry:
    """What one concept entry accumulates while its elements are visited."""

    def __init__(self, file: str, findings: list[LintFinding]) -> None:
        self.file = file
        self.findings = findings
        self.dnt = False
        self.notes: list[str] = []
        self.terms: dict[str, list[tuple[Term, bool]]] = {}

    def warn(self, element: etree._Element, message: str, severity: Severity = "warning") -> None:
        self.findings.append(
            LintFinding(file=self.file, line=element.sourceline, message=message, severity=severity)
        )

    def visit(self, element: etree._Element, language: str | None) -> None:
        name = _local(element)
        if name in _LANG_SECTION:
            tag = element.get(_XML_LANG) or element.get("lang")
            if not tag or not tag.strip():
                self.warn(element, f"<{name}> without xml:lang; its terms are ignored", "error")
                return
            for child in element:
                self.visit(child, tag.strip())
        elif name in _TERM_SECTION:
            if language is None:
                self.warn(element, f"<{name}> outside a language section is ignored", "error")
            else:
                self.term(element, language)
        elif name in _GROUP:
            for child in element:
                self.visit(child, language)
        elif name:
            self.describe(element)

    def describe(self, element: etree._Element, notes: list[str] | None = None) -> None:
        """Do-not-translate flags, and notes (the concept's unless ``notes`` is given)."""
        notes = self.notes if notes is None else notes
        category, value = _category(element), _value(element)
        name = _local(element)
        if category == "projectsubset" and value.lower() == "donottranslate":
            self.dnt = True
        elif category in ("translationnote", "translation needed") and value.lower() in _NO:
            # Weblate's and Translate Toolkit's spellings of "read-only, keep as is".
            self.dnt = True
        elif _is_note(name, category) and value and value not in notes:
            notes.append(value)

    def term(self, section: etree._Element, language: str) -> None:
        term_element = next((e for e in section.iter() if _local(e) == "term"), None)
        if term_element is None:
            self.warn(section, f"<{_local(section)}> without <term>")
            return
        text, problem = clean_term("".join(term_element.itertext()))
        if problem:
            self.warn(term_element, problem)
        status, explicit, case_sensitive = Status.ADMITTED, False, is_all_caps(text)
        notes: list[str] = []
        for element in section.iter():
            if element is term_element or _local(element) in ("term", *_GROUP, *_TERM_SECTION):
                continue
            category, value = _category(element), _value(element)
            if category == "administrativestatus":
                found = _STATUS.get(value.lower().replace("-", "").replace("_", ""))
                if found is None:
                    self.warn(element, f"unknown administrative status {value!r}; read as admitted")
                else:
                    status, explicit = found, True
            elif category == "casesensitive":
                if value.lower() in _YES | _NO:
                    case_sensitive = value.lower() in _YES
                else:
                    self.warn(element, f"caseSensitive should be yes or no, not {value!r}")
            else:
                self.describe(element, notes)
        if not text:
            return
        term = Term(
            text=text,
            language=language,
            status=status,
            case_sensitive=case_sensitive,
            line=term_element.sourceline,
            note="\n".join(notes),
        )
        self.terms.setdefault(language, []).append((term, explicit))


def _read_entry(
    entry: etree._Element, file: str, ordinal: int, findings: list[LintFinding]
) -> Concept:
    state = _Entry(file, findings)
    for child in entry:
        state.visit(child, None)
    terms = tuple(t for group in state.terms.values() for t in promote_first(group))
    return Concept(
        id=entry.get("id") or f"c{ordinal}",
        terms=terms,
        dnt=state.dnt,
        note="\n".join(state.notes),
        file=file,
        line=entry.sourceline,
    )


def export_tbx2008(glossary: Glossary) -> str:
    """The glossary as TBX 2008 (``martif``/``termEntry``/``langSet``/``tig``), the dialect
    Translate Toolkit, Weblate and OmegaT all read.  Statuses are always written, so
    reading the file back gives the same statuses."""
    root = etree.Element("martif", {"type": "TBX", _XML_LANG: glossary.source_language})
    header = etree.SubElement(root, "martifHeader")
    source_desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(source_desc, "p").text = "l10n"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for concept in glossary.concepts:
        entry = etree.SubElement(body, "termEntry", {"id": concept.id})
        if concept.dnt:
            etree.SubElement(entry, "admin", {"type": "projectSubset"}).text = "doNotTranslate"
        if concept.note:
            etree.SubElement(entry, "note").text = concept.note
        for language in concept.languages:
            lang_set = etree.SubElement(entry, "langSet", {_XML_LANG: language})
            for term in concept.terms:
                if term.language != language:
                    continue
                tig = etree.SubElement(lang_set, "tig")
                etree.SubElement(tig, "term").text = term.text
                status = etree.SubElement(tig, "termNote", {"type": "administrativeStatus"})
                status.text = _EXPORT_STATUS[term.status]
                if term.case_sensitive != is_all_caps(term.text):
                    flag = etree.SubElement(tig, "termNote", {"type": "l10n:caseSensitive"})
                    flag.text = "yes" if term.case_sensitive else "no"
                if term.note:
                    etree.SubElement(tig, "note").text = term.note
    etree.indent(root, space="  ")
    text: str = etree.tostring(
        root,
        encoding="unicode",
        doctype='<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">',
    )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"

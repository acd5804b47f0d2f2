"""``review.model``: entry ids, states, kinds, glossary terms and approval blockers."""

from __future__ import annotations

from l10n.glossary import Glossary
from l10n.glossary.model import Concept, Status, Term
from l10n.html import SegmentKind, segment
from l10n.review import model
from l10n.review.model import FindingView


def test_entry_ids_are_stable_and_tell_contexts_apart() -> None:
    assert model.entry_id(None, "Hello") == model.entry_id(None, "Hello")
    ids = {
        model.entry_id(None, "Hello"),
        model.entry_id("", "Hello"),
        model.entry_id("menu", "Hello"),
        model.entry_id(None, "Hello."),
        model.entry_id("Hel", "lo"),
        model.entry_id("Hello", ""),
    }
    assert len(ids) == 6
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in ids)


def test_states() -> None:
    def state(
        msgstr: str, fuzzy: bool = False, previous: str | None = None, pseudo: bool = False
    ) -> str:
        return model.state_of(msgstr, fuzzy=fuzzy, previous_msgid=previous, pseudo=pseudo)

    assert state("") == "untranslated"
    assert state("", fuzzy=True, previous="old") == "untranslated"
    assert state("Hola") == "reviewed"
    assert state("Hola", fuzzy=True) == "machine"
    assert state("Hola", fuzzy=True, previous="Hello!") == "human"
    assert state("[Ĥéļļö]", fuzzy=True, pseudo=True) == "pseudo"
    assert set(model.STATES) == {"reviewed", "machine", "human", "untranslated", "pseudo"}


PAGE = (
    b'<html><head><title>The title</title><meta name="description" content="About it">'
    b'</head><body><h1>Heading</h1><p>Go <a href="/x" title="Where to">there</a>.</p>'
    b'<img src="i.png" alt="A picture"></body></html>'
)


def test_kinds_and_placeholders_of_segments() -> None:
    doc = segment(PAGE)
    kinds = {s.msgid: model.kind_of(s) for s in doc.segments}
    assert kinds == {
        "The title": "title",
        "About it": "meta",
        "Heading": "text",
        "Go <1>there</1>.": "text",
        "Where to": "attribute",
        "A picture": "attribute",
    }
    linked = next(s for s in doc.segments if s.msgid.startswith("Go"))
    assert linked.kind is SegmentKind.TEXT
    (holder,) = model.placeholders_of(linked)
    assert (holder.number, holder.shown) == (1, "<1>…</1>")
    assert holder.markup.startswith('<a href="/x"')
    assert model.main_kind(("meta", "text")) == "text"
    assert model.main_kind(("title", "meta")) == "title"
    assert model.uses_of(doc.segments[:2]) == ("title", "meta")


def term(text: str, lang: str, status: Status = Status.PREFERRED) -> Term:
    return Term(text=text, language=lang, status=status, case_sensitive=False)


GLOSSARY = Glossary(
    concepts=(
        Concept(
            id="ai",
            terms=(
                term("AI", "en"),
                term("inteligencia artificial", "es"),
                term("IA", "es", Status.ADMITTED),
                term("AI", "es", Status.FORBIDDEN),
                term("I.A.", "es", Status.DISCOURAGED),
            ),
            note="The field",
        ),
        Concept(id="sora", terms=(term("Sora", "en"),), dnt=True),
        Concept(id="cat", terms=(term("cat", "en"), term("gato", "es"))),
    ),
    source_language="en",
)


def test_terms_of_an_entry_with_their_targets() -> None:
    found = model.terms_of("Sora is an AI model.", GLOSSARY, "es")
    assert [t.source for t in found] == ["Sora", "AI"]
    sora, ai = found
    assert sora.dnt and sora.targets == ("Sora",)
    assert ai.targets == ("inteligencia artificial", "IA")
    assert (ai.forbidden, ai.discouraged, ai.note) == (("AI",), ("I.A.",), "The field")
    assert model.terms_of("Sora is an AI model.", None, "es") == ()
    assert model.terms_of("Nothing here.", GLOSSARY, "es") == ()


def test_only_placeholder_errors_block_approval() -> None:
    findings = (
        FindingView(rule="PH001", severity="error", message="missing <1>"),
        FindingView(rule="PH002", severity="warning", message="number"),
        FindingView(rule="PH003", severity="warning", message="markup"),
        FindingView(rule="PH004", severity="error", message="control"),
        FindingView(rule="GL002", severity="error", message="forbidden"),
    )
    assert [f.rule for f in model.blockers(findings)] == ["PH001", "PH004"]


def test_index_page_counts_its_pages() -> None:
    page = model.IndexPage(rows=(), total=101, page=1, per_page=50, languages=("es",))
    assert page.pages == 3
    assert model.IndexPage(rows=(), total=0, page=1, per_page=50, languages=()).pages == 1

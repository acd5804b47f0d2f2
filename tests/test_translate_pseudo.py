"""The pseudo engine: deterministic, visibly different, longer, placeholders intact."""

from __future__ import annotations

from l10n.html import placeholders as ph
from l10n.translate import make_engine
from l10n.translate.pseudo import pseudo


def test_accents_brackets_and_expansion() -> None:
    out = pseudo("Global Times reported it")
    assert out.startswith("[") and out.endswith("]")
    assert "Global" not in out and "Ĝĺöƀàĺ Ţîɱéš" in out
    assert len(out) >= 1.3 * len("Global Times reported it")


def test_placeholders_untouched_and_valid() -> None:
    msgid = "See <1>Fudan <2>University</2></1> and <3/> now"
    out = pseudo(msgid)
    assert ph.problems(msgid, out) == []
    assert "<1>" in out and "</2>" in out and "<3/>" in out


def test_deterministic_and_batch() -> None:
    engine = make_engine("pseudo")
    texts = ["One", "Two <1>x</1>"]
    assert engine.translate(texts, source="en", target="fr") == [pseudo(t) for t in texts]
    assert engine.translate(texts, source="en", target="fr") == engine.translate(
        texts, source="en", target="fr"
    )

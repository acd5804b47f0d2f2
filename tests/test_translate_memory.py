"""Translation memory: exact reuse, close matches offered fuzzy."""

from __future__ import annotations

from l10n.translate.memory import Memory


def test_exact_and_close_matches() -> None:
    memory = Memory(
        [
            (
                "Sora turns a short prompt into a video clip.",
                "Sora convierte una indicación breve en un videoclip.",
                "locales/es/a.po",
            ),
            ("Home", "Inicio", "locales/es/a.po"),
        ]
    )
    exact = memory.lookup("Home")
    assert exact is not None and exact.exact and exact.msgstr == "Inicio"
    close = memory.lookup("Sora turns a short prompt into a video clip!")
    assert close is not None and not close.exact
    assert close.source == "Sora turns a short prompt into a video clip."
    assert close.similarity >= 0.75
    assert memory.lookup("Something entirely different about chips.") is None


def test_first_translation_of_a_msgid_wins_and_empty_ones_are_ignored() -> None:
    memory = Memory([("Home", "", "a.po"), ("Home", "Inicio", "b.po"), ("Home", "Portada", "c.po")])
    found = memory.lookup("Home")
    assert found is not None and (found.msgstr, found.origin) == ("Inicio", "b.po")
    assert len(memory) == 1


def test_empty_memory() -> None:
    assert Memory([]).lookup("Anything") is None

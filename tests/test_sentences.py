"""Sentence ends in a run's top-level text (the whole-page behaviour is in test_segmenter)."""

from __future__ import annotations

from l10n.html.msgid import Item
from l10n.html.parser import Node
from l10n.html.sentences import split_sentences


def parts(text: str, items: list[Item]) -> list[list[str]]:
    return [
        [text[i.start : i.end] if isinstance(i, Node) else "<el>" for i in part]
        for part in split_sentences(text, items)
    ]


def test_split_drops_the_space_between_sentences() -> None:
    text = "One here. Two there."
    assert parts(text, [Node("text", 0, len(text))]) == [["One here."], ["Two there."]]


def test_abbreviations_and_initials_are_not_sentence_ends() -> None:
    text = "Dr. Li met J. Smith at the U.S. embassy."
    assert parts(text, [Node("text", 0, len(text))]) == [[text]]


def test_only_top_level_text_is_split() -> None:
    # A comment between two texts stays in the sentence it is in; the text after it
    # is split again.
    text = "Start. Mid<!--x--> end. Last."
    items: list[Item] = [Node("text", 0, 10), Node("comment", 10, 18), Node("text", 18, 29)]
    assert parts(text, items) == [["Start."], ["Mid", "<!--x-->", " end."], ["Last."]]

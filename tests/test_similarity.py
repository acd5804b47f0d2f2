from __future__ import annotations

import random

from l10n.similarity import Similar, ratio_of


def lcs(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous, row = row, [0]
        for j, y in enumerate(b, 1):
            row.append(previous[j - 1] + 1 if x == y else max(previous[j], row[j - 1]))
    return row[-1]


def test_ratio_is_twice_the_longest_common_subsequence_over_both_lengths() -> None:
    rng = random.Random(3)
    for _ in range(300):
        a = "".join(rng.choice("abcé字 ") for _ in range(rng.randint(0, 25)))
        b = "".join(rng.choice("abcé字 ") for _ in range(rng.randint(0, 25)))
        expected = 2 * lcs(a, b) / (len(a) + len(b)) if a or b else 1.0
        assert abs(ratio_of(a, b) - expected) < 1e-9
        if expected < 0.99:
            assert ratio_of(a, b, cutoff=expected + 0.01) == 0.0


def test_one_changed_word_in_a_long_paragraph_keeps_the_exact_ratio() -> None:
    paragraph = "The gap is real, and it would be foolish to deny it. " * 20
    changed = paragraph.replace("foolish", "unwise", 1)
    found = Similar(["Something else entirely.", paragraph]).best(changed)
    assert found is not None
    number, ratio = found
    assert number == 1
    assert ratio == 2 * lcs(paragraph, changed) / (len(paragraph) + len(changed))


def test_each_text_is_taken_once_and_unrelated_text_not_at_all() -> None:
    similar = Similar(["The cat sat on the mat.", "Markets rallied on Friday."])
    assert similar.take("The cat sat on the mats.") == 0
    assert similar.take("The cat sat on a mat.") is None
    assert similar.take("A recipe for bread.") is None
    assert similar.best("Markets rallied on Monday.", threshold=0.99) is None

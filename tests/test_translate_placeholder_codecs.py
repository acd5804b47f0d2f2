"""Placeholders through engines: tokens for plain-text engines, spans for HTML engines."""

from __future__ import annotations

import pytest
from mt_server import fake_translate

from l10n.html import placeholders as ph
from l10n.translate.placeholder_codecs import Codec, HtmlCodec, TokenCodec

# Blocks with 10,000 or more inline elements number their placeholders that high.
BIG = "Read <10000>the <123456789>whole</123456789> story</10000> here<99999/> & <1>now</1>."


@pytest.mark.parametrize("codec", [TokenCodec, HtmlCodec])
def test_placeholder_numbers_of_any_length_survive_the_round_trip(codec: Codec) -> None:
    assert ph.problems(BIG, BIG) == []  # every number here is a placeholder of the msgid
    encoded = codec.encode(BIG)
    assert "10000" in encoded and "<10000>" not in encoded
    assert codec.decode(encoded) == BIG
    translated = codec.decode(fake_translate(encoded))  # what the engine sends back
    assert translated is not None
    assert ph.problems(BIG, translated) == []
    assert ph.signature(translated) == ph.signature(BIG)


def test_token_codec_reads_tokens_with_spaces_inside() -> None:
    assert TokenCodec.decode("⟦ 12345 ⟧x⟦ / 12345 ⟧ ⟦10000 /⟧") == "<12345>x</12345> <10000/>"


def test_numbers_longer_than_a_placeholder_are_left_alone() -> None:
    # Ten digits is no placeholder of the msgid, so it is no token either.
    assert TokenCodec.decode("⟦1234567890⟧") == "⟦1234567890⟧"
    assert TokenCodec.decode("⟦/1/⟧") == "⟦/1/⟧"

"""Readable attributes, page metadata and the title as segments of their own (how they
sit among the page's text segments is in test_segmenter)."""

from __future__ import annotations

from l10n.html.attributes import attribute_segments, title_segment
from l10n.html.model import SegmentKind
from l10n.html.parser import Element, parse


def element(text: str, name: str) -> Element:
    pending: list[Element] = [parse(text).root]
    while pending:
        el = pending.pop()
        if el.name == name:
            return el
        pending.extend(c for c in el.children if isinstance(c, Element))
    raise AssertionError(f"no <{name}> in {text!r}")


def test_an_attribute_with_words_is_a_segment_at_its_value() -> None:
    text = '<img src="a.png" alt="A flooded street &amp; a boat">'
    (seg,) = attribute_segments(text, element(text, "img"), lambda el: "body/img")
    assert seg.msgid == "A flooded street & a boat" and seg.kind is SegmentKind.ATTRIBUTE
    assert text[seg.span.start : seg.span.end] == "A flooded street &amp; a boat"
    assert (seg.context, seg.location, seg.quote) == ("img@alt", "body/img@alt", '"')


def test_the_location_is_asked_for_only_when_there_are_words() -> None:
    asked: list[str] = []

    def location(el: Element) -> str:
        asked.append(el.name)
        return "body/img"

    text = '<img alt="  " title="12 345">'
    assert list(attribute_segments(text, element(text, "img"), location)) == []
    assert asked == []


def test_meta_content_by_its_key_and_button_values() -> None:
    text = '<meta property="og:title" content="The future of AI"><meta name="viewport" content="w">'
    page = parse(text).root
    metas = [c for c in page.children if isinstance(c, Element)]
    (seg,) = [s for m in metas for s in attribute_segments(text, m, lambda el: "x")]
    assert (seg.msgid, seg.context, seg.location) == (
        "The future of AI",
        "meta og:title",
        "meta[og:title]",
    )
    button = '<input type="submit" value="Send the letter" alt="ignored words">'
    (value,) = attribute_segments(button, element(button, "input"), lambda el: "form/input")
    assert value.msgid == "Send the letter" and value.context == "input@value"


def test_the_title_without_the_space_around_it() -> None:
    text = "<title>\n  The Meridian Review  \n</title>"
    (seg,) = title_segment(text, element(text, "title"))
    assert seg.msgid == "The Meridian Review" and seg.owns_element
    assert text[seg.span.start : seg.span.end] == "The Meridian Review"
    assert list(title_segment("<title> </title>", element("<title> </title>", "title"))) == []

"""What becomes a translatable segment, and how translators see it."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from l10n.cli import cli
from l10n.html import Segment, SegmentKind, segment
from l10n.html.placeholders import signature


def page(body: str, head: str = "") -> bytes:
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset=utf-8>{head}</head>\n<body>\n{body}\n"
        "</body></html>\n"
    ).encode()


def segs(body: str, head: str = "", *, sentences: bool = False) -> list[Segment]:
    return list(segment(page(body, head), sentences=sentences).segments)


def msgids(body: str, head: str = "", *, sentences: bool = False) -> list[str]:
    return [s.msgid for s in segs(body, head, sentences=sentences)]


def only(body: str, head: str = "") -> Segment:
    (found,) = segs(body, head)
    return found


# --- translatable kinds -------


@pytest.mark.parametrize(
    ("body", "context"),
    [
        ("<p>Paragraph words</p>", "p"),
        ("<h1>Main heading</h1>", "h1"),
        ("<h2>Second heading</h2>", "h2"),
        ("<h3>Third heading</h3>", "h3"),
        ("<h4>Fourth heading</h4>", "h4"),
        ("<h5>Fifth heading</h5>", "h5"),
        ("<h6>Sixth heading</h6>", "h6"),
        ("<ul><li>List item</li></ul>", "li"),
        ("<blockquote>Quoted words</blockquote>", "blockquote"),
        ("<figure><img src=a.png><figcaption>Photo caption</figcaption></figure>", "figcaption"),
        ("<table><tr><td>Data cell</td></tr></table>", "td"),
        ("<table><tr><th>Header cell</th></tr></table>", "th"),
        ("<dl><dt>Glossary term</dt></dl>", "dt"),
        ("<dl><dd>Term meaning</dd></dl>", "dd"),
        ("<table><caption>Table caption</caption></table>", "caption"),
        ("<details><summary>Show more</summary></details>", "summary"),
        ("<form><label>Your name</label></form>", "label"),
        ("<form><button>Send it</button></form>", "button"),
        ("<select><option>First choice</option></select>", "option"),
        ("<div>Loose div text</div>", "div"),
        ("<section>Loose section text</section>", "section"),
        ("<article>Loose article text</article>", "article"),
        ("<header>Loose header text</header>", "header"),
        ("<footer>Loose footer text</footer>", "footer"),
    ],
)
def test_block_text(body: str, context: str) -> None:
    seg = only(body)
    assert seg.kind is SegmentKind.TEXT
    assert seg.context == context
    assert seg.element_name == context
    assert seg.owns_element
    assert re.fullmatch(r"[A-Z][a-z]+ [a-z]+( [a-z]+)?", seg.msgid)


def test_loose_text_in_span_and_a_at_block_level() -> None:
    seg = only('<div><span>Span words</span> and <a href="/x">link words</a></div>')
    assert seg.msgid == "<1>Span words</1> and <2>link words</2>"
    assert seg.context == "div"


def test_a_that_holds_blocks_is_a_block() -> None:
    found = segs('<a href="/story"><h2>Story title</h2>Loose link text</a>')
    assert [(s.msgid, s.context) for s in found] == [
        ("Story title", "h2"),
        ("Loose link text", "a"),
    ]


def test_every_item_of_a_list_with_implied_end_tags() -> None:
    assert msgids("<ul><li>Alpha one<li>Beta two<li>Gamma three</ul>") == [
        "Alpha one",
        "Beta two",
        "Gamma three",
    ]


def test_title() -> None:
    seg = only("", head="<title>\n  News &amp; views | The Daily  \n</title>")
    assert seg.msgid == "News & views | The Daily"
    assert (seg.context, seg.location) == ("title", "title")
    assert seg.owns_element


@pytest.mark.parametrize(
    ("attrs", "context"),
    [
        ('name="description" content="A story about bees"', "meta description"),
        ('property="og:title" content="Bees are back"', "meta og:title"),
        ('property="og:description" content="How bees came back"', "meta og:description"),
        ('name="twitter:title" content="Bees are back"', "meta twitter:title"),
        ('name="twitter:description" content="How bees came back"', "meta twitter:description"),
        ('NAME="Description" CONTENT="Mixed case keys"', "meta description"),
    ],
)
def test_meta(attrs: str, context: str) -> None:
    seg = only("", head=f"<meta {attrs}>")
    assert seg.kind is SegmentKind.ATTRIBUTE
    assert seg.context == context
    assert seg.location == f"meta[{context.split()[1]}]"


@pytest.mark.parametrize(
    "attrs",
    [
        'name="keywords" content="bees, honey"',
        'name="author" content="Jane Doe"',
        'name="viewport" content="width=device-width"',
        'property="og:url" content="https://example.com/bees"',
        'property="og:type" content="article"',
    ],
)
def test_other_meta_is_not_extracted(attrs: str) -> None:
    assert segs("", head=f"<meta {attrs}>") == []


@pytest.mark.parametrize(
    ("body", "msgid", "context"),
    [
        ('<img src="a.png" alt="A bee on a flower">', "A bee on a flower", "img@alt"),
        (
            '<abbr title="World Health Organization">WHO</abbr>',
            "World Health Organization",
            "abbr@title",
        ),
        ('<input name="q" placeholder="Search the site">', "Search the site", "input@placeholder"),
        (
            '<textarea placeholder="Your comment"></textarea>',
            "Your comment",
            "textarea@placeholder",
        ),
        ('<button aria-label="Close dialog">×</button>', "Close dialog", "button@aria-label"),
        ('<input type="submit" value="Send now">', "Send now", "input@value"),
        ('<input type="BUTTON" value="Press here">', "Press here", "input@value"),
        ('<input type=reset value="Clear form">', "Clear form", "input@value"),
    ],
)
def test_attributes(body: str, msgid: str, context: str) -> None:
    found = [s for s in segs(body) if s.kind is SegmentKind.ATTRIBUTE]
    assert [(s.msgid, s.context) for s in found] == [(msgid, context)]


@pytest.mark.parametrize(
    "body",
    [
        '<input type="text" value="Prefilled words">',
        '<input value="Default is text">',
        '<input type="hidden" value="Secret words">',
        '<img src="a.png" data-caption="Not read by anyone">',
        '<a href="/about-us-page" class="nice link">42</a>',
        '<img src="a.png" alt="">',
        '<img src="a.png" alt="2024">',
        '<img src="a.png" alt="photo.jpg">',
    ],
)
def test_attributes_not_extracted(body: str) -> None:
    assert segs(body) == []


def test_attribute_msgid_is_decoded_and_collapsed() -> None:
    seg = only('<img src=x alt="  Tom &amp; Jerry\n   &quot;live&quot;  ">')
    assert seg.msgid == 'Tom & Jerry "live"'


def test_attribute_quote_is_recorded() -> None:
    found = segs("""<img alt="Double q"><img alt='Single q'><img alt=Unquoted>""")
    assert [(s.msgid, s.quote) for s in found] == [
        ("Double q", '"'),
        ("Single q", "'"),
        ("Unquoted", ""),
    ]


def test_attributes_of_inline_elements_inside_text() -> None:
    found = segs('<p>See the <a href="/r" title="Full report">report</a> now.</p>')
    assert [(s.msgid, s.kind) for s in found] == [
        ("See the <1>report</1> now.", SegmentKind.TEXT),
        ("Full report", SegmentKind.ATTRIBUTE),
    ]


# --- never extracted -------


@pytest.mark.parametrize(
    "body",
    [
        "<script>document.write('Hello words');</script>",
        '<script type="application/ld+json">{"headline": "A headline here"}</script>',
        "<style>p::before { content: 'Styled words'; }</style>",
        "<template><p>Template words</p></template>",
        "<pre><code>print('code words')</code></pre>",
        "<kbd>Control key</kbd>",
        "<samp>Sample output</samp>",
        "<var>Variable name</var>",
        "<svg><text>Svg words</text><title>Svg title</title><desc>Svg desc</desc></svg>",
        "<svg><foreignObject><p>Foreign words</p></foreignObject></svg>",
        "<math><mtext>Math words</mtext></math>",
        "<!-- Comment words -->",
        "<!--[if lt IE 9]><p>Please upgrade your browser</p><![endif]-->",
        "<![CDATA[ Cdata words ]]>",
        '<div translate="no"><p>Brand words</p><img alt="Logo words" src=x></div>',
        '<p translate="NO">Shouting no</p>',
        '<p class="lead notranslate">Class words</p>',
        '<div class="notranslate"><h2>Inside heading</h2></div>',
        "<p>2024-05-01 12:30</p>",
        "<p>42 % · 3.14 — (1,000)</p>",
        "<p>   \n\t   </p>",
        "<p>https://example.com/path/to/story</p>",
        "<p>www.example.org</p>",
        "<p>editor@example.com</p>",
        "<td>€ 1,299.00</td>",
        '<textarea placeholder="">Typed text</textarea>',
        "<noembed>Old embed</noembed>",
        "<iframe>Frame fallback</iframe>",
    ],
)
def test_never_extracted(body: str) -> None:
    assert segs(body) == []


def test_translate_yes_switches_back_on() -> None:
    assert msgids('<div translate="no"><p>Brand</p><p translate="yes">Back on words</p></div>') == [
        "Back on words"
    ]


def test_text_around_skipped_blocks_is_kept() -> None:
    body = "<div>Before words<script>var x = 'Script words';</script>after words</div>"
    assert msgids(body) == ["Before words<1/>after words"]


# --- placeholders -------


def test_inline_markup_becomes_numbered_placeholders() -> None:
    seg = only(
        '<p>Read <a href="/r" class="x">the <em>full</em> report</a>, <strong>now</strong>'
        '<br>or <img src="i.png" alt=""> later.</p>'
    )
    assert seg.msgid == "Read <1>the <2>full</2> report</1>, <3>now</3><4/>or <5/> later."
    assert [(p.number, p.name, p.standalone) for p in seg.placeholders] == [
        (1, "a", False),
        (2, "em", False),
        (3, "strong", False),
        (4, "br", True),
        (5, "img", True),
    ]
    assert seg.legend == (
        '<1>…</1> = <a href="/r" class="x">…</a>',
        "<2>…</2> = <em>…</em>",
        "<3>…</3> = <strong>…</strong>",
        "<4/> = <br>",
        '<5/> = <img src="i.png" alt="">',
    )


@pytest.mark.parametrize(
    "tag",
    [
        "a",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "span",
        "sup",
        "sub",
        "small",
        "q",
        "cite",
        "abbr",
        "time",
        "mark",
        "s",
        "dfn",
        "bdi",
    ],
)
def test_each_inline_element_is_a_paired_placeholder(tag: str) -> None:
    seg = only(f"<p>Some <{tag}>marked words</{tag}> here.</p>")
    assert seg.msgid == "Some <1>marked words</1> here."
    assert seg.placeholders[0].name == tag


@pytest.mark.parametrize("tag", ["code", "kbd", "samp", "var"])
def test_code_like_elements_are_standalone_placeholders(tag: str) -> None:
    seg = only(f"<p>Type <{tag}>make install</{tag}> and wait.</p>")
    assert seg.msgid == "Type <1/> and wait."
    assert seg.placeholders[0].standalone
    assert seg.placeholders[0].legend == f"<{tag}>make install</{tag}>"


def test_ruby_is_inline() -> None:
    seg = only("<p>The word <ruby>漢字<rt>kanji</rt></ruby> means letters.</p>")
    assert seg.msgid == "The word <1>漢字<2>kanji</2></1> means letters."


def test_placeholder_numbers_follow_document_order_and_nesting() -> None:
    seg = only("<p><b>One <i>two <u>three</u></i></b> four <s>five</s></p>")
    assert seg.msgid == "<1>One <2>two <3>three</3></2></1> four <4>five</4>"
    assert [p.name for p in seg.placeholders] == ["b", "i", "u", "s"]


def test_placeholder_spans_point_at_source_tags() -> None:
    data = page('<p>Hi <a href="#x">there</a><br/>friend</p>')
    doc = segment(data)
    (seg,) = doc.segments
    text = doc.page.text
    a, br = seg.placeholders
    assert text[a.open.start : a.open.end] == '<a href="#x">'
    assert a.close is not None
    assert text[a.close.start : a.close.end] == "</a>"
    assert text[br.open.start : br.open.end] == "<br/>"
    assert br.close is None
    assert text[seg.span.start : seg.span.end] == 'Hi <a href="#x">there</a><br/>friend'


def test_implicitly_closed_inline_has_no_close_span() -> None:
    (seg,) = segs("<p>Some <b>bold words</p>")
    assert seg.msgid == "Some <1>bold words</1>"
    assert seg.placeholders[0].close is None


def test_inline_without_letters_is_standalone() -> None:
    seg = only("<p>Area: 5 m<sup>2</sup> in <b>2024</b>.</p>")
    assert seg.msgid == "Area: 5 m<1/> in <2/>."
    assert all(p.standalone for p in seg.placeholders)


def test_comment_inside_text_is_standalone() -> None:
    seg = only("<p>Text with <!-- editor note --> a comment.</p>")
    assert seg.msgid == "Text with <1/> a comment."
    assert "editor note" not in seg.legend[0]


def test_translate_no_inline_is_standalone_with_content_kept() -> None:
    seg = only('<p>Try <span translate="no">Acme Cloud</span> for free.</p>')
    assert seg.msgid == "Try <1/> for free."
    (holder,) = seg.placeholders
    assert holder.standalone
    assert holder.name == "span"


def test_notranslate_class_inline_is_standalone() -> None:
    seg = only('<p>Ask <b class="notranslate">Hal Nine</b> anything.</p>')
    assert seg.msgid == "Ask <1/> anything."


def test_translate_no_inline_hides_its_attributes() -> None:
    found = segs('<p>Try <a translate="no" title="Brand tip" href=x>Acme</a> today.</p>')
    assert [s.msgid for s in found] == ["Try <1/> today."]


def test_no_attribute_value_in_any_msgid() -> None:
    body = (
        '<p class="intro-secret" id="lede-secret">Visit <a href="https://secret.example/x" '
        'title="Title secret" data-x="data secret">our site</a> and <img src="img-secret.png" '
        'alt="Alt secret"> <span style="color: secret">more</span>.</p>'
    )
    found = segs(body)
    text_segments = [s for s in found if s.kind is SegmentKind.TEXT]
    assert [s.msgid for s in text_segments] == ["Visit <1>our site</1> and <2/> <3>more</3>."]
    assert all("secret" not in s.msgid.lower() for s in text_segments)
    assert sorted(s.msgid for s in found if s.kind is SegmentKind.ATTRIBUTE) == [
        "Alt secret",
        "Title secret",
    ]


def test_leading_and_trailing_standalone_placeholders_are_trimmed() -> None:
    data = page('<p>\n  <img src="a.png"> <br>Caption words here<br> <!-- x -->\n</p>')
    doc = segment(data)
    (seg,) = doc.segments
    assert seg.msgid == "Caption words here"
    assert seg.placeholders == ()
    assert doc.page.text[seg.span.start : seg.span.end] == "Caption words here"


def test_leading_inline_with_words_is_not_trimmed() -> None:
    assert msgids("<p><b>Bold</b> start and <i>end</i></p>") == ["<1>Bold</1> start and <2>end</2>"]


def test_run_that_is_one_inline_element_descends_into_it() -> None:
    data = page('<p> <a href="/story"><b>Whole link words</b></a> </p>')
    doc = segment(data)
    (seg,) = doc.segments
    assert seg.msgid == "Whole link words"
    assert seg.context == "p/a/b"
    assert seg.placeholders == ()
    assert doc.page.text[seg.span.start : seg.span.end] == "Whole link words"
    assert seg.element_name == "p"


def test_whitespace_is_collapsed_and_entities_decoded() -> None:
    seg = only("<p>\n   Tom &amp; Jerry&#8217;s\r\n\t caf&eacute; &lt;3&nbsp;ok  \n</p>")
    assert seg.msgid == "Tom & Jerry’s café <3\u00a0ok"


def test_whitespace_in_pre_is_kept() -> None:
    seg = only("<pre>First line of the poem\n    second line, indented</pre>")
    assert seg.msgid == "First line of the poem\n    second line, indented"
    assert seg.preserve_whitespace


def test_undecodable_bytes_become_replacement_characters() -> None:
    data = "<p>Déjà vu, café, crème, brûlée, à la carte</p><p>Bad ".encode() + b"\xff byte</p>"
    doc = segment(data)
    assert [s.msgid for s in doc.segments][-1] == "Bad \ufffd byte"


def test_url_only_text_is_skipped_but_text_with_url_is_kept() -> None:
    assert msgids("<p>https://example.com/a</p><p>Read more at https://example.com/a</p>") == [
        "Read more at https://example.com/a"
    ]


def test_letters_in_other_scripts_count() -> None:
    assert msgids("<p>Привет</p><p>中文</p><p>مرحبا</p><p>१२३</p>") == ["Привет", "中文", "مرحبا"]


# --- one entry per text, context and order -------


def test_same_text_twice_gives_two_segments_with_the_same_msgid() -> None:
    found = segs("<p>Read more</p><div><p>Read more</p></div>")
    assert [s.msgid for s in found] == ["Read more", "Read more"]
    assert found[0].location != found[1].location


def test_segments_are_in_document_order() -> None:
    found = segs(
        '<h1>Heading</h1><p>Para with <img src=x alt="Image alt"> image</p><p>Last para</p>',
        head='<title>Page title</title><meta name="description" content="Page description">',
    )
    assert [s.msgid for s in found] == [
        "Page title",
        "Page description",
        "Heading",
        "Para with <1/> image",
        "Image alt",
        "Last para",
    ]


def test_text_split_by_a_block_gives_two_segments_that_do_not_own_the_element() -> None:
    found = segs("<div>Before the list<ul><li>Item one</li></ul>After the list</div>")
    assert [(s.msgid, s.context, s.owns_element) for s in found] == [
        ("Before the list", "div", False),
        ("Item one", "li", True),
        ("After the list", "div", False),
    ]
    assert found[2].location.endswith("/text[2]")


def test_text_beside_a_block_child_does_not_own_the_element() -> None:
    # The div's lang would also cover the paragraph inside it.
    found = segs("<div>Loose words<p>Paragraph words</p></div>")
    assert [(s.msgid, s.owns_element) for s in found] == [
        ("Loose words", False),
        ("Paragraph words", True),
    ]


# --- locations -------


def test_locations_are_structural_paths() -> None:
    found = segs("<div><p>One</p><p>Two</p></div><p>Three</p><p>Four</p>")
    assert [s.location for s in found] == [
        "html/body/div/p",
        "html/body/div/p[2]",
        "html/body/p",
        "html/body/p[2]",
    ]


def test_locations_are_anchored_on_ids() -> None:
    found = segs('<main><div id="story"><p>First</p><section><h2>Sub</h2></section></div></main>')
    assert [s.location for s in found] == ["#story/p", "#story/section/h2"]


def test_attribute_locations() -> None:
    found = segs(
        '<div id="gallery"><img src=a alt="First image"><img src=b alt="Second image"></div>'
    )
    assert [s.location for s in found] == ["#gallery/img@alt", "#gallery/img[2]@alt"]


def test_locations_do_not_change_when_unrelated_lines_are_inserted_before() -> None:
    before = (
        b"<html><head><title>Title words</title></head><body>\n"
        b'<h1>Heading words</h1>\n<div id="main"><p>Para one</p><p>Para two</p></div>\n'
        b"<p>Outside para</p>\n</body></html>"
    )
    after = (
        b"<!DOCTYPE html>\n<!-- build 1234 -->\n<html><head>\n<meta charset=utf-8>\n"
        b"<script>var tracking = 1;</script>\n<style>p{}</style>\n"
        b"<title>Title words</title></head><body>\n\n\n<!-- ad slot -->\n"
        b'<div class="ad">Advert words</div>\n<h1>Heading words</h1>\n'
        b'<div id="main"><p>Para one</p><p>Para two</p></div>\n<p>Outside para</p>\n</body></html>'
    )
    old = {s.msgid: s.location for s in segment(before).segments}
    new = {s.msgid: s.location for s in segment(after).segments}
    assert new.pop("Advert words") == "html/body/div"
    assert new == old


def test_id_anchor_survives_new_siblings_before_it() -> None:
    before = b'<body><div id="main"><p>Para one</p></div></body>'
    after = b'<body><p>New para</p><div>New div</div><div id="main"><p>Para one</p></div></body>'
    (old,) = segment(before).segments
    new = [s for s in segment(after).segments if s.msgid == "Para one"]
    assert [s.location for s in new] == [old.location] == ["#main/p"]


# --- sentence mode -------


def test_sentence_mode_splits_block_text() -> None:
    found = segs(
        "<p>The river rose. Farmers moved their herds! Will it rain again? Nobody knows.</p>",
        sentences=True,
    )
    assert [s.msgid for s in found] == [
        "The river rose.",
        "Farmers moved their herds!",
        "Will it rain again?",
        "Nobody knows.",
    ]
    assert [s.location for s in found] == [
        "html/body/p",
        "html/body/p/text[2]",
        "html/body/p/text[3]",
        "html/body/p/text[4]",
    ]


def test_sentence_mode_does_not_split_after_abbreviations() -> None:
    found = msgids(
        "<p>Dr. Ada Lane met the U.S. Senate on Monday. She spoke with Mr. Ruiz, "
        "Prof. Kim and J. R. Tolkien’s heirs. See Fig. 3 for details.</p>",
        sentences=True,
    )
    assert found == [
        "Dr. Ada Lane met the U.S. Senate on Monday.",
        "She spoke with Mr. Ruiz, Prof. Kim and J. R. Tolkien’s heirs.",
        "See Fig. 3 for details.",
    ]


def test_sentence_mode_splits_after_closing_quotes_and_before_numbers() -> None:
    assert msgids("<p>“It works,” she said. “Really.” 2024 was good.</p>", sentences=True) == [
        "“It works,” she said.",
        "“Really.”",
        "2024 was good.",
    ]


def test_sentence_mode_splits_cjk_without_spaces() -> None:
    assert msgids("<p>今天下雨。明天晴天！</p>", sentences=True) == ["今天下雨。", "明天晴天！"]


def test_sentence_mode_keeps_placeholders_in_their_sentence() -> None:
    found = segs(
        "<p>First <b>bold</b> sentence. Second <a href=x>linked</a> one.</p>", sentences=True
    )
    assert [s.msgid for s in found] == [
        "First <1>bold</1> sentence.",
        "Second <1>linked</1> one.",
    ]


def test_sentence_mode_does_not_split_inside_inline_markup() -> None:
    assert msgids("<p>One <b>two. Three</b> four.</p>", sentences=True) == [
        "One <1>two. Three</1> four."
    ]


def test_sentences_do_not_own_the_element() -> None:
    found = segs("<p>First sentence here. Second sentence here.</p>", sentences=True)
    assert [s.owns_element for s in found] == [False, False]
    found = segs("<p>Plain first one. Then <b>bold</b> second.</p>", sentences=True)
    assert [s.owns_element for s in found] == [False, False]


def test_single_sentence_owns_the_element() -> None:
    (seg,) = segs("<p>Only one sentence here.</p>", sentences=True)
    assert seg.owns_element
    assert seg.location == "html/body/p"


def test_sentence_mode_spans_cover_exactly_the_sentences() -> None:
    data = page("<p>Alpha beta.  Gamma delta.\nEpsilon.</p>")
    doc = segment(data, sentences=True)
    text = doc.page.text
    assert [text[s.span.start : s.span.end] for s in doc.segments] == [
        "Alpha beta.",
        "Gamma delta.",
        "Epsilon.",
    ]


def test_sentence_mode_leaves_attributes_and_title_whole() -> None:
    found = segs(
        '<img src=x alt="One thing. Another thing.">',
        head="<title>First part. Second part.</title>",
        sentences=True,
    )
    assert [s.msgid for s in found] == ["First part. Second part.", "One thing. Another thing."]


# --- deep nesting -------------------------------------------------------------------


def _deep(kind: str, depth: int) -> tuple[str, list[str]]:
    """A body nested ``depth`` levels deep, and the msgids it holds."""
    if kind == "divs":
        body = "<div>" * depth + "<p>Deep <b>words</b> here.</p><img alt='A deep picture'>"
        return body + "</div>" * depth, ["Deep <1>words</1> here.", "A deep picture"]
    if kind == "inline":  # the innermost <b> carries a title
        opens = "<b>" * (depth - 1) + "<b title='Bold title'>"
        msgid = "".join(f"<{n}>" for n in range(1, depth + 1)) + "deep words"
        msgid += "".join(f"</{n}>" for n in range(depth, 0, -1))
        return f"<p>Start {opens}deep words{'</b>' * depth} end.</p>", [
            f"Start {msgid} end.",
            "Bold title",
        ]
    if kind == "lists":
        return "<ul><li>" * depth + "Deep item" + "</li></ul>" * depth, ["Deep item"]
    if kind == "tables":
        return "<table><tr><td>" * depth + "Deep cell" + "</td></tr></table>" * depth, ["Deep cell"]
    assert kind == "untranslated"  # translate="yes" deep inside translate="no"
    body = "<div translate=no>" + "<div>" * depth + "<p translate=yes>Deep words</p>"
    return body + "</div>" * (depth + 1), ["Deep words"]


_DEEP = [
    (kind, depth)
    for kind in ("divs", "inline", "lists", "tables", "untranslated")
    for depth in (490, 5_000, 50_000)
]


@pytest.mark.parametrize(("kind", "depth"), _DEEP)
def test_deep_nesting_is_segmented(kind: str, depth: int) -> None:
    body, expected = _deep(kind, depth)
    found = segs(body)
    assert sorted(s.msgid for s in found) == sorted(expected)
    if kind == "divs":  # every level is in the location (the page has no ids)
        assert [s.location for s in found] == [
            "html/body/" + "div/" * depth + "p",
            "html/body/" + "div/" * depth + "img@alt",
        ]


@pytest.mark.parametrize(("kind", "depth"), _DEEP)
def test_deep_nesting_through_extract_and_publish(tmp_path: Path, kind: str, depth: int) -> None:
    body, expected = _deep(kind, depth)
    source = page(body)
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "deep.html").write_bytes(source)
    runner = CliRunner()
    result = runner.invoke(cli, ["-C", str(tmp_path), "extract"])
    assert result.exit_code == 0, result.output
    po_path = tmp_path / "locales" / "es" / "deep.po"
    po = polib.pofile(str(po_path))
    assert sorted(e.msgid for e in po) == sorted(expected)
    for entry in po:
        entry.msgstr = entry.msgid  # identity translation: the page must come back as it was
    po.save(str(po_path))
    result = runner.invoke(cli, ["-C", str(tmp_path), "publish"])
    assert result.exit_code == 0, result.output
    published = (tmp_path / "public" / "es" / "deep.html").read_bytes()
    assert published == source.replace(b"<html>", b'<html lang="es">', 1)


# --- text that reads like a placeholder -------------------------------------------------


def test_look_alikes_in_text_are_escaped_in_the_msgid() -> None:
    (seg,) = segs("<p>Type &lt;1&gt; or &lt;/1&gt; and <b>then</b> &lt;2/&gt;.</p>")
    assert seg.msgid == "Type <\\1> or <\\/1> and <1>then</1> <\\2/>."
    assert [(p.number, p.name) for p in seg.placeholders] == [(1, "b")]
    assert signature(seg.msgid) == {(1, "open"): 1, (1, "close"): 1}


def test_look_alikes_in_titles_and_attributes_are_escaped() -> None:
    found = segs('<img alt="Step &lt;1&gt; of 3">', head="<title>Why &lt;2/&gt; matters</title>")
    assert [s.msgid for s in found] == ["Why <\\2/> matters", "Step <\\1> of 3"]


def test_msgids_without_look_alikes_keep_their_backslashes() -> None:
    assert msgids("<p>C:\\ <b>drive</b> and \\1 \\&lt;b&gt;</p>") == [
        "C:\\ <1>drive</1> and \\1 \\<b>"
    ]


def test_a_block_of_twelve_thousand_inline_elements_keeps_its_markup() -> None:
    (seg,) = segs("<p>" + " ".join(f"<b>w{n}</b>" for n in range(12_000)) + "</p>")
    assert len(seg.placeholders) == 12_000
    assert seg.msgid.endswith("<11999>w11998</11999> <12000>w11999</12000>")
    assert signature(seg.msgid) == {
        (n, role): 1 for n in range(1, 12_001) for role in ("open", "close")
    }

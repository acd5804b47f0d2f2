"""The source-keeping tokenizer and tree builder."""

from __future__ import annotations

from l10n.html.parser import Element, Node, parse, parse_attrs


def elements(el: Element) -> list[Element]:
    return [c for c in el.children if isinstance(c, Element)]


def find(el: Element, name: str) -> list[Element]:
    found: list[Element] = []
    for child in elements(el):
        if child.name == name:
            found.append(child)
        found += find(child, name)
    return found


def one(el: Element, name: str) -> Element:
    (found,) = find(el, name)
    return found


def texts(text: str, el: Element) -> list[str]:
    """All text nodes under ``el``, in order."""
    out: list[str] = []
    for child in el.children:
        if isinstance(child, Node):
            if child.kind == "text":
                out.append(text[child.start : child.end])
        else:
            out += texts(text, child)
    return out


def kinds(el: Element) -> list[str]:
    return [c.kind if isinstance(c, Node) else c.name for c in el.children]


# --- spans -------


def test_spans_of_tags_and_text() -> None:
    text = '<div class="a"><p>Hello <b>bold</b> world</p></div>'
    tree = parse(text)
    div = one(tree.root, "div")
    assert text[div.start : div.tag_end] == '<div class="a">'
    assert div.close_start is not None and div.close_end is not None
    assert text[div.close_start : div.close_end] == "</div>"
    assert (div.start, div.end) == (0, len(text))
    p = one(tree.root, "p")
    assert text[p.start : p.tag_end] == "<p>"
    assert text[p.tag_end : p.content_end] == "Hello <b>bold</b> world"
    b = one(tree.root, "b")
    assert text[b.start : b.end] == "<b>bold</b>"
    assert b.parent is p
    assert texts(text, p) == ["Hello ", "bold", " world"]


def test_spans_of_attributes() -> None:
    text = """<img src="a.png" alt='A cat' title=Unquoted data-x = "spaced" hidden>"""
    tree = parse(text)
    img = one(tree.root, "img")
    attrs = {a.name: a for a in img.attrs(text)}
    assert list(attrs) == ["src", "alt", "title", "data-x", "hidden"]
    assert text[attrs["src"].value_start : attrs["src"].value_end] == "a.png"
    assert attrs["src"].quote == '"'
    assert text[attrs["alt"].value_start : attrs["alt"].value_end] == "A cat"
    assert attrs["alt"].quote == "'"
    assert text[attrs["title"].value_start : attrs["title"].value_end] == "Unquoted"
    assert attrs["title"].quote == ""
    assert text[attrs["data-x"].value_start : attrs["data-x"].value_end] == "spaced"
    assert text[attrs["data-x"].start : attrs["data-x"].start + 6] == "data-x"
    assert attrs["hidden"].quote == "-"
    assert img.value(text, "alt") == "A cat"
    assert img.value(text, "missing") is None


def test_attribute_names_are_lowercased_and_values_keep_case() -> None:
    text = '<P CLASS="Lead" Title="Mixed Case">x</P>'
    tree = parse(text)
    p = one(tree.root, "p")
    assert p.value(text, "class") == "Lead"
    assert p.value(text, "title") == "Mixed Case"
    assert p.close_start is not None
    assert text[p.close_start : p.close_end] == "</P>"


def test_gt_inside_quoted_attribute_does_not_end_the_tag() -> None:
    text = '<a title="a > b" href=x>link</a>'
    tree = parse(text)
    a = one(tree.root, "a")
    assert text[a.start : a.tag_end] == '<a title="a > b" href=x>'
    assert texts(text, a) == ["link"]


def test_duplicate_attributes_keep_the_first() -> None:
    text = '<img alt="First" ALT="Second" src=x>'
    tree = parse(text)
    img = one(tree.root, "img")
    assert [a.name for a in img.attrs(text)] == ["alt", "src"]
    assert img.value(text, "alt") == "First"


def test_unquoted_attributes() -> None:
    text = "<a href=/path/to?x=1&y=2 title=Hello class=big>go</a>"
    attrs = parse_attrs(text, 2, text.index(">"))
    values = {a.name: (text[a.value_start : a.value_end], a.quote) for a in attrs}
    assert values == {
        "href": ("/path/to?x=1&y=2", ""),
        "title": ("Hello", ""),
        "class": ("big", ""),
    }


def test_self_closing_slash_is_not_an_attribute() -> None:
    text = '<br/><img src="x.png" />'
    tree = parse(text)
    assert [e.name for e in elements(tree.root)] == ["br", "img"]
    img = one(tree.root, "img")
    assert [a.name for a in img.attrs(text)] == ["src"]
    assert text[img.start : img.tag_end] == '<img src="x.png" />'


def test_nth_counts_same_name_siblings() -> None:
    text = "<body><p>a</p><div>b</div><p>c</p><p>d</p></body>"
    body = one(parse(text).root, "body")
    assert [(e.name, e.nth) for e in elements(body)] == [
        ("p", 1),
        ("div", 1),
        ("p", 2),
        ("p", 3),
    ]


def test_html_and_meta_are_remembered() -> None:
    text = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name=x></head></html>'
    tree = parse(text)
    assert tree.html is not None
    assert text[tree.html.start : tree.html.tag_end] == '<html lang="en">'
    assert [text[m.start : m.tag_end] for m in tree.metas] == [
        '<meta charset="utf-8">',
        "<meta name=x>",
    ]
    assert kinds(tree.root)[0] == "doctype"


def test_second_html_tag_is_stray() -> None:
    text = "<html><body><html lang=fr><p>x</p></body></html>"
    tree = parse(text)
    assert tree.html is not None
    assert tree.html.start == 0
    assert len(find(tree.root, "html")) == 1


# --- implied end tags -------


def test_p_closed_by_next_p_and_by_block() -> None:
    text = "<p>One<p>Two<div>Three</div>"
    tree = parse(text)
    assert kinds(tree.root) == ["p", "p", "div"]
    first, second, _ = elements(tree.root)
    assert text[first.start : first.end] == "<p>One"
    assert first.close_start is None
    assert text[second.start : second.end] == "<p>Two"


def test_p_not_closed_by_inline() -> None:
    text = "<p>One <span>two</span> three</p>"
    tree = parse(text)
    assert kinds(tree.root) == ["p"]
    assert kinds(one(tree.root, "p")) == ["text", "span", "text"]


def test_li_closes_li() -> None:
    text = "<ul><li>One<li>Two <b>bold</b><li>Three</ul><p>after"
    tree = parse(text)
    ul = one(tree.root, "ul")
    assert [texts(text, li) for li in elements(ul)] == [["One"], ["Two ", "bold"], ["Three"]]
    assert text[ul.close_start : ul.close_end] == "</ul>"  # type: ignore[misc]
    assert kinds(tree.root) == ["ul", "p"]


def test_nested_list_li_does_not_close_outer_li() -> None:
    text = "<ul><li>Outer<ul><li>Inner</ul></li><li>Next</ul>"
    tree = parse(text)
    outer = elements(elements(tree.root)[0])
    assert [li.name for li in outer] == ["li", "li"]
    assert texts(text, outer[0]) == ["Outer", "Inner"]


def test_td_and_tr_close_implicitly() -> None:
    text = "<table><tr><td>1<td>2<tr><th>3<td>4</table>"
    tree = parse(text)
    rows = find(tree.root, "tr")
    assert [[c.name for c in elements(r)] for r in rows] == [["td", "td"], ["th", "td"]]
    assert [texts(text, c) for c in find(tree.root, "td")] == [["1"], ["2"], ["4"]]


def test_option_closes_option() -> None:
    text = "<select><option>Red<option value=g>Green</select>"
    tree = parse(text)
    options = find(tree.root, "option")
    assert [texts(text, o) for o in options] == [["Red"], ["Green"]]
    assert all(o.parent is one(tree.root, "select") for o in options)


def test_dt_dd_close_each_other() -> None:
    text = "<dl><dt>Term<dd>Meaning<dt>Other</dl>"
    dl = one(parse(text).root, "dl")
    assert kinds(dl) == ["dt", "dd", "dt"]


def test_end_tag_closes_unclosed_children() -> None:
    text = "<div><p>Para <b>bold</div>after"
    tree = parse(text)
    div = one(tree.root, "div")
    p = one(tree.root, "p")
    b = one(tree.root, "b")
    assert div.close_start == text.index("</div>")
    assert p.end == b.end == text.index("</div>")
    assert p.close_start is None
    assert b.close_start is None
    assert texts(text, tree.root)[-1] == "after"


def test_stray_end_tags_are_kept_as_stray_nodes() -> None:
    text = "<p>one</span>two</p></b>"
    tree = parse(text)
    p = one(tree.root, "p")
    assert kinds(p) == ["text", "stray", "text"]
    stray = p.children[1]
    assert text[stray.start : stray.end] == "</span>"
    assert kinds(tree.root) == ["p", "stray"]


def test_end_tag_with_no_name() -> None:
    text = "<p>a</>b</ x>c</p>"
    p = one(parse(text).root, "p")
    assert kinds(p) == ["text", "stray", "text", "stray", "text"]


def test_lone_less_than_is_text() -> None:
    text = "<p>1 < 2 and 3 > 2</p>"
    p = one(parse(text).root, "p")
    assert texts(text, p) == ["1 < 2 and 3 > 2"]


def test_unterminated_start_tag_at_end_of_file() -> None:
    text = '<p>Text <b class="x'
    tree = parse(text)
    p = one(tree.root, "p")
    assert kinds(p) == ["text", "stray"]
    assert p.end == len(text)
    assert find(tree.root, "b") == []


def test_unclosed_elements_end_at_end_of_file() -> None:
    text = "<html><body><div><p>Never closed"
    tree = parse(text)
    for name in ("html", "body", "div", "p"):
        el = one(tree.root, name)
        assert el.end == len(text)
        assert el.close_start is None


# --- raw text -------


def test_script_with_markup_in_strings() -> None:
    text = '<div><script>var s = "</div>"; if (a</b) { x = "<p>"; }</script><p>After</p></div>'
    tree = parse(text)
    script = one(tree.root, "script")
    assert kinds(script) == ["text"]
    assert texts(text, script) == ['var s = "</div>"; if (a</b) { x = "<p>"; }']
    div = one(tree.root, "div")
    assert div.close_end == len(text)
    assert [e.name for e in elements(div)] == ["script", "p"]


def test_script_end_tag_detection() -> None:
    text = '<script>a = "</scripts>"; b = "</scriptx"</SCRIPT >after'
    tree = parse(text)
    script = one(tree.root, "script")
    assert texts(text, script) == ['a = "</scripts>"; b = "</scriptx"']
    assert text[script.close_start : script.close_end] == "</SCRIPT >"  # type: ignore[misc]
    assert texts(text, tree.root)[-1] == "after"


def test_unclosed_script_runs_to_end_of_file() -> None:
    text = "<p>x</p><script>if (a < b) { document.write('<p>y</p>')"
    tree = parse(text)
    script = one(tree.root, "script")
    assert script.end == len(text)
    assert script.close_start is None
    assert len(find(tree.root, "p")) == 1


def test_style_textarea_and_title_are_raw_text() -> None:
    text = (
        "<style>p > b { x: '</p>' }</style><textarea><b>x</b></textarea><title>A <i>t</i></title>"
    )
    tree = parse(text)
    assert texts(text, one(tree.root, "style")) == ["p > b { x: '</p>' }"]
    assert texts(text, one(tree.root, "textarea")) == ["<b>x</b>"]
    assert texts(text, one(tree.root, "title")) == ["A <i>t</i>"]
    assert find(tree.root, "b") == find(tree.root, "i") == []


def test_empty_script() -> None:
    tree = parse("<script></script><p>x</p>")
    assert one(tree.root, "script").children == []


# --- comments, CDATA, doctype -------


def test_comments() -> None:
    text = "<!-- a <p>hidden</p> comment --><p>shown</p><!--->t<!-->u<!-- unterminated"
    tree = parse(text)
    assert kinds(tree.root) == ["comment", "p", "comment", "text", "comment", "text", "comment"]
    spans = [text[c.start : c.end] for c in tree.root.children if isinstance(c, Node)]
    assert spans == [
        "<!-- a <p>hidden</p> comment -->",
        "<!--->",
        "t",
        "<!-->",
        "u",
        "<!-- unterminated",
    ]
    assert len(find(tree.root, "p")) == 1


def test_conditional_comments() -> None:
    text = (
        "<!--[if lt IE 9]><p>Please upgrade</p><script src=x></script><![endif]-->"
        "<!--[if !IE]><!--><p>Modern</p><!--<![endif]-->"
    )
    tree = parse(text)
    assert [c.kind if isinstance(c, Node) else c.name for c in tree.root.children] == [
        "comment",
        "comment",
        "p",
        "comment",
    ]
    assert texts(text, tree.root) == ["Modern"]


def test_cdata_and_processing_instructions() -> None:
    text = "<?php echo 'x'; ?><![CDATA[ <p>not a tag</p> ]]><p>real</p><![CDATA[ open"
    tree = parse(text)
    assert kinds(tree.root) == ["comment", "cdata", "p", "cdata"]
    assert texts(text, tree.root) == ["real"]


def test_doctype() -> None:
    text = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN">\n<html></html>'
    tree = parse(text)
    doctype = tree.root.children[0]
    assert isinstance(doctype, Node)
    assert doctype.kind == "doctype"
    assert text[doctype.start : doctype.end].startswith("<!DOCTYPE html")


# --- foreign content -------


def test_svg_is_skipped_with_nested_svg_comments_and_cdata() -> None:
    text = (
        "<p>Before</p><svg viewBox='0 0 1 1'><svg><text>Inner</text></svg>"
        "<!-- </svg> --><![CDATA[</svg>]]><g/><title>Chart</title></svg><p>After</p>"
    )
    tree = parse(text)
    svg = one(tree.root, "svg")
    assert svg.children == []
    assert svg.close_start == text.index("</svg><p>After")
    assert text[svg.start : svg.end].endswith("<title>Chart</title></svg>")
    assert [texts(text, p) for p in find(tree.root, "p")] == [["Before"], ["After"]]


def test_math_is_skipped_and_other_foreign_names_do_not_count() -> None:
    text = "<math><mi>x</mi><svg></svg><math/><mtext>words</mtext></math>tail"
    tree = parse(text)
    math = one(tree.root, "math")
    assert math.children == []
    assert math.end == text.index("tail")
    assert texts(text, tree.root) == ["tail"]


def test_self_closing_svg() -> None:
    text = "<p>a<svg/>b</p>"
    p = one(parse(text).root, "p")
    assert kinds(p) == ["text", "svg", "text"]


def test_unclosed_svg_runs_to_end() -> None:
    text = "<svg><g><text>x</text>"
    svg = one(parse(text).root, "svg")
    assert svg.end == len(text)


# --- structure hints -------


def test_block_inside_bubbles_up() -> None:
    text = "<a href=x><span><div>block</div></span></a><b><i>x</i></b>"
    tree = parse(text)
    assert one(tree.root, "a").block_inside
    assert one(tree.root, "span").block_inside
    assert not one(tree.root, "b").block_inside

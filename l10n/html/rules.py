"""Which elements and attributes are translatable, and how they are shown to translators.

Every set is lower-case tag names.  The sets follow the WHATWG HTML parsing rules
where they decide structure (void, raw text, implied end tags) and the rendering
model where they decide what a reader sees as one sentence (phrasing content).
"""

from __future__ import annotations

# Elements that never have content or an end tag.
VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param "
    "source track wbr".split()
)

# Content is raw text up to the matching end tag: never markup, never extracted
# (except <title>, whose text is the page title).
RAW_TEXT = frozenset("script style xmp iframe noembed noframes textarea title".split())

# Foreign content: parsed by its own rules, its text never extracted.
FOREIGN = frozenset({"svg", "math"})

# Phrasing markup that stays inside a sentence: becomes a paired placeholder <n>…</n>
# whose content the translator translates.
INLINE = frozenset(
    "a abbr acronym b bdi bdo big blink cite data del dfn em font i ins mark nobr q rb rp "
    "rt rtc ruby s small span strike strong sub sup time tt u".split()
)

# Inline elements with no translatable content of their own: one standalone
# placeholder <n/> each, content kept verbatim.
INLINE_OPAQUE = frozenset(
    "code kbd samp var script style template svg math iframe object embed canvas audio "
    "video picture noscript map".split()
)

# Opaque elements that never carry the wording of a sentence: left out at its edges.
# (code, kbd, samp and var do carry words the sentence needs, so they stay.)
NOT_WORDING = INLINE_OPAQUE - {"code", "kbd", "samp", "var"}

# Void elements that sit inside a sentence: standalone placeholders <n/>.
INLINE_VOID = frozenset("br wbr img input area".split())

# Subtrees whose text is never extracted, wherever they are.
SKIPPED = frozenset(
    "script style template code kbd samp var svg math textarea xmp iframe noembed "
    "noframes object canvas audio video".split()
)

# Every element name an HTML parser knows (WHATWG, obsolete ones included): what makes
# "<b>" in a translation a tag someone typed, and "x<y>z" or "<ana@example.org>" text.
ELEMENTS = (
    frozenset(
        "a abbr address area article aside audio b base bdi bdo blockquote body br button "
        "canvas caption cite code col colgroup data datalist dd del details dfn dialog div dl "
        "dt em embed fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header "
        "hgroup hr html i iframe img input ins kbd label legend li link main map mark menu "
        "meta meter nav noscript object ol optgroup option output p picture pre progress q rp "
        "rt ruby s samp search script section select slot small source span strong style sub "
        "summary sup table tbody td template textarea tfoot th thead time title tr track u ul "
        "var video wbr acronym applet basefont bgsound big blink center dir font frame "
        "frameset image keygen marquee menuitem nobr noembed noframes param plaintext rb rtc "
        "strike tt xmp".split()
    )
    | VOID
    | RAW_TEXT
    | FOREIGN
    | INLINE
    | INLINE_OPAQUE
    | SKIPPED
)

# Attributes people read, by element ("*" = any element).
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"title", "aria-label"}),
    "img": frozenset({"alt"}),
    "area": frozenset({"alt"}),
    "input": frozenset({"alt", "placeholder"}),
    "textarea": frozenset({"placeholder"}),
    "option": frozenset({"label"}),
    "optgroup": frozenset({"label"}),
    "track": frozenset({"label"}),
}

# <input type=…> whose value is the button label a reader sees.
BUTTON_INPUT_TYPES = frozenset({"submit", "button", "reset"})

# <meta name|property=…> whose content search engines and social sites show.
META_KEYS = frozenset(
    "description og:title og:description og:image:alt og:site_name twitter:title "
    "twitter:description twitter:image:alt".split()
)

# --- implied end tags (a subset of the HTML tree-construction rules) ---------------

# A start tag of one of these closes an open <p>.
CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li listing main "
    "menu nav ol p plaintext pre section summary table ul dd dt".split()
)
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())

# Start tag -> the open elements it closes, and the elements that stop the search.
IMPLIED_CLOSE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu", "table", "div", "section"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "table", "div"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "table", "div"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
    "optgroup": (frozenset({"option", "optgroup"}), frozenset({"select"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "thead": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "a": (frozenset({"a"}), frozenset({"table", "td", "th", "div"})),
    "body": (frozenset({"head"}), frozenset()),
}

# Elements a stray </p> search must not cross.
P_SCOPE_BOUNDARY = frozenset(
    "applet caption html table td th marquee object template button".split()
)

"""Language alternates in a published page's ``<head>``.

Search engines pair translations through ``<link rel="alternate" hreflang>`` and social
sites through ``og:locale``/``og:locale:alternate``.  A translated page copies the
source's head, so the source's own alternates (and its canonical URL) would describe
the wrong page: they are removed or rewritten, and the new tags go where the old ones
were, else just before ``</head>``.  Like the rest of publishing this is a list of text
edits on the source, laid out as the page lays out its head (line ending, indentation,
``/>``), so nothing else in the page moves.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from l10n.glossary.languages import parse_tag
from l10n.html import rules
from l10n.html.model import Head, Href, Span
from l10n.html.parser import Element, Tree

TextEdit = tuple[int, int, str]  # (start, end, replacement) on the page text

# What a browser keeps in the head; the first other element (or text) starts the body,
# whether or not the source wrote </head>.
HEAD_CONTENT = frozenset("base link meta title script style noscript template".split())
_OG_LOCALE = frozenset({"og:locale", "og:locale:alternate"})
_ASCII_WHITESPACE = re.compile(r"[\t\n\f\r ]+")
# Keeps existing %XX escapes and every printable ASCII character; only what a legacy
# codec might not hold (and spaces, which are not allowed in a URL) is escaped.
_URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))
_SPACES = re.compile(r"[ \t]*")
_NEEDS_QUOTES = re.compile(r"[\t\n\f\r \"'=<>`]|^$")


@dataclass(frozen=True, kw_only=True, slots=True)
class Alternate:
    """One ``<link rel="alternate">``: a language (or ``x-default``) and its URL."""

    hreflang: str
    href: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Alternates:
    """What a published page says about its language versions."""

    links: tuple[Alternate, ...] = ()
    og_locale: str = ""  # "" writes no og:locale meta
    og_alternates: tuple[str, ...] = ()
    canonical: str | None = None  # new href for an existing <link rel=canonical>


def og_locale(tag: str) -> str:
    """The ``og:locale`` spelling (``ll_TT``) of a BCP 47 tag: ``zh-Hans`` → ``zh_CN``.

    Open Graph wants a territory; when the tag has none, CLDR's likely subtags supply
    the one where the language (in its script) is most spoken.
    """
    return _og_locale(tag.strip())


@lru_cache(maxsize=256)
def _og_locale(tag: str) -> str:
    try:
        locale = Locale.parse(tag, sep="-")
        language, script, region = locale.language, locale.script or "", locale.territory or ""
    except (ValueError, TypeError, UnknownLocaleError):
        parsed = parse_tag(tag)  # never raises: a tag babel lacks still gets a value
        language, script, region = parsed.language, parsed.script, parsed.region
    if not region:
        likely: Mapping[str, str] = get_global("likely_subtags")
        for key in (f"{language}_{script}" if script else "", language):
            if key in likely:
                last = likely[key].split("_")[-1]
                if last.isupper() or last.isdigit():
                    region = last
                    break
    return f"{language}_{region}" if region else language


def alternates_for(
    urls: Mapping[str, str],
    *,
    language: str,
    x_default: str | None = None,
) -> Alternates:
    """The alternates of the ``language`` version, given every version's URL by tag.

    ``urls`` is in the order the links should appear (source language included);
    ``x_default`` is the URL for readers whose language is not among them.
    """
    links = [Alternate(hreflang=tag, href=url) for tag, url in urls.items()]
    if x_default is not None:
        links.append(Alternate(hreflang="x-default", href=x_default))
    own = og_locale(language)
    others: list[str] = []
    for tag in urls:
        value = og_locale(tag)
        if value != own and value not in others:  # zh-Hans and zh-CN are one og:locale
            others.append(value)
    return Alternates(
        links=tuple(links),
        og_locale=own,
        og_alternates=tuple(others),
        canonical=urls.get(language),
    )


# --- describing the head (while the parse tree exists) ---------------------------


def describe(text: str, tree: Tree) -> Head:
    """Where alternates go in ``text`` and what they replace."""
    head, candidates = _head(tree.root, text)
    scan = candidates
    if head is not None and head.close_start is not None:
        scan = [c for c in head.children if isinstance(c, Element)]
    old: list[Element] = []
    canonical: list[Href] = []
    for el in scan:
        kind = _kind(text, el)
        if kind == "old":
            old.append(el)
        elif kind == "canonical":
            href = el.attr(text, "href")
            if href is not None:
                canonical.append(
                    Href(value=Span(start=href.value_start, end=href.value_end), quote=href.quote)
                )
    runs = _runs(text, old)
    if runs:
        insert, lead, trail = _layout(text, runs[0].start, runs[0].end)
    else:
        at = _insert_point(text, tree.root, head, candidates)
        insert, lead, trail = _layout(text, at, at)
    return Head(
        insert=insert,
        lead=lead,
        trail=trail,
        indent=_indent(text, candidates),
        newline=_newline(text),
        void_close=_void_close(text, candidates),
        remove=tuple(_removal(text, run) for run in runs),
        canonical=tuple(canonical),
    )


def _head(root: Element, text: str) -> tuple[Element | None, list[Element]]:
    """The ``<head>`` (if written) and the elements a browser would put in the head."""
    html = _child(root, "html")
    container = html if html is not None else root
    head = _child(container, "head")
    if head is not None:
        container = head
    candidates: list[Element] = []
    for node in container.children:
        if isinstance(node, Element):
            if node.name not in HEAD_CONTENT:
                break
            candidates.append(node)
        elif text[node.start : node.end].strip() and text[node.start] != "<":
            break  # text (not a comment or doctype) starts the body
    return head, candidates


def _child(parent: Element, name: str) -> Element | None:
    for node in parent.children:
        if isinstance(node, Element) and node.name == name:
            return node
    return None


def _kind(text: str, el: Element) -> str:
    if el.name == "link":
        rel = set(_ASCII_WHITESPACE.split((el.value(text, "rel") or "").lower()))
        if "alternate" in rel and el.attr(text, "hreflang") is not None:
            return "old"
        if "canonical" in rel:
            return "canonical"
    elif el.name == "meta":
        for key in ("property", "name"):
            if (el.value(text, key) or "").strip().lower() in _OG_LOCALE:
                return "old"
    return ""


def _runs(text: str, elements: Sequence[Element]) -> list[Span]:
    """Old tags grouped into runs that only spaces separate (several on one line)."""
    runs: list[Span] = []
    for el in sorted(elements, key=lambda e: e.start):
        if runs and not text[runs[-1].end : el.start].strip(" \t"):
            runs[-1] = Span(start=runs[-1].start, end=el.end)
        else:
            runs.append(Span(start=el.start, end=el.end))
    return runs


def _insert_point(
    text: str, root: Element, head: Element | None, candidates: Sequence[Element]
) -> int:
    if head is not None and head.close_start is not None:
        return head.close_start
    if candidates:
        # After the charset meta and title, never before them: a charset declaration
        # must stay within the first 1024 bytes.
        return candidates[-1].end
    if head is not None:
        return head.tag_end
    html = _child(root, "html")
    if html is not None:
        return html.tag_end
    # Before everything, but never before the doctype (that would mean quirks mode).
    at = 0
    for node in root.children:
        if isinstance(node, Element):
            break
        if text[node.start : node.start + 9].lower() == "<!doctype":
            at = node.end
    return at


def _line_start(text: str, at: int) -> int:
    return max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1


def _line_end(text: str, at: int) -> int:
    ends = [i for i in (text.find("\n", at), text.find("\r", at)) if i >= 0]
    return min(ends, default=len(text))


def _layout(text: str, start: int, end: int) -> tuple[Span, str, str]:
    """What the new tags replace at ``[start, end)``, and what goes around them, so each
    stands on its own line and the text around keeps its own."""
    line_start, line_end = _line_start(text, start), _line_end(text, end)
    before_blank = not text[line_start:start].strip()
    after_blank = not text[end:line_end].strip()
    newline = _newline(text)
    lead = ""
    if before_blank:
        start = line_start  # the new lines bring their own indentation
    else:
        lead = newline
    if not after_blank:
        indent = _SPACES.match(text, line_start).group()  # type: ignore[union-attr]  # can match empty: never None
        return Span(start=start, end=end), lead, newline + (indent if before_blank else "")
    if before_blank:
        eol = _eol(text, line_end)
        return Span(start=start, end=line_end + len(eol)), lead, eol
    return Span(start=start, end=end), lead, ""


def _removal(text: str, run: Span) -> Span:
    """``run``, with its line when nothing else is on it."""
    line_start, line_end = _line_start(text, run.start), _line_end(text, run.end)
    if text[line_start : run.start].strip() or text[run.end : line_end].strip():
        return run
    return Span(start=line_start, end=line_end + len(_eol(text, line_end)))


def _eol(text: str, at: int) -> str:
    if text.startswith("\r\n", at):
        return "\r\n"
    return text[at : at + 1] if text[at : at + 1] in ("\n", "\r") else ""


def _newline(text: str) -> str:
    lf = text.find("\n")
    if lf > 0 and text[lf - 1] == "\r":
        return "\r\n"
    if lf < 0 and "\r" in text:
        return "\r"
    return "\n"


def _indent(text: str, candidates: Iterable[Element]) -> str:
    for el in candidates:
        before = text[_line_start(text, el.start) : el.start]
        if not before.strip():
            return before
    return ""


def _void_close(text: str, candidates: Iterable[Element]) -> str:
    voids = [el for el in candidates if el.name in rules.VOID]
    for el in voids:
        if text[el.tag_end - 2 : el.tag_end] == "/>":
            return " />" if text[el.tag_end - 3 : el.tag_end - 2].isspace() else "/>"
    if not voids and text.startswith("<?xml"):
        return " />"
    return ">"


# --- rendering -------------------------------------------------------------------


def edits(head: Head, alternates: Alternates, *, encoding: str = "utf-8") -> list[TextEdit]:
    """The text edits that give a page described by ``head`` these ``alternates``.

    ``encoding`` is the page's codec: in a legacy-charset page non-ASCII URLs are
    percent-encoded, so the page can keep its charset.
    """
    unicode_page = codecs.lookup(encoding).name.startswith("utf")

    def url(value: str) -> str:
        return value if unicode_page else quote(value, safe=_URL_SAFE)

    close = head.void_close
    tags = [
        f'<link rel="alternate" hreflang="{_escape(a.hreflang)}" href="{_escape(url(a.href))}"'
        f"{close}"
        for a in alternates.links
    ]
    if alternates.og_locale:
        tags.append(f'<meta property="og:locale" content="{_escape(alternates.og_locale)}"{close}')
    tags += [
        f'<meta property="og:locale:alternate" content="{_escape(value)}"{close}'
        for value in alternates.og_alternates
    ]
    out: list[TextEdit] = []
    removals = list(head.remove)
    if tags:
        block = head.newline.join(head.indent + tag for tag in tags)
        out.append((head.insert.start, head.insert.end, head.lead + block + head.trail))
        removals = removals[1:]
    out += [(span.start, span.end, "") for span in removals]
    if alternates.canonical is not None:
        for href in head.canonical:
            out.append(_href_edit(href, url(alternates.canonical)))
    return out


def _href_edit(href: Href, value: str) -> TextEdit:
    at = href.value
    if href.quote == "-":  # bare attribute: give it a value
        return (at.end, at.end, f'="{_escape(value)}"')
    if href.quote == "":
        escaped = _escape(value)
        if _NEEDS_QUOTES.search(escaped):
            escaped = f'"{escaped}"'
        return (at.start, at.end, escaped)
    return (at.start, at.end, _escape(value, href.quote))


def _escape(value: str, quote_char: str = '"') -> str:
    value = value.replace("&", "&amp;")
    if quote_char == "'":
        return value.replace("'", "&#39;")
    return value.replace('"', "&quot;")

"""What ``l10n review`` shows of one article in one language, read from the project.

An article and its catalog are read once (``load``); the entries become ``EntryView``s
with the findings of ``checks.check`` and the glossary's terms, and the page is
``publishing.render`` (what ``publish --allow-fuzzy`` writes) with segment markers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from l10n import catalog, checks, po, readiness
from l10n import html as html_stage
from l10n.catalog import editing
from l10n.config import text_direction
from l10n.errors import ReviewError
from l10n.glossary import Glossary
from l10n.pipeline.project import (
    Project,
    find_articles,
    load_glossary,
    read_article,
    read_catalog,
)
from l10n.pipeline.publishing import catalog_facts, common_inputs, render
from l10n.pipeline.segments import segment_article
from l10n.pipeline.state import State
from l10n.pipeline.tree import confined
from l10n.review import model
from l10n.review.model import (
    EntryView,
    FindingView,
)

# --- paths -------------------------------------------------------------------------


def resolve(project: Project, rel: str, lang: str) -> tuple[str, str]:
    """``rel`` and ``lang`` if they name one of the project's articles and languages;
    anything else (``..``, an absolute path, a link out, an unknown name) is refused."""
    if lang not in project.config.languages:
        raise ReviewError(f"language {lang!r} is not configured")
    if not rel or "\0" in rel or "\\" in rel or rel.startswith("/") or ".." in rel.split("/"):
        raise ReviewError(f"not an article of this project: {rel!r}")
    if rel not in find_articles(project).rels:  # the walk skips links out of the project
        raise ReviewError(f"not an article of this project: {rel!r}")
    layout = project.layout
    confined(project, layout.article(rel), project.config.articles, ReviewError)
    confined(project, layout.catalog(lang, rel), project.config.locales, ReviewError)
    return rel, lang


@dataclass(frozen=True, kw_only=True)
class Loaded:
    """An article and its catalog in one language, as read now."""

    rel: str
    lang: str
    po_rel: str
    doc: html_stage.Document
    text: str  # the PO text ("" when there is none yet)
    version: str
    entries: tuple[po.Entry, ...]
    glossary: Glossary | None


def load(project: Project, rel: str, lang: str) -> Loaded:
    rel, lang = resolve(project, rel, lang)
    data, sha = read_article(project, rel)
    doc = segment_article(project, rel, data, sha)
    po_rel = project.layout.catalog(lang, rel)
    version, text = "", ""
    if project.path(po_rel).exists():
        version, text = read_catalog(project, po_rel)
    entries = tuple(editing.entries(text, file=po_rel)) if text else ()
    return Loaded(
        rel=rel,
        lang=lang,
        po_rel=po_rel,
        doc=doc,
        text=text,
        version=version,
        entries=entries,
        glossary=load_glossary(project),
    )


def render_view(
    project: Project, loaded: Loaded, views: Sequence[EntryView], *, markers: bool
) -> html_stage.Published:
    """The published page, with segment markers or (``markers=False``) exactly as
    ``publish --allow-fuzzy`` writes it."""
    published: tuple[str, ...] = ()
    if project.config.publish.alternates:
        published = _published_languages(project)
    entries = catalog.translations(loaded.text, file=loaded.po_rel) if loaded.text else []
    marker = _marker(views) if markers else None
    return render(
        project,
        loaded.rel,
        loaded.lang,
        loaded.doc,
        entries,
        allow_fuzzy=True,
        published=published,
        marker=marker,
    )


def source_page(project: Project, loaded: Loaded, views: Sequence[EntryView]) -> str:
    """The source page with the same markers: every segment 'translated' as itself."""
    source = project.config.source_language
    identity = {seg.msgid: seg.msgid for seg in loaded.doc.segments}
    direction = text_direction(source)
    page = html_stage.publish(
        loaded.doc,
        identity,
        language=source,
        source_language=source,
        direction=direction,
        source_direction=direction,
        marker=_marker(views),
    )
    return page.data.decode(page.encoding, "surrogateescape")


def _marker(views: Sequence[EntryView]) -> html_stage.Marker:
    states = {v.msgid: (v.id, v.state) for v in views if v.msgctxt is None}

    def mark(seg: html_stage.Segment) -> str:
        found = states.get(seg.msgid)
        ident, state = found if found else (model.entry_id(None, seg.msgid), "untranslated")
        return f' data-l10n-id="{ident}" data-l10n-state="{state}"'

    return mark


def _published_languages(project: Project) -> tuple[str, ...]:
    """The languages ``publish --allow-fuzzy`` would publish now (its alternates)."""
    config, layout = project.config, project.layout
    rels = find_articles(project).rels
    with State(project.root) as state:
        common = common_inputs(project, state, allow_fuzzy=True)
        found = catalog_facts(project, state, config.languages, rels, common=common, jobs=1)
    accepted = []
    for lang in config.languages:
        gate = readiness.Gate(min_complete=config.publish.gate(lang), allow_fuzzy=True)
        if all(gate.shortfall(found[lang, r], template=layout.template(r)) is None for r in rels):
            accepted.append(lang)
    return tuple(accepted)


def entry_views(project: Project, loaded: Loaded) -> tuple[EntryView, ...]:
    order: dict[str, int] = {}
    for n, seg in enumerate(loaded.doc.segments):
        order.setdefault(seg.msgid, n)
    by_msgid = segments_of(loaded)
    findings = findings_of(loaded.entries, loaded)
    views = [_view(e, by_msgid.get(e.msgid, ()), findings, loaded) for e in loaded.entries]
    last = len(order)
    views.sort(key=lambda v: order.get(v.msgid, last) if v.on_page else last)
    return tuple(views)


def segments_of(loaded: Loaded) -> dict[str, list[html_stage.Segment]]:
    """Each msgid's segments, in document order (extract writes no msgctxt)."""
    found: dict[str, list[html_stage.Segment]] = {}
    for seg in loaded.doc.segments:
        found.setdefault(seg.msgid, []).append(seg)
    return found


def findings_of(
    entries: Sequence[po.Entry], loaded: Loaded, *, msgstr: str | None = None
) -> dict[int, tuple[FindingView, ...]]:
    """Findings by the entry's msgid line; ``msgstr``: a draft for the (only) entry."""
    as_checked = [
        checks.Entry(
            file=loaded.po_rel,
            line=e.line,
            language=loaded.lang,
            msgid=e.msgid,
            msgctxt=e.msgctxt,
            msgstr=e.msgstr if msgstr is None else msgstr,
            fuzzy=False,  # every entry is checked: drafts are what a reviewer fixes
            flags=e.flags,
        )
        for e in entries
    ]
    found = checks.check(as_checked, loaded.glossary, across_files=False)
    by_line: dict[int, list[checks.Finding]] = {}
    for f in found:
        by_line.setdefault(f.line, []).append(f)
    return {line: model.finding_views(fs) for line, fs in by_line.items()}


def _view(
    entry: po.Entry,
    segments: Sequence[html_stage.Segment],
    findings: dict[int, tuple[FindingView, ...]],
    loaded: Loaded,
) -> EntryView:
    pseudo = readiness.is_pseudo(catalog.translation_of(entry))
    if entry.msgctxt is not None:
        segments = ()
    uses = model.uses_of(segments)
    kind = model.main_kind(uses)
    # The segment a reviewer clicks: the first one of the entry's kind.
    segment = next((s for s in segments if model.kind_of(s) == kind), None)
    return EntryView(
        id=model.entry_id(entry.msgctxt, entry.msgid),
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        state=model.state_of(
            entry.msgstr, fuzzy=entry.fuzzy, previous_msgid=entry.previous_msgid, pseudo=pseudo
        ),
        kind=kind,
        location=segment.location if segment is not None else " ".join(entry.files),
        context=segment.context if segment is not None else "",
        line=entry.line,
        previous_msgid=entry.previous_msgid,
        placeholders=model.placeholders_of(segment),
        terms=model.terms_of(entry.msgid, loaded.glossary, loaded.lang),
        translator_comments=entry.tcomment,
        extracted_comments=entry.comment,
        findings=findings.get(entry.line, ()),
        on_page=segment is not None,
        uses=uses,
    )


def entry_of(loaded: Loaded, entry_id: str) -> po.Entry:
    for e in loaded.entries:
        if model.entry_id(e.msgctxt, e.msgid) == entry_id:
            return e
    raise ReviewError(f"no entry {entry_id} in the catalog", file=loaded.po_rel)


def fresh_view(loaded: Loaded, entry: po.Entry) -> EntryView:
    segments = segments_of(loaded).get(entry.msgid, [])
    return _view(entry, segments, findings_of([entry], loaded), loaded)


def reloaded(loaded: Loaded, text: str, version: str) -> Loaded:
    """The same article with its catalog as it is now (``version``: of the file's bytes)."""
    entries = tuple(editing.entries(text, file=loaded.po_rel)) if text else ()
    return dataclasses.replace(loaded, text=text, version=version, entries=entries)

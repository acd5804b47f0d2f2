"""``l10n review``: the views of the review application and its one write, a saved entry.

Everything the server and the static export show comes from here, made by the same
code as the commands: the page is ``publishing.render`` (what ``publish --allow-fuzzy``
writes) with segment markers, the counts are the publishing gate's cached facts, the
findings are ``checks.check``.  A save edits one entry of the PO text in place
(``catalog.editing``) and writes it through ``writing.rewrite`` (atomic, under the
project's write lock, against the file as it is at that moment).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from l10n import catalog, checks, po, readiness
from l10n import html as html_stage
from l10n.catalog import editing
from l10n.config import text_direction
from l10n.errors import CatalogError, ReviewError
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
from l10n.pipeline.writing import rewrite
from l10n.review import model
from l10n.review.model import (
    ArticleView,
    EntryView,
    FindingView,
    IndexPage,
    IndexRow,
    SaveResult,
)

SORTS = ("rel", "lang", "reviewed", "machine", "human", "untranslated", "errors", "percent")


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


# --- the index -----------------------------------------------------------------------


def review_index(
    project: Project,
    *,
    lang: str | None = None,
    query: str = "",
    page: int = 1,
    per_page: int = 50,
    sort: str = "rel",
    articles: Sequence[str] = (),
    jobs: int = 1,
) -> IndexPage:
    """One page of the article × language table.  Counts come from the gate's facts,
    cached per catalog in ``.l10n/state.sqlite3``: a catalog is read only when it changed.

    ``sort``: one of ``SORTS``, ``-`` in front for descending; ``query``: a substring
    of the article path (any case); ``articles``: only these (default: all).
    """
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key not in SORTS:
        raise ReviewError(f"unknown sort {sort!r} (one of {', '.join(SORTS)})")
    if lang is not None and lang not in project.config.languages:
        raise ReviewError(f"language {lang!r} is not configured")
    per_page = max(1, min(per_page, 1000))
    rows = _rows(project, articles=articles, jobs=jobs)
    wanted = query.casefold()
    rows = [r for r in rows if (lang is None or r.lang == lang) and wanted in r.rel.casefold()]
    order = {tag: n for n, tag in enumerate(project.config.languages)}

    def sort_key(row: IndexRow) -> tuple[object, ...]:
        if key == "rel":
            return (row.rel, order[row.lang])
        if key == "lang":
            return (order[row.lang], row.rel)
        return (getattr(row, key), row.rel, order[row.lang])

    rows.sort(key=sort_key, reverse=descending)
    pages = max(1, -(-len(rows) // per_page))
    page = max(1, min(page, pages))
    shown = rows[(page - 1) * per_page : page * per_page]
    return IndexPage(
        rows=tuple(shown),
        total=len(rows),
        page=page,
        per_page=per_page,
        languages=project.config.languages,
        sort=sort,
        query=query,
        lang=lang,
    )


def _rows(project: Project, *, articles: Sequence[str], jobs: int) -> list[IndexRow]:
    layout, config = project.layout, project.config
    rels = find_articles(project, articles).rels
    langs = config.languages
    with State(project.root) as state:
        common = common_inputs(project, state, allow_fuzzy=False)
        # The gate judges every article of a language, as `l10n status` does.
        every = rels if not articles else find_articles(project).rels
        found = catalog_facts(project, state, langs, every, common=common, jobs=jobs)
    rows = []
    for lang in langs:
        gate = readiness.Gate(min_complete=config.publish.gate(lang))
        blocked = {r: gate.shortfall(found[lang, r], template=layout.template(r)) for r in every}
        state_word = "ready" if all(why is None for why in blocked.values()) else "held"
        for rel in rels:
            facts = found[lang, rel]
            pseudo_drafts = facts.pseudo
            rows.append(
                IndexRow(
                    rel=rel,
                    lang=lang,
                    reviewed=facts.translated - facts.pseudo_reviewed,
                    machine=facts.fuzzy - facts.previous - pseudo_drafts,
                    human=facts.previous,
                    untranslated=facts.untranslated,
                    errors=facts.errors_with_fuzzy,
                    gate=state_word,
                    blocked=blocked[rel],
                    pseudo=facts.pseudo + facts.pseudo_reviewed,
                    percent=round(facts.percent(), 1),
                )
            )
    return rows


# --- one article ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Loaded:
    """An article and its catalog in one language, as read now."""

    rel: str
    lang: str
    po_rel: str
    doc: html_stage.Document
    text: str  # the PO text ("" when there is none yet)
    version: str
    entries: tuple[po.Entry, ...]
    glossary: Glossary | None


def _load(project: Project, rel: str, lang: str) -> _Loaded:
    rel, lang = resolve(project, rel, lang)
    data, sha = read_article(project, rel)
    doc = segment_article(project, rel, data, sha)
    po_rel = project.layout.catalog(lang, rel)
    version, text = "", ""
    if project.path(po_rel).exists():
        version, text = read_catalog(project, po_rel)
    entries = tuple(editing.entries(text, file=po_rel)) if text else ()
    return _Loaded(
        rel=rel,
        lang=lang,
        po_rel=po_rel,
        doc=doc,
        text=text,
        version=version,
        entries=entries,
        glossary=load_glossary(project),
    )


def review_article(project: Project, rel: str, lang: str) -> ArticleView:
    """The article as ``publish --allow-fuzzy`` would write it in ``lang``, every text
    segment marked (see ``l10n.review.model``), and its entries."""
    loaded = _load(project, rel, lang)
    views = _entry_views(project, loaded)
    page = review_page(project, loaded, views, markers=True)
    source = _source_page(project, loaded, views)
    by_context = {v.context: v for v in views if v.kind == "title"}
    title_view = by_context.get("title")
    title = rel
    if title_view is not None:
        title = title_view.msgstr or title_view.msgid
    config = project.config
    return ArticleView(
        rel=loaded.rel,
        lang=loaded.lang,
        title=title,
        dir=text_direction(lang),
        page=page.data.decode(page.encoding, "surrogateescape"),
        source_page=source,
        entries=views,
        version=loaded.version,
        encoding=page.encoding,
        source_dir=text_direction(config.source_language),
        source_lang=config.source_language,
    )


def review_page(
    project: Project, loaded: _Loaded, views: Sequence[EntryView], *, markers: bool
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


def published_page(project: Project, rel: str, lang: str) -> bytes:
    """The page's bytes without markers: what ``publish --allow-fuzzy`` writes."""
    loaded = _load(project, rel, lang)
    return review_page(project, loaded, (), markers=False).data


def _source_page(project: Project, loaded: _Loaded, views: Sequence[EntryView]) -> str:
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


def _entry_views(project: Project, loaded: _Loaded) -> tuple[EntryView, ...]:
    order: dict[str, int] = {}
    segments: dict[str, html_stage.Segment] = {}
    for n, seg in enumerate(loaded.doc.segments):
        order.setdefault(seg.msgid, n)
        segments.setdefault(seg.msgid, seg)
    findings = _findings(loaded.entries, loaded)
    views = [
        _view(e, segments.get(e.msgid) if e.msgctxt is None else None, findings, loaded)
        for e in loaded.entries
    ]
    last = len(order)
    views.sort(key=lambda v: order.get(v.msgid, last) if v.on_page else last)
    return tuple(views)


def _findings(
    entries: Sequence[po.Entry], loaded: _Loaded, *, msgstr: str | None = None
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
    segment: html_stage.Segment | None,
    findings: dict[int, tuple[FindingView, ...]],
    loaded: _Loaded,
) -> EntryView:
    pseudo = readiness._pseudo(
        catalog.Translation(
            msgid=entry.msgid,
            msgctxt=entry.msgctxt,
            msgstr=entry.msgstr,
            fuzzy=entry.fuzzy,
            line=entry.line,
            flags=entry.flags,
            comment=entry.comment,
            tcomment=entry.tcomment,
        )
    )
    return EntryView(
        id=model.entry_id(entry.msgctxt, entry.msgid),
        msgid=entry.msgid,
        msgctxt=entry.msgctxt,
        msgstr=entry.msgstr,
        state=model.state_of(
            entry.msgstr, fuzzy=entry.fuzzy, previous_msgid=entry.previous_msgid, pseudo=pseudo
        ),
        kind=model.kind_of(segment),
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
    )


def _entry(loaded: _Loaded, entry_id: str) -> po.Entry:
    for e in loaded.entries:
        if model.entry_id(e.msgctxt, e.msgid) == entry_id:
            return e
    raise ReviewError(f"no entry {entry_id} in the catalog", file=loaded.po_rel)


def _fresh_view(loaded: _Loaded, entry: po.Entry) -> EntryView:
    segments = {s.msgid: s for s in reversed(loaded.doc.segments)}
    segment = segments.get(entry.msgid) if entry.msgctxt is None else None
    return _view(entry, segment, _findings([entry], loaded), loaded)


# --- checks and saves ----------------------------------------------------------------


def review_check(
    project: Project, rel: str, lang: str, entry_id: str, msgstr: str
) -> tuple[FindingView, ...]:
    """The ``l10n check`` findings of ``msgstr`` as the entry's translation (a draft)."""
    loaded = _load(project, rel, lang)
    entry = _entry(loaded, entry_id)
    return _findings([entry], loaded, msgstr=msgstr).get(entry.line, ())


class _Changed(Exception):
    """The entry changed on disk since the reviewer loaded it."""


def review_save(
    project: Project,
    rel: str,
    lang: str,
    entry_id: str,
    msgstr: str,
    *,
    approve: bool,
    version: str,
    original: str,
) -> SaveResult:
    """Write ``msgstr`` into the entry, as a draft (fuzzy) or approved (not fuzzy, no
    ``#|``); no other byte of the file changes.

    ``version``: the PO file's version the reviewer loaded; ``original``: the entry's
    msgstr then.  If the file changed since, the edit is applied to the file as it is
    now when that entry is still as loaded, and refused (``conflict``) when it is not.
    """
    loaded = _load(project, rel, lang)
    if not loaded.text:
        raise ReviewError("no catalog yet; run `l10n extract`", file=loaded.po_rel)
    try:
        entry = _entry(loaded, entry_id)
    except ReviewError:
        return SaveResult(
            ok=False,
            conflict=True,
            message="this entry is no longer in the catalog (it was changed on disk); "
            "reload the page",
            entry=None,
            version=loaded.version,
        )
    fresh = _fresh_view(loaded, entry)
    if loaded.version != version and entry.msgstr != original:
        return SaveResult(
            ok=False,
            conflict=True,
            message="the entry was changed on disk since the page was loaded; "
            "nothing was saved: here is the text on disk now",
            entry=fresh,
            version=loaded.version,
        )
    draft = _findings([entry], loaded, msgstr=msgstr).get(entry.line, ())
    stop = model.blockers(draft)
    if approve and stop:
        reasons = "; ".join(f"{f.rule}: {f.message}" for f in stop)
        return SaveResult(
            ok=False,
            conflict=False,
            message=f"not approved: {reasons}; it can be saved as a draft",
            entry=fresh,
            version=loaded.version,
        )

    def edit(text: str) -> str:
        return editing.edit_entry(
            text,
            msgctxt=entry.msgctxt,
            msgid=entry.msgid,
            msgstr=msgstr,
            approve=approve,
            file=loaded.po_rel,
        )

    new = edit(loaded.text)
    _refuse_new_problems(loaded.text, new, loaded.po_rel)

    def again(current: str | None) -> str | None:
        # The file changed between our read and the write lock: redo the edit on it.
        if current is None:
            raise _Changed
        now = editing.entries(current, file=loaded.po_rel)
        same = [e for e in now if e.msgctxt == entry.msgctxt and e.msgid == entry.msgid]
        if not same or same[0].msgstr != original:
            raise _Changed
        redone = edit(current)
        _refuse_new_problems(current, redone, loaded.po_rel)
        return redone

    try:
        saved = rewrite(project, loaded.po_rel, read=loaded.text, new=new, edit=again)
    except _Changed:
        return _conflict_now(project, loaded, entry_id)
    if saved is None:  # the file went away under us
        return _conflict_now(project, loaded, entry_id)
    after = _reloaded(loaded, saved.text)
    now = _entry(after, entry_id)
    verb = "approved" if approve else "saved as a draft"
    return SaveResult(
        ok=True,
        conflict=False,
        message=f"{verb}: {loaded.po_rel}:{now.line}",
        entry=_fresh_view(after, now),
        version=after.version,
    )


def _refuse_new_problems(old: str, new: str, file: str) -> None:
    """A save must not make a file that ``msgfmt --check`` rejects (a typed line break
    at the start or end that the source has not, a control character...)."""
    before = {p.message for p in catalog.problems(old, file=file)}
    added = [p for p in catalog.problems(new, file=file) if p.message not in before]
    if added:
        raise ReviewError(f"not saved: {added[0].message} (msgfmt --check would reject it)")


def _reloaded(loaded: _Loaded, text: str) -> _Loaded:
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _Loaded(
        rel=loaded.rel,
        lang=loaded.lang,
        po_rel=loaded.po_rel,
        doc=loaded.doc,
        text=text,
        version=version,
        entries=tuple(editing.entries(text, file=loaded.po_rel)) if text else (),
        glossary=loaded.glossary,
    )


def _conflict_now(project: Project, loaded: _Loaded, entry_id: str) -> SaveResult:
    """The refusal when the entry changed between the first read and the write."""
    try:
        version, text = read_catalog(project, loaded.po_rel)
    except CatalogError:  # gone, or unreadable now: say so, keep the reviewer's text
        version, text = "", ""
    current = dataclasses.replace(_reloaded(loaded, text), version=version)
    try:
        entry: EntryView | None = _fresh_view(current, _entry(current, entry_id))
    except ReviewError:
        entry = None
    return SaveResult(
        ok=False,
        conflict=True,
        message="the entry was changed on disk while saving; nothing was saved: "
        "here is the text on disk now",
        entry=entry,
        version=version,
    )

"""``l10n review``: the views of the review application and its one write, a saved entry.

Everything the server and the static export show comes from here, made by the same
code as the commands: the page is ``publishing.render`` (what ``publish --allow-fuzzy``
writes) with segment markers, the counts are the publishing gate's cached facts, the
findings are ``checks.check``.  A save edits one entry of the PO text in place
(``catalog.editing``) and writes it through ``writing.rewrite`` (atomic, under the
project's write lock, against the file as it is at that moment).
"""

from __future__ import annotations

from collections.abc import Sequence

from l10n import catalog, readiness
from l10n.catalog import editing
from l10n.config import text_direction
from l10n.errors import CatalogError, ReviewError
from l10n.pipeline.project import (
    Project,
    find_articles,
    read_catalog,
)
from l10n.pipeline.publishing import catalog_facts, common_inputs
from l10n.pipeline.review_views import (
    Loaded,
    entry_of,
    entry_views,
    findings_of,
    fresh_view,
    load,
    reloaded,
    render_view,
    source_page,
)
from l10n.pipeline.review_views import resolve as resolve
from l10n.pipeline.state import State
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


def review_article(project: Project, rel: str, lang: str) -> ArticleView:
    """The article as ``publish --allow-fuzzy`` would write it in ``lang``, every text
    segment marked (see ``l10n.review.model``), and its entries."""
    loaded = load(project, rel, lang)
    views = entry_views(project, loaded)
    page = render_view(project, loaded, views, markers=True)
    source = source_page(project, loaded, views)
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


def published_page(project: Project, rel: str, lang: str) -> bytes:
    """The page's bytes without markers: what ``publish --allow-fuzzy`` writes."""
    loaded = load(project, rel, lang)
    return render_view(project, loaded, (), markers=False).data


# --- checks and saves ----------------------------------------------------------------


def review_check(
    project: Project, rel: str, lang: str, entry_id: str, msgstr: str
) -> tuple[FindingView, ...]:
    """The ``l10n check`` findings of ``msgstr`` as the entry's translation (a draft)."""
    loaded = load(project, rel, lang)
    entry = entry_of(loaded, entry_id)
    return findings_of([entry], loaded, msgstr=msgstr).get(entry.line, ())


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
    loaded = load(project, rel, lang)
    if not loaded.text:
        raise ReviewError("no catalog yet; run `l10n extract`", file=loaded.po_rel)
    try:
        entry = entry_of(loaded, entry_id)
    except ReviewError:
        return SaveResult(
            ok=False,
            conflict=True,
            message="this entry is no longer in the catalog (it was changed on disk); "
            "reload the page",
            entry=None,
            version=loaded.version,
        )
    fresh = fresh_view(loaded, entry)
    if loaded.version != version and entry.msgstr != original:
        return SaveResult(
            ok=False,
            conflict=True,
            message="the entry was changed on disk since the page was loaded; "
            "nothing was saved: here is the text on disk now",
            entry=fresh,
            version=loaded.version,
        )
    draft = findings_of([entry], loaded, msgstr=msgstr).get(entry.line, ())
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
    after = reloaded(loaded, saved.text, saved.stamp.sha)
    now = entry_of(after, entry_id)
    verb = "approved" if approve else "saved as a draft"
    return SaveResult(
        ok=True,
        conflict=False,
        message=f"{verb}: {loaded.po_rel}:{now.line}",
        entry=fresh_view(after, now),
        version=after.version,
    )


def _refuse_new_problems(old: str, new: str, file: str) -> None:
    """A save must not make a file that ``msgfmt --check`` rejects (a typed line break
    at the start or end that the source has not, a control character...)."""
    before = {p.message for p in catalog.problems(old, file=file)}
    added = [p for p in catalog.problems(new, file=file) if p.message not in before]
    if added:
        raise ReviewError(f"not saved: {added[0].message} (msgfmt --check would reject it)")


def _conflict_now(project: Project, loaded: Loaded, entry_id: str) -> SaveResult:
    """The refusal when the entry changed between the first read and the write."""
    try:
        version, text = read_catalog(project, loaded.po_rel)
    except CatalogError:  # gone, or unreadable now: say so, keep the reviewer's text
        version, text = "", ""
    current = reloaded(loaded, text, version)
    try:
        entry: EntryView | None = fresh_view(current, entry_of(current, entry_id))
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

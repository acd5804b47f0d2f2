"""publish: catalogs → localized pages, behind the publishing gate, incrementally."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from l10n import catalog, readiness
from l10n import html as html_stage
from l10n.config import text_direction
from l10n.errors import L10nError, PublishError
from l10n.glossary import Glossary
from l10n.pipeline import parallel
from l10n.pipeline.pages import HeldPage, held_pages, withdraw
from l10n.pipeline.project import (
    Notice,
    Project,
    Report,
    _languages,
    config_digest,
    failure,
    find_articles,
    glossary_digest,
    load_glossary,
    read_article,
    read_catalog,
    write_if_changed,
)
from l10n.pipeline.segments import segment_article
from l10n.pipeline.state import Stamp, State, inputs, tool_version
from l10n.pipeline.tree import confined


@dataclass(frozen=True, kw_only=True)
class Refusal:
    """An article that keeps its language from being published, and why."""

    language: str
    article: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class PublishReport(Report):
    refused: tuple[Refusal, ...] = ()
    held: tuple[HeldPage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Shared:
    project: Project
    glossary: Glossary | None = None  # loaded only when some catalog's facts are computed
    allow_fuzzy: bool = False
    strict: bool = False
    # Languages published in this run: the alternates every page links to.
    published: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class _Page:
    path: str
    catalog_sha: str
    stamp: Stamp
    written: bool
    notices: tuple[Notice, ...]
    translated: int
    untranslated: int
    rejected: int


@dataclass(frozen=True, kw_only=True)
class _Done:
    article_sha: str
    pages: tuple[_Page, ...]


def publish(
    project: Project,
    selected: Sequence[str] = (),
    *,
    languages: Sequence[str] = (),
    allow_fuzzy: bool = False,
    allow_pseudo: bool = False,
    strict: bool = False,
    min_complete: float | None = None,
    ignore_check: bool = False,
    force: bool = False,
    withdraw_held: bool | None = None,
    jobs: int = 1,
    shard: tuple[int, int] | None = None,
) -> PublishReport:
    """Write ``public/<lang>/<article>`` for each language that meets its gate.

    A page whose article, catalog, glossary, configuration and tool are those it was
    last published from, and which is as that publish left it, is not rewritten.
    The older pages of a held language are reported, and with ``withdraw_held``
    (default: ``[publish] withdraw_held``) removed if l10n published them.
    """
    if withdraw_held is None:
        withdraw_held = project.config.publish.withdraw_held
    layout, config = project.layout, project.config
    found_articles = find_articles(project, selected, shard=shard)
    articles, failed = found_articles.rels, list(found_articles.bad)
    langs = list(_languages(project, languages))
    shared = Shared(project=project, allow_fuzzy=allow_fuzzy, strict=strict)
    with State(project.root) as state:
        common = common_inputs(project, state, allow_fuzzy)
        found = catalog_facts(project, state, langs, articles, common=common, jobs=jobs)
        refused: list[Refusal] = []
        accepted: list[str] = []
        for lang in langs:
            gate = readiness.Gate(
                min_complete=config.publish.gate(lang) if min_complete is None else min_complete,
                allow_fuzzy=allow_fuzzy,
                ignore_check=ignore_check,
                allow_pseudo=allow_pseudo,
            )
            misses = [
                Refusal(language=lang, article=rel, reason=why)
                for rel in articles
                if (why := gate.shortfall(found[lang, rel], template=layout.template(rel)))
                is not None
            ]
            refused.extend(misses)
            if not misses:
                accepted.append(lang)
        held: list[HeldPage] = []
        for lang in langs:
            if lang not in accepted:
                held += held_pages(project, state, lang, articles, common)
        if withdraw_held:
            held = [withdraw(project, state, page) for page in held]
        if config.publish.alternates:
            common["alternates"] = accepted
        shared = dataclasses.replace(shared, published=tuple(accepted))
        todo: list[tuple[str, tuple[str, ...]]] = []
        unchanged: list[str] = []
        for rel in articles:
            try:
                article_sha = state.sha(layout.article(rel)) or ""
            except OSError:  # unreadable: its worker says so
                article_sha = ""
            stale = []
            for lang in accepted:
                out = layout.published(lang, rel)
                catalog_sha = state.sha(layout.catalog(lang, rel)) or ""
                made = inputs(article=article_sha, catalog=catalog_sha, **common)
                if not force and state.up_to_date([out], made):
                    unchanged.append(out)
                else:
                    stale.append(lang)
            if stale:
                todo.append((rel, tuple(stale)))
        written: list[str] = []
        same: list[str] = []
        notices: list[Notice] = []
        counts = {"translated": 0, "untranslated": 0, "rejected": 0}
        for done in parallel.each_kept(_publish_article, todo, jobs=jobs, shared=shared):
            if isinstance(done, L10nError):
                failed.append(failure(done))
                continue
            for page in done.pages:
                made = inputs(article=done.article_sha, catalog=page.catalog_sha, **common)
                state.made(page.path, made, page.stamp)
                (written if page.written else same).append(page.path)
                notices.extend(page.notices)
                counts["translated"] += page.translated
                counts["untranslated"] += page.untranslated
                counts["rejected"] += page.rejected
    return PublishReport(
        written=tuple(written),
        unchanged=tuple(unchanged),
        same=tuple(same),
        notices=tuple(notices),
        counts=counts,
        refused=tuple(refused),
        held=tuple(held),
        failed=tuple(failed),
    )


def common_inputs(project: Project, state: State, allow_fuzzy: bool) -> dict[str, object]:
    """The inputs every page of one publish run shares."""
    return {
        "glossary": glossary_digest(project, state),
        "config": config_digest(project),
        "tool": tool_version(),
        "fuzzy": allow_fuzzy,
    }


# --- the gate's facts, cached per catalog -------------------------------------------


def catalog_facts(
    project: Project,
    state: State,
    langs: Sequence[str],
    articles: Sequence[str],
    *,
    common: Mapping[str, object],
    jobs: int,
) -> dict[tuple[str, str], readiness.Facts]:
    """Word counts and check errors of every (language, article) catalog; ``common``:
    the run's ``common_inputs``, whose glossary and tool the cached facts depend on."""
    layout = project.layout
    key_parts = {"glossary": common["glossary"], "tool": common["tool"]}
    found: dict[tuple[str, str], readiness.Facts] = {}
    todo: list[tuple[str, str]] = []
    for lang in langs:
        for rel in articles:
            po_rel = layout.catalog(lang, rel)
            sha = state.sha(po_rel)
            if sha is None:
                found[lang, rel] = readiness.MISSING
                continue
            # The template is an input too: what the catalog lacks is counted against it.
            pot_sha = state.sha(layout.template(rel)) or ""
            known = state.fact(po_rel, inputs(catalog=sha, template=pot_sha, **key_parts))
            if known is not None:
                found[lang, rel] = readiness.Facts.from_json(known)
            else:
                todo.append((lang, rel))
    if not todo:
        return found
    shared = Shared(project=project, glossary=load_glossary(project))
    for (lang, rel), (sha, pot_sha, facts) in zip(
        todo, parallel.each(_facts_of, todo, jobs=jobs, shared=shared), strict=True
    ):
        made = inputs(catalog=sha, template=pot_sha, **key_parts)
        state.remember(layout.catalog(lang, rel), made, facts.to_json())
        found[lang, rel] = facts
    return found


def _facts_of(item: tuple[str, str]) -> tuple[str, str, readiness.Facts]:
    shared: Shared = parallel.context()
    lang, rel = item
    layout = shared.project.layout
    po_rel, pot_rel = layout.catalog(lang, rel), layout.template(rel)
    sha, text = read_catalog(shared.project, po_rel)
    pot_sha, template = "", None
    if shared.project.path(pot_rel).exists():
        pot_sha, template = read_catalog(shared.project, pot_rel)
    facts = readiness.facts(
        text,
        file=po_rel,
        language=lang,
        glossary=shared.glossary,
        template=template,
        template_file=pot_rel,
    )
    return sha, pot_sha, facts


def _alternates(
    project: Project, rel: str, lang: str, published: Sequence[str]
) -> html_stage.Alternates | None:
    """hreflang links to the source page (also ``x-default``) and every published language."""
    settings, source = project.config.publish, project.config.source_language
    if not settings.alternates:
        return None
    urls = {source: settings.page_url(None, rel)}
    urls.update((other, settings.page_url(other, rel)) for other in published)
    return html_stage.alternates_for(urls, language=lang, x_default=urls[source])


def render(
    project: Project,
    rel: str,
    lang: str,
    doc: html_stage.Document,
    entries: Sequence[catalog.Translation],
    *,
    allow_fuzzy: bool,
    published: Sequence[str] = (),
    marker: html_stage.Marker | None = None,
) -> html_stage.Published:
    """One page of ``rel`` in ``lang`` from its catalog's entries: what publish writes
    (and, with a ``marker``, what ``l10n review`` shows); ``published``: the languages
    its alternates link to."""
    config = project.config
    usable = {t.msgid: t.msgstr for t in entries if t.msgstr and (allow_fuzzy or not t.fuzzy)}
    return html_stage.publish(
        doc,
        usable,
        language=lang,
        source_language=config.source_language,
        direction=text_direction(lang),
        source_direction=text_direction(config.source_language),
        alternates=_alternates(project, rel, lang, published),
        marker=marker,
    )


# --- one article, all its stale languages --------------------------------------------


def _publish_article(job: tuple[str, tuple[str, ...]]) -> _Done:
    shared: Shared = parallel.context()
    project = shared.project
    layout, config = project.layout, project.config
    rel, langs = job
    data, article_sha = read_article(project, rel)
    doc = segment_article(project, rel, data, article_sha)
    # Every language is rendered before any page is written: under --strict a bad
    # translation leaves all of this article's pages as they were.
    rendered = []
    for lang in langs:
        po_rel = layout.catalog(lang, rel)
        notices: list[Notice] = []
        if project.path(po_rel).exists():
            catalog_sha, text = read_catalog(project, po_rel)
        else:
            catalog_sha, text = "", ""
            notices.append(
                Notice(
                    file=po_rel, line=None, message="no catalog; published in the source language"
                )
            )
        entries = catalog.translations(text, file=po_rel) if text else []
        lines = {t.msgid: t.line for t in entries}
        fuzzy, published = shared.allow_fuzzy, shared.published
        result = render(project, rel, lang, doc, entries, allow_fuzzy=fuzzy, published=published)
        for rejected in result.rejected:
            problem = f"placeholders do not match the source ({'; '.join(rejected.reasons)})"
            line = lines.get(rejected.segment.msgid)
            if shared.strict:
                raise PublishError(
                    f"{problem}; --strict: no page of {rel} was written", file=po_rel, line=line
                )
            notices.append(
                Notice(file=po_rel, line=line, message=f"{problem}; published the source text")
            )
        rendered.append((layout.published(lang, rel), catalog_sha, result, notices))
    for out, *_ in rendered:
        confined(project, out, config.output, PublishError)
    pages = []
    for out, catalog_sha, result, notices in rendered:
        stamp, written = write_if_changed(project, out, result.data, durable=False)
        pages.append(
            _Page(
                path=out,
                catalog_sha=catalog_sha,
                stamp=stamp,
                written=written,
                notices=tuple(notices),
                translated=result.translated,
                untranslated=result.untranslated,
                rejected=len(result.rejected),
            )
        )
    return _Done(article_sha=article_sha, pages=tuple(pages))

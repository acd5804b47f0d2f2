"""extract: article HTML → POT → one merged PO per language, incrementally."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from l10n import catalog
from l10n.errors import L10nError
from l10n.glossary import Glossary
from l10n.glossary.index import TermIndex, glossary_notes, term_index
from l10n.pipeline import parallel
from l10n.pipeline.project import (
    Project,
    Report,
    _read_optional,
    _same_but_dates,
    config_digest,
    failure,
    find_articles,
    glossary_digest,
    load_glossary,
    read_article,
)
from l10n.pipeline.segments import segment_article
from l10n.pipeline.state import Stamp, State, inputs, tool_version
from l10n.pipeline.writing import rewrite


@dataclass(frozen=True, kw_only=True)
class _Shared:
    project: Project
    indexes: dict[str, TermIndex]


@dataclass(frozen=True, kw_only=True)
class _Done:
    article_sha: str
    outputs: tuple[tuple[str, Stamp, bool], ...]  # (path, stamp, written)


def extract(
    project: Project,
    selected: Sequence[str] = (),
    *,
    jobs: int = 1,
    shard: tuple[int, int] | None = None,
    force: bool = False,
) -> Report:
    """Write each article's POT and create or merge each language's PO.

    An article whose bytes, glossary, configuration and tool are those of its last
    extract, and whose POT and POs are as that extract left them, is skipped.
    """
    layout, config = project.layout, project.config
    found = find_articles(project, selected, shard=shard)
    articles, failed = found.rels, list(found.bad)
    written: list[str] = []
    unchanged: list[str] = []
    same: list[str] = []
    with State(project.root) as state:
        common = {
            "glossary": glossary_digest(project, state),
            "config": config_digest(project),
            "tool": tool_version(),
        }
        todo = []
        for rel in articles:
            outputs = [layout.template(rel), *(layout.catalog(g, rel) for g in config.languages)]
            sha = _known_sha(state, layout.article(rel)) if not force else None
            if sha is not None and state.up_to_date(outputs, inputs(article=sha, **common)):
                unchanged.extend(outputs)
            else:
                todo.append(rel)
        if not todo:  # a no-op run need not read the glossary nor build its matchers
            return Report(unchanged=tuple(unchanged), failed=tuple(failed))
        indexes = _indexes(load_glossary(project), config.languages)
        shared = _Shared(project=project, indexes=indexes)
        for done in parallel.each_kept(_extract_article, todo, jobs=jobs, shared=shared):
            if isinstance(done, L10nError):
                failed.append(failure(done))
                continue
            made = inputs(article=done.article_sha, **common)
            for path, stamp, was_written in done.outputs:
                state.made(path, made, stamp)
                (written if was_written else same).append(path)
    return Report(
        written=tuple(written), unchanged=tuple(unchanged), same=tuple(same), failed=tuple(failed)
    )


def _known_sha(state: State, article: str) -> str | None:
    """The article's recorded SHA-256; None when it cannot be read (its worker says why)."""
    try:
        return state.sha(article)
    except OSError:
        return None


def _indexes(glossary: Glossary | None, languages: Sequence[str]) -> dict[str, TermIndex]:
    if glossary is None:
        return {}
    return {lang: term_index(glossary, lang) for lang in languages}


def _extract_article(rel: str) -> _Done:
    shared: _Shared = parallel.context()
    project, indexes = shared.project, shared.indexes
    layout, config = project.layout, project.config
    data, sha = read_article(project, rel)
    doc = segment_article(project, rel, data, sha)
    messages = catalog.messages_from_segments(layout.article(rel), doc.segments)
    pot_rel = layout.template(rel)
    old_pot = _read_optional(project, pot_rel)
    pot = catalog.render_template(messages)

    def template(current: str | None) -> str:
        if current is not None and _same_but_dates(current, pot):
            return current  # keep the file (and its creation date) when nothing changed
        return pot

    # (read, new, edit) per output, all made before the first write.
    made = template(old_pot)
    outputs: dict[str, tuple[str | None, str, Callable[[str | None], str]]] = {
        pot_rel: (old_pot, made, template)
    }
    for lang in config.languages:
        po_rel = layout.catalog(lang, rel)
        notes = None
        if lang in indexes:
            notes = {m.msgid: glossary_notes(indexes[lang], m.msgid) for m in messages}
        merging = _merging(made, lang, project, po_rel, pot_rel, notes)
        old_po = _read_optional(project, po_rel)
        outputs[po_rel] = (old_po, merging(old_po), merging)
    results = []
    for path, (read, new, edit) in outputs.items():
        # Merged again into the file as it is now if someone saved it meanwhile.
        saved = rewrite(project, path, read=read, new=new, edit=edit)
        assert saved is not None  # edit always makes a text
        results.append((path, saved.stamp, saved.written))
    return _Done(article_sha=sha, outputs=tuple(results))


def _merging(
    pot: str,
    lang: str,
    project: Project,
    po_rel: str,
    pot_rel: str,
    notes: dict[str, list[str]] | None,
) -> Callable[[str | None], str]:
    """Merging ``pot`` into a PO text of ``lang`` (the file as read, or as it is now)."""

    def edit(old: str | None) -> str:
        return catalog.merge(
            pot,
            old,
            language=lang,
            source_language=project.config.source_language,
            file=po_rel,
            template_file=pot_rel,
            notes=notes,
        )

    return edit

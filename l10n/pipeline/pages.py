"""extract, publish and status: article HTML ⇄ catalogs ⇄ localized pages."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from l10n import catalog, checks
from l10n import html as html_stage
from l10n.config import text_direction
from l10n.errors import PublishError
from l10n.pipeline.project import (
    Notice,
    Project,
    Report,
    _languages,
    _read_optional,
    _same_but_dates,
    _segment,
    _write_all,
    list_articles,
    load_glossary,
)

log = logging.getLogger(__name__)

# --- extract -------------------------------------------------------------------------


def extract(project: Project, selected: Sequence[str] = ()) -> Report:
    """Write each article's POT and create or merge each language's PO."""
    layout, config = project.layout, project.config
    glossary = load_glossary(project)
    indexes = (
        {lang: checks.TermIndex(glossary, lang) for lang in config.languages}
        if glossary is not None
        else {}
    )
    outputs: dict[str, str] = {}
    for rel in list_articles(project, selected):
        doc = _segment(project, rel)
        article = layout.article(rel)
        messages = catalog.messages_from_segments(article, doc.segments)
        pot_rel = layout.template(rel)
        old_pot = _read_optional(project, pot_rel)
        pot = catalog.render_template(messages)
        if old_pot is not None and _same_but_dates(old_pot, pot):
            pot = old_pot  # keep the file (and its creation date) when nothing changed
        outputs[pot_rel] = pot
        for lang in config.languages:
            po_rel = layout.catalog(lang, rel)
            existing = _read_optional(project, po_rel)
            notes = None
            if lang in indexes:
                notes = {m.msgid: checks.glossary_notes(indexes[lang], m.msgid) for m in messages}
            outputs[po_rel] = catalog.merge(
                pot,
                existing,
                language=lang,
                source_language=config.source_language,
                file=po_rel,
                template_file=pot_rel,
                notes=notes,
            )
    return _write_all(project, outputs)


# --- publish -------------------------------------------------------------------------


def publish(
    project: Project,
    selected: Sequence[str] = (),
    *,
    languages: Sequence[str] = (),
    allow_fuzzy: bool = False,
    strict: bool = False,
) -> Report:
    """Write ``public/<lang>/<article>`` for each article and language."""
    layout, config = project.layout, project.config
    outputs: dict[str, bytes] = {}
    notices: list[Notice] = []
    counts = {"translated": 0, "untranslated": 0, "rejected": 0}
    for rel in list_articles(project, selected):
        doc = _segment(project, rel)
        for lang in _languages(project, languages):
            po_rel = layout.catalog(lang, rel)
            text = _read_optional(project, po_rel)
            if text is None:
                notices.append(
                    Notice(
                        file=po_rel,
                        line=None,
                        message="no catalog; published in the source language",
                    )
                )
                text = ""
            entries = catalog.translations(text, file=po_rel) if text else []
            usable = {
                t.msgid: t.msgstr for t in entries if t.msgstr and (allow_fuzzy or not t.fuzzy)
            }
            lines = {t.msgid: t.line for t in entries}
            result = html_stage.publish(
                doc,
                usable,
                language=lang,
                source_language=config.source_language,
                direction=text_direction(lang),
            )
            for rejected in result.rejected:
                notice = Notice(
                    file=po_rel,
                    line=lines.get(rejected.segment.msgid),
                    message="placeholders do not match the source ("
                    + "; ".join(rejected.reasons)
                    + "); published the source text",
                )
                if strict:
                    raise PublishError(notice.message, file=notice.file, line=notice.line)
                notices.append(notice)
            counts["translated"] += result.translated
            counts["untranslated"] += result.untranslated
            counts["rejected"] += len(result.rejected)
            outputs[layout.published(lang, rel)] = result.data
    report = _write_all(project, outputs)
    return Report(
        written=report.written, unchanged=report.unchanged, notices=tuple(notices), counts=counts
    )


# --- status --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StatusRow:
    language: str
    article: str
    stats: catalog.Stats | None  # None: no catalog yet


def status(
    project: Project, selected: Sequence[str] = (), languages: Sequence[str] = ()
) -> list[StatusRow]:
    rows = []
    for lang in _languages(project, languages):
        for rel in list_articles(project, selected):
            po_rel = project.layout.catalog(lang, rel)
            text = _read_optional(project, po_rel)
            stats = None if text is None else catalog.stats(text, file=po_rel)
            rows.append(StatusRow(language=lang, article=rel, stats=stats))
    return rows

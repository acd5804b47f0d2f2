"""extract / translate / publish / status over a project: the only module that reads and
writes project files.  Every stage function it calls takes and returns text or objects.

Each command reads and checks all its inputs before it writes anything, and every file
is written atomically (temporary file in the same folder, then rename), so a bad input
or a crash never leaves a half-written file or overwrites a translator's work.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from l10n import catalog, checks
from l10n import glossary as glossary_stage
from l10n import html as html_stage
from l10n.config import CONFIG_NAME, INIT_TEMPLATE, Config, Layout, parse_config, text_direction
from l10n.errors import ArticleError, CatalogError, ConfigError, L10nError, PublishError
from l10n.glossary import Glossary, GlossaryError
from l10n.translate import get_engine

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True, kw_only=True)
class Project:
    root: Path
    config: Config
    layout: Layout

    def path(self, rel: str) -> Path:
        return self.root / rel


@dataclass(frozen=True, kw_only=True)
class Notice:
    """A warning for the user, pointing at a file and line."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, kw_only=True)
class Report:
    """What a command did: files written, files left as they were, warnings."""

    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)


# --- project -------------------------------------------------------------------------


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``l10n.toml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_NAME} here or in any parent folder (run `l10n init`)", file=str(start)
    )


def load_project(start: Path) -> Project:
    root = find_root(start)
    config_path = root / CONFIG_NAME
    config = parse_config(_read_text(config_path, ConfigError), file=str(config_path))
    return Project(root=root, config=config, layout=Layout.from_config(config))


def init(folder: Path) -> Path:
    target = folder / CONFIG_NAME
    if target.exists():
        raise ConfigError("already exists; not overwriting", file=str(target))
    write_atomic(target, INIT_TEMPLATE.encode("utf-8"))
    return target


def list_articles(project: Project, selected: Sequence[str] = ()) -> list[str]:
    """Article paths relative to the articles folder, sorted; all of them by default."""
    base = project.path(project.config.articles)
    if not selected:
        if not base.is_dir():
            return []
        return sorted(
            p.relative_to(base).as_posix()
            for p in base.rglob("*")
            if p.suffix.lower() in ARTICLE_SUFFIXES and p.is_file()
        )
    found = []
    for arg in selected:
        candidates = [Path(arg), base / arg]
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            raise ArticleError("no such article", file=arg)
        try:
            found.append(path.resolve().relative_to(base.resolve()).as_posix())
        except ValueError:
            raise ArticleError(f"not inside the articles folder {base}", file=arg) from None
    return sorted(set(found))


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


def _segment(project: Project, rel: str) -> html_stage.Document:
    article = project.layout.article(rel)
    try:
        data = project.path(article).read_bytes()
    except OSError as exc:
        raise ArticleError(exc.strerror or str(exc), file=article) from exc
    try:
        return html_stage.segment(data, sentences=project.config.segment == "sentence")
    except L10nError as exc:
        raise exc.located(file=article) from exc


# --- translate -----------------------------------------------------------------------


def translate(
    project: Project,
    selected: Sequence[str] = (),
    *,
    languages: Sequence[str] = (),
    engine: str | None = None,
    dry_run: bool = False,
) -> Report:
    """Fill untranslated entries with machine translation, marked fuzzy for review."""
    translator = get_engine(engine or project.config.translate_engine)
    outputs: dict[str, str] = {}
    counts = {"segments": 0, "characters": 0}
    for rel in list_articles(project, selected):
        for lang in _languages(project, languages):
            po_rel = project.layout.catalog(lang, rel)
            text = _read_optional(project, po_rel)
            if text is None:
                raise CatalogError("no catalog yet; run `l10n extract` first", file=po_rel)
            todo = [t.msgid for t in catalog.translations(text, file=po_rel) if not t.msgstr]
            counts["segments"] += len(todo)
            counts["characters"] += sum(len(m) for m in todo)
            if dry_run or not todo:
                continue
            results = translator.translate(todo, source=project.config.source_language, target=lang)
            filled = dict(zip(todo, results, strict=True))
            outputs[po_rel] = catalog.fill(text, filled, file=po_rel, engine=translator.name)
    report = _write_all(project, outputs)
    return Report(written=report.written, unchanged=report.unchanged, counts=counts)


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


# --- glossary and check ----------------------------------------------------------------

GLOSSARY_SUFFIXES = (".tbx", ".xml", ".csv")


def glossary_files(project: Project) -> dict[str, bytes]:
    """Glossary file contents by project-relative path, sorted."""
    base = project.path(project.config.glossaries)
    if not base.is_dir():
        return {}
    files = {}
    for path in sorted(base.rglob("*")):
        if path.suffix.lower() in GLOSSARY_SUFFIXES and path.is_file():
            rel = path.relative_to(project.root).as_posix()
            try:
                files[rel] = path.read_bytes()
            except OSError as exc:
                raise GlossaryError(exc.strerror or str(exc), file=rel) from exc
    return files


def load_glossary(project: Project) -> Glossary | None:
    files = glossary_files(project)
    if not files:
        return None
    return glossary_stage.load(files, source_language=project.config.source_language)


def lint_glossary(project: Project) -> list[glossary_stage.LintFinding]:
    return glossary_stage.lint(
        glossary_files(project), source_language=project.config.source_language
    )


def export_glossary(project: Project, fmt: str) -> str:
    glossary = load_glossary(project)
    if glossary is None:
        raise GlossaryError("no glossary files (.tbx, .csv)", file=project.config.glossaries)
    if fmt == "csv":
        return glossary_stage.export_csv(glossary)
    return glossary_stage.export_tbx2008(glossary)


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    findings: tuple[checks.Finding, ...]
    checked: tuple[str, ...]  # PO files, project-relative


def check(
    project: Project,
    selected: Sequence[str] = (),
    *,
    languages: Sequence[str] = (),
    include_fuzzy: bool = False,
) -> CheckResult:
    """QA findings for the PO files of the project (or of the selected articles)."""
    glossary = load_glossary(project)
    entries: list[checks.Entry] = []
    checked: list[str] = []
    for lang in _languages(project, languages):
        for po_rel in _catalogs(project, lang, selected):
            text = _read_optional(project, po_rel)
            if text is None:
                continue
            checked.append(po_rel)
            for t in catalog.translations(text, file=po_rel):
                entries.append(
                    checks.Entry(
                        file=po_rel,
                        line=t.line,
                        language=lang,
                        msgid=t.msgid,
                        msgctxt=t.msgctxt,
                        msgstr=t.msgstr,
                        fuzzy=t.fuzzy,
                        flags=t.flags,
                    )
                )
    findings = checks.check(entries, glossary, include_fuzzy=include_fuzzy)
    return CheckResult(findings=tuple(findings), checked=tuple(checked))


def _catalogs(project: Project, lang: str, selected: Sequence[str]) -> list[str]:
    if selected:
        return [project.layout.catalog(lang, rel) for rel in list_articles(project, selected)]
    base = project.path(project.config.locales) / lang
    if not base.is_dir():
        return []
    return sorted(p.relative_to(project.root).as_posix() for p in base.rglob("*.po"))


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


# --- files ---------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_all(project: Project, outputs: dict[str, str] | dict[str, bytes]) -> Report:
    written, unchanged = [], []
    for rel, content in outputs.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = project.path(rel)
        if path.is_file() and path.read_bytes() == data:
            unchanged.append(rel)
            continue
        write_atomic(path, data)
        written.append(rel)
    return Report(written=tuple(written), unchanged=tuple(unchanged))


def _languages(project: Project, requested: Sequence[str]) -> Iterator[str]:
    configured = project.config.languages
    for lang in requested or configured:
        if lang not in configured:
            raise ConfigError(
                f"language {lang!r} is not configured (languages: {', '.join(configured)})",
                file=str(project.root / CONFIG_NAME),
            )
        yield lang


def _read_bytes(path: Path, error: type[L10nError]) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise error(exc.strerror or str(exc), file=str(path)) from exc


def _read_text(path: Path, error: type[L10nError]) -> str:
    data = _read_bytes(path, error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error("not valid UTF-8", file=str(path), line=line) from exc


def _read_optional(project: Project, rel: str) -> str | None:
    """A catalog's text, or None when it does not exist yet."""
    path = project.path(rel)
    if not path.exists():
        return None
    try:
        return _read_text(path, CatalogError)
    except CatalogError as exc:
        raise exc.located(file=rel) from exc


_DATE_HEADER = re.compile(r'^"POT-Creation-Date: [^"\n]*\\n"$', re.MULTILINE)


def _same_but_dates(old: str, new: str) -> bool:
    return _DATE_HEADER.sub("", old) == _DATE_HEADER.sub("", new)

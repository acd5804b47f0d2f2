"""Published pages: whether each is current or stale, and the older pages of a
language its gate holds back (what readers still see instead), which publish reports
and may withdraw."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from l10n.errors import PublishError
from l10n.pipeline.project import Project
from l10n.pipeline.state import State, changed_inputs, inputs
from l10n.pipeline.tree import confined


@dataclass(frozen=True, kw_only=True)
class HeldPage:
    """A page of a language its gate holds back that readers still see, though it is
    not what the current article, catalog, glossary and configuration would make."""

    language: str
    article: str
    path: str
    page: str  # "stale", "modified" or "unknown", as in `l10n status`
    changed: tuple[str, ...] = ()  # stale: which inputs changed since it was published
    withdrawn: bool = False  # removed by this run (withdraw_held)

    @property
    def recorded(self) -> bool:
        """Did l10n publish it (per its state records)?  Only such pages are withdrawn."""
        return self.page != "unknown"

    def message(self) -> str:
        """One line for the editor (``publish`` and ``status`` say the same)."""
        start = f"{self.path}: {self.language} held back; "
        if self.withdrawn:
            return start + "its older page was withdrawn"
        if not self.recorded:
            return (
                start + "a page l10n has no record of publishing is still live "
                "(left alone; remove it by hand if it must go)"
            )
        why = (
            f"{', '.join(self.changed)} changed since it was published"
            if self.changed
            else "edited since it was published"
        )
        return (
            start + f"an older page is still live and stale ({why}); "
            "`l10n publish --withdraw-held` removes it"
        )



# Which recorded inputs make a published page stale (the publish options are not
# inputs the editor changed: a page published with --allow-fuzzy is not stale).
STALE_PARTS = ("article", "catalog", "glossary", "config", "tool")
# Page states of a live page that is not what its current inputs would make.
OLDER = ("stale", "modified", "unknown")


def page_state(state: State, out: str, current: str) -> tuple[str, tuple[str, ...]]:
    """``current``, ``stale`` (and which inputs changed), ``modified``, ``unpublished``
    or ``unknown`` for the page ``out``; ``current``: the inputs it would be made from."""
    recorded = state.inputs_of(out)
    exists = state.sha(out) is not None
    if not exists:
        return "unpublished", ()
    if recorded is None:
        return "unknown", ()
    changed = tuple(p for p in changed_inputs(recorded, current) if p in STALE_PARTS)
    if changed:
        return "stale", changed
    if not state.up_to_date([out], recorded):
        return "modified", ()
    return "current", ()


def page_inputs(
    project: Project, state: State, lang: str, rel: str, common: Mapping[str, object]
) -> str:
    """What the page of ``rel`` in ``lang`` would be made from now."""
    layout = project.layout
    return inputs(
        article=state.sha(layout.article(rel)) or "",
        catalog=state.sha(layout.catalog(lang, rel)) or "",
        **common,
    )


def held_pages(
    project: Project,
    state: State,
    lang: str,
    articles: Sequence[str],
    common: Mapping[str, object],
) -> list[HeldPage]:
    """The live pages of ``lang`` (held back by its gate) that are not current."""
    held = []
    for rel in articles:
        out = project.layout.published(lang, rel)
        page, changed = page_state(state, out, page_inputs(project, state, lang, rel, common))
        if page in OLDER:
            held.append(HeldPage(language=lang, article=rel, path=out, page=page, changed=changed))
    return held


def withdraw(project: Project, state: State, held: HeldPage) -> HeldPage:
    """Remove a held page l10n published; a page it has no record of is left alone."""
    if not held.recorded:
        return held
    confined(project, held.path, project.config.output, PublishError)  # never delete elsewhere
    path = project.path(held.path)
    path.unlink(missing_ok=True)
    state.forget(held.path)
    # Empty folders left behind go too, the language's own folder included.
    top = project.path(project.layout.published(held.language, "")).parent
    folder = path.parent
    while folder != top and top in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
    return dataclasses.replace(held, withdrawn=True)



"""Which languages translate's engine does (warnings, errors), and the events it sends."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from l10n import pipeline
from l10n.errors import TranslateError
from l10n.pipeline.engines import Progress, Reporter, unfinished_of, usable_languages
from l10n.translate.engine import Engine
from l10n.translate.run import Tally


class SpanishOnly(Engine):
    name = "spanish"

    def supports(self, source: str, target: str) -> bool:
        return target == "es"

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        return list(texts)


@pytest.fixture
def project(tmp_path: Path) -> pipeline.Project:
    (tmp_path / "l10n.toml").write_text('languages = ["es", "fr"]\n', encoding="utf-8")
    return pipeline.load_project(tmp_path)


def test_the_default_engine_skips_what_it_cannot_do_naming_the_choices(
    project: pipeline.Project,
) -> None:
    found = usable_languages(project, SpanishOnly(), (), origin="")
    assert [lang for lang, notice in found if notice is None] == ["es"]
    (notice,) = [n for _, n in found if n is not None]
    assert notice.file is None and "en→fr; skipped" in notice.message
    assert "set [translate] engine in l10n.toml or pass --engine; choices: " in notice.message


def test_the_default_engine_that_can_do_nothing_stops_the_run(
    project: pipeline.Project,
) -> None:
    with pytest.raises(TranslateError, match=r"no engine configured, and spanish cannot .* en→fr"):
        usable_languages(project, SpanishOnly(), ("fr",), origin="")


def test_a_configured_engine_warns_at_its_line(project: pipeline.Project) -> None:
    found = usable_languages(project, SpanishOnly(), (), origin="l10n.toml")
    (notice,) = [n for _, n in found if n is not None]
    assert notice.file == "l10n.toml" and "choices" not in notice.message


def test_reporter_counts_articles_entries_and_the_article_in_flight() -> None:
    seen: list[object] = []
    tally = Tally()
    report = Reporter(seen.append, "es", 2, tally)
    batch = report.within(["a", "b", "c", "d"])
    assert batch is not None
    tally.engine, tally.characters = 2, 40
    batch(2, 40)
    tally.memory = 1
    report.article_done()
    assert seen == [
        Progress(language="es", articles=0, articles_total=2, fraction=0.5, entries=2,
                 characters=40),
        Progress(language="es", articles=1, articles_total=2, fraction=0.0, entries=3,
                 characters=40),
    ]
    assert Reporter(None, "es", 2, tally).within(["a"]) is None


def test_unfinished_names_the_language_engine_count_and_reasons() -> None:
    tally = Tally(failed=2, reasons=["server said no"])
    (left,) = unfinished_of("es", SpanishOnly(), tally)
    assert (left.language, left.engine, left.count, left.reasons) == (
        "es",
        "spanish",
        2,
        ("server said no",),
    )
    assert unfinished_of("es", SpanishOnly(), Tally()) == []

"""The SQLite cache: keyed by engine, languages, options and text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result
from db_faults import damage, full_database, held, read_only, short_busy_timeout

from l10n.cli import cli
from l10n.translate.cache import Cache


def test_round_trip_and_key_parts(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "cache.sqlite3")
    es = Cache(db, engine="libre", source="en", target="es", options={"format": "text"})
    es.put_many({"Hello": "Hola", "<1>Bye</1>": "<1>Adiós</1>"})
    assert es.get_many(["Hello", "<1>Bye</1>", "New"]) == {
        "Hello": "Hola",
        "<1>Bye</1>": "<1>Adiós</1>",
    }
    assert es.hits == 2
    fr = Cache(db, engine="libre", source="en", target="fr", options={"format": "text"})
    assert fr.get_many(["Hello"]) == {}
    other = Cache(db, engine="libre", source="en", target="es", options={"format": "html"})
    assert other.get_many(["Hello"]) == {}
    db.close()
    again = Cache(
        sqlite3.connect(tmp_path / "cache.sqlite3"),
        engine="libre",
        source="en",
        target="es",
        options={"format": "text"},
    )
    assert again.get_many(["Hello"]) == {"Hello": "Hola"}


def test_many_texts_beyond_parameter_limit(tmp_path: Path) -> None:
    cache = Cache(sqlite3.connect(":memory:"), engine="e", source="en", target="es", options={})
    texts = {f"text {n}": f"texto {n}" for n in range(1500)}
    cache.put_many(texts)
    assert cache.get_many(list(texts)) == texts


# --- the cache file damaged, read-only, a folder, busy, full: through the command line --

CACHE_REL = ".l10n/cache.sqlite3"
KEPT = "translations in PO files are not affected"


def paragraphs(words: str, count: int = 1) -> str:
    body = "".join(f"<p>{words} number {n} of the series.</p>" for n in range(count))
    return f"<html><head><title>On AI</title></head><body>{body}</body></html>"


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-C", str(root), *args])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project whose cache holds Apertium's translations of one article, which has
    since gained a paragraph: the next translate needs the cache."""
    (tmp_path / "l10n.toml").write_text(
        'languages = ["es"]\n[translate]\nengine = "apertium"\nbatch_size = 100\n',
        encoding="utf-8",
    )
    (tmp_path / "articles").mkdir()
    article = tmp_path / "articles" / "ai.html"
    article.write_text(paragraphs("The gap can close"), encoding="utf-8")
    for command in ("extract", "translate"):
        assert invoke(tmp_path, command).exit_code == 0
    article.write_text(paragraphs("The race is long", 2), encoding="utf-8")
    assert invoke(tmp_path, "extract").exit_code == 0
    return tmp_path


def translate_fails(root: Path) -> str:
    result = invoke(root, "translate")
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert CACHE_REL in lines[0] and KEPT in lines[0]
    return lines[0]


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "state.sqlite3"
    }


def test_a_cache_damaged_mid_file_is_reported_and_kept(root: Path) -> None:
    damage(root / CACHE_REL)
    before = files(root)
    line = translate_fails(root)
    assert "damaged" in line and "move it away or delete it" in line
    assert files(root) == before


def test_a_read_only_cache_is_reported_and_kept(root: Path) -> None:
    before = files(root)
    with read_only(root / CACHE_REL):
        line = translate_fails(root)
    assert "read-only" in line and "damaged" not in line
    assert files(root) == before


def test_a_folder_in_place_of_the_cache_is_reported_and_kept(root: Path) -> None:
    (root / CACHE_REL).unlink()
    (root / CACHE_REL / "inside").mkdir(parents=True)
    before = files(root)
    line = translate_fails(root)
    assert "folder" in line and "move it away" in line
    assert (root / CACHE_REL / "inside").is_dir() and files(root) == before


def test_a_cache_locked_by_another_command_is_busy_not_damaged(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    short_busy_timeout(monkeypatch)
    before = files(root)
    with held(root / CACHE_REL):
        line = translate_fails(root)
    assert "busy" in line and "another l10n command" in line and "damaged" not in line
    assert files(root) == before


def test_a_full_cache_is_reported_and_the_translations_are_saved_in_the_catalog(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "articles" / "ai.html").write_text(paragraphs("The race is long", 60), "utf-8")
    assert invoke(root, "extract").exit_code == 0
    before = (root / CACHE_REL).read_bytes()
    full_database(monkeypatch, "cache.sqlite3")
    line = translate_fails(root)
    assert "full" in line
    assert (root / CACHE_REL).read_bytes() == before
    # What the engine sent back (one batch: all of it) is in the catalog all the same.
    po = polib.pofile(str(root / "locales" / "es" / "ai.po"))
    assert po.untranslated_entries() == [] and len(po.fuzzy_entries()) == 61

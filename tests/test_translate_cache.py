"""The SQLite cache: keyed by engine, languages, options and text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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

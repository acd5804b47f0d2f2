"""Never pay twice: machine translations kept in SQLite (``.l10n/cache.sqlite3``), keyed
by engine, languages, options and the protected source text.

The pipeline opens the database; this module only reads and writes through the
connection it is given.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping, Sequence

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    result TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


def cache_key(
    *, engine: str, source: str, target: str, options: Mapping[str, object], text: str
) -> str:
    payload = json.dumps(
        [engine, source, target, dict(sorted(options.items())), text],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Cache:
    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        engine: str,
        source: str,
        target: str,
        options: Mapping[str, object],
    ) -> None:
        self.db = connection
        self.db.execute(SCHEMA)
        self.engine, self.source, self.target = engine, source, target
        self.options = dict(options)
        self.hits = 0

    def key(self, text: str) -> str:
        return cache_key(
            engine=self.engine,
            source=self.source,
            target=self.target,
            options=self.options,
            text=text,
        )

    def get_many(self, texts: Sequence[str]) -> dict[str, str]:
        """Cached results by text, for the texts that have one."""
        keys = {self.key(t): t for t in texts}
        found: dict[str, str] = {}
        items = list(keys)
        for i in range(0, len(items), 500):  # SQLite's bound-parameter limit
            chunk = items[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, result in self.db.execute(
                f"SELECT key, result FROM translations WHERE key IN ({marks})", chunk
            ):
                found[keys[key]] = result
        self.hits += len(found)
        return found

    def put_many(self, results: Mapping[str, str]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO translations (key, engine, source, target, text, result)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (self.key(t), self.engine, self.source, self.target, t, r)
                    for t, r in results.items()
                ],
            )

"""Suite-wide guard: no test may reach any address but loopback (there is no network in
CI, and a test that tries is a bug)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mt_server import loopback_only


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    attempts = loopback_only(monkeypatch)
    yield
    assert attempts == [], f"a test tried to leave 127.0.0.1: {attempts}"

"""Helpers of the review tests: a copy of the example project and a real review server
(uvicorn on 127.0.0.1, a free port) running in a thread."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from l10n.pipeline.project import load_project
from l10n.review.server import ReviewServer

REPO = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (but .l10n/, the tool's own caches) and its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".l10n" not in path.relative_to(folder).parts
    }


@contextmanager
def running(root: Path, **options: Any) -> Iterator[ReviewServer]:
    server = ReviewServer(load_project(root), **options)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.01)
    try:
        yield server
    finally:
        server.stop()
        thread.join(10)
        assert not thread.is_alive(), "server did not stop"

"""Segmenting an article once: extract keeps the result for publish.

Segmenting is most of what extract and publish each spend on a page, and publish needs
exactly the segments extract found in the same bytes.  ``.l10n/segments/`` (git-ignored)
holds one compressed pickle per article — the segments and page description, not the
page text, which is decoded again from the article bytes — keyed by the article's
SHA-256, the segmentation mode and the tool's code, so any change makes it miss.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import pickle
import zlib
from pathlib import Path

from l10n import html as html_stage
from l10n.errors import L10nError
from l10n.pipeline.project import Project, write_atomic
from l10n.pipeline.state import STATE_DIR, tool_version

log = logging.getLogger(__name__)

SEGMENTS_DIR = "segments"


def segment_article(project: Project, rel: str, data: bytes, sha: str) -> html_stage.Document:
    """The article's segments: from the cache when its key matches, else computed (and kept)."""
    key = f"{sha}:{project.config.segment}:{tool_version()}"
    path = _path(project, rel)
    cached = _load(path, key, data)
    if cached is not None:
        return cached
    try:
        doc = html_stage.segment(data, sentences=project.config.segment == "sentence")
    except L10nError as exc:
        raise exc.located(file=project.layout.article(rel)) from exc
    _save(path, key, doc)
    return doc


def _path(project: Project, rel: str) -> Path:
    name = hashlib.blake2b(rel.encode("utf-8"), digest_size=16).hexdigest()
    return project.path(STATE_DIR) / SEGMENTS_DIR / name[:2] / f"{name}.pickle.z"


def pack(key: str, doc: html_stage.Document) -> bytes:
    """A document without its page text, compressed, under ``key``."""
    bare = dataclasses.replace(doc, page=dataclasses.replace(doc.page, text=""))
    return zlib.compress(pickle.dumps((key, bare), protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(blob: bytes, key: str, data: bytes) -> html_stage.Document | None:
    """The document ``pack`` stored for the article ``data``, or None if ``key`` differs.

    A damaged or foreign blob is a miss, never an error: it is only a cache.
    """
    try:
        stored_key, doc = pickle.loads(zlib.decompress(blob))
        if stored_key != key or not isinstance(doc, html_stage.Document):
            return None
        text = html_stage.read_text(data)
    except Exception:
        log.info("segment cache unreadable; segmenting again")
        return None
    return dataclasses.replace(doc, page=dataclasses.replace(doc.page, text=text))


def _load(path: Path, key: str, data: bytes) -> html_stage.Document | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    return unpack(blob, key, data)


def _save(path: Path, key: str, doc: html_stage.Document) -> None:
    with contextlib.suppress(OSError):  # a cache that cannot be written is no failure
        write_atomic(path, pack(key, doc), durable=False)

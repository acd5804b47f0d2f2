"""Extract keeps each article's segments for publish."""

from __future__ import annotations

import json
import logging
import pickle
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from l10n import html as html_stage
from l10n.cli import cli
from l10n.pipeline import load_project
from l10n.pipeline.segments import pack, segment_article, unpack

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    shutil.copytree(REPO / "articles", tmp_path / "articles")
    return tmp_path


def _pages() -> list[Path]:
    pages = sorted((REPO / "articles").rglob("*.html"))
    if CORPUS.is_dir():  # legacy charsets, BOMs, UTF-16 among them
        pages += sorted(CORPUS.glob("*.html"))[::5]
    return pages


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_a_cached_document_is_the_document(tmp_path: Path, page: Path) -> None:
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    project = load_project(tmp_path)
    data = page.read_bytes()
    fresh = html_stage.segment(data)
    first = segment_article(project, "a.html", data, "sha-1")
    again = segment_article(project, "a.html", data, "sha-1")
    assert first == fresh and again == fresh
    assert again is not first


def test_an_article_is_segmented_once_per_content(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_project(project)
    rel = "commentary/ai-initiative.html"
    data = (project / "articles" / rel).read_bytes()
    calls: list[bytes] = []
    real = html_stage.segment

    def counting(data: bytes, *, sentences: bool = False) -> html_stage.Document:
        calls.append(data)
        return real(data, sentences=sentences)

    monkeypatch.setattr(html_stage, "segment", counting)
    segment_article(config, rel, data, "one")
    segment_article(config, rel, data, "one")
    assert len(calls) == 1
    segment_article(config, rel, data, "two")  # other bytes: segmented again
    assert len(calls) == 2
    for cached in (project / ".l10n" / "segments").rglob("*.z"):
        cached.write_bytes(b"not a pickle")
    assert segment_article(config, rel, data, "two") == real(data)  # damage is a miss
    assert len(calls) == 3


def test_segment_mode_is_part_of_the_key(project: Path) -> None:
    rel = "briefs/sora-explainer.html"
    data = (project / "articles" / rel).read_bytes()
    blocks = segment_article(load_project(project), rel, data, "x")
    (project / "l10n.toml").write_text(
        'languages = ["es"]\nsegment = "sentence"\n', encoding="utf-8"
    )
    sentences = segment_article(load_project(project), rel, data, "x")
    assert sentences == html_stage.segment(data, sentences=True)
    assert len(sentences.segments) > len(blocks.segments)


def test_publish_after_extract_does_not_segment(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from l10n import pipeline

    pipeline.extract(load_project(project))

    def refuse(data: bytes, *, sentences: bool = False) -> html_stage.Document:
        raise AssertionError("segmented again")

    monkeypatch.setattr(html_stage, "segment", refuse)
    report = pipeline.publish(load_project(project))
    assert sorted(report.written) == [
        "public/es/briefs/sora-explainer.html",
        "public/es/commentary/ai-initiative.html",
    ]


class _Payload:
    """Unpickling this writes ``marker``: what a crafted cache file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def test_a_pickle_in_the_cache_is_never_run(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    clean = tmp_path_factory.mktemp("clean")
    shutil.copytree(project, clean, dirs_exist_ok=True)
    runner = CliRunner()
    assert runner.invoke(cli, ["-C", str(clean), "publish", "--min-complete", "0"]).exit_code == 0
    assert runner.invoke(cli, ["-C", str(project), "extract"]).exit_code == 0
    marker = tmp_path_factory.mktemp("outside") / "marker"
    kept = sorted((project / ".l10n" / "segments").rglob("*.z"))
    assert kept
    for path in kept:
        payload = pickle.dumps(("key", _Payload(marker)))
        path.write_bytes(zlib.compress(payload))
        pickle.loads(payload)  # the payload works: unpickling it does write the marker
        assert marker.exists()
        marker.unlink()
    result = runner.invoke(cli, ["-C", str(project), "publish", "--min-complete", "0"])
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    for page in (clean / "public").rglob("*.html"):
        assert (project / page.relative_to(clean)).read_bytes() == page.read_bytes()


def _blob(data: bytes) -> tuple[bytes, dict[str, Any]]:
    blob = pack("k", html_stage.segment(data))
    return blob, json.loads(zlib.decompress(blob))


def _reblob(payload: object) -> bytes:
    return zlib.compress(json.dumps(payload).encode("utf-8"))


def _with(payload: dict[str, Any], path: tuple[object, ...], value: object) -> dict[str, Any]:
    copy = json.loads(json.dumps(payload))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return copy


# Its first segment is text with paired and lone placeholders; its head has a canonical link.
_ARTICLE = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    b'<link rel="canonical" href="https://example.org/a">\n</head>\n<body>\n'
    b'<p>Read <a href="/x" title="The other page">this <b>now</b></a><br> please.</p>\n'
    b'<img alt="A picture of a cat" src="c.png">\n</body>\n</html>\n'
)


def _mutations() -> list[tuple[str, Callable[[bytes, dict[str, Any], int], bytes]]]:
    # Each builds a damaged blob from a genuine one (``blob``, its ``payload``) of a page
    # whose text is ``n`` characters long.  Segment 0 is a text segment with placeholders.
    seg = ("segments", 0)
    return [
        ("truncated", lambda blob, p, n: blob[: len(blob) // 2]),
        ("garbage", lambda blob, p, n: b"\x00garbage" * 50),
        ("not json", lambda blob, p, n: zlib.compress(b"{not json")),
        ("not utf-8", lambda blob, p, n: zlib.compress(b'{"a": "\xff"}')),
        ("a list", lambda blob, p, n: _reblob([1, 2, 3])),
        ("deep", lambda blob, p, n: _reblob(json.loads("[" * 500 + "]" * 500))),
        ("very deep", lambda blob, p, n: zlib.compress(b"[" * 200_000 + b"]" * 200_000)),
        ("other key", lambda blob, p, n: _reblob(_with(p, ("key",), "other"))),
        ("other format", lambda blob, p, n: _reblob(_with(p, ("format",), 0))),
        (
            "no segments",
            lambda blob, p, n: _reblob({k: v for k, v in p.items() if k != "segments"}),
        ),
        ("extra field", lambda blob, p, n: _reblob({**p, "extra": 1})),
        ("msgid int", lambda blob, p, n: _reblob(_with(p, (*seg, 0), 5))),
        ("kind unknown", lambda blob, p, n: _reblob(_with(p, (*seg, 1), "script"))),
        ("span str", lambda blob, p, n: _reblob(_with(p, (*seg, 4), ["1", 2]))),
        ("span float", lambda blob, p, n: _reblob(_with(p, (*seg, 4), [1.0, 2]))),
        ("span bool", lambda blob, p, n: _reblob(_with(p, (*seg, 4), [True, 2]))),
        ("span short", lambda blob, p, n: _reblob(_with(p, (*seg, 4), [1]))),
        ("span past end", lambda blob, p, n: _reblob(_with(p, (*seg, 4), [0, n + 1]))),
        ("span negative", lambda blob, p, n: _reblob(_with(p, (*seg, 4), [-1, 3]))),
        ("span reversed", lambda blob, p, n: _reblob(_with(p, (*seg, 4), [9, 3]))),
        ("huge int", lambda blob, p, n: _reblob(_with(p, (*seg, 4), [10**40, 10**41]))),
        ("owns int", lambda blob, p, n: _reblob(_with(p, (*seg, 8), 1))),
        ("quote odd", lambda blob, p, n: _reblob(_with(p, (*seg, 9), "`"))),
        ("no placeholders", lambda blob, p, n: _reblob(_with(p, (*seg, 5), []))),
        ("renumbered", lambda blob, p, n: _reblob(_with(p, (*seg, 5, 0, 0), 7))),
        ("placeholder past end", lambda blob, p, n: _reblob(_with(p, (*seg, 5, 0, 3), [0, n + 5]))),
        ("paired made lone", lambda blob, p, n: _reblob(_with(p, (*seg, 5, 0, 2), True))),
        ("element past end", lambda blob, p, n: _reblob(_with(p, (*seg, 6), [n, n + 1]))),
        ("root past end", lambda blob, p, n: _reblob(_with(p, ("page", "root"), [0, n + 1]))),
        ("void close odd", lambda blob, p, n: _reblob(_with(p, ("page", "head", 5), "<"))),
        ("decompression bomb", lambda blob, p, n: zlib.compress(b" " * (n * 200 + 2**24))),
    ]


@pytest.mark.parametrize(("damage", "build"), _mutations(), ids=[m[0] for m in _mutations()])
def test_a_damaged_or_crafted_file_is_a_miss(
    damage: str,
    build: Callable[[bytes, dict[str, Any], int], bytes],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    data = _ARTICLE
    blob, payload = _blob(data)
    assert payload["segments"][0][5] and payload["page"]["head"][7]
    assert unpack(blob, "k", data) == html_stage.segment(data)  # the genuine one is a hit
    damaged = build(blob, payload, len(html_stage.read_text(data)))
    with caplog.at_level(logging.INFO, logger="l10n.pipeline.segments"):
        assert unpack(damaged, "k", data) is None
    # Through the pipeline: the article is segmented again.
    (tmp_path / "l10n.toml").write_text('languages = ["es"]\n', encoding="utf-8")
    config = load_project(tmp_path)
    segment_article(config, "a.html", data, "sha")
    for path in (tmp_path / ".l10n" / "segments").rglob("*.z"):
        path.write_bytes(damaged)
    assert segment_article(config, "a.html", data, "sha") == html_stage.segment(data)


def test_a_damaged_file_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    data = _ARTICLE
    with caplog.at_level(logging.INFO, logger="l10n.pipeline.segments"):
        assert unpack(b"garbage", "k", data) is None
    assert [r.levelno for r in caplog.records] == [logging.INFO]


def test_undecodable_bytes_survive_the_cache() -> None:
    # Lone surrogates (undecodable source bytes) inside tags reach legends and names.
    data = b'<html><body><p>Caf\xe9 <b title="\xff">cr\xe8me</b> <x\xfe>y</x\xfe> br\xfbl\xe9e</p>'
    doc = html_stage.segment(data)
    assert unpack(pack("k", doc), "k", data) == doc


def _corpus_pages() -> list[Path]:
    return sorted(CORPUS.glob("*.html")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared corpus absent")
@pytest.mark.parametrize("sentences", [False, True], ids=["blocks", "sentences"])
def test_every_corpus_page_round_trips(sentences: bool) -> None:
    for page in _corpus_pages():
        data = page.read_bytes()
        fresh = html_stage.segment(data, sentences=sentences)
        assert unpack(pack("k", fresh), "k", data) == fresh, page.name

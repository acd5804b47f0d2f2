"""The review application over HTTP, against the real server (uvicorn on 127.0.0.1):
starting and stopping, the JSON API, the frames, and the front end it serves."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from cli_projects import example_project
from review_support import REPO, running, snapshot

from l10n.errors import ArticleError, ReviewError
from l10n.pipeline.project import load_project
from l10n.review import server as review_server
from l10n.review.server import ReviewServer

BRIEF = "briefs/sora-explainer.html"
COMMENTARY = "commentary/ai-initiative.html"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return example_project(tmp_path)


@pytest.fixture
def server(root: Path) -> Iterator[ReviewServer]:
    with running(root) as server:
        yield server


def call(
    server: ReviewServer, method: str, path: str, body: object = None, *, raw: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    headers = {
        "Host": server.guard.host,
        "Cookie": f"{server.guard.cookie}={server.guard.token}",
    }
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
    if method == "POST":
        headers["X-L10n-Review"] = server.guard.key
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, content


def get_json(server: ReviewServer, path: str) -> dict[str, object]:
    status, _, body = call(server, "GET", path)
    assert status == 200, body
    data = json.loads(body)
    assert isinstance(data, dict)
    return data


def blocks(po_text: str) -> list[str]:
    return po_text.split("\n\n")


# --- starting and stopping ------------------------------------------------------------


def test_serve_reports_one_url_then_stops_cleanly_on_ctrl_c(root: Path) -> None:
    script = (
        "import sys; from pathlib import Path\n"
        "from l10n.pipeline.project import load_project\n"
        "from l10n.review.server import serve\n"
        "serve(load_project(Path(sys.argv[1])), on_ready=lambda url: print(url, flush=True))\n"
        "print('stopped', flush=True)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        found = re.fullmatch(r"http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]{40,})", url)
        assert found, url
        conn = http.client.HTTPConnection("127.0.0.1", int(found[1]), timeout=10)
        conn.request("GET", f"/?token={found[2]}")
        assert conn.getresponse().status == 303
        conn.close()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert out == "stopped\n"
    assert "Traceback" not in err


def test_port_zero_gives_each_run_its_own_port_and_token(root: Path) -> None:
    project = load_project(root)
    one, two = ReviewServer(project), ReviewServer(project)
    try:
        assert one.port != two.port and 0 not in (one.port, two.port)
        assert one.guard.token != two.guard.token
        assert one.url == f"http://127.0.0.1:{one.port}/?token={one.guard.token}"
    finally:
        one.socket.close()
        two.socket.close()


def test_port_in_use_is_one_line_error(root: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        with pytest.raises(ReviewError, match=r"cannot listen on 127\.0\.0\.1:\d+"):
            ReviewServer(load_project(root), port=taken.getsockname()[1])
    finally:
        taken.close()


@pytest.mark.parametrize("host", ["10.1.2.3", "192.0.2.7", "2001:db8::1"])
def test_non_loopback_host_needs_allow_remote(root: Path, host: str) -> None:
    with pytest.raises(ReviewError, match="--allow-remote"):
        ReviewServer(load_project(root), host=host)


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_wildcard_host_is_refused_even_when_remote_is_allowed(root: Path, host: str) -> None:
    with pytest.raises(ReviewError, match="wildcard"):
        ReviewServer(load_project(root), host=host, allow_remote=True)


def test_ipv6_loopback_works(root: Path) -> None:
    try:
        with running(root, host="::1") as server:
            assert server.guard.host == f"[::1]:{server.port}"
            assert server.url.startswith(f"http://[::1]:{server.port}/?token=")
    except ReviewError as exc:  # a machine without IPv6 on the loopback
        assert "cannot listen" in str(exc)


# --- the API --------------------------------------------------------------------------


def test_index_pages_filters_and_sorts(server: ReviewServer) -> None:
    first = get_json(server, "/api/index?per_page=3")
    assert (first["total"], first["pages"], len(first["rows"])) == (8, 3, 3)  # type: ignore[arg-type]
    last = get_json(server, "/api/index?per_page=3&page=3")
    assert len(last["rows"]) == 2  # type: ignore[arg-type]
    spanish = get_json(server, "/api/index?lang=es")
    rows = spanish["rows"]
    assert isinstance(rows, list)
    assert [(r["rel"], r["lang"]) for r in rows] == [(BRIEF, "es"), (COMMENTARY, "es")]
    worst = get_json(server, "/api/index?sort=-machine")
    assert worst["rows"][0]["lang"] == "es" and worst["rows"][0]["rel"] == COMMENTARY  # type: ignore[index]
    query = get_json(server, "/api/index?q=BRIEFS")
    assert {r["rel"] for r in query["rows"]} == {BRIEF}  # type: ignore[attr-defined]
    assert call(server, "GET", "/api/index?sort=nonsense")[0] == 422
    assert call(server, "GET", "/api/index?lang=xx")[0] == 404


def test_selected_language_and_articles_narrow_the_run(root: Path) -> None:
    with pytest.raises(ArticleError, match="no such article"):
        ReviewServer(load_project(root), articles=["briefs/nothing.html"])
    named = str(root / "articles" / BRIEF)  # as a path, the way the other commands take it
    with running(root, lang="ar", articles=[named]) as server:
        found = get_json(server, "/api/index")
        assert [(r["rel"], r["lang"]) for r in found["rows"]] == [(BRIEF, "ar")]  # type: ignore[attr-defined]
        assert call(server, "GET", f"/api/article/ar/{BRIEF}")[0] == 200
        assert call(server, "GET", f"/api/article/es/{BRIEF}")[0] == 403
        assert call(server, "GET", f"/api/article/ar/{COMMENTARY}")[0] == 403


def test_article_json_and_its_frames(server: ReviewServer) -> None:
    view = get_json(server, f"/api/article/ar/{BRIEF}")
    assert "page" not in view and "source_page" not in view
    assert view["dir"] == "rtl" and view["lang"] == "ar"
    entries = view["entries"]
    assert isinstance(entries, list) and entries
    status, headers, page = call(server, "GET", str(view["frame"]))
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src 'none'" in headers["content-security-policy"]
    text = page.decode()
    marked = set(re.findall(r'data-l10n-id="([0-9a-f]+)"', text))
    on_page = {e["id"] for e in entries if e["kind"] == "text"}
    assert on_page <= marked
    assert re.search(r'<html[^>]*\bdir="rtl"', text)
    status, _, source = call(server, "GET", str(view["source_frame"]))
    assert status == 200 and b"Explainer: What is Sora?" in source
    assert set(re.findall(r'data-l10n-id="([0-9a-f]+)"', source.decode())) == marked


def test_check_runs_the_check_rules_on_the_typed_text(server: ReviewServer) -> None:
    view = get_json(server, f"/api/article/es/{BRIEF}")
    entry = next(e for e in view["entries"] if e["placeholders"])  # type: ignore[attr-defined]
    body = {"lang": "es", "rel": BRIEF, "id": entry["id"], "msgstr": entry["msgstr"]}
    status, _, clean = call(server, "POST", "/api/check", body)
    assert status == 200
    assert [f for f in json.loads(clean)["findings"] if f["severity"] == "error"] == []
    body["msgstr"] = entry["msgstr"].replace("<1>", "").replace("</1>", "")
    _, _, broken = call(server, "POST", "/api/check", body)
    assert "PH001" in {f["rule"] for f in json.loads(broken)["findings"]}


def test_save_changes_only_that_entry(root: Path, server: ReviewServer) -> None:
    po = root / "locales" / "es" / "commentary" / "ai-initiative.po"
    before = po.read_text(encoding="utf-8")
    others = snapshot(root)
    view = get_json(server, f"/api/article/es/{COMMENTARY}")
    entry = next(e for e in view["entries"] if e["state"] == "machine" and e["kind"] == "text")  # type: ignore[attr-defined]
    body = {
        "lang": "es",
        "rel": COMMENTARY,
        "id": entry["id"],
        "msgstr": "Texto revisado.",
        "approve": True,
        "version": view["version"],
        "original": entry["msgstr"],
    }
    status, _, answer = call(server, "POST", "/api/save", body)
    assert status == 200
    result = json.loads(answer)
    assert result["ok"] and result["entry"]["state"] == "reviewed"
    after = po.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(blocks(before), blocks(after), strict=True) if a != b]
    assert len(changed) == 1
    assert 'msgstr "Texto revisado."' in changed[0][1] and "#, fuzzy" not in changed[0][1]
    del others["locales/es/commentary/ai-initiative.po"]
    now = snapshot(root)
    del now["locales/es/commentary/ai-initiative.po"]
    assert now == others
    fresh = get_json(server, f"/api/article/es/{COMMENTARY}")
    assert fresh["version"] == result["version"] != view["version"]


def test_save_against_a_changed_entry_is_a_conflict_and_writes_nothing(
    root: Path, server: ReviewServer
) -> None:
    po = root / "locales" / "es" / "briefs" / "sora-explainer.po"
    view = get_json(server, f"/api/article/es/{BRIEF}")
    entry = next(e for e in view["entries"] if e["msgid"] == "OpenAI website")  # type: ignore[attr-defined]
    outside = po.read_bytes().replace(b'"Sitio web de OpenAI"', b'"Web de OpenAI"')
    po.write_bytes(outside)
    body = {
        "lang": "es",
        "rel": BRIEF,
        "id": entry["id"],
        "msgstr": "Página de OpenAI",
        "approve": False,
        "version": view["version"],
        "original": entry["msgstr"],
    }
    status, _, answer = call(server, "POST", "/api/save", body)
    assert status == 200
    result = json.loads(answer)
    assert result["conflict"] and not result["ok"]
    assert result["entry"]["msgstr"] == "Web de OpenAI"
    assert po.read_bytes() == outside


@pytest.mark.parametrize(
    ("raw", "status"),
    [(b"not json", 400), (b"[1, 2]", 400), (b'{"lang": "es"}', 400), (b"{" * 10, 400)],
)
def test_bad_requests_write_nothing(
    root: Path, server: ReviewServer, raw: bytes, status: int
) -> None:
    before = snapshot(root)
    assert call(server, "POST", "/api/save", raw=raw)[0] == status
    assert snapshot(root) == before


# --- the front end ---------------------------------------------------------------------


def test_front_end_is_package_data_and_works_offline() -> None:
    folder = resources.files("l10n.review") / "assets"
    names = {*review_server.ASSETS, *review_server.SHELLS}
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["l10n.review"]
    for name in names:
        text = (folder / name).read_text(encoding="utf-8")
        assert any(Path(name).match(Path(g).name) for g in globs), name
        # No CDN, no network: every URL the front end uses is the server's own.
        assert not re.search(r"(?<![\w.])(https?:)?//[a-z]", text, re.IGNORECASE), name
        # Text from catalogs is put in as text, never parsed as markup.
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", text)


def test_shell_pages_carry_the_post_key_and_assets_are_whitelisted(server: ReviewServer) -> None:
    status, headers, page = call(server, "GET", f"/article/es/{BRIEF}")
    assert status == 200
    assert f'content="{server.guard.key}"'.encode() in page
    assert server.guard.token.encode() not in page
    assert "script-src 'self'" in headers["content-security-policy"]
    status, headers, _ = call(server, "GET", "/assets/article.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert call(server, "GET", "/assets/server.py")[0] == 404
    assert call(server, "GET", "/assets/index.html")[0] == 404


def test_warm_counts_before_serving_and_leaves_errors_to_the_index(root: Path) -> None:
    server = ReviewServer(load_project(root))
    try:
        server.warm(jobs=2)
        state = root / ".l10n" / "state.sqlite3"
        assert state.is_file()  # the counts are cached for the index
        po = root / "locales" / "fr" / "briefs" / "sora-explainer.po"
        po.write_bytes(b'msgid "x"\nmsgstr "\\q"\n')
        server.warm(jobs=2)  # a broken catalog does not stop the start
    finally:
        server.socket.close()
    with running(root) as live:
        status, _, body = call(live, "GET", "/api/index")
        assert status == 200
        rows = {(r["rel"], r["lang"]): r for r in json.loads(body)["rows"]}
        broken = rows[(BRIEF, "fr")]
        assert broken["gate"] == "held" and broken["blocked"]

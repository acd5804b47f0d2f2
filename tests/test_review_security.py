"""The review server's door, over HTTP against the real server (uvicorn on 127.0.0.1):
token, cookie, POST header, Host, Origin and paths.  Every refusal is a 403 that writes
nothing; each test also shows the same request with the right credentials succeeding, so
the 403 is the check's doing, not a broken route."""

from __future__ import annotations

import http.client
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_projects import example_project
from review_support import running, snapshot

from l10n.review.server import ReviewServer

ARTICLE = "briefs/sora-explainer.html"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return example_project(tmp_path)


@pytest.fixture
def server(root: Path) -> Iterator[ReviewServer]:
    with running(root) as server:
        yield server


def send(
    server: ReviewServer,
    method: str,
    path: str,
    *,
    host: str | None = None,
    cookie: bool = True,
    key: bool | str = True,
    headers: dict[str, str] | None = None,
    body: object = None,
) -> http.client.HTTPResponse:
    """One raw request: the path goes out exactly as written (no normalizing)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    if host != "":
        conn.putheader("Host", server.guard.host if host is None else host)
    if cookie:
        conn.putheader("Cookie", f"{server.guard.cookie}={server.guard.token}")
    if method == "POST" and key:
        conn.putheader("X-L10n-Review", server.guard.key if key is True else key)
    data = b""
    if body is not None:
        data = json.dumps(body).encode()
        conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        conn.putheader(name, value)
    conn.endheaders(data)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def fetch(server: ReviewServer, path: str, **options: object) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request(
        "GET",
        path,
        headers={
            "Host": server.guard.host,
            "Cookie": f"{server.guard.cookie}={server.guard.token}",
        },
    )
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def first_entry(server: ReviewServer, lang: str = "es") -> dict[str, object]:
    status, body = fetch(server, f"/api/article/{lang}/{ARTICLE}")
    assert status == 200, body
    view = json.loads(body)
    entry = next(e for e in view["entries"] if e["kind"] == "text" and e["msgstr"])
    return {"version": view["version"], **entry}


def save_body(entry: dict[str, object], msgstr: str, **changes: object) -> dict[str, object]:
    body = {
        "lang": "es",
        "rel": ARTICLE,
        "id": entry["id"],
        "msgstr": msgstr,
        "approve": False,
        "version": entry["version"],
        "original": entry["msgstr"],
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    "path", ["/", "/api/index", "/assets/article.js", f"/api/article/es/{ARTICLE}"]
)
def test_no_token_is_403(server: ReviewServer, path: str) -> None:
    assert send(server, "GET", path, cookie=False).status == 403
    assert send(server, "GET", path).status == 200


def test_token_in_url_becomes_a_cookie_and_leaves_the_url(server: ReviewServer) -> None:
    response = send(server, "GET", f"/?lang=es&token={server.guard.token}&page=2", cookie=False)
    assert response.status == 303
    assert response.getheader("Location") == "/?lang=es&page=2"
    cookie = response.getheader("Set-Cookie")
    assert cookie is not None
    parts = [part.strip() for part in cookie.split(";")]
    assert parts[0] == f"{server.guard.cookie}={server.guard.token}"
    assert "HttpOnly" in parts and "SameSite=Strict" in parts and "Path=/" in parts
    assert response.getheader("Referrer-Policy") == "no-referrer"


def test_wrong_token_in_url_is_403_and_sets_no_cookie(server: ReviewServer) -> None:
    response = send(server, "GET", "/?token=guess", cookie=False)
    assert response.status == 403
    assert response.getheader("Set-Cookie") is None
    wrong = send(server, "GET", "/", cookie=False, headers={"Cookie": f"{server.guard.cookie}=x"})
    assert wrong.status == 403


def test_two_servers_do_not_share_a_cookie(root: Path, server: ReviewServer) -> None:
    with running(root) as other:
        assert other.guard.cookie != server.guard.cookie
        assert other.guard.token != server.guard.token
        stolen = {"Cookie": f"{other.guard.cookie}={server.guard.token}"}
        assert send(other, "GET", "/", cookie=False, headers=stolen).status == 403


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:{port}", "localhost:{port}", "127.0.0.1", "127.0.0.1:1"],
)
def test_foreign_host_is_403(server: ReviewServer, host: str) -> None:
    """DNS rebinding: a hostile name pointed at 127.0.0.1 sends its own name as Host."""
    response = send(server, "GET", "/api/index", host=host.format(port=server.port))
    assert response.status == 403


def test_missing_host_is_refused(server: ReviewServer) -> None:
    # h11 answers 400 itself (HTTP/1.1 requires Host); either way the app never runs.
    assert send(server, "GET", "/api/index", host="").status in {400, 403}


def test_foreign_host_cannot_write(root: Path, server: ReviewServer) -> None:
    entry = first_entry(server)
    before = snapshot(root)
    body = save_body(entry, "cambiado")
    assert send(server, "POST", "/api/save", host="evil.example", body=body).status == 403
    assert snapshot(root) == before


def test_post_needs_the_page_header(root: Path, server: ReviewServer) -> None:
    entry = first_entry(server)
    before = snapshot(root)
    body = save_body(entry, "cambiado")
    assert send(server, "POST", "/api/save", key=False, body=body).status == 403
    assert send(server, "POST", "/api/save", key="1", body=body).status == 403
    assert send(server, "POST", "/api/save", key=server.guard.token, body=body).status == 403
    assert send(server, "POST", "/api/save", cookie=False, body=body).status == 403
    url = f"/api/save?token={server.guard.token}"
    assert send(server, "POST", url, cookie=False, key=False, body=body).status == 403
    assert snapshot(root) == before
    assert send(server, "POST", "/api/save", body=body).status == 200
    assert snapshot(root) != before


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:{port}"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_post_from_another_origin_is_403(
    root: Path, server: ReviewServer, headers: dict[str, str]
) -> None:
    entry = first_entry(server)
    before = snapshot(root)
    given = {name: value.format(port=server.port) for name, value in headers.items()}
    body = save_body(entry, "cambiado")
    assert send(server, "POST", "/api/save", headers=given, body=body).status == 403
    assert snapshot(root) == before
    same = {"Origin": server.guard.origin, "Sec-Fetch-Site": "same-origin"}
    assert send(server, "POST", "/api/save", headers=same, body=body).status == 200


@pytest.mark.parametrize("method", ["PUT", "DELETE", "OPTIONS", "PATCH"])
def test_other_methods_are_403(server: ReviewServer, method: str) -> None:
    assert send(server, method, "/api/save").status == 403


@pytest.mark.parametrize(
    "path",
    [
        "/api/article/es/../../l10n.toml",
        "/api/article/es/briefs/../../../etc/passwd",
        "/api/article/es/%2e%2e/%2e%2e/l10n.toml",
        "/api/article/es/briefs%2Fsora-explainer.html",
        "/api/article/es/%2Fetc%2Fpasswd",
        "/api/article/es//etc/passwd",
        "/api/article/es/briefs%5csora-explainer.html",
        "/frame/page/es/../../../l10n.toml",
        "/assets/../server.py",
        "/assets/%2e%2e%2fserver.py",
        "//evil.example/",
    ],
)
def test_paths_leaving_the_project_are_refused(server: ReviewServer, path: str) -> None:
    assert send(server, "GET", path).status == 403


def test_token_redirect_never_leaves_the_server(server: ReviewServer) -> None:
    response = send(server, "GET", f"//evil.example/?token={server.guard.token}", cookie=False)
    assert response.status == 403
    assert response.getheader("Location") is None


@pytest.mark.parametrize(
    "rel", ["../l10n.toml", "/etc/passwd", "briefs/../../l10n.toml", "briefs\\sora-explainer.html"]
)
def test_saves_outside_the_articles_are_refused(root: Path, server: ReviewServer, rel: str) -> None:
    entry = first_entry(server)
    before = snapshot(root)
    response = send(server, "POST", "/api/save", body=save_body(entry, "x", rel=rel))
    assert response.status == 403
    assert send(server, "POST", "/api/check", body=save_body(entry, "x", rel=rel)).status == 403
    assert snapshot(root) == before


def test_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = example_project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.html"
    secret.write_text("<html><body><p>Secret text here.</p></body></html>", encoding="utf-8")
    os.symlink(secret, root / "articles" / "briefs" / "secret.html")
    os.symlink(outside, root / "locales" / "es" / "linked")
    before, outside_before = snapshot(root), snapshot(outside)
    with running(root) as server:
        for path in (
            "/api/article/es/briefs/secret.html",
            "/frame/page/es/briefs/secret.html",
            "/frame/source/es/briefs/secret.html",
        ):
            status, body = fetch(server, path)
            assert status == 403
            assert b"Secret text" not in body
        body = {
            "lang": "es",
            "rel": "briefs/secret.html",
            "id": "0" * 16,
            "msgstr": "x",
            "approve": True,
            "version": "",
            "original": "",
        }
        assert send(server, "POST", "/api/save", body=body).status == 403
        status, listing = fetch(server, "/api/index")
        assert b"secret" not in listing
    assert snapshot(root) == before
    assert snapshot(outside) == outside_before


def test_frame_is_sandboxed_and_scriptless(server: ReviewServer) -> None:
    response = send(server, "GET", f"/frame/page/es/{ARTICLE}")
    assert response.status == 200
    policy = response.getheader("Content-Security-Policy") or ""
    words = [d.split() for d in policy.split(";") if d.strip()]
    directives = {w[0]: w[1:] for w in words}
    assert directives["script-src"] == ["'none'"]
    assert directives["connect-src"] == ["'none'"]
    assert directives["sandbox"] == ["allow-same-origin"]
    assert directives["form-action"] == ["'none'"]
    page = send(server, "GET", "/")
    assert "frame-ancestors 'none'" in (page.getheader("Content-Security-Policy") or "")

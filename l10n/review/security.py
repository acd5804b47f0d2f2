"""The review server's door: every request is checked here before any route sees it.

The server writes translators' files, and a browser will talk to anything on 127.0.0.1
that a web page tells it to, so a request must prove it comes from the review page:

* the per-run token, from the URL once (``?token=``), then from an HttpOnly, SameSite=Strict
  cookie: a page on another site can neither read it nor make the browser send it;
* on every POST, a header only the review page's script sets (``X-L10n-Review``, holding a
  key derived from the token), so no cross-site form can write; another origin cannot set
  it without a CORS preflight, which is refused;
* a ``Host`` header naming exactly the address the server was started for, so a hostile
  name re-bound to 127.0.0.1 (DNS rebinding) gets nothing, and an ``Origin``, when sent,
  of that address too;
* a path without encoded slashes or dot segments: articles are named only by their place in
  the project's own list, and nothing that could spell another file gets through.

A request failing any of these gets 403 before the application runs, so it changes nothing.
And the server listens on a loopback address unless told otherwise (``check_host``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from l10n.errors import ReviewError

HEADER = "x-l10n-review"
# The app's own pages: scripts and styles from the server only, framed by nobody.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# The page under review: sandboxed even when opened on its own, no script of any kind, no
# connection of any kind; its styles and images still load, so it looks as readers see it.
FRAME_POLICY = (
    "sandbox allow-same-origin; default-src 'none'; script-src 'none'; connect-src 'none'; "
    "style-src * 'unsafe-inline'; img-src * data:; font-src * data:; media-src *; "
    "frame-src 'none'; object-src 'none'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'self'"
)
_ENCODED = re.compile(rb"%(2f|5c|00|2e)", re.IGNORECASE)
_SAFE_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True, kw_only=True)
class Guard:
    """What a request must show: the run's token and the address the server listens on."""

    token: str
    host: str  # as the Host header must read it: "127.0.0.1:8123", "[::1]:8123"

    @property
    def origin(self) -> str:
        return f"http://{self.host}"

    @property
    def cookie(self) -> str:
        # Cookies do not keep ports apart: two servers on one machine need two names.
        return "l10n_review_" + self.host.rsplit(":", 1)[-1]

    @property
    def key(self) -> str:
        """The POST header's value: derived, so the page's script never holds the token."""
        return hmac.new(self.token.encode(), b"l10n-review-post", hashlib.sha256).hexdigest()


def new_guard(host: str, port: int) -> Guard:
    shown = f"[{host}]" if ":" in host else host
    return Guard(token=secrets.token_urlsafe(32), host=f"{shown}:{port}")


def check_host(host: str, *, allow_remote: bool) -> bool:
    """Refuse to listen where the Host check cannot work (a wildcard), or, unless
    ``allow_remote``, anywhere other machines can reach; whether ``host`` is this
    machine's loopback only."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        try:
            found = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
        except OSError as exc:
            raise ReviewError(f"--host {host}: cannot resolve ({exc})") from exc
        loopback = all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)
    else:
        if address.is_unspecified:
            raise ReviewError(
                f"--host {host}: give the one address readers will use, not a wildcard "
                "(the server checks every request's Host header against it)"
            )
        loopback = address.is_loopback
    if not loopback and not allow_remote:
        raise ReviewError(
            f"--host {host}: not a loopback address; anyone who can reach it and has the URL "
            "can edit the catalogs: add --allow-remote if that is what you want"
        )
    return loopback


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


def _headers(scope: Scope) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in scope.get("headers", ()):
        found.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    return found


def _cookies(values: Iterable[str]) -> dict[str, str]:
    jar: dict[str, str] = {}
    for header in values:
        for part in header.split(";"):
            name, sep, value = part.strip().partition("=")
            if sep:
                jar.setdefault(name, value)
    return jar


def bad_path(scope: Scope) -> str | None:
    """Why a request's path cannot be let through, or None."""
    raw: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
    if _ENCODED.search(raw):
        return "encoded slash, backslash, dot or NUL in the path"
    path: str = scope["path"]
    if path.startswith("//") or "\\" in path or "\x00" in path:
        return "malformed path"
    if any(part in {".", ".."} for part in unquote(path).split("/")):
        return "dot segment in the path"
    return None


class SecurityMiddleware:
    """ASGI middleware enforcing ``Guard`` on every HTTP request (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return  # no websockets here: closing without accepting refuses them
        headers = _headers(scope)
        reason = self._refusal(scope, headers)
        if reason is not None:
            await _forbidden(send, reason)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        if any(name == "token" for name, _ in query):
            await self._take_token(scope, query, send)
            return
        await self.app(scope, receive, _with_headers(send))

    def _refusal(self, scope: Scope, headers: dict[str, list[str]]) -> str | None:
        hosts = headers.get("host", [])
        if len(hosts) != 1 or hosts[0] != self.guard.host:
            return "wrong Host header"
        method = scope["method"]
        if method not in _SAFE_METHODS and method != "POST":
            return f"method {method} not allowed"
        origins = headers.get("origin", [])
        if origins and (len(origins) != 1 or origins[0] != self.guard.origin):
            return "request from another origin"
        site = headers.get("sec-fetch-site", [])
        if method == "POST" and site and site != ["same-origin"]:
            return "request from another site"
        reason = bad_path(scope)
        if reason is not None:
            return reason
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        tokens = [value for name, value in query if name == "token"]
        if tokens:
            if method not in _SAFE_METHODS or len(tokens) != 1:
                return "token in the URL of a POST"
            return None if _same(tokens[0], self.guard.token) else "wrong token"
        cookie = _cookies(headers.get("cookie", [])).get(self.guard.cookie)
        if cookie is None or not _same(cookie, self.guard.token):
            return "no token (open the URL the review command printed)"
        if method == "POST":
            keys = headers.get(HEADER, [])
            if len(keys) != 1 or not _same(keys[0], self.guard.key):
                return f"missing or wrong {HEADER} header"
        return None

    async def _take_token(self, scope: Scope, query: list[tuple[str, str]], send: Send) -> None:
        """Trade the URL's token for a cookie, and send the browser to the URL without it,
        so the token is not left in the address bar, the history or a shared screenshot."""
        rest = urlencode([(name, value) for name, value in query if name != "token"])
        raw: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
        location = raw.decode("latin-1") + (f"?{rest}" if rest else "")
        cookie = f"{self.guard.cookie}={self.guard.token}; HttpOnly; SameSite=Strict; Path=/"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    (b"set-cookie", cookie.encode()),
                    (b"content-length", b"0"),
                    *_COMMON,
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})


_COMMON = [
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def _with_headers(send: Send) -> Send:
    """Every response gets the common headers, and the app pages' CSP unless it set one."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            names = {name.lower() for name, _ in headers}
            headers += [item for item in _COMMON if item[0] not in names]
            if b"content-security-policy" not in names:
                headers.append((b"content-security-policy", PAGE_POLICY.encode()))
            message = {**message, "headers": headers}
        await send(message)

    return sending


async def _forbidden(send: Send, reason: str) -> None:
    body = f"403 forbidden: {reason}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"content-security-policy", PAGE_POLICY.encode()),
                *_COMMON,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

"""A forward proxy on 127.0.0.1 that answers itself, for engines whose address is fixed
(deep-translator's Google page): tests point ``HTTPS_PROXY``/``HTTP_PROXY`` at it and
nothing leaves loopback.

* ``GET http://host/path?…`` (plain http through a proxy) is answered directly;
* ``CONNECT host:443`` is answered ``200``, then the socket is wrapped in TLS with a
  certificate for ``host`` made by :func:`make_certificate` (the client trusts it through
  ``REQUESTS_CA_BUNDLE``) and the ``GET`` inside the tunnel is answered.

Answers: Google's mobile page ``/m`` (``q``, ``sl``, ``tl``) with
``<div class="result-container">`` holding :func:`mt_server.fake_translate` of ``q``.
:meth:`Proxy.script` makes the next requests misbehave: an HTTP status (``"429"``),
``"garbage"`` (a page without the result), ``"hang"`` (no answer until the proxy stops),
``"mangle"`` (placeholders dropped).  Every request is recorded in :attr:`Proxy.seen`.
"""

from __future__ import annotations

import html
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from mt_server import fake_translate, mangle


def make_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate (and its key) for ``host``, made with the openssl CLI."""
    cert, key = folder / f"{host}.crt", folder / f"{host}.key"
    subject = ["-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}"]
    files = ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            *subject,
            *files,
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@dataclass(frozen=True, kw_only=True)
class Seen:
    method: str
    url: str  # absolute: https://host/path?query inside a tunnel


class Proxy:
    def __init__(self, tls: ssl.SSLContext | None) -> None:
        self.tls = tls
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.released = threading.Event()
        self._script: list[str] = []
        self.url = ""

    def script(self, *actions: str) -> None:
        with self.lock:
            self._script.extend(actions)

    def next_action(self) -> str:
        with self.lock:
            return self._script.pop(0) if self._script else "ok"

    def gets(self) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.method == "GET"]


def _handler(proxy: Proxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        tunnel: str = ""

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _record(self, url: str) -> None:
            with proxy.lock:
                proxy.seen.append(Seen(method=self.command, url=url))

        def do_CONNECT(self) -> None:
            self._record(self.path)
            if proxy.tls is None:
                self.send_error(502)
                return
            self.send_response(200, "Connection Established")
            self.end_headers()
            self.connection = proxy.tls.wrap_socket(self.connection, server_side=True)
            self.rfile = self.connection.makefile("rb")
            self.wfile = self.connection.makefile("wb", buffering=0)
            self.tunnel = "https://" + self.path.removesuffix(":443")
            self.close_connection = False  # the GET inside the tunnel comes next

        def do_GET(self) -> None:
            url = self.path if self.path.startswith("http://") else self.tunnel + self.path
            self._record(url)
            action = proxy.next_action()
            if action == "hang":
                proxy.released.wait()
                self.close_connection = True
                return
            if action.isdigit():
                self._send(int(action), "<html><body>slow down</body></html>")
                return
            query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
            if action == "garbage":
                self._send(200, "<html><body><p>Something went wrong.</p></body></html>")
                return
            words = (mangle if action == "mangle" else fake_translate)(query.get("q", ""))
            self._send(
                200,
                '<html><body><div class="result-container">'
                f"{html.escape(words)}</div></body></html>",
            )

        def _send(self, status: int, page: str) -> None:
            body = page.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

    return Handler


@contextmanager
def serve_proxy(cert: Path | None = None, key: Path | None = None) -> Iterator[Proxy]:
    """A running :class:`Proxy` on 127.0.0.1; TLS inside tunnels with ``cert``/``key``."""
    tls: ssl.SSLContext | None = None
    if cert is not None and key is not None:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
    proxy = Proxy(tls)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
    server.daemon_threads = True
    host, port = server.server_address[:2]
    proxy.url = f"http://{host!s}:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.released.set()  # hung answers end, so the client's threads end too
        server.shutdown()
        server.server_close()
        thread.join(5)

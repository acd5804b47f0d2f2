"""A fake machine-translation server on 127.0.0.1 for tests: no test talks to the network.

It speaks just enough of these APIs:

* LibreTranslate ``POST /translate`` (``q`` a string or an array, in a JSON body, a form
  or the query string; ``libre_char_limit`` refuses larger requests as the real server's
  ``--char-limit`` does),
* Microsoft ``POST /translate?api-version=3.0`` (JSON ``[{"Text": …}]``, key in the
  ``Ocp-Apim-Subscription-Key`` header),
* Google Cloud Translation v2 ``POST /language/translate/v2`` (JSON ``q`` array),
* MyMemory ``GET /get`` (``q``, ``langpair``),
* Baidu (``q`` lines), Papago, Yandex (``text`` repeated), QCRI and OpenAI's
  ``POST /chat/completions``, answering the way each API documents,
* DeepL ``POST /v2/translate``, ``GET``/``POST /v2/glossaries`` and
  ``GET /v2/glossary-language-pairs`` (JSON bodies, key in the
  ``Authorization: DeepL-Auth-Key …`` header).

"Translation" is deterministic: letters outside ``<tags>`` and ``&entities;`` are upper-cased,
so placeholders, tokens such as ``⟦1⟧`` and XML tags come back as sent.  Every request is
recorded (method, path, query, headers, body, texts) and the largest number of requests
in flight at once is kept.  :meth:`FakeMT.script` makes the next requests misbehave:
an HTTP status, ``slow`` (answer after ``slow_seconds``), ``garbage`` (not JSON),
``shape`` (JSON without a translation), ``reply`` (a given JSON body), ``mangle`` (drop
the placeholders), ``spaces`` (put spaces inside tokens), ``reset`` (close the connection
without answering), ``truncated`` (the first half of a JSON answer), ``short`` (one
translation fewer than texts), ``die`` (stop the server: this and every later request
gets no answer), ``ok`` (answer as usual: rules are used in order, so ``ok`` rules
space out the others).  :meth:`FakeMT.hold` makes every request wait until
:meth:`FakeMT.release` (an engine that is slow for as long as a test needs).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")
_TOKEN = re.compile(r"⟦/?\d+/?⟧")


def fake_translate(text: str) -> str:
    """Upper-case everything but markup: ``"a <g id="1">b</g>"`` → ``"A <g id="1">B</g>"``."""
    return "".join(
        part if _MARKUP.fullmatch(part) else part.upper() for part in _MARKUP.split(text)
    )


def mangle(text: str) -> str:
    """What a careless engine does: placeholders and tags vanish."""
    return fake_translate(_MARKUP.sub("", _TOKEN.sub("", text)))


def spaced(text: str) -> str:
    """Spaces inside tokens, as some engines do: ``⟦1⟧`` → ``⟦ 1 ⟧``."""
    return fake_translate(_TOKEN.sub(lambda m: "⟦ " + m.group()[1:-1] + " ⟧", text))


@dataclass
class Rule:
    behaviour: str  # "status", "slow", "garbage", "shape", "mangle", "spaces", "reset"
    times: int | None  # None: every matching request
    match: str | None  # only requests with a text containing this
    path: str | None  # only requests to this path
    status: int = 0
    retry_after: str | None = None
    reply: Any = None


@dataclass
class Seen:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    texts: list[str]


@dataclass
class FakeMT:
    """The server's state; ``url`` is ``http://127.0.0.1:PORT/``."""

    delay: float = 0.0  # every request takes at least this long
    slow_seconds: float = 2.0
    libre_key: str | None = None  # when set, LibreTranslate wants this api_key
    deepl_key: str | None = None  # when set, DeepL wants this key in the header
    json_only: bool = False  # ignore the query string and form bodies
    libre_char_limit: int | None = None  # LibreTranslate's --char-limit
    # DeepL's glossary language pairs (GET /v2/glossary-language-pairs)
    glossary_pairs: tuple[tuple[str, str], ...] = (("en", "de"), ("en", "es"), ("en", "fr"))
    glossaries: list[dict[str, Any]] = field(default_factory=list)  # what DeepL holds
    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    max_in_flight: int = 0
    _in_flight: int = 0
    _rules: list[Rule] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None
    _glossaries: int = 0
    _released: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._released.set()

    def hold(self) -> None:
        """Keep every request waiting (already counted in ``seen``) until ``release``."""
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def script(
        self,
        behaviour: str | int,
        *,
        times: int | None = 1,
        match: str | None = None,
        path: str | None = None,
        retry_after: str | None = None,
        reply: Any = None,
    ) -> None:
        """Misbehave for the next ``times`` matching requests (an int is a status, with
        ``{"error": reply}`` as its body; ``"reply"`` answers 200 with the JSON ``reply``)."""
        status = behaviour if isinstance(behaviour, int) else 0
        name = "status" if isinstance(behaviour, int) else behaviour
        with self._lock:
            self._rules.append(Rule(name, times, match, path, status, retry_after, reply))

    def count(self, path: str | None = None) -> int:
        with self._lock:
            return sum(1 for s in self.seen if path is None or s.path == path)

    def texts(self, path: str | None = None) -> list[str]:
        with self._lock:
            return [t for s in self.seen if path is None or s.path == path for t in s.texts]

    # -- used by the handler --

    def _rule_for(self, path: str, texts: list[str]) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.path is not None and rule.path != path:
                    continue
                if rule.match is not None and not any(rule.match in t for t in texts):
                    continue
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self._rules.remove(rule)
                return rule
        return None

    def _enter(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _next_glossary(self) -> str:
        with self._lock:
            self._glossaries += 1
            return f"gls-{self._glossaries}"

    def stop(self) -> None:
        """Stop answering: later requests get "connection refused"."""
        self._stopping.set()
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class _Handler(BaseHTTPRequestHandler):
    server: Loopback

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        if fake.json_only and "json" not in ctype:
            # A server written to LibreTranslate's docs: it reads only a JSON body.
            params = _params("", b"", "")
        else:
            params = _params(parts.query, body, ctype)
        texts = _texts(parts.path, params)
        seen = Seen(self.command, parts.path, parts.query, dict(self.headers.items()), body, texts)
        fake._enter(seen)
        try:
            fake._released.wait(60)
            if fake.delay:
                fake._stopping.wait(fake.delay)
            self._answer(fake, parts.path, params, texts)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)
        finally:
            fake._leave()

    def _answer(self, fake: FakeMT, path: str, params: dict[str, Any], texts: list[str]) -> None:
        rule = fake._rule_for(path, texts)
        translate = fake_translate
        short = 0
        if rule is not None:
            if rule.behaviour == "status":
                headers = {"Retry-After": rule.retry_after} if rule.retry_after else {}
                payload = rule.reply if rule.reply is not None else f"scripted {rule.status}"
                self._send(rule.status, {"error": payload}, headers)
                return
            if rule.behaviour == "slow":
                fake._stopping.wait(fake.slow_seconds)
            elif rule.behaviour == "garbage":
                self._send_raw(200, b"<html>this is not json {", "application/json")
                return
            elif rule.behaviour == "reply":
                self._send(200, rule.reply)
                return
            elif rule.behaviour == "shape":
                self._send(200, {"unexpected": [1, 2, 3]})
                return
            elif rule.behaviour == "reset":
                self.close_connection = True
                return
            elif rule.behaviour == "die":
                self.close_connection = True
                threading.Thread(target=fake.stop, daemon=True).start()
                return
            elif rule.behaviour == "mangle":
                translate = mangle
            elif rule.behaviour == "spaces":
                translate = spaced
            elif rule.behaviour == "truncated":
                self._truncated = True
            elif rule.behaviour == "short":
                short = 1
        if path == "/translate" and "api-version" in params:
            self._send(
                200,
                [
                    {"translations": [{"text": translate(t), "to": "es"}]} for t in texts
                ][: len(texts) - short],
            )
        elif path == "/language/translate/v2":  # Google Cloud Translation v2
            out = [{"translatedText": translate(t)} for t in texts][: len(texts) - short]
            self._send(200, {"data": {"translations": out}})
        elif path == "/translate":
            if fake.libre_key is not None and params.get("api_key") != fake.libre_key:
                self._send(403, {"error": "Invalid API key"})
                return
            if "q" not in params:
                self._send(400, {"error": "Invalid request: missing q parameter"})
                return
            chars = sum(len(t) for t in texts)
            if fake.libre_char_limit is not None and chars > fake.libre_char_limit:
                limit = fake.libre_char_limit
                error = f"Invalid request: request ({chars}) exceeds text limit ({limit})"
                self._send(400, {"error": error})
                return
            q = params["q"]
            if isinstance(q, list):
                answer: Any = [translate(t) for t in q][: len(q) - short]
            else:
                answer = translate(str(q))
            self._send(200, {"translatedText": answer})
        elif path == "/api/trans/vip/translate":  # Baidu
            lines = (texts[0] if texts else "").split("\n")
            pairs = [{"src": src, "dst": translate(src)} for src in lines]
            self._send(200, {"from": "en", "to": "zh", "trans_result": pairs})
        elif path == "/v1/papago/n2mt":
            result = {"translatedText": translate(texts[0] if texts else "")}
            self._send(200, {"message": {"result": result}})
        elif path == "/api/v1.5/tr.json/translate":  # Yandex
            out = [translate(t) for t in texts]
            self._send(200, {"code": 200, "lang": params.get("lang"), "text": out})
        elif path == "/api/v1/translate":  # QCRI
            self._send(200, {"success": True, "translatedText": translate(texts[0])})
        elif path == "/chat/completions":  # OpenAI
            content = translate(texts[-1] if texts else "")
            self._send(200, {"choices": [{"message": {"role": "assistant", "content": content}}]})
        elif path == "/get":
            self._send(
                200,
                {
                    "responseData": {"translatedText": translate(texts[0]), "match": 1},
                    "responseStatus": 200,
                    "matches": [],
                },
            )
        elif path == "/v2/translate":
            if not self._deepl_auth(fake):
                return
            target = str(params.get("target_lang", ""))
            self._send(
                200,
                {
                    "translations": [
                        {"detected_source_language": "EN", "text": translate(t)} for t in texts
                    ][: len(texts) - short],
                    "target": target,
                },
            )
        elif path == "/v2/glossary-language-pairs":
            if not self._deepl_auth(fake):
                return
            pairs = [{"source_lang": s, "target_lang": t} for s, t in fake.glossary_pairs]
            self._send(200, {"supported_languages": pairs})
        elif path == "/v2/glossaries" and self.command == "GET":
            if not self._deepl_auth(fake):
                return
            listed = [{k: v for k, v in g.items() if k != "entries"} for g in fake.glossaries]
            self._send(200, {"glossaries": listed})
        elif path == "/v2/glossaries":
            if not self._deepl_auth(fake):
                return
            entries = str(params.get("entries", ""))
            glossary = {
                "glossary_id": fake._next_glossary(),
                "name": params.get("name"),
                "ready": True,
                "source_lang": params.get("source_lang"),
                "target_lang": params.get("target_lang"),
                "creation_time": "2024-01-01T00:00:00Z",
                "entry_count": len([line for line in entries.splitlines() if line]),
            }
            with fake._lock:
                fake.glossaries.append({**glossary, "entries": entries})
            self._send(201, glossary)
        else:
            self._send(404, {"error": "no such endpoint"})

    def _deepl_auth(self, fake: FakeMT) -> bool:
        if fake.deepl_key is None:
            return True
        if self.headers.get("Authorization") == f"DeepL-Auth-Key {fake.deepl_key}":
            return True
        self._send(403, {"message": "Wrong endpoint or key"})
        return False

    _truncated = False

    def _send(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        if self._truncated:
            body = body[: len(body) // 2]
        self._send_raw(status, body, "application/json; charset=utf-8", headers)

    def _send_raw(
        self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _params(query: str, body: bytes, ctype: str) -> dict[str, Any]:
    """Query string, then a form or JSON body, as one dict (repeated keys become lists)."""
    params: dict[str, Any] = {}
    sources = [parse_qs(query, keep_blank_values=True)]
    if body and "json" not in ctype:
        sources.append(parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
    for source in sources:
        for key, values in source.items():
            params[key] = values[0] if len(values) == 1 else values
    if body and "json" in ctype:
        try:
            loaded = json.loads(body)
        except ValueError:
            loaded = None
        if isinstance(loaded, dict):
            params.update(loaded)
        elif isinstance(loaded, list):
            params["_json"] = loaded
    return params


def _texts(path: str, params: dict[str, Any]) -> list[str]:
    if isinstance(params.get("_json"), list):  # Microsoft
        items = [i for i in params["_json"] if isinstance(i, dict)]
        return [str(i.get("Text", i.get("text"))) for i in items]
    if path == "/chat/completions":
        messages = params.get("messages") or []
        return [str(m.get("content")) for m in messages if isinstance(m, dict)][-1:]
    value = params.get("q", params.get("text"))
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


class Loopback(ThreadingHTTPServer):
    """A threaded HTTP server on a free 127.0.0.1 port; handlers find their fake as
    ``self.server.fake``."""

    daemon_threads = True

    def __init__(self, fake: Any, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.fake = fake

    @property
    def port(self) -> int:
        return int(self.server_address[1])


@contextmanager
def in_thread(server: Loopback, stop: Callable[[], None]) -> Iterator[None]:
    """Serve ``server`` from a thread for the ``with`` block, then ``stop`` it."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield
    finally:
        stop()
        thread.join(timeout=5)


@contextmanager
def serve(**options: Any) -> Iterator[FakeMT]:
    """Run a :class:`FakeMT` on a free loopback port for the ``with`` block."""
    fake = FakeMT(**options)
    server = Loopback(fake, _Handler)
    fake._server = server
    fake.url = f"http://127.0.0.1:{server.port}/"
    with in_thread(server, fake.stop):
        yield fake


def wait_until(predicate: Any, timeout: float = 2.0) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` passes."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def loopback_only(monkeypatch: Any) -> list[str]:
    """Make any connection or DNS lookup to a host other than loopback fail (and be
    listed in the returned list), and drop proxy settings; for an autouse fixture."""
    import socket

    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in LOOPBACK:
            attempts.append(str(host))
            raise OSError(f"test tried to reach {host}")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOOPBACK:
            attempts.append(str(host))
            raise OSError(f"test tried to look up {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    return attempts


class Sleeps(list[float]):
    """A ``sleep`` stand-in that records the backoff delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

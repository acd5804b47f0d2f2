"""A fake OpenAI-compatible chat server on 127.0.0.1, for the ``openai`` engine's tests.

It reads what the engine sends (``POST /v1/chat/completions``, the user message being
``{"entries": [{"id", "text", "tags", "terms", "keep"}]}``) and answers the way the
engine asks (``{"items": [{"id", "text"}]}`` in ``choices[0].message.content``), with a
``usage`` block.  "Translation" upper-cases words outside placeholders and then uses the
glossary's terms as the request states them, so an answer holds a term only if the
request carried it.

:meth:`FakeChat.script` makes the next requests misbehave: an HTTP status (with
``Retry-After``), ``reorder`` (items backwards), ``drop``, ``damage`` or ``ignore_terms``
(the items whose text contains ``match``: left out, their placeholders removed, or
without the glossary's terms), ``extra`` (an item with an id nobody asked for),
``garbage`` (content that is not JSON), ``fence`` (JSON in a Markdown code fence),
``echo`` (500 whose message repeats the request's key).
``reject_schema`` answers 400 to every request that asks for a JSON schema;
``max_items`` cuts off (``finish_reason: "length"``) any answer with more items;
``die_after`` stops the server once it has answered that many requests.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from mt_server import Loopback, fake_translate, in_thread

_TAG = re.compile(r"</?\d+/?>")


def fake_chat_translate(item: dict[str, Any]) -> str:
    text = fake_translate(str(item["text"]))
    for term in item.get("terms", []):
        text = text.replace(fake_translate(term["source"]), term["target"])
    for word in item.get("keep", []):
        text = text.replace(fake_translate(word), word)
    return text


@dataclass
class Rule:
    behaviour: str
    times: int
    match: str | None
    status: int = 0
    retry_after: str | None = None


@dataclass
class Asked:
    headers: dict[str, str]
    query: str
    body: dict[str, Any]

    @property
    def entries(self) -> list[dict[str, Any]]:
        content = self.body["messages"][-1]["content"]
        return list(json.loads(content)["entries"])

    @property
    def system(self) -> str:
        return str(self.body["messages"][0]["content"])


@dataclass
class FakeChat:
    reject_schema: bool = False
    max_items: int | None = None
    die_after: int | None = None  # stop listening once this many requests are answered
    url: str = ""  # http://127.0.0.1:PORT/v1
    asked: list[Asked] = field(default_factory=list)
    usage: list[tuple[int, int]] = field(default_factory=list)  # (prompt, completion)
    _rules: list[Rule] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    def script(
        self,
        behaviour: str | int,
        *,
        times: int = 1,
        match: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        status = behaviour if isinstance(behaviour, int) else 0
        name = "status" if isinstance(behaviour, int) else behaviour
        with self._lock:
            self._rules.append(Rule(name, times, match, status, retry_after))

    def count(self) -> int:
        with self._lock:
            return len(self.asked)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _rule(self, texts: list[str]) -> Rule | None:
        with self._lock:
            for rule in self._rules:
                if rule.match is not None and not any(rule.match in t for t in texts):
                    continue
                rule.times -= 1
                if rule.times <= 0:
                    self._rules.remove(rule)
                return rule
        return None


class _Handler(BaseHTTPRequestHandler):
    server: Loopback

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        fake = self.server.fake
        path, _, query = self.path.partition("?")
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        asked = Asked(dict(self.headers.items()), query, body)
        with fake._lock:
            fake.asked.append(asked)
        if path != "/v1/chat/completions":
            self._send(404, {"error": {"message": "no such endpoint"}})
            return
        wanted = (body.get("response_format") or {}).get("type")
        if fake.reject_schema and wanted == "json_schema":
            message = "response_format of type json_schema is not supported by this server"
            self._send(400, {"error": {"message": message}})
            return
        entries = asked.entries
        rule = fake._rule([str(e["text"]) for e in entries])
        items = [{"id": e["id"], "text": fake_chat_translate(e)} for e in entries]
        content: str | None = None
        if rule is not None:
            hit = [rule.match is None or rule.match in str(e["text"]) for e in entries]
            if rule.behaviour == "status":
                headers = {"Retry-After": rule.retry_after} if rule.retry_after else {}
                self._send(rule.status, {"error": {"message": f"scripted {rule.status}"}}, headers)
                return
            if rule.behaviour == "echo":
                key = self.headers.get("Authorization") or self.headers.get("api-key") or ""
                self._send(500, {"error": {"message": f"internal error for key {key}"}})
                return
            if rule.behaviour == "reorder":
                items.reverse()
            elif rule.behaviour == "drop":
                items = [i for i, h in zip(items, hit, strict=True) if not h]
            elif rule.behaviour == "damage":
                for item, h in zip(items, hit, strict=True):
                    if h:
                        item["text"] = _TAG.sub("", item["text"])
            elif rule.behaviour == "ignore_terms":
                for item, e, h in zip(items, entries, hit, strict=True):
                    if h:
                        item["text"] = fake_translate(str(e["text"]))
            elif rule.behaviour == "extra":
                items.append({"id": "nobody-asked", "text": "EXTRA"})
            elif rule.behaviour == "garbage":
                content = '{"items": [{"id": "1", "text": "unterminated'
            elif rule.behaviour == "fence":
                content = "```json\n" + json.dumps({"items": items}) + "\n```"
        finish = "stop"
        if content is None:
            content = json.dumps({"items": items}, ensure_ascii=False)
            if fake.max_items is not None and len(items) > fake.max_items:
                content, finish = content[: len(content) // 2], "length"
        prompt = len(json.dumps(body["messages"])) // 4
        completion = len(content) // 4 + 1
        with fake._lock:
            fake.usage.append((prompt, completion))
            last = fake.die_after is not None and len(fake.usage) >= fake.die_after
        if last:
            # Stop listening before this answer goes out, so the client's next request
            # is refused, never accepted by a server about to go away.
            self.server.socket.close()
        self._send(
            200,
            {
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "model": body.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": finish,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "total_tokens": prompt + completion,
                },
            },
        )
        if last:
            self.wfile.flush()
            fake.stop()  # killed halfway: later requests find nobody listening

    def _send(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def serve_chat(**options: Any) -> Iterator[FakeChat]:
    """Run a :class:`FakeChat` on a free loopback port for the ``with`` block."""
    fake = FakeChat(**options)
    server = Loopback(fake, _Handler)
    fake._server = server
    fake.url = f"http://127.0.0.1:{server.port}/v1"
    with in_thread(server, fake.stop):
        yield fake

"""``l10n review``: the review web application, a Starlette app on uvicorn.

Every request passes ``security.SecurityMiddleware`` first.  The routes only turn HTTP
into calls of ``l10n.pipeline.reviewing`` (which reads and writes the files) and its
records into JSON; the front end is the plain HTML, CSS and JavaScript of ``assets/``.

The page under review is served at its own URL (``/frame/…``) with a policy that
sandboxes it and forbids every script and connection, and the review page shows it in
an ``<iframe sandbox="allow-same-origin">``: same origin, so the review page's script can
mark and select segments in it, but no script of the article ever runs to use that.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import socket
import threading
import webbrowser
from collections import OrderedDict
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any
from urllib.parse import quote

import uvicorn
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from l10n.errors import L10nError, ReviewError
from l10n.pipeline import reviewing
from l10n.pipeline.project import Project, find_articles
from l10n.review.model import ArticleView, IndexPage, SaveResult
from l10n.review.security import (
    FRAME_POLICY,
    Guard,
    SecurityMiddleware,
    check_host,
    new_guard,
)

ASSETS = {
    "review.css": "text/css; charset=utf-8",
    "frame.css": "text/css; charset=utf-8",
    "common.js": "text/javascript; charset=utf-8",
    "index.js": "text/javascript; charset=utf-8",
    "article.js": "text/javascript; charset=utf-8",
}
SHELLS = ("index.html", "article.html")
MAX_BODY = 4 * 1024 * 1024  # a msgstr is a paragraph, not a file
_VIEWS_KEPT = 4  # article views kept for their frames (a 1.5 MB page is costly to redo)


def _asset(name: str) -> bytes:
    return (resources.files("l10n.review") / "assets" / name).read_bytes()


def _json(data: object, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def _error(message: str, status: int) -> JSONResponse:
    return _json({"error": message}, status)


def _article_json(view: ArticleView) -> dict[str, Any]:
    data = dataclasses.asdict(view)
    del data["page"], data["source_page"]
    return data


class _App:
    """The routes, bound to one project and one run's guard."""

    def __init__(
        self,
        project: Project,
        guard: Guard,
        *,
        lang: str | None,
        articles: Sequence[str],
    ) -> None:
        self.project = project
        self.guard = guard
        self.lang = lang
        self.articles = frozenset(articles)
        self.languages = frozenset(project.config.languages)
        self.views: OrderedDict[tuple[str, str], ArticleView] = OrderedDict()
        self.views_lock = threading.Lock()
        # One save at a time: two tabs saving one catalog must not interleave.
        self.write_lock = threading.Lock()
        # One index count at a time: the first counts every catalog (then cached), and a
        # second request meanwhile should find that cache rather than count again.
        self.index_lock = threading.Lock()
        self.shells = {
            name: _asset(name).replace(b"__L10N_KEY__", guard.key.encode()) for name in SHELLS
        }

    def routes(self) -> list[Route]:
        return [
            Route("/", self.index_page, methods=["GET"]),
            Route("/article/{lang}/{rel:path}", self.article_page, methods=["GET"]),
            Route("/frame/{side}/{lang}/{rel:path}", self.frame, methods=["GET"]),
            Route("/assets/{name}", self.asset, methods=["GET"]),
            Route("/api/index", self.api_index, methods=["GET"]),
            Route("/api/article/{lang}/{rel:path}", self.api_article, methods=["GET"]),
            Route("/api/check", self.api_check, methods=["POST"]),
            Route("/api/save", self.api_save, methods=["POST"]),
        ]

    # --- what a request may name ---------------------------------------------------

    def _refused(self, lang: str, rel: str) -> str | None:
        """Why ``lang``/``rel`` is not something this run reviews (the pipeline checks
        ``rel`` against the project's own article list as well)."""
        if lang not in self.languages or (self.lang is not None and lang != self.lang):
            return f"{lang}: not a language under review"
        parts = rel.split("/")
        if not rel or rel.startswith("/") or any(p in {"", ".", ".."} for p in parts):
            return f"{rel}: not an article of the project"
        if "\\" in rel or "\x00" in rel or (self.articles and rel not in self.articles):
            return f"{rel}: not an article under review"
        return None

    async def _forbidden(self, lang: str, rel: str) -> str | None:
        """Why a request may not name ``lang``/``rel``: only the project's own articles,
        as the pipeline lists them, may be read or written (403 for anything else, be
        it a path out of the project, a link out of it or a file that is no article)."""
        reason = self._refused(lang, rel)
        if reason is not None:
            return reason
        try:
            await run_in_threadpool(reviewing.resolve, self.project, rel, lang)
        except L10nError as exc:
            return str(exc)
        return None

    async def _view(self, lang: str, rel: str, version: str | None = None) -> ArticleView:
        with self.views_lock:
            view = self.views.get((lang, rel))
        if view is not None and version is not None and view.version == version:
            return view
        view = await run_in_threadpool(reviewing.review_article, self.project, rel, lang)
        with self.views_lock:
            self.views[(lang, rel)] = view
            self.views.move_to_end((lang, rel))
            while len(self.views) > _VIEWS_KEPT:
                self.views.popitem(last=False)
        return view

    # --- pages ---------------------------------------------------------------------

    async def index_page(self, request: Request) -> Response:
        return Response(self.shells["index.html"], media_type="text/html; charset=utf-8")

    async def article_page(self, request: Request) -> Response:
        return Response(self.shells["article.html"], media_type="text/html; charset=utf-8")

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return Response("not found\n", status_code=404, media_type="text/plain")
        return Response(_asset(name), media_type=ASSETS[name])

    async def frame(self, request: Request) -> Response:
        side, lang, rel = (request.path_params[k] for k in ("side", "lang", "rel"))
        if side not in {"page", "source"}:
            return Response("no such view\n", status_code=404, media_type="text/plain")
        reason = await self._forbidden(lang, rel)
        if reason is not None:
            return Response(f"{reason}\n", status_code=403, media_type="text/plain")
        try:
            view = await self._view(lang, rel, request.query_params.get("v"))
        except L10nError as exc:
            return Response(f"{exc}\n", status_code=404, media_type="text/plain")
        page = view.page if side == "page" else view.source_page
        return Response(
            page.encode("utf-8"),
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": FRAME_POLICY},
        )

    # --- the API -------------------------------------------------------------------

    async def api_index(self, request: Request) -> Response:
        params = request.query_params
        lang = params.get("lang") or self.lang
        if lang is not None and lang not in self.languages:
            return _error(f"{lang}: not a language of the project", 404)
        try:
            page = int(params.get("page", "1"))
            per_page = min(max(int(params.get("per_page", "50")), 1), 500)
        except ValueError:
            return _error("page and per_page are numbers", 400)

        def index() -> IndexPage:
            with self.index_lock:
                return reviewing.review_index(
                    self.project,
                    lang=lang,
                    query=params.get("q", ""),
                    page=max(page, 1),
                    per_page=per_page,
                    sort=params.get("sort", "rel"),
                    articles=tuple(sorted(self.articles)),
                )

        try:
            found = await run_in_threadpool(index)
        except L10nError as exc:
            return _error(str(exc), 422)
        data = dataclasses.asdict(found)
        data["pages"] = found.pages
        return _json(data)

    async def api_article(self, request: Request) -> Response:
        lang, rel = request.path_params["lang"], request.path_params["rel"]
        reason = await self._forbidden(lang, rel)
        if reason is not None:
            return _error(reason, 403)
        try:
            view = await self._view(lang, rel)
        except L10nError as exc:
            return _error(str(exc), 404)
        data = _article_json(view)
        data["frame"] = _frame_url("page", lang, rel, view.version)
        data["source_frame"] = _frame_url("source", lang, rel, view.version)
        return _json(data)

    async def _body(self, request: Request, fields: dict[str, type]) -> dict[str, Any] | Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _error("send JSON", 415)
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_BODY:
                return _error("request too large", 413)
        try:
            data = json.loads(raw)
        except ValueError:
            return _error("not JSON", 400)
        if not isinstance(data, dict):
            return _error("send a JSON object", 400)
        for name, kind in fields.items():
            if not isinstance(data.get(name), kind):
                return _error(f"{name}: missing or of the wrong type", 400)
        reason = await self._forbidden(data["lang"], data["rel"])
        if reason is not None:
            return _error(reason, 403)
        return data

    async def api_check(self, request: Request) -> Response:
        data = await self._body(request, {"lang": str, "rel": str, "id": str, "msgstr": str})
        if isinstance(data, Response):
            return data
        try:
            findings = await run_in_threadpool(
                reviewing.review_check,
                self.project,
                data["rel"],
                data["lang"],
                data["id"],
                data["msgstr"],
            )
        except L10nError as exc:
            return _error(str(exc), 404)
        return _json({"findings": [dataclasses.asdict(f) for f in findings]})

    async def api_save(self, request: Request) -> Response:
        data = await self._body(
            request,
            {
                "lang": str,
                "rel": str,
                "id": str,
                "msgstr": str,
                "approve": bool,
                "version": str,
                "original": str,
            },
        )
        if isinstance(data, Response):
            return data

        def save() -> SaveResult:
            with self.write_lock:
                return reviewing.review_save(
                    self.project,
                    data["rel"],
                    data["lang"],
                    data["id"],
                    data["msgstr"],
                    approve=data["approve"],
                    version=data["version"],
                    original=data["original"],
                )

        try:
            result = await run_in_threadpool(save)
        except L10nError as exc:
            # Nothing was written; the page keeps the typed text and shows why.
            return _error(str(exc), 409)
        return _json(dataclasses.asdict(result))


def _frame_url(side: str, lang: str, rel: str, version: str) -> str:
    return f"/frame/{side}/{quote(lang)}/{quote(rel)}?v={quote(version)}"


def create_app(
    project: Project,
    guard: Guard,
    *,
    lang: str | None = None,
    articles: Sequence[str] = (),
) -> Starlette:
    app = _App(project, guard, lang=lang, articles=articles)
    return Starlette(
        routes=app.routes(),
        middleware=[Middleware(SecurityMiddleware, guard=guard)],
    )


# --- running -------------------------------------------------------------------------


class ReviewServer:
    """A bound, not yet running review server; ``url`` is known before ``run()``."""

    def __init__(
        self,
        project: Project,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        lang: str | None = None,
        articles: Sequence[str] = (),
        allow_remote: bool = False,
    ) -> None:
        check_host(host, allow_remote=allow_remote)
        self.project = project
        # As the other commands take them (a path, or one relative to the articles
        # folder), and an unknown one is an error now rather than an empty index.
        self.articles = find_articles(project, articles).rels if articles else ()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            raise ReviewError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        self.socket = sock
        self.port: int = sock.getsockname()[1]
        self.guard = new_guard(host, self.port)
        self.url = f"{self.guard.origin}/?token={self.guard.token}"
        app = create_app(project, self.guard, lang=lang, articles=self.articles)
        config = uvicorn.Config(
            app,
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=3,
        )
        self._server = uvicorn.Server(config)

    @property
    def started(self) -> bool:
        return bool(self._server.started)

    def warm(self, *, jobs: int) -> None:
        """Count every catalog for the index now, over ``jobs`` processes, before serving:
        the counts are cached, so the index then reads only catalogs that change.  Done
        here because worker processes are forked, which is safe only before the server
        has threads.  A catalog that cannot be counted is left to the index to report."""
        with contextlib.suppress(L10nError):
            reviewing.review_index(self.project, per_page=1, articles=self.articles, jobs=jobs)

    def run(self) -> None:
        """Serve until Ctrl-C (or ``stop()``); returns once the server has shut down."""
        try:
            with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
                self._server.run(sockets=[self.socket])
        finally:
            self.socket.close()

    def stop(self) -> None:
        self._server.should_exit = True


def serve(
    project: Project,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    lang: str | None = None,
    articles: Sequence[str] = (),
    open_browser: bool = False,
    allow_remote: bool = False,
    on_ready: Callable[[str], None] | None = None,
    jobs: int = 1,
) -> None:
    """Serve the review application until Ctrl-C.  ``on_ready`` gets the URL (with the
    run's token) once the address is bound, before the first request can arrive;
    ``jobs``: worker processes for the first count of every catalog, done before serving."""
    server = ReviewServer(
        project,
        host=host,
        port=port,
        lang=lang,
        articles=articles,
        allow_remote=allow_remote,
    )
    if on_ready is not None:
        on_ready(server.url)
    try:
        # The address is bound: a browser opened now waits in the queue until serving.
        if jobs > 1:
            server.warm(jobs=jobs)
    except KeyboardInterrupt:
        server.socket.close()
        return
    if open_browser:
        webbrowser.open(server.url)
    server.run()

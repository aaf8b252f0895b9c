"""The HTTP server: `create_app()` builds the FastAPI app, `serve()` runs it with uvicorn.

One process holds everything that is expensive to load, once: the taxonomy and the engine's
caches are warmed when the server starts (so the first request is as fast as the next), and
the catalog and embedding model are opened on the first request that needs them (so a server
used only for prompts never loads them). See `catalog_access` for how threads share them.

`serve(workers=N)` runs N such processes on one listening socket (see `_Workers`): answering
is CPU-bound Python, so one process uses one core whatever its threads do.

Loopback only: `serve()` refuses any other address, and the app answers only requests whose
Host header is a loopback name, so a web page cannot reach it through DNS rebinding.

What a client may cost is bounded (`limits.ServerLimits`): the headers and the body must
arrive within their deadlines, open connections are capped, and a request that gets no
answer within its budget is answered 503. Every response carries a Content-Security-Policy
and the other security headers (`middleware.SecurityHeaders`).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
from fastapi import FastAPI, Response
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from uvicorn.supervisors import Multiprocess

from scholarflow import __version__
from scholarflow.errors import ConfigurationError, InputError
from scholarflow.server import api, openai_api
from scholarflow.server.catalog_access import CatalogAccess
from scholarflow.server.errors import install_error_handlers
from scholarflow.server.limits import GuardedH11Protocol, ServerLimits, guarded_protocol
from scholarflow.server.middleware import (
    BearerToken,
    BodySizeLimit,
    RequestBudget,
    SecurityHeaders,
)

TOKEN_ENV = "SCHOLARFLOW_SERVER_TOKEN"
DEFAULT_PORT = 8321
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
STATIC = Path(__file__).parent / "static"
# Swagger UI's files, fetched by scripts/fetch-swagger-ui.sh (make setup), not committed.
SWAGGER_UI = STATIC / "vendor" / "swagger-ui"
# Open without the token: liveness, and the API's description (public in the source anyway;
# the docs page needs it to load, and its "Authorize" button then sends the token). The page
# and its files hold nothing private; its API calls carry the token like any client's.
OPEN_PATHS = ("/health", "/docs", "/openapi.json", "/")
OPEN_PREFIXES = ("/static/",)

if TYPE_CHECKING:
    from scholarflow.settings import Settings
    from scholarflow.writers import Writer

log = logging.getLogger("scholarflow.server")

_DESCRIPTION = """\
Answers like an AI scientist, from the sources in the request only: the task the user
performed, how the models chain together (input → model → output), and the papers behind it.

- `POST /api/answer`: a seed-format prompt, or a question with its sources, answered as
  `scholarflow answer --format json` does (schema_version 1).
- `POST /api/ask`: a free question answered from the catalog (`scholarflow ask --format json`).
- `POST /api/answer/stream`, `POST /api/ask/stream`: the same answers as newline-delimited
  JSON, each part sent once it has passed the grounding screen.
- `GET /api/catalog/search`: ranked catalog entries.
- `/v1/chat/completions`, `/v1/models`: OpenAI-compatible, for any chat client.

When the server was started with a token, every route but `/health` (and these docs) needs
`Authorization: Bearer <token>`.
"""

# A small prompt answered once at startup: it loads the taxonomy and fills the engine's
# caches (cue matchers, compiled patterns, lazy imports) before the first real request.
_WARM_UP_PROMPT = """\
A user has asked the following question:
"My phone video became a depth video that does not flicker. How does it stay consistent?"

### Recommended AI Models:
Model: DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos
Paper: https://arxiv.org/pdf/2409.02095
GitHub: https://github.com/Tencent/DepthCrafter
"""


def _mount_page(app: FastAPI) -> None:
    """The web page at /, the API docs at /docs, their files at /static: all served from the
    package, nothing from a CDN."""
    from fastapi.responses import FileResponse
    from fastapi.staticfiles import StaticFiles

    from scholarflow.server.errors import error_response

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    # FastAPI's own /docs page loads Swagger UI from a CDN and starts it with an inline
    # script; this one loads the fetched copy and starts it from static/docs.js, so it works
    # offline and under the same Content-Security-Policy as the page.
    @app.get("/docs", include_in_schema=False, response_model=None)
    def docs() -> Response:
        if not (SWAGGER_UI / "swagger-ui-bundle.js").is_file():
            return error_response(
                "/docs",
                503,
                "the API docs page needs Swagger UI's files, which are not installed: run "
                "'make setup' or scripts/fetch-swagger-ui.sh (the API itself is at "
                "/openapi.json)",
            )
        return FileResponse(STATIC / "docs.html", media_type="text/html")


def create_app(
    *,
    catalog_path: Path | str | None = None,
    token: str | None = None,
    allowed_hosts: Iterable[str] = LOOPBACK_HOSTS,
    limits: ServerLimits | None = None,
    writer: str = "template",
    settings: Settings | None = None,
) -> FastAPI:
    """The scholarflow API as an ASGI app.

    `catalog_path` (a file, or a postgresql:// URL that many servers share) defaults to
    `$SCHOLARFLOW_HOME/catalog.db`; `token` to the environment variable
    SCHOLARFLOW_SERVER_TOKEN (empty or unset: no token needed). `allowed_hosts` are
    the Host header values answered (for tests with Starlette's TestClient, pass
    "testserver" or use base_url="http://127.0.0.1"). Of `limits` (default: the defaults of
    the settings) the app applies the request budget; the read deadlines and the connection
    cap belong to the protocol `serve()` runs it with. `writer` "llm" words every answer
    with the LLM server the settings name (checked here: exit 4 before serving), "template"
    (the default) with the offline template writer.
    """
    from scholarflow.catalog.store import default_catalog_path

    if token is None:
        token = os.environ.get(TOKEN_ENV, "")
    token = token.strip() or None

    limits = limits or ServerLimits()
    # Outermost first: every response gets the security headers, the budget counts from
    # before the token check and the body are read.
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)),
        Middleware(RequestBudget, seconds=limits.request_timeout),
    ]
    if token:
        middleware.append(
            Middleware(BearerToken, token=token, open_paths=OPEN_PATHS, open_prefixes=OPEN_PREFIXES)
        )
    middleware.append(Middleware(BodySizeLimit))

    app = FastAPI(
        title="scholarflow",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=_lifespan,
        middleware=middleware,
        docs_url=None,  # served by _mount_page, from the package
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,  # the token is a bearer token: no OAuth flow
    )
    app.state.catalog = CatalogAccess(catalog_path or default_catalog_path())
    app.state.token_required = bool(token)  # /health says so, for the web page
    app.state.writers = WriterFactory(writer, settings)
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(openai_api.router)
    _mount_page(app)
    if token:
        _document_token(app)
    return app


class WriterFactory:
    """A fresh writer per request (an LLM writer holds its last call for the log)."""

    def __init__(self, writer: str, settings: Settings | None) -> None:
        self.kind = writer
        self.settings = settings
        if writer == "llm":
            from scholarflow.settings import load_settings, require_llm

            self.settings = settings or load_settings()
            require_llm(self.settings)  # a missing URL or model is a startup error (exit 4)

    def make(self, *, stream: bool = False) -> Writer | str:
        if self.kind != "llm":
            return self.kind
        from scholarflow.writers.llm import LLMWriter

        assert self.settings is not None
        return LLMWriter.from_settings(self.settings, stream=stream)


def serve(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    *,
    catalog_path: Path | str | None = None,
    token: str | None = None,
    limits: ServerLimits | None = None,
    writer: str = "template",
    settings: Settings | None = None,
    workers: int = 1,
) -> None:
    """Run the server until interrupted; once it listens, say where on stderr.

    `limits` default to the settings (`server_*`: flags, environment, config file). Raises
    `InputError` for a non-loopback `host` or a `workers` count outside 1..usable cores, and
    `ConfigurationError` when the port cannot be listened on (in use, not allowed) or a
    setting is wrong, before anything else starts. Port 0 takes a free port; the line on
    stderr names it. With `workers` > 1 the line appears once every worker is ready.
    """
    if not is_loopback(host):
        raise InputError(
            f"{host}: the server listens on loopback only (127.0.0.1, ::1, localhost); "
            "put a reverse proxy in front of it to reach it from elsewhere"
        )
    check_workers(workers)
    if limits is None:
        from scholarflow.settings import load_settings

        limits = ServerLimits.from_settings(load_settings())
    _one_blas_thread_per_request()
    if token is None:  # resolved here, so that every worker gets the same one
        token = os.environ.get(TOKEN_ENV, "")
    sock = _listen(host, port)
    bare = host.strip("[]")
    shown = f"[{bare}]" if ":" in bare else bare
    url = f"http://{shown}:{sock.getsockname()[1]}"
    factory = AppFactory(
        catalog_path=catalog_path,
        token=token,
        allowed_hosts=tuple(sorted({*LOOPBACK_HOSTS, shown})),
        limits=limits,
        writer=writer,
        settings=settings,
    )
    if workers > 1:
        factory.check()  # a wrong setting is one error here, not one traceback per worker
        _serve_workers(factory, workers, sock, bare, url)
        return
    config = uvicorn.Config(
        factory(),
        host=bare,
        port=sock.getsockname()[1],
        log_level="info",
        proxy_headers=False,
        http=guarded_protocol(limits),
    )
    server = _AnnouncingServer(config, url)
    with sock:
        server.run(sockets=[sock])
    if not server.started:
        raise ConfigurationError("the server stopped while starting; the log above says why")


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def check_workers(workers: int, name: str = "workers") -> None:
    """1 to the number of usable cores. More processes than cores cannot answer faster (an
    answer is CPU-bound) and each one holds its own engine and dense index in memory."""
    cores = usable_cores()
    if not 1 <= workers <= cores:
        raise InputError(
            f"{name} {workers}: must be between 1 and {cores}, the cores this machine offers; "
            "each worker is a process with its own copy of the engine and catalog index"
        )


@dataclass(frozen=True)
class AppFactory:
    """Everything `create_app` needs, as data, so that it can be pickled to each worker
    process (uvicorn starts them with `spawn`) and the app built there: an app object holds
    threads, locks and connections, which cannot cross a process boundary."""

    catalog_path: Path | str | None
    token: str
    allowed_hosts: tuple[str, ...]
    limits: ServerLimits
    writer: str
    settings: Settings | None

    def __call__(self) -> FastAPI:
        return create_app(
            catalog_path=self.catalog_path,
            token=self.token,
            allowed_hosts=self.allowed_hosts,
            limits=self.limits,
            writer=self.writer,
            settings=self.settings,
        )

    def check(self) -> None:
        """Build the app once, here, for its startup checks (the LLM writer's settings)."""
        self()


class _WorkerConfig(uvicorn.Config):
    """uvicorn's config for one worker process. `guarded_protocol` makes a class at run time,
    which pickle cannot send to a spawned process, so the limits travel as data and the
    class is made again in the worker; the worker also stops if the supervisor dies."""

    def __init__(self, app: AppFactory, **kwargs: Any) -> None:
        super().__init__(app, factory=True, http=GuardedH11Protocol, **kwargs)
        self.limits = app.limits

    def load(self) -> None:
        super().load()
        self.http_protocol_class = guarded_protocol(self.limits)
        _stop_with_parent()


def _serve_workers(
    factory: AppFactory, workers: int, sock: socket.socket, host: str, url: str
) -> None:
    config = _WorkerConfig(
        factory,
        host=host,
        port=sock.getsockname()[1],
        workers=workers,
        log_level="info",
        proxy_headers=False,
    )
    supervisor = _Workers(config, [sock], url)
    with sock:
        supervisor.run()
    if not supervisor.started:
        raise ConfigurationError("the server stopped while starting; the log above says why")


class _Workers(Multiprocess):
    """uvicorn's own supervisor (one listening socket shared by `workers` processes, each
    health-checked and replaced if it dies; SIGINT or SIGTERM stops them all, gracefully,
    and waits for them), plus the line saying where the server is, printed once, when every
    worker has warmed up and listens. A worker that dies while starting stops the server:
    its replacement would fail the same way."""

    STARTUP_SECONDS = 120.0  # the warm-up takes ~1 s; a busy machine may take many times that

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket], url: str) -> None:
        super().__init__(config, sockets)
        self.url = url
        self.started = False

    def init_processes(self) -> None:
        super().init_processes()
        waiting = list(self.processes)
        deadline = time.monotonic() + self.STARTUP_SECONDS
        while waiting and not self.should_exit.is_set():
            self.handle_signals()  # Ctrl+C while starting stops the start
            if any(not process.process.is_alive() for process in waiting):
                log.error("a worker process exited while starting")
                self.should_exit.set()
                return
            if time.monotonic() > deadline:
                log.error("the workers did not start within %.0f s", self.STARTUP_SECONDS)
                self.should_exit.set()
                return
            waiting = [process for process in waiting if not process.is_ready(timeout=1)]
            if waiting:
                time.sleep(0.1)
        if not waiting:
            self.started = True
            log.info("%d worker processes ready", len(self.processes))
            # The same line as one process prints: a script waiting for it needs no change.
            sys.stderr.write(f"scholarflow: serving on {self.url} (Ctrl+C to stop)\n")
            sys.stderr.flush()


def _stop_with_parent() -> None:
    """In a worker: shut down gracefully (SIGTERM to itself) when the supervisor is gone.

    The supervisor stops its workers on SIGINT and SIGTERM, but a SIGKILL (or a crash)
    gives it no chance; without this its workers would go on serving the port as orphans."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        log.warning("the supervising process is gone; this worker stops")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="scholarflow-parent-watch", daemon=True).start()


class _AnnouncingServer(uvicorn.Server):
    """uvicorn's server, saying where it is once it listens (after the warm-up), so that the
    line is true when it appears: a script may wait for it, a person may click it."""

    def __init__(self, config: uvicorn.Config, url: str) -> None:
        super().__init__(config)
        self.url = url

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            sys.stderr.write(f"scholarflow: serving on {self.url} (Ctrl+C to stop)\n")
            sys.stderr.flush()


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a taken port is one clear error.

    The protocol must be named: asyncio sets TCP_NODELAY only on connections whose socket
    says IPPROTO_TCP, and with the default (0) every response waited for the client's
    delayed ACK, 40 ms, behind Nagle's algorithm (measured: /health took 44 ms, not 1).
    """
    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as error:
        sock.close()
        raise ConfigurationError(
            f"{host}:{port}: cannot listen: {error.strerror or error}"
        ) from None
    return sock


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def warm_up() -> float:
    """Answer one small prompt, so that no request pays for first-use loading; seconds."""
    from scholarflow import taxonomy
    from scholarflow.engine import answer
    from scholarflow.prompt_format import parse_prompt
    from scholarflow.render.json_format import answer_to_dict

    start = time.perf_counter()
    taxonomy.tasks()
    answer_to_dict(answer(parse_prompt(_WARM_UP_PROMPT, where="warm-up")))
    return time.perf_counter() - start


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    seconds = await run_in_threadpool(warm_up)
    log.info("scholarflow %s ready (warm-up %.0f ms)", __version__, seconds * 1000)
    yield


def _one_blas_thread_per_request() -> None:
    """Concurrency comes from request threads, so NumPy's BLAS gets one thread each.

    Measured on a busy 2-core machine: embedding a question took 510 ms with OpenBLAS's
    default thread pool (its threads spin against each other and against the requests) and
    13 ms with one thread. Only effective before NumPy is imported; an explicit setting wins.
    """
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


def _document_token(app: FastAPI) -> None:
    """Declare the bearer token in the OpenAPI schema, so /docs offers an Authorize button."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes["bearerToken"] = {"type": "http", "scheme": "bearer"}
        schema["security"] = [{"bearerToken": []}]
        schema["paths"]["/health"]["get"]["security"] = []
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

"""The FastAPI application."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from jiebang.api import API_PREFIX, include_api
from jiebang.config import get_settings
from jiebang.core.errors import install_error_handlers
from jiebang.core.singleton import Singleton, one_at_a_time
from jiebang.evaluation.housekeeping import Housekeeper
from jiebang.feed import service as feed
from jiebang.leaderboards import events
from jiebang.leaderboards.fastpath import CachedBoards
from jiebang.notifications import events as notification_events
from jiebang.notifications.mailer import EmailRetrier
from jiebang.ops.security_headers import SecurityHeaders
from jiebang.ops.web import install_docs, install_frontend, install_ops
from jiebang.worker.embedded import EmbeddedPool


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the change feed; one process per machine runs the housekeeper and, in embedded
    mode, the in-process worker pool (however many API processes `jiebang serve` runs)."""
    settings = get_settings()
    await feed.start()
    await events.start()
    notification_events.start()
    await run_in_threadpool(_in_turn, publish_installed_evaluators)
    duties: list[Housekeeper | EmbeddedPool | EmailRetrier] = []

    def take_duties() -> None:
        if settings.housekeeping_seconds:
            duties.append(Housekeeper(settings.housekeeping_seconds))
            duties.append(EmailRetrier(settings.housekeeping_seconds))
        if settings.queue == "embedded" and settings.embedded_workers > 0:
            duties.append(_embedded_pool())
        for duty in duties:
            duty.start()

    singleton = None
    if settings.housekeeping_seconds or (
        settings.queue == "embedded" and settings.embedded_workers > 0
    ):
        singleton = Singleton(settings.var_dir / "run" / "duties.lock", on_elected=take_duties)
        singleton.start()
    # Everything imported and built so far lives as long as the process: move it out of the
    # cyclic collector's generations so full collections stop pausing requests to walk it.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        if singleton is not None:
            singleton.stop()
        for duty in reversed(duties):
            duty.stop()
        await events.stop()
        await feed.stop()


def _in_turn(work: Callable[[], None]) -> None:
    """Start-up work that the API processes of one machine do one after the other."""
    with one_at_a_time(get_settings().var_dir / "run" / "startup.lock"):
        work()


def publish_installed_evaluators() -> None:
    """The installed evaluators enter the scoring-program registry (idempotent, by hash)."""
    from sqlmodel import Session

    from jiebang.artifacts.builtins import publish_builtins
    from jiebang.db import get_engine
    from jiebang.storage.config import get_store

    try:
        with Session(get_engine(), expire_on_commit=False) as db:
            publish_builtins(db=db, store=get_store())
    except Exception:  # a database not yet migrated must not stop the API from starting
        logging.getLogger(__name__).exception("publishing the installed evaluators failed")


def _embedded_pool() -> EmbeddedPool:
    settings = get_settings()
    work = settings.work_dir or settings.var_dir / "work"
    return EmbeddedPool(
        http=httpx.Client(base_url=settings.internal_api_url, timeout=httpx.Timeout(30, read=600)),
        token=settings.effective_worker_token,
        size=settings.embedded_workers,
        scratch=work / "scratch",
        cache=work / "cache",
    )


def create_app() -> FastAPI:
    settings = get_settings()  # validates settings (e.g. refuses a default secret) at start-up
    app = FastAPI(
        lifespan=lifespan,
        title="Jiebang 揭榜",
        version="0.1.0",
        description="Open-challenge (揭榜挂帅) lists and audio/video algorithm contests.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served offline by install_docs
        redoc_url=None,
    )
    install_error_handlers(app)
    app.add_middleware(CachedBoards, prefix=API_PREFIX)  # innermost: ops and headers wrap it
    install_ops(app)
    app.add_middleware(SecurityHeaders)  # CSP, framing, sniffing, referrer
    install_docs(app, f"{API_PREFIX}/openapi.json")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    include_api(app)

    @app.api_route(
        API_PREFIX + "/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    def api_not_found(rest: str) -> JSONResponse:
        return JSONResponse({"detail": "Not Found"}, status_code=404)

    install_frontend(app, settings.frontend_dist)
    return app

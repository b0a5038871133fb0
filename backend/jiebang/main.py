"""The FastAPI application."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from jiebang.api import API_PREFIX, include_api
from jiebang.config import get_settings
from jiebang.core.errors import install_error_handlers
from jiebang.evaluation.housekeeping import Housekeeper
from jiebang.ops.web import install_ops
from jiebang.worker.embedded import EmbeddedPool


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the housekeeper and, in embedded mode, the in-process worker pool."""
    settings = get_settings()
    housekeeper = (
        Housekeeper(settings.housekeeping_seconds) if settings.housekeeping_seconds else None
    )
    if housekeeper is not None:
        housekeeper.start()
    pool = None
    if settings.queue == "embedded" and settings.embedded_workers > 0:
        work = settings.work_dir or settings.var_dir / "work"
        pool = EmbeddedPool(
            http=httpx.Client(
                base_url=settings.internal_api_url, timeout=httpx.Timeout(30, read=600)
            ),
            token=settings.effective_worker_token,
            size=settings.embedded_workers,
            scratch=work / "scratch",
            cache=work / "cache",
        )
        pool.start()
    # Everything imported and built so far lives as long as the process: move it out of the
    # cyclic collector's generations so full collections stop pausing requests to walk it.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        if housekeeper is not None:
            housekeeper.stop()
        if pool is not None:
            pool.stop()


def create_app() -> FastAPI:
    settings = get_settings()  # validates settings (e.g. refuses a default secret) at start-up
    app = FastAPI(
        lifespan=lifespan,
        title="Jiebang 揭榜",
        version="0.1.0",
        description="Open-challenge (揭榜挂帅) lists and audio/video algorithm contests.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    install_error_handlers(app)
    install_ops(app)

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

    _mount_frontend(app, settings.frontend_dist)
    return app


def _mount_frontend(app: FastAPI, dist: Path) -> None:
    """Serve the built SPA, falling back to index.html for client-side routes."""
    index = dist / "index.html"
    if not index.is_file():
        return
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str) -> FileResponse:
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        return FileResponse(index)

"""What the ops domain adds to the app: /readyz, /metrics and the timing/logging middleware."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from jiebang.ops.config import get_ops_settings
from jiebang.ops.health import readiness
from jiebang.ops.logging import configure_json_logging, request_id_var
from jiebang.ops.metrics import REGISTRY, REQUEST_SECONDS, UPLOAD_BYTES, upload_kind

access_log = logging.getLogger("jiebang.access")


def install_ops(app: FastAPI) -> None:
    """Mount /readyz and /metrics and time every request (call before the request-id middleware)."""
    settings = get_ops_settings()
    if settings.log_format == "json":
        configure_json_logging(settings.log_level)

    @app.middleware("http")
    async def observe(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        token = request_id_var.set(getattr(request.state, "request_id", None))
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            elapsed = time.perf_counter() - started
            route = request.scope.get("route")
            template = getattr(route, "path", "unmatched")
            REQUEST_SECONDS.labels(request.method, template, str(status)).observe(elapsed)
            kind = upload_kind(request.method, request.url.path)
            length = request.headers.get("content-length", "")
            if kind and status < 400 and length.isdigit():
                UPLOAD_BYTES.labels(kind).inc(int(length))
            access_log.info(
                "%s %s %s",
                request.method,
                request.url.path,
                status,
                extra={"method": request.method, "path": request.url.path, "status": status,
                       "duration_ms": round(elapsed * 1000, 2)},
            )  # fmt: skip
            request_id_var.reset(token)

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        ready, checks = await run_in_threadpool(readiness)
        body = {"status": "ready" if ready else "not ready", "checks": checks}
        return JSONResponse(body, status_code=200 if ready else 503)

    if settings.metrics_enabled:

        @app.get("/metrics", include_in_schema=False)
        async def metrics() -> Response:
            data = await run_in_threadpool(generate_latest, REGISTRY)
            return Response(data, media_type=CONTENT_TYPE_LATEST)

"""What the ops domain adds to the app: /readyz, /metrics and the request-context middleware."""

from __future__ import annotations

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from jiebang.ops.config import get_ops_settings
from jiebang.ops.health import readiness
from jiebang.ops.logging import configure_json_logging
from jiebang.ops.metrics import REGISTRY
from jiebang.ops.middleware import RequestContext


def install_ops(app: FastAPI) -> None:
    """Mount /readyz and /metrics and tag, time and log every request."""
    settings = get_ops_settings()
    if settings.log_format == "json":
        configure_json_logging(settings.log_level)

    app.add_middleware(RequestContext)

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

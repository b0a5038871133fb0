"""Per-request context as one plain ASGI middleware: request id, latency metrics, access log.

Plain ASGI rather than ``@app.middleware("http")``: Starlette's ``BaseHTTPMiddleware``
runs every request through an extra task and re-streams request and response bodies,
which cost a third of the throughput of small requests and slowed multi-GiB part uploads.
"""

from __future__ import annotations

import logging
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiebang.ops.logging import request_id_var
from jiebang.ops.metrics import REQUEST_SECONDS, UPLOAD_BYTES, upload_kind

access_log = logging.getLogger("jiebang.access")


class RequestContext:
    """Tag each HTTP request with ``X-Request-ID`` (the client's, or a new one) and observe it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        rid = (headers.get(b"x-request-id", b"").decode("latin-1") or uuid.uuid4().hex[:16])[:64]
        scope.setdefault("state", {})["request_id"] = rid
        raw_rid = rid.encode("latin-1")
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", raw_rid)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._observe(scope, headers, status, time.perf_counter() - started)
            request_id_var.reset(token)

    @staticmethod
    def _observe(scope: Scope, headers: dict[bytes, bytes], status: int, elapsed: float) -> None:
        method, path = scope["method"], scope["path"]
        template = getattr(scope.get("route"), "path", "unmatched")
        REQUEST_SECONDS.labels(method, template, str(status)).observe(elapsed)
        kind = upload_kind(method, path)
        length = headers.get(b"content-length", b"")
        if kind and status < 400 and length.isdigit():
            UPLOAD_BYTES.labels(kind).inc(int(length))
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={"method": method, "path": path, "status": status,
                       "duration_ms": round(elapsed * 1000, 2)},
            )  # fmt: skip

"""What the ops domain adds to the app: /readyz, /metrics, the request-context middleware,
the offline API docs and the built frontend's static files."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool

from jiebang.ops.config import get_ops_settings
from jiebang.ops.health import readiness
from jiebang.ops.logging import configure_json_logging
from jiebang.ops.metrics import REGISTRY
from jiebang.ops.metrics_token import require_metrics_token
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

        @app.get("/metrics", include_in_schema=False, dependencies=[Depends(require_metrics_token)])
        async def metrics() -> Response:
            data = await run_in_threadpool(generate_latest, REGISTRY)
            return Response(data, media_type=CONTENT_TYPE_LATEST)


# ---------------------------------------------------------------- API docs, offline
DOCS_ASSETS = "/docs-assets"


def install_docs(app: FastAPI, openapi_url: str) -> None:
    """Swagger UI at /docs and ReDoc at /redoc from assets this process serves (the pinned
    fastapi-offline package): no CDN, so they work offline and inside mainland China."""
    import fastapi_offline
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    static = Path(fastapi_offline.__file__).parent / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=static), name="docs-assets")
    title = app.title

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} — API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{title} — API",
            redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )


# ---------------------------------------------------------------- the built SPA
IMMUTABLE = "public, max-age=31536000, immutable"  # hashed names: a new build, a new name
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))  # precompressed at build time, best first


def _accepted(header: str) -> set[str]:
    accepted = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if params.strip().replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        accepted.add(name.strip().lower())
    return accepted


def asset_response(path: Path, accept_encoding: str, cache_control: str) -> FileResponse:
    """The file, or its precompressed .br/.gz sibling when the client accepts that encoding."""
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    accepted = _accepted(accept_encoding)
    for encoding, suffix in ENCODINGS:
        packed = path.with_name(path.name + suffix)
        if (encoding in accepted or "*" in accepted) and packed.is_file():
            headers["Content-Encoding"] = encoding
            return FileResponse(packed, media_type=media_type, headers=headers)
    return FileResponse(path, media_type=media_type, headers=headers)


def install_frontend(app: FastAPI, dist: Path) -> None:
    """Serve the built SPA: hashed /assets/* precompressed and cached for a year, index.html
    (and client-side routes, which fall back to it) revalidated on every load."""
    index = dist / "index.html"
    if not index.is_file():
        return
    root = dist.resolve()
    assets = (dist / "assets").resolve()

    def inside(folder: Path, rel: str) -> Path | None:
        candidate = (folder / rel).resolve()
        ok = rel and candidate.is_file() and candidate.is_relative_to(folder)
        return candidate if ok and not candidate.name.endswith((".br", ".gz")) else None

    @app.get("/assets/{path:path}", include_in_schema=False)
    def asset(path: str, request: Request) -> Response:
        found = inside(assets, path)
        if found is None:
            return Response(status_code=404, headers={"Cache-Control": "no-cache"})
        return asset_response(found, request.headers.get("accept-encoding", ""), IMMUTABLE)

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str, request: Request) -> FileResponse:
        found = inside(root, path)
        encoding = request.headers.get("accept-encoding", "")
        if found is not None and found != index.resolve():
            return asset_response(found, encoding, "public, max-age=3600")
        return asset_response(index, encoding, "no-cache")

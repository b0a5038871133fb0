"""Security headers on every HTTP response, as one plain ASGI middleware.

- ``Content-Security-Policy``: scripts, styles, fonts and connections from this origin only
  (plus the object store's origin for direct uploads), no inline script, no plugins, never
  framed. The built SPA has no inline script (Vite emits ``<script type="module" src>``).
  The API docs (/docs, /redoc) are generated pages with one inline start-up script each:
  their policy allows exactly those scripts by SHA-256 hash, computed from the page itself.
- ``X-Frame-Options: DENY`` (for browsers without ``frame-ancestors``),
  ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``, ``Cross-Origin-Opener-Policy``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiebang.config import get_settings

DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def storage_origin(storage_url: str, *, secure: bool) -> str | None:
    """The origin browsers upload parts to (presigned S3/MinIO URLs), or None for local."""
    if not storage_url.startswith("s3://"):
        return None
    parts = urlsplit(storage_url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{'https' if secure else 'http'}://{host}{port}"


def content_security_policy(
    *, connect: tuple[str, ...] = (), script_hashes: tuple[str, ...] = ()
) -> str:
    """The policy; ``script_hashes`` admit inline scripts by their 'sha256-…' source."""
    # 'wasm-unsafe-eval' lets the upload page compile its SHA-256 WebAssembly (hash-wasm, in a
    # worker) without admitting eval() of strings
    scripts = " ".join(("'self'", "'wasm-unsafe-eval'", *(f"'{h}'" for h in script_hashes)))
    directives = [
        "default-src 'self'",
        f"script-src {scripts}",
        # Element Plus and ECharts position things with style attributes
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        " ".join(("connect-src 'self'", *connect)),
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def inline_script_hashes(html: bytes) -> tuple[str, ...]:
    """'sha256-…' sources of the page's inline scripts."""
    return tuple(
        "sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        for body in _INLINE_SCRIPT.findall(html)
        if body.strip()
    )


class SecurityHeaders:
    """Add the headers above to every HTTP response (a handler's own CSP is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        settings = get_settings()
        origin = storage_origin(settings.storage_url, secure=settings.storage_secure)
        self.connect = (origin,) if origin else ()
        self.common = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        self.csp = content_security_policy(connect=self.connect).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in DOCS_PATHS:
            await self._docs(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._merged(message.get("headers", ()), self.csp)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _merged(self, headers: object, csp: bytes) -> list[tuple[bytes, bytes]]:
        current = list(headers)  # type: ignore[call-overload]
        present = {name.lower() for name, _ in current}
        extra = [(n, v) for n, v in self.common if n not in present]
        if b"content-security-policy" not in present:
            extra.append((b"content-security-policy", csp))
        return [*current, *extra]

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the (small, generated) docs page to admit its inline scripts by hash."""
        start: Message | None = None
        body = bytearray()

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if message.get("more_body", False):
                    return
                assert start is not None
                csp = content_security_policy(
                    connect=self.connect, script_hashes=inline_script_hashes(bytes(body))
                ).encode()
                start["headers"] = self._merged(start.get("headers", ()), csp)
                await send(start)
                await send({"type": "http.response.body", "body": bytes(body)})
                return
            await send(message)

        await self.app(scope, receive, buffer)

"""Security headers on every response; the SPA has no inline script, the docs keep working."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiebang.config import REPO_ROOT
from jiebang.ops.security_headers import content_security_policy, inline_script_hashes

SPA = """<!doctype html><html><head>
<script type="module" crossorigin src="/assets/index-abc.js"></script></head>
<body><div id="app"></div></body></html>"""


def _directives(response_csp: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in response_csp.split(";")
    }


@pytest.fixture
def spa_client(platform_env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from jiebang.config import get_settings
    from jiebang.main import create_app

    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(SPA, encoding="utf-8")
    (dist / "assets" / "index-abc.js").write_text("console.log(1)", encoding="utf-8")
    monkeypatch.setenv("JIEBANG_FRONTEND_DIST", str(dist))
    get_settings.cache_clear()
    return TestClient(create_app())


@pytest.mark.parametrize(
    "path", ["/", "/contests/1", "/assets/index-abc.js", "/api/v1/contests", "/healthz"]
)
def test_every_response_carries_the_headers(spa_client: TestClient, path: str) -> None:
    response = spa_client.get(path)
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    csp = _directives(response.headers["content-security-policy"])
    # no inline script, no eval; WebAssembly only (the upload page's SHA-256 worker)
    assert csp["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert csp["default-src"] == "'self'" and csp["connect-src"] == "'self'"


def test_errors_carry_them_too(spa_client: TestClient) -> None:
    for response in (
        spa_client.get("/api/v1/contests/999999"),
        spa_client.get("/api/v1/auth/me"),
        spa_client.post("/api/v1/auth/login", json={}),
    ):
        assert response.status_code in (401, 404, 422)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_built_spa_has_no_inline_script() -> None:
    index = REPO_ROOT / "frontend" / "dist" / "index.html"
    if not index.is_file():
        index = REPO_ROOT / "frontend" / "index.html"  # the source Vite builds it from
    html = index.read_bytes()
    assert inline_script_hashes(html) == ()
    assert not re.search(rb"\son[a-z]+\s*=", html), "inline event handlers need unsafe-inline"


def test_docs_pages_admit_exactly_their_inline_scripts(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        response = client.get(path)
        assert response.status_code == 200, path
        hashes = inline_script_hashes(response.content)
        script_src = _directives(response.headers["content-security-policy"])["script-src"]
        assert "'unsafe-inline'" not in script_src
        assert all(f"'{h}'" in script_src for h in hashes)
        # every script and style the page loads comes from this origin
        for url in re.findall(rb'(?:src|href)="([^"]+)"', response.content):
            assert url.startswith(b"/"), (path, url)
            assert client.get(url.decode()).status_code == 200, url


def test_uploads_to_object_storage_are_allowed_by_connect_src() -> None:
    from jiebang.ops.security_headers import storage_origin

    origin = storage_origin("s3://key:secret@minio.example.org:9000/bucket", secure=True)
    assert origin == "https://minio.example.org:9000"
    assert storage_origin("", secure=False) is None
    csp = _directives(content_security_policy(connect=(origin,)))
    assert csp["connect-src"] == "'self' https://minio.example.org:9000"

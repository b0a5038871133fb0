"""The platform's own web assets: /docs and /redoc with no external host, and the built SPA
served precompressed (brotli, gzip) with year-long caching for hashed files, index.html
revalidated."""

from __future__ import annotations

import gzip
import re
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiebang.config import get_settings
from jiebang.main import create_app

SCRIPT = "const z=require('zlib');process.stdout.write(z.brotliCompressSync(require('fs').readFileSync(0)))"


def test_docs_reference_no_external_host(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page)
        assert html.status_code == 200
        urls = re.findall(r"""(?:src|href|url)\s*[=:(]\s*['"]?([^'" )>]+)""", html.text)
        assert urls and not [u for u in urls if re.match(r"(https?:)?//", u)], urls
        for url in urls:
            assert client.get(url).status_code == 200, url  # the assets really are served
    assert "SwaggerUIBundle" in client.get("/docs-assets/swagger-ui-bundle.js").text


@pytest.fixture
def dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform_env: None) -> Path:
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><script src=/assets/app-1a2b3c.js>")
    script = b"console.log('jiebang');\n" * 200
    (folder / "assets" / "app-1a2b3c.js").write_bytes(script)
    (folder / "assets" / "app-1a2b3c.js.gz").write_bytes(gzip.compress(script))
    brotli = subprocess.run(["node", "-e", SCRIPT], input=script, capture_output=True, check=True)
    (folder / "assets" / "app-1a2b3c.js.br").write_bytes(brotli.stdout)
    monkeypatch.setenv("JIEBANG_FRONTEND_DIST", str(folder))
    get_settings.cache_clear()
    return folder


def test_hashed_assets_precompressed_and_immutable(dist: Path) -> None:
    client = TestClient(create_app())
    url, original = "/assets/app-1a2b3c.js", (dist / "assets" / "app-1a2b3c.js").read_bytes()
    br = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["content-encoding"] == "br" and br.headers["vary"] == "Accept-Encoding"
    assert br.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert br.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert int(br.headers["content-length"]) == (dist / "assets/app-1a2b3c.js.br").stat().st_size
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})  # httpx decodes it
    assert gz.headers["content-encoding"] == "gzip" and gz.content == original
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == original
    no_br = client.get(url, headers={"Accept-Encoding": "br;q=0, gzip"})
    assert no_br.headers["content-encoding"] == "gzip"
    assert client.get("/assets/app-1a2b3c.js.br").status_code == 404  # not served by name
    assert client.get("/assets/missing.js").status_code == 404


def test_index_and_client_routes_revalidate(dist: Path) -> None:
    client = TestClient(create_app())
    for path in ("/", "/index.html", "/contests/1/tracks/2"):
        page = client.get(path)
        assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
        assert page.text.startswith("<!doctype html>")


def test_built_frontend_has_precompressed_assets() -> None:
    """The real build (when present) ships a .br and a .gz beside every large hashed asset."""
    assets = Path(__file__).resolve().parents[2] / "frontend" / "dist" / "assets"
    big = [p for p in assets.glob("*.js") if p.stat().st_size > 100_000] if assets.is_dir() else []
    if not big:
        pytest.skip("frontend not built")
    for path in big:
        assert path.with_name(path.name + ".br").is_file(), path
        assert path.with_name(path.name + ".gz").is_file(), path

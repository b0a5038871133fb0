"""A PEP 503 simple index (or a PEP 691 JSON one, with PEP 700 upload times) served on
loopback by a thread, and an sdist whose build code probes the network: real components
for the build sandbox's network tests."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import io
import json
import re
import shutil
import tarfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

JSON_PAGE = "index.json"
JSON_TYPE = "application/vnd.pypi.simple.v1+json"

PROBE_BACKEND = '''
"""An in-tree PEP 517 backend that tries the network before it builds its wheel."""
import base64, hashlib, json, os, socket, zipfile

TARGETS = json.loads({targets!r})


def _direct(host, port):
    try:
        socket.create_connection((host, port), timeout=5).close()
        return "connected"
    except OSError as error:
        return type(error).__name__


def _through_proxy(host, port):
    proxy = os.environ.get("ALL_PROXY") or os.environ.get("all_proxy")
    if not proxy:
        return "no proxy"
    proxy_host, proxy_port = proxy.split("://", 1)[1].rsplit(":", 1)
    try:
        with socket.create_connection((proxy_host, int(proxy_port)), timeout=5) as gate:
            gate.sendall(b"\\x05\\x01\\x00")
            gate.recv(2)
            name = host.encode()
            gate.sendall(b"\\x05\\x01\\x00\\x03" + bytes([len(name)]) + name + port.to_bytes(2, "big"))
            reply = gate.recv(10)
        return "socks reply %d" % reply[1] if len(reply) > 1 else "closed"
    except OSError as error:
        return type(error).__name__


def _probe():
    found = {{"interfaces": sorted(name for _, name in socket.if_nameindex())}}
    for host, port in TARGETS:
        found["direct %s:%d" % (host, port)] = _direct(host, port)
        found["proxy %s:%d" % (host, port)] = _through_proxy(host, port)
    return found


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    module = "RESULTS = %r\\n" % (_probe(),)
    info = "{module}-{version}.dist-info"
    files = {{
        "{module}/__init__.py": module.encode(),
        info + "/METADATA": b"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n",
        info + "/WHEEL": b"Wheel-Version: 1.0\\nGenerator: probe\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }}
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (path, digest, len(data)))
    files[info + "/RECORD"] = ("\\n".join(record + [info + "/RECORD,,"]) + "\\n").encode()
    wheel = "{module}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel
'''


def build_probing_sdist(
    folder: Path, name: str, version: str, targets: list[tuple[str, int]]
) -> Path:
    """Write ``<name>-<version>.tar.gz`` whose build tries ``targets`` directly and through
    ``ALL_PROXY`` (SOCKS5), and records what happened in the module it installs."""
    import json

    module = name.replace("-", "_")
    stem = f"{module}-{version}"
    backend = PROBE_BACKEND.format(
        targets=json.dumps(targets), module=module, version=version, name=name
    )
    files = {
        "PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "probe_backend"\n'
        'backend-path = ["."]\n',
        "probe_backend.py": backend,
    }
    folder.mkdir(parents=True, exist_ok=True)
    sdist = folder / f"{stem}.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{stem}/{path}")
            info.size, info.mode, info.mtime = len(data), 0o644, 1_700_000_000
            archive.addfile(info, io.BytesIO(data))
    return sdist


def simple_index(root: Path, files: list[Path]) -> Path:
    """Lay ``files`` (wheels, sdists) out as a PEP 503 simple index under ``root/simple``."""
    projects: dict[str, list[str]] = {}
    for path in files:
        project = re.split(r"-\d", path.name, maxsplit=1)[0].lower().replace("_", "-")
        target = root / "simple" / project
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.name)
        projects.setdefault(project, []).append(path.name)
    for project, names in projects.items():
        links = "".join(f'<a href="{name}">{name}</a>\n' for name in names)
        (root / "simple" / project / "index.html").write_text(f"<html><body>{links}</body></html>")
    return root / "simple"


def json_index(root: Path, files: list[tuple[Path, datetime]]) -> Path:
    """Lay ``(file, upload time)`` pairs out as a PEP 691 JSON index under ``root/simple``:
    an HTML page can carry no upload time, which uv's ``--exclude-newer`` needs (PEP 700)."""
    projects: dict[str, list[dict[str, object]]] = {}
    for path, uploaded in files:
        project = re.split(r"-\d", path.name, maxsplit=1)[0].lower().replace("_", "-")
        target = root / "simple" / project
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.name)
        projects.setdefault(project, []).append(
            {
                "filename": path.name,
                "url": path.name,
                "hashes": {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()},
                "upload-time": uploaded.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            }
        )
    for project, entries in projects.items():
        versions = sorted({str(e["filename"]).split("-")[1] for e in entries})
        page = {"meta": {"api-version": "1.1"}, "name": project, "files": entries}
        (root / "simple" / project / JSON_PAGE).write_text(
            json.dumps(page | {"versions": versions})
        )
    return root / "simple"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requested: list[str]

    def log_message(self, format: str, *args: object) -> None:
        self.requested.append(self.path)

    def send_head(self) -> Any:
        """A project's JSON page where there is one and the client accepts it (PEP 691)."""
        page = Path(self.translate_path(self.path)) / JSON_PAGE
        accepted = self.headers.get("Accept", "")
        if self.path.endswith("/") and page.is_file() and JSON_TYPE in accepted:
            data = page.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", JSON_TYPE)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)
        return super().send_head()


@contextlib.contextmanager
def serve_index(root: Path) -> Iterator[tuple[str, list[str]]]:
    """Serve ``root`` on a loopback port; yield the index URL and the paths requested."""
    requested: list[str] = []
    handler = type("Handler", (_QuietHandler,), {"requested": requested})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple", requested
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

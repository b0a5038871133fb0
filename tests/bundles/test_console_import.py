"""The organiser console imports a bundle from a zip; problems come back per file, line and key."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

from .test_bundles import CONTEST, write_bundle


def _zip(root: Path, top: str = "my-bundle") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, f"{top}/{path.relative_to(root)}")
    return buffer.getvalue()


def test_zip_import_is_idempotent(
    client: TestClient, organiser, participant, tmp_path: Path
) -> None:
    data = _zip(write_bundle(tmp_path / "b"))
    files = {"bundle": ("bundle.zip", data, "application/zip")}
    assert client.post("/api/v1/admin/bundles", files=files, headers=participant).status_code == 403
    first = client.post("/api/v1/admin/bundles", files=files, headers=organiser)
    assert first.status_code == 200, first.text
    assert any("created" in line for line in first.json()["changes"])
    again = client.post("/api/v1/admin/bundles", files=files, headers=organiser)
    assert again.json()["changes"] == []
    slugs = [c["slug"] for c in client.get("/api/v1/contests").json()]
    assert "tiny" in slugs


def test_zip_with_problems_lists_them(client: TestClient, organiser, tmp_path: Path) -> None:
    broken = write_bundle(tmp_path / "b", contest=CONTEST.replace("year: 2024", "year: soon"))
    response = client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("b.zip", _zip(broken), "application/zip")},
        headers=organiser,
    )
    assert response.status_code == 422
    locs = [problem["loc"] for problem in response.json()["detail"]]
    assert ["body", "bundle", "contest.yaml", 5, "year"] in locs


def test_hostile_zip_is_refused(client: TestClient, organiser) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("../escape.yaml", "x")
    response = client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("b.zip", buffer.getvalue(), "application/zip")},
        headers=organiser,
    )
    assert response.status_code == 422 and "指向压缩包之外" in response.json()["detail"][0]["msg"]


def test_system_health_for_organisers(client: TestClient, organiser, participant) -> None:
    assert client.get("/api/v1/admin/health", headers=participant).status_code == 403
    health = client.get("/api/v1/admin/health", headers=organiser).json()
    assert health["queue_depth"] == 0 and health["workers"] == []
    assert health["sandbox"]["mechanism"] == "bubblewrap" and health["sandbox"]["isolated"] is True


def test_public_devkit_download_matches_its_checksums(
    client: TestClient, organiser, tmp_path: Path
) -> None:
    import hashlib
    import tarfile

    client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("b.zip", _zip(write_bundle(tmp_path / "b")), "application/zip")},
        headers=organiser,
    )
    contest = next(c for c in client.get("/api/v1/contests").json() if c["slug"] == "tiny")
    track = client.get(f"/api/v1/contests/{contest['id']}/tracks").json()[0]
    response = client.get(f"/api/v1/tracks/{track['id']}/devkit")  # anonymous: public data
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == response.headers["x-content-sha256"]
    with tarfile.open(fileobj=io.BytesIO(response.content)) as tar:
        names = tar.getnames()
        readme = tar.extractfile(next(m for m in tar.getmembers() if m.name.endswith("README.txt")))
        assert readme is not None and readme.read() == b"four items a-d\n"
    assert not any("mos.csv" in name for name in names)  # the hidden reference is never in it

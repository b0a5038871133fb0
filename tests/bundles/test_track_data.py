"""The Data tab's API: public files with sizes and sha256, each downloadable and resumable by
HTTP Range, one archive, a layout table from the data, and the hidden reference listed for
staff only (never downloadable)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient

from .test_bundles import write_bundle
from .test_console_import import _zip


def _track(client: TestClient, organiser: dict[str, str], tmp_path: Path) -> dict:
    root = write_bundle(tmp_path / "b")
    (root / "data" / "public" / "clips" / "a").mkdir(parents=True)
    from PIL import Image

    for n in range(3):
        Image.new("RGB", (32, 16), (n, 0, 0)).save(root / "data/public/clips/a" / f"{n:04d}.png")
    from jiebang.bundles.data import checksum_text

    (root / "data" / "public.sha256").write_text(checksum_text(root / "data" / "public"))
    response = client.post(
        "/api/v1/admin/bundles",
        files={"bundle": ("b.zip", _zip(root), "application/zip")},
        headers=organiser,
    )
    assert response.status_code == 200, response.text
    contest = next(c for c in client.get("/api/v1/contests").json() if c["slug"] == "tiny")
    return client.get(f"/api/v1/contests/{contest['id']}/tracks").json()[0]


def test_files_listed_downloadable_and_resumable(
    client: TestClient, organiser, participant, tmp_path: Path
) -> None:
    track = _track(client, organiser, tmp_path)
    data = client.get(f"/api/v1/tracks/{track['id']}/data").json()
    assert data["target"] == "tiny/vqa" and data["hidden"] is None  # anonymous: no reference
    names = {f["name"]: f for f in data["files"]}
    assert set(names) == {"README.txt", "clips/a/0000.png", "clips/a/0001.png", "clips/a/0002.png"}
    readme = names["README.txt"]
    assert readme["size"] == len(b"four items a-d\n")
    whole = client.get(readme["url"])
    assert whole.status_code == 200 and whole.content == b"four items a-d\n"
    assert hashlib.sha256(whole.content).hexdigest() == readme["sha256"]
    assert whole.headers["accept-ranges"] == "bytes"
    # a broken download resumes from the byte it reached
    part = client.get(readme["url"], headers={"Range": "bytes=5-"})
    assert part.status_code == 206 and part.content == b"items a-d\n"
    assert part.headers["content-range"] == f"bytes 5-{readme['size'] - 1}/{readme['size']}"
    stale = client.get(readme["url"], headers={"Range": "bytes=5-", "If-Range": '"other"'})
    assert stale.status_code == 200 and stale.content == b"four items a-d\n"
    assert client.get(readme["url"], headers={"Range": "bytes=999-"}).status_code == 416
    # the whole archive, resumable too
    archive = client.get(data["archive"]["url"])
    assert hashlib.sha256(archive.content).hexdigest() == data["archive"]["sha256"]
    tail = client.get(data["archive"]["url"], headers={"Range": "bytes=-100"})
    assert tail.status_code == 206 and tail.content == archive.content[-100:]
    # the layout table is read from the data: one folder of three 32x16 frames
    frames = next(r for r in data["layout"] if r["kind"] == "frames")
    assert (frames["name"], frames["frames"], frames["width"], frames["height"]) == ("a", 3, 32, 16)
    assert client.get(f"/api/v1/tracks/{track['id']}/data/files/../ref/mos.csv").status_code == 404
    assert client.get(f"/api/v1/tracks/{track['id']}/data/sample").status_code == 404


def test_staff_see_the_hidden_reference_listed_never_served(
    client: TestClient, organiser, participant, tmp_path: Path
) -> None:
    track = _track(client, organiser, tmp_path)
    assert (
        client.get(f"/api/v1/tracks/{track['id']}/data", headers=participant).json()["hidden"]
        is None
    )
    hidden = client.get(f"/api/v1/tracks/{track['id']}/data", headers=organiser).json()["hidden"]
    assert [f["name"] for f in hidden[0]["files"]] == ["mos.csv"]
    assert all(f["url"] is None for f in hidden[0]["files"])
    for who in (None, participant, organiser):
        response = client.get(f"/api/v1/tracks/{track['id']}/data/files/mos.csv", headers=who or {})
        assert response.status_code == 404

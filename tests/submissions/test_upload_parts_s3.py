"""On S3 too, a short non-final part is named at complete (not 404, not 503), and /readyz
writes to the bucket."""

from __future__ import annotations

import hashlib

import httpx
from fastapi.testclient import TestClient

from .helpers import setup_phase, team_headers
from .test_s3_path import moto, s3_client  # noqa: F401 - the moto server, its client

MiB = 1024 * 1024


def test_a_short_presigned_part_is_named(
    s3_client: TestClient,  # noqa: F811
    organiser,
    make_user,
) -> None:
    client = s3_client
    assert client.get("/readyz").json()["checks"]["storage"] == "ok"  # a real PUT to the bucket
    ids = setup_phase(client, organiser, daily_quota=10, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    data = b"a 1\n" * (4 * MiB + 1)
    started = client.post(
        f"/api/v1/phases/{ids['phase']}/submissions",
        json={"filename": "s.txt", "size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
        headers=team,
    ).json()
    plan = started["upload"]
    assert plan["direct"] and len(plan["parts"]) == 2
    short = httpx.put(plan["parts"][0]["url"], content=data[:1000])
    last = httpx.put(plan["parts"][1]["url"], content=data[16 * MiB :])
    parts = [
        {"number": 1, "etag": short.headers["etag"].strip('"')},
        {"number": 2, "etag": last.headers["etag"].strip('"')},
    ]
    done = client.post(
        f"/api/v1/submissions/{started['submission']['id']}/complete",
        json={"parts": parts},
        headers=team,
    )
    assert done.status_code == 422, done.text
    error = done.json()["detail"][0]
    assert error["type"] == "part_too_short" and "第 1 个分片只有 1000 字节" in error["msg"]

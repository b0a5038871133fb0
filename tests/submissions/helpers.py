"""Driving the submission API like a client would, and the worker like the platform does."""

from __future__ import annotations

import hashlib
import io
import tarfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from jiebang.config import get_settings
from jiebang.worker.client import WorkerAPI
from jiebang.worker.pipeline import process

FIXTURE_EVALUATORS = Path(__file__).resolve().parents[1] / "fixtures" / "evaluators"
TRUTH = "a 1\nb 2\nc 3\nd 4\n"


def tar_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def setup_phase(
    client: TestClient,
    organiser: dict[str, str],
    *,
    track_overrides: dict[str, Any] | None = None,
    reference: dict[str, bytes] | None = None,
    **phase_overrides: Any,
) -> dict[str, int]:
    """A published contest, a line_scores track, an open phase with a split and reference data."""
    contest = client.post(
        "/api/v1/contests",
        json={
            "slug": "queue-test",
            "title_zh": "队列",
            "title_en": "Queue",
            "edition": "1",
            "year": 2024,
        },
        headers=organiser,
    ).json()
    track = client.post(
        f"/api/v1/contests/{contest['id']}/tracks",
        json={
            "slug": "lines",
            "title_zh": "行",
            "title_en": "Lines",
            "evaluator_key": "line_scores",
            "evaluator_version": "1.0.0",
            "max_submission_bytes": 64 * 1024 * 1024,
        }
        | (track_overrides or {}),
        headers=organiser,
    )
    assert track.status_code == 201, track.text
    now = datetime.now(UTC)
    phase_body = {
        "slug": "dev",
        "title_zh": "开发",
        "title_en": "Dev",
        "starts_at": (now - timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=10)).isoformat(),
        "daily_quota": 5,
        "total_quota": 20,
        "concurrent_quota": 3,
        "public_item_ids": ["a", "b"],
        "private_item_ids": ["c", "d"],
    } | phase_overrides
    phase = client.post(
        f"/api/v1/tracks/{track.json()['id']}/phases", json=phase_body, headers=organiser
    )
    assert phase.status_code == 201, phase.text
    ref = client.put(
        f"/api/v1/phases/{phase.json()['id']}/reference",
        files={
            "archive": (
                "ref.tar",
                tar_bytes(reference or {"truth.txt": TRUTH.encode()}),
                "application/x-tar",
            )
        },
        headers=organiser,
    )
    assert ref.status_code == 200, ref.text
    assert (
        client.post(f"/api/v1/contests/{contest['id']}/publish", headers=organiser).status_code
        == 200
    )
    return {"contest": contest["id"], "track": track.json()["id"], "phase": phase.json()["id"]}


def team_headers(
    client: TestClient,
    make_user: Callable[..., dict[str, str]],
    contest_id: int,
    name: str = "Team",
) -> dict[str, str]:
    headers = make_user()
    response = client.post(
        f"/api/v1/contests/{contest_id}/teams", json={"name": name}, headers=headers
    )
    assert response.status_code == 201, response.text
    return headers


def start(
    client: TestClient,
    headers: dict[str, str],
    phase_id: int,
    data: bytes,
    filename: str = "scores.txt",
) -> httpx.Response:
    return client.post(
        f"/api/v1/phases/{phase_id}/submissions",
        json={"filename": filename, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
        headers=headers,
    )


def put_parts(
    client: TestClient,
    headers: dict[str, str],
    plan: dict[str, Any],
    data: bytes,
    numbers: list[int] | None = None,
) -> list[dict[str, Any]]:
    size = plan["part_size"]
    sent = []
    for part in plan["parts"]:
        if numbers is not None and part["number"] not in numbers:
            continue
        chunk = data[(part["number"] - 1) * size : part["number"] * size]
        if plan["direct"]:
            response = httpx.put(part["url"], content=chunk)
            etag = response.headers["etag"].strip('"')
        else:
            response = client.put(part["url"], content=chunk, headers=headers)
            etag = response.json()["etag"]
        assert response.status_code == 200, response.text
        sent.append({"number": part["number"], "etag": etag})
    return sent


def submit(
    client: TestClient,
    headers: dict[str, str],
    phase_id: int,
    data: bytes,
    filename: str = "scores.txt",
) -> httpx.Response:
    """Start, upload every part, complete; returns the complete response."""
    started = start(client, headers, phase_id, data, filename)
    assert started.status_code == 201, started.text
    body = started.json()
    parts = put_parts(client, headers, body["upload"], data)
    return client.post(
        f"/api/v1/submissions/{body['submission']['id']}/complete",
        json={"parts": parts},
        headers=headers,
    )


def worker_api(client: TestClient, name: str = "test-worker") -> WorkerAPI:
    return WorkerAPI(client, token=get_settings().effective_worker_token, name=name)


def drain(client: TestClient, tmp_path: Path, name: str = "test-worker") -> int:
    """Evaluate every queued job through the real pipeline and sandbox; return how many ran."""
    api = worker_api(client, name)
    count = 0
    while (spec := api.claim()) is not None:
        process(spec, api=api, scratch_root=tmp_path, cache_dir=tmp_path / "cache")
        count += 1
    return count

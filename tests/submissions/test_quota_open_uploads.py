"""Unfinished uploads are limited per team and phase (count and declared bytes), shown in the
quota, and refused with a message; a short non-final part is named at complete."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from jiebang.config import get_settings
from jiebang.core.i18n import translate
from jiebang.submissions.config import get_submission_settings

from .helpers import setup_phase, start, team_headers

MiB = 1024 * 1024


def _open(client: TestClient, team: dict[str, str], phase: int, size: int) -> httpx.Response:
    return client.post(
        f"/api/v1/phases/{phase}/submissions",
        json={"filename": "big.bin", "size": size, "sha256": "0" * 64},
        headers=team,
    )


def test_open_uploads_are_limited_and_counted(client: TestClient, organiser, make_user) -> None:
    ids = setup_phase(client, organiser, daily_quota=10, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    opened = [start(client, team, ids["phase"], f"a {i}\n".encode()) for i in range(4)]
    assert [r.status_code for r in opened] == [201] * 4
    quota = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()
    assert (quota["open_uploads"], quota["open_uploads_limit"]) == (4, 4)
    assert quota["open_upload_bytes"] == sum(len(f"a {i}\n") for i in range(4))

    refused = start(client, team, ids["phase"], b"a 9\n")  # the user's saved locale is zh-CN
    assert refused.status_code == 403 and refused.json()["code"] == "open_uploads_full"
    assert "4 个未完成的上传" in refused.json()["detail"]
    assert "4 unfinished uploads" in translate("open_uploads_full", "en", count=4, limit=4)

    first = opened[0].json()["submission"]["id"]
    assert client.post(f"/api/v1/submissions/{first}/cancel", headers=team).status_code == 200
    assert start(client, team, ids["phase"], b"a 9\n").status_code == 201


@pytest.fixture
def bytes_cap_300_mib(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("JIEBANG_MAX_OPEN_UPLOAD_BYTES", str(300 * MiB))
    get_settings.cache_clear()
    get_submission_settings.cache_clear()
    yield
    get_submission_settings.cache_clear()  # the next test reads the defaults again


@pytest.fixture(autouse=True)
def default_limits() -> None:
    get_submission_settings.cache_clear()


def test_declared_bytes_of_open_uploads_are_capped(
    bytes_cap_300_mib: None, client: TestClient, organiser, make_user
) -> None:
    ids = setup_phase(
        client,
        organiser,
        track_overrides={"max_submission_bytes": 200 * MiB},
        daily_quota=10,
        concurrent_quota=5,
    )
    team = team_headers(client, make_user, ids["contest"])
    assert _open(client, team, ids["phase"], 200 * MiB).status_code == 201
    refused = _open(client, team, ids["phase"], 150 * MiB)
    assert refused.status_code == 403 and refused.json()["code"] == "open_upload_bytes_full"
    assert "已声明 200 MiB，再上传 150 MiB 将超过上限 300 MiB" in refused.json()["detail"]
    assert _open(client, team, ids["phase"], 100 * MiB).status_code == 201
    quota = client.get(f"/api/v1/phases/{ids['phase']}/quota", headers=team).json()
    assert quota["open_upload_bytes"] == 300 * MiB
    assert quota["open_upload_bytes_limit"] == 300 * MiB


def test_parallel_starts_take_exactly_the_free_slots(
    client: TestClient, organiser, make_user
) -> None:
    ids = setup_phase(client, organiser, daily_quota=20, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    barrier = threading.Barrier(12)

    def open_one(i: int) -> httpx.Response:
        barrier.wait()
        return start(client, team, ids["phase"], f"a {i}\n".encode())

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(open_one, range(12)))
    assert Counter(r.status_code for r in answers) == {201: 4, 403: 8}
    assert {r.json()["code"] for r in answers if r.status_code == 403} == {"open_uploads_full"}


def test_a_short_part_is_named_with_the_part_size(client: TestClient, organiser, make_user) -> None:
    ids = setup_phase(client, organiser, daily_quota=10, concurrent_quota=5)
    team = team_headers(client, make_user, ids["contest"])
    data = b"a 1\n" * (4 * MiB + 1)  # 16 MiB + 4 bytes: two parts of 16 MiB
    started = client.post(
        f"/api/v1/phases/{ids['phase']}/submissions",
        json={"filename": "s.txt", "size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
        headers=team,
    ).json()
    plan = started["upload"]
    assert plan["part_size"] == 16 * MiB and len(plan["parts"]) == 2
    short = client.put(plan["parts"][0]["url"], content=data[:1000], headers=team)
    last = client.put(plan["parts"][1]["url"], content=data[16 * MiB :], headers=team)
    assert short.status_code == 200 and last.status_code == 200
    parts = [
        {"number": 1, "etag": short.json()["etag"]},
        {"number": 2, "etag": last.json()["etag"]},
    ]
    done = client.post(
        f"/api/v1/submissions/{started['submission']['id']}/complete",
        json={"parts": parts},
        headers=team,
    )
    assert done.status_code == 422, done.text
    error = done.json()["detail"][0]
    assert error["type"] == "part_too_short" and error["loc"] == ["body", "parts"]
    assert "第 1 个分片只有 1000 字节" in error["msg"] and "16 MiB" in error["msg"]
    # sending the part again in full completes the same upload
    again = client.put(plan["parts"][0]["url"], content=data[: 16 * MiB], headers=team)
    parts[0]["etag"] = again.json()["etag"]
    done = client.post(
        f"/api/v1/submissions/{started['submission']['id']}/complete",
        json={"parts": parts},
        headers=team,
    )
    assert done.status_code == 200, done.text

"""Organiser uploads in parts, resumed after a break: what arrived is listed, the rest is
sent, the joined file is checked against its declared size and sha256 and becomes the
phase's reference data, the track's sample or devkit, or a scoring program."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from jiebang.auth.models import Role
from jiebang.staged_uploads import service
from tests.artifacts.support import scorer_manifest, zip_bytes
from tests.submissions.helpers import setup_phase, tar_bytes

PART = 1024


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "part_size_for", lambda size: PART)


def _open(
    client: TestClient, headers: dict[str, str], purpose: str, target: int, data: bytes, name: str
):
    body = {
        "purpose": purpose,
        "target_id": target,
        "filename": name,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return client.post("/api/v1/staged-uploads", json=body, headers=headers)


def _put(
    client: TestClient, headers: dict[str, str], plan: dict, data: bytes, numbers: list[int]
) -> dict[int, str]:
    sent = {}
    for part in plan["parts"]:
        if part["number"] in numbers:
            start = (part["number"] - 1) * plan["part_size"]
            put = client.put(
                part["url"], content=data[start : start + plan["part_size"]], headers=headers
            )
            assert put.status_code == 200, put.text
            sent[part["number"]] = put.json()["etag"]
    return sent


def _finish(client: TestClient, headers: dict[str, str], plan: dict, data: bytes):
    state = client.get(f"/api/v1/staged-uploads/{plan['id']}", headers=headers).json()
    have = {p["number"]: p["etag"] for p in state["parts_received"]}
    have |= _put(
        client,
        headers,
        state,
        data,
        [p["number"] for p in state["parts"] if p["number"] not in have],
    )
    parts = [{"number": n, "etag": e} for n, e in sorted(have.items())]
    return client.post(
        f"/api/v1/staged-uploads/{plan['id']}/complete", json={"parts": parts}, headers=headers
    )


def test_an_interrupted_reference_upload_resumes_and_becomes_the_phases_data(
    client: TestClient, organiser: dict[str, str], make_user: Callable[..., dict[str, str]]
) -> None:
    ids = setup_phase(client, organiser)
    data = tar_bytes({"truth.txt": b"a 1\nb 2\nc 3\nd 4\n", "pad.bin": bytes(range(256)) * 8})
    assert len(data) > 2 * PART
    plan = _open(client, organiser, "reference", ids["phase"], data, "ref.tar").json()
    count = len(plan["parts"])
    _put(client, organiser, plan, data, [1, count])  # the connection drops after two parts
    state = client.get(f"/api/v1/staged-uploads/{plan['id']}", headers=organiser).json()
    assert sorted(p["number"] for p in state["parts_received"]) == [1, count]
    participant = make_user()
    assert _open(client, participant, "reference", ids["phase"], data, "r.tar").status_code == 403
    other = make_user(Role.organiser)  # another organiser's upload is not theirs to resume
    assert client.get(f"/api/v1/staged-uploads/{plan['id']}", headers=other).status_code == 404
    done = _finish(client, organiser, plan, data)
    assert done.status_code == 200, done.text
    assert done.json()["sha256"] == hashlib.sha256(data).hexdigest()
    data_tab = client.get(f"/api/v1/tracks/{ids['track']}/data", headers=organiser).json()
    assert data_tab["hidden"][0]["sha256"] == done.json()["sha256"]
    assert {f["name"] for f in data_tab["hidden"][0]["files"]} == {"truth.txt", "pad.bin"}
    # finished: nothing is left to resume
    assert client.get(f"/api/v1/staged-uploads/{plan['id']}", headers=organiser).status_code == 404


def test_a_file_that_is_not_what_was_declared_is_refused(
    client: TestClient, organiser: dict[str, str]
) -> None:
    ids = setup_phase(client, organiser)
    data = b"x" * 1500
    plan = _open(client, organiser, "sample", ids["track"], b"y" * 1500, "s.txt").json()
    done = _finish(client, organiser, plan, data)
    assert done.status_code == 422 and done.json()["detail"][0]["loc"] == ["body", "sha256"]
    too_big = _open(client, organiser, "sample", ids["track"], b"z" * (64 * 1024 * 1024 + 1), "s")
    assert too_big.status_code == 422 and too_big.json()["detail"][0]["loc"] == ["body", "size"]


def test_a_program_and_a_devkit_sent_in_parts(
    client: TestClient, organiser: dict[str, str]
) -> None:
    ids = setup_phase(client, organiser)
    manifest = scorer_manifest(key="parts_scorer", runtime={"kind": "platform"})
    program = zip_bytes({"scorer.json": json.dumps(manifest), "score.py": "print(1)\n" * 300})
    plan = _open(client, organiser, "program", 0, program, "p.zip").json()
    done = _finish(client, organiser, plan, program)
    assert done.status_code == 200, done.text
    assert done.json()["key"] == "parts_scorer" and done.json()["version"] == "1"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.md", "# kit\n" * 400)
    kit = buffer.getvalue()
    plan = _open(client, organiser, "devkit", ids["track"], kit, "kit.zip").json()
    done = _finish(client, organiser, plan, kit)
    assert done.status_code == 200 and done.json()["files"] == 1, done.text
    files = client.get(f"/api/v1/tracks/{ids['track']}/data", headers=organiser).json()["files"]
    assert [f["name"] for f in files] == ["README.md"]

"""Team programs on code tracks declare their runtime: an OCI image shipped in the
submission (busybox-static, assembled from files) runs as ``/`` under the run stage's
limits and is scored; a kind the track does not allow is refused in zh and en."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.runtimes.support import busybox_available, busybox_layer, oci_archive
from tests.sandbox.support import needs_bwrap

from .helpers import drain, setup_phase, submit, tar_bytes, team_headers

pytestmark = [
    needs_bwrap,
    pytest.mark.skipif(not busybox_available(), reason="busybox-static or umoci missing"),
]

PREDICT = b"""n=0
for i in $(cat /inputs/ids.txt); do n=$((n + 1)); echo "$i $n"; done > /output/scores.txt
test -e /usr/bin/python3 && echo "the host system is visible" >&2
exit 0
"""


@pytest.fixture(autouse=True)
def runtime_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from jiebang.runtimes.config import get_runtime_settings

    monkeypatch.setenv("JIEBANG_RUNTIME_CACHE_DIR", str(tmp_path / "runtimes"))
    get_runtime_settings.cache_clear()
    yield
    get_runtime_settings.cache_clear()


def _program(image: bytes, script: bytes, runtime: dict[str, object]) -> bytes:
    manifest = {"entrypoint": ["/bin/sh", "/submission/predict.sh"], "runtime": runtime}
    return tar_bytes(
        {"jiebang.json": json.dumps(manifest).encode(), "predict.sh": script, "image.tar": image}
    )


def test_a_team_program_in_its_own_oci_image_runs_limited_and_is_scored(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    archive, _ = oci_archive(tmp_path / "image.tar", [busybox_layer()])
    image = archive.read_bytes()
    oci = {"kind": "oci", "archive": "image.tar"}
    ids = setup_phase(
        client,
        organiser,
        track_overrides={
            "submission_kind": "code",
            "sandbox_limits": {
                "team_runtimes": ["platform", "oci"],
                "run": {"wall_seconds": 3, "cpu_seconds": 3},
            },
        },
        reference={"truth.txt": b"a 1\nb 2\nc 3\nd 4\n", "inputs/ids.txt": b"a b c d\n"},
        concurrent_quota=5,
    )
    team = team_headers(client, make_user, ids["contest"])
    good = submit(client, team, ids["phase"], _program(image, PREDICT, oci), "p.tar").json()
    slow = submit(client, team, ids["phase"], _program(image, b"sleep 60\n", oci), "s.tar").json()
    python = {"kind": "python", "version": "3.11", "requirements": []}
    refused = submit(client, team, ids["phase"], _program(image, PREDICT, python), "r.tar").json()
    assert drain(client, tmp_path) == 3

    scored = client.get(f"/api/v1/submissions/{good['id']}", headers=team).json()
    assert scored["status"] == "scored", scored
    assert scored["scores"] == {"mae": 0.0}
    assert "host system" not in scored["logs"].get("run_stderr_tail", "")

    limited = client.get(f"/api/v1/submissions/{slow['id']}", headers=team).json()
    assert limited["status"] == "failed" and limited["failure_category"] == "submission"
    assert "time" in limited["failure_message"], limited["failure_message"]

    no = client.get(f"/api/v1/submissions/{refused['id']}", headers=team).json()
    assert no["status"] == "failed" and no["failure_category"] == "submission"
    assert "does not allow programs on the 'python' runtime" in no["failure_message"]
    assert "allowed: platform, oci" in no["failure_message"]


def test_an_uploaded_image_is_fetched_by_digest_and_runs_the_team_program(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    archive, digest = oci_archive(tmp_path / "image.tar", [busybox_layer()])
    ids = setup_phase(
        client,
        organiser,
        track_overrides={"submission_kind": "code", "sandbox_limits": {"team_runtimes": ["oci"]}},
        reference={"truth.txt": b"a 1\nb 2\nc 3\nd 4\n", "inputs/ids.txt": b"a b c d\n"},
    )
    team = team_headers(client, make_user, ids["contest"])

    def upload(data: bytes):
        return client.post(
            "/api/v1/runtime-images",
            files={"archive": ("image.tar", data, "application/x-tar")},
            headers=team,
        )

    bad = upload(tar_bytes({"readme.txt": b"not an image"}))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "archive"]
    first, again = upload(archive.read_bytes()), upload(archive.read_bytes())
    assert first.status_code == 201 and again.status_code == 200, first.text
    assert first.json()["digest"] == again.json()["digest"] == digest

    manifest = {
        "entrypoint": ["/bin/sh", "/submission/predict.sh"],
        "runtime": {"kind": "oci", "archive_digest": digest},
    }
    program = tar_bytes({"jiebang.json": json.dumps(manifest).encode(), "predict.sh": PREDICT})
    good = submit(client, team, ids["phase"], program, "p.tar").json()
    assert drain(client, tmp_path) == 1
    scored = client.get(f"/api/v1/submissions/{good['id']}", headers=team).json()
    assert scored["status"] == "scored", scored
    assert scored["scores"] == {"mae": 0.0}

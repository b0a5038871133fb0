"""A runtime built by a `jiebang worker` process (Celery on RabbitMQ, its own cache folder,
no database credentials) is seen by the API process: the worker reports its build through
the worker API, and the organiser's runtime state and the publishing check read it."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

from tests.artifacts.support import VERSION, scorer_manifest, zip_bytes

from ..submissions.helpers import setup_phase, submit
from .conftest import Platform, api
from .test_fault_injection import TERMINAL, _organiser_token, _team

SCORER = 'import json\njson.dump({"metrics": {"auc": 0.5}}, open("/out/scores.json", "w"))\n'


def test_a_build_failure_on_a_worker_process_reaches_the_api(
    platform: Platform, tmp_path: Path
) -> None:
    organiser = {"Authorization": f"Bearer {_organiser_token(platform)}"}
    manifest = scorer_manifest(
        key="remote_runtime",
        command=["python", "score.py"],
        runtime={"kind": "python", "version": VERSION, "requirements": ["jiebang-nowhere==1.0"]},
    )
    archive = zip_bytes({"scorer.json": json.dumps(manifest), "score.py": SCORER})
    with api(platform) as client:
        upload = client.post(
            "/api/v1/scoring-programs", files={"archive": ("s.zip", archive)}, headers=organiser
        )
        assert upload.status_code == 201, upload.text
        ids = setup_phase(  # type: ignore[arg-type]
            client,
            organiser,
            track_overrides={"evaluator_key": "remote_runtime", "evaluator_version": "1"},
        )
    team = _team(platform, ids["contest"])
    with api(platform) as client:
        done = submit(client, team, ids["phase"], b"a 1\nb 2\n")  # type: ignore[arg-type]
        assert done.status_code == 200, done.text
    (tmp_path / "wheelhouse").mkdir()
    worker_cache = tmp_path / "worker-runtimes"
    platform.env = platform.env | {
        "JIEBANG_RUNTIME_CACHE_DIR": str(worker_cache),  # the API's is var/work/runtimes
        "JIEBANG_RUNTIME_FIND_LINKS": str(tmp_path / "wheelhouse"),
        "JIEBANG_RUNTIME_OFFLINE": "true",
    }
    platform.add_worker()
    deadline = time.monotonic() + 300
    with api(platform) as client:
        url = f"/api/v1/submissions/{done.json()['id']}"
        while (status := client.get(url, headers=team).json()["status"]) not in TERMINAL:
            assert time.monotonic() < deadline, f"stuck at {status}"
            time.sleep(0.5)
        assert status == "failed"
        state = client.get(
            "/api/v1/scoring-programs/remote_runtime/versions/1/runtime", headers=organiser
        ).json()
        readiness = client.get(f"/api/v1/contests/{ids['contest']}/readiness", headers=organiser)
    assert state["status"] == "failed", state
    assert "jiebang-nowhere" in state["message"]
    assert [(w["worker"], w["status"]) for w in state["workers"]] == [
        (socket.gethostname(), "failed")
    ]
    assert any(worker_cache.glob("python/.*.failed.json"))  # built on the worker's disk
    assert not any((tmp_path / "var").rglob("*.failed.json"))  # never in the API's
    runtime = [m for m in readiness.json()["missing"] if m["code"] == "runtime"]
    assert runtime and "jiebang-nowhere" in runtime[0]["message_en"], readiness.json()

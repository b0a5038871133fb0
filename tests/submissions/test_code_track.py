"""A code track end to end: the team's program runs in the run sandbox over the public
inputs, the evaluator scores its outputs in the score sandbox; hostile programs fail
with a clear reason and leave the next submission unaffected."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from .helpers import TRUTH, drain, setup_phase, submit, tar_bytes, team_headers

PREDICT = b"""
import pathlib
ids = pathlib.Path("/inputs/ids.txt").read_text().split()
pathlib.Path("/output/scores.txt").write_text("".join(f"{i} {n + 1}\\n" for n, i in enumerate(ids)))
"""
PEEK = b"""
import pathlib, sys
print(pathlib.Path("/reference/truth.txt").read_text())  # the hidden answers are not mounted here
"""


def _program(source: bytes) -> bytes:
    return tar_bytes(
        {
            "jiebang.json": json.dumps({"entrypoint": ["python3", "predict.py"]}).encode(),
            "predict.py": source,
        }
    )


def test_code_submission_runs_sandboxed_and_is_scored(
    client: TestClient, organiser, make_user, tmp_path: Path
) -> None:
    reference = {"truth.txt": TRUTH.encode(), "inputs/ids.txt": b"a b c d\n"}
    ids = setup_phase(
        client,
        organiser,
        track_overrides={"submission_kind": "code"},
        reference=reference,
        concurrent_quota=5,
    )
    team = team_headers(client, make_user, ids["contest"])
    good = submit(client, team, ids["phase"], _program(PREDICT), "program.tar").json()
    peek = submit(client, team, ids["phase"], _program(PEEK), "peek.tar").json()
    no_manifest = submit(
        client, team, ids["phase"], tar_bytes({"predict.py": PREDICT}), "bare.tar"
    ).json()
    after = submit(client, team, ids["phase"], _program(PREDICT), "again.tar").json()
    assert drain(client, tmp_path) == 4

    scored = client.get(f"/api/v1/submissions/{good['id']}", headers=team).json()
    assert scored["status"] == "scored" and scored["scores"] == {"mae": 0.0}

    hostile = client.get(f"/api/v1/submissions/{peek['id']}", headers=team).json()
    assert hostile["status"] == "failed" and hostile["failure_category"] == "submission"
    assert "your program failed: exited with code 1" in hostile["failure_message"]
    assert "No such file or directory" in hostile["logs"]["run_stderr_tail"]
    assert "a 1" not in json.dumps(hostile)  # nothing of the reference leaked into the report

    bare = client.get(f"/api/v1/submissions/{no_manifest['id']}", headers=team).json()
    assert bare["failure_category"] == "submission" and "entrypoint" in bare["failure_message"]

    assert (
        client.get(f"/api/v1/submissions/{after['id']}", headers=team).json()["status"] == "scored"
    )

"""A Jiebang evaluator uploaded through the API is a new version of its key, scored by a
worker that fetches it by hash (what the worker has installed does not matter); a runtime
whose requirements do not resolve shows as failed with the resolver's words and blocks
publishing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.db import get_engine
from jiebang.evaluation.models import Score
from jiebang.runtimes.config import get_runtime_settings
from tests.artifacts.support import VERSION, scorer_manifest, zip_bytes
from tests.sandbox.support import needs_bwrap
from tests.submissions.helpers import FIXTURE_EVALUATORS, drain, setup_phase, submit, team_headers

pytestmark = needs_bwrap


def test_an_uploaded_evaluator_version_is_fetched_by_hash(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
) -> None:
    source = (FIXTURE_EVALUATORS / "line_scores" / "evaluator.py").read_text()
    doubled = source.replace('version="1.0.0"', 'version="2.0.0"')
    doubled = doubled.replace("def evaluate(ctx", "def _evaluate(ctx", 1)
    doubled += (
        "\n\ndef evaluate(ctx):\n    result = _evaluate(ctx)\n"
        "    result.metrics = {k: 2 * v for k, v in result.metrics.items()}\n"
        "    result.evaluator = EvaluatorRef(key='line_scores', version='2.0.0')\n"
        "    return result\n"
    )
    upload = client.post(
        "/api/v1/scoring-programs",
        files={
            "archive": (
                "ls.zip",
                zip_bytes({"line_scores/evaluator.py": doubled}),
                "application/zip",
            )
        },
        headers=organiser,
    )
    assert upload.status_code == 201, upload.text
    assert (upload.json()["key"], upload.json()["version"]) == ("line_scores", "2.0.0")
    versions = client.get("/api/v1/scoring-programs/line_scores/versions", headers=organiser)
    assert [v["version"] for v in versions.json()] == ["1.0.0", "2.0.0"]

    ids = setup_phase(client, organiser, track_overrides={"evaluator_version": "2.0.0"})
    team = team_headers(client, make_user, ids["contest"])
    done = submit(client, team, ids["phase"], b"a 1\nb 2\nc 3\nd 5\n")
    assert done.status_code == 200, done.text
    assert drain(client, tmp_path) == 1  # the installed copy is 1.0.0: 2.0.0 came by hash
    with Session(get_engine()) as db:
        [score] = db.exec(select(Score).where(Score.submission_id == done.json()["id"]))
    assert score.evaluator_version == "2.0.0"
    cached = list((tmp_path / "cache" / "programs").iterdir())
    assert upload.json()["sha256"] in {p.name for p in cached}


def test_a_runtime_that_does_not_resolve_blocks_publishing(
    client: TestClient,
    organiser: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "wheelhouse").mkdir()
    monkeypatch.setenv("JIEBANG_RUNTIME_CACHE_DIR", str(tmp_path / "runtimes"))
    monkeypatch.setenv("JIEBANG_RUNTIME_FIND_LINKS", str(tmp_path / "wheelhouse"))
    monkeypatch.setenv("JIEBANG_RUNTIME_OFFLINE", "true")
    get_runtime_settings.cache_clear()
    manifest = scorer_manifest(
        key="unresolvable",
        runtime={"kind": "python", "version": VERSION, "requirements": ["jiebang-nowhere==1.0"]},
    )
    upload = client.post(
        "/api/v1/scoring-programs",
        files={
            "archive": (
                "u.zip",
                zip_bytes({"scorer.json": json.dumps(manifest)}),
                "application/zip",
            )
        },
        headers=organiser,
    )
    assert upload.status_code == 201, upload.text
    ids = setup_phase(
        client,
        organiser,
        track_overrides={"evaluator_key": "unresolvable", "evaluator_version": "1"},
    )
    sample = client.put(
        f"/api/v1/tracks/{ids['track']}/sample",
        files={"file": ("scores.txt", b"a 1\n", "text/plain")},
        headers=organiser,
    )
    assert sample.status_code == 200, sample.text
    check = client.post(f"/api/v1/tracks/{ids['track']}/check", headers=organiser).json()
    assert check["status"] == "failed" and check["outcome"] == "evaluator_error"
    assert "jiebang-nowhere" in check["message"]
    state = client.get(
        "/api/v1/scoring-programs/unresolvable/versions/1/runtime", headers=organiser
    )
    assert state.json()["status"] == "failed" and "jiebang-nowhere" in state.json()["message"]
    monkeypatch.setenv("JIEBANG_READINESS_REQUIRED", "true")
    refused = client.post(f"/api/v1/contests/{ids['contest']}/publish", headers=organiser)
    assert refused.status_code == 409
    codes = {m["code"] for m in refused.json()["missing"]}
    assert {"runtime", "check"} <= codes
    get_runtime_settings.cache_clear()


def test_a_check_goes_stale_when_the_track_changes(
    client: TestClient, organiser: dict[str, str]
) -> None:
    ids = setup_phase(client, organiser)
    sample = client.put(
        f"/api/v1/tracks/{ids['track']}/sample",
        files={"file": ("scores.txt", b"a 1\nb 2\nc 3\nd 4\n", "text/plain")},
        headers=organiser,
    )
    assert sample.status_code == 200, sample.text
    check = client.post(f"/api/v1/tracks/{ids['track']}/check", headers=organiser)
    assert check.json()["status"] == "passed", check.json()
    assert check.json()["result"]["metrics"]
    url = f"/api/v1/contests/{ids['contest']}/readiness"
    assert client.get(url, headers=organiser).json() == {"ready": True, "missing": []}
    edited = client.patch(
        f"/api/v1/tracks/{ids['track']}", json={"time_limit_seconds": 300}, headers=organiser
    )
    assert edited.status_code == 200, edited.text
    [stale] = client.get(url, headers=organiser).json()["missing"]
    assert stale["code"] == "check" and "changed since its last check" in stale["message_en"]
    assert client.post(f"/api/v1/tracks/{ids['track']}/check", headers=organiser).status_code == 200
    assert client.get(url, headers=organiser).json()["ready"] is True

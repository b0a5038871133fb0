"""The issue's test: an organiser's ROC-AUC command scorer (scikit-learn in a pinned
``python`` runtime) uploaded through the API, checked, published, and a team's CSV scored
to exactly what scikit-learn's ``roc_auc_score`` says; re-scoring after a new version is
uploaded keeps the pinned one and the history."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from jiebang.db import get_engine
from jiebang.evaluation.models import EvaluationJob, Score
from jiebang.runtimes import PythonRuntime, prepare
from jiebang.sandbox import run_sandboxed
from tests.artifacts.support import (
    SKLEARN_REQUIREMENTS,
    VERSION,
    auc_scorer_zip,
    mann_whitney_auc,
)
from tests.sandbox.support import TEST_LIMITS, needs_bwrap
from tests.submissions.helpers import drain, submit, tar_bytes, team_headers

pytestmark = needs_bwrap

IDS = [f"img-{i:03d}" for i in range(40)]
_rng = random.Random(15)
LABELS = [_rng.randint(0, 1) for _ in IDS]
SCORES = [round(0.6 * label + _rng.random(), 2) for label in LABELS]  # rounding makes ties
PUBLIC, PRIVATE = IDS[:20], IDS[20:]
# scipy's import starts thread pools: more processes and memory than the tiny test limits
SCIPY_LIMITS = dataclasses.replace(
    TEST_LIMITS, wall_seconds=120, cpu_seconds=60, memory_bytes=2 * 1024**3, max_processes=64
)


def _csv(column: str, values: list[float] | list[int]) -> bytes:
    rows = "".join(f"{i},{v}\n" for i, v in zip(IDS, values, strict=True))
    return f"id,{column}\n{rows}".encode()


def sklearn_auc(ids: list[str]) -> float:
    """roc_auc_score itself, run in the same pinned runtime (the platform has no sklearn)."""
    runtime = prepare(PythonRuntime(version=VERSION, requirements=tuple(SKLEARN_REQUIREMENTS)))
    index = [IDS.index(i) for i in ids]
    labels, scores = [LABELS[i] for i in index], [SCORES[i] for i in index]
    code = f"from sklearn.metrics import roc_auc_score; print(repr(float(roc_auc_score({labels}, {scores}))))"
    result = run_sandboxed(
        [runtime.python or "python", "-c", code],
        limits=SCIPY_LIMITS,
        mounts=runtime.mounts,
        env=runtime.env,
        root=runtime.root,
    )
    assert result.succeeded, result.stderr_tail
    return float(result.stdout_tail.strip())


def _track(client: TestClient, organiser: dict[str, str]) -> dict[str, int]:
    contest = client.post(
        "/api/v1/contests",
        json={"slug": "aigc", "title_zh": "AIGC", "title_en": "AIGC", "edition": "1", "year": 2025},
        headers=organiser,
    ).json()
    track = client.post(
        f"/api/v1/contests/{contest['id']}/tracks",
        json={
            "slug": "detect",
            "title_zh": "检测",
            "title_en": "Detection",
            "evaluator_key": "aigc_auc",
            "evaluator_version": "1",
        },
        headers=organiser,
    )
    assert track.status_code == 201, track.text
    now = datetime.now(UTC)
    phase = client.post(
        f"/api/v1/tracks/{track.json()['id']}/phases",
        json={
            "slug": "final",
            "title_zh": "决赛",
            "title_en": "Final",
            "starts_at": (now - timedelta(days=1)).isoformat(),
            "ends_at": (now + timedelta(days=10)).isoformat(),
            "public_item_ids": PUBLIC,
            "private_item_ids": PRIVATE,
        },
        headers=organiser,
    )
    assert phase.status_code == 201, phase.text
    return {"contest": contest["id"], "track": track.json()["id"], "phase": phase.json()["id"]}


def _scores(submission_id: int) -> list[Score]:
    with Session(get_engine()) as db:
        query = select(Score).where(Score.submission_id == submission_id)
        return list(db.exec(query.order_by(col(Score.id))))


def test_auc_scorer_uploaded_checked_published_and_scoring_a_team(
    client: TestClient,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    tmp_path: Path,
    shared_runtimes: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    upload = client.post(
        "/api/v1/scoring-programs",
        files={"archive": ("auc.zip", auc_scorer_zip(), "application/zip")},
        headers=organiser,
    )
    assert upload.status_code == 201, upload.text
    program = upload.json()
    assert (program["kind"], program["key"], program["version"]) == ("command", "aigc_auc", "1")
    assert program["runtime"]["requirements"] == sorted(SKLEARN_REQUIREMENTS)
    assert program["spec"]["metrics"][0]["label_en"] == "ROC-AUC"
    again = client.post(
        "/api/v1/scoring-programs",
        files={"archive": ("auc.zip", auc_scorer_zip(), "application/zip")},
        headers=organiser,
    )
    assert again.status_code == 200 and again.json()["sha256"] == program["sha256"]

    ids = _track(client, organiser)
    monkeypatch.setenv("JIEBANG_READINESS_REQUIRED", "true")
    refused = client.post(f"/api/v1/contests/{ids['contest']}/publish", headers=organiser)
    assert refused.status_code == 409, refused.text
    codes = {(m["code"], m["field"]) for m in refused.json()["missing"]}
    assert ("reference_data", "phase.reference") in codes
    assert ("check", "check") in codes

    reference = tar_bytes({"labels.csv": _csv("label", LABELS)})
    put = client.put(
        f"/api/v1/phases/{ids['phase']}/reference",
        files={"archive": ("ref.tar", reference, "application/x-tar")},
        headers=organiser,
    )
    assert put.status_code == 200, put.text
    sample = client.put(
        f"/api/v1/tracks/{ids['track']}/sample",
        files={"file": ("sample.csv", _csv("score", SCORES), "text/csv")},
        headers=organiser,
    )
    assert sample.status_code == 200, sample.text
    check = client.post(f"/api/v1/tracks/{ids['track']}/check", headers=organiser)
    assert check.status_code == 200, check.text
    assert check.json()["status"] == "passed", check.json()
    assert "scoring 40 rows" in check.json()["logs"]["score_stderr_tail"]
    published = client.post(f"/api/v1/contests/{ids['contest']}/publish", headers=organiser)
    assert published.status_code == 200, published.text

    team = team_headers(client, make_user, ids["contest"])
    done = submit(client, team, ids["phase"], _csv("score", SCORES), filename="predictions.csv")
    assert done.status_code == 200, done.text
    assert drain(client, tmp_path) == 1
    [score] = _scores(done.json()["id"])
    expected = sklearn_auc(IDS)
    assert score.metrics["auc"] == expected
    assert score.metrics["auc"] == pytest.approx(mann_whitney_auc(LABELS, SCORES), abs=1e-12)
    assert score.metrics_by_split["public"]["auc"] == sklearn_auc(PUBLIC)
    assert score.metrics_by_split["private"]["auc"] == sklearn_auc(PRIVATE)

    # a new version of the scorer (reporting a constant) does not touch the pinned track
    constant = "import json; json.dump({'metrics': {'auc': 0.5}}, open('/out/scores.json', 'w'))\n"
    second = client.post(
        "/api/v1/scoring-programs",
        files={"archive": ("auc2.zip", auc_scorer_zip(constant), "application/zip")},
        headers=organiser,
    )
    assert second.status_code == 201 and second.json()["version"] == "2", second.text
    sub_id = done.json()["id"]
    rescore = client.post(f"/api/v1/judge/submissions/{sub_id}/rescore", headers=organiser)
    assert rescore.status_code == 200, rescore.text
    assert drain(client, tmp_path) == 1
    history = _scores(sub_id)
    assert [s.metrics["auc"] for s in history] == [expected, expected]
    assert [s.is_current for s in history] == [False, True]
    pinned = client.post(
        f"/api/v1/judge/submissions/{sub_id}/rescore",
        json={"evaluator_version": "2"},
        headers=organiser,
    )
    assert pinned.status_code == 200, pinned.text
    assert drain(client, tmp_path) == 1
    assert [s.metrics["auc"] for s in _scores(sub_id)] == [expected, expected, 0.5]
    with Session(get_engine()) as db:
        jobs = db.exec(select(EvaluationJob).where(EvaluationJob.submission_id == sub_id))
        assert [j.evaluator_version for j in jobs] == ["1", "1", "2"]

"""Constructed boards: teams and scored submissions inserted through the service layer,
with public and private rankings that disagree."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from jiebang.auth.models import User
from jiebang.contests.models import Phase
from jiebang.evaluation import queue
from jiebang.evaluation.models import EvaluationJob, Score
from jiebang.storage.models import StoredObject
from jiebang.submissions.models import Submission, SubmissionStatus
from jiebang.teams.models import Team

from ..submissions.helpers import setup_phase

_serial = itertools.count(1)
T0 = datetime(2024, 5, 1, tzinfo=UTC)

# Team -> (public mae, private mae). Lower is better.
# Public order: alpha, gamma, beta. Private order: beta, gamma, alpha.
SCORES = {"alpha": (0.1111, 0.9137), "beta": (0.5555, 0.2246), "gamma": (0.3333, 0.5371)}
PRIVATE_VALUES = [v[1] for v in SCORES.values()]
OVERALL_VALUES = [round((a + b) / 2, 4) for a, b in SCORES.values()]


@dataclass
class Board:
    ids: dict[str, int]
    teams: dict[str, int]  # name -> team id
    headers: dict[str, dict[str, str]]  # name -> a member's auth headers
    subs: dict[str, int]  # name -> submission id


def user_id(db: Session, headers: dict[str, str], client: TestClient) -> int:
    return int(client.get("/api/v1/auth/me", headers=headers).json()["id"])


def add_score(
    db: Session,
    *,
    submission_id: int,
    public: float,
    private: float,
    at: datetime | None = None,
    purpose: str = "initial",
) -> Score:
    """Record a score for the submission as the worker pipeline would (it becomes current)."""
    sub = db.get(Submission, submission_id)
    assert sub is not None
    job = queue.enqueue(
        db,
        sub,
        evaluator_key="line_scores",
        evaluator_version="1.0.0",
        purpose=purpose,
        max_attempts=3,
    )
    score = Score(
        job_id=job.id or 0,
        submission_id=submission_id,
        evaluator_version="1.0.0",
        metrics={"mae": round((public + private) / 2, 4)},
        metrics_by_split={"public": {"mae": public}, "private": {"mae": private}},
        items=[
            {"id": "a", "split": "public", "metrics": {"mae": public}},
            {"id": "b", "split": "public", "metrics": {"mae": public}},
            {"id": "c", "split": "private", "metrics": {"mae": private}},
            {"id": "d", "split": "private", "metrics": {"mae": private}},
        ],
        plots={
            "rd_curves": [
                {"sequence": "a", "points": [[1, public]]},
                {"sequence": "c", "points": [[1, private]]},
            ]
        },
        logs={"score": "ok"},
    )
    if at is not None:
        score.created_at = at
    queue.record_score(db, job=job, score=score)
    db.commit()
    return score


def add_submission(
    db: Session,
    *,
    phase_id: int,
    team_id: int,
    public: float,
    private: float,
    at: datetime,
    selected: bool = False,
    score_at: datetime | None = None,
) -> int:
    """A scored submission with one score (public and private split values as given)."""
    n = next(_serial)
    team = db.get(Team, team_id)
    assert team is not None
    obj = StoredObject(
        key=f"constructed/{n}-{phase_id}-{team_id}", sha256="0" * 64, size=10, filename="scores.txt"
    )
    db.add(obj)
    db.flush()
    sub = Submission(
        phase_id=phase_id,
        team_id=team_id,
        submitter_id=team.captain_id,
        status=SubmissionStatus.scored,
        filename="scores.txt",
        declared_size=10,
        declared_sha256="0" * 64,
        upload_key=obj.key,
        upload_id=f"constructed-{n}-{phase_id}",
        part_size=10,
        object_id=obj.id,
        charged=True,
        selected=selected,
        created_at=at,
        queued_at=at,
        finished_at=at,
    )
    db.add(sub)
    db.commit()
    add_score(db, submission_id=sub.id or 0, public=public, private=private, at=score_at)
    return sub.id or 0


def constructed_board(
    client: TestClient,
    db: Session,
    organiser: dict[str, str],
    make_user: Callable[..., dict[str, str]],
    **phase: Any,
) -> Board:
    """Three teams whose public and private orders disagree (see SCORES)."""
    ids = setup_phase(client, organiser, **phase)
    teams, headers, subs = {}, {}, {}
    for i, (name, (public, private)) in enumerate(SCORES.items()):
        h = make_user()
        created = client.post(
            f"/api/v1/contests/{ids['contest']}/teams", json={"name": name}, headers=h
        )
        assert created.status_code == 201, created.text
        teams[name], headers[name] = created.json()["id"], h
        subs[name] = add_submission(
            db,
            phase_id=ids["phase"],
            team_id=teams[name],
            public=public,
            private=private,
            at=T0 + timedelta(hours=i),
        )
    return Board(ids=ids, teams=teams, headers=headers, subs=subs)


def end_phase(client: TestClient, organiser: dict[str, str], phase_id: int) -> None:
    now = datetime.now(UTC)
    body = {
        "starts_at": (now - timedelta(days=2)).isoformat(),
        "ends_at": (now - timedelta(seconds=1)).isoformat(),
    }
    phase = client.get(f"/api/v1/phases/{phase_id}", headers=organiser).json()
    if phase["freeze_at"]:
        body["freeze_at"] = (now - timedelta(days=1)).isoformat()
    response = client.patch(f"/api/v1/phases/{phase_id}", json=body, headers=organiser)
    assert response.status_code == 200, response.text


def board(
    client: TestClient, phase_id: int, headers: dict[str, str] | None = None, split: str = "public"
) -> Any:
    response = client.get(
        f"/api/v1/phases/{phase_id}/leaderboard", params={"split": split}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    return response.json()


def order(body: dict[str, Any], teams: dict[str, int]) -> list[str]:
    names = {v: k for k, v in teams.items()}
    return [names[row["team_id"]] for row in body["rows"]]


def phase_row(db: Session, phase_id: int) -> Phase:
    phase = db.get(Phase, phase_id)
    assert phase is not None
    db.refresh(phase)
    return phase


def user_row(db: Session, email_prefix: str) -> User:
    found = db.exec(select(User).where(User.email.startswith(email_prefix))).first()  # type: ignore[attr-defined]
    assert found is not None
    return found


def jobs_of(db: Session, submission_id: int) -> list[EvaluationJob]:
    return list(db.exec(select(EvaluationJob).where(EvaluationJob.submission_id == submission_id)))

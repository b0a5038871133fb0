"""Organisers see the submissions held by a team's fault budget and release them."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from sqlmodel import Field, SQLModel

from jiebang.auth.dependencies import Organiser, SessionDep
from jiebang.core.errors import NotFound
from jiebang.db import utcnow
from jiebang.evaluation import dispatch, holds
from jiebang.organisations.permissions import ContestOrganiser
from jiebang.teams.models import Team

router = APIRouter(prefix="/admin", tags=["operations"])


class HeldSubmission(SQLModel):
    submission_id: int
    team_id: int
    phase_id: int
    filename: str
    queued_at: datetime | None
    team_faults: int  # refunded faults counted against the team's budget now


class ReleaseRequest(SQLModel):
    note: str = Field(default="", max_length=2000)


class Released(SQLModel):
    team_id: int
    submission_ids: list[int]


@router.get("/held", response_model=list[HeldSubmission])
def list_held(_: Organiser, db: SessionDep) -> list[HeldSubmission]:
    """Submissions waiting for an organiser because their team used its fault budget."""
    now = utcnow()
    faults: dict[int, int] = {}
    rows = []
    for sub in holds.held_submissions(db):
        if sub.team_id not in faults:
            faults[sub.team_id] = holds.faults_since(db, team_id=sub.team_id, now=now)[0]
        rows.append(
            HeldSubmission(
                submission_id=sub.id or 0,
                team_id=sub.team_id,
                phase_id=sub.phase_id,
                filename=sub.filename,
                queued_at=sub.queued_at,
                team_faults=faults[sub.team_id],
            )
        )
    return rows


@router.post("/teams/{team_id}/release", response_model=Released)
def release_team(
    team_id: int, body: ReleaseRequest, organiser: ContestOrganiser, db: SessionDep
) -> Released:
    """Queue the team's held submissions again; its fault budget starts afresh from now."""
    if db.get(Team, team_id) is None:
        raise NotFound("team")
    held = [sub.id or 0 for sub in holds.held_submissions(db, team_id=team_id)]
    jobs = holds.release(db, team_id=team_id, user_id=organiser.id or 0, note=body.note)
    dispatch.announce(jobs, db)
    return Released(team_id=team_id, submission_ids=held)

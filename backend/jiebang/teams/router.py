"""Team endpoints."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlmodel import SQLModel

from jiebang.auth.dependencies import CurrentUser, OptionalUser, SessionDep
from jiebang.auth.ratelimit import check_join_allowed, client_address
from jiebang.contests import service as contest_service
from jiebang.core.errors import NotFound
from jiebang.organisations.permissions import ContestOrganiser, is_contest_staff
from jiebang.teams import service
from jiebang.teams.models import Team, TeamCreate, TeamJoin, TeamPrivate, TeamPublic

router = APIRouter(tags=["teams"])
public_router = APIRouter(tags=["teams"])


class Approval(SQLModel):
    approved: bool


@public_router.get("/contests/{contest_id}/teams", response_model=list[TeamPublic])
def list_teams(contest_id: int, db: SessionDep, user: OptionalUser) -> list[TeamPublic]:
    """Teams of a published contest, with member display names."""
    staff = is_contest_staff(db, user, {"contest_id": contest_id})
    contest_service.get_contest(db=db, contest_id=contest_id, include_drafts=staff)
    return [
        service.to_public(db=db, team=t)
        for t in service.list_for_contest(db=db, contest_id=contest_id)
    ]


@router.post("/contests/{contest_id}/teams", response_model=TeamPrivate, status_code=201)
def create_team(
    contest_id: int, body: TeamCreate, user: CurrentUser, db: SessionDep
) -> TeamPrivate:
    """Form a team in a contest; you become its captain."""
    contest = contest_service.get_contest(db=db, contest_id=contest_id, include_drafts=False)
    team = service.create(db=db, contest=contest, user=user, name=body.name)
    return service.to_private(db=db, team=team)


@router.post("/teams/join", response_model=TeamPrivate)
def join_team(body: TeamJoin, request: Request, user: CurrentUser, db: SessionDep) -> TeamPrivate:
    """Join a team by its invite code (rate-limited: codes must not be guessable)."""
    check_join_allowed(user_id=user.id or 0, client=client_address(request))
    team = service.join(db=db, user=user, invite_code=body.invite_code)
    return service.to_private(db=db, team=team)


@router.get("/teams/mine", response_model=list[TeamPrivate])
def my_teams(user: CurrentUser, db: SessionDep) -> list[TeamPrivate]:
    """Your teams, with their invite codes."""
    return [
        service.to_private(db=db, team=t)
        for t in service.teams_of_user(db=db, user_id=user.id or 0)
    ]


@router.get("/teams/{team_id}", response_model=TeamPrivate)
def read_team(team_id: int, user: CurrentUser, db: SessionDep) -> TeamPrivate:
    """One of your teams."""
    return service.to_private(
        db=db, team=service.get_member_team(db=db, team_id=team_id, user=user)
    )


@router.post("/teams/{team_id}/leave", status_code=204)
def leave_team(team_id: int, user: CurrentUser, db: SessionDep) -> Response:
    """Leave a team."""
    team = service.get_member_team(db=db, team_id=team_id, user=user)
    service.leave(db=db, team=team, user=user)
    return Response(status_code=204)


@router.put("/teams/{team_id}/approval", response_model=TeamPublic)
def approve_team(team_id: int, body: Approval, _: ContestOrganiser, db: SessionDep) -> TeamPublic:
    """Approve (or withdraw approval of) a team, for contests that require it."""
    team = db.get(Team, team_id)
    if team is None:
        raise NotFound("team")
    return service.to_public(
        db=db, team=service.set_approved(db=db, team=team, approved=body.approved)
    )

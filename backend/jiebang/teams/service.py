"""Teams: create, join by invite code, leave, approve."""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from jiebang.auth.models import User
from jiebang.contests.models import Contest
from jiebang.core import domain_events
from jiebang.core.errors import Conflict, Forbidden, NotFound
from jiebang.db import save
from jiebang.teams.models import MemberPublic, Team, TeamMember, TeamPrivate, TeamPublic

_INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud


def new_invite_code() -> str:
    return "".join(secrets.choice(_INVITE_ALPHABET) for _ in range(10))


def members(*, db: Session, team: Team) -> list[MemberPublic]:
    """The team's members, captain first."""
    rows = db.exec(
        select(TeamMember, User)
        .join(User, User.id == TeamMember.user_id)  # type: ignore[arg-type]
        .where(TeamMember.team_id == team.id)
        .order_by(TeamMember.joined_at)  # type: ignore[arg-type]
    ).all()
    out = [
        MemberPublic(
            user_id=u.id or 0, display_name=u.display_name, is_captain=u.id == team.captain_id
        )
        for _, u in rows
    ]
    return sorted(out, key=lambda m: not m.is_captain)


def to_public(*, db: Session, team: Team) -> TeamPublic:
    return TeamPublic.model_validate(team, update={"members": members(db=db, team=team)})


def to_private(*, db: Session, team: Team) -> TeamPrivate:
    return TeamPrivate.model_validate(team, update={"members": members(db=db, team=team)})


def team_of(*, db: Session, contest_id: int, user_id: int) -> Team | None:
    """The user's team in this contest, or None."""
    return db.exec(
        select(Team)
        .join(TeamMember, TeamMember.team_id == Team.id)  # type: ignore[arg-type]
        .where(TeamMember.contest_id == contest_id, TeamMember.user_id == user_id)
    ).first()


def teams_of_user(*, db: Session, user_id: int) -> list[Team]:
    """Every team the user belongs to."""
    return list(
        db.exec(
            select(Team)
            .join(TeamMember, TeamMember.team_id == Team.id)  # type: ignore[arg-type]
            .where(TeamMember.user_id == user_id)
        )
    )


def list_for_contest(*, db: Session, contest_id: int) -> list[Team]:
    return list(db.exec(select(Team).where(Team.contest_id == contest_id).order_by(Team.id)))  # type: ignore[arg-type]


def get_member_team(*, db: Session, team_id: int, user: User) -> Team:
    """A team the user belongs to; 404 otherwise, so outsiders learn nothing."""
    team = db.get(Team, team_id)
    if team is None or team_of(db=db, contest_id=team.contest_id, user_id=user.id or 0) != team:
        raise NotFound("team")
    return team


def create(*, db: Session, contest: Contest, user: User, name: str) -> Team:
    """A new team with the user as captain; 409 if the user already has a team here."""
    if team_of(db=db, contest_id=contest.id or 0, user_id=user.id or 0):
        raise Conflict("team", key="already_in_team")
    team = Team(
        contest_id=contest.id or 0,
        name=name.strip(),
        captain_id=user.id or 0,
        invite_code=new_invite_code(),
        size_limit=contest.team_size_limit,
        approved=not contest.requires_team_approval,
    )
    db.add(team)
    try:
        db.flush()
        db.add(TeamMember(team_id=team.id or 0, contest_id=team.contest_id, user_id=user.id or 0))
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise Conflict("team") from exc
    db.refresh(team)
    return team


def join(*, db: Session, user: User, invite_code: str) -> Team:
    """Join the team holding this invite code."""
    team = db.exec(select(Team).where(Team.invite_code == invite_code.strip().upper())).first()
    if team is None:
        raise NotFound("team")
    if team_of(db=db, contest_id=team.contest_id, user_id=user.id or 0):
        raise Conflict("team", key="already_in_team")
    if len(members(db=db, team=team)) >= team.size_limit:
        raise Conflict("team", key="team_full", limit=team.size_limit)
    db.add(TeamMember(team_id=team.id or 0, contest_id=team.contest_id, user_id=user.id or 0))
    domain_events.announce(db, "team.member_joined", team_id=team.id or 0, user_id=user.id or 0)
    try:
        db.commit()
    except IntegrityError as exc:
        db.rollback()
        raise Conflict("team", key="already_in_team") from exc
    db.refresh(team)
    return team


def leave(*, db: Session, team: Team, user: User) -> None:
    """Leave a team; a captain may leave only as the last member, which dissolves it."""
    others = [m for m in members(db=db, team=team) if m.user_id != user.id]
    if user.id == team.captain_id and others:
        raise Forbidden("captain_cannot_leave")
    membership = db.exec(
        select(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == user.id)
    ).one()
    db.delete(membership)
    db.commit()


def set_approved(*, db: Session, team: Team, approved: bool) -> Team:
    """Organiser approval, for contests that require it before teams may submit."""
    if approved and not team.approved:
        domain_events.announce(db, "team.approved", team_id=team.id or 0)
    team.approved = approved
    return save(db, team)

"""Who organises and who judges a contest: the contest's own grants, by e-mail, with names.

The contest admin view lists them beside the unit that runs the contest; revoking is audited,
as granting is.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import EmailStr
from sqlmodel import Session, SQLModel, col, func, select

from jiebang.auth.dependencies import SessionDep
from jiebang.auth.models import User
from jiebang.contests.models import Contest
from jiebang.core.errors import InvalidInput, NotFound
from jiebang.organisations import service
from jiebang.organisations.models import (
    Organisation,
    OrganisationPublic,
    RoleGrant,
    ScopedRole,
    ScopeKind,
)
from jiebang.organisations.permissions import ContestOrganiser

router = APIRouter(tags=["organisations"])

CONTEST_ROLES = (ScopedRole.organiser, ScopedRole.judge)


class ContestRoleIn(SQLModel):
    email: EmailStr
    role: ScopedRole


class ContestRoleHolder(SQLModel):
    id: int
    user_id: int
    display_name: str
    email: str
    role: ScopedRole


class ContestRoles(SQLModel):
    contest_id: int
    organisation: OrganisationPublic | None  # None: the platform's own contest
    holders: list[ContestRoleHolder]


def _contest(db: Session, contest_id: int) -> Contest:
    contest = db.get(Contest, contest_id)
    if contest is None:
        raise NotFound("contest")
    return contest


def _audit(db: Session, user: User, action: str, grant: RoleGrant, holder: User) -> None:
    from jiebang.judging import audit

    details = {
        "contest_id": grant.scope_id,
        "role": str(grant.role),
        "user_id": grant.user_id,
        "user": holder.display_name,
    }
    audit.record(db=db, user=user, action=action, details=details)


def roles_of(db: Session, contest: Contest) -> ContestRoles:
    rows = db.exec(
        select(RoleGrant, User)
        .join(User, col(User.id) == col(RoleGrant.user_id))
        .where(RoleGrant.scope_kind == ScopeKind.contest, RoleGrant.scope_id == contest.id)
        .order_by(col(RoleGrant.role), col(RoleGrant.id))
    ).all()
    unit = db.get(Organisation, contest.organisation_id) if contest.organisation_id else None
    return ContestRoles(
        contest_id=contest.id or 0,
        organisation=OrganisationPublic.model_validate(unit) if unit else None,
        holders=[
            ContestRoleHolder(
                id=g.id or 0,
                user_id=g.user_id,
                display_name=u.display_name,
                email=u.email,
                role=g.role,
            )
            for g, u in rows
        ],
    )


@router.get("/contests/{contest_id}/role-holders", response_model=ContestRoles)
def list_role_holders(contest_id: int, _: ContestOrganiser, db: SessionDep) -> ContestRoles:
    """The contest's organisers and judges, by name, and the unit that runs it."""
    return roles_of(db, _contest(db, contest_id))


@router.post("/contests/{contest_id}/role-holders", response_model=ContestRoles, status_code=201)
def add_role_holder(
    contest_id: int, body: ContestRoleIn, user: ContestOrganiser, db: SessionDep
) -> ContestRoles:
    """Make the user with this e-mail a judge or a co-organiser of the contest (audited)."""
    contest = _contest(db, contest_id)
    if body.role not in CONTEST_ROLES:
        raise InvalidInput("role", "role_not_grantable", role=str(body.role))
    holder = db.exec(
        select(User).where(func.lower(col(User.email)) == str(body.email).lower())
    ).first()
    if holder is None:
        raise InvalidInput("email", "not_found", thing="user")
    grant = service.grant(
        db=db,
        user_id=holder.id or 0,
        role=body.role,
        scope_kind=ScopeKind.contest,
        scope_id=contest_id,
        granted_by=user,
    )
    _audit(db, user, "role.grant", grant, holder)
    db.commit()
    return roles_of(db, contest)


@router.delete("/contests/{contest_id}/roles/{grant_id}", status_code=204)
def revoke_role(contest_id: int, grant_id: int, user: ContestOrganiser, db: SessionDep) -> None:
    """Withdraw a judge's or an organiser's role in the contest (audited); 404 for a grant of
    another scope."""
    grant = db.get(RoleGrant, grant_id)
    holder = db.get(User, grant.user_id) if grant else None
    if grant is None or holder is None:
        raise NotFound("role")
    if grant.scope_kind != ScopeKind.contest or grant.scope_id != contest_id:
        raise NotFound("role")
    _audit(db, user, "role.revoke", grant, holder)
    service.revoke(db=db, grant_id=grant_id, scope_kind=ScopeKind.contest, scope_id=contest_id)

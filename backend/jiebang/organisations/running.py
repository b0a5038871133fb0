"""Whether a user organises something that runs: the rule behind the health page and its link.

A contest, a challenge list or one of its items, the platform, or a unit that runs a contest or
issues an item: their organisers share the evaluation machine and read its state. Registering a
unit makes its creator the unit's organiser, so a unit that only applies (揭榜单位) organises
nothing that runs; its organisers are applicants, and neither the nav nor the API offers them
the page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlmodel import Session, SQLModel, col, select

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.auth.models import User
from jiebang.challenge_lists.models import ChallengeItem
from jiebang.contests.models import Contest
from jiebang.core.errors import Forbidden
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind
from jiebang.organisations.permissions import GLOBAL_EQUIVALENTS

# an organiser grant in one of these scopes names something that runs by itself
RUNNING_SCOPES = (
    ScopeKind.platform,
    ScopeKind.contest,
    ScopeKind.challenge_list,
    ScopeKind.challenge_item,
)


class OrganisingPublic(SQLModel):
    """What the signed-in user organises, as the nav needs it."""

    runs_something: bool


def organises_running(db: Session, user: User) -> bool:
    """Whether the user organises a contest, a list or an item, the platform (a global
    organiser, a platform grant), or a unit that runs a contest or issues an item."""
    if GLOBAL_EQUIVALENTS.get(user.role) == ScopedRole.organiser:
        return True
    grants = db.exec(
        select(RoleGrant.scope_kind, RoleGrant.scope_id).where(
            RoleGrant.user_id == user.id,
            col(RoleGrant.role).in_([ScopedRole.organiser, ScopedRole.platform_admin]),
        )
    ).all()
    if any(kind in RUNNING_SCOPES for kind, _ in grants):
        return True
    units = [scope_id for kind, scope_id in grants if kind == ScopeKind.organisation]
    if not units:
        return False
    contest = db.exec(select(Contest.id).where(col(Contest.organisation_id).in_(units))).first()
    if contest is not None:
        return True
    item = db.exec(
        select(ChallengeItem.id).where(col(ChallengeItem.issuing_unit_id).in_(units))
    ).first()
    return item is not None


class RunsSomething:
    """A dependency: the current user, if they organise something that runs (else 403)."""

    def __call__(self, user: CurrentUser, db: SessionDep) -> User:
        if not organises_running(db, user):
            raise Forbidden()
        return user


RunningOrganiser = Annotated[User, Depends(RunsSomething())]

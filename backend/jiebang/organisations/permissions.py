"""One question every router asks: may this user act in this role here?

The scope comes from the request path (organisation_id, contest_id, track_id, phase_id,
submission_id, team_id, list_id, item_id, application_id), as Netflix/dispatch's
PermissionsDependency reads it: an item widens to its list and its issuing unit, an application
to its item; a submission to its phase, a phase to its track, a track or a team to its contest,
and a contest to the organisation that runs it. A role held in any of those scopes, or
platform-wide, answers yes. The global roles of ``User.role`` count as platform-wide grants, so
that deployments from before scoped roles keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlmodel import Session, col, or_, select

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.auth.models import Role, User
from jiebang.challenge_lists.models import Application, ChallengeItem
from jiebang.contests.models import Contest, Phase, Track
from jiebang.core.errors import Forbidden, NotFound
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind
from jiebang.submissions.models import Submission
from jiebang.teams.models import Team

GLOBAL_EQUIVALENTS = {Role.organiser: ScopedRole.organiser, Role.judge: ScopedRole.judge}


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    id: int = 0


PLATFORM = Scope(ScopeKind.platform)


def item_scopes(item: ChallengeItem) -> list[Scope]:
    """An item, its list, and its issuing unit."""
    found = [
        Scope(ScopeKind.challenge_item, item.id or 0),
        Scope(ScopeKind.challenge_list, item.list_id),
    ]
    if item.issuing_unit_id is not None:
        found.append(Scope(ScopeKind.organisation, item.issuing_unit_id))
    return found


def contest_scopes(contest: Contest) -> list[Scope]:
    """A contest, and the organisation that runs it (none: the platform's own)."""
    found = [Scope(ScopeKind.contest, contest.id or 0)]
    if contest.organisation_id is not None:
        found.append(Scope(ScopeKind.organisation, contest.organisation_id))
    return found


# each id of a contest's parts, the model it names and the id of the part it belongs to
CONTEST_PARTS: tuple[tuple[str, type[Any], str, str], ...] = (
    ("submission_id", Submission, "phase_id", "submission"),
    ("phase_id", Phase, "track_id", "phase"),
    ("track_id", Track, "contest_id", "track"),
    ("team_id", Team, "contest_id", "team"),
)


def _contest_scopes_from_path(db: Session, params: Mapping[str, Any]) -> list[Scope]:
    """A submission, phase, track or team widened to its contest and the contest's unit."""
    params = dict(params)
    for key, model, parent, what in CONTEST_PARTS:
        if key in params and parent not in params:
            row = db.get(model, int(params[key]))
            if row is None:
                raise NotFound(what)
            params[parent] = getattr(row, parent)
    if "contest_id" not in params:
        return []
    contest = db.get(Contest, int(params["contest_id"]))
    if contest is None:
        raise NotFound("contest")
    return contest_scopes(contest)


def scopes_from_path(db: Session, params: Mapping[str, Any]) -> list[Scope]:
    """Every scope the path names, widened (an application to its item, an item to its list
    and unit, a contest's part to the contest and its unit); 404 for an id that names
    nothing."""
    found: list[Scope] = _contest_scopes_from_path(db, params)
    if "application_id" in params:
        app = db.get(Application, int(params["application_id"]))
        if app is None:
            raise NotFound("application")
        params = {**params, "item_id": app.item_id}
    if "item_id" in params:
        item = db.get(ChallengeItem, int(params["item_id"]))
        if item is None:
            raise NotFound("challenge item")
        found += item_scopes(item)
    if "list_id" in params:
        found.append(Scope(ScopeKind.challenge_list, int(params["list_id"])))
    if "organisation_id" in params:
        found.append(Scope(ScopeKind.organisation, int(params["organisation_id"])))
    return found


def roles_held(db: Session, user: User, scopes: Iterable[Scope]) -> set[ScopedRole]:
    """The roles the user holds in any of these scopes or platform-wide."""
    wanted = [PLATFORM, *scopes]
    held: set[ScopedRole] = set()
    if user.role in GLOBAL_EQUIVALENTS:
        held.add(GLOBAL_EQUIVALENTS[user.role])
    conditions = [
        (col(RoleGrant.scope_kind) == s.kind) & (col(RoleGrant.scope_id) == s.id) for s in wanted
    ]
    rows = db.exec(
        select(RoleGrant.role).where(RoleGrant.user_id == user.id, or_(*conditions))
    ).all()
    held.update(ScopedRole(r) for r in rows)
    return held


def may(db: Session, user: User, roles: Iterable[ScopedRole], scopes: Iterable[Scope]) -> bool:
    """Whether the user holds one of ``roles`` here (a platform administrator always does)."""
    held = roles_held(db, user, scopes)
    return ScopedRole.platform_admin in held or bool(held & set(roles))


def require(db: Session, user: User, roles: Iterable[ScopedRole], scopes: Iterable[Scope]) -> None:
    """403 unless ``may``."""
    if not may(db, user, roles, scopes):
        raise Forbidden()


def holds_anywhere(db: Session, user: User, roles: Iterable[ScopedRole]) -> bool:
    """Whether the user holds one of ``roles`` in some scope (or is a platform administrator):
    enough to read shared catalogues such as the evaluators a track may use."""
    wanted = {*roles, ScopedRole.platform_admin}
    if GLOBAL_EQUIVALENTS.get(user.role) in wanted:
        return True
    found = db.exec(
        select(RoleGrant.id).where(RoleGrant.user_id == user.id, col(RoleGrant.role).in_(wanted))
    ).first()
    return found is not None


def organisers_in(db: Session, scopes: Iterable[Scope]) -> list[int]:
    """Who organises these scopes by a grant held there (not platform-wide), by user id;
    when nobody does, the platform's organisers (global role or platform grant)."""
    conditions = [
        (col(RoleGrant.scope_kind) == s.kind) & (col(RoleGrant.scope_id) == s.id) for s in scopes
    ]
    found: list[int] = []
    if conditions:
        found = list(
            db.exec(
                select(RoleGrant.user_id)
                .where(RoleGrant.role == ScopedRole.organiser, or_(*conditions))
                .distinct()
            ).all()
        )
    if found:
        return sorted(found)
    platform = db.exec(
        select(RoleGrant.user_id).where(
            col(RoleGrant.scope_kind) == ScopeKind.platform,
            col(RoleGrant.role).in_([ScopedRole.organiser, ScopedRole.platform_admin]),
        )
    ).all()
    legacy = db.exec(select(User.id).where(User.role == Role.organiser)).all()
    return sorted({*platform, *(u for u in legacy if u is not None)})


def item_organisers(db: Session, item_id: int) -> list[int]:
    """The organisers of an item's own scope: the item, its list, its issuing unit."""
    item = db.get(ChallengeItem, item_id)
    return organisers_in(db, item_scopes(item) if item else [])


CONTEST_STAFF = (ScopedRole.organiser, ScopedRole.judge)


def is_contest_staff(db: Session, user: User | None, params: Mapping[str, Any]) -> bool:
    """Whether the user organises or judges the contest the ids name (a draft, live and
    private values are theirs to see); False for anonymous readers."""
    if user is None:
        return False
    if user.role in GLOBAL_EQUIVALENTS:
        return True
    return may(db, user, CONTEST_STAFF, scopes_from_path(db, params))


class Permission:
    """A dependency: the current user, if they hold one of the roles in the path's scope.

    ``query`` names query parameters that scope the request too (for a filter such as the
    audit log's ``phase_id``); without any, only a platform-wide role answers yes."""

    def __init__(self, *roles: ScopedRole, query: tuple[str, ...] = ()) -> None:
        self.roles = roles
        self.query = query

    def __call__(self, request: Request, user: CurrentUser, db: SessionDep) -> User:
        params: dict[str, Any] = dict(request.path_params)
        for name in self.query:
            value = request.query_params.get(name)
            if value is not None and value.isdigit():
                params[name] = value
        require(db, user, self.roles, scopes_from_path(db, params))
        return user


class AnyScope:
    """A dependency: the current user, if they hold one of the roles in some scope."""

    def __init__(self, *roles: ScopedRole) -> None:
        self.roles = roles

    def __call__(self, user: CurrentUser, db: SessionDep) -> User:
        if not holds_anywhere(db, user, self.roles):
            raise Forbidden()
        return user


# the checks the contest rooms ask: organise this contest (its unit's organisers, its own, the
# platform's), or organise or judge it
ContestOrganiser = Annotated[User, Depends(Permission(ScopedRole.organiser))]
ContestStaff = Annotated[User, Depends(Permission(ScopedRole.organiser, ScopedRole.judge))]
AnyOrganiser = Annotated[User, Depends(AnyScope(ScopedRole.organiser))]
AnyStaff = Annotated[User, Depends(AnyScope(ScopedRole.organiser, ScopedRole.judge))]

"""One question every router asks: may this user act in this role here?

The scope comes from the request path (organisation_id, contest_id, list_id, item_id,
application_id), as Netflix/dispatch's PermissionsDependency reads it: an item widens to its
list and its issuing unit, an application to its item. A role held in any of those scopes, or
platform-wide, answers yes. The global roles of ``User.role`` count as platform-wide grants, so
that deployments from before scoped roles keep working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlmodel import Session, col, or_, select

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.auth.models import Role, User
from jiebang.challenge_lists.models import Application, ChallengeItem
from jiebang.core.errors import Forbidden, NotFound
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind

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


def scopes_from_path(db: Session, params: Mapping[str, Any]) -> list[Scope]:
    """Every scope the path names, widened (an application to its item, an item to its list
    and unit); 404 for an id that names nothing."""
    found: list[Scope] = []
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
    if "contest_id" in params:
        found.append(Scope(ScopeKind.contest, int(params["contest_id"])))
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


class Permission:
    """A dependency: the current user, if they hold one of the roles in the path's scope."""

    def __init__(self, *roles: ScopedRole) -> None:
        self.roles = roles

    def __call__(self, request: Request, user: CurrentUser, db: SessionDep) -> User:
        require(db, user, self.roles, scopes_from_path(db, request.path_params))
        return user

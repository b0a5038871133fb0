"""Withdrawing a unit's, a list's or a platform role, audited as granting is, never orphaning.

A unit keeps at least one organiser (nobody else edits it or adds its members), the platform
keeps at least one administrator (nobody else hands out platform roles; an administrator
organises too, and only administrators revoke platform roles, so the platform never runs out
of organisers this way), and nobody removes their own last platform role (they could not take
it back; the global organiser role counts as one). Each refusal is a 409 naming the person and
the role. A list has no such floor: the platform's organisers run every list.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from jiebang.auth.models import Role, User
from jiebang.core.errors import Conflict, NotFound
from jiebang.core.i18n import translate
from jiebang.organisations import service
from jiebang.organisations.models import RoleGrant, ScopedRole, ScopeKind


def audit_grant(db: Session, *, by: User, action: str, grant: RoleGrant) -> None:
    """Append ``role.grant`` or ``role.revoke`` for a grant of any scope (the caller commits)."""
    from jiebang.judging import audit

    holder = db.get(User, grant.user_id)
    details = {
        "scope": str(grant.scope_kind),
        "scope_id": grant.scope_id,
        "role": str(grant.role),
        "user_id": grant.user_id,
        "user": holder.display_name if holder else "",
    }
    audit.record(db=db, user=by, action=action, details=details)


def _lock_scope(db: Session, scope_kind: ScopeKind, scope_id: int) -> None:
    """Hold the scope's grants until the transaction ends: a no-op UPDATE row-locks them on
    PostgreSQL and, as the transaction's first write, takes SQLite's write lock. Two
    revocations in one scope so wait for each other, and the second reads the first's
    outcome (its grant gone, or the floor reached) instead of passing the floor too."""
    table = RoleGrant.__table__  # type: ignore[attr-defined]
    db.execute(
        update(table)
        .where(table.c.scope_kind == scope_kind, table.c.scope_id == scope_id)
        .values(scope_id=table.c.scope_id)
    )


def _others_holding(db: Session, grant: RoleGrant, roles: tuple[ScopedRole, ...]) -> list[int]:
    """Who else holds one of ``roles`` in this grant's scope (read under :func:`_lock_scope`)."""
    rows = db.exec(
        select(RoleGrant.id, RoleGrant.user_id).where(
            RoleGrant.scope_kind == grant.scope_kind,
            RoleGrant.scope_id == grant.scope_id,
            col(RoleGrant.role).in_(roles),
        )
    ).all()
    return [user_id for grant_id, user_id in rows if grant_id != grant.id]


class LockoutRefused(Conflict):
    """A 409 naming the holder and the role, in the reader's locale (known only when the
    error is answered)."""

    def __init__(self, key: str, grant: RoleGrant, holder: User) -> None:
        super().__init__("role", key, name=holder.display_name, email=holder.email)
        self.role = grant.role

    def message(self) -> str:
        role = translate(f"scoped_role_{self.role}")
        return translate(self.key, **{**self.params, "role": role})


def _refuse_platform_lockout(db: Session, grant: RoleGrant, holder: User, by: User) -> None:
    if grant.role == ScopedRole.platform_admin and not _others_holding(
        db, grant, (ScopedRole.platform_admin,)
    ):
        raise LockoutRefused("last_platform_admin", grant, holder)
    if grant.user_id == by.id and by.role != Role.organiser:
        kept = db.exec(
            select(RoleGrant.id).where(
                RoleGrant.user_id == by.id,
                RoleGrant.scope_kind == ScopeKind.platform,
                RoleGrant.id != grant.id,
            )
        ).first()
        if kept is None:
            raise LockoutRefused("own_last_platform_role", grant, holder)


def revoke(*, db: Session, grant_id: int, scope_kind: ScopeKind, scope_id: int, by: User) -> None:
    """Withdraw a grant of this scope (404 for one of another scope, or one withdrawn meanwhile;
    409 where it would leave the unit or the platform without its floor), audited in the same
    commit."""
    _lock_scope(db, scope_kind, scope_id)
    grant = db.exec(
        select(RoleGrant).where(RoleGrant.id == grant_id).execution_options(populate_existing=True)
    ).first()
    holder = db.get(User, grant.user_id) if grant else None
    if grant is None or holder is None:
        raise NotFound("role")
    if grant.scope_kind != scope_kind or grant.scope_id != scope_id:
        raise NotFound("role")
    if scope_kind == ScopeKind.platform:
        _refuse_platform_lockout(db, grant, holder, by)
    if (
        scope_kind == ScopeKind.organisation
        and grant.role == ScopedRole.organiser
        and not _others_holding(db, grant, (ScopedRole.organiser,))
    ):
        raise LockoutRefused("last_unit_organiser", grant, holder)
    audit_grant(db, by=by, action="role.revoke", grant=grant)
    service.revoke(db=db, grant_id=grant_id, scope_kind=scope_kind, scope_id=scope_id)

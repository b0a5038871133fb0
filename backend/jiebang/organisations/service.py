"""Organisations, their members, and role grants."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from jiebang.auth.models import User
from jiebang.core import domain_events
from jiebang.core.errors import Conflict, InvalidInput, NotFound
from jiebang.db import save, utcnow
from jiebang.organisations.credit_code import is_valid
from jiebang.organisations.models import (
    Membership,
    MembershipPublic,
    Organisation,
    OrganisationCreate,
    OrganisationUpdate,
    RoleGrant,
    RoleHolderPublic,
    ScopedRole,
    ScopeKind,
)


def list_organisations(*, db: Session) -> list[Organisation]:
    """Every organisation, by name."""
    return list(db.exec(select(Organisation).order_by(col(Organisation.name_en))))


def get(*, db: Session, organisation_id: int) -> Organisation:
    """The organisation, or 404."""
    found = db.get(Organisation, organisation_id)
    if found is None:
        raise NotFound("organisation")
    return found


def create(*, db: Session, org_in: OrganisationCreate, creator: User) -> Organisation:
    """A new unit; its creator becomes a member and its organiser. 409 for a taken code."""
    if org_in.credit_code is not None and not is_valid(org_in.credit_code):
        raise InvalidInput("credit_code", "credit_code_invalid")
    org = Organisation.model_validate(org_in)
    db.add(org)
    try:
        db.flush()
    except IntegrityError as exc:
        db.rollback()
        raise Conflict("organisation") from exc
    db.add(Membership(organisation_id=org.id or 0, user_id=creator.id or 0))
    db.add(
        RoleGrant(
            user_id=creator.id or 0,
            role=ScopedRole.organiser,
            scope_kind=ScopeKind.organisation,
            scope_id=org.id or 0,
            granted_by=creator.id,
        )
    )
    db.commit()
    db.refresh(org)
    return org


def update(*, db: Session, org: Organisation, org_in: OrganisationUpdate) -> Organisation:
    # null means "leave as is": every stored field is required (a cleared contact is "")
    org.sqlmodel_update(org_in.model_dump(exclude_unset=True, exclude_none=True))
    return save(db, org)


def members(*, db: Session, organisation_id: int) -> list[MembershipPublic]:
    rows = db.exec(
        select(Membership, User)
        .join(User, col(User.id) == col(Membership.user_id))
        .where(Membership.organisation_id == organisation_id)
        .order_by(col(Membership.id))
    ).all()
    return [
        MembershipPublic(
            organisation_id=m.organisation_id,
            user_id=m.user_id,
            display_name=u.display_name,
            email=u.email,
        )
        for m, u in rows
    ]


def add_member(*, db: Session, organisation_id: int, user_id: int) -> None:
    """Make a user a member; 404 for an unknown user, nothing for an existing member."""
    if db.get(User, user_id) is None:
        raise NotFound("user")
    if is_member(db=db, organisation_id=organisation_id, user_id=user_id):
        return
    db.add(Membership(organisation_id=organisation_id, user_id=user_id))
    db.commit()


def remove_member(*, db: Session, organisation_id: int, user_id: int) -> None:
    for row in db.exec(
        select(Membership).where(
            Membership.organisation_id == organisation_id, Membership.user_id == user_id
        )
    ):
        db.delete(row)
    db.commit()


def is_member(*, db: Session, organisation_id: int, user_id: int) -> bool:
    return (
        db.exec(
            select(Membership.id).where(
                Membership.organisation_id == organisation_id, Membership.user_id == user_id
            )
        ).first()
        is not None
    )


def organisations_of(*, db: Session, user_id: int) -> list[Organisation]:
    """The units a user belongs to."""
    return list(
        db.exec(
            select(Organisation)
            .join(Membership, col(Membership.organisation_id) == col(Organisation.id))
            .where(Membership.user_id == user_id)
        )
    )


def grant(
    *,
    db: Session,
    user_id: int,
    role: ScopedRole,
    scope_kind: ScopeKind,
    scope_id: int,
    granted_by: User,
) -> RoleGrant:
    """Give a user a role in a scope (the existing grant if they hold it already)."""
    found, _ = grant_once(
        db=db,
        user_id=user_id,
        role=role,
        scope_kind=scope_kind,
        scope_id=scope_id,
        granted_by=granted_by,
    )
    return found


def grant_once(
    *,
    db: Session,
    user_id: int,
    role: ScopedRole,
    scope_kind: ScopeKind,
    scope_id: int,
    granted_by: User,
) -> tuple[RoleGrant, bool]:
    """The user's grant of this role in this scope, and whether this call made it. The row is
    inserted unless it exists (ON CONFLICT DO NOTHING on the unique key), so that the same
    grant sent many times at once makes one row, never a 500."""
    if db.get(User, user_id) is None:
        raise NotFound("user")
    table = RoleGrant.__table__  # type: ignore[attr-defined]
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    inserted = db.execute(
        insert(table)
        .values(
            user_id=user_id,
            role=role,
            scope_kind=scope_kind,
            scope_id=scope_id,
            granted_by=granted_by.id,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing()
        .returning(table.c.id)
    )
    created = inserted.first() is not None
    found = db.exec(
        select(RoleGrant)
        .where(
            RoleGrant.user_id == user_id,
            RoleGrant.role == role,
            RoleGrant.scope_kind == scope_kind,
            RoleGrant.scope_id == scope_id,
        )
        .execution_options(populate_existing=True)
    ).one()
    if created:
        domain_events.announce(
            db,
            "role.granted",
            user_id=user_id,
            role=str(role),
            scope=str(scope_kind),
            scope_id=scope_id,
        )
    db.commit()
    db.refresh(found)
    return found, created


def revoke(*, db: Session, grant_id: int, scope_kind: ScopeKind, scope_id: int) -> None:
    """Withdraw a grant of this scope; 404 for one of another scope."""
    found = db.get(RoleGrant, grant_id)
    if found is None or found.scope_kind != scope_kind or found.scope_id != scope_id:
        raise NotFound("role")
    db.delete(found)
    db.commit()


def grants_of(*, db: Session, user_id: int) -> list[RoleGrant]:
    return list(db.exec(select(RoleGrant).where(RoleGrant.user_id == user_id)))


def grants_in(*, db: Session, scope_kind: ScopeKind, scope_id: int) -> list[RoleGrant]:
    return list(
        db.exec(
            select(RoleGrant).where(
                RoleGrant.scope_kind == scope_kind, RoleGrant.scope_id == scope_id
            )
        )
    )


def holder_of(*, db: Session, found: RoleGrant) -> RoleHolderPublic:
    """The grant with its holder's name and e-mail."""
    user = db.get(User, found.user_id)
    return RoleHolderPublic(
        id=found.id or 0,
        user_id=found.user_id,
        role=found.role,
        scope_kind=found.scope_kind,
        scope_id=found.scope_id,
        display_name=user.display_name if user else "",
        email=user.email if user else "",
    )


def holders_in(*, db: Session, scope_kind: ScopeKind, scope_id: int) -> list[RoleHolderPublic]:
    """The grants of a scope with their holders' names and e-mails, by role then age."""
    rows = db.exec(
        select(RoleGrant, User)
        .join(User, col(User.id) == col(RoleGrant.user_id))
        .where(RoleGrant.scope_kind == scope_kind, RoleGrant.scope_id == scope_id)
        .order_by(col(RoleGrant.role), col(RoleGrant.id))
    ).all()
    return [
        RoleHolderPublic(
            id=g.id or 0,
            user_id=g.user_id,
            role=g.role,
            scope_kind=g.scope_kind,
            scope_id=g.scope_id,
            display_name=u.display_name,
            email=u.email,
        )
        for g, u in rows
    ]

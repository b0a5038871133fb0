"""Organisation, membership and scoped-role endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.auth.models import User
from jiebang.core.errors import InvalidInput
from jiebang.organisations import people, revocation, service
from jiebang.organisations.models import (
    MembershipIn,
    MembershipPublic,
    Organisation,
    OrganisationCreate,
    OrganisationPublic,
    OrganisationUpdate,
    RoleGrant,
    RoleGrantIn,
    RoleGrantPublic,
    RoleHolderPublic,
    ScopedRole,
    ScopeKind,
)
from jiebang.organisations.permissions import Permission
from jiebang.organisations.running import OrganisingPublic, organises_running

router = APIRouter(tags=["organisations"])
public_router = APIRouter(tags=["organisations"])

OrgOrganiser = Annotated[User, Depends(Permission(ScopedRole.organiser))]
PlatformAdmin = Annotated[User, Depends(Permission(ScopedRole.platform_admin))]

# which roles each scope can hand out (item reviewers go through reviews/, with conflict checks)
GRANTABLE = {
    ScopeKind.platform: {ScopedRole.platform_admin, ScopedRole.organiser, ScopedRole.judge},
    ScopeKind.organisation: {ScopedRole.organiser},
    ScopeKind.contest: {ScopedRole.organiser, ScopedRole.judge},
    ScopeKind.challenge_list: {ScopedRole.organiser, ScopedRole.reviewer},
}


def _grant(
    db: SessionDep, body: RoleGrantIn, kind: ScopeKind, scope_id: int, by: User
) -> tuple[RoleGrant, bool]:
    if body.role not in GRANTABLE[kind]:
        raise InvalidInput("role", "role_not_grantable", role=str(body.role))
    holder = people.named_user(db=db, person=body)
    return service.grant_once(
        db=db,
        user_id=holder.id or 0,
        role=body.role,
        scope_kind=kind,
        scope_id=scope_id,
        granted_by=by,
    )


def _audited_grant(
    db: SessionDep, body: RoleGrantIn, kind: ScopeKind, scope_id: int, by: User
) -> RoleHolderPublic:
    """The grant, audited once: a repeat of a held grant answers it again, unaudited."""
    found, created = _grant(db, body, kind, scope_id, by)
    if created:
        revocation.audit_grant(db, by=by, action="role.grant", grant=found)
        db.commit()
    return service.holder_of(db=db, found=found)


@public_router.get("/organisations", response_model=list[OrganisationPublic])
def list_organisations(db: SessionDep) -> list[Organisation]:
    """Every issuing and applicant unit."""
    return service.list_organisations(db=db)


@public_router.get("/organisations/{organisation_id}", response_model=OrganisationPublic)
def read_organisation(organisation_id: int, db: SessionDep) -> Organisation:
    """One unit."""
    return service.get(db=db, organisation_id=organisation_id)


@router.post("/organisations", response_model=OrganisationPublic, status_code=201)
def create_organisation(
    body: OrganisationCreate, user: CurrentUser, db: SessionDep
) -> Organisation:
    """Register a unit; you become its member and organiser."""
    return service.create(db=db, org_in=body, creator=user)


@router.patch("/organisations/{organisation_id}", response_model=OrganisationPublic)
def update_organisation(
    organisation_id: int, body: OrganisationUpdate, _: OrgOrganiser, db: SessionDep
) -> Organisation:
    """Edit your unit."""
    return service.update(
        db=db, org=service.get(db=db, organisation_id=organisation_id), org_in=body
    )


@router.get("/organisations/{organisation_id}/members", response_model=list[MembershipPublic])
def list_members(organisation_id: int, _: OrgOrganiser, db: SessionDep) -> list[MembershipPublic]:
    """Your unit's members."""
    return service.members(db=db, organisation_id=organisation_id)


@router.post("/organisations/{organisation_id}/members", status_code=204)
def add_member(organisation_id: int, body: MembershipIn, _: OrgOrganiser, db: SessionDep) -> None:
    """Add a member to your unit, named by e-mail (or, for older clients, by user_id)."""
    service.get(db=db, organisation_id=organisation_id)
    member = people.named_user(db=db, person=body)
    service.add_member(db=db, organisation_id=organisation_id, user_id=member.id or 0)


@router.delete("/organisations/{organisation_id}/members/{user_id}", status_code=204)
def remove_member(organisation_id: int, user_id: int, _: OrgOrganiser, db: SessionDep) -> None:
    """Remove a member from your unit."""
    service.remove_member(db=db, organisation_id=organisation_id, user_id=user_id)


@router.get("/organisations/{organisation_id}/roles", response_model=list[RoleHolderPublic])
def list_org_roles(organisation_id: int, _: OrgOrganiser, db: SessionDep) -> list[RoleHolderPublic]:
    """Roles held in your unit, with their holders' names and e-mails."""
    return service.holders_in(db=db, scope_kind=ScopeKind.organisation, scope_id=organisation_id)


@router.post(
    "/organisations/{organisation_id}/roles", response_model=RoleHolderPublic, status_code=201
)
def grant_org_role(
    organisation_id: int, body: RoleGrantIn, user: OrgOrganiser, db: SessionDep
) -> RoleHolderPublic:
    """Make the user with this e-mail (or, for older clients, user_id) an organiser of your
    unit."""
    service.get(db=db, organisation_id=organisation_id)
    return _audited_grant(db, body, ScopeKind.organisation, organisation_id, user)


@router.delete("/organisations/{organisation_id}/roles/{grant_id}", status_code=204)
def revoke_org_role(
    organisation_id: int, grant_id: int, user: OrgOrganiser, db: SessionDep
) -> None:
    """Withdraw an organiser's role in your unit (audited); 409 for its last organiser."""
    revocation.revoke(
        db=db,
        grant_id=grant_id,
        scope_kind=ScopeKind.organisation,
        scope_id=organisation_id,
        by=user,
    )


@router.post("/contests/{contest_id}/roles", response_model=RoleGrantPublic, status_code=201)
def grant_contest_role(
    contest_id: int, body: RoleGrantIn, user: OrgOrganiser, db: SessionDep
) -> RoleGrant:
    """Assign a judge (or an organiser) to a contest (audited, as on /role-holders)."""
    from jiebang.judging import audit

    found, created = _grant(db, body, ScopeKind.contest, contest_id, user)
    if not created:
        return found
    details = {"contest_id": contest_id, "role": str(found.role), "user_id": found.user_id}
    audit.record(db=db, user=user, action="role.grant", details=details)
    db.commit()
    return found


@router.get("/contests/{contest_id}/roles", response_model=list[RoleGrantPublic])
def list_contest_roles(contest_id: int, _: OrgOrganiser, db: SessionDep) -> list[RoleGrant]:
    """Roles held in a contest."""
    return service.grants_in(db=db, scope_kind=ScopeKind.contest, scope_id=contest_id)


@router.get("/challenge-lists/{list_id}/roles", response_model=list[RoleHolderPublic])
def list_list_roles(list_id: int, _: OrgOrganiser, db: SessionDep) -> list[RoleHolderPublic]:
    """The organisers and expert reviewers of a whole list, by name and e-mail."""
    return service.holders_in(db=db, scope_kind=ScopeKind.challenge_list, scope_id=list_id)


@router.post("/challenge-lists/{list_id}/roles", response_model=RoleHolderPublic, status_code=201)
def grant_list_role(
    list_id: int, body: RoleGrantIn, user: OrgOrganiser, db: SessionDep
) -> RoleHolderPublic:
    """Make the user with this e-mail (or user_id) an organiser or an expert reviewer of a
    whole list."""
    return _audited_grant(db, body, ScopeKind.challenge_list, list_id, user)


@router.delete("/challenge-lists/{list_id}/roles/{grant_id}", status_code=204)
def revoke_list_role(list_id: int, grant_id: int, user: OrgOrganiser, db: SessionDep) -> None:
    """Withdraw an organiser's or an expert reviewer's role in a whole list (audited)."""
    revocation.revoke(
        db=db, grant_id=grant_id, scope_kind=ScopeKind.challenge_list, scope_id=list_id, by=user
    )


@router.get("/platform/roles", response_model=list[RoleHolderPublic])
def list_platform_roles(_: PlatformAdmin, db: SessionDep) -> list[RoleHolderPublic]:
    """Platform-wide grants (platform administrators only)."""
    return service.holders_in(db=db, scope_kind=ScopeKind.platform, scope_id=0)


@router.post("/platform/roles", response_model=RoleHolderPublic, status_code=201)
def grant_platform_role(body: RoleGrantIn, user: PlatformAdmin, db: SessionDep) -> RoleHolderPublic:
    """Grant a platform-wide role to the user with this e-mail (or user_id); platform
    administrators only."""
    return _audited_grant(db, body, ScopeKind.platform, 0, user)


@router.delete("/platform/roles/{grant_id}", status_code=204)
def revoke_platform_role(grant_id: int, user: PlatformAdmin, db: SessionDep) -> None:
    """Withdraw a platform-wide role (audited); 409 for the last administrator, or for your
    own last platform role."""
    revocation.revoke(db=db, grant_id=grant_id, scope_kind=ScopeKind.platform, scope_id=0, by=user)


@router.get("/me/roles", response_model=list[RoleGrantPublic])
def my_roles(user: CurrentUser, db: SessionDep) -> list[RoleGrant]:
    """The roles you hold, scope by scope."""
    return service.grants_of(db=db, user_id=user.id or 0)


@router.get("/me/organising", response_model=OrganisingPublic)
def my_organising(user: CurrentUser, db: SessionDep) -> OrganisingPublic:
    """Whether you organise something that runs: the health page is yours to read."""
    return OrganisingPublic(runs_something=organises_running(db, user))


@router.get("/me/organisations", response_model=list[OrganisationPublic])
def my_organisations(user: CurrentUser, db: SessionDep) -> list[Organisation]:
    """The units you belong to."""
    return service.organisations_of(db=db, user_id=user.id or 0)

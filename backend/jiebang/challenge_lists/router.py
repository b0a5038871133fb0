"""Challenge list, item and application endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import StreamingResponse

from jiebang.auth.dependencies import CurrentUser, OptionalUser, SessionDep, is_staff
from jiebang.auth.models import User
from jiebang.challenge_lists import service
from jiebang.challenge_lists.models import (
    ApplicationPublic,
    ApplicationReview,
    ChallengeItemCreate,
    ChallengeItemPublic,
    ChallengeItemUpdate,
    ChallengeList,
    ChallengeListCreate,
    ChallengeListPublic,
    ChallengeListUpdate,
    StatusChange,
)
from jiebang.organisations import permissions
from jiebang.organisations.models import ScopedRole, ScopeKind
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.storage.models import StoredObject
from jiebang.teams import service as team_service

router = APIRouter(tags=["challenge lists"])
public_router = APIRouter(tags=["challenge lists"])

# an organiser of the platform, of the list, or of the item's issuing unit
ScopedOrganiser = Annotated[User, Depends(permissions.Permission(ScopedRole.organiser))]
ItemStaff = Annotated[
    User, Depends(permissions.Permission(ScopedRole.organiser, ScopedRole.reviewer))
]
READERS = (ScopedRole.organiser, ScopedRole.reviewer, ScopedRole.judge)


def _require_unit_organiser(db: SessionDep, user: User, unit_id: int | None, list_id: int) -> None:
    """An item's issuing unit may be set by an organiser of that unit (or of the list)."""
    scopes = [permissions.Scope(ScopeKind.challenge_list, list_id)]
    if unit_id is not None:
        scopes.append(permissions.Scope(ScopeKind.organisation, unit_id))
    permissions.require(db, user, [ScopedRole.organiser], scopes)


def may_read_application(db: SessionDep, user: User, application_id: int) -> bool:
    """Staff of the application's item (its organisers, reviewers, or platform judges)."""
    scopes = permissions.scopes_from_path(db, {"application_id": application_id})
    return permissions.may(db, user, READERS, scopes)


# ---------------------------------------------------------------- public reads
@public_router.get("/challenge-lists", response_model=list[ChallengeListPublic])
def list_lists(db: SessionDep, user: OptionalUser) -> list[ChallengeList]:
    """Published and closed lists (staff also see drafts)."""
    return service.list_lists(db=db, include_drafts=is_staff(user))


@public_router.get("/challenge-lists/{list_id}", response_model=ChallengeListPublic)
def read_list(list_id: int, db: SessionDep, user: OptionalUser) -> ChallengeList:
    """One list."""
    return service.get_list(db=db, list_id=list_id, include_drafts=is_staff(user))


@public_router.get("/challenge-lists/{list_id}/items", response_model=list[ChallengeItemPublic])
def list_items(list_id: int, db: SessionDep, user: OptionalUser) -> list[ChallengeItemPublic]:
    """A list's items with their targets."""
    service.get_list(db=db, list_id=list_id, include_drafts=is_staff(user))
    return [service.item_public(db=db, item=i) for i in service.list_items(db=db, list_id=list_id)]


@public_router.get("/challenge-items/{item_id}", response_model=ChallengeItemPublic)
def read_item(item_id: int, db: SessionDep, user: OptionalUser) -> ChallengeItemPublic:
    """One item with its targets."""
    item = service.get_item(db=db, item_id=item_id, include_drafts=is_staff(user))
    return service.item_public(db=db, item=item)


# ---------------------------------------------------------------- organiser writes
@router.post("/challenge-lists", response_model=ChallengeListPublic, status_code=201)
def create_list(body: ChallengeListCreate, _: ScopedOrganiser, db: SessionDep) -> ChallengeList:
    """Create the draft list for a year."""
    return service.create_list(db=db, list_in=body)


@router.patch("/challenge-lists/{list_id}", response_model=ChallengeListPublic)
def update_list(
    list_id: int, body: ChallengeListUpdate, organiser: ScopedOrganiser, db: SessionDep
) -> ChallengeList:
    """Edit a list (its time zone only while a draft; audited: the fields before and after)."""
    from jiebang.judging import audit

    found = service.get_list(db=db, list_id=list_id, include_drafts=True)
    before = audit.snapshot(found)
    updated = service.update_list(db=db, found=found, list_in=body)
    audit.record_edit(
        db=db, user=organiser, action="challenge_list.edit", before=before, row=updated
    )
    return updated


@router.put("/challenge-lists/{list_id}/status", response_model=ChallengeListPublic)
def change_list_status(
    list_id: int, body: StatusChange, _: ScopedOrganiser, db: SessionDep
) -> ChallengeList:
    """Publish or close a list."""
    found = service.get_list(db=db, list_id=list_id, include_drafts=True)
    return service.set_list_status(db=db, found=found, status=body.status)


@router.post(
    "/challenge-lists/{list_id}/items", response_model=ChallengeItemPublic, status_code=201
)
def create_item(
    list_id: int, body: ChallengeItemCreate, user: CurrentUser, db: SessionDep
) -> ChallengeItemPublic:
    """Add an item with structured targets (an issuing unit's organisers add their unit's)."""
    found = service.get_list(db=db, list_id=list_id, include_drafts=True)
    _require_unit_organiser(db, user, body.issuing_unit_id, list_id)
    return service.item_public(db=db, item=service.create_item(db=db, found=found, item_in=body))


@router.patch("/challenge-items/{item_id}", response_model=ChallengeItemPublic)
def update_item(
    item_id: int, body: ChallengeItemUpdate, user: ScopedOrganiser, db: SessionDep
) -> ChallengeItemPublic:
    """Edit an item; a given target list replaces the old one."""
    item = service.get_item(db=db, item_id=item_id, include_drafts=True)
    if body.issuing_unit_id is not None and body.issuing_unit_id != item.issuing_unit_id:
        _require_unit_organiser(db, user, body.issuing_unit_id, item.list_id)
    return service.item_public(db=db, item=service.update_item(db=db, item=item, item_in=body))


# ---------------------------------------------------------------- applications
@router.post(
    "/challenge-items/{item_id}/applications", response_model=ApplicationPublic, status_code=201
)
def apply(
    item_id: int,
    team_id: Annotated[int, Form()],
    proposal: Annotated[UploadFile, File(description="Proposal document (PDF, ≤ 50 MiB)")],
    user: CurrentUser,
    db: SessionDep,
    summary: Annotated[str, Form(max_length=5000)] = "",
) -> ApplicationPublic:
    """Apply (揭榜) to an item on behalf of one of your teams, with a PDF proposal."""
    item = service.get_item(db=db, item_id=item_id, include_drafts=False)
    team = team_service.get_member_team(db=db, team_id=team_id, user=user)
    app = service.apply(
        db=db,
        store=get_store(),
        item=item,
        team=team,
        user=user,
        summary=summary,
        filename=proposal.filename or "proposal.pdf",
        stream=proposal.file,
    )
    return service.application_public(db=db, app=app)


@router.get("/challenge-items/{item_id}/applications", response_model=list[ApplicationPublic])
def list_applications(item_id: int, _: ItemStaff, db: SessionDep) -> list[ApplicationPublic]:
    """Every application to an item, for review."""
    service.get_item(db=db, item_id=item_id, include_drafts=True)
    return [
        service.application_public(db=db, app=a)
        for a in service.applications_for_item(db=db, item_id=item_id)
    ]


@router.get("/applications/mine", response_model=list[ApplicationPublic])
def my_applications(user: CurrentUser, db: SessionDep) -> list[ApplicationPublic]:
    """Applications made by your teams."""
    return [
        service.application_public(db=db, app=a)
        for a in service.applications_of_user(db=db, user=user)
    ]


@router.get("/applications/{application_id}", response_model=ApplicationPublic)
def read_application(application_id: int, user: CurrentUser, db: SessionDep) -> ApplicationPublic:
    """An application of your team (or any, for staff)."""
    app = service.get_application_for(
        db=db,
        application_id=application_id,
        user=user,
        staff=may_read_application(db, user, application_id),
    )
    return service.application_public(db=db, app=app)


@router.get("/applications/{application_id}/proposal")
def download_proposal(application_id: int, user: CurrentUser, db: SessionDep) -> StreamingResponse:
    """The proposal PDF, streamed."""
    app = service.get_application_for(
        db=db,
        application_id=application_id,
        user=user,
        staff=may_read_application(db, user, application_id),
    )
    obj = db.get(StoredObject, app.proposal_object_id)
    assert obj is not None
    return StreamingResponse(
        storage_service.iter_object(store=get_store(), obj=obj),
        media_type=obj.content_type,
        headers={"Content-Disposition": f'attachment; filename="{obj.sha256[:12]}.pdf"'},
    )


@router.put("/applications/{application_id}/review", response_model=ApplicationPublic)
def review_application(
    application_id: int, body: ApplicationReview, organiser: ScopedOrganiser, db: SessionDep
) -> ApplicationPublic:
    """Shortlist, award (挂帅) or reject, with notes."""
    from jiebang.judging import audit

    app = service.get_application_for(
        db=db, application_id=application_id, user=organiser, staff=True
    )
    before = str(app.status)
    decided = service.review(db=db, app=app, reviewer=organiser, review_in=body)
    audit.record(
        db=db,
        user=organiser,
        action=f"application.{decided.status}"[:32],
        reason=body.reviewer_notes,
        details={
            "application_id": decided.id,
            "item_id": decided.item_id,
            "team_id": decided.team_id,
            "before": before,
            "after": str(decided.status),
        },
    )
    db.commit()
    return service.application_public(db=db, app=decided)

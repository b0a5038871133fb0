"""Endpoints for applications by units, the formal check, and resubmission."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import TypeAdapter, ValidationError

from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.auth.models import User
from jiebang.challenge_lists import service, unit_applications
from jiebang.challenge_lists.models import ApplicationPublic, FormalCheck, TeamMemberIn
from jiebang.challenge_lists.router import may_read_application
from jiebang.challenge_lists.unit_applications import UnitApplicationIn, Upload
from jiebang.core.errors import InvalidInput, NotFound
from jiebang.judging import audit
from jiebang.organisations.models import ScopedRole
from jiebang.organisations.permissions import Permission
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.storage.models import StoredObject

router = APIRouter(tags=["challenge lists"])
ItemOrganiser = Annotated[User, Depends(Permission(ScopedRole.organiser))]
_MEMBERS = TypeAdapter(list[TeamMemberIn])


def _members(raw: str) -> list[TeamMemberIn]:
    try:
        found = _MEMBERS.validate_python(json.loads(raw or "[]"))
    except (ValueError, ValidationError) as exc:
        raise InvalidInput("members", "members_invalid") from exc
    if len(found) > 50:
        raise InvalidInput("members", "members_invalid")
    return found


@router.post(
    "/challenge-items/{item_id}/unit-applications",
    response_model=ApplicationPublic,
    status_code=201,
)
def apply_as_unit(
    item_id: int,
    organisation_id: Annotated[int, Form()],
    lead_name: Annotated[str, Form(min_length=1, max_length=80)],
    proposal: Annotated[UploadFile, File(description="申报书, PDF ≤ 50 MiB")],
    commitment: Annotated[UploadFile, File(description="承诺书, PDF ≤ 50 MiB")],
    user: CurrentUser,
    db: SessionDep,
    lead_email: Annotated[str, Form(max_length=320)] = "",
    members: Annotated[str, Form(max_length=20000, description="JSON [{name, role}]")] = "[]",
    budget_cny: Annotated[int | None, Form(ge=0, le=10**13)] = None,
    team_id: Annotated[int | None, Form()] = None,
    summary: Annotated[str, Form(max_length=5000)] = "",
) -> ApplicationPublic:
    """Apply (揭榜) on behalf of your unit, with the proposal and the commitment letter."""
    item = service.get_item(db=db, item_id=item_id, include_drafts=False)
    app = unit_applications.apply(
        db=db,
        store=get_store(),
        item=item,
        user=user,
        body=UnitApplicationIn(
            organisation_id=organisation_id,
            lead_name=lead_name,
            lead_email=lead_email,
            members=_members(members),
            budget_cny=budget_cny,
            team_id=team_id,
            summary=summary,
        ),
        proposal=Upload("proposal", proposal.filename or "proposal.pdf", proposal.file),
        commitment=Upload("commitment", commitment.filename or "commitment.pdf", commitment.file),
    )
    return service.application_public(db=db, app=app)


@router.put("/applications/{application_id}/formal-check", response_model=ApplicationPublic)
def formal_check(
    application_id: int, body: FormalCheck, organiser: ItemOrganiser, db: SessionDep
) -> ApplicationPublic:
    """形式审查: complete, or returned with the missing items listed."""
    app = service.get_application_for(
        db=db, application_id=application_id, user=organiser, staff=True
    )
    before = str(app.status)
    checked = unit_applications.formal_check(db=db, app=app, checker=organiser, check=body)
    audit.record(
        db=db,
        user=organiser,
        action=f"application.{checked.status}"[:32],
        reason=body.notes,
        details={
            "application_id": checked.id,
            "item_id": checked.item_id,
            "applicant_org_id": checked.applicant_org_id,
            "missing_items": checked.missing_items,
            "before": before,
            "after": str(checked.status),
        },
    )
    db.commit()
    return service.application_public(db=db, app=checked)


@router.put("/applications/{application_id}/resubmission", response_model=ApplicationPublic)
def resubmit(
    application_id: int,
    user: CurrentUser,
    db: SessionDep,
    proposal: Annotated[UploadFile | None, File()] = None,
    commitment: Annotated[UploadFile | None, File()] = None,
    summary: Annotated[str | None, Form(max_length=5000)] = None,
    budget_cny: Annotated[int | None, Form(ge=0, le=10**13)] = None,
) -> ApplicationPublic:
    """Amend a returned application and send it again before the deadline."""
    app = service.get_application_for(db=db, application_id=application_id, user=user, staff=True)
    uploads = [
        Upload(name, f.filename or f"{name}.pdf", f.file)
        for name, f in (("proposal", proposal), ("commitment", commitment))
        if f is not None
    ]
    amended = unit_applications.resubmit(
        db=db,
        store=get_store(),
        app=app,
        user=user,
        uploads=uploads,
        summary=summary,
        budget_cny=budget_cny,
    )
    return service.application_public(db=db, app=amended)


@router.get("/applications/units/mine", response_model=list[ApplicationPublic])
def my_unit_applications(user: CurrentUser, db: SessionDep) -> list[ApplicationPublic]:
    """Applications you or your units made."""
    return [
        service.application_public(db=db, app=a)
        for a in unit_applications.applications_of_units(db=db, user=user)
    ]


@router.get("/applications/{application_id}/commitment")
def download_commitment(
    application_id: int, user: CurrentUser, db: SessionDep
) -> StreamingResponse:
    """The commitment letter PDF, streamed (applicants and the item's staff)."""
    app = service.get_application_for(db=db, application_id=application_id, user=user, staff=True)
    if not (
        may_read_application(db, user, application_id)
        or unit_applications.may_amend(db=db, app=app, user=user)
    ):
        raise NotFound("application")
    obj = db.get(StoredObject, app.commitment_object_id) if app.commitment_object_id else None
    if obj is None:
        raise NotFound("application")
    return StreamingResponse(
        storage_service.iter_object(store=get_store(), obj=obj),
        media_type=obj.content_type,
        headers={"Content-Disposition": f'attachment; filename="{obj.sha256[:12]}.pdf"'},
    )

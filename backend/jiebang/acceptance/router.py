"""Milestone, report, verdict and acceptance (验收) endpoints of an appointed item.

An item may have several appointees: a report is filed for the appointee its author speaks
for, a decision and the desk name the appointee (``application_id``; optional while there is
one), and an appointee reads only its own record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from fastapi.responses import StreamingResponse

from jiebang.acceptance import decision, service, views
from jiebang.acceptance.models import (
    AcceptanceDesk,
    AcceptancePublic,
    DecisionPublic,
    MilestoneIn,
    MilestonePublic,
    MilestoneUpdate,
    Outcome,
    PlanIn,
    VerdictIn,
)
from jiebang.acceptance.service import Appointment
from jiebang.acceptance.views import Abilities
from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.auth.models import User
from jiebang.challenge_lists import service as list_service
from jiebang.core.errors import Forbidden, NotFound
from jiebang.organisations import permissions
from jiebang.organisations.models import ScopedRole
from jiebang.organisations.permissions import Permission
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.storage.models import StoredObject

router = APIRouter(tags=["acceptance"])
ScopedOrganiser = Annotated[User, Depends(Permission(ScopedRole.organiser))]
ScopedReviewer = Annotated[User, Depends(Permission(ScopedRole.reviewer))]
AcceptanceStaff = Annotated[User, Depends(Permission(ScopedRole.organiser, ScopedRole.reviewer))]
PdfUpload = Annotated[UploadFile, File(description="PDF ≤ 50 MiB")]


def _appointment(db: SessionDep, item_id: int) -> Appointment:
    item = list_service.get_item(db=db, item_id=item_id, include_drafts=True)
    return service.get_appointment(db=db, item=item)


def _abilities(db: SessionDep, user: User, appointment: Appointment) -> Abilities:
    scopes = permissions.item_scopes(appointment.item)
    return Abilities(
        edit=permissions.may(db, user, [ScopedRole.organiser], scopes),
        report=bool(service.appointees_for(db=db, appointment=appointment, user=user)),
        review=permissions.may(db, user, [ScopedRole.reviewer], scopes),
    )


def _room(
    db: SessionDep, user: User, appointment: Appointment, chosen: int | None = None
) -> AcceptancePublic:
    abilities = _abilities(db, user, appointment)
    if not (abilities.staff or abilities.report):
        raise Forbidden()
    mine = tuple(
        a.id or 0 for a in service.appointees_for(db=db, appointment=appointment, user=user)
    )
    if chosen is not None and not abilities.staff and chosen not in mine:
        raise Forbidden("not_appointee")
    return views.acceptance_public(
        db=db, appointment=appointment, abilities=abilities, mine=mine, chosen=chosen
    )


def _milestone(
    db: SessionDep, user: User, item_id: int, milestone_id: int, application_id: int | None = None
) -> MilestonePublic:
    """The milestone as the room shows it, with the reports of the given appointee (else the
    caller's own, else the first)."""
    room = _room(db, user, _appointment(db, item_id), application_id)
    return next(m for m in room.milestones if m.id == milestone_id)


def _pdf(obj: StoredObject | None) -> StreamingResponse:
    if obj is None:
        raise NotFound("file")
    return StreamingResponse(
        storage_service.iter_object(store=get_store(), obj=obj),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{obj.sha256[:12]}.pdf"'},
    )


@router.get("/challenge-items/{item_id}/acceptance", response_model=AcceptancePublic)
def read_acceptance(
    item_id: int,
    user: CurrentUser,
    db: SessionDep,
    application_id: Annotated[
        int | None, Query(description="whose record the flat fields show")
    ] = None,
) -> AcceptancePublic:
    """The appointed item's deadline and milestones, and each appointee's reports, verdicts
    and decision, with what the caller may do (organisers, reviewers and the appointees only;
    an appointee reads its own record)."""
    return _room(db, user, _appointment(db, item_id), application_id)


@router.put("/challenge-items/{item_id}/acceptance/deadline", response_model=AcceptancePublic)
def set_deadline(
    item_id: int, body: PlanIn, organiser: ScopedOrganiser, db: SessionDep
) -> AcceptancePublic:
    """The completion deadline no milestone may pass."""
    appointment = _appointment(db, item_id)
    service.set_deadline(db=db, appointment=appointment, plan_in=body, by=organiser)
    return _room(db, organiser, appointment)


@router.post(
    "/challenge-items/{item_id}/milestones", response_model=MilestonePublic, status_code=201
)
def add_milestone(
    item_id: int, body: MilestoneIn, organiser: ScopedOrganiser, db: SessionDep
) -> MilestonePublic:
    """A milestone (date, title, deliverables) between the appointment and the deadline."""
    appointment = _appointment(db, item_id)
    found = service.add_milestone(db=db, appointment=appointment, milestone_in=body, by=organiser)
    return _milestone(db, organiser, item_id, found.id or 0)


@router.patch(
    "/challenge-items/{item_id}/milestones/{milestone_id}", response_model=MilestonePublic
)
def update_milestone(
    item_id: int,
    milestone_id: int,
    body: MilestoneUpdate,
    organiser: ScopedOrganiser,
    db: SessionDep,
) -> MilestonePublic:
    """Change a milestone's date, title or deliverables."""
    appointment = _appointment(db, item_id)
    found = service.get_milestone(db=db, item_id=item_id, milestone_id=milestone_id)
    service.update_milestone(db=db, appointment=appointment, milestone=found, changes=body)
    return _milestone(db, organiser, item_id, milestone_id)


@router.delete("/challenge-items/{item_id}/milestones/{milestone_id}", status_code=204)
def delete_milestone(
    item_id: int, milestone_id: int, _: ScopedOrganiser, db: SessionDep
) -> Response:
    """Remove a milestone nobody has reported on."""
    appointment = _appointment(db, item_id)
    service.delete_milestone(
        db=db,
        appointment=appointment,
        milestone=service.get_milestone(db=db, item_id=item_id, milestone_id=milestone_id),
    )
    return Response(status_code=204)


@router.post(
    "/challenge-items/{item_id}/milestones/{milestone_id}/reports",
    response_model=MilestonePublic,
    status_code=201,
)
def submit_report(
    item_id: int,
    milestone_id: int,
    document: PdfUpload,
    user: CurrentUser,
    db: SessionDep,
    note: Annotated[str, Form(max_length=5000)] = "",
    application_id: Annotated[int | None, Form()] = None,
) -> MilestonePublic:
    """An appointee's report on a milestone (PDF), for the appointee the caller speaks for
    (name it when that is several); a revision is a new version."""
    appointment = _appointment(db, item_id)
    found = service.get_milestone(db=db, item_id=item_id, milestone_id=milestone_id)
    report = service.submit_report(
        db=db,
        store=get_store(),
        appointment=appointment,
        milestone=found,
        user=user,
        note=note,
        filename=document.filename or "report.pdf",
        stream=document.file,
        application_id=application_id,
    )
    return _milestone(db, user, item_id, milestone_id, report.application_id)


@router.get("/challenge-items/{item_id}/milestones/{milestone_id}/reports/{report_id}/document")
def download_report(
    item_id: int, milestone_id: int, report_id: int, user: CurrentUser, db: SessionDep
) -> StreamingResponse:
    """A report's PDF, for the item's organisers, reviewers and the appointee that filed it."""
    appointment = _appointment(db, item_id)
    found = service.get_milestone(db=db, item_id=item_id, milestone_id=milestone_id)
    report = service.get_report(db=db, milestone=found, report_id=report_id)
    _room(db, user, appointment, report.application_id)
    return _pdf(db.get(StoredObject, report.document_object_id))


@router.put(
    "/challenge-items/{item_id}/milestones/{milestone_id}/reports/{report_id}/verdict",
    response_model=MilestonePublic,
)
def record_verdict(
    item_id: int,
    milestone_id: int,
    report_id: int,
    body: VerdictIn,
    reviewer: ScopedReviewer,
    db: SessionDep,
) -> MilestonePublic:
    """An assigned reviewer's verdict (pass / needs revision / fail) on the current report."""
    _appointment(db, item_id)
    found = service.get_milestone(db=db, item_id=item_id, milestone_id=milestone_id)
    report = service.get_report(db=db, milestone=found, report_id=report_id)
    service.record_verdict(db=db, milestone=found, report=report, reviewer=reviewer, body=body)
    return _milestone(db, reviewer, item_id, milestone_id, report.application_id)


@router.get("/challenge-items/{item_id}/acceptance/desk", response_model=AcceptanceDesk)
def read_desk(
    item_id: int,
    _: AcceptanceStaff,
    db: SessionDep,
    application_id: Annotated[
        int | None, Query(description="the appointee; the first if none")
    ] = None,
) -> AcceptanceDesk:
    """Final acceptance of one appointee side by side: each target, the verified score that
    meets or misses it, and the reviewers' verdicts."""
    return views.desk(db=db, appointment=_appointment(db, item_id), application_id=application_id)


@router.post(
    "/challenge-items/{item_id}/acceptance/decision",
    response_model=DecisionPublic,
    status_code=201,
)
def decide(
    item_id: int,
    outcome: Annotated[Outcome, Form()],
    document: PdfUpload,
    organiser: ScopedOrganiser,
    db: SessionDep,
    note: Annotated[str, Form(max_length=5000)] = "",
    application_id: Annotated[int | None, Form()] = None,
) -> DecisionPublic:
    """Record accepted / accepted with conditions / not accepted for one appointee (name it
    when the item has several), with a document; once per appointee."""
    appointment = _appointment(db, item_id)
    found = decision.decide(
        db=db,
        store=get_store(),
        appointment=appointment,
        outcome=outcome,
        note=note,
        filename=document.filename or "acceptance.pdf",
        stream=document.file,
        by=organiser,
        application_id=application_id,
    )
    shown = views.decision_public(db, found)
    assert shown is not None
    return shown


@router.get("/challenge-items/{item_id}/acceptance/decision/document")
def download_decision(
    item_id: int,
    user: CurrentUser,
    db: SessionDep,
    application_id: Annotated[int | None, Query(description="the appointee; yours if none")] = None,
) -> StreamingResponse:
    """An appointee's acceptance decision document."""
    room = _room(db, user, _appointment(db, item_id), application_id)
    found = service.decision_of(db=db, item_id=item_id, application_id=room.application_id)
    if found is None:
        raise NotFound("acceptance")
    return _pdf(db.get(StoredObject, found.document_object_id))

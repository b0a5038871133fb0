"""Public notice (公示), objection and appointment (挂帅) endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import StreamingResponse

from jiebang.appointments import service
from jiebang.appointments.models import (
    AnswerIn,
    NoticeIn,
    NoticePeriodIn,
    NoticePublic,
    ObjectionPublic,
    PeriodPreview,
)
from jiebang.auth.dependencies import CurrentUser, SessionDep
from jiebang.auth.models import User
from jiebang.challenge_lists import service as list_service
from jiebang.core.errors import NotFound
from jiebang.organisations.models import ScopedRole
from jiebang.organisations.permissions import Permission
from jiebang.storage import service as storage_service
from jiebang.storage.config import get_store
from jiebang.storage.models import StoredObject

router = APIRouter(tags=["appointments"])
public_router = APIRouter(tags=["appointments"])
ScopedOrganiser = Annotated[User, Depends(Permission(ScopedRole.organiser))]


@router.post("/challenge-items/{item_id}/notice", response_model=NoticePublic, status_code=201)
def propose(
    item_id: int, body: NoticeIn, organiser: ScopedOrganiser, db: SessionDep
) -> NoticePublic:
    """Propose the appointee and open the public notice (default 5 working days)."""
    item = list_service.get_item(db=db, item_id=item_id, include_drafts=True)
    notice = service.propose(db=db, item=item, notice_in=body, by=organiser)
    return service.notice_public(db=db, notice=notice)


@router.post("/challenge-items/{item_id}/notice/preview", response_model=PeriodPreview)
def preview_period(
    item_id: int, body: NoticePeriodIn, _: ScopedOrganiser, db: SessionDep
) -> PeriodPreview:
    """The period a notice proposed now would get (its end by the list's working calendar, the
    holidays skipped, the 调休 days counted, warnings), without proposing anything."""
    item = list_service.get_item(db=db, item_id=item_id, include_drafts=True)
    return service.preview_period(db=db, item=item, period_in=body)


@public_router.get("/notices", response_model=list[NoticePublic])
def list_notices(db: SessionDep) -> list[NoticePublic]:
    """Every public notice, current and past, the latest period first (readable by anyone)."""
    return [service.notice_public(db=db, notice=n) for n in service.all_notices(db=db)]


@public_router.get("/challenge-items/{item_id}/notice", response_model=NoticePublic)
def read_notice(item_id: int, db: SessionDep) -> NoticePublic:
    """The public notice: item, appointee, reward, period, and the objections with answers."""
    return service.notice_public(db=db, notice=service.get_notice(db=db, item_id=item_id))


@router.get("/challenge-items/{item_id}/notice/objections/{objection_id}/document")
def objection_document(
    item_id: int, objection_id: int, _: ScopedOrganiser, db: SessionDep
) -> StreamingResponse:
    """The document filed with an objection, for the item's organisers."""
    found = service.get_objection(
        db=db, notice=service.get_notice(db=db, item_id=item_id), objection_id=objection_id
    )
    obj = db.get(StoredObject, found.document_object_id) if found.document_object_id else None
    if obj is None:
        raise NotFound("objection")
    return StreamingResponse(
        storage_service.iter_object(store=get_store(), obj=obj),
        media_type=obj.content_type,
        headers={"Content-Disposition": f'attachment; filename="objection-{objection_id}.pdf"'},
    )


@router.post(
    "/challenge-items/{item_id}/notice/objections",
    response_model=ObjectionPublic,
    status_code=201,
)
def file_objection(
    item_id: int,
    text: Annotated[str, Form(min_length=1, max_length=5000)],
    user: CurrentUser,
    db: SessionDep,
    document: Annotated[UploadFile | None, File(description="PDF ≤ 50 MiB")] = None,
) -> ObjectionPublic:
    """Object during the notice period, with a supporting document."""
    notice = service.get_notice(db=db, item_id=item_id)
    found = service.file_objection(
        db=db,
        store=get_store(),
        notice=notice,
        user=user,
        text=text,
        filename=document.filename if document else None,
        stream=document.file if document else None,
    )
    return next(
        o for o in service.notice_public(db=db, notice=notice).objections if o.id == found.id
    )


@router.put(
    "/challenge-items/{item_id}/notice/objections/{objection_id}/answer",
    response_model=NoticePublic,
)
def answer_objection(
    item_id: int, objection_id: int, body: AnswerIn, organiser: ScopedOrganiser, db: SessionDep
) -> NoticePublic:
    """Answer an objection; the answer stays on the record."""
    notice = service.get_notice(db=db, item_id=item_id)
    service.answer(db=db, notice=notice, objection_id=objection_id, answer_in=body, by=organiser)
    return service.notice_public(db=db, notice=notice)


@router.post("/challenge-items/{item_id}/appointment", response_model=NoticePublic)
def appoint(item_id: int, organiser: ScopedOrganiser, db: SessionDep) -> NoticePublic:
    """Make the appointment final (挂帅) after the period, with every objection answered."""
    notice = service.get_notice(db=db, item_id=item_id)
    return service.notice_public(db=db, notice=service.finalise(db=db, notice=notice, by=organiser))

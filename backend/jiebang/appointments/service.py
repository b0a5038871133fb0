"""Public notice over working days, objections with documents and answers, the appointment
of each proposed appointee."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from jiebang.appointments import period as period_rules
from jiebang.appointments.models import (
    AnswerIn,
    AppointeePublic,
    NoticeAppointee,
    NoticeIn,
    NoticePeriodIn,
    NoticePublic,
    NoticeStatus,
    Objection,
    ObjectionPublic,
    PeriodPreview,
    PublicNotice,
)
from jiebang.auth.models import User
from jiebang.calendars.working_days import WorkingCalendar
from jiebang.challenge_lists.models import (
    Application,
    ApplicationStatus,
    ChallengeItem,
    ChallengeList,
)
from jiebang.core import domain_events, row_lock
from jiebang.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from jiebang.db import save, utcnow
from jiebang.organisations import service as org_service
from jiebang.organisations.models import Organisation
from jiebang.storage import service as storage_service
from jiebang.storage.backend import ObjectStore

PROPOSABLE = {ApplicationStatus.complete, ApplicationStatus.shortlisted}


def _zone(db: Session, item: ChallengeItem) -> str:
    found = db.get(ChallengeList, item.list_id)
    return found.timezone if found else "Asia/Shanghai"


def preview_period(*, db: Session, item: ChallengeItem, period_in: NoticePeriodIn) -> PeriodPreview:
    """The period a notice proposed now would get, by the list's zone and working calendar."""
    found = db.get(ChallengeList, item.list_id)
    return period_rules.notice_period(
        period_in=period_in,
        zone=found.timezone if found else "Asia/Shanghai",
        calendar=found.working_calendar if found else WorkingCalendar.cn,
        now=utcnow(),
    )


def _when(value: datetime, zone: str) -> str:
    return f"{value.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} ({zone})"


def get_notice(*, db: Session, item_id: int) -> PublicNotice:
    found = db.exec(select(PublicNotice).where(PublicNotice.item_id == item_id)).first()
    if found is None:
        raise NotFound("public notice")
    return found


def all_notices(*, db: Session) -> list[PublicNotice]:
    """Every notice, the latest period first."""
    query = select(PublicNotice).order_by(col(PublicNotice.starts_at).desc(), col(PublicNotice.id))
    return list(db.exec(query))


def get_objection(*, db: Session, notice: PublicNotice, objection_id: int) -> Objection:
    found = db.get(Objection, objection_id)
    if found is None or found.notice_id != notice.id:
        raise NotFound("objection")
    return found


def appointees_of(*, db: Session, notice: PublicNotice) -> list[Application]:
    """The notice's appointees, in the order the organiser proposed them."""
    rows = db.exec(
        select(Application)
        .join(NoticeAppointee, col(NoticeAppointee.application_id) == Application.id)
        .where(NoticeAppointee.notice_id == notice.id)
        .order_by(col(NoticeAppointee.position), col(NoticeAppointee.id))
    )
    return list(rows)


def people_of(*, db: Session, app: Application) -> list[int]:
    """Who speaks for an appointee: the applicant and every member of the applying unit."""
    ids = {app.applicant_id}
    if app.applicant_org_id is not None:
        ids |= {m.user_id for m in org_service.members(db=db, organisation_id=app.applicant_org_id)}
    return sorted(ids)


def _proposable(db: Session, item: ChallengeItem, application_ids: list[int]) -> list[Application]:
    apps = []
    for app_id in application_ids:
        app = db.get(Application, app_id)
        if app is None or app.item_id != item.id:
            raise InvalidInput("application_ids", "not_found", thing="application")
        if app.status not in PROPOSABLE:
            raise DomainError(
                "bad_status_transition", thing="application", current=app.status, target="awarded"
            )
        apps.append(app)
    return apps


def propose(*, db: Session, item: ChallengeItem, notice_in: NoticeIn, by: User) -> PublicNotice:
    """Put the proposed appointees on public notice (default: 5 working days from now)."""
    apps = _proposable(db, item, notice_in.application_ids)
    if db.exec(select(PublicNotice.id).where(PublicNotice.item_id == item.id)).first():
        raise Conflict("public notice")
    period = preview_period(db=db, item=item, period_in=notice_in)
    ends = period.ends_at
    notice = PublicNotice(
        item_id=item.id or 0,
        starts_at=period.starts_at,
        ends_at=ends,
        working_days=period.working_days,
        working_calendar=period.working_calendar,
        fallback_years=[w.year for w in period.warnings],
        created_by=by.id,
    )
    db.add(notice)
    try:
        db.flush()
    except IntegrityError as exc:  # another proposal for this item was written meanwhile
        db.rollback()
        raise Conflict("public notice") from exc
    for position, app in enumerate(apps, start=1):
        db.add(
            NoticeAppointee(notice_id=notice.id or 0, application_id=app.id or 0, position=position)
        )
    domain_events.announce(
        db,
        "appointment.proposed",
        item_id=item.id,
        application_id=apps[0].id,
        application_ids=tuple(a.id for a in apps),
        ends_at=ends.isoformat(),
    )
    return save(db, notice)


def objections_of(*, db: Session, notice_id: int) -> list[Objection]:
    return list(
        db.exec(
            select(Objection).where(Objection.notice_id == notice_id).order_by(col(Objection.id))
        )
    )


def _appointee_public(db: Session, app: Application, position: int) -> AppointeePublic:
    unit = db.get(Organisation, app.applicant_org_id) if app.applicant_org_id else None
    return AppointeePublic(
        application_id=app.id or 0,
        position=position,
        appointee_org_id=app.applicant_org_id,
        appointee_zh=unit.name_zh if unit else app.lead_name,
        appointee_en=unit.name_en if unit else app.lead_name,
    )


def notice_public(*, db: Session, notice: PublicNotice) -> NoticePublic:
    item = db.get(ChallengeItem, notice.item_id)
    assert item is not None
    appointees = [
        _appointee_public(db, app, n)
        for n, app in enumerate(appointees_of(db=db, notice=notice), start=1)
    ]
    assert appointees, "a notice names at least one appointee"
    return NoticePublic(
        item_id=item.id or 0,
        item_code=item.code,
        item_title_zh=item.title_zh,
        item_title_en=item.title_en,
        reward_zh=item.reward_zh,
        reward_en=item.reward_en,
        application_id=appointees[0].application_id,
        appointee_org_id=appointees[0].appointee_org_id,
        appointee_zh="、".join(a.appointee_zh for a in appointees),
        appointee_en=", ".join(a.appointee_en for a in appointees),
        appointees=appointees,
        starts_at=notice.starts_at,
        ends_at=notice.ends_at,
        timezone=_zone(db, item),
        working_days=notice.working_days,
        working_calendar=notice.working_calendar,
        warnings=period_rules.warnings_for(notice.fallback_years or []),
        status=notice.status,
        objections=[
            ObjectionPublic(
                id=o.id or 0,
                filed_by=o.filed_by,
                text=o.text,
                has_document=o.document_object_id is not None,
                answer=o.answer,
                answered_at=o.answered_at,
                created_at=o.created_at,
            )
            for o in objections_of(db=db, notice_id=notice.id or 0)
        ],
    )


def file_objection(
    *,
    db: Session,
    store: ObjectStore,
    notice: PublicNotice,
    user: User,
    text: str,
    filename: str | None,
    stream: BinaryIO | None,
) -> Objection:
    """Any signed-in user objects during the period; after it, refused with its end shown."""
    item = db.get(ChallengeItem, notice.item_id)
    assert item is not None
    zone = _zone(db, item)
    now = utcnow()
    if now > notice.ends_at or notice.status == NoticeStatus.final:
        raise Forbidden("objection_after_period", end=_when(notice.ends_at, zone))
    if now < notice.starts_at:
        raise Forbidden("objection_before_period", start=_when(notice.starts_at, zone))
    document_id = None
    if stream is not None:
        if not stream.read(5).startswith(b"%PDF-"):
            raise InvalidInput("document", "document_not_pdf")
        stream.seek(0)
        try:
            stored = storage_service.save_stream(
                db=db,
                store=store,
                stream=stream,
                filename=filename or "objection.pdf",
                prefix="objections",
                owner_id=user.id,
                content_type="application/pdf",
                max_bytes=50 * 1024 * 1024,
            )
        except storage_service.FileTooLarge as exc:
            raise InvalidInput("document", "file_too_large", limit="50 MiB") from exc
        document_id = stored.id
    objection = Objection(
        notice_id=notice.id or 0, filed_by=user.id or 0, text=text, document_object_id=document_id
    )
    db.add(objection)
    db.flush()
    domain_events.announce(
        db, "objection.filed", item_id=notice.item_id, objection_id=objection.id, filed_by=user.id
    )
    return save(db, objection)


def answer(
    *, db: Session, notice: PublicNotice, objection_id: int, answer_in: AnswerIn, by: User
) -> Objection:
    """The organiser's answer, kept on the record with the objection."""
    found = get_objection(db=db, notice=notice, objection_id=objection_id)
    found.answer = answer_in.answer
    found.answered_by = by.id
    found.answered_at = utcnow()
    domain_events.announce(
        db,
        "objection.answered",
        item_id=notice.item_id,
        objection_id=found.id,
        filed_by=found.filed_by,
    )
    return save(db, found)


def finalise(*, db: Session, notice: PublicNotice, by: User) -> PublicNotice:
    """挂帅: once the period is over and every objection answered; each appointee is awarded."""
    # one appointment at a time: a second waits here, then finds the notice final
    held = row_lock.hold(db, PublicNotice, notice.id)
    assert held is not None
    notice = held
    item = db.get(ChallengeItem, notice.item_id)
    assert item is not None
    if notice.status == NoticeStatus.final:
        db.commit()  # releases the lock
        return notice
    if utcnow() <= notice.ends_at:
        raise DomainError("notice_not_over", end=_when(notice.ends_at, _zone(db, item)))
    open_count = sum(1 for o in objections_of(db=db, notice_id=notice.id or 0) if not o.answered_at)
    if open_count:
        raise DomainError("objections_open", count=open_count)
    now = utcnow()
    for app in appointees_of(db=db, notice=notice):
        app.status = ApplicationStatus.awarded
        app.decided_by = by.id
        app.decided_at = now
        db.add(app)
        domain_events.announce(
            db,
            "application.appointed",
            item_id=notice.item_id,
            application_id=app.id,
            applicant_id=app.applicant_id,
            user_ids=tuple(people_of(db=db, app=app)),
        )
    notice.status = NoticeStatus.final
    notice.finalised_at = now
    return save(db, notice)

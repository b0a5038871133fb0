"""Milestones, reports, verdicts and the acceptance decision of an appointed item.

An item is appointed once its public notice is final (appointments/); an application awarded
directly, before public notices existed, counts as appointed on the day it was decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from jiebang.acceptance.models import (
    AcceptanceDecision,
    AcceptancePlan,
    Milestone,
    MilestoneIn,
    MilestoneReport,
    MilestoneUpdate,
    PlanIn,
    ReportVerdict,
    VerdictIn,
)
from jiebang.appointments.models import NoticeStatus, PublicNotice
from jiebang.auth.models import User
from jiebang.challenge_lists.models import (
    Application,
    ApplicationStatus,
    ChallengeItem,
    ChallengeList,
)
from jiebang.core import domain_events
from jiebang.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from jiebang.db import save, utcnow
from jiebang.judging import audit
from jiebang.organisations import service as org_service
from jiebang.reviews import service as review_service
from jiebang.storage import service as storage_service
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


class NotAppointed(DomainError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__("not_appointed")


class AcceptanceClosed(DomainError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__("acceptance_closed")


@dataclass(frozen=True)
class Appointment:
    item: ChallengeItem
    application: Application
    appointed_at: datetime | None
    zone: str

    @property
    def appointed_on(self) -> date | None:
        """The day of the appointment in the list's time zone."""
        if self.appointed_at is None:
            return None
        return self.appointed_at.astimezone(ZoneInfo(self.zone)).date()


# ---------------------------------------------------------------- the appointment
def appointment_of(*, db: Session, item: ChallengeItem) -> Appointment | None:
    """The item's final appointment, or None while there is none."""
    found = db.get(ChallengeList, item.list_id)
    zone = found.timezone if found else "Asia/Shanghai"
    notice = db.exec(
        select(PublicNotice).where(
            PublicNotice.item_id == item.id, PublicNotice.status == NoticeStatus.final
        )
    ).first()
    if notice is not None:
        app = db.get(Application, notice.application_id)
        assert app is not None
        return Appointment(item, app, notice.finalised_at, zone)
    if db.exec(select(PublicNotice.id).where(PublicNotice.item_id == item.id)).first():
        return None  # still in public notice
    awarded = db.exec(
        select(Application)
        .where(Application.item_id == item.id, Application.status == ApplicationStatus.awarded)
        .order_by(col(Application.id))
    ).first()
    return Appointment(item, awarded, awarded.decided_at, zone) if awarded else None


def get_appointment(*, db: Session, item: ChallengeItem) -> Appointment:
    """The item's final appointment; 409 before it."""
    found = appointment_of(db=db, item=item)
    if found is None:
        raise NotAppointed()
    return found


def appointee_ids(*, db: Session, app: Application) -> list[int]:
    """The applicant and every member of the applying unit."""
    ids = {app.applicant_id}
    if app.applicant_org_id is not None:
        ids |= {m.user_id for m in org_service.members(db=db, organisation_id=app.applicant_org_id)}
    return sorted(ids)


def is_appointee(*, db: Session, app: Application, user: User) -> bool:
    return user.id == app.applicant_id or (
        app.applicant_org_id is not None
        and org_service.is_member(db=db, organisation_id=app.applicant_org_id, user_id=user.id or 0)
    )


def decision_of(*, db: Session, item_id: int) -> AcceptanceDecision | None:
    return db.exec(select(AcceptanceDecision).where(AcceptanceDecision.item_id == item_id)).first()


def _refuse_when_decided(db: Session, item_id: int) -> None:
    if decision_of(db=db, item_id=item_id) is not None:
        raise AcceptanceClosed()


# ---------------------------------------------------------------- deadline and milestones
def plan_of(*, db: Session, item_id: int) -> AcceptancePlan | None:
    return db.exec(select(AcceptancePlan).where(AcceptancePlan.item_id == item_id)).first()


def milestones_of(*, db: Session, item_id: int) -> list[Milestone]:
    return list(
        db.exec(
            select(Milestone)
            .where(Milestone.item_id == item_id)
            .order_by(col(Milestone.due_date), col(Milestone.id))
        )
    )


def set_deadline(
    *, db: Session, appointment: Appointment, plan_in: PlanIn, by: User
) -> AcceptancePlan:
    """The completion deadline: not before the appointment, nor before a milestone."""
    item_id = appointment.item.id or 0
    _refuse_when_decided(db, item_id)
    appointed = appointment.appointed_on
    if appointed is not None and plan_in.deadline < appointed:
        raise InvalidInput(
            "deadline", "deadline_before_appointment", date=plan_in.deadline, appointed=appointed
        )
    latest = max((m.due_date for m in milestones_of(db=db, item_id=item_id)), default=None)
    if latest is not None and plan_in.deadline < latest:
        raise InvalidInput("deadline", "deadline_before_milestone", date=latest)
    plan = plan_of(db=db, item_id=item_id) or AcceptancePlan(
        item_id=item_id, deadline=plan_in.deadline
    )
    plan.deadline, plan.set_by, plan.updated_at = plan_in.deadline, by.id, utcnow()
    return save(db, plan)


def _check_due_date(db: Session, appointment: Appointment, due: date) -> None:
    plan = plan_of(db=db, item_id=appointment.item.id or 0)
    if plan is None:
        raise InvalidInput("due_date", "acceptance_deadline_unset")
    if due > plan.deadline:
        raise InvalidInput("due_date", "milestone_after_deadline", date=due, deadline=plan.deadline)
    appointed = appointment.appointed_on
    if appointed is not None and due < appointed:
        raise InvalidInput(
            "due_date", "milestone_before_appointment", date=due, appointed=appointed
        )


def get_milestone(*, db: Session, item_id: int, milestone_id: int) -> Milestone:
    found = db.get(Milestone, milestone_id)
    if found is None or found.item_id != item_id:
        raise NotFound("milestone")
    return found


def add_milestone(
    *, db: Session, appointment: Appointment, milestone_in: MilestoneIn, by: User
) -> Milestone:
    """A milestone between the appointment and the completion deadline."""
    _refuse_when_decided(db, appointment.item.id or 0)
    _check_due_date(db, appointment, milestone_in.due_date)
    milestone = Milestone(
        item_id=appointment.item.id or 0,
        due_date=milestone_in.due_date,
        title=milestone_in.title.strip(),
        deliverables=milestone_in.deliverables.strip(),
        created_by=by.id,
    )
    return save(db, milestone)


def update_milestone(
    *, db: Session, appointment: Appointment, milestone: Milestone, changes: MilestoneUpdate
) -> Milestone:
    """Change the given fields; the date is checked as a new one is."""
    _refuse_when_decided(db, milestone.item_id)
    if changes.due_date is not None:
        _check_due_date(db, appointment, changes.due_date)
        milestone.due_date = changes.due_date
    if changes.title is not None:
        milestone.title = changes.title.strip()
    if changes.deliverables is not None:
        milestone.deliverables = changes.deliverables.strip()
    return save(db, milestone)


def delete_milestone(*, db: Session, milestone: Milestone) -> None:
    """Only a milestone nobody has reported on yet."""
    _refuse_when_decided(db, milestone.item_id)
    if reports_of(db=db, milestone_id=milestone.id or 0):
        raise Conflict("milestone", key="milestone_has_reports")
    db.delete(milestone)
    db.commit()


# ---------------------------------------------------------------- reports and verdicts
def reports_of(*, db: Session, milestone_id: int) -> list[MilestoneReport]:
    return list(
        db.exec(
            select(MilestoneReport)
            .where(MilestoneReport.milestone_id == milestone_id)
            .order_by(col(MilestoneReport.id))
        )
    )


def store_pdf(
    *, db: Session, store: ObjectStore, field: str, filename: str, stream: BinaryIO, user: User
) -> StoredObject:
    """A PDF kept in storage, checked as the application documents are (magic bytes, size)."""
    if not stream.read(5).startswith(b"%PDF-"):
        raise InvalidInput(field, "document_not_pdf")
    stream.seek(0)
    try:
        return storage_service.save_stream(
            db=db,
            store=store,
            stream=stream,
            filename=filename or f"{field}.pdf",
            prefix="acceptance",
            owner_id=user.id,
            content_type="application/pdf",
            max_bytes=MAX_DOCUMENT_BYTES,
        )
    except storage_service.FileTooLarge as exc:
        raise InvalidInput(field, "file_too_large", limit="50 MiB") from exc


def submit_report(
    *,
    db: Session,
    store: ObjectStore,
    appointment: Appointment,
    milestone: Milestone,
    user: User,
    note: str,
    filename: str,
    stream: BinaryIO,
) -> MilestoneReport:
    """The appointee's report (PDF); the item's reviewers are told."""
    if not is_appointee(db=db, app=appointment.application, user=user):
        raise Forbidden("not_appointee")
    _refuse_when_decided(db, milestone.item_id)
    stored = store_pdf(
        db=db, store=store, field="document", filename=filename, stream=stream, user=user
    )
    report = MilestoneReport(
        milestone_id=milestone.id or 0,
        document_object_id=stored.id or 0,
        note=note.strip(),
        submitted_by=user.id or 0,
    )
    db.add(report)
    reviewers = [
        a.reviewer_id for a in review_service.assignments(db=db, item_id=milestone.item_id)
    ]
    domain_events.announce(
        db,
        "milestone.report_submitted",
        item_id=milestone.item_id,
        milestone=milestone.title,
        user_ids=tuple(reviewers),
    )
    return save(db, report)


def get_report(*, db: Session, milestone: Milestone, report_id: int) -> MilestoneReport:
    found = db.get(MilestoneReport, report_id)
    if found is None or found.milestone_id != milestone.id:
        raise NotFound("report")
    return found


def verdicts_of(*, db: Session, report_ids: list[int]) -> list[ReportVerdict]:
    if not report_ids:
        return []
    return list(
        db.exec(
            select(ReportVerdict)
            .where(col(ReportVerdict.report_id).in_(report_ids))
            .order_by(col(ReportVerdict.id))
        )
    )


def record_verdict(
    *, db: Session, milestone: Milestone, report: MilestoneReport, reviewer: User, body: VerdictIn
) -> ReportVerdict:
    """A reviewer's verdict on the current report; final once given (audited)."""
    _refuse_when_decided(db, milestone.item_id)
    if reports_of(db=db, milestone_id=milestone.id or 0)[-1].id != report.id:
        raise Conflict("report", key="report_superseded")
    given = db.exec(
        select(ReportVerdict.id).where(
            ReportVerdict.report_id == report.id, ReportVerdict.reviewer_id == reviewer.id
        )
    ).first()
    if given is not None:
        raise Conflict("verdict", key="verdict_given")
    found = ReportVerdict(
        report_id=report.id or 0,
        reviewer_id=reviewer.id or 0,
        verdict=body.verdict,
        comment=body.comment.strip(),
    )
    db.add(found)
    audit.record(
        db=db,
        user=reviewer,
        action="acceptance.verdict",
        reason=found.comment,
        details={
            "item_id": milestone.item_id,
            "milestone_id": milestone.id,
            "report_id": report.id,
            "verdict": str(body.verdict),
        },
    )
    return save(db, found)

"""Milestones, reports, verdicts and the acceptance decisions of an appointed item.

An item is appointed once its public notice is final (appointments/), to every appointee the
notice names; an application awarded directly, before public notices existed, counts as
appointed on the day it was decided. The deadline and the milestones are the item's; each
appointee reports on them and is decided on its own.
"""

from __future__ import annotations

from datetime import date
from typing import BinaryIO

from sqlmodel import Session, col, select

# the appointment and its appointees live in appointment.py; callers still import them here
from jiebang.acceptance.appointment import Appointment as Appointment
from jiebang.acceptance.appointment import NotAppointed as NotAppointed
from jiebang.acceptance.appointment import appointee_ids as appointee_ids
from jiebang.acceptance.appointment import appointees_for as appointees_for
from jiebang.acceptance.appointment import appointment_of as appointment_of
from jiebang.acceptance.appointment import get_appointment as get_appointment
from jiebang.acceptance.appointment import is_appointee as is_appointee
from jiebang.acceptance.appointment import reporting_appointee
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
from jiebang.auth.models import User
from jiebang.core import domain_events
from jiebang.core.errors import Conflict, DomainError, InvalidInput, NotFound
from jiebang.db import save, utcnow
from jiebang.judging import audit
from jiebang.reviews import service as review_service
from jiebang.storage import service as storage_service
from jiebang.storage.backend import ObjectStore
from jiebang.storage.models import StoredObject

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


class AcceptanceClosed(DomainError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__("acceptance_closed")


def decision_of(
    *, db: Session, item_id: int, application_id: int | None = None
) -> AcceptanceDecision | None:
    """One appointee's decision; with no appointee named, the item's first decision."""
    query = select(AcceptanceDecision).where(AcceptanceDecision.item_id == item_id)
    if application_id is not None:
        query = query.where(AcceptanceDecision.application_id == application_id)
    return db.exec(query.order_by(col(AcceptanceDecision.id))).first()


def decisions_of(*, db: Session, item_id: int) -> list[AcceptanceDecision]:
    return list(
        db.exec(
            select(AcceptanceDecision)
            .where(AcceptanceDecision.item_id == item_id)
            .order_by(col(AcceptanceDecision.id))
        )
    )


def all_decided(*, db: Session, appointment: Appointment) -> bool:
    """Whether every appointee has its decision: the item's milestones close then."""
    decided = {d.application_id for d in decisions_of(db=db, item_id=appointment.item.id or 0)}
    return all(a.id in decided for a in appointment.applications)


def _refuse_when_all_decided(db: Session, appointment: Appointment) -> None:
    if all_decided(db=db, appointment=appointment):
        raise AcceptanceClosed()


def _refuse_when_decided(db: Session, item_id: int, application_id: int) -> None:
    if decision_of(db=db, item_id=item_id, application_id=application_id) is not None:
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
    _refuse_when_all_decided(db, appointment)
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
    _refuse_when_all_decided(db, appointment)
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
    _refuse_when_all_decided(db, appointment)
    if changes.due_date is not None:
        _check_due_date(db, appointment, changes.due_date)
        milestone.due_date = changes.due_date
    if changes.title is not None:
        milestone.title = changes.title.strip()
    if changes.deliverables is not None:
        milestone.deliverables = changes.deliverables.strip()
    return save(db, milestone)


def delete_milestone(*, db: Session, appointment: Appointment, milestone: Milestone) -> None:
    """Only a milestone nobody has reported on yet."""
    _refuse_when_all_decided(db, appointment)
    if reports_of(db=db, milestone_id=milestone.id or 0):
        raise Conflict("milestone", key="milestone_has_reports")
    db.delete(milestone)
    db.commit()


# ---------------------------------------------------------------- reports and verdicts
def reports_of(
    *, db: Session, milestone_id: int, application_id: int | None = None
) -> list[MilestoneReport]:
    """One appointee's report versions on a milestone, oldest first (every appointee's when
    none is named)."""
    query = select(MilestoneReport).where(MilestoneReport.milestone_id == milestone_id)
    if application_id is not None:
        query = query.where(MilestoneReport.application_id == application_id)
    return list(db.exec(query.order_by(col(MilestoneReport.id))))


def to_remind(*, db: Session, appointment: Appointment, milestone: Milestone) -> tuple[int, ...]:
    """The users of every appointee that has neither reported on the milestone nor been
    decided (whom a reminder of it is for)."""
    users: set[int] = set()
    for app in appointment.applications:
        app_id = app.id or 0
        if reports_of(db=db, milestone_id=milestone.id or 0, application_id=app_id):
            continue
        if decision_of(db=db, item_id=milestone.item_id, application_id=app_id) is not None:
            continue
        users |= set(appointee_ids(db=db, app=app))
    return tuple(sorted(users))


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
    application_id: int | None = None,
) -> MilestoneReport:
    """An appointee's report (PDF), for the appointee the user speaks for; the item's
    reviewers are told."""
    app = reporting_appointee(
        db=db, appointment=appointment, user=user, application_id=application_id
    )
    _refuse_when_decided(db, milestone.item_id, app.id or 0)
    stored = store_pdf(
        db=db, store=store, field="document", filename=filename, stream=stream, user=user
    )
    report = MilestoneReport(
        milestone_id=milestone.id or 0,
        application_id=app.id,
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
    """A reviewer's verdict on the appointee's current report; final once given (audited)."""
    app_id = report.application_id or 0
    _refuse_when_decided(db, milestone.item_id, app_id)
    if reports_of(db=db, milestone_id=milestone.id or 0, application_id=app_id)[-1].id != report.id:
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
            "application_id": report.application_id,
            "verdict": str(body.verdict),
        },
    )
    return save(db, found)

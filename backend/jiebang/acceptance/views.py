"""What the acceptance room shows: the milestones with reports and verdicts, the acceptance
desk (targets beside verified scores, and the verdicts), the rows of the acceptance record,
and the milestones due soon (for the reminders)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from jiebang.acceptance import service
from jiebang.acceptance.models import (
    ACCEPTED_OUTCOMES,
    AcceptanceDecision,
    AcceptanceDesk,
    AcceptancePublic,
    DecisionPublic,
    DeskVerdicts,
    Milestone,
    MilestonePublic,
    ReportPublic,
    TargetCheck,
    VerdictPublic,
)
from jiebang.acceptance.service import Appointment
from jiebang.auth.models import User
from jiebang.challenge_lists import service as list_service
from jiebang.challenge_lists.models import ChallengeItem
from jiebang.db import utcnow
from jiebang.judging import targets as target_check
from jiebang.organisations.models import Organisation
from jiebang.storage.models import StoredObject
from jiebang.teams.models import Team


@dataclass(frozen=True)
class Abilities:
    edit: bool = False
    report: bool = False
    review: bool = False

    @property
    def staff(self) -> bool:
        return self.edit or self.review


def _names(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.exec(select(User).where(col(User.id).in_(ids))).all()
    return {u.id or 0: u.display_name for u in rows}


def _objects(db: Session, ids: set[int]) -> dict[int, StoredObject]:
    if not ids:
        return {}
    rows = db.exec(select(StoredObject).where(col(StoredObject.id).in_(ids))).all()
    return {o.id or 0: o for o in rows}


def milestones_public(*, db: Session, item_id: int, staff: bool) -> list[MilestonePublic]:
    """Each milestone with its report versions and their verdicts (reviewers named to staff)."""
    milestones = service.milestones_of(db=db, item_id=item_id)
    reports = {m.id: service.reports_of(db=db, milestone_id=m.id or 0) for m in milestones}
    every = [r for rs in reports.values() for r in rs]
    verdicts = service.verdicts_of(db=db, report_ids=[r.id or 0 for r in every])
    names = _names(db, {v.reviewer_id for v in verdicts}) if staff else {}
    files = _objects(db, {r.document_object_id for r in every})
    out = []
    for milestone in milestones:
        shown = []
        for version, report in enumerate(reports[milestone.id], start=1):
            doc = files.get(report.document_object_id)
            shown.append(
                ReportPublic(
                    id=report.id or 0,
                    version=version,
                    note=report.note,
                    filename=doc.filename if doc else "",
                    size=doc.size if doc else 0,
                    submitted_by=report.submitted_by,
                    submitted_at=report.submitted_at,
                    verdicts=[
                        VerdictPublic(
                            reviewer_id=v.reviewer_id if staff else 0,
                            reviewer_name=names.get(v.reviewer_id, ""),
                            verdict=v.verdict,
                            comment=v.comment,
                            created_at=v.created_at,
                        )
                        for v in verdicts
                        if v.report_id == report.id
                    ],
                )
            )
        out.append(
            MilestonePublic(
                id=milestone.id or 0,
                item_id=milestone.item_id,
                due_date=milestone.due_date,
                title=milestone.title,
                deliverables=milestone.deliverables,
                reports=shown,
            )
        )
    return out


def decision_public(db: Session, found: AcceptanceDecision | None) -> DecisionPublic | None:
    if found is None:
        return None
    doc = db.get(StoredObject, found.document_object_id)
    return DecisionPublic(
        outcome=found.outcome,
        note=found.note,
        decided_by=found.decided_by,
        decided_at=found.decided_at,
        document_filename=doc.filename if doc else "",
    )


def acceptance_public(
    *, db: Session, appointment: Appointment, abilities: Abilities
) -> AcceptancePublic:
    """The acceptance room of an appointed item as this caller may see and use it."""
    item_id = appointment.item.id or 0
    app = appointment.application
    unit = db.get(Organisation, app.applicant_org_id) if app.applicant_org_id else None
    team = db.get(Team, app.team_id) if app.team_id else None
    fallback = team.name if team else app.lead_name
    plan = service.plan_of(db=db, item_id=item_id)
    return AcceptancePublic(
        item_id=item_id,
        application_id=app.id or 0,
        appointee_org_id=app.applicant_org_id,
        appointee_zh=unit.name_zh if unit else fallback,
        appointee_en=unit.name_en if unit else fallback,
        appointed_at=appointment.appointed_at,
        timezone=appointment.zone,
        deadline=plan.deadline if plan else None,
        milestones=milestones_public(db=db, item_id=item_id, staff=abilities.staff),
        decision=decision_public(db, service.decision_of(db=db, item_id=item_id)),
        may_edit=abilities.edit,
        may_report=abilities.report,
        may_review=abilities.review,
    )


def target_checks(*, db: Session, appointment: Appointment) -> list[TargetCheck]:
    """Each target of the item beside the appointee team's best verified score (judging's
    target verification); a target no verified score reaches reads as missed."""
    item = appointment.item
    team_id = appointment.application.team_id
    verified = {
        r.target_id: r
        for r in target_check.targets_met(db=db, item=item)
        if team_id is not None and r.team_id == team_id
    }
    out = []
    for target in list_service.targets_of(db=db, item_id=item.id or 0):
        found = verified.get(target.id or 0)
        out.append(
            TargetCheck(
                target_id=target.id or 0,
                metric=target.metric,
                comparator=str(target.comparator),
                threshold=target.threshold,
                unit=target.unit,
                track_id=target.track_id,
                value=found.value if found else None,
                met=bool(found and found.met),
                submission_id=found.submission_id if found else None,
                note_zh=target.note_zh,
                note_en=target.note_en,
            )
        )
    return out


def desk(*, db: Session, appointment: Appointment) -> AcceptanceDesk:
    """Final acceptance, side by side: targets met or missed, and each milestone's verdicts
    on its current report."""
    item_id = appointment.item.id or 0
    checks = target_checks(db=db, appointment=appointment)
    team = (
        db.get(Team, appointment.application.team_id) if appointment.application.team_id else None
    )
    rows = []
    for m in milestones_public(db=db, item_id=item_id, staff=True):
        current = m.reports[-1] if m.reports else None
        rows.append(
            DeskVerdicts(
                milestone_id=m.id,
                title=m.title,
                due_date=m.due_date,
                report_id=current.id if current else None,
                verdicts=current.verdicts if current else [],
            )
        )
    return AcceptanceDesk(
        item_id=item_id,
        team_id=team.id if team else None,
        team_name=team.name if team else "",
        targets=checks,
        all_targets_met=bool(checks) and all(c.met for c in checks),
        milestones=rows,
        decision=decision_public(db, service.decision_of(db=db, item_id=item_id)),
    )


def record_rows(db: Session, item: ChallengeItem) -> list[list[Any]]:
    """The acceptance record's rows (record, target_or_step, team_or_decision, met, value,
    detail): the targets against the appointee's verified scores, the deadline, each
    milestone, its reports, their verdicts, and the decision."""
    plan = service.plan_of(db=db, item_id=item.id or 0)
    rows: list[list[Any]] = []
    appointment = service.appointment_of(db=db, item=item)
    if appointment is not None:  # the targets as the acceptance desk shows them
        name = acceptance_public(db=db, appointment=appointment, abilities=Abilities()).appointee_zh
        for t in target_checks(db=db, appointment=appointment):
            rows.append(
                [
                    "acceptance_target",
                    f"{t.metric} {t.comparator} {t.threshold:g} {t.unit}".strip(),
                    name,
                    t.met,
                    "" if t.value is None else t.value,
                    f"submission {t.submission_id}" if t.submission_id else "",
                ]
            )
    if plan is not None:
        rows.append(["deadline", plan.deadline.isoformat(), "", "", "", ""])
    for m in milestones_public(db=db, item_id=item.id or 0, staff=True):
        rows.append(
            ["milestone", f"{m.due_date.isoformat()} {m.title}", m.deliverables, "", "", ""]
        )
        for r in m.reports:
            rows.append(
                [
                    "report",
                    f"{m.title} v{r.version}",
                    r.filename,
                    "",
                    "",
                    f"{r.submitted_at.isoformat()} {r.note}".strip(),
                ]
            )
            for v in r.verdicts:
                rows.append(
                    [
                        "verdict",
                        f"{m.title} v{r.version}",
                        v.reviewer_name,
                        str(v.verdict),
                        "",
                        v.comment,
                    ]
                )
    decision = service.decision_of(db=db, item_id=item.id or 0)
    if decision is not None:
        by = _names(db, {decision.decided_by or 0}).get(decision.decided_by or 0, "")
        rows.append(
            [
                "decision",
                "验收 acceptance",
                str(decision.outcome),
                decision.outcome in ACCEPTED_OUTCOMES,
                "",
                f"{decision.decided_at.isoformat()} {by}: {decision.note}",
            ]
        )
    return rows


@dataclass(frozen=True)
class DueMilestone:
    milestone: Milestone
    item: ChallengeItem
    user_ids: tuple[int, ...]


def due_within(*, db: Session, window: timedelta) -> list[DueMilestone]:
    """Milestones due from today to ``window`` ahead, with no report yet, on items not decided;
    each with the appointee's users to remind."""
    today = utcnow().date()
    last: date = today + window
    rows = db.exec(
        select(Milestone, ChallengeItem)
        .join(ChallengeItem, col(ChallengeItem.id) == Milestone.item_id)
        .where(col(Milestone.due_date) >= today, col(Milestone.due_date) <= last)
    ).all()
    out = []
    for milestone, item in rows:
        if service.reports_of(db=db, milestone_id=milestone.id or 0):
            continue
        if service.decision_of(db=db, item_id=item.id or 0) is not None:
            continue
        appointment = service.appointment_of(db=db, item=item)
        if appointment is None:
            continue
        users = tuple(service.appointee_ids(db=db, app=appointment.application))
        out.append(DueMilestone(milestone, item, users))
    return out

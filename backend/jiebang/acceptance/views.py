"""What the acceptance room shows: each appointee's record (the milestones with its reports
and verdicts, its decision), the acceptance desk of one appointee (targets beside verified
scores, and the verdicts), the rows of the acceptance record, and the milestones due soon
(for the reminders)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from jiebang.acceptance import service
from jiebang.acceptance.models import (
    ACCEPTED_OUTCOMES,
    AcceptanceDecision,
    AcceptanceDesk,
    AcceptancePublic,
    AppointeeRecord,
    DecisionPublic,
    DeskVerdicts,
    MilestonePublic,
    ReportPublic,
    TargetCheck,
    VerdictPublic,
)
from jiebang.acceptance.service import Appointment
from jiebang.auth.models import User
from jiebang.challenge_lists import service as list_service
from jiebang.challenge_lists.models import Application, ChallengeItem
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


def milestones_public(
    *, db: Session, item_id: int, application_id: int, staff: bool
) -> list[MilestonePublic]:
    """Each milestone with one appointee's report versions and their verdicts (reviewers
    named to staff)."""
    milestones = service.milestones_of(db=db, item_id=item_id)
    reports = {
        m.id: service.reports_of(db=db, milestone_id=m.id or 0, application_id=application_id)
        for m in milestones
    }
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


def appointee_names(db: Session, app: Application) -> tuple[str, str]:
    """An appointee's name in zh-CN and en: its unit's, else its team's or its lead's."""
    unit = db.get(Organisation, app.applicant_org_id) if app.applicant_org_id else None
    if unit is not None:
        return unit.name_zh, unit.name_en
    team = db.get(Team, app.team_id) if app.team_id else None
    fallback = team.name if team else app.lead_name
    return fallback, fallback


def appointee_record(
    *, db: Session, item_id: int, app: Application, staff: bool, may_report: bool
) -> AppointeeRecord:
    """One appointee's reports on the item's milestones and its decision."""
    zh, en = appointee_names(db, app)
    found = service.decision_of(db=db, item_id=item_id, application_id=app.id or 0)
    return AppointeeRecord(
        application_id=app.id or 0,
        appointee_org_id=app.applicant_org_id,
        appointee_zh=zh,
        appointee_en=en,
        team_id=app.team_id,
        milestones=milestones_public(
            db=db, item_id=item_id, application_id=app.id or 0, staff=staff
        ),
        decision=decision_public(db, found),
        may_report=may_report,
    )


def acceptance_public(
    *,
    db: Session,
    appointment: Appointment,
    abilities: Abilities,
    mine: tuple[int, ...] = (),
    chosen: int | None = None,
) -> AcceptancePublic:
    """The acceptance room of an appointed item as this caller may see and use it: staff read
    every appointee's record, an appointee (``mine``: the applications it speaks for) its
    own; the flat fields repeat the chosen record (else the caller's own, else the first)."""
    item_id = appointment.item.id or 0
    shown = [a for a in appointment.applications if abilities.staff or a.id in mine]
    records = [
        appointee_record(
            db=db, item_id=item_id, app=a, staff=abilities.staff, may_report=a.id in mine
        )
        for a in shown
    ]
    current = next(
        (r for r in records if r.application_id == chosen),
        next((r for r in records if r.may_report), records[0]),
    )
    plan = service.plan_of(db=db, item_id=item_id)
    return AcceptancePublic(
        item_id=item_id,
        application_id=current.application_id,
        appointee_org_id=current.appointee_org_id,
        appointee_zh=current.appointee_zh,
        appointee_en=current.appointee_en,
        appointed_at=appointment.appointed_at,
        timezone=appointment.zone,
        deadline=plan.deadline if plan else None,
        milestones=current.milestones,
        decision=current.decision,
        may_edit=abilities.edit,
        may_report=current.may_report,
        may_review=abilities.review,
        appointees=records,
    )


def target_checks(*, db: Session, item: ChallengeItem, app: Application) -> list[TargetCheck]:
    """Each target of the item beside the appointee team's best verified score (judging's
    target verification); a target no verified score reaches reads as missed."""
    team_id = app.team_id
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


def desk(*, db: Session, appointment: Appointment, application_id: int | None) -> AcceptanceDesk:
    """Final acceptance of one appointee (the first when none is named), side by side: targets
    met or missed, and each milestone's verdicts on its current report."""
    item_id = appointment.item.id or 0
    app = appointment.applications[0] if application_id is None else None
    app = app or appointment.appointee(application_id)
    checks = target_checks(db=db, item=appointment.item, app=app)
    team = db.get(Team, app.team_id) if app.team_id else None
    zh, en = appointee_names(db, app)
    rows = []
    for m in milestones_public(db=db, item_id=item_id, application_id=app.id or 0, staff=True):
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
    found = service.decision_of(db=db, item_id=item_id, application_id=app.id or 0)
    return AcceptanceDesk(
        item_id=item_id,
        application_id=app.id or 0,
        appointee_zh=zh,
        appointee_en=en,
        team_id=team.id if team else None,
        team_name=team.name if team else "",
        targets=checks,
        all_targets_met=bool(checks) and all(c.met for c in checks),
        milestones=rows,
        decision=decision_public(db, found),
    )


def _appointee_rows(db: Session, item: ChallengeItem, app: Application, tag: str) -> list[Any]:
    """One appointee's reports, verdicts and decision; ``tag`` names it when there are several."""
    rows: list[list[Any]] = []
    for m in milestones_public(db=db, item_id=item.id or 0, application_id=app.id or 0, staff=True):
        for r in m.reports:
            step = f"{tag}{m.title} v{r.version}"
            detail = f"{r.submitted_at.isoformat()} {r.note}".strip()
            rows.append(["report", step, r.filename, "", "", detail])
            for v in r.verdicts:
                rows.append(["verdict", step, v.reviewer_name, str(v.verdict), "", v.comment])
    decision = service.decision_of(db=db, item_id=item.id or 0, application_id=app.id or 0)
    if decision is not None:
        by = _names(db, {decision.decided_by or 0}).get(decision.decided_by or 0, "")
        rows.append(
            [
                "decision",
                f"{tag}验收 acceptance",
                str(decision.outcome),
                decision.outcome in ACCEPTED_OUTCOMES,
                "",
                f"{decision.decided_at.isoformat()} {by}: {decision.note}",
            ]
        )
    return rows


def record_rows(db: Session, item: ChallengeItem) -> list[list[Any]]:
    """The acceptance record's rows (record, target_or_step, team_or_decision, met, value,
    detail): the targets against each appointee's verified scores, the deadline, each
    milestone, then each appointee's reports, their verdicts, and its decision (the step
    starts with the appointee's name when the item has several)."""
    plan = service.plan_of(db=db, item_id=item.id or 0)
    rows: list[list[Any]] = []
    appointment = service.appointment_of(db=db, item=item)
    apps = appointment.applications if appointment is not None else ()
    for app in apps:  # the targets as the acceptance desk shows them
        name = appointee_names(db, app)[0]
        for t in target_checks(db=db, item=item, app=app):
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
    for m in service.milestones_of(db=db, item_id=item.id or 0):
        rows.append(
            ["milestone", f"{m.due_date.isoformat()} {m.title}", m.deliverables, "", "", ""]
        )
    for app in apps:
        tag = f"{appointee_names(db, app)[0]}: " if len(apps) > 1 else ""
        rows += _appointee_rows(db, item, app, tag)
    return rows

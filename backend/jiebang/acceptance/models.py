"""After the appointment (挂帅): the completion deadline, milestones (中期检查) with each
appointee's reports and the reviewers' verdicts, and each appointee's acceptance decision (验收).

The deadline and the milestones are the item's; an item with several appointees (赛马制) has
every appointee report on the same milestones, and decides each appointee on its own."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.db import EnumString, UTCDateTime, utcnow


class Verdict(StrEnum):
    passed = "pass"
    needs_revision = "needs_revision"
    failed = "fail"


class Outcome(StrEnum):
    accepted = "accepted"
    accepted_with_conditions = "accepted_with_conditions"
    not_accepted = "not_accepted"


ACCEPTED_OUTCOMES = (Outcome.accepted, Outcome.accepted_with_conditions)


# ---------------------------------------------------------------- tables
class AcceptancePlan(SQLModel, table=True):
    """The date by which the appointed work must be done: no milestone may fall after it."""

    __tablename__ = "acceptance_plan"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="challenge_item.id", unique=True)
    deadline: date = Field(sa_column=Column(Date, nullable=False))
    set_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Milestone(SQLModel, table=True):
    __tablename__ = "acceptance_milestone"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="challenge_item.id", index=True)
    due_date: date = Field(sa_column=Column(Date, nullable=False))
    title: str = Field(max_length=200)
    deliverables: str = Field(default="", max_length=5000)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MilestoneReport(SQLModel, table=True):
    """One version of an appointee's report on a milestone (a revision adds another)."""

    __tablename__ = "acceptance_report"

    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(foreign_key="acceptance_milestone.id", index=True)
    # the appointee reporting; null only on a report older than several appointees whose item
    # had no appointee to give it
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    document_object_id: int = Field(foreign_key="stored_object.id")
    note: str = Field(default="", max_length=5000)
    submitted_by: int = Field(foreign_key="user.id")
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReportVerdict(SQLModel, table=True):
    """A reviewer's verdict on one report, final once given."""

    __tablename__ = "acceptance_verdict"
    __table_args__ = (UniqueConstraint("report_id", "reviewer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="acceptance_report.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id")
    verdict: Verdict = Field(sa_column=Column(EnumString(Verdict, 16), nullable=False))
    comment: str = Field(default="", max_length=5000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AcceptanceDecision(SQLModel, table=True):
    """The organiser's 验收 decision: one per appointee of an item, never changed."""

    __tablename__ = "acceptance_decision"
    __table_args__ = (UniqueConstraint("item_id", "application_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="challenge_item.id")
    application_id: int = Field(foreign_key="application.id", index=True)
    outcome: Outcome = Field(sa_column=Column(EnumString(Outcome, 32), nullable=False))
    note: str = Field(default="", max_length=5000)
    document_object_id: int = Field(foreign_key="stored_object.id")
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# ---------------------------------------------------------------- input
class PlanIn(SQLModel):
    deadline: date


class MilestoneIn(SQLModel):
    due_date: date
    title: str = Field(min_length=1, max_length=200)
    deliverables: str = Field(default="", max_length=5000)


class MilestoneUpdate(SQLModel):
    due_date: date | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    deliverables: str | None = Field(default=None, max_length=5000)


class VerdictIn(SQLModel):
    verdict: Verdict
    comment: str = Field(default="", max_length=5000)


# ---------------------------------------------------------------- output
class VerdictPublic(SQLModel):
    reviewer_id: int
    reviewer_name: str
    verdict: Verdict
    comment: str
    created_at: datetime


class ReportPublic(SQLModel):
    id: int
    version: int
    note: str
    filename: str
    size: int
    submitted_by: int
    submitted_at: datetime
    verdicts: list[VerdictPublic]


class MilestonePublic(SQLModel):
    id: int
    item_id: int
    due_date: date
    title: str
    deliverables: str
    reports: list[ReportPublic]  # oldest first; the last is the current one


class DecisionPublic(SQLModel):
    outcome: Outcome
    note: str
    decided_by: int | None
    decided_at: datetime
    document_filename: str


class AppointeeRecord(SQLModel):
    """One appointee's side of the acceptance: its reports on the item's milestones, its
    decision."""

    application_id: int
    appointee_org_id: int | None
    appointee_zh: str
    appointee_en: str
    team_id: int | None
    milestones: list[MilestonePublic]
    decision: DecisionPublic | None
    may_report: bool  # the caller speaks for this appointee


class AcceptancePublic(SQLModel):
    """The acceptance room of an appointed item, with what the caller may do there. The flat
    fields are one appointee's record (the caller's own, or the chosen or first one for
    staff); ``appointees`` holds every record the caller may read (staff: all; an
    appointee: its own)."""

    item_id: int
    application_id: int
    appointee_org_id: int | None
    appointee_zh: str
    appointee_en: str
    appointed_at: datetime | None
    timezone: str
    deadline: date | None
    milestones: list[MilestonePublic]
    decision: DecisionPublic | None
    may_edit: bool  # the item's organisers: milestones, deadline, the decision
    may_report: bool  # the appointee
    may_review: bool  # the item's reviewers
    appointees: list[AppointeeRecord]


class TargetCheck(SQLModel):
    """One technical target beside the appointee's best verified score on its track."""

    target_id: int
    metric: str
    comparator: str
    threshold: float
    unit: str
    track_id: int | None
    value: float | None
    met: bool
    submission_id: int | None
    note_zh: str
    note_en: str


class DeskVerdicts(SQLModel):
    milestone_id: int
    title: str
    due_date: date
    report_id: int | None
    verdicts: list[VerdictPublic]


class AcceptanceDesk(SQLModel):
    """Final acceptance, side by side: targets against verified scores, and the verdicts."""

    item_id: int
    application_id: int
    appointee_zh: str
    appointee_en: str
    team_id: int | None
    team_name: str
    targets: list[TargetCheck]
    all_targets_met: bool
    milestones: list[DeskVerdicts]
    decision: DecisionPublic | None

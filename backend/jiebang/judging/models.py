"""Judges' review state per submission, the append-only audit log, and the console's shapes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow
from jiebang.submissions.models import HistoryEntry, SubmissionDetail


class ReviewAction(StrEnum):
    flag = "flag"
    unflag = "unflag"
    verify = "verify"
    disqualify = "disqualify"
    reinstate = "reinstate"


class SubmissionReview(SQLModel, table=True):
    """The current judging state of one submission; every change is also in the audit log."""

    __tablename__ = "submission_review"

    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
    phase_id: int = Field(foreign_key="phase.id", index=True)
    flagged: bool = False
    verified: bool = False
    disqualified: bool = False
    reason: str = Field(default="", max_length=2000)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditLog(SQLModel, table=True):
    """Append-only: rows are inserted, never updated or deleted (enforced in judging.audit)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    actor: str = Field(max_length=120)
    action: str = Field(max_length=32, index=True)
    phase_id: int | None = Field(default=None, foreign_key="phase.id", index=True)
    submission_id: int | None = Field(default=None, foreign_key="submission.id", index=True)
    reason: str = Field(default="", max_length=2000)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


# ---------------------------------------------------------------- API shapes
class ActionRequest(SQLModel):
    action: ReviewAction
    reason: str = Field(min_length=1, max_length=2000)


class RescoreRequest(SQLModel):
    evaluator_version: str | None = Field(default=None, min_length=1, max_length=32)
    submission_ids: list[int] | None = Field(default=None, max_length=100000)
    reason: str = Field(default="", max_length=2000)


class RescoreResult(SQLModel):
    job_ids: list[int]
    submission_ids: list[int]
    skipped: list[int]
    evaluator_version: str


class AuditEntryPublic(SQLModel):
    id: int
    at: datetime
    actor_id: int | None
    actor: str
    action: str
    phase_id: int | None
    submission_id: int | None
    reason: str
    details: dict[str, Any]


class ReviewState(SQLModel):
    flagged: bool = False
    verified: bool = False
    disqualified: bool = False
    reason: str = ""


class ScoreVersion(SQLModel):
    """One recorded score of a submission, current or superseded (judges see every split)."""

    id: int
    job_id: int
    evaluator_version: str
    is_current: bool
    metrics: dict[str, float]
    metrics_by_split: dict[str, dict[str, float]]
    created_at: datetime


class JobRecord(SQLModel):
    id: int
    purpose: str
    evaluator_key: str
    evaluator_version: str
    status: str
    attempts: int
    last_error: str | None
    logs: dict[str, str]
    created_at: datetime
    finished_at: datetime | None


class JudgeSubmissionRow(SQLModel):
    id: int
    team_id: int
    team_name: str
    status: str
    created_at: datetime
    withdrawn: bool
    selected: bool
    public_scores: dict[str, float]
    private_scores: dict[str, float]
    review: ReviewState


class JudgeSubmissionDetail(SubmissionDetail):
    """Everything, private split included: for judges and organisers only."""

    team_name: str
    withdrawn_at: datetime | None = None
    metrics_by_split: dict[str, dict[str, float]] = Field(default_factory=dict)
    review: ReviewState = Field(default_factory=ReviewState)
    score_history: list[ScoreVersion] = Field(default_factory=list)
    jobs: list[JobRecord] = Field(default_factory=list)
    rescore_history: list[HistoryEntry] = Field(default_factory=list)
    audit: list[AuditEntryPublic] = Field(default_factory=list)

"""Submissions, their recorded lifecycle, and the API shapes around them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column
from sqlmodel import Field, SQLModel

from jiebang.db import EnumString, UTCDateTime, utcnow


class SubmissionStatus(StrEnum):
    uploading = "uploading"
    queued = "queued"
    held = "held"  # waiting for an organiser: the team used up its budget of platform faults
    running = "running"
    scored = "scored"
    failed = "failed"
    cancelled = "cancelled"


class FailureCategory(StrEnum):
    rejected = "rejected"  # refused on arrival (bad archive, size): never charged
    submission = "submission"  # the team's files made the evaluation fail: charged
    infrastructure = "infrastructure"  # worker crash, storage or broker outage: refunded
    evaluator = "evaluator"  # the organiser's evaluator crashed: refunded
    disqualified = "disqualified"


TERMINAL = {SubmissionStatus.scored, SubmissionStatus.failed, SubmissionStatus.cancelled}
ACTIVE = {SubmissionStatus.queued, SubmissionStatus.held, SubmissionStatus.running}


class Submission(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    phase_id: int = Field(foreign_key="phase.id", index=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    submitter_id: int = Field(foreign_key="user.id")
    status: SubmissionStatus = Field(
        default=SubmissionStatus.uploading,
        sa_column=Column(EnumString(SubmissionStatus, 16), nullable=False, index=True),
    )
    filename: str = Field(max_length=255)
    description: str = Field(default="", max_length=2000)
    declared_size: int = Field(sa_type=BigInteger)
    declared_sha256: str = Field(max_length=64)
    upload_key: str = Field(max_length=512)
    upload_id: str = Field(max_length=256, index=True)
    part_size: int = Field(sa_type=BigInteger)
    object_id: int | None = Field(default=None, foreign_key="stored_object.id")
    charged: bool = False  # counts against the team's scoring quota
    refunded: bool = False
    # refused on arrival or found invalid before any score: counts against the daily
    # allowance of failed attempts instead of the scoring quota
    failed_charged: bool = False
    completing_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # complete's claim
    failure_category: str | None = Field(default=None, max_length=32)
    failure_message: str | None = Field(default=None, max_length=4000)
    failure_message_zh: str | None = Field(default=None, max_length=4000)  # the same, zh-CN
    selected: bool = False  # final selection for the private leaderboard
    decoder_hash: str | None = Field(default=None, max_length=64)
    # sha256 by path of the files in the upload, from the worker's unpack (integrity/)
    file_hashes: dict[str, str] | None = Field(default=None, sa_column=Column(JSON))
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    queued_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class QuotaCounter(SQLModel, table=True):
    """One row per team and phase that every quota check-and-charge locks first.

    PostgreSQL row-locks it (the UPDATE waits for the holder's commit); on SQLite the same
    write takes the database's write lock. Either way the counts read after it are current
    and nobody else can charge until this transaction ends."""

    __tablename__ = "quota_counter"

    phase_id: int = Field(foreign_key="phase.id", primary_key=True)
    team_id: int = Field(foreign_key="team.id", primary_key=True)
    changes: int = 0  # how many charges went through this lock


class SubmissionEvent(SQLModel, table=True):
    """One recorded transition: who moved the submission from what to what, and when."""

    __tablename__ = "submission_event"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    actor: str = Field(max_length=80)
    note: str = Field(default="", max_length=4000)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# ---------------------------------------------------------------- API shapes
class SubmissionStart(SQLModel):
    filename: str = Field(min_length=1, max_length=255)
    size: int = Field(gt=0)
    sha256: str = Field(schema_extra={"pattern": "^[0-9a-f]{64}$"})
    description: str = Field(default="", max_length=2000)


class PartTarget(SQLModel):
    number: int
    url: str
    method: str = "PUT"


class PartReceived(SQLModel):
    number: int
    size: int
    etag: str


class UploadPlan(SQLModel):
    upload_id: str
    part_size: int
    direct: bool  # True: PUT straight to object storage; False: through the API with the token
    parts: list[PartTarget]
    parts_received: list[PartReceived] = []


class PartRef(SQLModel):
    number: int = Field(ge=1, le=10000)
    etag: str = Field(min_length=1, max_length=128)


class CompleteRequest(SQLModel):
    parts: list[PartRef] = Field(min_length=1, max_length=10000)


class HistoryEntry(SQLModel):
    from_status: str | None
    status: str
    actor: str
    note: str
    at: datetime


class SubmissionPublic(SQLModel):
    id: int
    phase_id: int
    team_id: int
    status: SubmissionStatus
    filename: str
    description: str
    size: int
    sha256: str
    charged: bool
    refunded: bool
    failed_charged: bool = False  # counted as a failed attempt, not against the scoring quota
    failure_category: str | None
    failure_message: str | None
    selected: bool
    created_at: datetime
    queued_at: datetime | None
    finished_at: datetime | None
    disqualified: bool = False  # by a judge; the entry no longer ranks
    disqualification_reason: str | None = None
    failure_reason: str | None = None  # failure_message in the reader's language
    failure_category_label: str | None = None  # e.g. 提交内容有误 / Problem in your submission


class SubmissionRow(SubmissionPublic):
    """A row of the team's submission list: public-split values of the board's columns."""

    scores: dict[str, float | None] = {}  # board column key -> value, in column order
    primary_metric: str | None = None


class SubmissionDetail(SubmissionPublic):
    scores: dict[str, float] = {}
    items: list[dict[str, Any]] = []
    plots: dict[str, Any] = {}
    warnings: list[str] = []
    logs: dict[str, str] = {}
    evaluator_version: str | None = None
    history: list[HistoryEntry] = []


class SubmissionCreated(SQLModel):
    submission: SubmissionPublic
    upload: UploadPlan


class SubmissionConflict(SQLModel):
    """The 409 answer to a complete that another request already did or is doing."""

    detail: str
    code: str
    submission: SubmissionPublic


class Quota(SQLModel):
    """What the team has used and has left in a phase. Scoring counts only submissions that
    reached the evaluator and were not found invalid; mistakes (refused on arrival, invalid
    before any score) count against a separate daily allowance of failed attempts."""

    daily_quota: int
    total_quota: int
    concurrent_limit: int
    used_today: int
    used_total: int
    running: int
    remaining_today: int
    remaining_total: int
    daily_failed_quota: int
    failed_today: int
    failed_remaining_today: int
    open_uploads: int
    open_uploads_limit: int
    open_upload_bytes: int
    open_upload_bytes_limit: int
    resets_at: datetime
    timezone: str


class SelectionChange(SQLModel):
    selected: bool


class ScoreRecord(SQLModel):
    """Stored alongside each score: what the evaluator produced (all splits)."""

    metrics: dict[str, float]
    metrics_by_split: dict[str, dict[str, float]]
    items: list[dict[str, Any]]
    plots: dict[str, Any]
    warnings: list[str]

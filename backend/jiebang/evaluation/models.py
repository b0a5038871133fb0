"""Evaluation jobs (the queue, with leases) and the scores they produce."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from jiebang.artifacts.models import ProgramRef
from jiebang.db import EnumString, UTCDateTime, utcnow


class JobStatus(StrEnum):
    queued = "queued"
    held = "held"  # not claimable until an organiser releases it (the team's fault budget)
    running = "running"
    done = "done"
    failed = "failed"
    cancelled = "cancelled"


class EvaluationJob(SQLModel, table=True):
    """The database is the queue's source of truth; a broker only wakes workers up."""

    __tablename__ = "evaluation_job"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    evaluator_key: str = Field(max_length=64)
    evaluator_version: str = Field(max_length=32)
    purpose: str = Field(default="initial", max_length=16)  # initial | rescore
    gpus: int = 0  # GPUs the scoring program or track asks for: only GPU workers claim it
    status: JobStatus = Field(
        default=JobStatus.queued,
        sa_column=Column(EnumString(JobStatus, 16), nullable=False, index=True),
    )
    attempts: int = 0
    max_attempts: int = 3
    lease_owner: str | None = Field(default=None, max_length=80)
    lease_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    announced_at: datetime | None = Field(
        default=None, sa_type=UTCDateTime
    )  # last successful broker publish
    last_error: str | None = Field(default=None, max_length=4000)  # for staff
    logs: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON)
    )  # sandbox tails, team-safe
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Score(SQLModel, table=True):
    """One job's result. Unique per job, so a job delivered twice yields one score."""

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="evaluation_job.id", unique=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    evaluator_version: str = Field(max_length=32)
    is_current: bool = Field(default=True, index=True)
    metrics: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON))
    metrics_by_split: dict[str, dict[str, float]] = Field(
        default_factory=dict, sa_column=Column(JSON)
    )
    items: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    plots: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    logs: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))
    # a Codabench program's detailed_results.html (served sandboxed; issue 16)
    detailed_results_html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FaultRelease(SQLModel, table=True):
    """An organiser released a team's held submissions; its fault budget restarts here."""

    __tablename__ = "fault_release"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    released_by: int = Field(foreign_key="user.id")
    released_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submissions: int = 0  # how many held submissions went back to the queue
    note: str = Field(default="", max_length=2000)


class WorkerHeartbeat(SQLModel, table=True):
    """Workers seen recently, for the organiser's health page."""

    __tablename__ = "worker_heartbeat"

    name: str = Field(primary_key=True, max_length=80)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    current_job_id: int | None = None
    sandbox: str = Field(default="", max_length=200)
    gpu_count: int = 0
    gpu_model: str = Field(default="", max_length=200)


# ---------------------------------------------------------------- worker API shapes
class ClaimRequest(SQLModel):
    worker: str = Field(min_length=1, max_length=80)
    job_id: int | None = None  # Celery delivers a specific job; the embedded pool takes any
    sandbox: str = Field(default="", max_length=200)
    gpu_count: int = Field(default=0, ge=0, le=64)  # what the worker has (nvidia-smi)
    gpu_model: str = Field(default="", max_length=200)


class JobSpec(SQLModel):
    """Everything a worker needs, with no database access: URLs are presigned or API paths."""

    job_id: int
    submission_id: int
    lease_owner: str
    lease_seconds: int
    evaluator_key: str
    evaluator_version: str
    evaluator_config: dict[str, Any]
    splits: dict[str, list[str]]
    submission_kind: str
    submission_url: str
    submission_sha256: str
    submission_filename: str
    reference_url: str | None
    reference_sha256: str | None
    limits: dict[str, Any]
    decoder_lock: list[str] | None = None  # allowed decoder hashes, when the track requires it
    program: ProgramRef | None = None  # the pinned scoring program, fetched by sha256
    gpus: int = 0  # GPUs granted to the job's sandboxes (bound by the worker, devices 0..n-1)
    # when the submission was uploaded: a team program's python runtime reads the index as of it
    submitted_at: datetime | None = None


class LeaseRequest(SQLModel):
    lease_owner: str = Field(min_length=1, max_length=80)


class JobResult(SQLModel):
    lease_owner: str = Field(min_length=1, max_length=80)
    outcome: str = Field(
        schema_extra={
            "pattern": "^(scored|invalid_submission|evaluator_error|infrastructure_error)$"
        }
    )
    message: str = Field(default="", max_length=4000)
    message_zh: str | None = Field(default=None, max_length=4000)  # the same for zh-CN readers
    result: dict[str, Any] | None = None
    logs: dict[str, str] = {}
    decoder_hash: str | None = None
    file_hashes: dict[str, str] | None = None  # sha256 by path, from the unpack

"""A track's readiness checks: the real pipeline run on its sample submission."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow


class TrackCheck(SQLModel, table=True):
    """One "check this track" run; the newest per track decides readiness."""

    __tablename__ = "track_check"

    id: int | None = Field(default=None, primary_key=True)
    track_id: int = Field(foreign_key="track.id", index=True)
    status: str = Field(max_length=16)  # passed | failed
    evaluator_key: str = Field(max_length=64)
    evaluator_version: str = Field(max_length=32)
    program_sha256: str = Field(default="", max_length=64)
    # what was checked: sample, reference, split, config and limits (a change makes it stale)
    inputs_sha256: str = Field(default="", max_length=64)
    outcome: str = Field(default="", max_length=32)  # the pipeline's: scored, evaluator_error…
    message: str = Field(default="", max_length=4000)
    message_zh: str = Field(default="", max_length=4000)
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    logs: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))  # organisers only
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TrackCheckPublic(SQLModel):
    id: int
    track_id: int
    status: str
    evaluator_key: str
    evaluator_version: str
    program_sha256: str
    inputs_sha256: str
    outcome: str
    message: str
    message_zh: str
    result: dict[str, Any]
    logs: dict[str, str]
    created_at: datetime


class MissingItem(SQLModel):
    """One thing a track lacks before its contest may be published."""

    track_id: int
    track_slug: str
    code: str  # reference_data | split | evaluator | runtime | gpu_worker | check
    field: str  # what the UI links to fix (e.g. "phases.reference", "evaluator_key")
    phase_id: int | None = None
    message_en: str
    message_zh: str

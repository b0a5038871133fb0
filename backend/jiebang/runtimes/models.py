"""What each worker last said about building a runtime, so that any API process can tell.

A worker's cache is its own (another machine's disk): the organiser's runtime state and the
publishing check read these rows, sent by the workers through the worker API, besides the
API machine's own cache.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow

BuildStatus = Literal["building", "ready", "failed"]


class RuntimeBuild(SQLModel, table=True):
    """One worker machine's build of one runtime (by content key): the last thing it said."""

    __tablename__ = "runtime_build"

    kind: str = Field(primary_key=True, max_length=16)  # python | oci
    content_key: str = Field(primary_key=True, max_length=128)
    worker: str = Field(primary_key=True, max_length=80)
    status: str = Field(max_length=16)  # building | ready | failed
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # while building
    log_tail: str = Field(default="", sa_type=Text)  # while building: the builder's words
    message: str = Field(default="", sa_type=Text)  # failed: why (the resolver's words)
    message_zh: str = Field(default="", sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RuntimeBuildReport(SQLModel):
    """What a worker sends (POST /worker/runtime-builds) when a build starts, progresses,
    finishes or fails. Elapsed time rather than a start time: workers' clocks may differ."""

    worker: str = Field(min_length=1, max_length=80)
    kind: Literal["python", "oci"]
    content_key: str = Field(min_length=1, max_length=128, schema_extra={"pattern": r"^[0-9a-f]+$"})
    status: BuildStatus
    elapsed_seconds: float | None = Field(default=None, ge=0)
    log_tail: str = Field(default="", max_length=8000)
    message: str = Field(default="", max_length=20000)
    message_zh: str = Field(default="", max_length=20000)


class WorkerRuntimeState(SQLModel):
    """One worker's part of a runtime's state, as the organiser sees it."""

    worker: str
    status: str
    updated_at: datetime

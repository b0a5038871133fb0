"""An organiser's upload in parts (reference data, sample, devkit, scoring program)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow

Purpose = Literal["reference", "sample", "devkit", "program"]


class StagedUpload(SQLModel, table=True):
    """One multipart upload; on completion it becomes what its purpose says."""

    __tablename__ = "staged_upload"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    purpose: str = Field(max_length=16)
    target_id: int = 0  # the phase (reference) or track (sample, devkit); 0 for a program
    filename: str = Field(max_length=255)
    declared_size: int = Field(sa_type=BigInteger)
    declared_sha256: str = Field(max_length=64)
    upload_key: str = Field(max_length=512)
    upload_id: str = Field(max_length=256, index=True)
    part_size: int = Field(sa_type=BigInteger)
    status: str = Field(default="uploading", max_length=16)  # uploading | completed | expired
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class StagedUploadCreate(SQLModel):
    purpose: Purpose
    target_id: int = Field(default=0, ge=0)
    filename: str = Field(min_length=1, max_length=255)
    size: int = Field(ge=0, le=64 * 1024**3)
    sha256: str = Field(schema_extra={"pattern": r"^[0-9a-f]{64}$"}, max_length=64)


class PartTarget(SQLModel):
    number: int
    url: str
    method: str = "PUT"


class PartReceived(SQLModel):
    number: int
    size: int
    etag: str


class StagedUploadPlan(SQLModel):
    """Where each part goes and which already arrived (to resume)."""

    id: int
    purpose: str
    filename: str
    size: int
    part_size: int
    parts: list[PartTarget]
    parts_received: list[PartReceived] = []
    expires_at: datetime | None = None  # not completed by then, it is aborted and its parts deleted


class PartRef(SQLModel):
    number: int = Field(ge=1, le=10000)
    etag: str = Field(max_length=200)


class StagedComplete(SQLModel):
    parts: list[PartRef] = Field(min_length=1, max_length=10000)

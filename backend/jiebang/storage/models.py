"""Metadata of every object the platform stores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow


class StoredObject(SQLModel, table=True):
    __tablename__ = "stored_object"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=512, unique=True)
    sha256: str = Field(max_length=64, index=True)
    size: int = Field(sa_type=BigInteger)
    filename: str = Field(max_length=255)
    content_type: str = Field(default="application/octet-stream", max_length=128)
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class StoredObjectPublic(SQLModel):
    id: int
    sha256: str
    size: int = Field(sa_type=BigInteger)
    filename: str
    content_type: str
    created_at: datetime

"""The one table operations writes to: readiness proves the database takes a write."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow


class ReadinessProbe(SQLModel, table=True):
    """One row per API instance, rewritten by every /readyz (a real, committed write)."""

    __tablename__ = "readiness_probe"

    instance: str = Field(primary_key=True, max_length=120)
    checked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

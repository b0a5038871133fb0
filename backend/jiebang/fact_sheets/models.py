"""A submission's answers to its track's fact sheet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow


class FactSheetAnswers(SQLModel, table=True):
    __tablename__ = "fact_sheet_answers"

    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    answered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

"""After review: the public notice (公示) of the proposed appointee, objections, appointment."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from jiebang.db import EnumString, UTCDateTime, utcnow


class NoticeStatus(StrEnum):
    in_notice = "in_notice"
    final = "final"  # 挂帅: the period is over and every objection is answered


class PublicNotice(SQLModel, table=True):
    __tablename__ = "appointment_notice"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="challenge_item.id", unique=True)
    application_id: int = Field(foreign_key="application.id")
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    status: NoticeStatus = Field(
        default=NoticeStatus.in_notice,
        sa_column=Column(EnumString(NoticeStatus, 16), nullable=False),
    )
    created_by: int | None = Field(default=None, foreign_key="user.id")
    finalised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NoticeIn(SQLModel):
    application_id: int
    working_days: int = Field(default=5, ge=1, le=60)
    starts_at: datetime | None = None  # now when not given
    ends_at: datetime | None = None  # working_days after the start when not given


class ObjectionPublic(SQLModel):
    id: int
    filed_by: int
    text: str
    has_document: bool
    answer: str
    answered_at: datetime | None
    created_at: datetime


class NoticePublic(SQLModel):
    item_id: int
    item_code: str
    item_title_zh: str
    item_title_en: str
    reward_zh: str
    reward_en: str
    application_id: int
    appointee_org_id: int | None
    appointee_zh: str
    appointee_en: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    status: NoticeStatus
    objections: list[ObjectionPublic]


class Objection(SQLModel, table=True):
    __tablename__ = "appointment_objection"

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="appointment_notice.id", index=True)
    filed_by: int = Field(foreign_key="user.id")
    text: str = Field(max_length=5000)
    document_object_id: int | None = Field(default=None, foreign_key="stored_object.id")
    answer: str = Field(default="", max_length=5000)
    answered_by: int | None = Field(default=None, foreign_key="user.id")
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AnswerIn(SQLModel):
    answer: str = Field(min_length=1, max_length=5000)

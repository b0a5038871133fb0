"""After review: the public notice (公示) of the proposed appointees, objections, appointment.

One notice per item; it may name several appointees (赛马制, several units racing on the same
item, or a joint application), each an application of the item that passed review."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import model_validator
from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.db import EnumString, UTCDateTime, utcnow


class NoticeStatus(StrEnum):
    in_notice = "in_notice"
    final = "final"  # 挂帅: the period is over and every objection is answered


class PublicNotice(SQLModel, table=True):
    __tablename__ = "appointment_notice"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="challenge_item.id", unique=True)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    status: NoticeStatus = Field(
        default=NoticeStatus.in_notice,
        sa_column=Column(EnumString(NoticeStatus, 16), nullable=False),
    )
    created_by: int | None = Field(default=None, foreign_key="user.id")
    finalised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NoticeAppointee(SQLModel, table=True):
    """One proposed appointee of a notice, in the order the organiser gave (the ranking's)."""

    __tablename__ = "appointment_notice_appointee"
    __table_args__ = (UniqueConstraint("notice_id", "application_id"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="appointment_notice.id", index=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    position: int = Field(default=1)


MAX_APPOINTEES = 20


class NoticeIn(SQLModel):
    """``application_ids`` names every appointee in order; ``application_id`` (one appointee)
    is still read, and is put first when both are given."""

    application_id: int | None = None
    application_ids: list[int] = Field(default_factory=list, max_length=MAX_APPOINTEES)
    working_days: int = Field(default=5, ge=1, le=60)
    starts_at: datetime | None = None  # now when not given
    ends_at: datetime | None = None  # working_days after the start when not given

    @model_validator(mode="after")
    def _one_list(self) -> NoticeIn:
        first = [self.application_id] if self.application_id is not None else []
        self.application_ids = list(dict.fromkeys(first + self.application_ids))
        if not self.application_ids:
            raise ValueError("name at least one appointee (application_ids)")
        return self


class AppointeePublic(SQLModel):
    application_id: int
    position: int
    appointee_org_id: int | None
    appointee_zh: str
    appointee_en: str


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
    application_id: int  # the first appointee (kept for one-appointee clients)
    appointee_org_id: int | None  # the first appointee's unit
    appointee_zh: str  # every appointee's name, joined
    appointee_en: str
    appointees: list[AppointeePublic]
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

"""After review: the public notice (公示) of the proposed appointees, objections, appointment.

One notice per item; it may name several appointees (赛马制, several units racing on the same
item, or a joint application), each an application of the item that passed review."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import model_validator
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.calendars.working_days import WorkingCalendar
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
    # how the end was computed: None when the organiser gave it, or for notices before c20c0001
    working_days: int | None = None
    working_calendar: WorkingCalendar | None = Field(
        default=None, sa_column=Column(EnumString(WorkingCalendar, 16), nullable=True)
    )
    # years of the period counted Monday to Friday, their holiday schedule not yet announced
    fallback_years: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
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


class NoticePeriodIn(SQLModel):
    """The notice period: ``working_days`` after the start, unless an explicit end is given."""

    working_days: int = Field(default=5, ge=1, le=60)
    starts_at: datetime | None = None  # now when not given
    ends_at: datetime | None = None  # working_days after the start when not given


class NoticeIn(NoticePeriodIn):
    """``application_ids`` names every appointee in order; ``application_id`` (one appointee)
    is still read, and is put first when both are given."""

    application_id: int | None = None
    application_ids: list[int] = Field(default_factory=list, max_length=MAX_APPOINTEES)

    @model_validator(mode="after")
    def _one_list(self) -> NoticeIn:
        first = [self.application_id] if self.application_id is not None else []
        self.application_ids = list(dict.fromkeys(first + self.application_ids))
        if not self.application_ids:
            raise ValueError("name at least one appointee (application_ids)")
        return self


class PeriodWarning(SQLModel):
    """Something the organiser and the public should know about how the period was counted."""

    code: str  # holidays_unannounced
    year: int
    message_zh: str
    message_en: str


class HolidayPublic(SQLModel):
    name_zh: str
    name_en: str


class PeriodPreview(SQLModel):
    """The period a notice proposed now would get, computed as ``propose`` computes it."""

    starts_at: datetime
    ends_at: datetime
    timezone: str
    working_days: int | None  # None when the end was given
    working_calendar: WorkingCalendar | None
    skipped_holidays: list[HolidayPublic]  # public holidays that fell in the period
    makeup_days: list[date]  # weekend days counted as working days (调休)
    warnings: list[PeriodWarning]


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
    working_days: int | None = None  # None when the organiser gave the end
    working_calendar: WorkingCalendar | None = None
    warnings: list[PeriodWarning] = Field(default_factory=list)
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

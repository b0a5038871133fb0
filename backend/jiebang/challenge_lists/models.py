"""The annual 揭榜挂帅 challenge list, its items with structured targets, and applications."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import available_timezones

from pydantic import field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.calendars.working_days import WorkingCalendar
from jiebang.db import EnumString, UTCDateTime, utcnow


class ListStatus(StrEnum):
    draft = "draft"
    published = "published"
    closed = "closed"


class Comparator(StrEnum):
    le = "<="
    lt = "<"
    ge = ">="
    gt = ">"


class ApplicationStatus(StrEnum):
    submitted = "submitted"
    returned = "returned"  # formal check (形式审查): sent back with the missing items listed
    complete = "complete"  # formal check passed, ready for expert review
    shortlisted = "shortlisted"
    awarded = "awarded"  # 挂帅
    rejected = "rejected"


# ---------------------------------------------------------------- list
def known_time_zone(value: str) -> str:
    """The value if it is an IANA time zone name; a 422 naming the field otherwise."""
    if value not in available_timezones():
        raise PydanticCustomError(
            "time_zone_unknown",
            "Time zone: {value} is not an IANA time zone name such as Asia/Shanghai",
            {"value": value},
        )
    return value


class ChallengeListBase(SQLModel):
    year: int = Field(ge=2000, le=2100)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    description_zh: str = Field(default="", max_length=20000)
    description_en: str = Field(default="", max_length=20000)
    timezone: str = Field(default="Asia/Shanghai", max_length=64)  # deadlines are read in it
    # which days a period in working days counts (公示期): the official calendar by default
    working_calendar: WorkingCalendar = WorkingCalendar.cn

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return known_time_zone(value)


class ChallengeList(ChallengeListBase, table=True):
    __tablename__ = "challenge_list"
    __table_args__ = (UniqueConstraint("year"),)

    id: int | None = Field(default=None, primary_key=True)
    status: ListStatus = Field(
        default=ListStatus.draft, sa_column=Column(EnumString(ListStatus, 16), nullable=False)
    )
    working_calendar: WorkingCalendar = Field(
        default=WorkingCalendar.cn,
        sa_column=Column(EnumString(WorkingCalendar, 16), nullable=False),
    )
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ChallengeListCreate(ChallengeListBase):
    pass


class ChallengeListUpdate(SQLModel):
    title_zh: str | None = Field(default=None, min_length=1, max_length=200)
    title_en: str | None = Field(default=None, min_length=1, max_length=200)
    description_zh: str | None = Field(default=None, max_length=20000)
    description_en: str | None = Field(default=None, max_length=20000)
    timezone: str | None = Field(default=None, max_length=64)  # only while the list is a draft
    working_calendar: WorkingCalendar | None = None  # for notices proposed from now on

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else known_time_zone(value)


class ChallengeListPublic(ChallengeListBase):
    id: int
    status: ListStatus
    published_at: datetime | None


class StatusChange(SQLModel):
    status: ListStatus


# ---------------------------------------------------------------- targets
class TargetBase(SQLModel):
    metric: str = Field(min_length=1, max_length=64, description="Metric key, e.g. bd_rate_vmaf")
    comparator: Comparator = Field(sa_column=Column(EnumString(Comparator, 2), nullable=False))
    threshold: float
    unit: str = Field(default="", max_length=16)
    track_id: int | None = Field(default=None, foreign_key="track.id")
    note_zh: str = Field(default="", max_length=500)
    note_en: str = Field(default="", max_length=500)


class ChallengeTarget(TargetBase, table=True):
    __tablename__ = "challenge_target"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="challenge_item.id", index=True, ondelete="CASCADE")
    position: int = 0


class TargetIn(TargetBase):
    pass


class TargetPublic(TargetBase):
    id: int


# ---------------------------------------------------------------- items
class ChallengeItemBase(SQLModel):
    code: str = Field(schema_extra={"pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"}, max_length=32)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    category: str = Field(min_length=1, max_length=64)
    background_zh: str = Field(default="", max_length=20000)
    background_en: str = Field(default="", max_length=20000)
    targets_text_zh: str = Field(default="", max_length=20000)
    targets_text_en: str = Field(default="", max_length=20000)
    reward_zh: str = Field(default="", max_length=500)
    reward_en: str = Field(default="", max_length=500)
    application_deadline: datetime = Field(sa_type=UTCDateTime)
    lead_unit: str = Field(default="", max_length=200)
    issuing_unit_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)


class ChallengeItem(ChallengeItemBase, table=True):
    __tablename__ = "challenge_item"
    __table_args__ = (UniqueConstraint("list_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key="challenge_list.id", index=True)


class ChallengeItemCreate(ChallengeItemBase):
    targets: list[TargetIn] = Field(default_factory=list, max_length=20)


class ChallengeItemUpdate(SQLModel):
    title_zh: str | None = Field(default=None, min_length=1, max_length=200)
    title_en: str | None = Field(default=None, min_length=1, max_length=200)
    category: str | None = Field(default=None, min_length=1, max_length=64)
    background_zh: str | None = None
    background_en: str | None = None
    targets_text_zh: str | None = None
    targets_text_en: str | None = None
    reward_zh: str | None = None
    reward_en: str | None = None
    application_deadline: datetime | None = None
    lead_unit: str | None = None
    issuing_unit_id: int | None = None
    targets: list[TargetIn] | None = Field(default=None, max_length=20)


class ChallengeItemPublic(ChallengeItemBase):
    id: int
    list_id: int
    targets: list[TargetPublic] = []
    deadline_timezone: str = "Asia/Shanghai"


# ---------------------------------------------------------------- applications
class Application(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("item_id", "team_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="challenge_item.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    applicant_id: int = Field(foreign_key="user.id")
    summary: str = Field(default="", max_length=5000)
    proposal_object_id: int = Field(foreign_key="stored_object.id")
    # an application by a unit (揭榜单位): lead person, team members, commitment letter, budget
    applicant_org_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    lead_name: str = Field(default="", max_length=80)
    lead_email: str = Field(default="", max_length=320)
    members: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    commitment_object_id: int | None = Field(default=None, foreign_key="stored_object.id")
    budget_cny: int | None = Field(default=None, sa_column=Column(BigInteger))
    missing_items: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    checked_by: int | None = Field(default=None, foreign_key="user.id")
    checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resubmitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: ApplicationStatus = Field(
        default=ApplicationStatus.submitted,
        sa_column=Column(EnumString(ApplicationStatus, 16), nullable=False),
    )
    reviewer_notes: str = Field(default="", max_length=5000)
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TeamMemberIn(SQLModel):
    name: str = Field(min_length=1, max_length=80)
    role: str = Field(min_length=1, max_length=80)


class ApplicationPublic(SQLModel):
    id: int
    item_id: int
    team_id: int | None
    team_name: str
    applicant_org_id: int | None = None
    lead_name: str = ""
    lead_email: str = ""
    members: list[TeamMemberIn] = []
    budget_cny: int | None = None
    has_commitment: bool = False
    missing_items: list[str] = []
    summary: str
    proposal_filename: str
    proposal_sha256: str
    proposal_size: int
    status: ApplicationStatus
    reviewer_notes: str
    decided_by: int | None
    decided_at: datetime | None
    created_at: datetime


class ApplicationReview(SQLModel):
    status: ApplicationStatus
    reviewer_notes: str = Field(default="", max_length=5000)


class FormalCheck(SQLModel):
    """The formal check's outcome: complete, or returned with what is missing."""

    complete: bool
    missing_items: list[str] = Field(default_factory=list, max_length=50)
    notes: str = Field(default="", max_length=5000)

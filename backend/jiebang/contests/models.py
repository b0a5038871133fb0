"""Contests, their tracks (one evaluator each) and the phases of a track."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from zoneinfo import available_timezones

from pydantic import field_validator, model_validator
from sqlalchemy import JSON, BigInteger, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.db import EnumString, UTCDateTime, utcnow

SLUG = r"^[a-z0-9][a-z0-9-]{0,62}$"


class PublicationStatus(StrEnum):
    draft = "draft"
    published = "published"


class SubmissionKind(StrEnum):
    results = "results"
    code = "code"


class LeaderboardVisibility(StrEnum):
    public = "public"  # anyone
    participants = "participants"  # signed-in users
    hidden = "hidden"  # staff only


class SubmissionRule(StrEnum):
    best = "best"
    latest = "latest"
    selected = "selected"


# ---------------------------------------------------------------- contest
class ContestBase(SQLModel):
    slug: str = Field(schema_extra={"pattern": SLUG}, max_length=64)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    edition: str = Field(min_length=1, max_length=40)
    year: int = Field(ge=2000, le=2100)
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    description_zh: str = Field(default="", max_length=20000)
    description_en: str = Field(default="", max_length=20000)
    requires_team_approval: bool = False
    team_size_limit: int = Field(default=5, ge=1, le=50)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value not in available_timezones():
            raise ValueError(f"unknown IANA time zone {value!r}")
        return value


class Contest(ContestBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    status: PublicationStatus = Field(
        default=PublicationStatus.draft,
        sa_column=Column(EnumString(PublicationStatus, 16), nullable=False),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # the unit that runs it (its organisers edit it); None: the platform's own
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)


class ContestCreate(ContestBase):
    organisation_id: int | None = None


class ContestUpdate(SQLModel):
    title_zh: str | None = Field(default=None, min_length=1, max_length=200)
    title_en: str | None = Field(default=None, min_length=1, max_length=200)
    edition: str | None = Field(default=None, min_length=1, max_length=40)
    description_zh: str | None = Field(default=None, max_length=20000)
    description_en: str | None = Field(default=None, max_length=20000)
    requires_team_approval: bool | None = None
    team_size_limit: int | None = Field(default=None, ge=1, le=50)
    organisation_id: int | None = None


class ContestPublic(ContestBase):
    id: int
    status: PublicationStatus
    organisation_id: int | None = None
    # from the phase dates, not the calendar year: first start, last end
    stage: Literal["running", "upcoming", "past"] = "upcoming"
    opens_at: datetime | None = None
    closes_at: datetime | None = None


# ---------------------------------------------------------------- track
class TrackBase(SQLModel):
    slug: str = Field(schema_extra={"pattern": SLUG}, max_length=64)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    description_zh: str = Field(default="", max_length=20000)
    description_en: str = Field(default="", max_length=20000)
    evaluator_key: str = Field(schema_extra={"pattern": r"^[a-z][a-z0-9_]{0,63}$"}, max_length=64)
    evaluator_version: str = Field(min_length=1, max_length=32)
    evaluator_config: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    submission_kind: SubmissionKind = Field(
        default=SubmissionKind.results,
        sa_column=Column(EnumString(SubmissionKind, 16), nullable=False),
    )
    max_submission_bytes: int = Field(
        default=8 * 1024**3, gt=0, le=64 * 1024**3, sa_type=BigInteger
    )
    time_limit_seconds: int = Field(default=600, gt=0, le=24 * 3600)
    memory_limit_bytes: int = Field(default=4 * 1024**3, gt=0, le=256 * 1024**3, sa_type=BigInteger)
    sandbox_limits: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    leaderboard: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    requires_decoder_lock: bool = False


class Track(TrackBase, table=True):
    __table_args__ = (UniqueConstraint("contest_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)


class TrackCreate(TrackBase):
    pass


class TrackUpdate(SQLModel):
    title_zh: str | None = Field(default=None, min_length=1, max_length=200)
    title_en: str | None = Field(default=None, min_length=1, max_length=200)
    description_zh: str | None = None
    description_en: str | None = None
    # another evaluator only while the track has no submissions (409 evaluator_in_use)
    evaluator_key: str | None = Field(
        default=None, schema_extra={"pattern": r"^[a-z][a-z0-9_]{0,63}$"}, max_length=64
    )
    evaluator_version: str | None = Field(default=None, min_length=1, max_length=32)
    evaluator_config: dict[str, Any] | None = None
    max_submission_bytes: int | None = Field(default=None, gt=0, le=64 * 1024**3)
    time_limit_seconds: int | None = Field(default=None, gt=0, le=24 * 3600)
    memory_limit_bytes: int | None = Field(default=None, gt=0, le=256 * 1024**3)
    leaderboard: dict[str, Any] | None = None


class TrackPublic(TrackBase):
    id: int
    contest_id: int


# ---------------------------------------------------------------- phase
class PhaseBase(SQLModel):
    slug: str = Field(schema_extra={"pattern": SLUG}, max_length=64)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    freeze_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    daily_quota: int = Field(default=5, ge=0, le=1000)
    total_quota: int = Field(default=100, ge=0, le=100000)
    concurrent_quota: int = Field(default=2, ge=1, le=100)
    # failed attempts (refused on arrival, invalid before scoring) a team may make per day;
    # None: as many as daily_quota
    daily_failed_quota: int | None = Field(default=None, ge=0, le=1000)
    leaderboard_visibility: LeaderboardVisibility = Field(
        default=LeaderboardVisibility.public,
        sa_column=Column(EnumString(LeaderboardVisibility, 16), nullable=False),
    )
    submission_rule: SubmissionRule = Field(
        default=SubmissionRule.best,
        sa_column=Column(EnumString(SubmissionRule, 16), nullable=False),
    )
    max_selected: int = Field(default=2, ge=1, le=20)
    public_item_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    private_item_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    verify_top_k: int = Field(default=0, ge=0, le=1000)
    # Ladder mode (Blum & Hardt 2015) for the public board: a team's public score moves only
    # when it beats its previous one by more than this, rounded to it. None: off.
    ladder_threshold: float | None = Field(default=None, gt=0, le=1_000_000)

    @model_validator(mode="after")
    def _dates_in_order(self) -> PhaseBase:
        for moment in (self.starts_at, self.ends_at, self.freeze_at):
            if moment is not None and moment.tzinfo is None:
                raise ValueError(
                    "dates must carry a time zone offset, e.g. 2024-05-01T00:00:00+08:00"
                )
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.freeze_at is not None and not self.starts_at <= self.freeze_at <= self.ends_at:
            raise ValueError("freeze_at must lie between starts_at and ends_at")
        if set(self.public_item_ids) & set(self.private_item_ids):
            raise ValueError("an item cannot be in both the public and the private split")
        return self


class Phase(PhaseBase, table=True):
    __table_args__ = (UniqueConstraint("track_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    track_id: int = Field(foreign_key="track.id", index=True)
    reference_object_id: int | None = Field(default=None, foreign_key="stored_object.id")
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PhaseCreate(PhaseBase):
    pass


class PhaseUpdate(SQLModel):
    title_zh: str | None = Field(default=None, min_length=1, max_length=200)
    title_en: str | None = Field(default=None, min_length=1, max_length=200)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    freeze_at: datetime | None = None
    daily_quota: int | None = Field(default=None, ge=0, le=1000)
    total_quota: int | None = Field(default=None, ge=0, le=100000)
    concurrent_quota: int | None = Field(default=None, ge=1, le=100)
    daily_failed_quota: int | None = Field(default=None, ge=0, le=1000)
    leaderboard_visibility: LeaderboardVisibility | None = None
    submission_rule: SubmissionRule | None = None
    max_selected: int | None = Field(default=None, ge=1, le=20)
    verify_top_k: int | None = Field(default=None, ge=0, le=1000)
    ladder_threshold: float | None = Field(default=None, gt=0, le=1_000_000)  # null: off
    # the hidden test set's split; fixed once the phase's results are published
    public_item_ids: list[str] | None = Field(default=None, max_length=1_000_000)
    private_item_ids: list[str] | None = Field(default=None, max_length=1_000_000)


class PhasePublic(SQLModel):
    """What anyone may see: the split's item ids stay with the staff."""

    id: int
    track_id: int
    slug: str
    title_zh: str
    title_en: str
    starts_at: datetime
    ends_at: datetime
    freeze_at: datetime | None
    daily_quota: int
    total_quota: int
    concurrent_quota: int
    daily_failed_quota: int | None = None  # None: equal to daily_quota
    leaderboard_visibility: LeaderboardVisibility
    submission_rule: SubmissionRule
    max_selected: int
    verify_top_k: int
    ladder_threshold: float | None = None  # set: the public board is in Ladder mode
    published_at: datetime | None
    stage: Literal["running", "upcoming", "past"] = "upcoming"
    timezone: str = "UTC"  # the contest's: show dates in it
    can_publish: bool = False  # nothing in time blocks publishing (verification may still)
    publish_blocked_reason: str | None = None  # in the reader's language, with the date
    publishable_from: datetime | None = None  # the phase end

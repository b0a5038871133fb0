"""Published result versions (immutable snapshots) and the leaderboard's API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow


class ResultVersion(SQLModel, table=True):
    """One publication of a phase's final results. Never updated: a change is a new version."""

    __tablename__ = "result_version"
    __table_args__ = (UniqueConstraint("phase_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    phase_id: int = Field(foreign_key="phase.id", index=True)
    version: int = Field(ge=1)
    published_by: int | None = Field(default=None, foreign_key="user.id")
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    note: str = Field(default="", max_length=2000)
    board: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON)
    )  # columns + ranked rows
    diff: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON)
    )  # against the previous version


# ---------------------------------------------------------------- API shapes
class LeaderboardColumn(SQLModel):
    key: str
    label_zh: str
    label_en: str
    direction: Literal["higher", "lower"]
    precision: int


class LeaderboardRow(SQLModel):
    rank: int
    team_id: int
    team_name: str
    submission_id: int
    scores: dict[str, float | None]
    submitted_at: datetime
    verified: bool = False
    flagged: bool = False
    award: str | None = None
    award_zh: str | None = None
    award_en: str | None = None
    award_prize: str | None = None


class Leaderboard(SQLModel):
    phase_id: int
    columns: list[LeaderboardColumn]
    rows: list[LeaderboardRow]
    split: Literal["public", "private"]
    frozen: bool
    published: bool
    version: int | None = None  # the published result version served, if any


class AwardTier(SQLModel):
    label_zh: str = Field(min_length=1, max_length=80)
    label_en: str = Field(min_length=1, max_length=80)
    count: int = Field(ge=1, le=1000)
    prize: str = Field(default="", max_length=120)  # e.g. "¥100,000 + certificate"


DEFAULT_AWARDS = [
    AwardTier(label_zh="一等奖", label_en="First prize", count=1),
    AwardTier(label_zh="二等奖", label_en="Second prize", count=1),
    AwardTier(label_zh="三等奖", label_en="Third prize", count=1),
]


class PublishRequest(SQLModel):
    awards: list[AwardTier] | None = Field(default=None, max_length=20)
    note: str = Field(default="", max_length=2000)


class FreezeRequest(SQLModel):
    at: datetime | None = None  # default: now


class ResultVersionPublic(SQLModel):
    version: int
    published_at: datetime
    note: str
    board: dict[str, Any]
    diff: list[dict[str, Any]]


class ResultsIndex(SQLModel):
    phase_id: int
    published: bool
    versions: list[ResultVersionPublic]


class HallOfFameEntry(SQLModel):
    kind: Literal["contest", "challenge"]
    year: int
    contest_id: int | None = None
    contest_title_zh: str | None = None
    contest_title_en: str | None = None
    edition: str | None = None
    track_title_zh: str | None = None
    track_title_en: str | None = None
    phase_id: int | None = None
    item_id: int | None = None
    item_title_zh: str | None = None
    item_title_en: str | None = None
    team_id: int
    team_name: str
    rank: int | None = None
    award: str | None = None
    award_zh: str | None = None
    award_en: str | None = None
    award_prize: str | None = None
    members: list[dict[str, Any]] = []


class TargetResult(SQLModel):
    target_id: int
    metric: str
    comparator: str
    threshold: float
    unit: str
    track_id: int | None
    team_id: int
    team_name: str
    met: bool
    value: float | None
    margin: float | None
    submission_id: int | None
    phase_id: int | None
    split: str | None

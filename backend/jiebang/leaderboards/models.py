"""Published result versions (immutable snapshots), the ranked table behind live boards, and
the leaderboard's API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import JSON, Column, Index, UniqueConstraint
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


class BoardEntry(SQLModel, table=True):
    """One team's row on one live board, kept up to date as its scores land (standings.py).

    `split` is public, private, or frozen (the public split as it stood at the freeze moment).
    `rank_key` encodes the ranking columns, then submission time and id, as digits: the index
    lists a board in rank order."""

    __tablename__ = "board_entry"
    __table_args__ = (
        UniqueConstraint("phase_id", "split", "team_id"),
        Index("ix_board_entry_phase_id_split_rank_key", "phase_id", "split", "rank_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    phase_id: int = Field(foreign_key="phase.id", ondelete="CASCADE")
    split: str = Field(max_length=16)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE")
    submission_id: int = Field(foreign_key="submission.id", ondelete="CASCADE")
    primary_value: float
    rank_key: str = Field(max_length=1000)
    scores: dict[str, float | None] = Field(default_factory=dict, sa_column=Column(JSON))
    submitted_at: datetime = Field(sa_type=UTCDateTime)


class BoardState(SQLModel, table=True):
    """Which board definition (columns, rule, split, freeze moment) a phase's rows were built
    for; a board whose definition changed since is rebuilt on its next read."""

    __tablename__ = "board_state"

    phase_id: int = Field(primary_key=True, foreign_key="phase.id", ondelete="CASCADE")
    split: str = Field(primary_key=True, max_length=16)
    signature: str = Field(max_length=64)
    built_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


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
    shared_rank: int | None = None  # published boards: equal on the primary column, equal rank
    tied: bool = False
    tie_break: str | None = None  # what ordered this row after its tied neighbour
    # the ranked submission's answers to the fact-sheet questions shown on the board
    fact_sheet: dict[str, str | bool] = {}


class FactSheetColumn(SQLModel):
    """A fact-sheet question shown on the board (Codabench ``is_on_leaderboard``)."""

    key: str
    title: str
    type: str  # text | checkbox | select


class Leaderboard(SQLModel):
    phase_id: int
    columns: list[LeaderboardColumn]
    rows: list[LeaderboardRow]
    split: Literal["public", "private"]
    frozen: bool
    published: bool
    version: int | None = None  # the published result version served, if any
    published_at: datetime | None = None
    awards: list[AwardTier] = []  # the published award tiers (labels, counts, prizes)
    tie_rule_zh: str | None = None  # how ties were broken, stated on the board
    tie_rule_en: str | None = None
    fact_sheet_columns: list[FactSheetColumn] = []  # answered per row in `fact_sheet`


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
    team_id: int  # 0 for a 揭榜 unit that took the item up without a team
    team_name: str
    organisation_id: int | None = None  # 揭榜: the applicant unit, counted at acceptance
    organisation_name_zh: str | None = None
    organisation_name_en: str | None = None
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

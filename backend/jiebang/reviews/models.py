"""Expert review (专家评审): a rubric per list, reviewers per item, blind score sheets."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.db import EnumString, UTCDateTime, utcnow
from jiebang.organisations.models import PersonIn


class Aggregation(StrEnum):
    mean = "mean"
    trimmed_mean = "trimmed_mean"  # the highest and the lowest dropped (three reviewers or more)


class Rubric(SQLModel, table=True):
    __tablename__ = "review_rubric"

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key="challenge_list.id", unique=True)
    aggregation: Aggregation = Field(
        default=Aggregation.mean, sa_column=Column(EnumString(Aggregation, 16), nullable=False)
    )
    spread_threshold: float = 20.0  # points of the 0–100 total between reviewers


class Criterion(SQLModel, table=True):
    __tablename__ = "review_criterion"

    id: int | None = Field(default=None, primary_key=True)
    rubric_id: int = Field(foreign_key="review_rubric.id", index=True, ondelete="CASCADE")
    position: int = 0
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    weight: float  # percent; a rubric's weights sum to 100
    max_score: int = 100


class CriterionIn(SQLModel):
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    weight: float = Field(gt=0, le=100)
    max_score: int = Field(default=100, ge=1, le=100)


class CriterionPublic(CriterionIn):
    id: int


class RubricIn(SQLModel):
    aggregation: Aggregation = Aggregation.mean
    spread_threshold: float = Field(default=20.0, ge=0, le=100)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=30)


class RubricPublic(SQLModel):
    list_id: int
    aggregation: Aggregation
    spread_threshold: float
    criteria: list[CriterionPublic]


class ReviewerAssignment(SQLModel, table=True):
    __tablename__ = "review_assignment"
    __table_args__ = (UniqueConstraint("item_id", "reviewer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="challenge_item.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id", index=True)
    assigned_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AssignmentIn(PersonIn):
    pass


class AssignmentPublic(SQLModel):
    item_id: int
    reviewer_id: int
    display_name: str


class ConflictIn(SQLModel):
    """A reviewer's declaration of a conflict of interest with an item (and an applying unit)."""

    organisation_id: int | None = None
    reason: str = Field(min_length=1, max_length=2000)


class ReviewSheet(SQLModel, table=True):
    """One reviewer's scores for one application: {criterion_id: {score, comment}}."""

    __tablename__ = "review_sheet"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="application.id", index=True)
    reviewer_id: int = Field(foreign_key="user.id")
    scores: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScoreIn(SQLModel):
    criterion_id: int
    score: float
    comment: str = Field(default="", max_length=5000)


class SheetIn(SQLModel):
    scores: list[ScoreIn] = Field(max_length=30)
    submit: bool = False


class SheetPublic(SQLModel):
    application_id: int
    reviewer_id: int
    scores: list[ScoreIn]
    total: float | None  # weighted, 0–100, once every criterion is scored
    submitted: bool


class CriterionResult(SQLModel):
    criterion_id: int
    name_zh: str
    name_en: str
    aggregate: float | None
    scores: list[float]


class RankingRow(SQLModel):
    rank: int
    application_id: int
    applicant_org_id: int | None
    reviewers: int
    total: float | None
    criteria: list[CriterionResult]
    spread: float  # highest minus lowest reviewer total
    flagged: bool  # the spread is beyond the rubric's threshold

"""The bundle format as pydantic models; ``docs/bundle.schema.json`` is generated from them.

A bundle is a directory with ``challenge_list.yaml`` and/or ``contest.yaml`` plus the data
folders their manifests name. Titles and texts come in pairs (``*_zh``, ``*_en``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiebang.challenge_lists.models import Comparator
from jiebang.contests.models import LeaderboardVisibility, SubmissionKind, SubmissionRule

SLUG = r"^[a-z0-9][a-z0-9-]{0,62}$"
CODE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
RELATIVE_PATH = r"^[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*$"  # no "..", no "/x"
LIST_FILE = "challenge_list.yaml"
CONTEST_FILE = "contest.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DataManifest(_Strict):
    """A folder of the bundle and its ``sha256sum``-style checksum file (``<hex>  <path>``)."""

    dir: str = Field(pattern=RELATIVE_PATH, description="Folder, relative to the bundle root.")
    checksums: str = Field(
        pattern=RELATIVE_PATH,
        description="File of '<sha256>  <path relative to dir>' lines covering every file in dir.",
    )


class Target(_Strict):
    metric: str = Field(min_length=1, max_length=64, description="Metric key, e.g. bd_rate.")
    comparator: Comparator
    threshold: float
    unit: str = Field(default="", max_length=16)
    track: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9-]{0,62}/[a-z0-9][a-z0-9-]{0,62}$",
        description="'<contest slug>/<track slug>' whose scores decide the target.",
    )
    note_zh: str = Field(default="", max_length=500)
    note_en: str = Field(default="", max_length=500)


class Item(_Strict):
    code: str = Field(pattern=CODE)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    category: str = Field(min_length=1, max_length=64)
    background_zh: str = ""
    background_en: str = ""
    targets_text_zh: str = ""
    targets_text_en: str = ""
    reward_zh: str = Field(default="", max_length=500)
    reward_en: str = Field(default="", max_length=500)
    application_deadline: datetime = Field(
        description="With an offset, e.g. 2024-09-30T17:00:00+08:00."
    )
    lead_unit: str = Field(default="", max_length=200)
    targets: list[Target] = Field(default_factory=list, max_length=20)


class ChallengeListBundle(_Strict):
    year: int = Field(ge=2000, le=2100, description="One list per year; the year identifies it.")
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    description_zh: str = ""
    description_en: str = ""
    status: Literal["draft", "published", "closed"] = "draft"
    items: list[Item] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_codes(self) -> ChallengeListBundle:
        _refuse_duplicates([item.code for item in self.items], "item code")
        return self


class Quotas(_Strict):
    daily: int = Field(default=5, ge=0, le=1000)
    total: int = Field(default=100, ge=0, le=100000)
    concurrent: int = Field(default=2, ge=1, le=100)


class Split(_Strict):
    public: list[str] = Field(
        default_factory=list, description="Item ids scored on the public board."
    )
    private: list[str] = Field(
        default_factory=list, description="Item ids kept for the private board."
    )

    @model_validator(mode="after")
    def _disjoint(self) -> Split:
        both = sorted(set(self.public) & set(self.private))
        if both:
            raise ValueError(f"items in both the public and the private split: {', '.join(both)}")
        return self


class Phase(_Strict):
    slug: str = Field(pattern=SLUG)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    starts_at: datetime
    ends_at: datetime
    freeze_at: datetime | None = None
    quotas: Quotas = Field(default_factory=Quotas)
    leaderboard_visibility: LeaderboardVisibility = LeaderboardVisibility.public
    submission_rule: SubmissionRule = SubmissionRule.best
    max_selected: int = Field(default=2, ge=1, le=20)
    verify_top_k: int = Field(default=0, ge=0, le=1000)
    split: Split = Field(default_factory=Split)
    reference: DataManifest | None = Field(
        default=None,
        description="Hidden reference data: uploaded at import, only ever served to workers.",
    )

    @model_validator(mode="after")
    def _dates(self) -> Phase:
        for moment in (self.starts_at, self.ends_at, self.freeze_at):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("dates need a time zone offset, e.g. 2024-05-01T00:00:00+08:00")
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.freeze_at is not None and not self.starts_at <= self.freeze_at <= self.ends_at:
            raise ValueError("freeze_at must lie between starts_at and ends_at")
        return self


class Evaluator(_Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    version: str = Field(min_length=1, max_length=32)
    config: dict[str, Any] = Field(default_factory=dict)


class Leaderboard(BaseModel):
    """Columns shown on the board (metric keys of the evaluator); further keys are kept as given."""

    model_config = ConfigDict(extra="allow")

    columns: list[str] = Field(default_factory=list)
    sort_by: str | None = Field(
        default=None, description="Metric ranking the board; default the primary metric."
    )


class Track(_Strict):
    slug: str = Field(pattern=SLUG)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    description_zh: str = ""
    description_en: str = ""
    evaluator: Evaluator
    submission_kind: SubmissionKind = SubmissionKind.results
    max_submission_bytes: int = Field(default=8 * 1024**3, gt=0, le=64 * 1024**3)
    time_limit_seconds: int = Field(default=600, gt=0, le=24 * 3600)
    memory_limit_bytes: int = Field(default=4 * 1024**3, gt=0, le=256 * 1024**3)
    leaderboard: Leaderboard = Field(default_factory=Leaderboard)
    public_data: DataManifest | None = Field(
        default=None, description="Development kit served to teams."
    )
    phases: list[Phase] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_phases(self) -> Track:
        _refuse_duplicates([phase.slug for phase in self.phases], "phase slug")
        return self


class ContestBundle(_Strict):
    slug: str = Field(pattern=SLUG)
    title_zh: str = Field(min_length=1, max_length=200)
    title_en: str = Field(min_length=1, max_length=200)
    edition: str = Field(min_length=1, max_length=40)
    year: int = Field(ge=2000, le=2100)
    timezone: str = "Asia/Shanghai"
    description_zh: str = ""
    description_en: str = ""
    requires_team_approval: bool = False
    team_size_limit: int = Field(default=5, ge=1, le=50)
    status: Literal["draft", "published"] = "draft"
    tracks: list[Track] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_tracks(self) -> ContestBundle:
        _refuse_duplicates([track.slug for track in self.tracks], "track slug")
        return self


def _refuse_duplicates(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


def bundle_json_schema() -> dict[str, Any]:
    """JSON Schema of both bundle files, keyed by file name."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Jiebang challenge bundle",
        "description": f"{LIST_FILE} follows ChallengeListBundle, {CONTEST_FILE} ContestBundle.",
        "oneOf": [
            {"$ref": "#/$defs/ChallengeListBundle"},
            {"$ref": "#/$defs/ContestBundle"},
        ],
        "$defs": _merged_defs(ChallengeListBundle, ContestBundle),
    }


def _merged_defs(*models: type[BaseModel]) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
    return defs


def schema_text() -> str:
    return json.dumps(bundle_json_schema(), indent=2, ensure_ascii=False) + "\n"

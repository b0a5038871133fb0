"""Scoring programs: a Jiebang evaluator or a command scorer, stored once per sha256."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow

KIND_EVALUATOR = "evaluator"  # evaluator.py with SPEC and evaluate(ctx)
KIND_COMMAND = "command"  # any program with a scorer.yaml / scorer.json manifest


class ScoringProgram(SQLModel, table=True):
    """One immutable version of a scoring program; ``(key, version)`` is what a track pins."""

    __tablename__ = "scoring_program"
    # one row per content: identical uploads racing each other cannot make two versions
    __table_args__ = (UniqueConstraint("key", "version"), UniqueConstraint("key", "sha256"))

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, index=True)
    version: str = Field(max_length=32)
    revision: int = 1  # the n-th upload of this key
    kind: str = Field(max_length=16)
    sha256: str = Field(max_length=64, index=True)  # of the deterministic archive
    size: int = 0
    object_id: int = Field(foreign_key="stored_object.id")
    spec: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))  # describe()
    manifest: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    runtime: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    gpus: int = 0
    builtin: bool = False
    created_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ScoringProgramPublic(SQLModel):
    id: int
    key: str
    version: str
    revision: int
    kind: str
    sha256: str
    size: int
    spec: dict[str, Any]
    manifest: dict[str, Any]
    runtime: dict[str, Any]
    gpus: int
    builtin: bool
    created_at: datetime


class ProgramRef(SQLModel):
    """What a worker needs to fetch and run a scoring program (no database access)."""

    key: str
    version: str
    kind: str
    sha256: str
    url: str
    manifest: dict[str, Any] = {}
    runtime: dict[str, Any] = {"kind": "platform"}
    gpus: int = 0

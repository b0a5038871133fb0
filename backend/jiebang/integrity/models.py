"""One fingerprint per thing a scored submission can share with another team's entry."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class MatchKind(StrEnum):
    upload = "upload"  # the uploaded file's sha256
    file = "file"  # one file inside the upload (result tracks)
    program = "program"  # the program files as a whole (code tracks, the decoder hash)
    metrics = "metrics"  # the per-item metric vector, every digit


class Fingerprint(SQLModel, table=True):
    """Indexed by (phase, kind, value): a new submission finds its twins in one lookup."""

    __tablename__ = "integrity_fingerprint"
    __table_args__ = (Index("ix_integrity_fingerprint_match", "phase_id", "kind", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    phase_id: int = Field(foreign_key="phase.id")
    team_id: int = Field(foreign_key="team.id")
    kind: str = Field(max_length=16)
    value: str = Field(max_length=64)
    label: str = Field(default="", max_length=255)  # the file's path, for kind "file"


class EntryRef(SQLModel):
    submission_id: int
    team_id: int
    team_name: str
    filename: str


class Match(SQLModel):
    kind: MatchKind
    label_a: str
    label_b: str
    value: str


class SimilarPair(SQLModel):
    """Two teams' entries that share at least one fingerprint, and what they share."""

    a: EntryRef
    b: EntryRef
    matches: list[Match]
    files_matched: int  # identical files between the two, of kind "file"

"""Which phase migrates from which, when it ran, and each copy's origin."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from jiebang.db import UTCDateTime, utcnow


class PhaseMigration(SQLModel, table=True):
    """When ``phase_id`` opens, each team's ranked submission of ``source_phase_id`` (by that
    phase's submission rule) is copied into it and evaluated there."""

    __tablename__ = "phase_migration"

    phase_id: int = Field(foreign_key="phase.id", primary_key=True)
    source_phase_id: int = Field(foreign_key="phase.id", index=True)
    migrated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    migrated_count: int = 0  # copies made, by every run
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MigratedSubmission(SQLModel, table=True):
    """A submission made by a migration, and the one it was copied from."""

    __tablename__ = "migrated_submission"

    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
    source_submission_id: int = Field(foreign_key="submission.id", index=True)


class MigrationPreview(SQLModel):
    """What the organiser's migrate button would do now."""

    phase_id: int
    source_phase_id: int | None  # None: no earlier phase to migrate from
    source_title_zh: str = ""
    source_title_en: str = ""
    automatic: bool = False  # the phase migrates by itself when it opens
    migrated_at: datetime | None = None  # when a migration into it last ran
    pending: int = 0  # the source's ranked submissions not yet copied
    already_migrated: int = 0  # copies already in the phase


class MigrationResult(SQLModel):
    phase_id: int
    source_phase_id: int
    migrated: list[int]  # the new copies' submission ids
    already_migrated: int  # skipped: copied by an earlier migration

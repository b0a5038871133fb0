"""codabench fact sheets: answers per submission; phase auto-migrations and their copies

Revision ID: c19c0001
Revises: c19b0001
Create Date: 2026-12-02 01:22:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import jiebang.db

revision: str = "c19c0001"
down_revision: str | None = "c19b0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fact_sheet_answers",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("answered_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_fact_sheet_answers_submission_id_submission"),
        ),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_fact_sheet_answers")),
    )
    op.create_table(
        "phase_migration",
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("source_phase_id", sa.Integer(), nullable=False),
        sa.Column("migrated_at", jiebang.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("migrated_count", sa.Integer(), nullable=False),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["phase_id"], ["phase.id"], name=op.f("fk_phase_migration_phase_id_phase")
        ),
        sa.ForeignKeyConstraint(
            ["source_phase_id"],
            ["phase.id"],
            name=op.f("fk_phase_migration_source_phase_id_phase"),
        ),
        sa.PrimaryKeyConstraint("phase_id", name=op.f("pk_phase_migration")),
    )
    op.create_index(
        op.f("ix_phase_migration_source_phase_id"), "phase_migration", ["source_phase_id"]
    )
    op.create_table(
        "migrated_submission",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("source_submission_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_migrated_submission_submission_id_submission"),
        ),
        sa.ForeignKeyConstraint(
            ["source_submission_id"],
            ["submission.id"],
            name=op.f("fk_migrated_submission_source_submission_id_submission"),
        ),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_migrated_submission")),
    )
    op.create_index(
        op.f("ix_migrated_submission_source_submission_id"),
        "migrated_submission",
        ["source_submission_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_migrated_submission_source_submission_id"), table_name="migrated_submission"
    )
    op.drop_table("migrated_submission")
    op.drop_index(op.f("ix_phase_migration_source_phase_id"), table_name="phase_migration")
    op.drop_table("phase_migration")
    op.drop_table("fact_sheet_answers")

"""quota counters and open uploads

Revision ID: c12a0001
Revises: 64442169e5de
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db

revision: str = "c12a0001"
down_revision: str | None = "64442169e5de"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # the row every quota check-and-charge of a team in a phase locks first
    op.create_table(
        "quota_counter",
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["phase_id"], ["phase.id"], name=op.f("fk_quota_counter_phase_id_phase")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_quota_counter_team_id_team")
        ),
        sa.PrimaryKeyConstraint("phase_id", "team_id", name=op.f("pk_quota_counter")),
    )
    # /readyz proves the database takes a write
    op.create_table(
        "readiness_probe",
        sa.Column("instance", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("checked_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("instance", name=op.f("pk_readiness_probe")),
    )
    # mistakes count as failed attempts; one complete at a time claims an upload
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_charged", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("completing_at", jiebang.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.alter_column("failed_charged", server_default=None)
    # failed attempts a team may make per day in a phase (empty: as many as daily_quota)
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.add_column(sa.Column("daily_failed_quota", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.drop_column("daily_failed_quota")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("completing_at")
        batch_op.drop_column("failed_charged")
    op.drop_table("readiness_probe")
    op.drop_table("quota_counter")

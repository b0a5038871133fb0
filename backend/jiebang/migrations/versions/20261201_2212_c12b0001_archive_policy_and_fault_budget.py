"""archive policy and fault budget

Revision ID: c12b0001
Revises: c12a0001
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db

revision: str = "c12b0001"
down_revision: str | None = "c12a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # an organiser released a team's held submissions; its fault budget restarts there
    # (the new "held" status of submissions and jobs fits the existing VARCHAR(16) columns)
    op.create_table(
        "fault_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("released_by", sa.Integer(), nullable=False),
        sa.Column("released_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submissions", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["released_by"], ["user.id"], name=op.f("fk_fault_release_released_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_fault_release_team_id_team")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fault_release")),
    )
    with op.batch_alter_table("fault_release", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fault_release_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fault_release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fault_release_team_id"))
    op.drop_table("fault_release")

"""list working calendar: a list counts notice periods by the official Chinese calendar ("cn")
or Monday to Friday ("weekdays"); lists created before keep "weekdays", so that no period
already announced, nor any proposed later on them, shifts. A notice records how its end was
computed (working days, calendar) and the years counted Monday to Friday for want of a schedule.

Revision ID: c20c0001
Revises: c20b0001
Create Date: 2026-12-02 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jiebang.db  # noqa: F401

revision: str = "c20c0001"
down_revision: str | None = "c20b0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("challenge_list", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "working_calendar",
                sa.String(length=16),
                nullable=False,
                server_default="weekdays",  # the existing lists' behaviour
            )
        )
    with op.batch_alter_table("challenge_list", schema=None) as batch_op:
        # new lists get the model's default ("cn"), not the existing lists'
        batch_op.alter_column(
            "working_calendar", existing_type=sa.String(length=16), server_default=None
        )
    with op.batch_alter_table("appointment_notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("working_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("working_calendar", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("fallback_years", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("appointment_notice", schema=None) as batch_op:
        batch_op.drop_column("fallback_years")
        batch_op.drop_column("working_calendar")
        batch_op.drop_column("working_days")
    with op.batch_alter_table("challenge_list", schema=None) as batch_op:
        batch_op.drop_column("working_calendar")

"""newcomer journeys

Revision ID: c14a0001
Revises: c13b0001
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db  # noqa: F401

revision: str = "c14a0001"
down_revision: str | None = "c13b0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a failure message in both languages: the team reads it in its own
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "failure_message_zh", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("failure_message_zh")

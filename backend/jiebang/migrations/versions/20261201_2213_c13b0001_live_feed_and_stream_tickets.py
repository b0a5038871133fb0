"""live feed and stream tickets

Revision ID: c13b0001
Revises: c13a0001
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db

revision: str = "c13b0001"
down_revision: str | None = "c13a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stream_ticket",
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_stream_ticket_user_id_user")
        ),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_stream_ticket")),
    )
    with op.batch_alter_table("stream_ticket", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stream_ticket_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stream_ticket_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stream_ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stream_ticket_user_id"))
        batch_op.drop_index(batch_op.f("ix_stream_ticket_expires_at"))
    op.drop_table("stream_ticket")

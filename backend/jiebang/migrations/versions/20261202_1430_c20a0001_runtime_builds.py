"""runtime builds: each worker's last word on building a runtime (runtime_build)

Revision ID: c20a0001
Revises: c19e0001
Create Date: 2026-12-02 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db

revision: str = "c20a0001"
down_revision: str | None = "c19e0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # workers build runtimes in caches on their own machines: the API reads what they said
    op.create_table(
        "runtime_build",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("content_key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("worker", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("started_at", jiebang.db.UTCDateTime(), nullable=True),
        sa.Column("log_tail", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("message_zh", sa.Text(), nullable=False),
        sa.Column("updated_at", jiebang.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "content_key", "worker", name=op.f("pk_runtime_build")),
    )


def downgrade() -> None:
    op.drop_table("runtime_build")

"""codabench bundles

Revision ID: c16a0001
Revises: c15a0001
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import jiebang.db  # noqa: F401

revision: str = "c16a0001"
down_revision: str | None = "c15a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.add_column(sa.Column("detailed_results_html", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_column("detailed_results_html")

"""scoring program content unique

Revision ID: c19e0001
Revises: c19d0001
Create Date: 2026-12-02 03:10:00
"""

from collections.abc import Sequence

from alembic import op

import jiebang.db  # noqa: F401

revision: str = "c19e0001"
down_revision: str | None = "c19d0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # identical uploads racing each other could both pass the "already published?" look-up
    with op.batch_alter_table("scoring_program", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_scoring_program_key_sha256"), ["key", "sha256"]
        )


def downgrade() -> None:
    with op.batch_alter_table("scoring_program", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_scoring_program_key_sha256"), type_="unique")

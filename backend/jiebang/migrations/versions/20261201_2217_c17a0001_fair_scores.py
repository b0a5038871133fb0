"""fair scores

Revision ID: c17a0001
Revises: c14a0001
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db  # noqa: F401

revision: str = "c17a0001"
down_revision: str | None = "c14a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # per-file sha256 of the upload (from the worker's unpack), and the fingerprints that
    # let judges find copied entries across teams by one indexed lookup
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_hashes", sa.JSON(), nullable=True))
    op.create_table(
        "integrity_fingerprint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.ForeignKeyConstraint(["phase_id"], ["phase.id"]),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("integrity_fingerprint", schema=None) as batch_op:
        batch_op.create_index(
            "ix_integrity_fingerprint_match", ["phase_id", "kind", "value"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_integrity_fingerprint_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("integrity_fingerprint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_integrity_fingerprint_submission_id"))
        batch_op.drop_index("ix_integrity_fingerprint_match")
    op.drop_table("integrity_fingerprint")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("file_hashes")

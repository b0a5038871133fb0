"""own programs round2: resumable organiser uploads (staged_upload)

Revision ID: c19d0001
Revises: c19c0001
Create Date: 2026-12-02 01:23:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db

revision: str = "c19d0001"
down_revision: str | None = "c19c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staged_upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("declared_size", sa.BigInteger(), nullable=False),
        sa.Column("declared_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("upload_key", sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column("upload_id", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column("part_size", sa.BigInteger(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", jiebang.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user.id"], name=op.f("fk_staged_upload_owner_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staged_upload")),
    )
    with op.batch_alter_table("staged_upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staged_upload_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staged_upload_upload_id"), ["upload_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("staged_upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staged_upload_upload_id"))
        batch_op.drop_index(batch_op.f("ix_staged_upload_owner_id"))
    op.drop_table("staged_upload")

"""artifacts and runtimes

Revision ID: c15a0001
Revises: c17a0001
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db

revision: str = "c15a0001"
down_revision: str | None = "c17a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scoring_program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=True),
        sa.Column("manifest", sa.JSON(), nullable=True),
        sa.Column("runtime", sa.JSON(), nullable=True),
        sa.Column("gpus", sa.Integer(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["stored_object.id"],
            name=op.f("fk_scoring_program_object_id_stored_object"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_scoring_program_created_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_program")),
        sa.UniqueConstraint("key", "version", name=op.f("uq_scoring_program_key_version")),
    )
    with op.batch_alter_table("scoring_program", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scoring_program_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_scoring_program_sha256"), ["sha256"], unique=False)
    op.create_table(
        "track_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("track_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("evaluator_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("evaluator_version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("program_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("inputs_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("message_zh", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("logs", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["track_id"], ["track.id"], name=op.f("fk_track_check_track_id_track")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_track_check_created_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_track_check")),
    )
    with op.batch_alter_table("track_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_track_check_track_id"), ["track_id"], unique=False)
    with op.batch_alter_table("evaluation_job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gpus", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("worker_heartbeat", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("gpu_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "gpu_model",
                sqlmodel.sql.sqltypes.AutoString(length=200),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("worker_heartbeat", schema=None) as batch_op:
        batch_op.drop_column("gpu_model")
        batch_op.drop_column("gpu_count")
    with op.batch_alter_table("evaluation_job", schema=None) as batch_op:
        batch_op.drop_column("gpus")
    with op.batch_alter_table("track_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_track_check_track_id"))
    op.drop_table("track_check")
    with op.batch_alter_table("scoring_program", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scoring_program_sha256"))
        batch_op.drop_index(batch_op.f("ix_scoring_program_key"))
    op.drop_table("scoring_program")

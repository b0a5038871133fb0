"""incremental boards and feed

Revision ID: c13a0001
Revises: c12c0001
Create Date: 2026-12-01 22:00:00
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db

revision: str = "c13a0001"
down_revision: str | None = "c12c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ladder_threshold", sa.Float(), nullable=True))
    op.create_table(
        "board_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("split", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("primary_value", sa.Float(), nullable=False),
        sa.Column("rank_key", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.Column("submitted_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["phase.id"],
            name=op.f("fk_board_entry_phase_id_phase"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_board_entry_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_board_entry_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_entry")),
        sa.UniqueConstraint(
            "phase_id", "split", "team_id", name=op.f("uq_board_entry_phase_id_split_team_id")
        ),
    )
    with op.batch_alter_table("board_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_board_entry_phase_id_split_rank_key",
            ["phase_id", "split", "rank_key"],
            unique=False,
        )
    op.create_table(
        "board_state",
        sa.Column("phase_id", sa.Integer(), nullable=False),
        sa.Column("split", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("signature", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("built_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["phase_id"],
            ["phase.id"],
            name=op.f("fk_board_state_phase_id_phase"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("phase_id", "split", name=op.f("pk_board_state")),
    )
    _backfill()


def _backfill() -> None:
    """Build every phase's boards from its scores. The application's own rebuild does it, so
    it reads today's models: should they have moved on from this revision's schema (a later
    migration still to run), the boards are left unbuilt and each is built on its first read."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM phase LIMIT 1")).first() is None:
        return
    from sqlmodel import Session

    from jiebang.leaderboards import standings

    savepoint = bind.begin_nested() if bind.dialect.name == "postgresql" else None
    try:
        with Session(bind=bind) as db:
            built = standings.rebuild_all(db=db)
            db.flush()
    except Exception:  # the back-fill saves the first reads some time; it is not required
        if savepoint is not None:
            savepoint.rollback()
        log.warning("leaderboards not back-filled; each is built on its first read", exc_info=True)
        return
    if savepoint is not None:
        savepoint.commit()
    log.info("back-filled %d leaderboards", built)


def downgrade() -> None:
    op.drop_table("board_state")
    with op.batch_alter_table("board_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_board_entry_phase_id_split_rank_key")
    op.drop_table("board_entry")
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.drop_column("ladder_threshold")

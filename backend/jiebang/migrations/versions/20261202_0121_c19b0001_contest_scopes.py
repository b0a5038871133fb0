"""contest scopes

Revision ID: c19b0001
Revises: c19a0001
Create Date: 2026-12-02 01:21:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

import jiebang.db  # noqa: F401

revision: str = "c19b0001"
down_revision: str | None = "c19a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


FK_NAME = "fk_contest_organisation_id_organisation"


def upgrade() -> None:
    # existing contests keep organisation_id NULL: the platform's own, as before
    if op.get_bind().dialect.name == "sqlite":
        # contest is referenced by tracks and teams: SQLite must not copy and drop it, so the
        # column comes with its reference inline, by a plain ADD COLUMN
        op.add_column(
            "contest",
            sa.Column(
                "organisation_id",
                sa.Integer(),
                sa.ForeignKey("organisation.id", name=op.f(FK_NAME)),
                nullable=True,
            ),
            inline_references=True,
        )
    else:
        op.add_column("contest", sa.Column("organisation_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f(FK_NAME), "contest", "organisation", ["organisation_id"], ["id"])
    op.create_index(op.f("ix_contest_organisation_id"), "contest", ["organisation_id"])


def downgrade() -> None:
    # grants held in a contest's scope stay: they name the contest, not its organisation
    op.drop_index(op.f("ix_contest_organisation_id"), table_name="contest")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite copies and drops contest to drop the column: references to it are not
        # enforced meanwhile (pysqlite runs DDL outside a transaction, so the pragma holds)
        op.execute(sa.text("PRAGMA foreign_keys=OFF"))
        with op.batch_alter_table("contest", schema=None) as batch_op:
            batch_op.drop_column("organisation_id")
    else:
        op.drop_constraint(op.f(FK_NAME), "contest", type_="foreignkey")
        op.drop_column("contest", "organisation_id")

"""identities

Revision ID: c12c0001
Revises: c12b0001
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db  # noqa: F401

revision: str = "c12c0001"
down_revision: str | None = "c12b0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # emails are compared after NFKC + case folding; the skeleton (look-alike letters folded
    # to ASCII) finds an address that impersonates another
    from jiebang.auth.identity import email_skeleton, normalise_email

    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # the batch below copies and drops the user table while teams, members and
        # applications point at it: references are not enforced meanwhile (pysqlite runs DDL
        # outside a transaction, so the pragma holds), else the drop fails or cascades
        op.execute(sa.text("PRAGMA foreign_keys=OFF"))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "email_skeleton",
                sqlmodel.sql.sqltypes.AutoString(length=320),
                nullable=False,
                server_default="",
            )
        )
    users = sa.table(
        "user", sa.column("id", sa.Integer), sa.column("email"), sa.column("email_skeleton")
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(users.c.id, users.c.email)).all()
    taken = {email for _, email in rows}
    for user_id, email in rows:
        normalised = normalise_email(email)
        # keep an old address as it was if its normalised form belongs to another account
        values = {"email_skeleton": email_skeleton(normalised)}
        if normalised != email and normalised not in taken:
            values["email"] = normalised
            taken.add(normalised)
        conn.execute(sa.update(users).where(users.c.id == user_id).values(**values))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column("email_skeleton", server_default=None)
        batch_op.create_index(
            batch_op.f("ix_user_email_skeleton"), ["email_skeleton"], unique=False
        )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(sa.text("PRAGMA foreign_keys=OFF"))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_email_skeleton"))
        batch_op.drop_column("email_skeleton")

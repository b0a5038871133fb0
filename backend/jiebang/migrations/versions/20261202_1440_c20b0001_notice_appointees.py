"""notice appointees: a public notice names one or more appointees; reports and acceptance
decisions belong to one appointee

Revision ID: c20b0001
Revises: c20a0001
Create Date: 2026-12-02 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jiebang.db  # noqa: F401

revision: str = "c20b0001"
down_revision: str | None = "c20a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the appointee of a report on an item: its notice's first appointee, else (an item awarded
# before public notices) its first awarded application
REPORT_APPOINTEE = """
UPDATE acceptance_report SET application_id = COALESCE(
  (SELECT na.application_id
     FROM acceptance_milestone m
     JOIN appointment_notice n ON n.item_id = m.item_id
     JOIN appointment_notice_appointee na ON na.notice_id = n.id
    WHERE m.id = acceptance_report.milestone_id
    ORDER BY na.position, na.id LIMIT 1),
  (SELECT MIN(a.id)
     FROM acceptance_milestone m
     JOIN application a ON a.item_id = m.item_id
    WHERE m.id = acceptance_report.milestone_id AND a.status = 'awarded'))
"""

# downgrade: one appointee per item again; what the other appointees (after the notice's
# first) filed or were given goes
DROP_OTHERS = [
    "DELETE FROM acceptance_verdict WHERE report_id IN (SELECT r.id FROM acceptance_report r "
    "JOIN acceptance_milestone m ON m.id = r.milestone_id WHERE r.application_id <> "
    "(SELECT na.application_id FROM appointment_notice_appointee na "
    "JOIN appointment_notice n ON n.id = na.notice_id WHERE n.item_id = m.item_id "
    "ORDER BY na.position, na.id LIMIT 1))",
    "DELETE FROM acceptance_report WHERE application_id <> "
    "(SELECT na.application_id FROM appointment_notice_appointee na "
    "JOIN appointment_notice n ON n.id = na.notice_id WHERE n.item_id = "
    "(SELECT m.item_id FROM acceptance_milestone m WHERE m.id = acceptance_report.milestone_id) "
    "ORDER BY na.position, na.id LIMIT 1)",
    "DELETE FROM acceptance_decision WHERE application_id <> "
    "(SELECT na.application_id FROM appointment_notice_appointee na "
    "JOIN appointment_notice n ON n.id = na.notice_id WHERE n.item_id = acceptance_decision.item_id "
    "ORDER BY na.position, na.id LIMIT 1)",
]


def upgrade() -> None:
    op.create_table(
        "appointment_notice_appointee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_appointment_notice_appointee_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["appointment_notice.id"],
            name=op.f("fk_appointment_notice_appointee_notice_id_appointment_notice"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_notice_appointee")),
        sa.UniqueConstraint(
            "notice_id",
            "application_id",
            name=op.f("uq_appointment_notice_appointee_notice_id_application_id"),
        ),
    )
    with op.batch_alter_table("appointment_notice_appointee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointment_notice_appointee_application_id"),
            ["application_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_appointment_notice_appointee_notice_id"), ["notice_id"], unique=False
        )
    op.execute(
        "INSERT INTO appointment_notice_appointee (notice_id, application_id, position) "
        "SELECT id, application_id, 1 FROM appointment_notice"
    )
    with op.batch_alter_table("appointment_notice", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_appointment_notice_application_id_application", type_="foreignkey"
        )
        batch_op.drop_column("application_id")

    with op.batch_alter_table("acceptance_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_acceptance_report_application_id"), ["application_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_acceptance_report_application_id_application"),
            "application",
            ["application_id"],
            ["id"],
        )
    op.execute(REPORT_APPOINTEE)

    with op.batch_alter_table("acceptance_decision", schema=None) as batch_op:
        batch_op.drop_constraint("uq_acceptance_decision_item_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_acceptance_decision_item_id_application_id"),
            ["item_id", "application_id"],
        )


def downgrade() -> None:
    for statement in DROP_OTHERS:
        op.execute(statement)
    with op.batch_alter_table("acceptance_decision", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_acceptance_decision_item_id_application_id"), type_="unique"
        )
        batch_op.create_unique_constraint("uq_acceptance_decision_item_id", ["item_id"])

    with op.batch_alter_table("acceptance_report", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_acceptance_report_application_id_application"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_acceptance_report_application_id"))
        batch_op.drop_column("application_id")

    with op.batch_alter_table("appointment_notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE appointment_notice SET application_id = (SELECT na.application_id "
        "FROM appointment_notice_appointee na WHERE na.notice_id = appointment_notice.id "
        "ORDER BY na.position, na.id LIMIT 1)"
    )
    with op.batch_alter_table("appointment_notice", schema=None) as batch_op:
        batch_op.alter_column("application_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            "fk_appointment_notice_application_id_application",
            "application",
            ["application_id"],
            ["id"],
        )

    with op.batch_alter_table("appointment_notice_appointee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_notice_appointee_notice_id"))
        batch_op.drop_index(batch_op.f("ix_appointment_notice_appointee_application_id"))
    op.drop_table("appointment_notice_appointee")

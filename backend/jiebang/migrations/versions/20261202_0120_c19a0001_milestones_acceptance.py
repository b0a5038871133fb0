"""milestones acceptance: completion deadline, milestones, reports, verdicts, decision (验收)

Revision ID: c19a0001
Revises: c18b0001
Create Date: 2026-12-02 01:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db

revision: str = "c19a0001"
down_revision: str | None = "c18b0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "acceptance_milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("deliverables", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_acceptance_milestone_created_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["challenge_item.id"],
            name=op.f("fk_acceptance_milestone_item_id_challenge_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptance_milestone")),
    )
    with op.batch_alter_table("acceptance_milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acceptance_milestone_item_id"), ["item_id"], unique=False
        )

    op.create_table(
        "acceptance_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["challenge_item.id"],
            name=op.f("fk_acceptance_plan_item_id_challenge_item"),
        ),
        sa.ForeignKeyConstraint(
            ["set_by"], ["user.id"], name=op.f("fk_acceptance_plan_set_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptance_plan")),
        sa.UniqueConstraint("item_id", name=op.f("uq_acceptance_plan_item_id")),
    )
    op.create_table(
        "acceptance_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("document_object_id", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=False),
        sa.Column("submitted_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_object_id"],
            ["stored_object.id"],
            name=op.f("fk_acceptance_report_document_object_id_stored_object"),
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["acceptance_milestone.id"],
            name=op.f("fk_acceptance_report_milestone_id_acceptance_milestone"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["user.id"], name=op.f("fk_acceptance_report_submitted_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptance_report")),
    )
    with op.batch_alter_table("acceptance_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acceptance_report_milestone_id"), ["milestone_id"], unique=False
        )

    op.create_table(
        "acceptance_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("document_object_id", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_acceptance_decision_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["user.id"], name=op.f("fk_acceptance_decision_decided_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["document_object_id"],
            ["stored_object.id"],
            name=op.f("fk_acceptance_decision_document_object_id_stored_object"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["challenge_item.id"],
            name=op.f("fk_acceptance_decision_item_id_challenge_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptance_decision")),
        sa.UniqueConstraint("item_id", name=op.f("uq_acceptance_decision_item_id")),
    )
    with op.batch_alter_table("acceptance_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acceptance_decision_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "acceptance_verdict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["acceptance_report.id"],
            name=op.f("fk_acceptance_verdict_report_id_acceptance_report"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["user.id"], name=op.f("fk_acceptance_verdict_reviewer_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acceptance_verdict")),
        sa.UniqueConstraint(
            "report_id", "reviewer_id", name=op.f("uq_acceptance_verdict_report_id_reviewer_id")
        ),
    )
    with op.batch_alter_table("acceptance_verdict", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acceptance_verdict_report_id"), ["report_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("acceptance_verdict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acceptance_verdict_report_id"))

    op.drop_table("acceptance_verdict")
    with op.batch_alter_table("acceptance_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acceptance_decision_application_id"))

    op.drop_table("acceptance_decision")
    with op.batch_alter_table("acceptance_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acceptance_report_milestone_id"))

    op.drop_table("acceptance_report")
    op.drop_table("acceptance_plan")
    with op.batch_alter_table("acceptance_milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acceptance_milestone_item_id"))

    op.drop_table("acceptance_milestone")

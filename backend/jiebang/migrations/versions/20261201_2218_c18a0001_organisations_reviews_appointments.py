"""organisations reviews appointments

Revision ID: c18a0001
Revises: c16a0001
Create Date: 2026-12-01 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import jiebang.db

revision: str = "c18a0001"
down_revision: str | None = "c16a0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the global roles of before and the platform-wide grants they become
GLOBAL_TO_PLATFORM = {"organiser": "organiser", "judge": "judge"}


def _organisations_up() -> None:
    op.create_table(
        "organisation",
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("org_type", sa.String(length=24), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("contact_name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("contact_email", sa.String(length=320), nullable=True),
        sa.Column("contact_phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_organisation_credit_code")),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_membership_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_membership_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint(
            "organisation_id", "user_id", name=op.f("uq_membership_organisation_id_user_id")
        ),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_membership_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_membership_user_id"), ["user_id"], unique=False)
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("scope_kind", sa.String(length=16), nullable=False),
        sa.Column("scope_id", sa.Integer(), nullable=False),
        sa.Column("granted_by", sa.Integer(), nullable=True),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by"], ["user.id"], name=op.f("fk_role_grant_granted_by_user")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_role_grant_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grant")),
        sa.UniqueConstraint(
            "user_id",
            "role",
            "scope_kind",
            "scope_id",
            name=op.f("uq_role_grant_user_id_role_scope_kind_scope_id"),
        ),
    )
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_grant_user_id"), ["user_id"], unique=False)
    # data: every global organiser and judge holds the same role platform-wide
    for old, new in GLOBAL_TO_PLATFORM.items():
        op.execute(
            sa.text(
                "INSERT INTO role_grant (user_id, role, scope_kind, scope_id, created_at) "
                "SELECT id, :new, 'platform', 0, created_at FROM \"user\" WHERE role = :old"
            ).bindparams(old=old, new=new)
        )


def _organisations_down() -> None:
    # a platform administrator of after keeps the powers of a global organiser
    op.execute(
        sa.text(
            "UPDATE \"user\" SET role = 'organiser' WHERE id IN (SELECT user_id FROM role_grant "
            "WHERE role = 'platform_admin' AND scope_kind = 'platform')"
        )
    )
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_grant_user_id"))
    op.drop_table("role_grant")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_user_id"))
        batch_op.drop_index(batch_op.f("ix_membership_organisation_id"))
    op.drop_table("membership")
    op.drop_table("organisation")


def _applications_up() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applicant_org_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "lead_name",
                sqlmodel.sql.sqltypes.AutoString(length=80),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "lead_email",
                sqlmodel.sql.sqltypes.AutoString(length=320),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("members", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("commitment_object_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("budget_cny", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("missing_items", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("checked_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("checked_at", jiebang.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("resubmitted_at", jiebang.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.alter_column("team_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(
            batch_op.f("ix_application_applicant_org_id"), ["applicant_org_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_application_checked_by_user"), "user", ["checked_by"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_application_commitment_object_id_stored_object"),
            "stored_object",
            ["commitment_object_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_application_applicant_org_id_organisation"),
            "organisation",
            ["applicant_org_id"],
            ["id"],
        )
    op.execute(sa.text("UPDATE application SET members = '[]', missing_items = '[]'"))
    # challenge_item is referenced (targets cascade on delete): SQLite must not copy and drop
    # it, so there the column comes with its reference inline, by a plain ADD COLUMN
    fk_name = op.f("fk_challenge_item_issuing_unit_id_organisation")
    if op.get_bind().dialect.name == "sqlite":
        op.add_column(
            "challenge_item",
            sa.Column(
                "issuing_unit_id",
                sa.Integer(),
                sa.ForeignKey("organisation.id", name=fk_name),
                nullable=True,
            ),
            inline_references=True,
        )
    else:
        op.add_column("challenge_item", sa.Column("issuing_unit_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            fk_name, "challenge_item", "organisation", ["issuing_unit_id"], ["id"]
        )
    with op.batch_alter_table("challenge_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_challenge_item_issuing_unit_id"), ["issuing_unit_id"], unique=False
        )
    with op.batch_alter_table("challenge_list", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "timezone",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="Asia/Shanghai",
            )
        )


def _applications_down() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # SQLite copies and drops these tables while rows still point at them: references are
        # not enforced meanwhile (pysqlite runs DDL outside a transaction, so the pragma holds),
        # and the targets are kept aside in case a cascade still took them with the old table
        op.execute(sa.text("PRAGMA foreign_keys=OFF"))
        op.execute(sa.text("CREATE TEMP TABLE c18_targets AS SELECT * FROM challenge_target"))
    with op.batch_alter_table("challenge_list", schema=None) as batch_op:
        batch_op.drop_column("timezone")
    with op.batch_alter_table("challenge_item", schema=None) as batch_op:
        if not sqlite:  # SQLite's inline reference has no name; the copy leaves it out
            batch_op.drop_constraint(
                batch_op.f("fk_challenge_item_issuing_unit_id_organisation"), type_="foreignkey"
            )
        batch_op.drop_index(batch_op.f("ix_challenge_item_issuing_unit_id"))
        batch_op.drop_column("issuing_unit_id")
    if sqlite:
        op.execute(
            sa.text(
                "INSERT INTO challenge_target SELECT * FROM c18_targets "
                "WHERE id NOT IN (SELECT id FROM challenge_target)"
            )
        )
        op.execute(sa.text("DROP TABLE c18_targets"))
    # applications without a team (unit applications to items not on tracks) cannot go back
    op.execute(sa.text("DELETE FROM application WHERE team_id IS NULL"))
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_application_applicant_org_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_application_commitment_object_id_stored_object"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_application_checked_by_user"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_application_applicant_org_id"))
        batch_op.alter_column("team_id", existing_type=sa.INTEGER(), nullable=False)
        for column in (
            "resubmitted_at",
            "checked_at",
            "checked_by",
            "missing_items",
            "budget_cny",
            "commitment_object_id",
            "members",
            "lead_email",
            "lead_name",
            "applicant_org_id",
        ):
            batch_op.drop_column(column)
    # the formal check's states did not exist before
    op.execute(
        sa.text(
            "UPDATE application SET status = 'submitted' WHERE status IN ('returned', 'complete')"
        )
    )


def _reviews_up() -> None:
    op.create_table(
        "review_rubric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("aggregation", sa.String(length=16), nullable=False),
        sa.Column("spread_threshold", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"], ["challenge_list.id"], name=op.f("fk_review_rubric_list_id_challenge_list")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_rubric")),
        sa.UniqueConstraint("list_id", name=op.f("uq_review_rubric_list_id")),
    )
    op.create_table(
        "review_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"], ["user.id"], name=op.f("fk_review_assignment_assigned_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["challenge_item.id"],
            name=op.f("fk_review_assignment_item_id_challenge_item"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["user.id"], name=op.f("fk_review_assignment_reviewer_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_assignment")),
        sa.UniqueConstraint(
            "item_id", "reviewer_id", name=op.f("uq_review_assignment_item_id_reviewer_id")
        ),
    )
    with op.batch_alter_table("review_assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_assignment_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_review_assignment_reviewer_id"), ["reviewer_id"], unique=False
        )
    op.create_table(
        "review_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rubric_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_zh", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_en", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rubric_id"],
            ["review_rubric.id"],
            name=op.f("fk_review_criterion_rubric_id_review_rubric"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_criterion")),
    )
    with op.batch_alter_table("review_criterion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_criterion_rubric_id"), ["rubric_id"], unique=False
        )
    op.create_table(
        "review_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.Column("submitted_at", jiebang.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_review_sheet_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["user.id"], name=op.f("fk_review_sheet_reviewer_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_sheet")),
        sa.UniqueConstraint(
            "application_id", "reviewer_id", name=op.f("uq_review_sheet_application_id_reviewer_id")
        ),
    )
    with op.batch_alter_table("review_sheet", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_sheet_application_id"), ["application_id"], unique=False
        )


def _reviews_down() -> None:
    with op.batch_alter_table("review_sheet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_sheet_application_id"))
    op.drop_table("review_sheet")
    with op.batch_alter_table("review_criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_criterion_rubric_id"))
    op.drop_table("review_criterion")
    with op.batch_alter_table("review_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_assignment_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_review_assignment_item_id"))
    op.drop_table("review_assignment")
    op.drop_table("review_rubric")


def _appointments_up() -> None:
    op.create_table(
        "appointment_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("finalised_at", jiebang.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_appointment_notice_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_appointment_notice_created_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["challenge_item.id"],
            name=op.f("fk_appointment_notice_item_id_challenge_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_notice")),
        sa.UniqueConstraint("item_id", name=op.f("uq_appointment_notice_item_id")),
    )
    op.create_table(
        "appointment_objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("document_object_id", sa.Integer(), nullable=True),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", jiebang.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", jiebang.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["user.id"], name=op.f("fk_appointment_objection_answered_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["document_object_id"],
            ["stored_object.id"],
            name=op.f("fk_appointment_objection_document_object_id_stored_object"),
        ),
        sa.ForeignKeyConstraint(
            ["filed_by"], ["user.id"], name=op.f("fk_appointment_objection_filed_by_user")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["appointment_notice.id"],
            name=op.f("fk_appointment_objection_notice_id_appointment_notice"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_objection")),
    )
    with op.batch_alter_table("appointment_objection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_appointment_objection_notice_id"), ["notice_id"], unique=False
        )


def _appointments_down() -> None:
    with op.batch_alter_table("appointment_objection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_objection_notice_id"))
    op.drop_table("appointment_objection")
    op.drop_table("appointment_notice")


def upgrade() -> None:
    _organisations_up()
    _applications_up()
    _reviews_up()
    _appointments_up()


def downgrade() -> None:
    _appointments_down()
    _reviews_down()
    _applications_down()
    _organisations_down()

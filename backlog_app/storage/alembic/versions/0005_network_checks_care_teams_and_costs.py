"""Network checks, care teams and costs; documents may link to a cost entry.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 13:11:57.114800
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ONE_TARGET_BEFORE = (
    "(treatment_id IS NOT NULL) + (course_id IS NOT NULL) + (medication_id IS NOT NULL)"
    " + (case_id IS NOT NULL) + (case_event_id IS NOT NULL) = 1"
)
ONE_TARGET_NOW = (
    "(treatment_id IS NOT NULL) + (course_id IS NOT NULL) + (medication_id IS NOT NULL)"
    " + (case_id IS NOT NULL) + (case_event_id IS NOT NULL) + (cost_id IS NOT NULL) = 1"
)


def upgrade() -> None:
    op.create_table(
        "care_team_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coverage_case.id"],
            name=op.f("fk_care_team_member_case_id_coverage_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_care_team_member_provider_id_provider"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_team_member")),
        sa.UniqueConstraint("case_id", "role", "provider_id", name="uq_care_team_member_once"),
    )
    with op.batch_alter_table("care_team_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_care_team_member_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_care_team_member_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "cost_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("service_date", sa.Date(), nullable=True),
        sa.Column("bill_date", sa.Date(), nullable=True),
        sa.Column("billed_cents", sa.Integer(), nullable=True),
        sa.Column("allowed_cents", sa.Integer(), nullable=True),
        sa.Column("plan_paid_cents", sa.Integer(), nullable=True),
        sa.Column("patient_cents", sa.Integer(), nullable=True),
        sa.Column("expected_cents", sa.Integer(), nullable=True),
        sa.Column("received_cents", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("is_adjustment", sa.Boolean(), nullable=False),
        sa.Column("eob_denied", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "is_adjustment OR (coalesce(billed_cents, 0) >= 0 AND coalesce(allowed_cents, 0) >= 0 AND coalesce(plan_paid_cents, 0) >= 0 AND coalesce(patient_cents, 0) >= 0 AND coalesce(expected_cents, 0) >= 0 AND coalesce(received_cents, 0) >= 0)",
            name=op.f("ck_cost_entry_amounts_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coverage_case.id"],
            name=op.f("fk_cost_entry_case_id_coverage_case"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["insurance_plan.id"],
            name=op.f("fk_cost_entry_plan_id_insurance_plan"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_cost_entry_provider_id_provider"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_entry")),
    )
    with op.batch_alter_table("cost_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cost_entry_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cost_entry_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_cost_entry_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cost_entry_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cost_entry_service_date"), ["service_date"], unique=False
        )

    op.create_table(
        "network_verification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=False),
        sa.Column("reference_number", sa.String(length=200), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["phone_call.id"],
            name=op.f("fk_network_verification_call_id_phone_call"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["insurance_plan.id"],
            name=op.f("fk_network_verification_plan_id_insurance_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_network_verification_provider_id_provider"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_verification")),
    )
    with op.batch_alter_table("network_verification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_verification_call_id"), ["call_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_network_verification_plan_id"), ["plan_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_network_verification_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_network_verification_verified_on"), ["verified_on"], unique=False
        )

    with op.batch_alter_table("document_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cost_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_document_link_cost_id"), ["cost_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_document_link_cost_id_cost_entry"),
            "cost_entry",
            ["cost_id"],
            ["id"],
            ondelete="CASCADE",
        )
        # A link may now point at a cost entry: widen "exactly one target".
        batch_op.drop_constraint(op.f("ck_document_link_one_target"), type_="check")
        batch_op.create_check_constraint(op.f("ck_document_link_one_target"), ONE_TARGET_NOW)


def downgrade() -> None:
    op.execute("DELETE FROM document_link WHERE cost_id IS NOT NULL")
    with op.batch_alter_table("document_link", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_document_link_one_target"), type_="check")
        batch_op.create_check_constraint(op.f("ck_document_link_one_target"), ONE_TARGET_BEFORE)
        batch_op.drop_constraint(
            batch_op.f("fk_document_link_cost_id_cost_entry"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_document_link_cost_id"))
        batch_op.drop_column("cost_id")

    with op.batch_alter_table("network_verification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_verification_verified_on"))
        batch_op.drop_index(batch_op.f("ix_network_verification_provider_id"))
        batch_op.drop_index(batch_op.f("ix_network_verification_plan_id"))
        batch_op.drop_index(batch_op.f("ix_network_verification_call_id"))

    op.drop_table("network_verification")
    with op.batch_alter_table("cost_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cost_entry_service_date"))
        batch_op.drop_index(batch_op.f("ix_cost_entry_provider_id"))
        batch_op.drop_index(batch_op.f("ix_cost_entry_plan_id"))
        batch_op.drop_index(batch_op.f("ix_cost_entry_kind"))
        batch_op.drop_index(batch_op.f("ix_cost_entry_case_id"))

    op.drop_table("cost_entry")
    with op.batch_alter_table("care_team_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_team_member_provider_id"))
        batch_op.drop_index(batch_op.f("ix_care_team_member_case_id"))

    op.drop_table("care_team_member")

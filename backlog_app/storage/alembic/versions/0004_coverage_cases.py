"""Coverage cases: cases, their timeline events, calls, deadline overrides, and links from documents.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:08:48.939894
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ONE_TARGET_BEFORE = (
    "(treatment_id IS NOT NULL) + (course_id IS NOT NULL) + (medication_id IS NOT NULL) = 1"
)
ONE_TARGET_NOW = (
    "(treatment_id IS NOT NULL) + (course_id IS NOT NULL) + (medication_id IS NOT NULL)"
    " + (case_id IS NOT NULL) + (case_event_id IS NOT NULL) = 1"
)


def upgrade() -> None:
    op.create_table(
        "coverage_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=40), nullable=False),
        sa.Column("procedure_detail", sa.String(length=200), nullable=True),
        sa.Column("cpt_codes", sa.String(length=200), nullable=True),
        sa.Column("icd10_codes", sa.String(length=200), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("requesting_provider_id", sa.Integer(), nullable=True),
        sa.Column("facility_id", sa.Integer(), nullable=True),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("service_type", sa.String(length=20), nullable=False),
        sa.Column("scheduled_date", sa.Date(), nullable=True),
        sa.Column("authorization_number", sa.String(length=200), nullable=True),
        sa.Column("claim_number", sa.String(length=200), nullable=True),
        sa.Column("reference_number", sa.String(length=200), nullable=True),
        sa.Column("reviewer_name", sa.String(length=200), nullable=True),
        sa.Column("reviewer_phone", sa.String(length=40), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("letter_draft", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["provider.id"],
            name=op.f("fk_coverage_case_facility_id_provider"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["insurance_plan.id"],
            name=op.f("fk_coverage_case_plan_id_insurance_plan"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requesting_provider_id"],
            ["provider.id"],
            name=op.f("fk_coverage_case_requesting_provider_id_provider"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_case")),
    )
    with op.batch_alter_table("coverage_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_coverage_case_facility_id"), ["facility_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_coverage_case_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_coverage_case_requesting_provider_id"),
            ["requesting_provider_id"],
            unique=False,
        )

    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("quoted_reason", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("authorization_number", sa.String(length=200), nullable=True),
        sa.Column("approved_units", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("reference_number", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "amount_cents IS NULL OR amount_cents >= 0", name=op.f("ck_case_event_amount_positive")
        ),
        sa.CheckConstraint(
            "level IS NULL OR level BETWEEN 1 AND 5", name=op.f("ck_case_event_level_range")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coverage_case.id"],
            name=op.f("fk_case_event_case_id_coverage_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_event_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_event_day"), ["day"], unique=False)

    op.create_table(
        "case_rule_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "amount BETWEEN 1 AND 3650", name=op.f("ck_case_rule_override_amount_range")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coverage_case.id"],
            name=op.f("fk_case_rule_override_case_id_coverage_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_rule_override")),
        sa.UniqueConstraint("case_id", "rule", name="uq_case_rule_override_once"),
    )
    with op.batch_alter_table("case_rule_override", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_rule_override_case_id"), ["case_id"], unique=False
        )

    op.create_table(
        "phone_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("organization", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("representative", sa.String(length=200), nullable=True),
        sa.Column("reference_number", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("follow_up_date", sa.Date(), nullable=True),
        sa.Column("follow_up_done", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["coverage_case.id"],
            name=op.f("fk_phone_call_case_id_coverage_case"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["case_event.id"],
            name=op.f("fk_phone_call_event_id_case_event"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_call")),
    )
    with op.batch_alter_table("phone_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_phone_call_called_at"), ["called_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_phone_call_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_phone_call_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_phone_call_follow_up_date"), ["follow_up_date"], unique=False
        )

    with op.batch_alter_table("document_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("case_event_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_document_link_case_event_id"), ["case_event_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_document_link_case_id"), ["case_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_document_link_case_event_id_case_event"),
            "case_event",
            ["case_event_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_document_link_case_id_coverage_case"),
            "coverage_case",
            ["case_id"],
            ["id"],
            ondelete="CASCADE",
        )
        # A link may now point at a case or an event: widen "exactly one target".
        batch_op.drop_constraint(op.f("ck_document_link_one_target"), type_="check")
        batch_op.create_check_constraint(op.f("ck_document_link_one_target"), ONE_TARGET_NOW)


def downgrade() -> None:
    op.execute("DELETE FROM document_link WHERE case_id IS NOT NULL OR case_event_id IS NOT NULL")
    with op.batch_alter_table("document_link", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_document_link_one_target"), type_="check")
        batch_op.create_check_constraint(op.f("ck_document_link_one_target"), ONE_TARGET_BEFORE)
        batch_op.drop_constraint(
            batch_op.f("fk_document_link_case_id_coverage_case"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_document_link_case_event_id_case_event"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_document_link_case_id"))
        batch_op.drop_index(batch_op.f("ix_document_link_case_event_id"))
        batch_op.drop_column("case_event_id")
        batch_op.drop_column("case_id")

    with op.batch_alter_table("phone_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_call_follow_up_date"))
        batch_op.drop_index(batch_op.f("ix_phone_call_event_id"))
        batch_op.drop_index(batch_op.f("ix_phone_call_case_id"))
        batch_op.drop_index(batch_op.f("ix_phone_call_called_at"))

    op.drop_table("phone_call")
    with op.batch_alter_table("case_rule_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_rule_override_case_id"))

    op.drop_table("case_rule_override")
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_event_day"))
        batch_op.drop_index(batch_op.f("ix_case_event_case_id"))

    op.drop_table("case_event")
    with op.batch_alter_table("coverage_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverage_case_requesting_provider_id"))
        batch_op.drop_index(batch_op.f("ix_coverage_case_plan_id"))
        batch_op.drop_index(batch_op.f("ix_coverage_case_facility_id"))

    op.drop_table("coverage_case")

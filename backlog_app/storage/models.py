"""SQLAlchemy 2.0 models for the core records. Every schema change also needs an Alembic revision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utc_now() -> dt.datetime:
    """Timestamps are stored as naive UTC (SQLite has no time zones)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


# Named constraints so that Alembic batch migrations can find and alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Timestamped:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)


class Patient(Timestamped, Base):
    """The one person a profile is about (one row)."""

    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class InsurancePlan(Timestamped, Base):
    """A health plan or supplemental policy; money in integer cents."""

    __tablename__ = "insurance_plan"
    __table_args__ = (
        CheckConstraint("priority BETWEEN 1 AND 9", name="priority_range"),
        CheckConstraint(
            "coverage_end IS NULL OR coverage_start IS NULL OR coverage_end >= coverage_start",
            name="coverage_order",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    insurer: Mapped[str] = mapped_column(String(200))
    plan_name: Mapped[str | None] = mapped_column(String(200))
    plan_type: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[str | None] = mapped_column(String(200))
    group_number: Mapped[str | None] = mapped_column(String(200))
    member_services_phone: Mapped[str | None] = mapped_column(String(40))
    prior_auth_phone: Mapped[str | None] = mapped_column(String(40))
    appeals_phone: Mapped[str | None] = mapped_column(String(40))
    appeals_address: Mapped[str | None] = mapped_column(Text)
    appeals_fax: Mapped[str | None] = mapped_column(String(40))
    plan_year_start: Mapped[dt.date | None] = mapped_column(Date)
    deductible_cents: Mapped[int | None] = mapped_column(Integer)
    out_of_pocket_max_cents: Mapped[int | None] = mapped_column(Integer)
    coverage_start: Mapped[dt.date | None] = mapped_column(Date)
    coverage_end: Mapped[dt.date | None] = mapped_column(Date)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    notes: Mapped[str | None] = mapped_column(Text)


class Provider(Timestamped, Base):
    """An entry of the provider directory."""

    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    specialty: Mapped[str | None] = mapped_column(String(200))
    organization: Mapped[str | None] = mapped_column(String(200))
    npi: Mapped[str | None] = mapped_column(String(10), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    fax: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


# --- Treatment log (migration 0002) ---------------------------------------------------------


class CheckIn(Timestamped, Base):
    """One day's check-in; pain and PEG items 0-10, NULL when not recorded."""

    __tablename__ = "check_in"
    __table_args__ = (
        CheckConstraint(
            "(pain_now IS NULL OR pain_now BETWEEN 0 AND 10)"
            " AND (pain_average IS NULL OR pain_average BETWEEN 0 AND 10)"
            " AND (pain_worst IS NULL OR pain_worst BETWEEN 0 AND 10)"
            " AND (peg_enjoyment IS NULL OR peg_enjoyment BETWEEN 0 AND 10)"
            " AND (peg_activity IS NULL OR peg_activity BETWEEN 0 AND 10)",
            name="scores_range",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    pain_now: Mapped[int | None] = mapped_column(Integer)
    pain_average: Mapped[int | None] = mapped_column(Integer)
    pain_worst: Mapped[int | None] = mapped_column(Integer)
    # Comma-separated enum values ("lower_back,thigh_left"); NULL when none.
    pain_sites: Mapped[str | None] = mapped_column(String(200))
    leg_symptoms: Mapped[str | None] = mapped_column(String(100))
    peg_enjoyment: Mapped[int | None] = mapped_column(Integer)
    peg_activity: Mapped[int | None] = mapped_column(Integer)
    sleep_hours: Mapped[float | None] = mapped_column(Float)
    sleep_quality: Mapped[str | None] = mapped_column(String(20))
    walk_minutes: Mapped[int | None] = mapped_column(Integer)
    sit_minutes: Mapped[int | None] = mapped_column(Integer)
    stand_minutes: Mapped[int | None] = mapped_column(Integer)
    work_status: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)


class Medication(Timestamped, Base):
    """One medication trial (one start-stop period)."""

    __tablename__ = "medication"
    __table_args__ = (
        CheckConstraint(
            "stop_date IS NULL OR start_date IS NULL OR stop_date >= start_date",
            name="trial_order",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    strength: Mapped[str | None] = mapped_column(String(200))
    dose: Mapped[str | None] = mapped_column(String(200))
    frequency: Mapped[str | None] = mapped_column(String(200))
    route: Mapped[str | None] = mapped_column(String(20))
    as_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    prescriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    purpose: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    stop_date: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    side_effects: Mapped[str | None] = mapped_column(Text)
    reason_stopped: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class CheckInDose(Base):
    """A medication taken on a check-in day."""

    __tablename__ = "check_in_dose"
    __table_args__ = (
        UniqueConstraint("check_in_id", "medication_id", name="uq_check_in_dose_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_in_id: Mapped[int] = mapped_column(
        ForeignKey("check_in.id", ondelete="CASCADE"), index=True
    )
    medication_id: Mapped[int] = mapped_column(
        ForeignKey("medication.id", ondelete="RESTRICT"), index=True
    )
    doses: Mapped[int] = mapped_column(Integer, default=1)
    relief_percent: Mapped[int | None] = mapped_column(Integer)


class TherapyCourse(Timestamped, Base):
    """A course of therapy that groups sessions."""

    __tablename__ = "therapy_course"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    planned_visits: Mapped[int | None] = mapped_column(Integer)
    discharge_outcome: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class Treatment(Timestamped, Base):
    """A treatment, test or visit on one day."""

    __tablename__ = "treatment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapy_course.id", ondelete="SET NULL"), index=True
    )
    level: Mapped[str | None] = mapped_column(String(100))
    side: Mapped[str | None] = mapped_column(String(20))
    relief_percent: Mapped[int | None] = mapped_column(Integer)
    relief_days: Mapped[int | None] = mapped_column(Integer)
    facility: Mapped[str | None] = mapped_column(String(200))
    result: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class OdiScore(Timestamped, Base):
    """An ODI result: the total (always stored) and, when known, the ten section scores."""

    __tablename__ = "odi_score"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    total_percent: Mapped[float] = mapped_column(Float)
    section_1: Mapped[int | None] = mapped_column(Integer)
    section_2: Mapped[int | None] = mapped_column(Integer)
    section_3: Mapped[int | None] = mapped_column(Integer)
    section_4: Mapped[int | None] = mapped_column(Integer)
    section_5: Mapped[int | None] = mapped_column(Integer)
    section_6: Mapped[int | None] = mapped_column(Integer)
    section_7: Mapped[int | None] = mapped_column(Integer)
    section_8: Mapped[int | None] = mapped_column(Integer)
    section_9: Mapped[int | None] = mapped_column(Integer)
    section_10: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)


class VisitLimit(Timestamped, Base):
    """A plan's yearly cap on visits of one treatment kind."""

    __tablename__ = "visit_limit"
    __table_args__ = (UniqueConstraint("plan_id", "kind", name="uq_visit_limit_plan_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("insurance_plan.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    visits_per_year: Mapped[int] = mapped_column(Integer)


class Document(Timestamped, Base):
    """One file in the vault and what the user says about it (the file itself is in vault/)."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The vault's file name comes from this; the user's file name never becomes a path.
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_type: Mapped[str] = mapped_column(String(10))
    original_name: Mapped[str] = mapped_column(String(400))
    size_bytes: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int | None] = mapped_column(Integer)
    needs_password: Mapped[bool] = mapped_column(Boolean, default=False)
    repaired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Kept only when the user ticks "remember the password" (needed to put it in a packet).
    saved_password: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    document_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)
    text_status: Mapped[str] = mapped_column(String(20), default="pending")
    trashed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)


class DocumentTag(Base):
    """A tag on a document ("lumbar", "2026 appeal")."""

    __tablename__ = "document_tag"
    __table_args__ = (UniqueConstraint("document_id", "tag", name="uq_document_tag_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    tag: Mapped[str] = mapped_column(String(40), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class DocumentLink(Base):
    """A document linked to exactly one record: a treatment, a therapy course, a medication, a
    coverage case, one event on a case's timeline, or a cost entry (a bill, an EOB)."""

    __tablename__ = "document_link"
    __table_args__ = (
        CheckConstraint(
            "(treatment_id IS NOT NULL) + (course_id IS NOT NULL) + (medication_id IS NOT NULL)"
            " + (case_id IS NOT NULL) + (case_event_id IS NOT NULL) + (cost_id IS NOT NULL) = 1",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    treatment_id: Mapped[int | None] = mapped_column(
        ForeignKey("treatment.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("therapy_course.id", ondelete="CASCADE"), index=True
    )
    medication_id: Mapped[int | None] = mapped_column(
        ForeignKey("medication.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("coverage_case.id", ondelete="CASCADE"), index=True
    )
    case_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_event.id", ondelete="CASCADE"), index=True
    )
    cost_id: Mapped[int | None] = mapped_column(
        ForeignKey("cost_entry.id", ondelete="CASCADE"), index=True
    )


class DocumentText(Base):
    """The searchable text of a document (from the PDF or OCR); kept apart so lists stay light."""

    __tablename__ = "document_text"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text)


# --- Coverage cases (migration 0004) -----------------------------------------------------------


class CoverageCase(Timestamped, Base):
    """One coverage request (a preauthorization or a claim); its status comes from its events."""

    __tablename__ = "coverage_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    procedure: Mapped[str] = mapped_column(String(40))
    procedure_detail: Mapped[str | None] = mapped_column(String(200))
    cpt_codes: Mapped[str | None] = mapped_column(String(200))
    icd10_codes: Mapped[str | None] = mapped_column(String(200))
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("insurance_plan.id", ondelete="SET NULL"), index=True
    )
    requesting_provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    facility_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    priority: Mapped[str] = mapped_column(String(20), default="standard")
    service_type: Mapped[str] = mapped_column(String(20), default="pre_service")
    scheduled_date: Mapped[dt.date | None] = mapped_column(Date)
    authorization_number: Mapped[str | None] = mapped_column(String(200))
    claim_number: Mapped[str | None] = mapped_column(String(200))
    reference_number: Mapped[str | None] = mapped_column(String(200))
    reviewer_name: Mapped[str | None] = mapped_column(String(200))
    reviewer_phone: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    # The request or appeal letter as the user last edited it (saved to the vault on request).
    letter_draft: Mapped[str | None] = mapped_column(Text)


class CaseEvent(Timestamped, Base):
    """One step on a case's timeline; only the columns that suit its type are filled."""

    __tablename__ = "case_event"
    __table_args__ = (
        CheckConstraint("level IS NULL OR level BETWEEN 1 AND 5", name="level_range"),
        CheckConstraint("amount_cents IS NULL OR amount_cents >= 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("coverage_case.id", ondelete="CASCADE"), index=True
    )
    event_type: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    received_date: Mapped[dt.date | None] = mapped_column(Date)
    level: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(40))
    quoted_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))
    authorization_number: Mapped[str | None] = mapped_column(String(200))
    approved_units: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    reference_number: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class PhoneCall(Timestamped, Base):
    """A call with an insurer or an office; kept when its case is deleted (SET NULL)."""

    __tablename__ = "phone_call"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    called_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    direction: Mapped[str] = mapped_column(String(20))
    organization: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("coverage_case.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_event.id", ondelete="SET NULL"), index=True
    )
    phone: Mapped[str | None] = mapped_column(String(40))
    representative: Mapped[str | None] = mapped_column(String(200))
    reference_number: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    follow_up_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseRuleOverride(Base):
    """A case's own figure for one deadline rule ("my letter says 60 days")."""

    __tablename__ = "case_rule_override"
    __table_args__ = (
        UniqueConstraint("case_id", "rule", name="uq_case_rule_override_once"),
        CheckConstraint("amount BETWEEN 1 AND 3650", name="amount_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("coverage_case.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(60))
    amount: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)


# --- Network checks, care teams and costs (migration 0005) -------------------------------------


class NetworkVerification(Timestamped, Base):
    """One network check of a provider for a plan; never updated in place, so history is kept."""

    __tablename__ = "network_verification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("provider.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("insurance_plan.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20))
    verified_on: Mapped[dt.date] = mapped_column(Date, index=True)
    reference_number: Mapped[str | None] = mapped_column(String(200))
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("phone_call.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)


class CareTeamMember(Base):
    """One role on a case's care team and the provider who fills it (None: not known yet)."""

    __tablename__ = "care_team_member"
    __table_args__ = (
        # A provider fills a role once per case (SQLite lets several unassigned rows coexist).
        UniqueConstraint("case_id", "role", "provider_id", name="uq_care_team_member_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("coverage_case.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(30))
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)


class CostEntry(Timestamped, Base):
    """An estimate, bill, EOB line, HSA amount or supplemental claim; money in integer cents."""

    __tablename__ = "cost_entry"
    __table_args__ = (
        CheckConstraint(
            "is_adjustment OR (coalesce(billed_cents, 0) >= 0 AND coalesce(allowed_cents, 0) >= 0"
            " AND coalesce(plan_paid_cents, 0) >= 0 AND coalesce(patient_cents, 0) >= 0"
            " AND coalesce(expected_cents, 0) >= 0 AND coalesce(received_cents, 0) >= 0)",
            name="amounts_positive",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    description: Mapped[str | None] = mapped_column(String(200))
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("coverage_case.id", ondelete="SET NULL"), index=True
    )
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("insurance_plan.id", ondelete="SET NULL"), index=True
    )
    service_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    bill_date: Mapped[dt.date | None] = mapped_column(Date)
    billed_cents: Mapped[int | None] = mapped_column(Integer)
    allowed_cents: Mapped[int | None] = mapped_column(Integer)
    plan_paid_cents: Mapped[int | None] = mapped_column(Integer)
    patient_cents: Mapped[int | None] = mapped_column(Integer)
    expected_cents: Mapped[int | None] = mapped_column(Integer)
    received_cents: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="billed")
    category: Mapped[str] = mapped_column(String(30), default="other")
    is_adjustment: Mapped[bool] = mapped_column(Boolean, default=False)
    eob_denied: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)

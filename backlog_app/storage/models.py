"""SQLAlchemy 2.0 models for the core records. Every schema change also needs an Alembic revision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, MetaData, String, Text
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

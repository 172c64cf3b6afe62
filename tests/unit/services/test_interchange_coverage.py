"""Every table the app stores travels in the data file: a new record type cannot be forgotten."""

from __future__ import annotations

from backlog_app.services.interchange.tables import TABLES
from backlog_app.storage.models import Base


def test_every_table_is_in_the_data_file() -> None:
    assert {table.model.__tablename__ for table in TABLES} == set(Base.metadata.tables)


def test_parents_come_before_the_records_that_refer_to_them() -> None:
    order = [table.model.__tablename__ for table in TABLES]
    for table in TABLES:
        for foreign_key in table.model.__table__.foreign_keys:
            parent = foreign_key.column.table.name
            assert order.index(parent) < order.index(table.model.__tablename__), (
                f"{table.key} refers to {parent}, which must come first"
            )

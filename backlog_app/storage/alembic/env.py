"""Alembic environment: runs migrations on the connection BackLog hands over (batch mode for SQLite)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from backlog_app.storage.models import Base
from backlog_app.storage.search_index import alembic_include_object

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Developers: `alembic -x db=path/to/backlog.sqlite3 revision --autogenerate -m "..."`.
    url = f"sqlite:///{context.get_x_argument(as_dictionary=True)['db']}"
    engine = create_engine(url)
    with engine.begin() as own_connection:
        _run(own_connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=alembic_include_object,
        render_as_batch=True,
        # The caller owns the transaction, so the whole upgrade commits or rolls back at once.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()

"""The open database as the services see it: short units of work, one writer at a time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from backlog_app.storage.database import session_factory
from backlog_app.storage.write_errors import sqlite_trouble, trouble_error

log = logging.getLogger("backlog.services")


class Database:
    """Hands out sessions; ``write()`` serialises writers within this process.

    SQLite allows one writer at a time anyway; taking our own lock first means a writer waits its
    turn here instead of failing with "database is locked".
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = session_factory(engine)
        self._write_lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; its transaction ends when the block ends."""
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose changes commit together when the block ends, or not at all.

        Raises:
            WriteFailedError: the disk is full, read-only or failing (SQLite said so while
                writing or committing); the transaction was rolled back, nothing was changed.
        """
        try:
            with self._write_lock, self._sessions() as session, session.begin():
                yield session
        except DBAPIError as exc:
            trouble = sqlite_trouble(exc.orig) if exc.orig is not None else None
            if trouble is None:
                raise
            # The class and SQLite's words only: statements and values may hold health data.
            log.warning("database write failed (%s): %s", trouble.value, exc.orig)
            raise trouble_error(trouble, self.folder, what="your changes") from exc

    @property
    def folder(self) -> Path:
        """The folder holding the database file (named in messages about it)."""
        name = self.engine.url.database
        return Path(name).parent if name else Path.cwd()

    def close(self) -> None:
        self.engine.dispose()

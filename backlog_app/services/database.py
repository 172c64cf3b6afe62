"""The open database as the services see it: short units of work, one writer at a time."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from backlog_app.storage.database import session_factory


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
        """A session whose changes commit together when the block ends, or not at all."""
        with self._write_lock, self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

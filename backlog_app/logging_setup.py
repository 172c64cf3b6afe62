"""Logging: a named logger per subsystem, a rotating file in the profile's logs/ folder.

Log lines carry ids, counts and error types — never names, dates of birth or other health details.
"""

from __future__ import annotations

import logging
from pathlib import Path

LOG_FILE_NAME = "backlog.log"
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_handler: logging.Handler | None = None


def configure_logging(log_dir: Path | None, *, verbose: bool = False) -> Path | None:
    """Send the "backlog" loggers to ``log_dir``/backlog.log (rotating, 5 × 1 MB).

    Calling it again (another profile opened) moves the file handler to the new folder.

    Returns:
        The log file's path, or None when logging only to stderr.
    """
    global _handler
    root = logging.getLogger("backlog")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    if log_dir is None:
        return None
    # ~20 ms to import; only needed once there is a folder for the log.
    from logging.handlers import RotatingFileHandler

    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    _handler = handler
    return path


def current_log_file() -> Path | None:
    """Where the log is being written, for error messages that point the user to it."""
    if isinstance(_handler, logging.FileHandler):
        return Path(_handler.baseFilename)
    return None

"""BackLog: keep the records that get back-pain treatment covered, and export them as one packet."""

from __future__ import annotations

APP_NAME = "BackLog"
# The one place the version is written; pyproject.toml reads it from here (hatch "version").
# A literal rather than importlib.metadata, which costs ~70 ms at every start.
__version__ = "0.1.0"

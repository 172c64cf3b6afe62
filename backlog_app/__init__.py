"""BackLog: keep the records that get back-pain treatment covered, and export them as one packet."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

APP_NAME = "BackLog"

try:
    __version__ = version("backlog-app")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

"""Allows ``python -m backlog_app``."""

from __future__ import annotations

from backlog_app.cli import main

raise SystemExit(main())

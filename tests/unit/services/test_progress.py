"""Progress: what a long job reports, and how it notices Cancel."""

from __future__ import annotations

import pytest

from backlog_app.errors import Cancelled
from backlog_app.services.progress import Progress


def test_report_and_snapshot() -> None:
    progress = Progress()
    assert progress.snapshot() == (0, 0, "")
    progress.report(1, 3, "Reading")
    assert progress.snapshot() == (1, 3, "Reading")
    progress.report(2, 3)  # no label keeps the last one
    assert progress.snapshot() == (2, 3, "Reading")


def test_cancel_stops_the_next_report() -> None:
    progress = Progress()
    progress.check_cancelled()
    assert not progress.cancelled
    progress.cancel()
    assert progress.cancelled
    with pytest.raises(Cancelled):
        progress.report(1, 2)
    assert progress.snapshot()[0] == 1  # the position is still recorded
    with pytest.raises(Cancelled):
        progress.check_cancelled()

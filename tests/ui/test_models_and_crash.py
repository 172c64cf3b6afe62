"""Qt models pass Qt's model tester; unexpected errors are logged and apologised for."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from backlog_app.domain.records import PlanData, ProviderData
from backlog_app.logging_setup import configure_logging
from backlog_app.services.context import ProfileSession
from backlog_app.ui.crash import install_excepthook
from backlog_app.ui.models.record_table import RECORD_ID_ROLE, RecordTableModel
from backlog_app.ui.pages.profile_page import PLAN_COLUMNS
from backlog_app.ui.pages.providers_page import PROVIDER_COLUMNS
from tests.ui.conftest import RecordingMessages


def test_plan_and_provider_models_pass_the_model_tester(
    qtmodeltester: ModelTester, demo_profile: ProfileSession
) -> None:
    plans: RecordTableModel[PlanData] = RecordTableModel(PLAN_COLUMNS)
    plans.set_records(demo_profile.plans.list())
    qtmodeltester.check(plans)
    providers: RecordTableModel[ProviderData] = RecordTableModel(PROVIDER_COLUMNS)
    providers.set_records(demo_profile.providers.list())
    qtmodeltester.check(providers)
    first = providers.index(0, 0)
    assert providers.data(first, RECORD_ID_ROLE) == providers.record(0).id
    assert providers.headerData(3, Qt.Orientation.Horizontal) == "NPI"


def test_unexpected_error_is_logged_with_traceback_and_apologised_for(
    tmp_path: Path, messages: RecordingMessages
) -> None:
    log_file = configure_logging(tmp_path / "logs")
    assert log_file is not None
    previous = sys.excepthook
    try:
        install_excepthook(lambda: messages)
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    for handler in logging.getLogger("backlog").handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "boom in a slot" in text
    assert messages.shown == [("apology", "", str(log_file))]

"""Export and import from the window: the documents' files go with the data (folder or zip)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from backlog_app.services.context import ProfileSession
from backlog_app.services.interchange import export_to_file
from backlog_app.settings import SettingsStore
from backlog_app.ui.app import AppController
from backlog_app.ui.main_window import MainWindow
from tests.ui.conftest import RecordingMessages


def choose_save(monkeypatch: pytest.MonkeyPatch, path: Path, selected_filter: str = "") -> None:
    def answer(*args: Any, **kwargs: Any) -> tuple[str, str]:
        filters = args[3].split(";;")
        chosen = next((f for f in filters if selected_filter and selected_filter in f), filters[0])
        return str(path), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)


def test_export_writes_the_documents_beside_the_json(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose_save(monkeypatch, tmp_path / "export.json")
    window.export_data()
    qtbot.waitUntil(lambda: not window.jobs.is_busy(), timeout=20_000)
    assert len(list((tmp_path / "export.files").iterdir())) == 10
    assert "10 document files" in window.statusBar().currentMessage()


def test_export_as_zip_when_that_kind_is_chosen(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose_save(monkeypatch, tmp_path / "export", selected_filter="zip")  # typed without extension
    window.export_data()
    qtbot.waitUntil(lambda: not window.jobs.is_busy(), timeout=20_000)
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        names = archive.namelist()
    assert names[0] == "data.json"
    assert len([name for name in names if name.startswith("files/")]) == 10
    assert not (tmp_path / "export.files").exists()


@pytest.fixture
def controller(
    qtbot: QtBot, settings_store: SettingsStore, messages: RecordingMessages
) -> Iterator[AppController]:
    app_controller = AppController(settings_store, lambda: messages)
    yield app_controller
    if app_controller.window is not None:
        app_controller.window.close()
    app_controller.shutdown()


def choose_import(monkeypatch: pytest.MonkeyPatch, source: Path, folder: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))


@pytest.mark.parametrize("name", ["backlog.json", "backlog.zip"])
def test_import_into_a_new_profile_brings_the_documents(
    controller: AppController,
    demo_profile: ProfileSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    source = tmp_path / name
    export_to_file(demo_profile, source)
    choose_import(monkeypatch, source, tmp_path / "imported")
    controller._import_into_new_profile()
    assert controller.session is not None
    assert controller.session.paths.root == tmp_path / "imported"
    assert controller.session.documents.count() == 10


def test_import_with_a_missing_document_file_is_refused_in_plain_words(
    controller: AppController,
    demo_profile: ProfileSession,
    messages: RecordingMessages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "backlog.json"
    export_to_file(demo_profile, source)
    next((tmp_path / "backlog.files").iterdir()).unlink()
    choose_import(monkeypatch, source, tmp_path / "imported")
    controller._import_into_new_profile()
    assert controller.session is None
    assert messages.kinds() == ["problem"]
    assert "is missing from the folder" in messages.shown[0][2]
    assert not (tmp_path / "imported").exists()

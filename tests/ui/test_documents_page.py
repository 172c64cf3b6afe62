"""The Documents page driven like a user: search, filters, preview, trash, restore, remove for good."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from backlog_app.domain.documents import DocumentData, DocumentKind
from backlog_app.services.context import ProfileSession
from backlog_app.settings import SettingsStore
from backlog_app.ui.documents import listing as listing_module
from backlog_app.ui.documents.document_table import DocumentTable
from backlog_app.ui.documents.page_text import EMPTY_TRASH, NO_DOCUMENTS
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.models.document_model import (
    COLUMN_DATE,
    COLUMN_FOUND,
    COLUMN_KIND,
    COLUMN_PAGES,
    COLUMN_PROVIDER,
    COLUMN_TAGS,
    COLUMN_TITLE,
    SNIPPET_HTML_ROLE,
    THUMBNAIL_ROLE,
    DocumentTableModel,
)
from backlog_app.ui.page_keys import PAGE_DOCUMENTS, PAGE_LOG
from backlog_app.ui.pages.documents_page import DocumentsPage
from backlog_app.ui.profile_view import PAGE_TITLES
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages
from tests.ui.document_samples import add_samples, make_photo

TIMEOUT_MS = 15_000


@pytest.fixture
def samples(profile: ProfileSession, tmp_path: Path) -> dict[str, int]:
    return add_samples(profile, tmp_path / "files")


def _open_window(
    qtbot: QtBot,
    profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> MainWindow:
    main = MainWindow(settings_store, messages)
    qtbot.addWidget(main)
    main.attach_profile(profile)
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitActive(main)
    return main


@pytest.fixture
def main(
    qtbot: QtBot,
    profile: ProfileSession,
    samples: dict[str, int],
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> Iterator[MainWindow]:
    window = _open_window(qtbot, profile, settings_store, messages)
    yield window
    window.jobs.wait_for_all()


def _page(qtbot: QtBot, main: MainWindow) -> DocumentsPage:
    page = main.documents_page
    if main.current_page() != PAGE_DOCUMENTS:
        with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
            main.show_page(PAGE_DOCUMENTS)
    return page


def _titles(page: DocumentsPage) -> list[str]:
    return [page.model.document(row).data.title for row in range(page.model.rowCount())]


def _settle(qtbot: QtBot, page: DocumentsPage) -> None:
    """Wait for the list asked for last (a change reloads after a short pause)."""
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        pass


def test_documents_follow_log_in_the_navigation_and_open_with_ctrl_3(
    qtbot: QtBot, main: MainWindow
) -> None:
    titles = list(PAGE_TITLES.values())
    assert titles.index("Documents") == titles.index("Log") + 1
    main.show_page(PAGE_LOG)
    page = main.documents_page
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        qtbot.keyClick(main, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert main.current_page() == PAGE_DOCUMENTS
    assert page.count_label.text() == "6 documents"
    assert page.views.currentWidget() is page.table
    # Newest first, undated last; the first document is selected and previewed.
    assert _titles(page)[0] == "Denial of lumbar fusion"
    assert _titles(page)[-1] == "Physical therapy discharge summary"
    assert page.selected_document() is not None
    assert page.preview.toolbar.page_label.text() == "Page 1 of 2"
    assert unnamed_controls(page) == []


def test_the_list_is_read_off_the_gui_thread(
    qtbot: QtBot, main: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, main)
    threads: list[threading.Thread] = []
    real = listing_module.load_listing

    def recording(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr("backlog_app.ui.pages.documents_page.load_listing", recording)
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        page.reload()
    assert threads and threads[0] is not threading.main_thread()


def test_typing_a_search_waits_for_a_pause_then_shows_bold_snippets(
    qtbot: QtBot, main: MainWindow
) -> None:
    main.show_page(PAGE_LOG)
    main.documents_page.filters.search.clearFocus()
    qtbot.keyClick(main, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert not main.documents_page.filters.search.hasFocus()  # hidden page: not its shortcut
    page = _page(qtbot, main)
    qtbot.keyClick(main, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.filters.search.hasFocus()
    qtbot.keyClicks(page.filters.search, "herniation")
    assert page.model.rowCount() == 6  # not yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=TIMEOUT_MS)
    assert _titles(page) == ["MRI lumbar spine report"]
    assert not page.table.isColumnHidden(COLUMN_FOUND)
    html = page.model.index(0, COLUMN_FOUND).data(SNIPPET_HTML_ROLE)
    assert "<b>herniation</b>" in html.lower()
    assert page.count_label.text() == "1 of 6 documents"
    assert page.preview.toolbar.page_label.text() == "Page 1 of 3"
    assert page.preview._search.searchString() == "herniation"

    page.filters.search.clear()
    qtbot.keyClicks(page.filters.search, "zebra")
    page.filters.flush()
    _settle(qtbot, page)
    assert page.views.currentWidget() is page.empty
    assert "No documents match “zebra”" in page.empty.text()
    assert page.selected_document() is None
    assert page.preview.mode == "note"

    qtbot.mouseClick(page.filters.clear, Qt.MouseButton.LeftButton)
    _settle(qtbot, page)
    assert page.model.rowCount() == 6 and page.table.isColumnHidden(COLUMN_FOUND)
    assert not page.filters.clear.isVisible()


def test_kind_provider_tag_and_date_filters(
    qtbot: QtBot, main: MainWindow, samples: dict[str, int]
) -> None:
    page = _page(qtbot, main)
    filters = page.filters
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        filters.kind.setCurrentIndex(filters.kind.findData(DocumentKind.REFERRAL.value))
    assert _titles(page) == ["Referral to spine surgery"]
    assert filters.clear.isVisible()
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        filters.kind.setCurrentIndex(0)

    assert filters.provider.itemText(1) == "Dr. Lena Ortiz"
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        filters.provider.setCurrentIndex(1)
    assert _titles(page) == ["MRI lumbar spine report"]
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        filters.provider.setCurrentIndex(0)

    tags = [filters.tag.itemText(i) for i in range(filters.tag.count())]
    assert tags == ["All tags", "appeal", "lumbar", "MRI", "PT"]
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        filters.tag.setCurrentText("lumbar")
    assert sorted(_titles(page)) == ["MRI lumbar spine report", "Referral to spine surgery"]
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        filters.tag.setCurrentIndex(0)

    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        filters.date_from.setDate(QDate(2026, 3, 1))
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        filters.date_to.setDate(QDate(2026, 4, 30))
    assert _titles(page) == ["Explanation of Benefits, April", "MRI lumbar spine report"]
    assert page.filters.document_filter().date_from == dt.date(2026, 3, 1)
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(filters.clear, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 6


def test_selecting_a_row_shows_its_preview_and_enter_moves_into_it(
    qtbot: QtBot, main: MainWindow, samples: dict[str, int]
) -> None:
    page = _page(qtbot, main)
    row = page.model.row_of(samples["Insurance card"])
    assert row is not None
    page.table.setFocus()
    qtbot.mouseClick(
        page.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.table.visualRect(page.model.index(row, COLUMN_TITLE)).center(),
    )
    qtbot.waitUntil(lambda: page.preview.mode == "image", timeout=TIMEOUT_MS)
    assert page.preview.toolbar.page_label.text() == "Page 1 of 1"
    qtbot.keyClick(page.table, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: page.preview.mode == "pdf", timeout=TIMEOUT_MS)
    info = page.selected_document()
    assert info is not None and info.data.title == "Referral to spine surgery"
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.preview.pdf_view.hasFocus()


def test_delete_moves_to_the_trash_and_ctrl_z_brings_it_back(
    qtbot: QtBot,
    main: MainWindow,
    profile: ProfileSession,
    samples: dict[str, int],
    messages: RecordingMessages,
) -> None:
    page = _page(qtbot, main)
    mri = samples["MRI lumbar spine report"]
    assert page.select_document(mri)
    below = _titles(page)[page.model.row_of(mri) + 1]  # type: ignore[operator]
    page.table.setFocus()
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert messages.shown == []  # the trash can be undone: no question asked
    assert profile.documents.get(mri).in_trash
    assert "MRI lumbar spine report" not in _titles(page)
    assert page.selected_document().data.title == below  # type: ignore[union-attr]
    assert "Undo with Ctrl+Z" in main.statusBar().currentMessage()
    assert page.count_label.text() == "5 documents"
    assert page.filters.trash.text() == "Trash (1)"
    assert main.undo_delete_action.text() == "&Undo Delete (“MRI lumbar spine report”)"

    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not profile.documents.get(mri).in_trash
    assert "MRI lumbar spine report" in _titles(page)
    assert "Put back “MRI lumbar spine report”" in main.statusBar().currentMessage()
    assert not main.undo_delete_action.isEnabled()


def test_the_trash_restores_and_removes_for_good_after_asking(
    qtbot: QtBot,
    main: MainWindow,
    profile: ProfileSession,
    samples: dict[str, int],
    messages: RecordingMessages,
) -> None:
    page = _page(qtbot, main)
    denial, eob = samples["Denial of lumbar fusion"], samples["Explanation of Benefits, April"]
    profile.documents.trash(denial)
    profile.documents.trash(eob)
    stored = profile.documents.file_path(eob)
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(page.filters.trash, Qt.MouseButton.LeftButton)
    bar = page.action_bar
    assert page.count_label.text() == "2 in the trash"
    assert bar.restore_button.isVisible() and bar.remove_button.isVisible()
    assert not bar.trash_button.isVisible() and not bar.add_button.isVisible()

    page.select_document(eob)
    messages.confirm_answer = False
    qtbot.mouseClick(bar.remove_button, Qt.MouseButton.LeftButton)
    assert messages.kinds() == ["confirm"]
    assert "“Explanation of Benefits, April”" in messages.shown[0][2]
    assert stored.is_file() and profile.documents.get(eob).in_trash

    messages.confirm_answer = True
    page.table.setFocus()
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # in the trash, Delete removes (asking)
    assert messages.kinds() == ["confirm", "confirm"]
    assert not stored.exists()
    assert profile.documents.count() == 5
    assert _titles(page) == ["Denial of lumbar fusion"]

    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(bar.restore_button, Qt.MouseButton.LeftButton)
    assert not profile.documents.get(denial).in_trash
    assert page.views.currentWidget() is page.empty and page.empty.text() == EMPTY_TRASH
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        qtbot.mouseClick(page.filters.trash, Qt.MouseButton.LeftButton)
    assert page.count_label.text() == "5 documents" and page.filters.trash.text() == "Trash"


def test_a_refresh_keeps_the_selection_and_the_scroll_position(
    qtbot: QtBot,
    main: MainWindow,
    profile: ProfileSession,
    samples: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for number in range(24):
        profile.importer.add(
            make_photo(tmp_path / f"receipt-{number:02}.png", (60 + number, 40)),
            DocumentData(kind=DocumentKind.BILL, title=f"Receipt {number:02}"),
        )
    page = _page(qtbot, main)
    assert page.model.rowCount() == 30
    bar = page.table.verticalScrollBar()
    page.table.scrollToBottom()
    assert bar.value() > 0
    # A row near the top of what is on screen (a reset alone would scroll to put it at the end).
    chosen = page.model.document(page.table.rowAt(0) + 1)
    page.select_document(chosen.id)
    scrolled = bar.value()
    details_calls: list[int | None] = []
    monkeypatch.setattr(page.details, "set_document", details_calls.append)

    # An edit: the same documents come back; nothing moves.
    mri = profile.documents.get(samples["MRI lumbar spine report"])
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        profile.documents.update(
            mri.id, dataclasses.replace(mri.data, title="MRI lumbar spine (signed)")
        )
    assert "MRI lumbar spine (signed)" in _titles(page)
    assert bar.value() == scrolled
    # Another document leaves the list: a new list, the same selection and scroll position.
    with qtbot.waitSignal(page.listed, timeout=TIMEOUT_MS):
        profile.documents.trash(samples["Denial of lumbar fusion"])
    assert page.model.rowCount() == 29
    assert page.selected_document().id == chosen.id  # type: ignore[union-attr]
    assert bar.value() == min(scrolled, bar.maximum())
    # The details hear about the new data, for the same document only (they keep typed text).
    assert len(details_calls) >= 2 and set(details_calls) == {chosen.id}


def test_the_grid_shows_thumbnails_of_the_same_documents(
    qtbot: QtBot, main: MainWindow, samples: dict[str, int]
) -> None:
    page = _page(qtbot, main)
    page.select_document(samples["Referral to spine surgery"])
    qtbot.mouseClick(page.action_bar.grid_button, Qt.MouseButton.LeftButton)
    assert page.views.currentWidget() is page.grid
    assert page.grid.currentIndex().row() == page.model.row_of(samples["Referral to spine surgery"])
    first = page.model.index(0, COLUMN_TITLE)
    qtbot.waitUntil(lambda: first.data(THUMBNAIL_ROLE) is not None, timeout=TIMEOUT_MS)
    assert not first.data(THUMBNAIL_ROLE).isNull()
    qtbot.keyClick(page.grid, Qt.Key.Key_Right)
    assert page.table.currentIndex().row() == page.grid.currentIndex().row()


def test_open_in_viewer_and_save_a_copy_use_the_original(
    qtbot: QtBot,
    main: MainWindow,
    profile: ProfileSession,
    samples: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page = _page(qtbot, main)
    card = samples["Insurance card"]
    page.select_document(card)
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    qtbot.mouseClick(page.action_bar.open_button, Qt.MouseButton.LeftButton)
    original = profile.documents.file_path(card)
    assert [url.toLocalFile() for url in opened] == [str(original)]

    target = tmp_path / "out" / "card copy"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    qtbot.mouseClick(page.action_bar.save_button, Qt.MouseButton.LeftButton)
    saved = target.with_suffix(".jpg")
    qtbot.waitUntil(saved.is_file, timeout=TIMEOUT_MS)
    assert saved.read_bytes() == original.read_bytes()
    qtbot.waitUntil(lambda: "Saved a copy" in main.statusBar().currentMessage())


def test_an_empty_profile_says_how_to_add_documents(
    qtbot: QtBot,
    profile: ProfileSession,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> None:
    window = _open_window(qtbot, profile, settings_store, messages)
    page = _page(qtbot, window)
    assert page.views.currentWidget() is page.empty and page.empty.text() == NO_DOCUMENTS
    assert not page.filters.isVisible() and not page.side.isVisible()
    assert page.action_bar.add_button.isVisible()
    assert not page.action_bar.open_button.isVisible()
    assert page.count_label.text() == "0 documents"
    assert QApplication.activeModalWidget() is None


def test_columns_that_do_not_fit_give_way_least_useful_first(
    qtbot: QtBot, profile: ProfileSession, samples: dict[str, int]
) -> None:
    model = DocumentTableModel()
    model.set_rows(profile.documents.list())
    table = DocumentTable()
    qtbot.addWidget(table)
    table.setModel(model)
    table.show()
    table.resize(1400, 300)
    everything = [
        COLUMN_DATE,
        COLUMN_KIND,
        COLUMN_TITLE,
        COLUMN_PROVIDER,
        COLUMN_PAGES,
        COLUMN_TAGS,
    ]
    qtbot.waitUntil(lambda: table.visible_columns() == everything)
    table.resize(420, 300)
    qtbot.waitUntil(lambda: table.visible_columns() == [COLUMN_DATE, COLUMN_KIND, COLUMN_TITLE])
    table.resize(200, 300)
    qtbot.waitUntil(lambda: table.visible_columns() == [COLUMN_TITLE])
    table.set_searching(True)  # a search: what was found comes right after the title
    table.resize(420, 300)
    qtbot.waitUntil(lambda: table.visible_columns() == [COLUMN_TITLE, COLUMN_FOUND])

"""The documents table model: roles, snippets as safe HTML, in-memory sorting, gentle refreshes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QPixmap
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.domain.documents import DocumentInfo, FileType
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentFilter, DocumentRow
from backlog_app.ui.models.document_model import (
    COLUMN_DATE,
    COLUMN_FOUND,
    COLUMN_PAGES,
    COLUMN_PROVIDER,
    COLUMN_TITLE,
    DOCUMENT_ROLE,
    FILE_TYPE_ROLE,
    SNIPPET_HTML_ROLE,
    SNIPPET_ROLE,
    THUMBNAIL_ROLE,
    DocumentTableModel,
    snippet_html,
    trim_before_match,
)
from backlog_app.ui.models.record_table import RECORD_ID_ROLE
from tests.ui.document_samples import add_samples


class FakeThumbnails:
    """Remembers which documents were asked for; has a picture only for ``ready``."""

    def __init__(self) -> None:
        self.asked: list[int] = []
        self.ready: dict[int, QPixmap] = {}

    def pixmap(self, info: DocumentInfo) -> QPixmap | None:
        self.asked.append(info.id)
        return self.ready.get(info.id)


def _rows(profile: ProfileSession, tmp_path: Path, text: str = "") -> list[DocumentRow]:
    add_samples(profile, tmp_path / "files")
    return profile.documents.list(DocumentFilter(text=text))


def test_the_model_passes_the_model_tester_plain_sorted_and_searched(
    qtbot: QtBot, qtmodeltester: ModelTester, profile: ProfileSession, tmp_path: Path
) -> None:
    model = DocumentTableModel(FakeThumbnails())
    model.set_rows(_rows(profile, tmp_path))
    assert model.rowCount() == 6
    qtmodeltester.check(model)
    model.sort(COLUMN_TITLE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_rows(profile.documents.list(DocumentFilter(text="lumbar")))
    qtmodeltester.check(model)


def test_roles_give_ids_documents_file_types_and_provider_names(
    qtbot: QtBot, profile: ProfileSession, tmp_path: Path
) -> None:
    rows = _rows(profile, tmp_path)
    model = DocumentTableModel()
    model.set_rows(rows)
    mri = next(r.info for r in rows if r.info.data.title == "MRI lumbar spine report")
    row = model.row_of(mri.id)
    assert row is not None
    assert model.data(model.index(row, COLUMN_TITLE), RECORD_ID_ROLE) == mri.id
    assert model.data(model.index(row, COLUMN_TITLE), DOCUMENT_ROLE) == mri
    assert model.data(model.index(row, COLUMN_TITLE), FILE_TYPE_ROLE) == FileType.PDF.value
    assert model.data(model.index(row, COLUMN_DATE)) == "4 Mar 2026"
    assert model.data(model.index(row, COLUMN_PAGES)) == "3"
    assert model.data(model.index(row, COLUMN_PROVIDER)) == ""  # names not known yet
    assert mri.data.provider_id is not None
    model.set_provider_names({mri.data.provider_id: "Dr. Lena Ortiz"})
    assert model.data(model.index(row, COLUMN_PROVIDER)) == "Dr. Lena Ortiz"
    undated = model.row_of(next(r.info.id for r in rows if r.info.data.document_date is None))
    assert undated is not None
    assert model.data(model.index(undated, COLUMN_DATE)) == "No date"
    # No thumbnail source: the grid shows file-type icons only.
    assert model.data(model.index(row, COLUMN_TITLE), THUMBNAIL_ROLE) is None


def test_search_snippets_are_escaped_html_with_the_matches_in_bold(
    qtbot: QtBot, profile: ProfileSession, tmp_path: Path
) -> None:
    assert (
        snippet_html("a <i>&\x02lumbar\x03 \x02L4\x03") == "a &lt;i&gt;&amp;<b>lumbar</b> <b>L4</b>"
    )
    assert snippet_html("\x02unclosed") == "<b>unclosed</b>"
    assert snippet_html("stray\x03 end") == "stray end"
    model = DocumentTableModel()
    model.set_rows(_rows(profile, tmp_path, "herniation"))
    assert model.rowCount() == 1
    found = model.index(0, COLUMN_FOUND)
    assert "\x02" in model.data(found, SNIPPET_ROLE)
    assert "<b>herniation</b>" in model.data(found, SNIPPET_HTML_ROLE).lower()
    assert "\x02" not in model.data(found) and "herniation" in model.data(found).lower()
    assert model.has_snippets()


def test_sorting_is_in_memory_and_minus_one_restores_the_service_order(
    qtbot: QtBot, profile: ProfileSession, tmp_path: Path
) -> None:
    rows = _rows(profile, tmp_path)
    model = DocumentTableModel()
    model.set_rows(rows)
    service_order = model.document_ids()
    model.sort(COLUMN_DATE, Qt.SortOrder.AscendingOrder)
    days = [model.document(r).data.document_date for r in range(model.rowCount())]
    assert days[0] is None  # undated first, then oldest to newest
    dated = [d for d in days if d is not None]
    assert dated == sorted(dated)
    model.sort(COLUMN_TITLE, Qt.SortOrder.AscendingOrder)
    titles = [model.document(r).data.title for r in range(model.rowCount())]
    assert titles == sorted(titles, key=str.casefold)
    model.sort(-1)
    assert model.document_ids() == service_order


def test_a_refresh_with_the_same_documents_keeps_the_selection(
    qtbot: QtBot, profile: ProfileSession, tmp_path: Path
) -> None:
    rows = _rows(profile, tmp_path)
    model = DocumentTableModel()
    model.set_rows(rows)
    selection = QItemSelectionModel(model)
    selection.setCurrentIndex(
        model.index(2, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    renamed = dataclasses.replace(
        rows[2],
        info=dataclasses.replace(
            rows[2].info, data=dataclasses.replace(rows[2].info.data, title="MRI report (edited)")
        ),
    )
    model.set_rows([*rows[:2], renamed, *rows[3:]])
    assert resets == [] and selection.currentIndex().row() == 2
    assert model.data(model.index(2, COLUMN_TITLE)) == "MRI report (edited)"
    model.set_rows(rows[1:])  # a different list: reset
    assert resets == [True]


def test_thumbnails_are_asked_for_when_painted_and_announced_when_ready(
    qtbot: QtBot, profile: ProfileSession, tmp_path: Path
) -> None:
    thumbnails = FakeThumbnails()
    model = DocumentTableModel(thumbnails)
    model.set_rows(_rows(profile, tmp_path))
    assert thumbnails.asked == []  # nothing is loaded until a view asks
    first = model.document(0)
    assert model.data(model.index(0, COLUMN_TITLE), THUMBNAIL_ROLE) is None
    assert thumbnails.asked == [first.id]
    picture = QPixmap(8, 8)
    thumbnails.ready[first.id] = picture
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.thumbnail_ready(first.id)
    assert changed.args is not None and changed.args[0].row() == 0
    assert THUMBNAIL_ROLE in changed.args[2]
    assert model.data(model.index(0, COLUMN_TITLE), THUMBNAIL_ROLE) is picture


def test_an_empty_model_has_headers_but_no_rows(qtbot: QtBot) -> None:
    model = DocumentTableModel()
    assert model.rowCount() == 0 and model.columnCount() == 7
    assert model.headerData(COLUMN_FOUND, Qt.Orientation.Horizontal) == "Found"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.row_of(1) is None and not model.has_snippets()


def test_words_before_the_first_match_give_way_in_a_narrow_cell() -> None:
    snippet = "…Northside Surgery\nCenter NOTICE OF \x02DENIED\x03 Dear…"
    assert trim_before_match(snippet, lambda lead: True) == snippet
    assert (
        trim_before_match(snippet, lambda lead: len(lead) <= 12)
        == "…NOTICE OF \x02DENIED\x03 Dear…"
    )
    assert trim_before_match(snippet, lambda lead: False) == "…\x02DENIED\x03 Dear…"
    assert trim_before_match("\x02first\x03 word", lambda lead: False) == "\x02first\x03 word"

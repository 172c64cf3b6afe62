"""The packet window's parts on their own: the date presets, the contents and documents models,
printing a PDF page by page, and the message at the end of an export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtPrintSupport import QPrinter
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from backlog_app.domain.documents import DocumentKind
from backlog_app.domain.packet import ContentsEntry, PacketIdentity, PacketSection, PageSize
from backlog_app.domain.packet_documents import DocumentChoice
from backlog_app.errors import Cancelled
from backlog_app.services.packet.prepared import PacketResult, PreparedPacket, ReplacedDocument
from backlog_app.services.packet.request import PacketRequest
from backlog_app.services.page_images import open_pdf
from backlog_app.services.progress import Progress
from backlog_app.ui.packet import print_job
from backlog_app.ui.packet.choices import TICKABLE_SECTIONS, Period, months_back, period_start
from backlog_app.ui.packet.contents_preview import (
    ContentsModel,
    notes_text,
    page_span,
    spoken_span,
)
from backlog_app.ui.packet.documents_model import COLUMN_INCLUDE, PacketDocumentsModel
from backlog_app.ui.packet.finished import ExportFinished
from tests.conftest import TODAY
from tests.ui.accessibility import unnamed_controls


def test_presets_count_back_from_today() -> None:
    assert months_back(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    assert months_back(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert period_start(Period.EVERYTHING, TODAY) is None
    assert period_start(Period.LAST_YEAR, dt.date(2026, 1, 1)) == dt.date(2025, 1, 2)


def test_contents_model_shows_page_spans(qtmodeltester: ModelTester) -> None:
    entries = [
        ContentsEntry("cover", "Cover sheet", 0, 1, 1),
        ContentsEntry("daily_log", "Daily log", 0, 2, 13),
        ContentsEntry("documents", "Attached documents", 0, 15, 0),
        ContentsEntry("document:3", "Imaging report · 31 Jan 2026", 1, 15, 2),
    ]
    model = ContentsModel()
    model.set_entries(entries)
    qtmodeltester.check(model)
    assert [page_span(e) for e in entries] == ["1", "2–14", "", "15–16"]
    assert spoken_span(entries[1]) == "pages 2 to 14 (13 pages)"
    assert spoken_span(entries[2]) == "starts on page 15"
    assert model.index(3, 0).data().strip() == "Imaging report · 31 Jan 2026"
    assert model.index(3, 0).data().startswith(" ")  # documents are indented under the heading
    assert model.index(1, 1).data(Qt.ItemDataRole.AccessibleTextRole) == spoken_span(entries[1])


def _choice(document_id: int, kind: DocumentKind, day: int) -> DocumentChoice:
    return DocumentChoice(document_id, kind, f"Document {document_id}", dt.date(2026, 1, day))


def test_documents_model_ticks_moves_and_sorts(qtmodeltester: ModelTester) -> None:
    bill = _choice(1, DocumentKind.BILL, 5)
    denial = _choice(2, DocumentKind.DENIAL_LETTER, 9)
    mri = _choice(3, DocumentKind.IMAGING_REPORT, 2)
    card = _choice(4, DocumentKind.INSURANCE_CARD, 1)
    model = PacketDocumentsModel()
    model.set_documents([denial, card, mri, bill], [denial, mri])
    qtmodeltester.check(model)
    assert model.ticked_ids() == (2, 3)
    assert [model.choice(row).document_id for row in range(4)] == [2, 3, 4, 1]
    include = model.index(2, COLUMN_INCLUDE)
    assert include.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert include.data(Qt.ItemDataRole.AccessibleTextRole) == "Left out"
    assert model.index(0, 2).data() == "9 Jan 2026"

    changes: list[None] = []
    model.selection_changed.connect(lambda: changes.append(None))
    assert model.setData(include, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.ticked_ids() == (2, 3, 4)
    assert model.move(0, 1) == 1 and model.ticked_ids() == (3, 2, 4)
    assert model.move(0, -1) == 0  # the first row cannot go higher
    model.set_ticked(3, True)  # the bill
    model.sort_default()  # denial, card, imaging, bill
    assert model.ticked_ids() == (2, 4, 3, 1)
    model.set_all_ticked(False)
    assert model.ticked_ids() == ()
    assert len(changes) == 5
    qtmodeltester.check(model)


def write_pdf(path: Path, pages: int, *, wide: bool = False) -> Path:
    from reportlab.lib.pagesizes import landscape, letter  # type: ignore[import-untyped]
    from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

    drawing = canvas.Canvas(str(path), pagesize=landscape(letter) if wide else letter)
    for number in range(pages):
        drawing.drawString(72, 72, f"Page {number + 1}")
        drawing.showPage()
    drawing.save()
    return path


def test_a_landscape_page_is_turned_to_fit_portrait_paper(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "wide.pdf", 1, wide=True)
    with open_pdf(path) as pdf:
        image, width, height = print_job._render(pdf, 0, 600, 800, 100.0)
    assert (width, height) == (612.0, 792.0)  # turned: as tall as the paper
    assert image.height() > image.width()
    assert image.width() == round(612 * 100 / 72)


def test_printing_stops_at_cancel(tmp_path: Path, qtbot: QtBot) -> None:
    path = write_pdf(tmp_path / "three.pdf", 3)
    printer = print_job.new_printer("Test", PageSize.LETTER)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    printer.setResolution(72)
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        print_job.print_pdf(path, printer, progress)
    assert print_job.pages_to_print(printer, 3) == [0, 1, 2]


def test_finished_message_opens_the_pdf_or_its_folder(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "packet.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    replaced = (ReplacedDocument(7, "Locked statement", "it is locked with a password"),)
    result = PacketResult(path, 37, 1_250_000, replaced)
    opened: list[QUrl] = []

    def opener(url: QUrl) -> bool:
        opened.append(url)
        return True

    message = ExportFinished(result, opener=opener)
    qtbot.addWidget(message)
    message.show()
    assert message.facts.text() == "37 pages · 1.2 MB"
    assert "Locked statement: it is locked with a password" in message.replaced.text()
    assert message.open_button.isDefault()
    assert unnamed_controls(message) == []
    qtbot.mouseClick(message.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(tmp_path))]
    assert message.result() == ExportFinished.DialogCode.Accepted


def test_finished_message_says_where_the_file_is_when_it_cannot_open_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    result = PacketResult(tmp_path / "packet.pdf", 1, 900_000, ())
    message = ExportFinished(result, opener=lambda _url: False)
    qtbot.addWidget(message)
    message.show()
    assert message.facts.text() == "1 page · 879 KB"
    assert not message.replaced.isVisible()
    qtbot.mouseClick(message.open_button, Qt.MouseButton.LeftButton)
    assert message.isVisible() and message.problem.isVisible()
    assert str(tmp_path) in message.problem.text()


def _prepared(
    omitted: tuple[tuple[PacketSection, str], ...], replaced: tuple[ReplacedDocument, ...]
) -> PreparedPacket:
    return PreparedPacket(
        request=PacketRequest(),
        title="Coverage packet — complete record",
        entries=(),
        total_pages=3,
        omitted=omitted,
        replaced=replaced,
        identity=PacketIdentity("Ana Reyes", None, None),
        subject="Medical record summary",
        created=dt.datetime(2026, 11, 27, 12, 0),
    )


def test_notes_under_the_contents_stay_short() -> None:
    locked = ReplacedDocument(4, "Statement", "it is locked with a password")
    few = _prepared(((PacketSection.CALLS, "No calls were recorded."),), (locked,))
    text, details = notes_text(few)
    assert text == details
    assert text.splitlines() == [
        "These documents cannot be included as they are; the packet has a page in their place "
        "that says why:",
        "•  Statement: it is locked with a password",
        "Left out because there is nothing to show:",
        "•  Call log: No calls were recorded.",
    ]
    empty = tuple((section, "Nothing.") for section in TICKABLE_SECTIONS)
    text, details = notes_text(_prepared(empty, ()))
    assert len(text.splitlines()) == 1 and text.endswith("Costs summary (point here to see why).")
    assert len(details.splitlines()) == 1 + len(TICKABLE_SECTIONS)

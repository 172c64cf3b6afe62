"""The packet window's parts on their own: the date presets, the contents and documents models,
printing a PDF page by page, the Save dialog and file name, and the message at the end of an
export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget
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
    COLUMN_COUNT,
    COLUMN_NUMBERS,
    ContentsModel,
    notes_text,
    page_span,
    spoken_span,
)
from backlog_app.ui.packet.dialog_view import PacketDialogView
from backlog_app.ui.packet.documents_model import COLUMN_INCLUDE, PacketDocumentsModel
from backlog_app.ui.packet.finished import ExportFinished
from backlog_app.ui.packet.output import ask_save_path, packet_file_name, save_dialog
from tests.conftest import TODAY
from tests.ui.accessibility import unnamed_controls


def test_presets_count_back_from_today() -> None:
    assert months_back(dt.date(2024, 2, 29), 12) == dt.date(2023, 2, 28)
    assert months_back(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert period_start(Period.EVERYTHING, TODAY) is None
    assert period_start(Period.LAST_YEAR, dt.date(2026, 1, 1)) == dt.date(2025, 1, 2)


def test_contents_model_shows_page_numbers_and_counts(qtmodeltester: ModelTester) -> None:
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
    # How many pages each part has shows in its own column, not only in a tooltip.
    assert [model.index(row, COLUMN_NUMBERS).data() for row in range(4)] == [
        "1",
        "2–14",
        "",
        "15–16",
    ]
    assert [model.index(row, COLUMN_COUNT).data() for row in range(4)] == ["1", "13", "", "2"]
    assert model.headerData(COLUMN_COUNT, Qt.Orientation.Horizontal) == "Pages"
    count = model.index(1, COLUMN_COUNT)
    assert count.data(Qt.ItemDataRole.AccessibleTextRole) == "13 pages"


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


class CancelAtPage(Progress):
    """Cancels when page ``page`` is about to be printed."""

    def __init__(self, page: int) -> None:
        super().__init__()
        self.page = page

    def report(self, done: int, total: int, label: str = "") -> None:
        if label.startswith(f"Printing page {self.page} "):
            self.cancel()
        super().report(done, total, label)


@pytest.fixture
def painters(monkeypatch: pytest.MonkeyPatch) -> list[QPainter]:
    """Every QPainter ``print_pdf`` makes, to check it was ended."""
    made: list[QPainter] = []

    class RecordingPainter(QPainter):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(print_job, "QPainter", RecordingPainter)
    return made


class PdfPrinter(QPrinter):
    """A printer to a PDF file that remembers whether its job was abandoned."""

    def __init__(self) -> None:
        super().__init__(QPrinter.PrinterMode.HighResolution)
        self.aborted = False

    def abort(self) -> bool:
        self.aborted = True
        return super().abort()


def _pdf_printer(path: Path) -> PdfPrinter:
    printer = PdfPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(72)
    return printer


def test_printing_stops_at_cancel_after_the_first_page(
    tmp_path: Path, qtbot: QtBot, painters: list[QPainter]
) -> None:
    path = write_pdf(tmp_path / "three.pdf", 3)
    printer = _pdf_printer(tmp_path / "out.pdf")
    progress = CancelAtPage(2)
    with pytest.raises(Cancelled):
        print_job.print_pdf(path, printer, progress)
    assert progress.snapshot() == (1, 3, "Printing page 2 of 3")  # one page went out
    assert len(painters) == 1 and not painters[0].isActive()
    assert printer.aborted
    assert print_job.pages_to_print(printer, 3) == [0, 1, 2]


def test_a_page_that_cannot_be_drawn_abandons_the_print_job(
    tmp_path: Path, qtbot: QtBot, painters: list[QPainter], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_pdf(tmp_path / "three.pdf", 3)
    printer = _pdf_printer(tmp_path / "out.pdf")
    real_paint = print_job._paint_page

    def paint(pdf: object, index: int, painter: QPainter, target: QPrinter) -> None:
        if index == 1:
            raise RuntimeError("PDFium could not draw the page")
        real_paint(pdf, index, painter, target)

    monkeypatch.setattr(print_job, "_paint_page", paint)
    with pytest.raises(RuntimeError):
        print_job.print_pdf(path, printer, Progress())
    assert len(painters) == 1 and not painters[0].isActive()
    assert printer.aborted


# --- The window's size ---------------------------------------------------------------------------


def test_the_window_fits_a_small_screen(qtbot: QtBot) -> None:
    view = PacketDialogView(TODAY, PageSize.LETTER, None)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    assert (view.minimumWidth(), view.minimumHeight()) == (900, 560)

    def columns_of_sections() -> int:
        return len({box.x() for box in view.sections.boxes.values()})

    assert columns_of_sections() == 2
    view.resize(view.minimumSize())
    qtbot.waitUntil(lambda: columns_of_sections() == 1)
    layout = view.layout()
    assert layout is not None
    assert layout.minimumSize().width() <= 900 and layout.minimumSize().height() <= 560
    # The choices are never cut off at the side (they scroll up and down instead).
    area = view.choices_area
    qtbot.waitUntil(lambda: area.viewport().width() >= view.scope.minimumSizeHint().width())
    assert area.viewport().width() >= view.sections.minimumSizeHint().width()
    assert view.documents.table.height() >= 88 and view.preview.table.height() >= 88
    view.resize(1180, 720)
    qtbot.waitUntil(lambda: columns_of_sections() == 2)


# --- Where to save ------------------------------------------------------------------------------


class FakeSaveDialog:
    def __init__(self, chosen: str | None) -> None:
        self.chosen = chosen

    def exec(self) -> int:
        return QDialog.DialogCode.Accepted if self.chosen else QDialog.DialogCode.Rejected

    def selectedFiles(self) -> list[str]:
        return [self.chosen] if self.chosen else []


def test_the_save_dialog_adds_pdf_before_it_checks_for_an_existing_file(qtbot: QtBot) -> None:
    suggested = Path("/home/ana/Documents/BackLog packet - complete record - 2026-11-27.pdf")
    dialog = save_dialog(None, suggested)
    qtbot.addWidget(dialog)
    assert dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    assert dialog.defaultSuffix() == "pdf"
    assert dialog.nameFilters() == ["PDF files (*.pdf)"]
    assert not dialog.testOption(QFileDialog.Option.DontConfirmOverwrite)


def test_a_name_with_another_ending_is_not_replaced_without_asking(
    qtbot: QtBot, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    (tmp_path / "packet.docx.pdf").write_bytes(b"%PDF-1.7\n")
    asked: list[str] = []
    answer = {"replace": False}

    def confirm(_title: str, text: str, _action: str) -> bool:
        asked.append(text)
        return answer["replace"]

    def choose(chosen: str | None) -> Path | None:
        return ask_save_path(
            parent,
            tmp_path / "suggested.pdf",
            make_dialog=lambda _parent, _suggested: FakeSaveDialog(chosen),
            confirm=confirm,
        )

    assert choose(None) is None
    assert choose(str(tmp_path / "new.pdf")) == tmp_path / "new.pdf"
    assert choose(str(tmp_path / "notes.txt")) == tmp_path / "notes.txt.pdf"
    assert asked == []  # nothing there to replace
    assert choose(str(tmp_path / "packet.docx")) is None
    assert asked == [f"“packet.docx.pdf” already exists in {tmp_path}. Replace it with the packet?"]
    answer["replace"] = True
    assert choose(str(tmp_path / "packet.docx")) == tmp_path / "packet.docx.pdf"


def test_the_file_name_comes_from_the_case_title_and_the_day() -> None:
    day = dt.date(2026, 11, 27)
    assert packet_file_name(None, day) == "BackLog packet - complete record - 2026-11-27.pdf"
    assert (
        packet_file_name("Appeal: MRI / L4-L5?", day)
        == "BackLog packet - Appeal MRI  L4-L5 - 2026-11-27.pdf"
    )


# --- The finished message -----------------------------------------------------------------------


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
    for label in (message.name, message.facts, message.folder, message.replaced):
        assert label.textFormat() is Qt.TextFormat.PlainText  # names are not read as markup
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

"""Printing a finished packet PDF: the Qt print dialog, then each page drawn by PDFium at the
printer's resolution and painted onto the QPrinter.

``print_pdf`` runs off the GUI thread (QPainter on a QPrinter is allowed there); it reports each
page to a Progress and stops at Cancel (or any failure), abandoning the print job so no half
packet comes out. A page turned the other way from the paper (a landscape spreadsheet) is turned
to fit it; every page is scaled to the printable area, centred, never cropped.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from backlog_app.domain.packet import PageSize
from backlog_app.errors import UserError
from backlog_app.services.page_images import MAX_RENDER_PIXELS, PDFIUM_LOCK, open_pdf
from backlog_app.services.progress import Progress

POINTS_PER_INCH = 72.0
# Pages are drawn at the printer's resolution up to this: sharp on paper, and less to send.
# Measured with the demo packet (48 pages) through Qt's PDF print engine: 0.9 MB a page at
# 300 dpi, 2.6 MB at 600 dpi, so about 0.6 GB instead of 1.8 GB for a 700-page packet. (Qt
# sends each page in colour unless the user chooses grayscale in the print dialog, which makes
# a third of that; a gray QImage painted here is turned back into colour by Qt.)
MAX_PRINT_DPI = 300.0

_QT_PAGE_SIZES = {
    PageSize.LETTER: QPageSize.PageSizeId.Letter,
    PageSize.A4: QPageSize.PageSizeId.A4,
}


def new_printer(title: str, size: PageSize) -> QPrinter:
    """A printer set up for a packet: its title as the job name, its paper chosen."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(_QT_PAGE_SIZES[size]))
    printer.setCreator("BackLog")
    return printer


def ask_printer(parent: QWidget, printer: QPrinter, page_count: int) -> bool:
    """The system's print dialog (which printer, which pages, how many copies); False when the
    user cancels."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print the packet")
    dialog.setMinMax(1, max(page_count, 1))
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    return dialog.exec() == QDialog.DialogCode.Accepted


def pages_to_print(printer: QPrinter, page_count: int) -> list[int]:
    """The 0-based pages the user asked for (a page range, else all), each copy in turn when the
    printer cannot make copies itself."""
    first, last = 1, page_count
    if printer.printRange() is QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(page_count, printer.toPage() or page_count)
    pages = list(range(first - 1, last))
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    return pages * copies


def print_pdf(path: Path, printer: QPrinter, progress: Progress) -> int:
    """Print ``path`` on ``printer``; returns how many pages were sent.

    Raises:
        Cancelled: the user pressed Cancel (the print job is abandoned).
        UserError: the printer could not be started.
    """
    with open_pdf(path) as pdf:
        with PDFIUM_LOCK:
            page_count = len(pdf)
        pages = pages_to_print(printer, page_count)
        progress.report(0, len(pages), "Starting the printer")
        painter = QPainter()
        if not painter.begin(printer):
            raise UserError(
                "The printer could not be started. Check that it is switched on and "
                "connected, then try again."
            )
        try:
            for done, index in enumerate(pages):
                progress.report(done, len(pages), f"Printing page {done + 1} of {len(pages)}")
                if done:
                    printer.newPage()
                _paint_page(pdf, index, painter, printer)
            progress.report(len(pages), len(pages), "Finishing")
        except BaseException:  # Cancel, or a page that could not be drawn: no half packet
            printer.abort()
            raise
        finally:
            if painter.isActive():
                painter.end()
    return len(pages)


def _paint_page(pdf: object, index: int, painter: QPainter, printer: QPrinter) -> None:
    area = painter.window()  # the printable area, in printer pixels
    dpi = float(printer.resolution())
    image, width_pt, height_pt = _render(pdf, index, area.width(), area.height(), dpi)
    # The page's size on paper in printer pixels, scaled down to the printable area if needed.
    scale = min(area.width() / width_pt, area.height() / height_pt, dpi / POINTS_PER_INCH)
    drawn_w, drawn_h = width_pt * scale, height_pt * scale
    target = QRectF(
        area.x() + (area.width() - drawn_w) / 2,
        area.y() + (area.height() - drawn_h) / 2,
        drawn_w,
        drawn_h,
    )
    painter.drawImage(target, image)


def _render(
    pdf: object, index: int, area_width: int, area_height: int, dpi: float
) -> tuple[QImage, float, float]:
    """Page ``index`` as a QImage at the printer's resolution (at most MAX_PRINT_DPI), turned to
    the paper's orientation; also its size in points as drawn."""
    with PDFIUM_LOCK:
        page = pdf[index]  # type: ignore[index]
        try:
            width, height = (max(value, 1.0) for value in page.get_size())
            turn = (width > height) != (area_width > area_height)
            if turn:
                width, height = height, width
            scale = min(dpi, MAX_PRINT_DPI) / POINTS_PER_INCH
            scale = min(scale, math.sqrt(MAX_RENDER_PIXELS / (width * height)))
            bitmap = page.render(
                scale=scale,
                rotation=90 if turn else 0,
                rev_byteorder=True,
                prefer_bgrx=True,
                may_draw_forms=False,
            )
            try:
                image = QImage(
                    bitmap.buffer,
                    bitmap.width,
                    bitmap.height,
                    bitmap.stride,
                    QImage.Format.Format_RGBX8888,
                ).copy()  # copy(): the QImage must not share memory with PDFium's bitmap
            finally:
                bitmap.close()
        finally:
            page.close()
    return image, width, height

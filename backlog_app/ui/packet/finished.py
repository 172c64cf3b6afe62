"""The message at the end of an export: where the PDF is, how many pages and how big it is, which
documents were replaced by a "could not be included" page, and buttons to open the PDF or show
its folder."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.sizes import file_size_text
from backlog_app.services.packet.prepared import PacketResult
from backlog_app.ui.widgets import heading

OpenUrl = Callable[[QUrl], bool]

WIDTH = 560

# An e-mail attachment limit many providers share; a fax of this many pages takes a long time.
EMAIL_LIMIT_BYTES = 20 * 1024 * 1024


def open_url(url: QUrl) -> bool:
    """Open a local file or folder with the system's program for it."""
    return QDesktopServices.openUrl(url)


def result_text(result: PacketResult) -> str:
    """ "37 pages · 1.2 MB", with a note when it is too big to e-mail."""
    pages = f"{result.page_count} page" + ("s" if result.page_count != 1 else "")
    text = f"{pages} · {file_size_text(result.size_bytes)}"
    if result.size_bytes > EMAIL_LIMIT_BYTES:
        text += "\nThat is too big for most e-mail: send it by fax or upload it, or leave out some documents."
    return text


def replaced_text(result: PacketResult) -> str:
    if not result.replaced:
        return ""
    lines = [
        "These documents could not be included as they are; the packet has a page in their "
        "place that says why:"
    ]
    lines += [f"•  {item.title}: {item.reason}" for item in result.replaced]
    return "\n".join(lines)


class ExportFinished(QDialog):
    """Says the packet is saved; Open the PDF, Show in folder or Close."""

    def __init__(
        self,
        result: PacketResult,
        parent: QWidget | None = None,
        *,
        opener: OpenUrl = open_url,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Packet saved")
        self._result = result
        self._opener = opener
        title = heading("Your packet is saved", 2)
        self.name = QLabel(result.path.name, self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)  # a file name may look like markup
        self.name.setWordWrap(True)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setAccessibleName("File name")
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.facts = QLabel(result_text(result), self)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.facts.setWordWrap(True)
        self.facts.setAccessibleName("Pages and size")
        self.folder = QLabel(f"In the folder {result.path.parent}", self)
        self.folder.setTextFormat(Qt.TextFormat.PlainText)
        self.folder.setObjectName("muted")
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setAccessibleName("Folder")
        self.replaced = QLabel(replaced_text(result), self)
        self.replaced.setWordWrap(True)
        self.replaced.setTextFormat(Qt.TextFormat.PlainText)
        self.replaced.setAccessibleName("Documents replaced by a page saying why")
        self.replaced.setVisible(bool(result.replaced))
        self.problem = QLabel(self)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setObjectName("problems")
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.buttons = QDialogButtonBox(self)
        self.open_button = self._add("&Open the PDF", "Open the packet in your PDF viewer")
        self.folder_button = self._add("&Show in folder", "Open the folder the packet is in")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_pdf)
        self.folder_button.clicked.connect(self.show_folder)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.name)
        layout.addWidget(self.facts)
        layout.addWidget(self.folder)
        layout.addWidget(self.replaced)
        layout.addWidget(self.problem)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(WIDTH)
        self._fit()

    def _fit(self) -> None:
        """As tall as the wrapped text needs (a dialog's size hint ignores word wrap)."""
        layout = self.layout()
        assert layout is not None
        width = max(self.width(), WIDTH)
        self.resize(width, layout.heightForWidth(width))

    def _add(self, text: str, what: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setAccessibleName(text.replace("&", ""))
        button.setToolTip(what)
        return button

    def open_pdf(self) -> None:
        self._open(
            self._result.path, "The PDF could not be opened: no program for PDF files was found."
        )

    def show_folder(self) -> None:
        self._open(self._result.path.parent, "The folder could not be opened.")

    def _open(self, path: object, failure: str) -> None:
        if self._opener(QUrl.fromLocalFile(str(path))):
            self.accept()
            return
        self.problem.setText(f"{failure} The packet is in {self._result.path.parent}.")
        self.problem.show()
        self._fit()

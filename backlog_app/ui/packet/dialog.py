"""The Export Packet window (File → Export Packet…, Ctrl+E, or a case's Export packet… button).

The usual choices are made when it opens — the case shown (or the whole record), every section,
the documents that belong to it in the usual order, the paper last used — so one click on
Export PDF… makes a good packet. The contents with page numbers are worked out in the background
as the choices change (``preview_runner``). Export and Print run on the dialog's own job runner,
with a progress dialog and Cancel; nothing here reads the database on the GUI thread except the
quick file-name suggestion when no preview is ready.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.packet import PacketSection, PageSize, packet_title, range_problems
from backlog_app.domain.packet_documents import DocumentChoice
from backlog_app.errors import UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.services.context import ProfileSession
from backlog_app.services.packet.prepared import PacketResult
from backlog_app.services.packet.request import PacketRequest
from backlog_app.settings import SettingsStore
from backlog_app.ui.documents.background import BackgroundReads
from backlog_app.ui.messages import Messages
from backlog_app.ui.packet.choices import PaperBox, ScopeBox, SectionsBox
from backlog_app.ui.packet.contents_preview import ContentsPreview
from backlog_app.ui.packet.documents_box import DocumentsBox
from backlog_app.ui.packet.loading import PacketChoices, read_choices, read_default_documents
from backlog_app.ui.packet.output import PacketHooks, PacketOutput
from backlog_app.ui.packet.preview_runner import Previewed, PreviewRunner

log = logging.getLogger("backlog.ui.packet")

LEFT_COLUMN_WIDTH = 540
# Narrower, the documents' titles would not show; lower, the tables would show two rows.
MINIMUM_SIZE = QSize(1080, 640)

INTRO = (
    "One PDF for your insurer or your doctor's office: a cover sheet, your records and your "
    "documents, with your name and a page number on every page. The usual choices are already "
    "made — press Export PDF… to save it."
)


def open_packet_dialog(
    parent: QWidget,
    profile: ProfileSession,
    messages: Messages,
    *,
    settings: SettingsStore | None = None,
    case_id: int | None = None,
    show_status: Callable[[str], None] | None = None,
) -> None:
    """Show the Export Packet window for ``case_id`` (None: the whole record)."""
    dialog = PacketDialog(
        profile,
        messages,
        settings=settings,
        case_id=case_id,
        show_status=show_status,
        parent=parent,
    )
    dialog.exec()
    dialog.deleteLater()


class PacketDialog(QDialog):
    """Choose, preview, then export or print one packet."""

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        *,
        settings: SettingsStore | None = None,
        case_id: int | None = None,
        show_status: Callable[[str], None] | None = None,
        hooks: PacketHooks | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export a packet for your insurer")
        self._profile = profile
        self._messages = messages
        self._settings = settings
        self._show_status = show_status or (lambda _text: None)
        self.hooks = hooks or PacketHooks()
        self._choices: PacketChoices | None = None
        self._documents_touched = False
        self._documents_loading = False
        self._busy = False
        self.result_written: PacketResult | None = None
        self.pages_printed: int | None = None

        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.scope = ScopeBox(profile.clock(), self)
        self.sections = SectionsBox(self)
        self.paper = PaperBox(_saved_size(settings), self)
        self.documents = DocumentsBox(self)
        self.preview = ContentsPreview(self)
        self.problems = QLabel(self)
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems with the dates")
        self.problems.hide()

        self.buttons = QDialogButtonBox(self)
        self.export_button = self._button("&Export PDF…", "Save the packet as a PDF file")
        self.export_button.setObjectName("primaryButton")
        self.export_button.setDefault(True)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button = self._button("&Print…", "Print the packet on paper")
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self._button("Close", "Close without saving a packet")
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_packet)
        self.close_button.clicked.connect(self.reject)

        # The choices keep to a readable width; the documents and the contents get the rest.
        left_column = QWidget(self)
        left_column.setMaximumWidth(LEFT_COLUMN_WIDTH)
        left = QVBoxLayout(left_column)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(10)
        left.addWidget(self.scope)
        left.addWidget(self.sections)
        left.addWidget(self.paper)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self.documents, 2)
        right.addWidget(self.preview, 3)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(left_column, 0)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        # Check boxes and radio buttons in a group read in the normal weight (titles are bold).
        self.setStyleSheet("QGroupBox QCheckBox, QGroupBox QRadioButton { font-weight: normal; }")
        self.setMinimumSize(MINIMUM_SIZE)
        self.resize(1180, 720)

        self._reads = BackgroundReads(self, threads=1)
        self.runner = PreviewRunner(profile, self)
        self.output = PacketOutput(profile, self.runner, messages, self.hooks, self)
        self.output.busy.connect(self._set_busy)
        self.output.exported.connect(self._exported)
        self.output.printed.connect(self._printed)
        self.output.problems.connect(self._show_problems)
        self.runner.working.connect(self.preview.show_working)
        self.runner.ready.connect(self._previewed)
        self.runner.stopped.connect(self.preview.show_stopped)
        self.runner.failed.connect(self._preview_failed)
        self.preview.cancel_requested.connect(self.runner.cancel)
        self.preview.refresh_requested.connect(lambda: self._choices_changed(at_once=True))
        self.scope.case.currentIndexChanged.connect(self._scope_changed)
        self.scope.period.currentIndexChanged.connect(self._dates_changed)
        self.scope.since.dateChanged.connect(self._dates_changed)
        self.scope.until.dateChanged.connect(self._dates_changed)
        self.sections.changed.connect(self._choices_changed)
        self.paper.changed.connect(self._paper_changed)
        self.documents.changed.connect(self._documents_changed)
        self._update_buttons()
        self._reads.submit(
            lambda: read_choices(profile, case_id), self._choices_read, self._read_failed
        )

    def _button(self, text: str, what: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setToolTip(what)
        return button

    # The choices -----------------------------------------------------------------------------

    def request(self) -> PacketRequest:
        """What the choices on screen ask for."""
        since, until = self.scope.dates()
        sections = set(self.sections.chosen())
        include = self.documents.include.isChecked()
        if include:
            sections.add(PacketSection.DOCUMENTS)
        return PacketRequest(
            case_id=self.scope.case_id(),
            since=since,
            until=until,
            sections=frozenset(sections),
            document_ids=self.documents.document_ids() if include else (),
            page_size=self.paper.page_size(),
        )

    def preview_ready(self) -> bool:
        """The contents of the choices on screen are worked out (tests wait for it)."""
        return self.runner.current(self.request()) is not None

    def is_ready(self) -> bool:
        """The record has been read, the documents chosen, and the dates make sense."""
        return (
            self._choices is not None and not self._documents_loading and not self._date_problems()
        )

    def _date_problems(self) -> list[str]:
        since, until = self.scope.dates()
        return range_problems(since, until, self._profile.clock())

    def _choices_read(self, choices: PacketChoices) -> None:
        self._choices = choices
        self.scope.set_cases(choices.cases, choices.case_id)
        self.sections.allow_letter(choices.case_id is not None)
        self._set_documents(choices.defaults)
        self._choices_changed(at_once=True)

    def _read_failed(self, error: BaseException) -> None:
        if isinstance(error, UserError):
            self._messages.problem("Export a packet", error.message)
        else:
            log.error("reading the record for a packet failed", exc_info=error)
            log_file = current_log_file()
            self._messages.apology(str(log_file) if log_file else None)
        self.reject()

    def _set_documents(self, defaults: list[DocumentChoice]) -> None:
        assert self._choices is not None
        self.documents.set_documents(self._choices.available, defaults)
        self._documents_touched = False

    def _scope_changed(self) -> None:
        self.sections.allow_letter(self.scope.case_id() is not None)
        self._reload_documents()

    def _dates_changed(self) -> None:
        # Documents the user chose by hand stay chosen; the default selection follows the dates.
        if self._documents_touched:
            self._choices_changed()
        else:
            self._reload_documents()

    def _reload_documents(self) -> None:
        if self._choices is None or self._date_problems():
            self._choices_changed()
            return
        profile, case_id = self._profile, self.scope.case_id()
        since, until = self.scope.dates()
        self._documents_loading = True
        self._show_state()
        self.documents.count.setText("Choosing the documents for this packet…")
        self.preview.show_working("Choosing the documents…", 0, 0)
        self._reads.submit(
            lambda: read_default_documents(profile, case_id, since, until),
            self._defaults_read,
            self._read_failed,
            key="defaults",
        )

    def _defaults_read(self, defaults: list[DocumentChoice]) -> None:
        self._documents_loading = False
        self._set_documents(defaults)
        self._choices_changed()

    def _documents_changed(self) -> None:
        self._documents_touched = True
        self._choices_changed()

    def _paper_changed(self) -> None:
        if self._settings is not None:
            self._settings.update(packet_page_size=self.paper.page_size().value)
        self._choices_changed()

    def _choices_changed(self, *, at_once: bool = False) -> None:
        problems = self._show_state()
        if self._choices is None or self._documents_loading:
            return
        if problems:
            self.runner.cancel()
            self.preview.show_stopped("Please fix the dates to see the contents.", retry=False)
            return
        self.runner.request(self.request(), at_once=at_once)

    def _previewed(self, previewed: Previewed) -> None:
        self.preview.show_prepared(previewed.prepared)

    def _preview_failed(self, _error: BaseException) -> None:
        log_file = current_log_file()
        where = f" The details are in {log_file}." if log_file else ""
        self.preview.show_stopped(
            f"Sorry — BackLog ran into a problem it did not expect while working out the "
            f"contents.{where}"
        )

    def _show_state(self) -> list[str]:
        """Show what is wrong with the dates (returned) and enable the buttons that can work."""
        problems = self._date_problems()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self._update_buttons()
        return problems

    def _update_buttons(self) -> None:
        ready = self.is_ready() and not self._busy
        self.export_button.setEnabled(ready)
        self.print_button.setEnabled(ready)
        self.close_button.setEnabled(not self._busy)

    # Export and print -------------------------------------------------------------------------

    def export(self) -> None:
        """Ask where to save, then write the packet in the background (Export PDF…)."""
        if self.is_ready() and not self._busy:
            self.output.export(self.request())

    def print_packet(self) -> None:
        """Make the packet, ask which printer, then print it in the background (Print…)."""
        if self.is_ready() and not self._busy:
            self.output.print_packet(self.request(), self._title())

    def _exported(self, result: PacketResult) -> None:
        self.result_written = result
        self._show_status(f"Saved the packet {result.path.name}: {result.page_count} pages.")
        self.accept()

    def _printed(self, count: int) -> None:
        self.pages_printed = count
        self._show_status(f"Sent {count} page{'s' if count != 1 else ''} to the printer.")
        self.accept()

    def _show_problems(self, problems: list[str]) -> None:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    def _title(self) -> str:
        case_id = self.scope.case_id()
        if case_id is None or self._choices is None:
            return packet_title(None)
        return packet_title(self._choices.titles.get(case_id))

    # State, errors and closing -----------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for box in (self.scope, self.sections, self.paper, self.documents):
            box.setEnabled(not busy)
        self._update_buttons()

    def reject(self) -> None:
        if not self._busy:  # a write in progress finishes (or is cancelled) first
            super().reject()

    def done(self, result: int) -> None:
        # A preview being worked out stops at its next step (up to a second or so on a large
        # record); its temporary files are removed before the window goes.
        self.hide()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.runner.close()
            self._reads.stop()
            self.output.jobs.wait_for_all()
        finally:
            QApplication.restoreOverrideCursor()
        super().done(result)


def _saved_size(settings: SettingsStore | None) -> PageSize:
    value = settings.settings.packet_page_size if settings is not None else PageSize.LETTER.value
    try:
        return PageSize(value)
    except ValueError:
        return PageSize.LETTER

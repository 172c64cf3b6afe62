"""The Export Packet window (File → Export Packet…, Ctrl+E, or a case's Export packet… button).

The usual choices are made when it opens — the case shown (or the whole record), every section,
the documents that belong to it in the usual order, the paper last used — so one click on
Export PDF… makes a good packet. The contents with page numbers are worked out in the background
as the choices change (``preview_runner``). Export and Print run on the dialog's own job runner,
with a progress dialog and Cancel. Nothing here reads the database on the GUI thread, and closing
never waits for a worker: the work still running is cancelled and ends on its own
(``lingering``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

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
from backlog_app.ui.packet.contents_preview import pages_text
from backlog_app.ui.packet.dialog_view import PacketDialogView
from backlog_app.ui.packet.lingering import Open, outlive
from backlog_app.ui.packet.loading import PacketChoices, read_choices, read_default_documents
from backlog_app.ui.packet.output import PacketHooks, PacketOutput, packet_file_name
from backlog_app.ui.packet.preview_runner import Previewed, PreviewRunner

log = logging.getLogger("backlog.ui.packet")


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


class PacketDialog(PacketDialogView):
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
        super().__init__(profile.clock(), _saved_size(settings), parent)
        self._profile = profile
        self._messages = messages
        self._settings = settings
        self._show_status = show_status or (lambda _text: None)
        self.hooks = hooks or PacketHooks()
        self._choices: PacketChoices | None = None
        self._defaults: tuple[int, ...] = ()  # the default documents' ids, for "Default order"
        self._documents_touched = False
        self._documents_loading = False
        self._busy = False
        self._open = Open()
        self.result_written: PacketResult | None = None
        self.pages_printed: int | None = None

        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_packet)
        self.close_button.clicked.connect(self.reject)
        self._reads = BackgroundReads(self, threads=1)
        self.runner = PreviewRunner(profile, self)
        self.output = PacketOutput(profile, self.runner, messages, self.hooks, self)
        self.output.busy.connect(self._set_busy)
        self.output.exported.connect(self._exported)
        self.output.printed.connect(self._printed)
        self.output.gave_up.connect(self._choices_changed)  # the preview comes back
        self.output.problems.connect(self._show_problems)
        self.runner.working.connect(self.preview.show_working)
        self.runner.ready.connect(self._previewed)
        self.runner.stopped.connect(self.preview.show_stopped)
        self.runner.paused.connect(self._preview_paused)
        self.runner.failed.connect(self._preview_failed)
        self.preview.cancel_requested.connect(self.runner.cancel)
        self.preview.refresh_requested.connect(lambda: self._choices_changed(at_once=True))
        self.scope.case_changed.connect(self._scope_changed)
        self.scope.dates_changed.connect(self._dates_changed)
        self.sections.changed.connect(self._choices_changed)
        self.paper.changed.connect(self._paper_changed)
        self.documents.changed.connect(self._choices_changed)
        self.documents.chosen_by_hand.connect(self._documents_chosen)
        self.documents.order_reset.connect(self._documents_reordered)
        self._update_buttons()
        self._read(lambda: read_choices(profile, case_id), self._choices_read)

    def _read(self, task: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        """Read in the background; the result is dropped if the window closed meanwhile."""
        is_open = self._open

        def done(result: Any) -> None:
            if is_open:
                on_done(result)

        def failed(error: BaseException) -> None:
            if is_open:
                self._read_failed(error)

        self._reads.submit(task, done, failed, key="read")

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
        self._defaults = tuple(choice.document_id for choice in defaults)
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
        # The preview of the old choices would be shown as the new one's: it stops, quietly.
        self.runner.pause()
        self._documents_loading = True
        self._show_state()
        self.documents.set_loading(True)
        self.preview.show_working("Choosing the documents…", 0, 0)
        self._read(
            lambda: read_default_documents(profile, case_id, since, until), self._defaults_read
        )

    def _defaults_read(self, defaults: list[DocumentChoice]) -> None:
        self._documents_loading = False
        self.documents.set_loading(False)
        self._set_documents(defaults)
        self._choices_changed()

    def _documents_chosen(self) -> None:
        """A document was ticked, unticked or moved by the user."""
        self._documents_touched = True

    def _documents_reordered(self) -> None:
        """Default order: back to the defaults, unless the ticks differ from them."""
        self._documents_touched = set(self.documents.model.ticked_ids()) != set(self._defaults)

    def _paper_changed(self) -> None:
        if self._settings is not None:
            self._settings.update(packet_page_size=self.paper.page_size().value)
        self._choices_changed()

    def _choices_changed(self, *, at_once: bool = False) -> None:
        problems = self._show_state()
        if self._choices is None or self._documents_loading or self._busy:
            return
        if problems:
            self.runner.pause()
            self.preview.show_stopped("Please fix the dates to see the contents.", retry=False)
            return
        self.runner.request(self.request(), at_once=at_once)

    def _previewed(self, previewed: Previewed) -> None:
        # A result for other choices than those on screen is not this packet's contents.
        if self._documents_loading or previewed.prepared.request != self.request():
            return
        self.preview.show_prepared(previewed.prepared)

    def _preview_paused(self) -> None:
        if self._busy:  # Export or Print works the packet out itself
            self.preview.show_stopped(
                "The contents are worked out as the packet is made.", retry=False
            )

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
            case_id = self.scope.case_id()
            name = packet_file_name(self._case_title(case_id), self._profile.clock())
            self.output.export(self.request(), name)

    def print_packet(self) -> None:
        """Make the packet, ask which printer, then print it in the background (Print…)."""
        if self.is_ready() and not self._busy:
            self.output.print_packet(self.request(), self._title())

    def _exported(self, result: PacketResult) -> None:
        self.result_written = result
        self._show_status(f"Saved the packet {result.path.name}: {pages_text(result.page_count)}.")
        self.accept()

    def _printed(self, count: int) -> None:
        self.pages_printed = count
        self._show_status(f"Sent {pages_text(count)} to the printer.")
        self.accept()

    def _show_problems(self, problems: list[str]) -> None:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    def _case_title(self, case_id: int | None) -> str | None:
        if case_id is None or self._choices is None:
            return None
        return self._choices.titles.get(case_id)

    def _title(self) -> str:
        return packet_title(self._case_title(self.scope.case_id()))

    # State, errors and closing -----------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for box in (self.scope, self.sections, self.paper, self.documents):
            box.setEnabled(not busy)
        self.preview.action.setEnabled(not busy)
        self._update_buttons()

    def reject(self) -> None:
        if not self._busy:  # a write in progress finishes (or is cancelled) first
            super().reject()

    def done(self, result: int) -> None:
        # The window goes at once. A preview being worked out is cancelled and stops at its
        # next step; its worker, the reads and the temporary files end on their own after.
        if self._open:
            self._open.close()
            self.runner.close()
            outlive(self._reads, self._reads.is_busy)
        super().done(result)


def _saved_size(settings: SettingsStore | None) -> PageSize:
    value = settings.settings.packet_page_size if settings is not None else PageSize.LETTER.value
    try:
        return PageSize(value)
    except ValueError:
        return PageSize.LETTER

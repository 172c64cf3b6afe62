"""The case view's Letter tab: the appeal (or preauthorization) letter, editable, saved as a PDF.

The draft is read or written from the record on the job runner (it reads the whole log for the
care summary), so the GUI thread only shows text. Edits are kept with the case: by "Save draft",
and on their own when the tab is left or another case is shown, so no edit is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QFont, QFontMetricsF, QGuiApplication, QHideEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backlog_app.domain.appeal_letter import placeholders_in
from backlog_app.errors import UserError
from backlog_app.services.case_letters import (
    LetterAlreadySavedError,
    new_draft,
    save_letter_to_vault,
)
from backlog_app.services.context import ProfileSession
from backlog_app.services.progress import Progress
from backlog_app.ui.jobs import JobRunner
from backlog_app.ui.messages import Messages

log = logging.getLogger("backlog.ui.cases")

# The widest label of the letter's reference block; its values line up on one tab stop.
_WIDEST_LABEL = "Claim or reference number:"


class LetterTab(QWidget):
    """The letter of one case.

    Args:
        profile: the open profile.
        messages: shows confirmations and problems.
        jobs: runs drafting and saving off the GUI thread.
        show_status: a short note in the status bar.
    """

    def __init__(
        self,
        profile: ProfileSession,
        messages: Messages,
        jobs: JobRunner,
        show_status: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._messages = messages
        self._jobs = jobs
        self._show_status = show_status
        self._case_id: int | None = None
        self._baseline = ""  # the text as last saved (or drafted, when nothing was saved)
        self._loading = False
        self._has_saved = False  # the case keeps a draft (a new one would replace it)
        self._detached = False
        self._generation = 0

        intro = QLabel(
            "A draft of the letter that goes with this request, written from the case, its "
            "denial and your care summary. Edit it freely: it is kept with the case. "
            "Words in [square brackets] are blanks to fill in."
        )
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        self.missing = QLabel(self)
        self.missing.setWordWrap(True)
        self.missing.setObjectName("problems")
        self.missing.setAccessibleName("Blanks to fill in before sending")
        self.missing.hide()
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Letter text")
        self.editor.setTabChangesFocus(True)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = QFont(self.editor.font())
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.editor.setFont(font)
        self.editor.setTabStopDistance(QFontMetricsF(font).horizontalAdvance(_WIDEST_LABEL) + 16)
        self.editor.document().setDocumentMargin(10)
        self.state = QLabel(self)
        self.state.setObjectName("muted")
        self.state.setAccessibleName("Letter status")

        self.new_button = QPushButton("New draft from the record", self)
        self.new_button.setToolTip(
            "Write the letter again from the case, its latest denial, your care summary and "
            "the documents linked to the case (your edits are replaced)"
        )
        self.save_button = QPushButton("Save draft", self)
        self.save_button.setToolTip("Keep the letter as it is now with the case")
        self.pdf_button = QPushButton("Save to Documents as PDF…", self)
        self.pdf_button.setObjectName("primaryButton")
        self.pdf_button.setToolTip(
            "Add the letter to Documents as a PDF, linked to this case, ready to print, fax "
            "or upload to the insurer's portal"
        )
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.setToolTip("Copy the letter to paste it into an email or a word processor")
        for button in (self.new_button, self.save_button, self.pdf_button, self.copy_button):
            button.setAccessibleName(button.text().removesuffix("…"))

        # Two rows, so that the buttons keep their words in the case view's narrow column.
        drafting = QHBoxLayout()
        drafting.addWidget(self.state, 1)
        drafting.addWidget(self.new_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.missing)
        layout.addWidget(self.editor, 1)
        layout.addLayout(drafting)
        layout.addLayout(buttons)

        self.editor.textChanged.connect(self._text_changed)
        self.new_button.clicked.connect(self.new_draft)
        self.save_button.clicked.connect(self.save_draft)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.copy_button.clicked.connect(self.copy_text)
        self._set_enabled(False)

    # Showing a case ---------------------------------------------------------------------------

    def current_case_id(self) -> int | None:
        return self._case_id

    def show_case(self, case_id: int | None) -> None:
        """Show the letter of ``case_id``: its saved draft, else a new one from the record.

        Unsaved edits of the case shown before are saved first. Shown again, the same case keeps
        its edits; without edits its letter is read again (the record may have changed).
        """
        if self._detached:
            return
        if case_id == self._case_id and case_id is not None:
            if self._loading or self.has_unsaved_edits():
                return
            self._load(case_id, fresh=False, mode="refresh")
            return
        self.save_if_edited()
        self._case_id = case_id
        self._baseline = ""
        self._has_saved = False
        if case_id is None:
            self._generation += 1
            self._loading = False
            self._set_text("")
            self._set_enabled(False)
            self.state.clear()
            return
        self._load(case_id, fresh=False, mode="open")

    def has_unsaved_edits(self) -> bool:
        """True when the letter differs from what is kept with the case."""
        if self._case_id is None or self._loading:
            return False
        return self.editor.toPlainText().strip() != self._baseline.strip()

    def save_if_edited(self) -> bool:
        """Keep unsaved edits with the case (the tab is left, another case is shown).

        Returns:
            True when something was saved.
        """
        if self._detached or not self.has_unsaved_edits():
            return False
        assert self._case_id is not None
        try:
            self._store_draft(self._case_id, self.editor.toPlainText())
        except UserError as exc:  # the case was deleted meanwhile: nothing to keep it with
            self._show_status(f"The letter was not kept: {exc.message}")
            return False
        self._show_status("Your letter was saved with the case.")
        return True

    def detach(self) -> None:
        """Keep unsaved edits, then let go of the profile (it is about to close)."""
        self.save_if_edited()
        self._detached = True
        self._generation += 1  # a draft still being made is dropped

    def hideEvent(self, event: QHideEvent) -> None:
        if not self._detached:
            self.save_if_edited()
        super().hideEvent(event)

    def _load(self, case_id: int, *, fresh: bool, mode: str) -> None:
        """Read the case's letter in the background: its saved draft (unless ``fresh``), else a
        new draft from the record.

        ``mode``: "open" empties the editor until the letter arrives; "replace" keeps the text
        (read-only) until the new draft replaces it; "refresh" leaves the editor alone and drops
        the result if the user typed meanwhile.
        """
        self._generation += 1
        generation = self._generation
        quiet = mode == "refresh"
        before = self.editor.toPlainText()
        if not quiet:
            self._loading = True
            self._set_enabled(False)
        if mode == "open":
            self._set_text("")
            self.editor.setPlaceholderText("Preparing the letter…")
        profile = self._profile

        def job(progress: Progress) -> tuple[str, str]:
            saved = profile.cases.get(case_id).letter_draft or ""
            if saved and not fresh:
                return saved, saved
            return new_draft(profile, case_id), saved

        def done(result: tuple[str, str]) -> None:
            if generation != self._generation:
                return  # another case was asked for meanwhile
            if quiet and self.editor.toPlainText() != before:
                return  # the user started typing: their words win
            text, saved = result
            self._loading = False
            self._has_saved = bool(saved)
            # A new draft replacing a kept one is an unsaved change until it is kept.
            self._baseline = saved or text
            if self.editor.toPlainText() != text:
                self._set_text(text)
            self._set_enabled(True)
            self._update_state()

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._loading = False
            self.editor.setPlaceholderText("")
            if isinstance(exc, UserError):
                self._set_enabled(self.editor.toPlainText() != "")
                if not quiet:  # a refresh of a case deleted meanwhile: the case view says so
                    self._messages.problem("The letter could not be drafted", exc.message)
            else:
                raise exc

        self._jobs.run("Preparing the letter…", job, done, raise_errors=failed, show_progress=False)

    # Actions ------------------------------------------------------------------------------------

    def new_draft(self) -> None:
        """Replace the letter with a new draft from the record (after asking, if it was edited)."""
        if self._case_id is None or self._loading:
            return
        edited = self.has_unsaved_edits() or self._has_saved
        if edited and not self._messages.confirm(
            "New draft from the record",
            "Replace this letter with a new draft written from the record? "
            "The changes you made to the letter will be lost.",
            "Replace the letter",
        ):
            return
        self._load(self._case_id, fresh=True, mode="replace")

    def save_draft(self) -> None:
        if self._case_id is None or self._loading:
            return
        try:
            self._store_draft(self._case_id, self.editor.toPlainText())
        except UserError as exc:
            self._messages.problem("The letter was not saved", exc.message)
            return
        self._show_status("Letter saved with the case.")

    def save_pdf(self) -> None:
        """Ask, then add the letter to Documents as a PDF linked to the case (in the background)."""
        case_id = self._case_id
        text = self.editor.toPlainText().strip()
        if case_id is None or self._loading:
            return
        if not text:
            self._messages.problem(
                "The letter is empty", "Make a new draft from the record, then save it."
            )
            return
        question = (
            "BackLog will add this letter to Documents as a PDF, linked to this case, and keep "
            "the text with the case."
        )
        blanks = placeholders_in(text)
        if blanks:
            question += (
                f"\n\nIt still has blanks: {', '.join(blanks)}. You can fill them in by hand on "
                "the printout, or cancel and fill them in here first."
            )
        if not self._messages.confirm("Save the letter as a PDF", question, "Save as PDF"):
            return
        profile = self._profile

        def job(progress: Progress) -> tuple[int, str]:
            document_id = save_letter_to_vault(profile, case_id, text, progress)
            return document_id, profile.documents.get(document_id).data.title

        def done(result: tuple[int, str]) -> None:
            _, title = result
            if self._case_id == case_id:
                self._kept(text)
            self._show_status(f"Saved “{title}” to Documents, linked to this case.")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, LetterAlreadySavedError):
                if self._case_id == case_id:
                    self._kept(text)
                self._messages.info("Already in Documents", exc.message)
            elif isinstance(exc, UserError):
                self._messages.problem("The letter was not saved", exc.message)
            else:
                raise exc

        self._jobs.run("Saving the letter as a PDF…", job, done, raise_errors=failed)

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.editor.toPlainText())
        self._show_status("Letter copied: paste it into an email or a word processor.")

    # Helpers -------------------------------------------------------------------------------------

    def _store_draft(self, case_id: int, text: str) -> None:
        self._profile.cases.set_letter_draft(case_id, text)
        if case_id == self._case_id:
            self._kept(text)

    def _kept(self, text: str) -> None:
        self._baseline = text
        self._has_saved = True
        self._update_state()

    def _set_text(self, text: str) -> None:
        self.editor.setPlainText(text)
        self._text_changed()

    def _set_enabled(self, enabled: bool) -> None:
        self.editor.setReadOnly(not enabled)
        for button in (self.new_button, self.save_button, self.pdf_button, self.copy_button):
            button.setEnabled(enabled)

    def _text_changed(self) -> None:
        blanks = placeholders_in(self.editor.toPlainText())
        if blanks:
            self.missing.setText(f"Fill in before sending: {', '.join(blanks)}")
        self.missing.setVisible(bool(blanks))
        self._update_state()

    def _update_state(self) -> None:
        if self._case_id is None or self._loading:
            self.state.clear()
        elif self.has_unsaved_edits():
            self.state.setText("Changes not saved yet (they are kept when you leave this tab)")
        elif self._has_saved:
            self.state.setText("Saved with the case")
        else:
            self.state.setText("Drafted from the record")


__all__ = ["LetterTab"]

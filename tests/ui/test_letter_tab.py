"""The case view's Letter tab: drafting in the background, editing, keeping edits, saving a PDF."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from backlog_app.domain.cases import CaseData, Procedure
from backlog_app.domain.documents import DocumentKind, LinkTarget
from backlog_app.errors import UserError
from backlog_app.services.context import ProfileSession
from backlog_app.services.documents import DocumentFilter
from backlog_app.ui.cases.letter_tab import LetterTab
from backlog_app.ui.jobs import JobRunner
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages
from tests.unit.services.test_case_letters import QUOTE, add_denied_case


@dataclass
class Harness:
    tab: LetterTab
    jobs: JobRunner
    statuses: list[str] = field(default_factory=list)
    bugs: list[BaseException] = field(default_factory=list)

    def show(self, qtbot: QtBot, case_id: int) -> None:
        self.tab.show_case(case_id)
        qtbot.waitUntil(
            lambda: self.tab.editor.toPlainText() != "" and self.tab.new_button.isEnabled()
        )

    def text(self) -> str:
        return self.tab.editor.toPlainText()


@pytest.fixture
def harness(
    qtbot: QtBot, demo_profile: ProfileSession, messages: RecordingMessages
) -> Iterator[Harness]:
    parent = QWidget()
    qtbot.addWidget(parent)
    bugs: list[BaseException] = []
    jobs = JobRunner(parent, lambda exc: messages.problem("BackLog", exc.message), bugs.append)
    statuses: list[str] = []
    tab = LetterTab(demo_profile, messages, jobs, statuses.append)
    qtbot.addWidget(tab)
    tab.resize(900, 700)
    tab.show()
    qtbot.waitExposed(tab)
    yield Harness(tab, jobs, statuses, bugs)
    jobs.wait_for_all()
    tab.detach()  # as the case view does before the profile closes
    assert bugs == []


@pytest.fixture
def case_id(demo_profile: ProfileSession) -> int:
    return add_denied_case(demo_profile)


def type_at_end(qtbot: QtBot, harness: Harness, words: str) -> None:
    harness.tab.editor.setFocus()
    harness.tab.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(harness.tab.editor, words)


def test_the_letter_draft_contains_the_cases_reference_numbers(
    qtbot: QtBot, harness: Harness, case_id: int
) -> None:
    harness.show(qtbot, case_id)
    text = harness.text()
    for number in ("PA-2026-0042", "CLM-55120", "UM-88412", "DN-4471", "63030", "M51.16"):
        assert number in text
    assert QUOTE in text
    assert harness.tab.missing.isVisible()
    assert harness.tab.missing.text() == "Fill in before sending: enclosures"
    assert harness.tab.state.text() == "Drafted from the record"
    assert not harness.tab.has_unsaved_edits()
    assert unnamed_controls(harness.tab) == []


def test_the_blank_list_follows_the_typing(qtbot: QtBot, harness: Harness, case_id: int) -> None:
    harness.show(qtbot, case_id)
    harness.tab.editor.setPlainText(harness.text().replace("1. [enclosures]", "1. Denial letter"))
    assert not harness.tab.missing.isVisible()
    type_at_end(qtbot, harness, "[member ID]")
    assert harness.tab.missing.text() == "Fill in before sending: member ID"


def test_typing_into_the_editor_and_saving_persists(
    qtbot: QtBot, harness: Harness, demo_profile: ProfileSession, case_id: int
) -> None:
    harness.show(qtbot, case_id)
    type_at_end(qtbot, harness, "P.S. I can send more notes.")
    assert harness.tab.has_unsaved_edits()
    assert harness.tab.state.text().startswith("Changes not saved yet")
    started = time.perf_counter()
    qtbot.mouseClick(harness.tab.save_button, Qt.MouseButton.LeftButton)
    elapsed = time.perf_counter() - started
    saved = demo_profile.cases.get(case_id).letter_draft
    assert saved is not None and saved.endswith("P.S. I can send more notes.")
    assert not harness.tab.has_unsaved_edits()
    assert harness.tab.state.text() == "Saved with the case"
    assert harness.statuses[-1] == "Letter saved with the case."
    assert elapsed < 0.1  # one small write on the GUI thread

    # Shown again (the case view re-reads after a change), the kept text comes back.
    harness.tab.show_case(case_id)
    qtbot.waitUntil(lambda: harness.tab.new_button.isEnabled())
    assert harness.text() == saved


def test_edits_are_kept_when_the_tab_is_left_or_another_case_is_shown(
    qtbot: QtBot, harness: Harness, demo_profile: ProfileSession, case_id: int
) -> None:
    harness.show(qtbot, case_id)
    type_at_end(qtbot, harness, "First edit.")
    harness.tab.hide()
    kept = demo_profile.cases.get(case_id).letter_draft
    assert kept is not None and kept.endswith("First edit.")
    assert harness.statuses[-1] == "Your letter was saved with the case."

    harness.tab.show()
    other = demo_profile.cases.add(CaseData(Procedure.LUMBAR_MRI))
    type_at_end(qtbot, harness, " Second edit.")
    harness.tab.show_case(other)
    kept = demo_profile.cases.get(case_id).letter_draft
    assert kept is not None and kept.endswith("First edit. Second edit.")
    qtbot.waitUntil(lambda: "Lumbar MRI" in harness.text() and harness.tab.new_button.isEnabled())
    assert demo_profile.cases.get(other).letter_draft is None  # a new draft is not stored

    harness.tab.show_case(case_id)
    qtbot.waitUntil(lambda: harness.text().endswith("First edit. Second edit."))
    assert harness.tab.state.text() == "Saved with the case"


def test_a_new_draft_asks_before_replacing_the_letter(
    qtbot: QtBot,
    harness: Harness,
    messages: RecordingMessages,
    demo_profile: ProfileSession,
    case_id: int,
) -> None:
    harness.show(qtbot, case_id)
    fresh = harness.text()
    qtbot.mouseClick(harness.tab.new_button, Qt.MouseButton.LeftButton)
    assert messages.kinds() == []  # nothing to lose: no question
    qtbot.waitUntil(lambda: harness.tab.new_button.isEnabled())

    type_at_end(qtbot, harness, "Mine.")
    messages.confirm_answer = False
    qtbot.mouseClick(harness.tab.new_button, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][:2] == ("confirm", "New draft from the record")
    assert harness.text().endswith("Mine.")

    messages.confirm_answer = True
    qtbot.mouseClick(harness.tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: harness.text() == fresh)
    assert not harness.tab.has_unsaved_edits()

    # With a kept draft, the new one is an unsaved change until it is kept.
    demo_profile.cases.set_letter_draft(case_id, "Kept words.")
    harness.tab.show_case(case_id)
    qtbot.waitUntil(lambda: harness.text() == "Kept words.")
    qtbot.mouseClick(harness.tab.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: harness.text() == fresh)
    assert harness.tab.has_unsaved_edits()


def test_saving_to_documents_makes_a_pdf_linked_to_the_case(
    qtbot: QtBot,
    harness: Harness,
    messages: RecordingMessages,
    demo_profile: ProfileSession,
    case_id: int,
) -> None:
    harness.show(qtbot, case_id)
    type_at_end(qtbot, harness, "P.S. Thank you.")
    qtbot.mouseClick(harness.tab.pdf_button, Qt.MouseButton.LeftButton)
    kind, title, text = messages.shown[-1]
    assert (kind, title) == ("confirm", "Save the letter as a PDF")
    assert "It still has blanks: enclosures." in text
    qtbot.waitUntil(lambda: bool(harness.statuses) and "to Documents" in harness.statuses[-1])
    assert harness.statuses[-1] == (
        "Saved “Appeal letter — Microdiscectomy — L4-L5 left — 27 Nov 2026” to Documents, "
        "linked to this case."
    )
    rows = demo_profile.documents.list(DocumentFilter(link=(LinkTarget.CASE, case_id)))
    assert len(rows) == 1
    assert rows[0].info.data.kind is DocumentKind.APPEAL_LETTER
    saved = demo_profile.cases.get(case_id).letter_draft
    assert saved is not None and saved.endswith("P.S. Thank you.")
    assert not harness.tab.has_unsaved_edits()

    qtbot.mouseClick(harness.tab.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: messages.kinds()[-1] == "info")
    assert messages.shown[-1][1] == "Already in Documents"
    assert "already in Documents as “Appeal letter — Microdiscectomy" in messages.shown[-1][2]
    assert len(demo_profile.documents.list(DocumentFilter(link=(LinkTarget.CASE, case_id)))) == 1


def test_saving_can_be_called_off(
    qtbot: QtBot,
    harness: Harness,
    messages: RecordingMessages,
    demo_profile: ProfileSession,
    case_id: int,
) -> None:
    harness.show(qtbot, case_id)
    count = demo_profile.documents.count()
    messages.confirm_answer = False
    qtbot.mouseClick(harness.tab.pdf_button, Qt.MouseButton.LeftButton)
    harness.jobs.wait_for_all()
    assert demo_profile.documents.count() == count

    harness.tab.editor.setPlainText("   ")
    qtbot.mouseClick(harness.tab.pdf_button, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][:2] == ("problem", "The letter is empty")


def test_copy_puts_the_letter_on_the_clipboard(
    qtbot: QtBot, harness: Harness, case_id: int
) -> None:
    harness.show(qtbot, case_id)
    qtbot.mouseClick(harness.tab.copy_button, Qt.MouseButton.LeftButton)
    clipboard = QGuiApplication.clipboard()
    assert clipboard is not None and clipboard.text() == harness.text()
    assert harness.statuses[-1].startswith("Letter copied")


def test_a_case_deleted_meanwhile_is_a_plain_message(
    qtbot: QtBot,
    harness: Harness,
    messages: RecordingMessages,
    demo_profile: ProfileSession,
    case_id: int,
) -> None:
    harness.show(qtbot, case_id)
    type_at_end(qtbot, harness, "More.")
    demo_profile.cases.delete(case_id)
    qtbot.mouseClick(harness.tab.save_button, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][:2] == ("problem", "The letter was not saved")
    assert "no longer exists" in messages.shown[-1][2]
    harness.tab.hide()  # leaving does not fail either
    assert "no longer exists" in harness.statuses[-1]
    with pytest.raises(UserError):
        demo_profile.cases.get(case_id)


def test_no_case_shows_an_empty_disabled_tab(qtbot: QtBot, harness: Harness, case_id: int) -> None:
    harness.show(qtbot, case_id)
    harness.tab.show_case(None)
    assert harness.text() == ""
    assert not harness.tab.pdf_button.isEnabled()
    assert harness.tab.editor.isReadOnly()
    assert not harness.tab.has_unsaved_edits()


def test_detaching_keeps_the_edits_and_lets_go_of_the_profile(
    qtbot: QtBot, harness: Harness, demo_profile: ProfileSession, case_id: int
) -> None:
    harness.show(qtbot, case_id)
    type_at_end(qtbot, harness, "Last words.")
    harness.tab.detach()
    kept = demo_profile.cases.get(case_id).letter_draft
    assert kept is not None and kept.endswith("Last words.")
    type_at_end(qtbot, harness, " After closing.")
    harness.tab.hide()  # the profile may be closed by now: nothing is written
    assert demo_profile.cases.get(case_id).letter_draft == kept
    harness.tab.show_case(None)
    assert harness.text().endswith("After closing.")


def test_a_refresh_after_a_change_elsewhere_never_overwrites_typing(
    qtbot: QtBot, harness: Harness, demo_profile: ProfileSession, case_id: int
) -> None:
    harness.show(qtbot, case_id)
    detail = demo_profile.cases.get(case_id)
    demo_profile.cases.update(case_id, replace(detail.data, reference_number="UM-NEW-1"))
    harness.tab.show_case(case_id)  # the case view re-reads after the change...
    harness.tab.editor.moveCursor(QTextCursor.MoveOperation.End)
    harness.tab.editor.insertPlainText("Typed meanwhile.")  # ...while the user types
    harness.jobs.wait_for_all()
    qtbot.wait(100)
    assert harness.text().endswith("Typed meanwhile.")
    assert "UM-NEW-1" not in harness.text()
    assert harness.tab.has_unsaved_edits()

    harness.tab.save_draft()
    harness.tab.show_case(case_id)  # kept drafts are not rewritten by record changes
    harness.jobs.wait_for_all()
    qtbot.wait(100)
    assert harness.text().endswith("Typed meanwhile.")

    demo_profile.cases.set_letter_draft(case_id, None)
    harness.tab.show_case(case_id)  # without a kept draft or edits, a refresh shows the change
    qtbot.waitUntil(lambda: "UM-NEW-1" in harness.text())
    assert not harness.tab.has_unsaved_edits()

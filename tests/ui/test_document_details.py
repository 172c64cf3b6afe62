"""The document details panel: inline editing, plain problems, file facts, suggestions, links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QListWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from backlog_app.domain.costs import CostKind
from backlog_app.domain.documents import (
    DocumentData,
    DocumentKind,
    LinkTarget,
    TextStatus,
)
from backlog_app.services.context import ProfileSession
from backlog_app.ui.documents.details import DocumentDetails
from backlog_app.ui.documents.link_picker import cost_link_choices
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.page_keys import PAGE_DOCUMENTS
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens
from tests.ui.document_samples import make_pdf

OKAFOR = 2  # Dr. Samuel Okafor, spine surgeon, in the demo's directory
DENIAL_TEXT = (
    "Buckeye Mutual Health\nDate: March 4, 2026\nRe: lumbar fusion, NPI 1305872644\n"
    "Your request for a lumbar fusion has been denied as not medically necessary."
)


@pytest.fixture
def details(
    qtbot: QtBot, window: MainWindow, messages: RecordingMessages
) -> Iterator[DocumentDetails]:
    holder = QWidget()
    qtbot.addWidget(holder)
    panel = DocumentDetails(window.profile, window.jobs, messages, holder)
    QVBoxLayout(holder).addWidget(panel)
    holder.resize(460, 900)
    holder.show()
    qtbot.waitExposed(holder)
    yield panel
    panel.detach()


def add_pdf(
    profile: ProfileSession,
    folder: Path,
    name: str,
    *,
    data: DocumentData | None = None,
    text: str | None = None,
) -> int:
    folder.mkdir(exist_ok=True)
    document_id = profile.importer.add(make_pdf(folder / name, ["Letter", "Page two"]), data)
    if text is not None:
        profile.documents.set_text(document_id, text, TextStatus.EMBEDDED)
    return document_id


def test_nothing_chosen_shows_a_hint(details: DocumentDetails) -> None:
    assert details.pages.currentWidget() is details.empty
    assert details.empty.text() == "Choose a document to see and change its details."


def test_the_file_facts_are_shown_and_the_name_is_shown_safely(
    details: DocumentDetails, window: MainWindow, tmp_path: Path
) -> None:
    sneaky = "invoice\u202efdp.exe 🙂.pdf"  # a right-to-left override hiding the real name
    document_id = add_pdf(window.profile, tmp_path / "files", sneaky)
    details.set_document(document_id)
    facts = details.facts_box
    assert facts.file_name.full_text() == "invoice\\u202efdp.exe 🙂.pdf"
    assert "\u202e" not in facts.file_name.text()
    assert facts.file_type.text() == "PDF"
    assert facts.page_count.text() == "2"
    assert facts.file_size.text().endswith("KB")
    assert facts.text_status.text() in (
        TextStatus.PENDING.label,
        TextStatus.EMBEDDED.label,
    )  # the background reader may have got to it already
    assert not facts.notes.isVisible()
    assert details.title.text() == "invoice\u202efdp.exe 🙂".replace("\u202e", "")
    assert not details.save_button.isEnabled()
    assert not details.revert_button.isEnabled()
    assert unnamed_controls(details) == []


# The completer's popup asks the offscreen platform to raise it and grab the keyboard, which it
# cannot; these are the platform's notes, not ours.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_typed_changes_are_saved_with_ctrl_s(
    qtbot: QtBot, details: DocumentDetails, window: MainWindow, tmp_path: Path
) -> None:
    profile = window.profile
    profile.documents.update(
        add_pdf(profile, tmp_path / "files", "one.pdf"),
        DocumentData(kind=DocumentKind.OTHER, title="one", tags=("lumbar",)),
    )
    document_id = add_pdf(profile, tmp_path / "files", "scan0001.pdf")
    details.set_document(document_id)
    details.title.selectAll()
    qtbot.keyClicks(details.title, "MRI report")
    assert details.save_button.isEnabled() and details.revert_button.isEnabled()
    details.kind.set_value(DocumentKind.IMAGING_REPORT)
    details.document_date.set_date(dt.date(2026, 3, 4))
    details.provider.set_value(OKAFOR)
    qtbot.keyClicks(details.tags, "MRI, lum")
    popup = details.tags.completer_popup.popup()
    assert popup is not None and popup.isVisible()
    details.tags.insert_tag(details.tags.completer_popup.currentCompletion())
    assert details.tags.text() == "MRI, lumbar, "
    qtbot.keyClicks(details.notes, "Ordered by Dr. Okafor")
    holder = details.window()
    holder.activateWindow()
    qtbot.waitActive(holder)
    details.notes.setFocus()
    qtbot.keyClick(details.notes, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = profile.documents.get(document_id).data
    assert saved == DocumentData(
        kind=DocumentKind.IMAGING_REPORT,
        title="MRI report",
        document_date=dt.date(2026, 3, 4),
        provider_id=OKAFOR,
        notes="Ordered by Dr. Okafor",
        tags=("MRI", "lumbar"),
    )
    assert details.saved_note.text() == "Saved."
    assert not details.save_button.isEnabled()


def test_problems_are_shown_in_plain_words_and_nothing_is_saved(
    qtbot: QtBot, details: DocumentDetails, window: MainWindow, tmp_path: Path
) -> None:
    profile = window.profile
    document_id = add_pdf(profile, tmp_path / "files", "letter.pdf")
    details.set_document(document_id)
    details.title.clear()
    details.document_date.set_date(dt.date(2027, 1, 5))
    qtbot.mouseClick(details.save_button, Qt.MouseButton.LeftButton)
    assert details.problems.isVisible()
    assert details.problems.text().splitlines() == [
        "Please fix this before saving:",
        "• Give the document a title, for example “MRI lumbar spine report”.",
        "• The document date January 5, 2027 is in the future; use the date printed on the "
        "document.",
    ]
    assert profile.documents.get(document_id).data.title == "letter"
    qtbot.mouseClick(details.revert_button, Qt.MouseButton.LeftButton)
    assert details.title.text() == "letter"
    assert details.document_date.date_value() is None
    assert not details.problems.isVisible()
    assert not details.save_button.isEnabled()


def test_moving_to_another_document_keeps_valid_changes_and_reports_invalid_ones(
    qtbot: QtBot,
    details: DocumentDetails,
    window: MainWindow,
    messages: RecordingMessages,
    tmp_path: Path,
) -> None:
    profile = window.profile
    first = add_pdf(profile, tmp_path / "files", "first.pdf")
    second = add_pdf(profile, tmp_path / "files", "second.pdf")
    details.set_document(first)
    qtbot.keyClicks(details.notes, "Keep this")
    details.set_document(second)
    assert profile.documents.get(first).data.notes == "Keep this"
    assert messages.shown == []
    details.title.clear()
    details.set_document(first)
    assert profile.documents.get(second).data.title == "second"
    assert messages.shown[-1] == (
        "problem",
        "Changes not saved",
        "Your changes to “second” were not saved: Give the document a title, for example "
        "“MRI lumbar spine report”.",
    )
    assert details.title.text() == "first"


def test_a_refresh_of_the_same_document_keeps_what_is_being_typed(
    qtbot: QtBot, details: DocumentDetails, window: MainWindow, tmp_path: Path
) -> None:
    profile = window.profile
    document_id = add_pdf(profile, tmp_path / "files", "letter.pdf")
    details.set_document(document_id)
    qtbot.keyClick(details.title, Qt.Key.Key_End)
    qtbot.keyClicks(details.title, " from the insurer")
    profile.documents.set_text(document_id, "Plain words", TextStatus.EMBEDDED)
    qtbot.waitUntil(lambda: details.facts_box.text_status.text() == TextStatus.EMBEDDED.label)
    assert details.title.text() == "letter from the insurer"
    details.set_document(document_id)  # the page asks again: still nothing lost
    assert details.title.text() == "letter from the insurer"
    assert details.save_button.isEnabled()


def test_a_suggestion_is_offered_and_applied_only_when_the_user_says_so(
    qtbot: QtBot, details: DocumentDetails, window: MainWindow, tmp_path: Path
) -> None:
    profile = window.profile
    document_id = add_pdf(profile, tmp_path / "files", "scan0002.pdf", text=DENIAL_TEXT)
    details.set_document(document_id)
    qtbot.waitUntil(lambda: details.suggestion.isVisible())
    assert details.suggestion.message.text() == (
        "BackLog thinks this is a Denial letter dated March\u00a04,\u00a02026 from Dr. Samuel Okafor "
        "(found “has been denied”; labelled “Date”; found NPI 1305872644)."
    )
    assert profile.documents.get(document_id).data.kind is DocumentKind.OTHER  # not applied yet
    qtbot.mouseClick(details.suggestion.use_button, Qt.MouseButton.LeftButton)
    saved = profile.documents.get(document_id).data
    assert (saved.kind, saved.document_date, saved.provider_id) == (
        DocumentKind.DENIAL_LETTER,
        dt.date(2026, 3, 4),
        OKAFOR,
    )
    assert saved.title == "scan0002"  # what the user typed is left alone
    assert not details.suggestion.isVisible()
    assert details.saved_note.text() == "Saved the suggested details."


def test_only_what_the_user_has_not_set_is_suggested_and_dismiss_changes_nothing(
    qtbot: QtBot, details: DocumentDetails, window: MainWindow, tmp_path: Path
) -> None:
    profile = window.profile
    data = DocumentData(kind=DocumentKind.APPEAL_LETTER, title="My appeal", provider_id=OKAFOR)
    document_id = add_pdf(profile, tmp_path / "files", "appeal.pdf", data=data, text=DENIAL_TEXT)
    details.set_document(document_id)
    qtbot.waitUntil(lambda: details.suggestion.isVisible())
    assert details.suggestion.message.text() == (
        "BackLog thinks this document is dated March\u00a04,\u00a02026 (labelled “Date”)."
    )
    qtbot.mouseClick(details.suggestion.dismiss_button, Qt.MouseButton.LeftButton)
    assert not details.suggestion.isVisible()
    assert profile.documents.get(document_id).data == data
    details.set_document(None)
    details.set_document(document_id)
    qtbot.wait(50)
    assert not details.suggestion.isVisible()  # dismissed stays dismissed


def test_links_to_log_entries_are_added_and_removed(
    qtbot: QtBot, details: DocumentDetails, window: MainWindow, tmp_path: Path
) -> None:
    profile = window.profile
    treatment = max(profile.log.treatments.list(), key=lambda stored: stored.data.day)
    data = DocumentData(kind=DocumentKind.BILL, title="Bill", document_date=treatment.data.day)
    document_id = add_pdf(profile, tmp_path / "files", "bill.pdf", data=data)
    details.set_document(document_id)
    links = details.links_box
    assert links.no_links.isVisible() and not links.unlink_button.isEnabled()
    picked: dict[str, object] = {}

    def pick(dialog: QDialog) -> None:
        entries = dialog.findChild(QListWidget)
        assert entries is not None
        picked["preselected"] = entries.currentItem().text().strip()  # the same day as the bill
        picked["unnamed"] = unnamed_controls(dialog)
        qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]

    when_dialog_opens(qtbot, pick)
    qtbot.mouseClick(links.link_button, Qt.MouseButton.LeftButton)
    assert picked["unnamed"] == []
    info = profile.documents.get(document_id)
    assert [(link.target, link.target_id) for link in info.links] == [
        (LinkTarget.TREATMENT, treatment.id)
    ]
    assert str(picked["preselected"]).startswith(f"{treatment.data.day.day} ")
    assert links.links.count() == 1 and not links.no_links.isVisible()
    links.links.setCurrentRow(0)
    qtbot.mouseClick(links.unlink_button, Qt.MouseButton.LeftButton)
    assert profile.documents.get(document_id).links == ()
    assert links.no_links.isVisible()


def test_the_link_picker_narrows_the_list_as_the_user_types(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from backlog_app.ui.documents.link_picker import LinkPickerDialog

    dialog = LinkPickerDialog(window.profile, set(), None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    visible = lambda: [  # noqa: E731
        dialog.entries.item(row).text().strip()
        for row in range(dialog.entries.count())
        if not dialog.entries.item(row).isHidden()
    ]
    assert "Medications" in visible() and "Therapy courses" in visible()
    assert not dialog.link_button.isEnabled()  # no date to choose by: the user picks
    qtbot.keyClicks(dialog.search, "gabapentin")
    lines = visible()
    assert lines[0] == "Medications"
    headers = {"Medications", "Costs and bills"}  # the demo also has a gabapentin bill
    assert all("gabapentin" in line.casefold() for line in lines if line not in headers)
    assert dialog.link_button.isEnabled()
    qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.chosen is not None and dialog.chosen[0] is LinkTarget.MEDICATION


def test_a_cost_link_is_named_as_the_picker_named_it(
    qtbot: QtBot, details: DocumentDetails, window: MainWindow, tmp_path: Path
) -> None:
    # One label for a bill, in the picker and in the document's list of links.
    profile = window.profile
    bill = next(
        c for c in profile.costs.costs() if c.data.kind is CostKind.BILL and c.data.provider_id
    )
    data = DocumentData(kind=DocumentKind.BILL, title="Bill", document_date=bill.data.day)
    document_id = add_pdf(profile, tmp_path / "files", "bill.pdf", data=data)
    details.set_document(document_id)
    (choice,) = [c for c in cost_link_choices(profile) if c.target_id == bill.id]
    provider = profile.providers.get(bill.data.provider_id or 0).data.name
    assert provider in choice.label and bill.data.kind.label in choice.label
    profile.documents.link(document_id, LinkTarget.COST, bill.id)
    details.set_document(document_id)
    assert details.links_box.links.item(0).text() == choice.label


def test_the_link_picker_reads_cost_entries_without_loading_them_whole(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The picker lists thousands of bills on the GUI thread: one narrow query, no full entries.
    profile = window.profile
    expected = [(c.id, c.data.day) for c in profile.costs.costs()]  # newest first

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the link picker loaded whole cost entries")

    monkeypatch.setattr(type(profile.costs), "costs", refuse)
    monkeypatch.setattr(type(profile.costs), "list", refuse)
    choices = cost_link_choices(profile)
    assert [(c.target_id, c.day) for c in choices] == expected
    assert all(c.target is LinkTarget.COST and c.label for c in choices)


def test_details_typed_on_the_documents_page_are_kept_when_the_window_closes(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    profile = window.profile
    document_id = add_pdf(profile, tmp_path / "files", "letter.pdf")
    window.show_page(PAGE_DOCUMENTS)
    panel = window.documents_page.details
    panel.set_document(document_id)
    qtbot.keyClicks(panel.notes, "Call the insurer on Monday")
    window.close()
    assert profile.documents.get(document_id).data.notes == "Call the insurer on Monday"

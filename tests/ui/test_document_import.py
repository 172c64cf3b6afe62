"""Adding documents from the GUI: file dialog, drag and drop, passwords, one summary, scan inbox."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from backlog_app.domain.documents import DocumentKind, FileType
from backlog_app.services.context import ProfileSession
from backlog_app.services.progress import Progress
from backlog_app.settings import SettingsStore
from backlog_app.ui.documents.import_flow import (
    FILE_FILTER,
    WRONG_PASSWORD,
    _add_each,
    import_summary,
)
from backlog_app.ui.documents.inbox import (
    InboxWatcher,
    ScanInboxDialog,
    inbox_folder_problem,
)
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.messages import REMEMBER_PASSWORD_TEXT, Messages, PasswordAnswer
from backlog_app.ui.page_keys import PAGE_PROFILE
from tests.ui.accessibility import unnamed_controls
from tests.ui.conftest import RecordingMessages, when_dialog_opens
from tests.ui.document_samples import make_locked_pdf, make_pdf, make_photo


def titles(profile: ProfileSession) -> set[str]:
    return {row.info.data.title for row in profile.documents.list()}


def wait_for_import(qtbot: QtBot, window: MainWindow, before: int, added: int) -> None:
    profile = window.profile
    qtbot.waitUntil(
        lambda: profile.documents.count() == before + added and not window.jobs.is_busy()
    )


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "to-add"
    folder.mkdir()
    return folder


def test_files_are_added_in_the_background_and_the_status_bar_says_so(
    qtbot: QtBot, window: MainWindow, files: Path, messages: RecordingMessages
) -> None:
    profile = window.profile
    before = profile.documents.count()
    paths = [
        make_pdf(files / "2026-03-04_MRI-report.pdf", ["MRI lumbar spine", "Impression"]),
        make_pdf(files / "denial letter.pdf", ["Your request has been denied"]),
        make_photo(files / "card front.jpg"),
    ]
    window.add_documents(paths)
    wait_for_import(qtbot, window, before, 3)
    assert {"2026 03 04 MRI report", "denial letter", "card front"} <= titles(profile)
    added = {row.info.data.title: row.info for row in profile.documents.list()}
    assert added["card front"].file.file_type is FileType.JPEG
    assert added["2026 03 04 MRI report"].file.page_count == 2
    assert added["denial letter"].data.kind is DocumentKind.OTHER
    assert window.statusBar().currentMessage().startswith("3 documents added.")
    assert messages.shown == []  # nothing went wrong: no dialog to click away


def test_file_menu_opens_a_multi_file_dialog_for_documents(
    qtbot: QtBot,
    window: MainWindow,
    files: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    answer: list[str] = []

    def fake_dialog(parent, caption, folder, filters):  # type: ignore[no-untyped-def]
        asked.append(filters)
        return answer, filters

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake_dialog)
    before = window.profile.documents.count()
    qtbot.keyClick(
        window,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert asked == [FILE_FILTER]  # the user cancelled: nothing happens
    assert not window.jobs.is_busy()
    answer.append(str(make_pdf(files / "referral.pdf", ["Referral"])))
    qtbot.keyClick(
        window,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    wait_for_import(qtbot, window, before, 1)
    assert "referral" in titles(window.profile)


def test_one_summary_names_each_file_that_was_not_added(
    qtbot: QtBot, window: MainWindow, files: Path, messages: RecordingMessages
) -> None:
    profile = window.profile
    good = make_pdf(files / "good.pdf", ["Plain letter"])
    copy = files / "copy of good.pdf"
    shutil.copyfile(good, copy)
    word = files / "notes.docx"
    word.write_bytes(b"PK\x03\x04" + b"\x00" * 2000)
    empty = files / "empty.pdf"
    empty.touch()
    renamed = make_photo(files / "photo.jpg").rename(files / "photo.pdf")
    before = profile.documents.count()
    window.add_documents([good, copy, word, empty, renamed, files])
    qtbot.waitUntil(lambda: bool(messages.shown))
    kind, title, text = messages.shown[-1]
    assert (kind, title) == ("problem", "Adding documents")
    lines = text.splitlines()
    assert lines[0] == "1 document added."
    assert "1 was already in your documents:" in lines
    assert "• “copy of good.pdf” is already in your documents as “good”." in lines
    assert "4 were not added:" in lines
    assert any(line.startswith("• “notes.docx”: it is not a PDF") for line in lines)
    assert any(line.startswith("• “empty.pdf”: the file is empty") for line in lines)
    assert any(
        line.startswith("• “photo.pdf”: its name says PDF but it is really") for line in lines
    )
    assert any(line.startswith("• “to-add”: it is a folder.") for line in lines)
    assert profile.documents.count() == before + 1


def test_a_single_refused_file_gets_its_own_sentence(
    qtbot: QtBot, window: MainWindow, files: Path, messages: RecordingMessages
) -> None:
    word = files / "letter.docx"
    word.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    window.add_documents([word])
    qtbot.waitUntil(lambda: bool(messages.shown))
    assert messages.shown[-1][2].startswith("“letter.docx” was not added: it is not a PDF")


def test_a_locked_pdf_is_asked_for_again_after_a_wrong_password(
    qtbot: QtBot, window: MainWindow, files: Path, messages: RecordingMessages
) -> None:
    profile = window.profile
    locked = make_locked_pdf(files / "statement.pdf", ["Explanation of Benefits"], "s3cret")
    plain = make_pdf(files / "plain.pdf", ["Plain"])
    messages.passwords = [PasswordAnswer("wrong"), PasswordAnswer("s3cret", remember=True)]
    before = profile.documents.count()
    window.add_documents([locked, plain])
    wait_for_import(qtbot, window, before, 2)
    asked = [text for kind, _, text in messages.shown if kind == "password"]
    assert len(asked) == 2
    assert asked[0].startswith("“statement.pdf” is protected with a password.")
    assert asked[1].endswith(WRONG_PASSWORD)
    added = next(row.info for row in profile.documents.list() if row.info.data.title == "statement")
    assert added.file.needs_password
    assert profile.documents.saved_password(added.id) == "s3cret"
    assert window.statusBar().currentMessage().startswith("2 documents added.")


def test_skipping_a_locked_pdf_adds_nothing_and_says_so(
    qtbot: QtBot, window: MainWindow, files: Path, messages: RecordingMessages
) -> None:
    locked = make_locked_pdf(files / "bill.pdf", ["Bill"], "pw")
    messages.passwords = [None]
    before = window.profile.documents.count()
    window.add_documents([locked])
    qtbot.waitUntil(lambda: messages.kinds()[-1:] == ["problem"])
    assert messages.shown[-1][2] == "“bill.pdf” was not added: it needs its password."
    assert window.profile.documents.count() == before


def test_the_password_prompt_is_typed_into_like_any_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    real = Messages(window)
    seen: dict[str, object] = {}

    def answer(dialog: QDialog) -> None:
        field = dialog.findChild(QLineEdit)
        assert field is not None and field.echoMode() is QLineEdit.EchoMode.Password
        seen["accept_enabled_when_empty"] = dialog.accept_button.isEnabled()  # type: ignore[attr-defined]
        seen["problem"] = dialog.problem.text()  # type: ignore[attr-defined]
        seen["unnamed"] = unnamed_controls(dialog)
        qtbot.keyClicks(field, "open sesame")
        dialog.show_text.setChecked(True)  # type: ignore[attr-defined]
        seen["shown"] = field.echoMode() is QLineEdit.EchoMode.Normal
        dialog.remember.setChecked(True)  # type: ignore[attr-defined]
        qtbot.keyClick(field, Qt.Key.Key_Return)

    when_dialog_opens(qtbot, answer)
    result = real.ask_password(
        "Password needed",
        "“bill.pdf” is protected with a password.",
        offer_remember=True,
        problem=WRONG_PASSWORD,
        accept="&Add",
        cancel="&Skip this file",
    )
    assert result == PasswordAnswer("open sesame", remember=True)
    assert seen == {
        "accept_enabled_when_empty": False,
        "problem": WRONG_PASSWORD,
        "unnamed": [],
        "shown": True,
    }
    assert REMEMBER_PASSWORD_TEXT == "&Remember the password in this profile"


def test_cancel_keeps_the_files_added_before_and_counts_the_rest(
    window: MainWindow, files: Path
) -> None:
    class CancelAfterFirst(Progress):
        def report(self, done: int, total: int, label: str = "") -> None:
            if done >= 1 and label.startswith("Adding"):
                self.cancel()
            super().report(done, total, label)

    paths = [make_pdf(files / f"page {n}.pdf", [f"Page {n}"]) for n in range(3)]
    outcome = _add_each(window.profile, paths, CancelAfterFirst())
    assert len(outcome.report.added) == 1
    assert outcome.not_reached == 2
    assert import_summary(outcome).splitlines() == [
        "1 document added.",
        "",
        "You pressed Cancel, so 2 files were not looked at. Add them again to continue.",
    ]


def _drop(target: QLineEdit, paths: list[Path]) -> tuple[bool, bool]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    mime.setText("\n".join(str(path) for path in paths))  # file managers send text too
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_files_dropped_on_a_text_field_are_added_not_typed(
    qtbot: QtBot, window: MainWindow, files: Path, messages: RecordingMessages
) -> None:
    window.show_page(PAGE_PROFILE)  # the patient's name field, say
    field = next(edit for edit in window.findChildren(QLineEdit) if edit.isVisible())
    text_before = field.text()
    before = window.profile.documents.count()
    pdf = make_pdf(files / "dropped.pdf", ["Dropped"])
    assert _drop(field, [pdf]) == (True, True)
    wait_for_import(qtbot, window, before, 1)
    assert "dropped" in titles(window.profile)
    assert field.text() == text_before

    folder = files / "Scans"
    folder.mkdir()
    _drop(field, [folder])
    qtbot.waitUntil(lambda: bool(messages.shown))
    assert messages.shown[-1][2] == (
        "“Scans” was not added: it is a folder. Open the folder and choose the files in it."
    )


def test_drops_are_refused_while_no_profile_is_open(
    qtbot: QtBot, window: MainWindow, files: Path
) -> None:
    window.detach_profile()
    assert _drop(window.loading, [make_pdf(files / "x.pdf", ["X"])]) == (False, False)  # type: ignore[arg-type]


# Scan inbox ------------------------------------------------------------------------------------


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "Scanner inbox"
    folder.mkdir()
    return folder


def make_watcher(
    window: MainWindow,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    statuses: list[str],
    *,
    debounce_ms: int,
) -> InboxWatcher:
    watcher = InboxWatcher(
        window,
        window.profile,
        window.jobs,
        settings_store,
        messages,
        statuses.append,
        debounce_ms=debounce_ms,
    )
    watcher.start()
    return watcher


def test_the_inbox_takes_new_files_and_moves_them_to_imported(
    qtbot: QtBot,
    window: MainWindow,
    inbox: Path,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> None:
    settings_store.update(scan_inbox=str(inbox))
    statuses: list[str] = []
    before = window.profile.documents.count()
    watcher = make_watcher(window, settings_store, messages, statuses, debounce_ms=40)
    make_pdf(inbox / "scan0001.pdf", ["Referral for physical therapy"])
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    qtbot.waitUntil(lambda: window.profile.documents.count() == before + 1 and bool(messages.shown))
    qtbot.waitUntil(lambda: not watcher.is_busy())
    assert (inbox / "imported" / "scan0001.pdf").is_file()
    assert not (inbox / "scan0001.pdf").exists()
    assert (inbox / "notes.docx").is_file()  # refused files stay where the user can see them
    assert statuses[-1] == "Scan inbox: 1 document added."
    kind, title, text = messages.shown[-1]
    assert (kind, title) == ("problem", "Scan inbox")
    assert "“notes.docx” was not added: it is not a PDF" in text
    # Another scan arrives: it is added, and the refused file is not reported a second time.
    make_pdf(inbox / "scan0002.pdf", ["Prior authorization approved"])
    qtbot.waitUntil(lambda: window.profile.documents.count() == before + 2)
    qtbot.waitUntil(lambda: not watcher.is_busy() and statuses[-1].startswith("Scan inbox: 1"))
    assert len([shown for shown in messages.shown if shown[1] == "Scan inbox"]) == 1
    watcher.stop()


def test_a_file_still_being_written_waits_until_it_stops_growing(
    qtbot: QtBot,
    window: MainWindow,
    inbox: Path,
    settings_store: SettingsStore,
    messages: RecordingMessages,
) -> None:
    settings_store.update(scan_inbox=str(inbox))
    # A long debounce: the test takes the looks itself, as the timer would.
    watcher = make_watcher(window, settings_store, messages, [], debounce_ms=600_000)
    before = window.profile.documents.count()
    whole = make_pdf(inbox.parent / "whole.pdf", ["Operative note"]).read_bytes()
    growing = inbox / "scan.pdf"
    growing.write_bytes(whole[: len(whole) // 2])
    watcher.look()  # first sight: remembered, not taken
    assert not watcher.is_busy()
    with growing.open("ab") as handle:
        handle.write(whole[len(whole) // 2 :])
    watcher.look()  # it grew since: still not taken
    assert not watcher.is_busy()
    assert growing.is_file()
    watcher.look()  # unchanged since the last look: taken
    assert watcher.is_busy()
    qtbot.waitUntil(lambda: not watcher.is_busy())
    assert window.profile.documents.count() == before + 1
    assert (inbox / "imported" / "scan.pdf").is_file()
    watcher.stop()


def test_the_scan_inbox_dialog_chooses_a_safe_folder_or_turns_it_off(
    qtbot: QtBot,
    window: MainWindow,
    inbox: Path,
    settings_store: SettingsStore,
    messages: RecordingMessages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = window.profile.paths.root
    assert inbox_folder_problem(root / "vault", root) == (
        "Choose a folder outside your BackLog profile folder."
    )
    assert inbox_folder_problem(root.parent, root) is not None  # it holds the profile
    assert inbox_folder_problem(inbox, root) is None
    make_pdf(inbox / "waiting.pdf", ["Waiting"])
    chosen = [str(root / "vault"), str(inbox)]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: chosen.pop(0))
    dialog = ScanInboxDialog(settings_store, root, messages, window)
    qtbot.addWidget(dialog)
    assert dialog.status.text() == "Off: no folder is watched."
    assert not dialog.off_button.isEnabled()
    assert unnamed_controls(dialog) == []
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][1:] == (
        "Scan inbox",
        "Choose a folder outside your BackLog profile folder.",
    )
    assert settings_store.settings.scan_inbox is None
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert messages.shown[-1][0] == "confirm"
    assert "already holds 1 file." in messages.shown[-1][2]
    assert settings_store.settings.scan_inbox == str(inbox)
    assert dialog.status.text() == f"Watching: {inbox}"
    qtbot.mouseClick(dialog.off_button, Qt.MouseButton.LeftButton)
    assert settings_store.settings.scan_inbox is None

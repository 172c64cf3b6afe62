"""Passphrases in the GUI: unlocking at open, protecting a profile, changing the passphrase, and a
protected profile made from the welcome dialog. Real widgets and real encrypted profiles (with
cheap Argon2 parameters, so each check takes milliseconds instead of a second).
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from backlog_app.errors import WrongPassphraseError
from backlog_app.services.context import ProfileSession
from backlog_app.settings import SettingsStore
from backlog_app.storage.crypto import ProfileKey
from backlog_app.storage.encryption import is_encrypted, unlock
from backlog_app.storage.profile import ProfilePaths
from backlog_app.ui.app import AppController
from backlog_app.ui.page_keys import PAGE_COSTS, PAGE_HOME
from backlog_app.ui.security import wording
from backlog_app.ui.security.change_dialog import ChangePassphraseDialog
from backlog_app.ui.security.protect_dialog import ProtectDialog
from backlog_app.ui.security.unlock import UnlockDialog
from backlog_app.ui.welcome import WelcomeChoice, WelcomeDialog
from tests.ui.conftest import RecordingMessages, when_dialog_opens
from tests.ui.security_helpers import (
    PASSPHRASE,
    PATIENT,
    WRONG,
    controller_for_tests,
    make_plain_profile,
    make_protected_profile,
)
from tests.ui.test_welcome_and_app import fill_welcome_form

pytestmark = pytest.mark.usefixtures("fast_kdf")  # passphrases set in the GUI: cheap Argon2


@pytest.fixture
def controller(
    qtbot: QtBot, settings_store: SettingsStore, messages: RecordingMessages
) -> Iterator[AppController]:
    yield from controller_for_tests(settings_store, messages)


def type_and_unlock(qtbot: QtBot, dialog: UnlockDialog, passphrase: str) -> None:
    dialog.panel.field.edit.clear()
    qtbot.keyClicks(dialog.panel.field.edit, passphrase)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)


def unlock_with(qtbot: QtBot, passphrase: str) -> Callable[[QDialog], None]:
    """Acts on the unlock dialog: types ``passphrase`` and clicks Unlock."""

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, UnlockDialog)
        type_and_unlock(qtbot, dialog, passphrase)

    return act


def wrong_then_right(qtbot: QtBot, seen: list[str]) -> Callable[[QDialog], None]:
    """Acts on the unlock dialog: a wrong passphrase, reads the message, then the right one."""

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, UnlockDialog)
        type_and_unlock(qtbot, dialog, "purple anchor thirty lamp")
        qtbot.waitUntil(lambda: dialog.panel.problem.isVisible(), timeout=10_000)
        seen.append(dialog.panel.problem.text())
        edit = dialog.panel.field.edit
        seen.append("selected" if edit.selectedText() == edit.text() and edit.text() else "")
        type_and_unlock(qtbot, dialog, PASSPHRASE)

    return act


# Unlocking at open -----------------------------------------------------------------------------


def test_opening_a_protected_profile_asks_for_the_passphrase_wrong_then_right(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    folder = make_protected_profile(tmp_path / "protected")
    seen: list[str] = []
    when_dialog_opens(qtbot, wrong_then_right(qtbot, seen))
    assert controller.open_folder(folder)
    assert seen == [WRONG, "selected"]
    assert controller.session is not None and controller.session.encrypted
    assert controller.window is not None
    assert controller.window.home_page.title.text() == PATIENT


def test_start_up_with_the_last_profile_protected_asks_first(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    folder = make_protected_profile(tmp_path / "protected")
    controller.settings.update(last_profile=str(folder))
    when_dialog_opens(qtbot, unlock_with(qtbot, PASSPHRASE))
    assert controller.start(None)
    qtbot.waitUntil(lambda: controller.session is not None, timeout=10_000)
    assert controller.window is not None
    assert controller.window.home_page.title.text() == PATIENT


def test_cancelling_the_passphrase_opens_nothing(
    qtbot: QtBot, tmp_path: Path, controller: AppController, messages: RecordingMessages
) -> None:
    folder = make_protected_profile(tmp_path / "protected")
    when_dialog_opens(qtbot, lambda dialog: dialog.reject())
    assert not controller.open_folder(folder)
    assert controller.session is None
    assert messages.shown == []  # cancelling is not a problem to report


def never_unlocks(_passphrase: str) -> ProfileKey:
    raise WrongPassphraseError(WRONG)


def test_the_unlock_dialog_masks_the_passphrase_and_shows_it_on_request(qtbot: QtBot) -> None:
    from backlog_app.ui.jobs import JobRunner

    jobs = JobRunner(None, lambda _error: None, lambda _error: None)
    dialog = UnlockDialog(Path("/somewhere/profile"), never_unlocks, jobs)
    qtbot.addWidget(dialog)
    edit = dialog.panel.field.edit
    assert edit.echoMode() is edit.EchoMode.Password
    assert not dialog.unlock_button.isEnabled()
    qtbot.keyClicks(edit, "secret words")
    assert dialog.unlock_button.isEnabled()
    qtbot.mouseClick(dialog.panel.field.show_button, Qt.MouseButton.LeftButton)
    assert edit.echoMode() is edit.EchoMode.Normal
    # A capital letter typed without Shift: Caps Lock is probably on.
    qtbot.keyClick(edit, "A")
    assert edit.caps_lock_on
    dialog.show()
    assert dialog.panel.field.caps_hint.isVisible()
    jobs.wait_for_all()


# Protecting an open profile ---------------------------------------------------------------------


def fill_protect_dialog(qtbot: QtBot, dialog: ProtectDialog, *, tick: bool = True) -> None:
    qtbot.keyClicks(dialog.fields.first.edit, PASSPHRASE)
    qtbot.keyClicks(dialog.fields.second.edit, PASSPHRASE)
    if tick:
        dialog.fields.understand.setChecked(True)


def test_protecting_an_open_profile_converts_it_and_reopens_on_the_same_page(
    qtbot: QtBot, tmp_path: Path, controller: AppController, messages: RecordingMessages
) -> None:
    folder = make_plain_profile(tmp_path / "plain")
    assert controller.open_folder(folder)
    window = controller.window
    assert window is not None
    window.show_page(PAGE_COSTS)
    refusals: list[str] = []

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, ProtectDialog)
        fill_protect_dialog(qtbot, dialog, tick=False)
        qtbot.mouseClick(dialog.protect_button, Qt.MouseButton.LeftButton)
        refusals.append(dialog.problems.text())  # not ticked: refused, the dialog stays
        dialog.fields.understand.setChecked(True)
        qtbot.mouseClick(dialog.protect_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, act)
    window.protect_requested.emit()

    assert wording.NEED_UNDERSTAND in refusals[0]
    assert is_encrypted(ProfilePaths(folder))
    session = controller.session
    assert session is not None and session.encrypted
    assert window.current_page() == PAGE_COSTS
    assert window.home_page.title.text() == PATIENT
    assert messages.shown[-1][:2] == ("info", "Records protected")
    assert not (folder / "backlog.sqlite3").read_bytes().startswith(b"SQLite format 3")
    unlock(ProfilePaths(folder), PASSPHRASE)  # the passphrase typed is the one that opens it


def make_plain_backups(folder: Path, copy_folder: Path) -> list[Path]:
    """A plain backup in the profile's backups folder and one in the second backup folder."""
    from backlog_app.services.backups import create_backup
    from backlog_app.services.context import open_profile
    from backlog_app.services.progress import Progress

    copy_folder.mkdir()
    with open_profile(folder, create=False) as profile:
        return [
            create_backup(profile, profile.paths.backups, Progress()).path,
            create_backup(profile, copy_folder, Progress()).path,
        ]


def make_plain_leftovers(folder: Path) -> list[Path]:
    """What an interrupted upgrade (``migrations._keep_aside``) and a killed backup (its
    ``.snapshot-*`` work folder) leave in backups/: plain copies of the database."""
    backups = folder / "backups"
    aside = backups / "interrupted-upgrade-0004-20261127-101010.sqlite3"
    aside.write_bytes((folder / "backlog.sqlite3").read_bytes())
    aside_wal = backups / (aside.name + "-wal")
    aside_wal.write_bytes(b"\x37\x7f\x06\x82 plain WAL")
    snapshot = backups / ".snapshot-k3j9x"
    snapshot.mkdir()
    (snapshot / "backlog.sqlite3").write_bytes(aside.read_bytes())
    return [aside, aside_wal, snapshot]


def protect_in_the_gui(qtbot: QtBot, controller: AppController) -> None:
    assert controller.window is not None

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, ProtectDialog)
        fill_protect_dialog(qtbot, dialog)
        qtbot.mouseClick(dialog.protect_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, act)
    controller.window.protect_requested.emit()


def test_protecting_makes_a_new_protected_backup_and_warns_about_plain_copies(
    qtbot: QtBot, tmp_path: Path, controller: AppController, messages: RecordingMessages
) -> None:
    folder = make_plain_profile(tmp_path / "plain")
    copy_folder = tmp_path / "usb-stick"
    plain_backup, plain_copy = make_plain_backups(folder, copy_folder)
    leftovers = make_plain_leftovers(folder)
    controller.settings.update(backup_copy_folder=str(copy_folder))
    assert controller.open_folder(folder)
    protect_in_the_gui(qtbot, controller)

    backups = folder / "backups"
    assert not plain_backup.exists()  # it held the records readable
    assert not any(path.exists() for path in leftovers)
    made = sorted(backups.glob("backlog-backup-*.backlog-backup"))
    assert len(made) == 1
    assert sorted(backups.iterdir()) == made
    with zipfile.ZipFile(made[0]) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["encrypted"] is True
        assert "encryption.json" in archive.namelist()
        assert not archive.read("backlog.sqlite3").startswith(b"SQLite format 3")
    assert plain_copy.exists()  # outside the profile: the user decides
    kind, title, text = messages.shown[-1]
    assert (kind, title) == ("info", "Records protected")
    assert f"A new protected backup was made and checked in {backups}." in text
    assert "The old, unprotected backups there (3) were deleted." in text
    assert f"Backups copied earlier to {copy_folder} are not protected" in text


def test_when_the_new_backup_fails_the_plain_backups_are_kept(
    qtbot: QtBot,
    tmp_path: Path,
    controller: AppController,
    messages: RecordingMessages,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from backlog_app.errors import BackupError
    from backlog_app.services import backups as backups_service

    folder = make_plain_profile(tmp_path / "plain")
    plain_backup, _plain_copy = make_plain_backups(folder, tmp_path / "usb-stick")
    leftovers = make_plain_leftovers(folder)

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise BackupError("The disk is full.")

    monkeypatch.setattr(backups_service, "create_backup", full_disk)
    assert controller.open_folder(folder)
    protect_in_the_gui(qtbot, controller)

    assert is_encrypted(ProfilePaths(folder))
    assert plain_backup.exists()  # until a new backup exists, it is the only one
    assert all(path.exists() for path in leftovers)
    kind, title, text = messages.shown[-1]
    assert (kind, title) == ("info", "Records protected")
    assert "BackLog could not make a protected backup just now: The disk is full." in text
    assert (
        f"Your old, unprotected backups in {folder / 'backups'} were kept because no new backup "
        "could be made; make one with File → Back Up Now…, then delete the older backups there "
        "by hand."
    ) in text
    assert "deleted." not in text


def test_without_plain_copies_the_protected_message_does_not_warn_about_them(
    qtbot: QtBot, tmp_path: Path, controller: AppController, messages: RecordingMessages
) -> None:
    folder = make_plain_profile(tmp_path / "plain")
    copy_folder = tmp_path / "usb-stick"
    copy_folder.mkdir()  # set, but nothing copied there yet
    controller.settings.update(backup_copy_folder=str(copy_folder))
    assert controller.open_folder(folder)
    protect_in_the_gui(qtbot, controller)

    kind, title, text = messages.shown[-1]
    assert (kind, title) == ("info", "Records protected")
    assert "A new protected backup was made" in text
    assert "not protected" not in text
    assert len(list((folder / "backups").glob("backlog-backup-*.backlog-backup"))) == 1


def test_the_protect_dialog_says_what_it_protects_and_refuses_weak_or_different_passphrases(
    qtbot: QtBot,
) -> None:
    dialog = ProtectDialog()
    qtbot.addWidget(dialog)
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "cannot read your records" in texts
    assert "nobody" in texts and "Write it down" in texts
    assert "disk encryption" in texts
    qtbot.keyClicks(dialog.fields.first.edit, "short")
    assert "at least 8 characters" in dialog.fields.strength.text()
    qtbot.keyClicks(dialog.fields.second.edit, "short")
    dialog.fields.understand.setChecked(True)
    qtbot.mouseClick(dialog.protect_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "at least 8 characters" in dialog.problems.text()
    dialog.fields.first.edit.setText(PASSPHRASE)
    dialog.fields.second.edit.setText(PASSPHRASE + "s")
    qtbot.mouseClick(dialog.protect_button, Qt.MouseButton.LeftButton)
    assert wording.MISMATCH in dialog.problems.text()
    dialog.fields.second.edit.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.protect_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.passphrase() == PASSPHRASE


# Changing the passphrase ------------------------------------------------------------------------


def test_changing_the_passphrase_checks_the_old_one_and_keeps_the_profile_open(
    qtbot: QtBot, tmp_path: Path, controller: AppController, messages: RecordingMessages
) -> None:
    folder = make_protected_profile(tmp_path / "protected")
    assert controller.open_folder(folder, unlock(ProfilePaths(folder), PASSPHRASE))
    window = controller.window
    assert window is not None
    session = controller.session
    new = "seven quiet harbour kites"
    wrong_message: list[str] = []

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, ChangePassphraseDialog)
        qtbot.keyClicks(dialog.old.edit, "not my passphrase")
        qtbot.keyClicks(dialog.fields.first.edit, new)
        qtbot.keyClicks(dialog.fields.second.edit, new)
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.wrong_old.isVisible(), timeout=10_000)
        wrong_message.append(dialog.wrong_old.text())
        dialog.old.edit.setText(PASSPHRASE)
        qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)

    when_dialog_opens(qtbot, act)
    window.change_passphrase_requested.emit()

    assert "not your current passphrase" in wrong_message[0]
    assert controller.session is session  # still open: only the passphrase file changed
    kind, title, text = messages.shown[-1]
    assert (kind, title) == ("info", "Passphrase changed")
    assert "old passphrase" in text
    unlock(ProfilePaths(folder), new)
    with pytest.raises(WrongPassphraseError):
        unlock(ProfilePaths(folder), PASSPHRASE)


# A protected profile from the welcome dialog ------------------------------------------------------


def test_the_welcome_dialog_can_create_a_protected_profile(
    qtbot: QtBot, tmp_path: Path, controller: AppController
) -> None:
    folder = tmp_path / "new-profile"
    dialog = WelcomeDialog(folder, tmp_path / "demo")
    qtbot.addWidget(dialog)
    dialog.show()
    fill_welcome_form(qtbot, dialog, "Ann Example", dt.date(1960, 5, 4))
    assert not dialog.protect.isChecked()  # off unless the user asks
    assert not dialog.protect_details.isVisible()
    dialog.protect.setChecked(True)
    assert dialog.protect_details.isVisible()
    qtbot.keyClicks(dialog.passphrase_fields.first.edit, PASSPHRASE)
    qtbot.keyClicks(dialog.passphrase_fields.second.edit, PASSPHRASE)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is None  # the "lost passphrase means lost records" box
    assert wording.NEED_UNDERSTAND in dialog.problems.text()
    dialog.passphrase_fields.understand.setChecked(True)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    result = dialog.result_value
    assert result is not None and result.choice is WelcomeChoice.CREATE
    assert result.passphrase == PASSPHRASE

    assert controller._act_on(result)  # opens it without asking again
    assert is_encrypted(ProfilePaths(folder))
    assert controller.session is not None and controller.session.encrypted
    assert controller.window is not None
    assert controller.window.home_page.title.text() == "Ann Example"
    assert controller.window.current_page() == PAGE_HOME
    assert b"Ann Example" not in (folder / "backlog.sqlite3").read_bytes()


def test_the_welcome_dialog_with_the_passphrase_fits_the_screen_and_shows_the_warning(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from backlog_app.ui.welcome import room_on_screen

    dialog = WelcomeDialog(tmp_path / "p", tmp_path / "demo", start_with_form=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.protect.setChecked(True)
    qtbot.waitUntil(lambda: dialog.protect_details.isVisible())
    room = room_on_screen(dialog)
    assert dialog.height() <= room  # the form scrolls instead; the buttons stay on screen
    assert dialog.create_button.isVisible()
    assert dialog.create_button.mapTo(dialog, dialog.create_button.rect().bottomLeft()).y() <= room
    warnings = [
        label
        for label in dialog.protect_details.findChildren(QLabel)
        if label.text() == wording.DOES_NOT_PROTECT
    ]
    assert warnings and warnings[0].isVisible()  # in full, not behind a "more" button
    scroll = dialog.form_scroll
    top = warnings[0].mapTo(dialog.form_fields, warnings[0].rect().topLeft()).y()
    shown_from = scroll.verticalScrollBar().value()
    assert shown_from <= top <= shown_from + scroll.viewport().height()  # scrolled into view


def test_the_welcome_dialog_without_the_tick_creates_a_plain_profile(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = WelcomeDialog(tmp_path / "p", tmp_path / "demo")
    qtbot.addWidget(dialog)
    fill_welcome_form(qtbot, dialog, "Ann Example", dt.date(1960, 5, 4))
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value is not None and dialog.result_value.passphrase is None


# The wiring around opening and closing -----------------------------------------------------------


def test_the_automatic_backup_runs_before_switching_and_before_quitting(
    qtbot: QtBot, tmp_path: Path, controller: AppController, monkeypatch: pytest.MonkeyPatch
) -> None:
    import backlog_app.ui.app as app_module

    backed_up: list[tuple[Path, bool]] = []

    def record(_parent: object, session: ProfileSession, _settings: object) -> None:
        backed_up.append((session.paths.root, session.database is not None))

    monkeypatch.setattr(app_module, "closing_backup", record)
    first = make_plain_profile(tmp_path / "first")
    second = make_protected_profile(tmp_path / "second")
    assert controller.open_folder(first)
    assert backed_up == []
    assert controller.open_folder(second, unlock(ProfilePaths(second), PASSPHRASE))
    assert backed_up == [(first, True)]
    assert controller.window is not None
    controller.window.close()
    controller.shutdown()
    assert backed_up == [(first, True), (second, True)]  # once, though both paths ran


def test_a_damaged_database_at_open_offers_the_latest_good_backup_and_opens_it(
    qtbot: QtBot, tmp_path: Path, controller: AppController, monkeypatch: pytest.MonkeyPatch
) -> None:
    import backlog_app.ui.security.opening as opening_module

    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "backlog.sqlite3").write_bytes(b"this is not a database" * 100)
    restored = make_plain_profile(tmp_path / "restored")
    offered: list[Path] = []

    def offer(_parent: object, folder: Path, _settings: object, _messages: object) -> Path:
        offered.append(folder)
        return restored

    monkeypatch.setattr(opening_module, "offer_restore", offer)
    assert controller.open_folder(damaged)
    assert offered == [damaged]
    assert controller.session is not None and controller.session.paths.root == restored

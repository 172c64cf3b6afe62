"""Helpers for the backup GUI tests: answer a series of modal windows, find menu items, damage a
backup file the way a failing disk would."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

Act = Callable[[QDialog], None]


class DialogScript:
    """Answers the modal windows that open, in order, each with its own step.

    Progress dialogs are left alone (the job behind them ends by itself). ``seen`` keeps the
    class name of every window answered; ``finished`` is True once every step ran.
    """

    def __init__(self, qtbot: QtBot, steps: list[Act]) -> None:
        self._qtbot = qtbot
        self._steps = list(steps)
        self.seen: list[str] = []
        QTimer.singleShot(0, self._poll)

    @property
    def finished(self) -> bool:
        return not self._steps

    def _poll(self) -> None:
        if not self._steps:
            return
        widget: QWidget | None = QApplication.activeModalWidget()
        if (
            isinstance(widget, QDialog)
            and not isinstance(widget, QProgressDialog)
            and widget.isVisible()
            and not widget.property("answered_by_script")
        ):
            # Marked on the window itself: a new window may reuse a deleted one's id().
            widget.setProperty("answered_by_script", True)
            self.seen.append(type(widget).__name__)
            step = self._steps.pop(0)
            # Answered from the event loop, not inside the poll: the step may open the next one.
            QTimer.singleShot(0, lambda: step(widget))
        QTimer.singleShot(20, self._poll)


def menu_action(window: QWidget, text: str) -> QAction:
    """The window's menu item called ``text`` (without its & mnemonic)."""
    for action in window.findChildren(QAction):
        if action.text().replace("&", "") == text:
            return action
    raise LookupError(text)


def damage_member(backup: Path, prefix: str = "vault/") -> str:
    """Flip one byte inside the first stored member whose name starts with ``prefix``.

    Returns:
        The damaged member's name.
    """
    with zipfile.ZipFile(backup) as archive:
        info = next(item for item in archive.infolist() if item.filename.startswith(prefix))
    with backup.open("r+b") as handle:
        handle.seek(info.header_offset + 26)
        name_length, extra_length = struct.unpack("<HH", handle.read(4))
        data_start = info.header_offset + 30 + name_length + extra_length
        handle.seek(data_start + min(10, info.compress_size - 1))
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    return info.filename

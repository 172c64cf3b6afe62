"""Unexpected errors: log the traceback, show a short apology, keep the app running."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from backlog_app.errors import UserError
from backlog_app.logging_setup import current_log_file
from backlog_app.ui.messages import Messages

log = logging.getLogger("backlog.ui")
qt_log = logging.getLogger("backlog.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def install_excepthook(messages_for: Callable[[], Messages]) -> None:
    """Route exceptions that escape a slot or a thread into the log and an apology dialog.

    Args:
        messages_for: returns the Messages service of the current main window.
    """

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, UserError):
            # A user-fixable problem that a slot forgot to catch: still plain words, no apology.
            messages_for().problem("BackLog", exc.message)
            return
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        log_file = current_log_file()
        messages_for().apology(str(log_file) if log_file else None)

    sys.excepthook = hook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        log.error(
            "unexpected error in a background thread",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
        )

    threading.excepthook = thread_hook


def route_qt_messages() -> None:
    """Qt's own warnings go to our log file instead of the terminal."""

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)

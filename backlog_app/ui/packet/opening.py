"""Opening the packet window from the main window (File → Export Packet…, Ctrl+E, or a case's
Export packet… button): for the case the user is looking at, else for the whole record."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backlog_app.ui.main_window import MainWindow


def open_from_window(window: MainWindow, case_id: int | None = None) -> None:
    """The packet window over ``window``, for ``case_id`` or else the case on screen."""
    from backlog_app.ui.packet.dialog import open_packet_dialog

    if window.view is None:
        return
    if case_id is None:
        case_id = case_on_screen(window)
    open_packet_dialog(
        window,
        window.profile,
        window.messages,
        settings=window.settings,
        case_id=case_id,
        show_status=window.show_status,
    )


def case_on_screen(window: MainWindow) -> int | None:
    """The case shown on the Cases page's Cases tab; None elsewhere (the Call log tab keeps a
    case selected out of sight: a packet for it would surprise the user)."""
    from backlog_app.ui.page_keys import PAGE_CASES
    from backlog_app.ui.pages.cases_page import TAB_CASES

    if window.current_page() != PAGE_CASES:
        return None
    page = window.cases_page
    if page.tabs.currentIndex() != TAB_CASES:
        return None
    return page.current_case_id()

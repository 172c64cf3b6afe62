"""Privacy: BackLog makes no network connection, in a whole workflow from demo to backup.

Every way Python opens an internet connection or looks up a name (``socket.connect`` and
``connect_ex``, ``create_connection``, ``getaddrinfo``) is replaced by a recorder that fails:
a call for an internet address (AF_INET, AF_INET6, or any name lookup) is recorded and refused.
Local sockets (AF_UNIX) still work. The workflow runs in this process, the commands through
``main()`` and then the window on the same profile, page by page.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from backlog_app.cli import main
from backlog_app.services.context import open_profile
from backlog_app.settings import SettingsStore
from backlog_app.ui.main_window import MainWindow
from backlog_app.ui.profile_view import PAGE_TITLES
from tests.conftest import fixed_clock
from tests.document_files import write_pdf
from tests.ui.conftest import RecordingMessages

_INTERNET = {socket.AF_INET, socket.AF_INET6}


class NetworkUsedError(AssertionError):
    """Raised inside BackLog where it tried to reach the network."""


class SocketRecorder:
    """Records (and refuses) every attempt to reach the internet while installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex

        def connect(sock: socket.socket, address: Any) -> None:
            if sock.family in _INTERNET:
                raise self._refuse(f"socket.connect{address!r}")
            real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            if sock.family in _INTERNET:
                raise self._refuse(f"socket.connect_ex{address!r}")
            return real_connect_ex(sock, address)

        def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
            raise self._refuse(f"socket.create_connection{address!r}")

        def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            raise self._refuse(f"socket.getaddrinfo({host!r}, {port!r})")

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "create_connection", create_connection)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def _refuse(self, what: str) -> NetworkUsedError:
        self.calls.append(what)
        return NetworkUsedError(f"BackLog tried to use the network: {what}")


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Iterator[SocketRecorder]:
    recorder = SocketRecorder(monkeypatch)
    yield recorder
    assert recorder.calls == [], f"network used: {recorder.calls}"


def test_the_recorder_catches_a_connection_and_a_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard can fail: a deliberate connection and name lookup are caught and recorded."""
    recorder = SocketRecorder(monkeypatch)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(NetworkUsedError):
            sock.connect(("192.0.2.1", 443))
        with pytest.raises(NetworkUsedError):
            sock.connect_ex(("192.0.2.1", 443))
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock, pytest.raises(NetworkUsedError):
        sock.connect(("2001:db8::1", 53))
    with pytest.raises(NetworkUsedError):
        socket.create_connection(("example.org", 80))
    with pytest.raises(NetworkUsedError):
        socket.getaddrinfo("example.org", 443)
    assert len(recorder.calls) == 5
    left, right = socket.socketpair(socket.AF_UNIX)  # local sockets are not the network
    left.close()
    right.close()
    assert len(recorder.calls) == 5


def backlog(*args: str | Path) -> None:
    code = main([str(arg) for arg in args])
    assert code == 0, f"backlog {' '.join(map(str, args))} exited {code}"


def test_a_whole_workflow_makes_no_network_connection(
    network: SocketRecorder,
    qtbot: QtBot,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    profile = tmp_path / "profile"
    backlog("demo", "--profile", profile)
    backlog("info", "--profile", profile)
    letter = write_pdf(tmp_path / "denial letter.pdf", pages=2)
    backlog("doc", "add", letter, "--profile", profile)
    backlog("export", "--profile", profile, "--out", tmp_path / "packet.pdf")
    backlog("data", "export", "--profile", profile, "--out", tmp_path / "data.json")
    backlog("check", "--repair", "--profile", profile)  # draws the new document's thumbnail
    backlog("check", "--profile", profile)
    backlog("backup", "--profile", profile, "--out", tmp_path / "backups")
    (archive,) = (tmp_path / "backups").glob("*.backlog-backup")
    backlog("restore", archive, "--profile", tmp_path / "restored")
    capsys.readouterr()
    assert (tmp_path / "packet.pdf").stat().st_size > 0
    assert (tmp_path / "restored" / "backlog.sqlite3").is_file()

    session = open_profile(profile, create=False, clock=fixed_clock)
    window = MainWindow(SettingsStore(tmp_path / "settings.json"), RecordingMessages())
    qtbot.addWidget(window)
    try:
        window.attach_profile(session)
        window.show()
        qtbot.waitExposed(window)
        for key in PAGE_TITLES:
            window.show_page(key)
            qtbot.wait(50)
            assert window.current_page() == key
        window.jobs.wait_for_all()
    finally:
        window.close()
        session.close()
    assert network.calls == []

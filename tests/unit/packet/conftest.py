"""What the packet's tests share: finding a demo case by its title, and a non-English locale for
the dates (the desktop app runs with the user's LC_TIME)."""

from __future__ import annotations

import datetime as dt
import locale
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from backlog_app.services.context import ProfileSession

# Tried in this order; the first one installed is used.
_FOREIGN_LOCALES = (
    "de_DE.UTF-8",
    "de_DE.utf8",
    "fr_FR.UTF-8",
    "fr_FR.utf8",
    "es_ES.UTF-8",
    "es_ES.utf8",
    "German_Germany.1252",
)


def case_named(profile: ProfileSession, start: str) -> int:
    """The id of the demo case whose title starts with ``start``."""
    return next(i for i, title in profile.cases.titles().items() if title.startswith(start))


def _set_time_locale(name: str) -> bool:
    try:
        locale.setlocale(locale.LC_TIME, name)
    except locale.Error:
        return False
    return True


@pytest.fixture(scope="session")
def compiled_locales(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A folder holding de_DE.UTF-8 compiled by glibc's ``localedef`` (once per run), or None
    when it cannot be made."""
    folder = tmp_path_factory.mktemp("locales")
    try:
        subprocess.run(
            ["localedef", "-i", "de_DE", "-f", "UTF-8", str(folder / "de_DE.UTF-8")],
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return folder if (folder / "de_DE.UTF-8").exists() else None


@pytest.fixture
def foreign_time_locale(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """LC_TIME set to a non-English locale for the test (month names like "März"), restored
    after. When none is installed, one is compiled into a temporary folder with ``localedef``
    (read through LOCPATH); the test is skipped only when that fails too."""
    saved = locale.setlocale(locale.LC_TIME)
    chosen = next((name for name in _FOREIGN_LOCALES if _set_time_locale(name)), None)
    if chosen is None:
        folder = request.getfixturevalue("compiled_locales")
        if folder is not None:
            monkeypatch.setenv("LOCPATH", str(folder))
        if folder is None or not _set_time_locale("de_DE.UTF-8"):
            pytest.skip("no non-English locale is installed, and localedef could not make one")
        chosen = "de_DE.UTF-8"
    try:
        if f"{dt.date(2026, 3, 1):%B}" == "March":
            pytest.skip(f"the locale {chosen} names its months in English")
        yield chosen
    finally:
        locale.setlocale(locale.LC_TIME, saved)

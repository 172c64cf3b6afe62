"""Finds files in resources/ (icons), whether installed as a wheel or run from a source tree."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resource_path(relative: str) -> Path | None:
    """The file ``resources/<relative>``: inside the installed package, else in the repository."""
    for base in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        candidate = base / relative
        if candidate.is_file():
            return candidate
    return None


def icon(name: str) -> QIcon:
    """``resources/icons/<name>.svg`` as an icon; an empty icon if the file is missing."""
    path = resource_path(f"icons/{name}.svg")
    return QIcon(str(path)) if path else QIcon()


def app_icon() -> QIcon:
    return icon("backlog")

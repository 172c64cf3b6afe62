"""Imports go one way: ui → services → storage/domain; domain imports no Qt and no database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "backlog_app"

# For each layer, the imports it must never make (prefix match on the module name).
FORBIDDEN = {
    "domain": (
        "PySide6",
        "sqlalchemy",
        "alembic",
        "backlog_app.storage",
        "backlog_app.services",
        "backlog_app.ui",
        "backlog_app.cli",
    ),
    "storage": ("PySide6", "backlog_app.services", "backlog_app.ui", "backlog_app.cli"),
    "services": ("PySide6", "backlog_app.ui", "backlog_app.cli"),
    "cli": ("PySide6",),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(layer: str) -> None:
    offenders = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imported_modules(path):
            if module.startswith(FORBIDDEN[layer]):
                offenders.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert offenders == []

"""`backlog data export/import` with documents: the files beside the JSON, or one zip."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest

from backlog_app.services.context import open_profile
from backlog_app.services.demo import create_demo
from tests.e2e.test_cli import Backlog


@pytest.fixture
def backlog(isolated_environment: Path, tmp_path: Path) -> Backlog:
    env = dict(os.environ)  # HOME, XDG_* and BACKLOG_CONFIG_DIR already point into tmp folders
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("BACKLOG_PROFILE", None)
    return Backlog(env, tmp_path)


@pytest.fixture
def demo_root(tmp_path: Path, today: dt.date) -> Path:
    root = tmp_path / "demo-source"
    with open_profile(root, create=True, clock=lambda: today) as profile:
        create_demo(profile)
    return root


def test_zip_round_trip(backlog: Backlog, tmp_path: Path, demo_root: Path) -> None:
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    exported = backlog("--profile", demo_root, "data", "export", "--out", first)
    assert exported.returncode == 0, exported
    assert "10 document files" in exported.stdout
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist()[0] == "data.json"

    imported = backlog("--profile", tmp_path / "copy", "data", "import", first)
    assert imported.returncode == 0, imported
    assert "10 documents" in imported.stdout

    again = backlog("--profile", tmp_path / "copy", "data", "export", "--out", second)
    assert again.returncode == 0, again
    assert first.read_bytes() == second.read_bytes()


def test_a_missing_document_file_is_refused_in_one_line(
    backlog: Backlog, tmp_path: Path, demo_root: Path
) -> None:
    data = tmp_path / "data.json"
    exported = backlog("--profile", demo_root, "data", "export", "--out", data)
    assert exported.returncode == 0, exported
    assert f"in {tmp_path / 'data.files'}" in exported.stdout
    missing = sorted((tmp_path / "data.files").iterdir())[0]
    missing.unlink()

    result = backlog("--profile", tmp_path / "target", "data", "import", data)
    assert result.returncode == 1, result
    assert len(result.error_lines) == 1, result
    assert missing.name in result.stderr and "is missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "target").exists()

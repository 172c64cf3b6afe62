"""App settings: declared defaults, a JSON file that survives hand edits, recent profiles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backlog_app.settings import (
    MAX_RECENT_PROFILES,
    SETTINGS_VERSION,
    Settings,
    SettingsStore,
    config_dir,
    upgrade_settings,
)


@pytest.fixture
def settings_path(isolated_environment: Path) -> Path:
    return isolated_environment / "config-backlog" / "settings.json"


def test_location_follows_backlog_config_dir(settings_path: Path) -> None:
    assert config_dir() == settings_path.parent
    assert SettingsStore().path == settings_path


def test_defaults_when_there_is_no_file(settings_path: Path) -> None:
    store = SettingsStore()
    assert store.settings == Settings()
    assert store.settings.version == SETTINGS_VERSION
    assert store.settings.last_profile is None
    assert store.settings.recent_profiles == []
    assert store.settings.window_geometry is None
    assert store.settings.window_state is None
    assert store.settings.last_page is None
    assert not settings_path.exists()  # reading never writes


def test_round_trip(settings_path: Path) -> None:
    store = SettingsStore()
    store.update(window_geometry="AdnQywAD", window_state="AAAA/wAA", last_page="providers")
    store.remember_profile(Path("/data/maria"))
    assert json.loads(settings_path.read_text(encoding="utf-8"))["last_page"] == "providers"
    assert not settings_path.with_name("settings.json.partial").exists()
    again = SettingsStore()
    assert again.settings == store.settings
    assert again.settings.last_profile == "/data/maria"
    assert again.settings.recent_profiles == ["/data/maria"]


def test_update_tells_listeners(settings_path: Path) -> None:
    store = SettingsStore()
    seen: list[Settings] = []
    store.subscribe(seen.append)
    store.update(last_page="home")
    assert [s.last_page for s in seen] == ["home"]


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"\xff\xfe\x00garbage",  # not UTF-8
        b"[1, 2, 3]",  # JSON, but not an object
        b'"a string"',
        b"null",
    ],
    ids=["broken-json", "empty", "not-utf8", "list", "string", "null"],
)
def test_unreadable_file_falls_back_to_defaults(settings_path: Path, content: bytes) -> None:
    settings_path.write_bytes(content)
    assert SettingsStore().settings == Settings()


def test_a_folder_where_the_file_should_be(settings_path: Path) -> None:
    settings_path.mkdir()
    store = SettingsStore()
    assert store.settings == Settings()
    store.update(last_page="home")  # saving fails quietly: settings are a convenience
    assert store.settings.last_page == "home"


@pytest.mark.parametrize(
    ("field", "bad_value"),
    [
        ("recent_profiles", "/data/maria"),
        ("recent_profiles", {"a": 1}),
        ("recent_profiles", [1, 2]),
        ("recent_profiles", None),
        ("last_profile", 5),
        ("last_profile", ["/data/maria"]),
        ("window_geometry", 12),
        ("window_state", True),
        ("last_page", {"page": "home"}),
    ],
)
def test_wrong_typed_field_falls_back(settings_path: Path, field: str, bad_value: Any) -> None:
    good = {"last_page": "providers", "window_state": "AAAA", "recent_profiles": ["/p"]}
    settings_path.write_text(json.dumps({"version": 1, **good, field: bad_value}))
    settings = SettingsStore().settings
    assert getattr(settings, field) == getattr(Settings(), field)
    for name, value in good.items():
        if name != field:
            assert getattr(settings, name) == value


def test_unknown_fields_are_ignored(settings_path: Path) -> None:
    settings_path.write_text(json.dumps({"version": 1, "theme": "dark", "last_page": "home"}))
    assert SettingsStore().settings == Settings(last_page="home")


@pytest.mark.parametrize("version", [0, -1, "1", None, 1.5, True, 99])
def test_odd_versions_do_not_crash(settings_path: Path, version: Any) -> None:
    settings_path.write_text(json.dumps({"version": version, "last_page": "home"}))
    settings = SettingsStore().settings
    assert settings.version == SETTINGS_VERSION
    assert settings.last_page == "home"


def test_upgrade_settings_keeps_a_current_dict() -> None:
    raw = {"version": SETTINGS_VERSION, "last_page": "home"}
    assert upgrade_settings(dict(raw)) == raw


def test_remember_profile_puts_the_newest_first(settings_path: Path) -> None:
    store = SettingsStore()
    for name in ("a", "b", "c"):
        store.remember_profile(Path(f"/p/{name}"))
    assert store.settings.recent_profiles == ["/p/c", "/p/b", "/p/a"]
    store.remember_profile(Path("/p/a"))  # reopening moves it up without a duplicate
    assert store.settings.recent_profiles == ["/p/a", "/p/c", "/p/b"]
    assert store.settings.last_profile == "/p/a"
    assert SettingsStore().settings.recent_profiles == ["/p/a", "/p/c", "/p/b"]


def test_remember_profile_keeps_at_most_the_cap(settings_path: Path) -> None:
    store = SettingsStore()
    for number in range(MAX_RECENT_PROFILES + 3):
        store.remember_profile(Path(f"/p/{number}"))
    expected = [f"/p/{n}" for n in reversed(range(3, MAX_RECENT_PROFILES + 3))]
    assert store.settings.recent_profiles == expected
    assert len(expected) == MAX_RECENT_PROFILES == 8

"""App-wide settings (not health data): typed fields with defaults, a JSON file, versioned upgrades.

Settings live in the platform's config folder (``BACKLOG_CONFIG_DIR`` overrides it, for tests and
portable installs). Records never go here: only which profile to reopen and how the window looked.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from backlog_app import APP_NAME

log = logging.getLogger("backlog.settings")

CONFIG_ENV_VAR = "BACKLOG_CONFIG_DIR"
SETTINGS_FILE = "settings.json"
SETTINGS_VERSION = 2
MAX_RECENT_PROFILES = 8


@dataclass
class Settings:
    """Every setting, with its default. Add a field here (and an upgrade step if it replaces one)."""

    version: int = SETTINGS_VERSION
    last_profile: str | None = None
    recent_profiles: list[str] = field(default_factory=list)
    window_geometry: str | None = None  # base64 of QWidget.saveGeometry()
    window_state: str | None = None  # base64 of QMainWindow.saveState()
    last_page: str | None = None
    # Documents: the largest file accepted, and a folder a scanner or phone drops files into.
    max_import_mb: int = 200
    scan_inbox: str | None = None
    # Coverage cases: per profile folder, the day (ISO date) its deadlines due soon were last
    # announced; once a day per profile.
    due_reminders: dict[str, str] = field(default_factory=dict)
    # Providers: a network check older than this many days is out of date (Providers page).
    network_check_days: int = 90
    # The packet's paper: "letter" (US) or "a4"; the export dialog remembers the last choice.
    packet_page_size: str = "letter"
    # Backups (#8): an automatic backup into the profile's backups/ folder when a profile closes,
    # at most once a day, keeping the newest N daily and M weekly ones; optionally also copied
    # into a second folder (a USB drive), pruned there the same way.
    auto_backup: bool = True
    backup_copy_folder: str | None = None
    backups_keep_daily: int = 7
    backups_keep_weekly: int = 4
    # Encrypted profiles: lock (hide every record until the passphrase is entered again) after
    # this many idle minutes; 0 never locks.
    lock_after_minutes: int = 10


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Version 2 keeps the day of the last due reminder per profile: the app-wide
    ``last_due_reminder`` goes to the profile last opened (the one it was given for)."""
    raw = dict(raw)
    day = raw.pop("last_due_reminder", None)
    profile = raw.get("last_profile")
    if isinstance(day, str) and isinstance(profile, str) and "due_reminders" not in raw:
        raw["due_reminders"] = {profile: day}
    return raw


# Whole-number settings that only make sense within a range (a hand-edited file may hold -5);
# a value outside it falls back to the default.
FIELD_RANGES: dict[str, tuple[int, int]] = {
    "network_check_days": (1, 730),
    "backups_keep_daily": (1, 60),
    "backups_keep_weekly": (0, 52),
    "lock_after_minutes": (0, 240),
}

# Each step turns a version-N dict into a version-N+1 dict.
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}

SettingsListener = Callable[[Settings], None]


def config_dir() -> Path:
    override = os.environ.get(CONFIG_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


class SettingsStore:
    """Loads, upgrades, saves and announces changes to the one Settings object."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / SETTINGS_FILE
        self.settings = self._load()
        self._listeners: list[SettingsListener] = []

    def subscribe(self, listener: SettingsListener) -> None:
        self._listeners.append(listener)

    def update(self, **changes: Any) -> None:
        """Change fields by name, save, and tell listeners."""
        self.settings = dataclasses.replace(self.settings, **changes)
        self.save()
        for listener in list(self._listeners):
            listener(self.settings)

    def remember_profile(self, profile: Path) -> None:
        """Make ``profile`` the one that reopens next time and the first of the recent list."""
        text = str(profile)
        recent = [text, *(p for p in self.settings.recent_profiles if p != text)]
        self.update(last_profile=text, recent_profiles=recent[:MAX_RECENT_PROFILES])

    def save(self) -> None:
        """Write atomically; settings are a convenience, so a failure is logged, not raised."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(self.path.name + ".partial")
            partial.write_text(
                json.dumps(dataclasses.asdict(self.settings), indent=2), encoding="utf-8"
            )
            partial.replace(self.path)
        except OSError as exc:
            log.warning("could not save settings: %s", exc.__class__.__name__)

    def _load(self) -> Settings:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Settings()
        except (OSError, ValueError) as exc:
            log.warning("settings unreadable (%s); using defaults", exc.__class__.__name__)
            return Settings()
        if not isinstance(raw, dict):
            return Settings()
        return _from_dict(upgrade_settings(raw))


def upgrade_settings(raw: dict[str, Any]) -> dict[str, Any]:
    """Apply upgrade steps until ``raw`` is at SETTINGS_VERSION."""
    version = raw.get("version", 1)
    # A hand-edited version with no upgrade step (0, -1) is read as it is, field by field.
    while isinstance(version, int) and version < SETTINGS_VERSION and version in _UPGRADES:
        raw = _UPGRADES[version](raw)
        version += 1
        raw["version"] = version
    return raw


def _from_dict(raw: dict[str, Any]) -> Settings:
    defaults = Settings()
    values: dict[str, Any] = {}
    for item in dataclasses.fields(Settings):
        value = raw.get(item.name, getattr(defaults, item.name))
        # A hand-edited file with a wrong type falls back to the default for that field only.
        if not _fits(value, _FIELD_TYPES[item.name]) or not _in_range(item.name, value):
            value = getattr(defaults, item.name)
        values[item.name] = value
    values["version"] = SETTINGS_VERSION
    return Settings(**values)


_FIELD_TYPES: dict[str, Any] = typing.get_type_hints(Settings)


def _in_range(name: str, value: Any) -> bool:
    if name not in FIELD_RANGES:
        return True
    low, high = FIELD_RANGES[name]
    return bool(low <= value <= high)


def _fits(value: Any, hint: Any) -> bool:
    """Whether a value read from JSON has the field's declared type (``str | None``, ``list[str]``,
    ``dict[str, str]``)."""
    if isinstance(hint, types.UnionType):
        return any(_fits(value, option) for option in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if typing.get_origin(hint) is list:
        (item_type,) = typing.get_args(hint)
        return isinstance(value, list) and all(_fits(item, item_type) for item in value)
    if typing.get_origin(hint) is dict:
        key_type, value_type = typing.get_args(hint)
        return isinstance(value, dict) and all(
            _fits(key, key_type) and _fits(item, value_type) for key, item in value.items()
        )
    # bool is an int in Python, but "version": true is not a version.
    return isinstance(value, hint) and not (isinstance(value, bool) and hint is not bool)

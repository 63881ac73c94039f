"""The settings window's Sync page: the folder and interval saved like any option, and
every other device's health from the database."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from focusguard.core import sync_format as fmt
from focusguard.core.config import STARTER_CONFIG, load_config
from focusguard.core.model import Classification, Event
from focusguard.records import Records
from focusguard.store import Store
from focusguard.sync import SyncEngine
from focusguard.syncfolder import DEVICE_FILE, Identity, day_path, write_whole
from focusguard.ui.settings import SettingsContext, SettingsWindow

NOW = time.time()
LAPTOP = Identity("b" * 32, "Laptop")


@pytest.fixture
def window(qtbot, tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(STARTER_CONFIG, encoding="utf-8")
    store = Store(tmp_path / "fg.db")
    w = SettingsWindow(SettingsContext(config_file, Records(store, clock=lambda: NOW)))
    qtbot.addWidget(w)
    w.open_window()
    yield w, config_file, store, tmp_path / "Sync"
    w.discard()
    store.close()


def test_the_folder_and_interval_are_saved_and_each_device_is_listed(window) -> None:
    w, config_file, store, folder = window
    page = w.sync_page
    assert "Sync is off" in page.devices.text()
    page.folder.setText(str(folder))
    page.folder.textEdited.emit(str(folder))
    assert w.is_dirty()
    assert w.save()
    assert load_config(config_file).config.sync.folder == str(folder)
    page.follow.setText("Office desktop")  # the computer whose activities this one follows
    page.follow.textEdited.emit("Office desktop")
    assert w.is_dirty() and w.save()
    assert load_config(config_file).config.sync.follow == "Office desktop"
    assert load_config(config_file).config.sync.folder == str(folder)
    # the laptop published a day 3 minutes ahead of this clock; a stranger's file is broken
    day = datetime.fromtimestamp(NOW, UTC).date()
    event = Event(0, NOW - 600, NOW + 180, "firefox", "t", "", None, Classification.DISTRACTION)
    write_whole(day_path(folder, LAPTOP.id, day), fmt.encode_day(LAPTOP.id, LAPTOP.name, day, NOW + 180,
                                                                 [fmt.event_record(event)]))
    write_whole(folder / LAPTOP.id / DEVICE_FILE, fmt.encode_device(LAPTOP.id, LAPTOP.name, NOW + 180))
    (folder / ("c" * 32) / "2026-11").mkdir(parents=True)
    (folder / ("c" * 32) / "2026-11" / "2026-11-20.jsonl.gz").write_bytes(b"not gzip")
    SyncEngine(store, folder, Identity("a" * 32, "Desk"), clock=lambda: NOW).merge()
    w.reload()
    text = page.devices.text()
    assert "Laptop: last file just now; its clock runs about 3 min ahead" in text
    assert "skipped " + str(Path("c" * 32) / "2026-11" / "2026-11-20.jsonl.gz") in text

"""The app's sync runner: SyncWorker's results brought to the GUI thread, ``merged``
emitted there after a run that brought another device's history in."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from focusguard.core import sync_format as fmt
from focusguard.core.config import Config
from focusguard.core.config.values import SyncSettings
from focusguard.core.model import Classification, Event
from focusguard.store import Store
from focusguard.sync import SyncResult
from focusguard.syncfolder import DEVICE_FILE, Identity, day_path, identity_path, load_identity, write_whole
from focusguard.ui.qt import QtCore
from focusguard.ui.sync_runner import SyncRunner

NOW = time.time()


def test_the_runner_brings_a_merge_to_the_gui_thread(qtbot, tmp_path: Path) -> None:
    db, folder = tmp_path / "data" / "fg.db", tmp_path / "Sync"
    Store(db).close()
    laptop = Identity("b" * 32, "Laptop")
    day = datetime.fromtimestamp(NOW, UTC).date()
    event = Event(0, NOW - 600, NOW - 60, "firefox", "t", "", None, Classification.DISTRACTION)
    write_whole(day_path(folder, laptop.id, day), fmt.encode_day(laptop.id, laptop.name, day, NOW,
                                                                 [fmt.event_record(event)]))
    write_whole(folder / laptop.id / DEVICE_FILE, fmt.encode_device(laptop.id, laptop.name, NOW))
    load_identity(identity_path(db))
    runner = SyncRunner()
    threads: list[bool] = []
    runner.merged.connect(lambda: threads.append(QtCore.QThread.currentThread() is runner.thread()))
    with qtbot.waitSignal(runner.merged, timeout=10_000):
        runner.start(Config(sync=SyncSettings(folder=str(folder), interval_minutes=60)), db)
    assert isinstance(runner.last, SyncResult) and runner.last.merged == 1
    runner.stop()  # one more run, whose result is queued to this thread
    qtbot.waitUntil(lambda: isinstance(runner.last, SyncResult) and runner.last.merged == 0, timeout=5000)
    assert threads == [True]

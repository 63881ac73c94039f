"""The app's sync runner: SyncWorker's results brought to the GUI thread, ``merged``
emitted there after a run that brought another device's history in."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

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


class FakeWorker:
    """Records how the runner drives its worker."""

    made: ClassVar[list[FakeWorker]] = []

    def __init__(self, db_path: Path, folder: Path, identity: Identity, interval: float, on_done: object,
                 config_file: Path | None = None) -> None:
        self.folder, self.interval, self.config_file = folder, interval, config_file
        self.calls: list[str] = []
        FakeWorker.made.append(self)

    def start(self) -> None:
        self.calls.append("start")

    def stop(self, timeout: float = 10.0, *, last_run: bool = True) -> None:
        self.calls.append(f"stop timeout={timeout} last_run={last_run}")


def test_a_config_change_restarts_the_worker_without_waiting_for_it(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "data" / "fg.db"
    runner = SyncRunner()
    FakeWorker.made.clear()

    def config(folder: str, minutes: float = 5) -> Config:
        return Config(sync=SyncSettings(folder=folder, interval_minutes=minutes))

    runner.start(config(""), db, worker=FakeWorker)
    assert FakeWorker.made == []  # no folder: no sync
    runner.start(config(str(tmp_path / "A")), db, worker=FakeWorker)
    runner.start(config(str(tmp_path / "A")), db, worker=FakeWorker)  # the same settings: the same worker
    assert len(FakeWorker.made) == 1 and FakeWorker.made[0].calls == ["start"]
    runner.start(config(str(tmp_path / "B"), 1), db, worker=FakeWorker)
    first, second = FakeWorker.made
    assert first.calls == ["start", "stop timeout=0 last_run=False"]
    assert (second.folder, second.interval, second.calls) == (tmp_path / "B", 60, ["start"])
    runner.start(config(""), db, worker=FakeWorker)  # the folder removed: sync stops
    assert second.calls[-1] == "stop timeout=0 last_run=False" and len(FakeWorker.made) == 2
    runner.stop()  # nothing left to stop
    assert second.calls[-1] == "stop timeout=0 last_run=False"


def test_the_worker_is_given_the_config_file_to_publish_and_follow_activities(qtbot, tmp_path: Path) -> None:
    FakeWorker.made.clear()
    runner = SyncRunner()
    runner.start(Config(sync=SyncSettings(folder=str(tmp_path / "A"))), tmp_path / "data" / "fg.db",
                 config_file=tmp_path / "config.toml", worker=FakeWorker)
    assert [w.config_file for w in FakeWorker.made] == [tmp_path / "config.toml"]
    runner.stop()

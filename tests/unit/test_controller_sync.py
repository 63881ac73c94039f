"""The running app after a merge (issue 16): the tray's day figures count the other
device's time, and a priority declared there later is today's here too."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario import CONFIG, SALES, Clock

from focusguard.controller import Controller
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.store import Store
from focusguard.sync import SyncEngine
from focusguard.syncfolder import identity_path, load_identity


def test_after_a_merge_the_tray_counts_the_laptops_time_and_takes_its_later_priority(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    clock = Clock()  # Monday 09:00, Berlin
    desk_db, laptop_db, folder = tmp_path / "desk" / "fg.db", tmp_path / "laptop" / "fg.db", tmp_path / "Sync"
    controller = Controller(config_file, Store(desk_db, max_gap=4.0, flush_every=0), clock=clock, own_pid=999)
    try:
        desk = load_identity(identity_path(desk_db))  # sync set up on the desk
        controller.declare("Sales")
        for _ in range(30):
            controller.handle_sample(SALES, 0.0)
            clock.now += 2.0
        before = controller.today().seconds[Classification.DISTRACTION.value]
        with Store(laptop_db) as laptop:  # the laptop's early morning: 30 minutes of video, then a new priority
            start = clock.now - 3600
            for t in range(0, 1801, 2):
                laptop.record(Classified(Sample(start + t, "firefox", "YouTube - cats"), "Video",
                                         Classification.DISTRACTION))
            laptop.declare(Declaration(clock.now, "Engineering", "fix the build"))
            laptop.flush()
            SyncEngine(laptop, folder, load_identity(identity_path(laptop_db))).run()
        with Store(desk_db) as worker_store:  # the sync thread's own connection
            assert SyncEngine(worker_store, folder, desk).run().merged == 1
        controller.on_synced()
        assert controller.priority == "Engineering"
        figures = controller.today()
        assert figures.seconds[Classification.DISTRACTION.value] - before == pytest.approx(1800, abs=4)
    finally:
        controller.close()

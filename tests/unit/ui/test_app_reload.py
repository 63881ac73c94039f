"""Config reloads in the running app (issue 11): read off the GUI thread, so samples keep
being handled meanwhile; a broken or oversized file keeps the last good config and says why."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from scenario import CONFIG, SALES, TZ, Clock

from focusguard.app import FocusGuardApp
from focusguard.controller import Controller
from focusguard.core.config import MAX_FILE_BYTES, UNBOUNDED_MESSAGE
from focusguard.store import Store
from focusguard.ui.tray import TrayMenu, TrayPresenter


class RecordingPresenter(TrayPresenter):
    def __init__(self) -> None:
        super().__init__(TrayMenu(), tray_available=lambda: False, wait_seconds=0.5)
        self.messages: list[tuple[str, str]] = []

    def show_message(self, title: str, text: str) -> None:  # type: ignore[override]
        self.messages.append((title, text))


@pytest.fixture
def env(qtbot, tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    clock = Clock()
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    controller = Controller(config_file, store, clock=clock, tz=TZ, own_pid=1)
    presenter = RecordingPresenter()
    app = FocusGuardApp(controller, presenter=presenter)
    yield app, clock, config_file, presenter
    app.shutdown()  # as the app quits: a config read still on its way finds it stopped


def rewrite(path: Path, text: str, tick: int = 1) -> None:
    """Write and move the mtime on, so the change is seen whatever the clock's grain."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + tick * 1_000_000_000))


def test_the_config_is_read_on_a_worker_while_samples_go_on(env, qtbot, monkeypatch) -> None:
    app, clock, config_file, _ = env
    controller = app.controller
    release = threading.Event()
    readers: list[threading.Thread] = []
    real_read = controller.read_config

    def slow_read():
        readers.append(threading.current_thread())
        assert release.wait(10)
        return real_read()

    monkeypatch.setattr(controller, "read_config", slow_read)
    rewrite(config_file, CONFIG.replace("interval_seconds = 2", "interval_seconds = 1"))
    app.reload_config()  # returns at once: the read blocks on another thread
    qtbot.waitUntil(lambda: bool(readers), timeout=5000)
    assert readers[0] is not threading.main_thread()
    app.reload_config()  # a poll while a read runs starts no second one
    for _ in range(3):  # the GUI thread keeps handling samples meanwhile
        app.on_sample(SALES, 0.0)
        clock.now += 2
    assert controller.config.sampling.interval_seconds == 2
    release.set()
    qtbot.waitUntil(lambda: controller.config.sampling.interval_seconds == 1, timeout=5000)
    assert len(readers) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CONFIG + '\n[privacy]\nexclude_titles = ["(?<=bank)x"]\n', f"privacy.exclude_titles[0]: {UNBOUNDED_MESSAGE}"),
        (CONFIG.replace("interval_seconds = 2", "interval_seconds = nan"),
         "sampling.interval_seconds: must be a number from 0.2 to 60, got nan"),
        (CONFIG + "#" * MAX_FILE_BYTES, "FocusGuard reads config files up to 1 MiB"),
    ],
)
def test_a_refused_reload_keeps_the_last_good_config_and_says_why(env, qtbot, text: str, expected: str) -> None:
    app, _, config_file, presenter = env
    good = app.controller.config
    rewrite(config_file, text)
    app.reload_config()
    qtbot.waitUntil(lambda: bool(presenter.messages), timeout=10_000)
    assert app.controller.config is good
    title, message = presenter.messages[-1]
    assert title == "FocusGuard: config has errors" and expected in message
    rewrite(config_file, CONFIG.replace("interval_seconds = 2", "interval_seconds = 3"), tick=2)
    app.reload_config()  # and a fixed file is picked up again
    qtbot.waitUntil(lambda: app.controller.config.sampling.interval_seconds == 3, timeout=5000)


@pytest.mark.parametrize("atomic", [False, True], ids=["in place", "replaced as editors save"])
def test_an_edit_is_picked_up_at_once_not_at_the_next_poll(env, qtbot, atomic: bool) -> None:
    app, _clock, config_file, _ = env
    app.start()  # watches the file; the poll behind the watch is 30 s
    edited = CONFIG.replace("distraction_after_minutes = 1", "distraction_after_minutes = 7")
    assert edited != CONFIG
    if atomic:
        fresh = config_file.with_suffix(".tmp")
        rewrite(fresh, edited)
        os.replace(fresh, config_file)
    else:
        rewrite(config_file, edited)
    qtbot.waitUntil(lambda: app.controller.config.nudge.distraction_after_minutes == 7, timeout=3000)
    # the watch outlives a replaced file: a second edit is seen too
    rewrite(config_file, edited.replace("= 7", "= 9"), tick=2)
    qtbot.waitUntil(lambda: app.controller.config.nudge.distraction_after_minutes == 9, timeout=3000)
    app.shutdown()

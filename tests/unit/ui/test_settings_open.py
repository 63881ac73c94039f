"""Opening the settings window: from the tray app (one window, raised again), and
`focusguard settings` (asks the running app, or opens it standalone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from focusguard import cli
from focusguard.app import FocusGuardApp
from focusguard.controller import Controller
from focusguard.core.config import STARTER_CONFIG, load_config
from focusguard.runtime.single_instance import SETTINGS, SHOW, SingleInstance, notify_running
from focusguard.store import Store
from focusguard.ui.qt import QtWidgets
from focusguard.ui.settings import WINDOW_TITLE, SettingsWindow
from focusguard.ui.tray import TrayMenu, TrayPresenter


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return tmp_path


@pytest.fixture
def app(qtbot, home: Path):
    config_file = home / "config.toml"
    config_file.write_text(STARTER_CONFIG, encoding="utf-8")
    store = Store(home / "fg.db", flush_every=0)
    controller = Controller(config_file, store, own_pid=1)
    presenter = TrayPresenter(TrayMenu(), tray_available=lambda: False, wait_seconds=0.5)
    fg = FocusGuardApp(controller, presenter=presenter)
    qtbot.addWidget(fg.nudge)
    yield fg
    window = getattr(fg, "settings_window", None)
    if window is not None:
        window.discard()
        window.deleteLater()
    fg.shutdown()  # as the app quits: a config read still on its way finds it stopped


@pytest.fixture
def unique_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A session runtime directory of our own, so no real FocusGuard on this machine is involved."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    return runtime


@pytest.fixture
def running(qtbot, unique_server: Path):
    """A listening instance, as the tray app holds one; its sockets are let go (their
    queued disconnects delivered) before it is destroyed."""
    instance = SingleInstance()
    assert instance.acquire()
    yield instance
    instance.release()
    qtbot.wait(100)


def test_the_tray_opens_one_window_and_a_second_request_raises_it(qtbot, app: FocusGuardApp) -> None:
    app.menu.settings_requested.emit()
    window = app.settings_window
    assert isinstance(window, SettingsWindow) and window.isVisible()
    assert window.windowTitle() == WINDOW_TITLE
    window.nudges_page.snooze.spin.setValue(33)  # an edit in progress survives a second request
    app.show_settings()
    assert app.settings_window is window and window.nudges_page.snooze.value() == 33
    tops = [w for w in QtWidgets.QApplication.topLevelWidgets() if w.windowTitle() == WINDOW_TITLE and w.isVisible()]
    assert tops == [window]


def test_saving_in_the_app_applies_at_once(qtbot, app: FocusGuardApp) -> None:
    app.show_settings()
    window = app.settings_window
    window.nudges_page.distraction.spin.setValue(2)
    priority = window.priority_page
    priority.activity.setCurrentIndex(priority.activity.findData("Email"))
    engine = app.controller.engine
    assert window.save()
    assert app.controller.config.nudge.distraction_after_minutes == 2
    assert app.controller.engine is engine  # reconfigured, not rebuilt
    assert app.controller.priority == "Email"
    assert load_config(app.controller.config_file).config == app.controller.config


def test_the_settings_message_reaches_the_running_instance(qtbot, running: SingleInstance) -> None:
    with qtbot.waitSignal(running.settings_requested, timeout=3000):
        assert notify_running(SETTINGS)
    with qtbot.waitSignal(running.activated, timeout=3000):
        assert notify_running(SHOW)


def test_no_running_instance_means_no_answer(unique_server: Path) -> None:
    assert not notify_running(SETTINGS, timeout_ms=200)


def test_focusguard_settings_asks_the_running_app(qtbot, running: SingleInstance, capsys) -> None:
    with qtbot.waitSignal(running.settings_requested, timeout=3000):
        assert cli.main(["settings"]) == 0
    assert capsys.readouterr().out == "Asked the running FocusGuard to open its settings.\n"


def test_focusguard_settings_opens_standalone_when_none_runs(qtbot, home: Path, unique_server: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def run_loop(qapp: QtWidgets.QApplication) -> int:
        windows = [w for w in qapp.topLevelWidgets() if w.windowTitle() == WINDOW_TITLE and w.isVisible()]
        seen.extend(windows)
        for w in windows:
            w.close()
        return 0

    monkeypatch.setattr(QtWidgets.QApplication, "exec", run_loop)
    config = home / "standalone.toml"
    assert cli.main(["--config", str(config), "--db", str(home / "standalone.db"), "settings"]) == 0
    assert len(seen) == 1 and seen[0].context.config_file == config
    assert config.exists()  # opened on the file, created as a first run would


def test_no_display_says_where_the_file_is(monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setattr(cli.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["--config", str(tmp_path / "c.toml"), "settings"]) == cli.EXIT_USAGE
    assert "no display for the settings window" in capsys.readouterr().err

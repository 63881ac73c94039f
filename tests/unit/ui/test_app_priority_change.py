"""The app after a change of priority: "Back to <new priority>" says when it has no
window of that priority to raise, and the tray shows no tick for a declaration."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario import CODE, CONFIG, SALES, TZ, VIDEO, Clock

from focusguard.app import FocusGuardApp
from focusguard.controller import Controller
from focusguard.core.palette import TrayState
from focusguard.store import Store
from focusguard.ui.qt import QtCore
from focusguard.ui.tray import TrayMenu, TrayPresenter


@pytest.fixture
def env(qtbot, tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    clock = Clock()
    controller = Controller(config_file, Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0),
                            clock=clock, tz=TZ, own_pid=1)
    presenter = TrayPresenter(TrayMenu(), tray_available=lambda: False, wait_seconds=0.5)
    app = FocusGuardApp(controller, presenter=presenter)
    qtbot.addWidget(app.nudge)
    app.start()
    yield app, clock
    app.nudge.hide()
    app.shutdown()  # as the app quits: a config read still on its way finds it stopped


def feed(app: FocusGuardApp, clock: Clock, window, seconds: float) -> None:
    end = clock.now + seconds
    while clock.now < end:
        app.on_sample(window, 0.0)
        clock.now += 2


def test_back_to_a_new_priority_with_no_window_says_so_and_raises_nothing(env, qtbot, monkeypatch) -> None:
    app, clock = env
    app.declare("Sales", "")
    feed(app, clock, SALES, 10)
    app.declare("Engineering", "")
    feed(app, clock, VIDEO, 62)
    assert app.nudge.isVisible()
    assert app.nudge.back_button.text() == "Back to Engineering (no window seen yet)"
    raised = []
    monkeypatch.setattr(app, "_activate", raised.append)
    qtbot.mouseClick(app.nudge.back_button, QtCore.Qt.MouseButton.LeftButton)
    assert raised == []  # never the Sales CRM
    feed(app, clock, CODE, 4)
    feed(app, clock, VIDEO, 62)
    assert app.nudge.back_button.text() == "Back to Engineering"
    qtbot.mouseClick(app.nudge.back_button, QtCore.Qt.MouseButton.LeftButton)
    assert raised == [CODE]


def test_declaring_with_no_window_in_front_shows_no_tick(env) -> None:
    app, clock = env
    feed(app, clock, None, 4)
    app.declare("Sales", "")
    assert app.presenter.state is TrayState.IDLE
    feed(app, clock, None, 4)
    assert app.presenter.state is TrayState.IDLE
    feed(app, clock, SALES, 4)
    assert app.presenter.state is TrayState.PRIORITY

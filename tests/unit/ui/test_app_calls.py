"""The app during and after a call: no nudge while the microphone records, the question
card when the call ends, the tray's "Calls to answer", and the answer stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario import CONFIG, TZ, VIDEO, Clock

from focusguard.app import FocusGuardApp
from focusguard.controller import Controller
from focusguard.core.calls import CallKind
from focusguard.store import Store
from focusguard.ui.qt import QtCore
from focusguard.ui.tray import TrayMenu, TrayPresenter


@pytest.fixture
def env(qtbot, tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    clock = Clock()
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    controller = Controller(config_file, store, clock=clock, tz=TZ, own_pid=1)
    presenter = TrayPresenter(TrayMenu(), tray_available=lambda: False, wait_seconds=0.5)
    app = FocusGuardApp(controller, presenter=presenter)
    qtbot.addWidget(app.nudge)
    qtbot.addWidget(app.call_card)
    app.start()
    yield app, clock
    app.nudge.hide()
    app.call_card.hide()
    app.shutdown()  # as the app quits: a config read still on its way finds it stopped


def feed(app: FocusGuardApp, clock: Clock, seconds: float) -> None:
    end = clock.now + seconds
    while clock.now < end:
        app.on_sample(VIDEO, 0.0)
        clock.now += 2


def test_a_call_holds_the_nudge_then_asks_and_the_answer_is_kept(env, qtbot) -> None:
    app, clock = env
    app.controller.declare("Sales")
    app.controller.on_microphone_changed(True)
    feed(app, clock, 300)
    assert not app.nudge.isVisible()
    assert not app.call_card.isVisible()
    assert "In a call" in app.presenter.tooltip
    app.controller.on_microphone_changed(False)
    feed(app, clock, 34)
    assert app.call_card.isVisible()
    assert app.call_card.headline_label.text() == "That call (firefox, 5 min): value call or chill call?"
    assert app.calls_menu.action.isVisible()
    qtbot.mouseClick(app.call_card.chill_button, QtCore.Qt.MouseButton.LeftButton)
    [call] = app.controller.calls.log.calls(0, clock.now)
    assert call.kind is CallKind.CHILL
    assert not app.calls_menu.action.isVisible()


def test_a_call_left_for_later_is_asked_again_from_the_tray_menu(env, qtbot) -> None:
    app, clock = env
    app.controller.on_microphone_changed(True)
    feed(app, clock, 200)
    app.controller.on_microphone_changed(False)
    feed(app, clock, 34)
    qtbot.mouseClick(app.call_card.later_button, QtCore.Qt.MouseButton.LeftButton)
    assert not app.call_card.isVisible()
    [entry] = app.calls_menu.submenu.actions()
    entry.trigger()
    assert app.call_card.isVisible()
    qtbot.mouseClick(app.call_card.value_button, QtCore.Qt.MouseButton.LeftButton)
    assert app.controller.calls.waiting() == ()

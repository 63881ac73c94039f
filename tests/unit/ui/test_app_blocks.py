"""The app's Qt wiring of the focus block card: it shows beside the tray without the
focus, never over a nudge card, and Move to... reaches the store."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from scenario import CONFIG, SALES, TZ, VIDEO, Clock

from focusguard.app import FocusGuardApp
from focusguard.controller import Controller
from focusguard.store import Store
from focusguard.ui.qt import QtCore
from focusguard.ui.tray import TrayMenu, TrayPresenter

BLOCK = """
[[focus_block]]
name = "Outreach calls"
activity = "Sales"
start = "09:02"
end = "09:30"
"""


@pytest.fixture
def env(qtbot, tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG + BLOCK, encoding="utf-8")
    clock = Clock(datetime(2026, 11, 23, 8, 59, tzinfo=TZ))
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    controller = Controller(config_file, store, clock=clock, tz=TZ, own_pid=1)
    presenter = TrayPresenter(TrayMenu(), tray_available=lambda: False, wait_seconds=0.5)
    app = FocusGuardApp(controller, presenter=presenter)
    qtbot.addWidget(app.nudge)
    qtbot.addWidget(app.block_card)
    app.start()
    yield app, clock
    app.nudge.hide()
    app.block_card.hide()
    app.shutdown()  # as the app quits: a config read still on its way finds it stopped


def feed(app: FocusGuardApp, clock: Clock, window, until_minute: int) -> None:
    end = datetime(2026, 11, 23, 9, until_minute, tzinfo=TZ).timestamp()
    while clock.now < end:
        app.on_sample(window, 0.0)
        clock.now += 2


def test_the_card_comes_under_a_nudge_and_move_to_stores_the_move(env, qtbot) -> None:
    app, clock = env
    app.controller.declare("Sales")
    feed(app, clock, SALES, 0)
    feed(app, clock, VIDEO, 2)  # a minute of YouTube: the level-1 nudge is up
    assert app.nudge.isVisible() and not app.block_card.isVisible()
    feed(app, clock, VIDEO, 3)  # 09:02: the block starts with the user on YouTube
    card = app.block_card
    assert card.isVisible() and card.headline_label.text() == "Your outreach calls block started. Go, or move it?"
    assert not card.frameGeometry().intersects(app.nudge.frameGeometry())
    qtbot.mouseClick(card.move_button, QtCore.Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.choice_buttons[0], QtCore.Qt.MouseButton.LeftButton)
    assert not card.isVisible()
    moves = app.controller.store.db.execute("SELECT block, to_start FROM block_moves").fetchall()
    assert moves == [("outreach calls", datetime(2026, 11, 23, 9, 30, tzinfo=TZ).timestamp())]


def test_the_card_goes_when_the_user_goes_to_the_block(env) -> None:
    app, clock = env
    app.controller.declare("Sales")
    feed(app, clock, VIDEO, 3)
    assert app.block_card.isVisible()
    feed(app, clock, SALES, 4)
    assert not app.block_card.isVisible()

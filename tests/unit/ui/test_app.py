"""The app's Qt wiring: nudge buttons and tray menu actions reach the engine, store and config."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario import CODE, CONFIG, MYSTERY, SALES, TZ, VIDEO, Clock

from focusguard.app import FocusGuardApp
from focusguard.controller import Controller
from focusguard.core.model import Classification, Nudge
from focusguard.core.palette import TrayState
from focusguard.platform.window import WindowInfo
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
    menu = TrayMenu()
    presenter = TrayPresenter(menu, tray_available=lambda: False, wait_seconds=0.5)
    app = FocusGuardApp(controller, presenter=presenter)
    qtbot.addWidget(app.nudge)
    qtbot.addWidget(app.declare_dialog)
    app.start()
    yield app, clock, config_file
    app.nudge.hide()
    app.shutdown()  # as the app quits: a config read still on its way finds it stopped


def feed(app: FocusGuardApp, clock: Clock, window: WindowInfo, seconds: float) -> None:
    end = clock.now + seconds
    while clock.now < end:
        app.on_sample(window, 0.0)
        clock.now += 2


def answers(app: FocusGuardApp) -> list[str | None]:
    return [row[0] for row in app.controller.store.db.execute("select answer from nudges order by at")]


def nudge_up(app, clock, window=VIDEO, seconds=62) -> None:
    app.controller.declare("Sales", "call three past customers")
    feed(app, clock, SALES, 10)
    feed(app, clock, window, seconds)
    assert app.nudge.isVisible()
    assert app.nudge.windowTitle() == "FocusGuard nudge"


def test_morning_prompt_opens_declare_without_focus(env, qtbot) -> None:
    app, clock, _ = env
    feed(app, clock, SALES, 2)
    assert app.declare_dialog.isVisible()
    assert app.declare_dialog.testAttribute(QtCore.Qt.WidgetAttribute.WA_ShowWithoutActivating)
    app.declare_dialog.activity.setCurrentText("Sales")
    app.declare_dialog.next_step.setText("call three past customers")
    qtbot.mouseClick(app.declare_dialog.declare_button, QtCore.Qt.MouseButton.LeftButton)
    assert app.controller.priority == "Sales"
    assert app.controller.store.declaration_on(app.controller.day, TZ).next_step == "call three past customers"
    assert app.menu.priority_action.text() == "Priority: Sales"
    assert app.menu.next_action.text() == "Next: call three past customers"


def test_back_button_ends_streak_and_stores_answer(env, qtbot) -> None:
    app, clock, _ = env
    nudge_up(app, clock)
    assert "Sales" in app.nudge.back_button.text()
    qtbot.mouseClick(app.nudge.back_button, QtCore.Qt.MouseButton.LeftButton)
    assert not app.nudge.isVisible()
    assert answers(app) == ["back"]
    assert app.controller.engine.streak.off_seconds == 0


def test_snooze_button_reschedules(env, qtbot) -> None:
    app, clock, _ = env
    nudge_up(app, clock)
    qtbot.mouseClick(app.nudge.snooze_button, QtCore.Qt.MouseButton.LeftButton)
    assert answers(app) == ["snooze"]
    assert not app.nudge.isVisible()
    feed(app, clock, VIDEO, 30)
    assert not app.nudge.isVisible()  # within snooze_minutes
    feed(app, clock, VIDEO, 40)
    assert app.nudge.isVisible() and app.nudge.view.level == 2


def test_part_of_priority_writes_rule_keeping_comments(env, qtbot) -> None:
    app, clock, config_file = env
    nudge_up(app, clock, CODE, 122)
    app.nudge.part_app_action.trigger()
    assert answers(app) == ["part_of_priority"]
    text = config_file.read_text(encoding="utf-8")
    assert "# my own comment, kept" in text
    sales_part = text.split('name = "Engineering"')[0]
    assert 'app = "code"' in sales_part.split('name = "Sales"')[1]
    feed(app, clock, CODE, 2)
    assert app.controller.last.classification is Classification.PRIORITY
    assert app.presenter.state is TrayState.PRIORITY


def test_part_of_priority_on_broken_config_keeps_nudge_and_file(env, qtbot) -> None:
    app, clock, config_file = env
    nudge_up(app, clock, CODE, 122)
    config_file.write_text("[[activity]\nbroken", encoding="utf-8")
    app.nudge.part_app_action.trigger()
    assert app.nudge.isVisible()  # brought back: the answer did not go through
    assert config_file.read_text(encoding="utf-8") == "[[activity]\nbroken"
    assert answers(app) == [None]


def test_what_is_this_asks_which_activity_then_says_what_it_learnt(env, qtbot) -> None:
    app, clock, config_file = env
    nudge_up(app, clock, MYSTERY, 122)
    assert app.nudge.view.unclassified
    qtbot.mouseClick(app.nudge.productive_button, QtCore.Qt.MouseButton.LeftButton)
    assert [a.text() for a in app.nudge.activity_menu.actions() if not a.isSeparator()] == [
        "Engineering", "New activity…"]  # the user's own; Sales is "Part of Sales"
    app.nudge.activity_menu.actions()[0].trigger()
    assert app.nudge.isVisible() and app.nudge.acknowledging
    assert app.nudge.headline_label.text() == "Got it: gimp is now Engineering."
    assert answers(app) == ["classified"]
    assert "Other productive work" not in config_file.read_text(encoding="utf-8")
    qtbot.waitUntil(app.nudge.isHidden, timeout=5000)
    feed(app, clock, MYSTERY, 100)  # under the 2 min threshold, counted from the answer
    assert app.nudge.isHidden() and app.controller.last.activity == "Engineering"


def test_what_is_this_with_a_new_activity_on_a_broken_config_keeps_the_nudge(env, qtbot) -> None:
    app, clock, config_file = env
    nudge_up(app, clock, MYSTERY, 122)
    config_file.write_text("[[activity]\nbroken", encoding="utf-8")
    qtbot.mouseClick(app.nudge.distraction_button, QtCore.Qt.MouseButton.LeftButton)
    app.nudge.activity_menu.actions()[-1].trigger()  # New activity…
    qtbot.keyClicks(app.nudge.name_edit, "Image fiddling")
    qtbot.keyClick(app.nudge.name_edit, QtCore.Qt.Key.Key_Return)
    assert app.nudge.isVisible() and not app.nudge.acknowledging
    assert app.nudge.view.unclassified  # asked again, nothing lost
    assert answers(app) == [None]


def test_change_priority_opens_declare_dialog(env, qtbot) -> None:
    app, clock, _ = env
    nudge_up(app, clock)
    qtbot.mouseClick(app.nudge.change_button, QtCore.Qt.MouseButton.LeftButton)
    assert app.declare_dialog.isVisible()
    app.declare_dialog.activity.setCurrentText("Engineering")
    app.declare_dialog.accept()
    assert app.controller.priority == "Engineering"
    assert app.controller.pending is None
    assert answers(app) == ["back"]


def test_going_back_on_own_closes_nudge(env) -> None:
    app, clock, _ = env
    nudge_up(app, clock)
    feed(app, clock, SALES, 2)
    assert not app.nudge.isVisible()
    assert answers(app) == ["back"]


def test_pause_and_resume_from_menu(env) -> None:
    app, clock, _ = env
    app.controller.declare("Sales")
    thirty = next(a for a in app.menu.pause_menu.actions() if a.text() == "30 minutes")
    thirty.trigger()
    assert app.controller.paused
    assert app.menu.resume_action.isVisible()
    assert not app.menu.pause_menu.menuAction().isVisible()
    feed(app, clock, VIDEO, 120)
    assert not app.nudge.isVisible()
    assert app.presenter.state is TrayState.IDLE
    app.menu.resume_action.trigger()
    assert not app.controller.paused
    assert app.menu.pause_menu.menuAction().isVisible()


def test_no_tray_falls_back_to_status_window_with_reason(env, qtbot) -> None:
    app, clock, _ = env
    qtbot.waitUntil(lambda: app.presenter.status is not None and app.presenter.status.isVisible(),
                    timeout=3000)
    status = app.presenter.status
    assert status.windowTitle() == "FocusGuard status"
    assert "No system tray" in status.why.text()
    app.controller.declare("Sales")
    feed(app, clock, SALES, 4)
    assert status.text.text().startswith("Priority: Sales")


def test_the_status_window_makes_way_for_the_full_screen_nudge(env, qtbot) -> None:
    app, clock, _ = env
    qtbot.waitUntil(lambda: app.presenter.status is not None and app.presenter.status.isVisible(),
                    timeout=3000)
    status = app.presenter.status
    nudge_up(app, clock)
    assert app.nudge.view.level == 1 and status.isVisible()
    app.on_snooze()
    for level in (2, 3):
        app.show_nudge(app.controller.nudge_view(Nudge(
            at=clock.now, activity="Video", classification=Classification.DISTRACTION,
            streak_seconds=600, distraction_seconds=600, level=level)))
        assert status.isVisible() is (level < 3)
    app.on_back()
    assert not app.nudge.isVisible() and status.isVisible()


def test_status_window_moves_into_tray_that_appears(qtbot, tmp_path) -> None:
    available = {"tray": False}
    menu = TrayMenu()
    presenter = TrayPresenter(menu, tray_available=lambda: available["tray"], wait_seconds=0.5)
    presenter.start()
    qtbot.waitUntil(lambda: presenter.status is not None and presenter.status.isVisible(), timeout=3000)
    available["tray"] = True
    presenter._poll.setInterval(100)
    qtbot.waitUntil(lambda: not presenter.status.isVisible(), timeout=3000)
    presenter.hide()


def test_probe_failure_shows_unavailable_state(env) -> None:
    app, _, _ = env
    app.on_probe_failed("window probe unavailable: the xrandr program is missing")
    assert app.presenter.state is TrayState.UNAVAILABLE
    assert "xrandr" in app.presenter.tooltip


def test_morning_prompt_closes_when_priority_declared_elsewhere(env, tmp_path) -> None:
    app, clock, _ = env
    feed(app, clock, SALES, 2)
    assert app.declare_dialog.isVisible()
    from focusguard.core.model import Declaration
    other = Store(tmp_path / "fg.db")
    other.declare(Declaration(at=clock.now, activity="Sales", next_step="from the CLI"))
    other.close()
    feed(app, clock, SALES, 2)
    assert not app.declare_dialog.isVisible()
    assert app.presenter.state is TrayState.PRIORITY


def test_menu_opens_today_and_review_windows(env, qtbot) -> None:
    app, clock, _ = env
    app.controller.declare("Sales")
    feed(app, clock, SALES, 60)
    app.menu.today_action.trigger()
    assert app.summary_window is not None and app.summary_window.isVisible()
    assert app.summary_window.windowTitle() == "FocusGuard summary"
    app.menu.review_action.trigger()
    assert app.review_window is not None and app.review_window.isVisible()
    for window in (app.summary_window, app.review_window):
        window.hide()
        window.deleteLater()


def test_an_exception_in_one_tick_is_logged_and_the_next_tick_runs(env, caplog, monkeypatch) -> None:
    app, clock, _ = env
    app.controller.declare("Sales")
    real = app.controller.handle_sample
    calls = []

    def flaky(window, idle, *, ago=0.0):
        calls.append(window)
        if len(calls) == 1:
            raise RuntimeError("the X server said something odd")
        return real(window, idle, ago=ago)

    monkeypatch.setattr(app.controller, "handle_sample", flaky)
    with caplog.at_level("ERROR", logger="focusguard"):
        feed(app, clock, SALES, 4)
    assert "tick failed" in caplog.text and "the X server said something odd" in caplog.text
    assert len(calls) == 2
    assert app.presenter.state is TrayState.PRIORITY


def test_the_priority_heads_the_menu_and_opens_the_declare_dialog(env) -> None:
    app, clock, _ = env
    app.controller.declare("Sales", "call three past customers")
    feed(app, clock, SALES, 2)
    assert app.menu.priority_action.isEnabled() and app.menu.priority_action.font().bold()
    app.menu.priority_action.trigger()
    assert app.declare_dialog.isVisible()
    assert app.declare_dialog.activity.currentText() == "Sales"
    assert app.declare_dialog.next_step.text() == "call three past customers"

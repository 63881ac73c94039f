"""The first run: the welcome window's three steps, and the app acting on its answer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard import __version__
from focusguard.app import FocusGuardApp
from focusguard.controller import Controller
from focusguard.core.config import load_config
from focusguard.core.model import Classification
from focusguard.core.starters import (
    DEVELOPER,
    EMPTY,
    FOUNDER,
    STARTERS,
    WELCOME_DONE,
    WELCOME_KEY,
    WELCOME_PENDING,
    WelcomeChoice,
)
from focusguard.platform import autostart
from focusguard.platform.window import WindowInfo
from focusguard.store import Store
from focusguard.ui.about import AboutDialog, DataLocations
from focusguard.ui.qt import QtCore, QtGui
from focusguard.ui.tray import TrayMenu, TrayPresenter
from focusguard.ui.welcome import TITLE, WelcomeWindow, counting_html

TZ = ZoneInfo("Europe/Berlin")
LOCATIONS = DataLocations(Path("/home/ada/.config/focusguard/config.toml"),
                          Path("/home/ada/.local/share/focusguard/focusguard.db"),
                          Path("/home/ada/.local/state/focusguard/log"))


@pytest.fixture
def welcome(qtbot) -> WelcomeWindow:
    window = WelcomeWindow(LOCATIONS, start_at_login=False)
    qtbot.addWidget(window)
    window.open_window()
    return window


def card(window: WelcomeWindow, name: str):
    return next(c for c in window.cards if c.starter.name == name)


class SpontaneousClose(QtGui.QCloseEvent):
    """A close coming from the window system (the title bar's close button)."""

    def spontaneous(self) -> bool:
        return True


def test_opens_on_step_one_with_a_starter_chosen(welcome: WelcomeWindow) -> None:
    assert welcome.windowTitle() == TITLE == "Welcome to FocusGuard"
    assert welcome.isVisible() and not welcome.isModal()
    assert welcome.steps.text() == "Step 1 of 3: Your work"
    assert [c.starter.name for c in welcome.cards] == [
        "Founder: sales first", "Developer", "Writer", "Start empty"]
    assert welcome.starter is FOUNDER
    assert not welcome.back_button.isEnabled() and welcome.next_button.text() == "Next"


def test_the_chosen_set_fills_the_priority_step(welcome: WelcomeWindow, qtbot) -> None:
    card(welcome, "Developer").radio.setChecked(True)
    qtbot.mouseClick(welcome.next_button, QtCore.Qt.MouseButton.LeftButton)
    assert welcome.steps.text() == "Step 2 of 3: Today's priority"
    items = [welcome.priority.itemText(i) for i in range(welcome.priority.count())]
    assert items == [a.name for a in DEVELOPER.activities]
    assert welcome.priority.currentText() == "Code"
    assert welcome.next_step.placeholderText() == DEVELOPER.next_step_hint
    assert "<b>On priority</b>: Code" in welcome.counting.text()
    assert "<b>Productive distraction</b>: Terminal, Email, Chat, Docs" in welcome.counting.text()


def test_a_priority_is_needed_to_go_on(welcome: WelcomeWindow, qtbot) -> None:
    card(welcome, "Start empty").radio.setChecked(True)
    welcome.next()
    assert welcome.priority.currentText() == ""
    welcome.next()
    assert welcome.index == 1 and welcome.priority_error.isVisible()
    assert "Name today's priority" in welcome.priority_error.text()
    qtbot.keyClicks(welcome.priority.lineEdit(), "Thesis")
    assert not welcome.priority_error.isVisible()
    assert "“Thesis” will be added as a new activity" in welcome.priority_note.text()
    assert welcome.counting.text().endswith("<b>On priority</b>: Thesis")
    welcome.next()
    assert welcome.index == 2


def test_own_words_survive_a_change_of_set_and_going_back(welcome: WelcomeWindow, qtbot) -> None:
    welcome.next()
    welcome.priority.setEditText("Fundraising")
    welcome.back()
    assert welcome.index == 0 and welcome.steps.text() == "Step 1 of 3: Your work"
    card(welcome, "Writer").radio.setChecked(True)
    welcome.next()
    assert welcome.priority.currentText() == "Fundraising"
    welcome.back()
    card(welcome, "Developer").radio.setChecked(True)  # a set's own suggestion is replaced
    welcome.next()
    welcome.priority.setEditText("Writing")
    welcome.back()
    card(welcome, "Founder: sales first").radio.setChecked(True)
    welcome.next()
    assert welcome.priority.currentText() == "Sales"


def test_the_last_step_shows_the_data_and_start_at_login(qtbot) -> None:
    window = WelcomeWindow(LOCATIONS, start_at_login=True)
    qtbot.addWidget(window)
    window.go_to(2)
    assert window.steps.text() == "Step 3 of 3: Your data"
    assert window.next_button.text() == "Start guarding"
    shown = {name: label.text() for name, label in window.paths.path_labels.items()}
    assert shown == {"Settings": str(LOCATIONS.config), "History": str(LOCATIONS.database),
                     "Logs": str(LOCATIONS.logs)}
    assert window.start_at_login.isChecked() and window.login_state.text().startswith("On:")
    window.start_at_login.setChecked(False)
    assert window.login_state.text().startswith("Off:")


def test_finishing_emits_the_choice_once(welcome: WelcomeWindow, qtbot) -> None:
    skipped: list[bool] = []
    welcome.skipped.connect(lambda: skipped.append(True))
    card(welcome, "Writer").radio.setChecked(True)
    welcome.next()
    qtbot.keyClicks(welcome.next_step, "draft chapter 3")
    welcome.next()
    welcome.start_at_login.setChecked(True)
    with qtbot.waitSignal(welcome.finished) as finished:
        qtbot.mouseClick(welcome.next_button, QtCore.Qt.MouseButton.LeftButton)
    assert finished.args == [WelcomeChoice("Writer", "Writing", "draft chapter 3", True)]
    assert not welcome.isVisible() and skipped == []


@pytest.mark.parametrize("close", ["skip", "title bar", "app quits"])
def test_skip_and_the_close_button_skip_but_quitting_does_not(qtbot, close: str) -> None:
    window = WelcomeWindow(LOCATIONS, start_at_login=False)
    qtbot.addWidget(window)
    window.open_window()
    events: list[str] = []
    window.skipped.connect(lambda: events.append("skipped"))
    window.finished.connect(lambda _: events.append("finished"))
    if close == "skip":
        qtbot.mouseClick(window.skip_button, QtCore.Qt.MouseButton.LeftButton)
    elif close == "title bar":
        window.closeEvent(SpontaneousClose())
    else:
        window.close()
    assert events == ([] if close == "app quits" else ["skipped"])


def test_every_step_fits_a_small_screen(welcome: WelcomeWindow) -> None:
    for index in range(3):
        welcome.go_to(index)
        hint = welcome.sizeHint().expandedTo(welcome.minimumSizeHint())
        assert hint.width() <= 1024 and hint.height() <= 720, (index, hint)


def test_counting_lists_each_class_once_in_palette_order() -> None:
    text = counting_html(FOUNDER.activities, "sales")
    labels = [part.split("<b>")[1].split("</b>")[0] for part in text.split("<br>")]
    assert labels == ["On priority", "Productive distraction", "Distraction", "Neutral"]
    assert "<b>On priority</b>: Sales<br>" in text  # matched ignoring case, shown as named
    assert counting_html(EMPTY.activities, "") == ""


def test_every_starter_has_a_card_and_suggests_one_of_its_activities() -> None:
    for starter in STARTERS:
        names = [a.name for a in starter.activities]
        assert not starter.priority or starter.priority in names, starter.name


def test_about_shows_the_version_and_the_data_paths(qtbot) -> None:
    about = AboutDialog(LOCATIONS)
    qtbot.addWidget(about)
    about.open_dialog()
    assert about.windowTitle() == "About FocusGuard" and not about.isModal()
    assert about.version.text() == f"Version {__version__}"
    assert about.paths.path_labels["History"].text() == str(LOCATIONS.database)


# --- the app on a first run --------------------------------------------------------------

CODE = WindowInfo(app="code", title="welcome.py - Visual Studio Code", pid=101)


@pytest.fixture
def first_run(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The app as run_app builds it on a first run: no config file yet, an empty
    database marked "welcome pending", start at login in a private XDG dir."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    config_file = tmp_path / "xdg-config" / "focusguard" / "config.toml"
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    store.set_meta(WELCOME_KEY, WELCOME_PENDING)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=TZ).timestamp()
    controller = Controller(config_file, store, clock=lambda: now, tz=TZ, own_pid=1)
    presenter = TrayPresenter(TrayMenu(), tray_available=lambda: False, wait_seconds=60)
    app = FocusGuardApp(controller, presenter=presenter)
    qtbot.addWidget(app.declare_dialog)
    qtbot.addWidget(app.nudge)
    app.start()
    qtbot.addWidget(app.welcome)
    yield app
    app.shutdown()  # as the app quits: a config read still on its way finds it stopped


def test_first_run_shows_the_welcome_and_holds_the_morning_prompt(first_run: FocusGuardApp) -> None:
    assert first_run.welcome is not None and first_run.welcome.isVisible()
    first_run.on_sample(CODE, 0.0)
    assert not first_run.declare_dialog.isVisible()


def test_finishing_writes_the_set_declares_and_turns_on_start_at_login(first_run: FocusGuardApp, qtbot) -> None:
    welcome = first_run.welcome
    card(welcome, "Developer").radio.setChecked(True)
    welcome.next()
    welcome.next_step.setText("make the import test pass")
    welcome.next()
    welcome.start_at_login.setChecked(True)
    welcome.next()
    controller = first_run.controller
    written = load_config(controller.config_file, create=False)
    assert written.ok and written.config.activity_names == [a.name for a in DEVELOPER.activities]
    assert controller.config.activity_names == written.config.activity_names
    assert (controller.declaration.activity, controller.declaration.next_step) == ("Code", "make the import test pass")
    assert autostart.is_enabled()
    assert controller.store.get_meta(WELCOME_KEY) == WELCOME_DONE
    assert first_run.controller.handle_sample(CODE, 0.0).classified.classification is Classification.PRIORITY


def test_skipping_keeps_the_starter_config_and_never_comes_back(first_run: FocusGuardApp, qtbot, tmp_path) -> None:
    before = first_run.controller.config_file.read_text(encoding="utf-8")
    first_run.welcome.skip()
    assert first_run.controller.store.get_meta(WELCOME_KEY) == WELCOME_DONE
    assert first_run.controller.config_file.read_text(encoding="utf-8") == before
    assert not autostart.is_enabled()
    again = FocusGuardApp(first_run.controller,
                          presenter=TrayPresenter(TrayMenu(), tray_available=lambda: False, wait_seconds=60))
    again.start()
    assert again.welcome is None
    again.presenter.hide()


def test_the_tray_menu_opens_the_about_box(first_run: FocusGuardApp, qtbot) -> None:
    first_run.menu.about_action.trigger()
    qtbot.addWidget(first_run.about_dialog)
    assert first_run.about_dialog.isVisible()
    assert first_run.about_dialog.paths.path_labels["Settings"].text() == str(first_run.controller.config_file)


def test_no_gnome_offer_where_none_is_needed(welcome: WelcomeWindow) -> None:
    assert not hasattr(welcome, "gnome_button")


def test_on_gnome_the_last_step_sets_up_the_extension(qtbot) -> None:
    calls: list[str] = []

    def set_up() -> str:
        calls.append("setup")
        return "Enabled it for this user.\nLog out and log in again once."

    window = WelcomeWindow(LOCATIONS, start_at_login=False, gnome_setup=set_up)
    qtbot.addWidget(window)
    window.open_window()
    window.go_to(2)
    assert window.gnome_button.isVisible()
    qtbot.mouseClick(window.gnome_button, QtCore.Qt.MouseButton.LeftButton)
    assert calls == ["setup"]
    assert "Log out and log in again once." in window.gnome_result.text()
    assert window.gnome_result.isVisible() and not window.gnome_button.isEnabled()


def test_a_failed_gnome_setup_says_why_and_can_be_tried_again(qtbot) -> None:
    def set_up() -> str:
        raise PermissionError("[Errno 13] Permission denied: '/home/ada/.local/share'")

    window = WelcomeWindow(LOCATIONS, start_at_login=False, gnome_setup=set_up)
    qtbot.addWidget(window)
    window.open_window()
    window.go_to(2)
    qtbot.mouseClick(window.gnome_button, QtCore.Qt.MouseButton.LeftButton)
    assert window.gnome_result.text().startswith("Could not set it up: [Errno 13] Permission denied")
    assert "focusguard setup gnome" in window.gnome_result.text()
    assert window.gnome_button.isEnabled()

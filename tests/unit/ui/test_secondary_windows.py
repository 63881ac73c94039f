"""The secondary windows look finished: the summary fits any screen from 1280x720 up,
the dialogs use FocusGuard's own buttons and readable helper text, every window carries
FocusGuard's icon, and the review's chart and suggestion say what is true."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest
from test_secondary_screens import CHANGES, cut_off, record_busy_day

from focusguard.core import figures, palette
from focusguard.core.model import Answer
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.about import AboutDialog, DataLocations
from focusguard.ui.declare import DeclareDialog
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.review_window import ReviewWindow, nudge_days
from focusguard.ui.style import TYPICAL_FRAME, fitted_size
from focusguard.ui.summary_window import SummaryWindow

DAY = date(2026, 6, 2)
NAMES = ["Sales", "Engineering", "Email", "Video", "Other productive work"]


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "fg.db", max_gap=3 * 3600, flush_every=0) as s:
        yield s


@pytest.fixture
def no_app_icon(qapp):
    """The application without an icon, as a fresh ``focusguard summary`` process starts."""
    before = qapp.windowIcon()
    qapp.setWindowIcon(QtGui.QIcon())
    yield
    qapp.setWindowIcon(before)


# --- the summary ----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1600 - 60, 1366 - 40, 1280 - 40])
def test_four_changes_of_priority_wrap_and_nothing_is_cut_off(qtbot, store: Store, width: int) -> None:
    record_busy_day(store, DAY)
    w = SummaryWindow(Records(store), activities=NAMES)
    qtbot.addWidget(w)
    w.show_day(DAY)
    w.resize(min(width, 940), 600)
    qtbot.waitExposed(w)
    QtWidgets.QApplication.processEvents()
    lines = w.changes.text().splitlines()
    assert len(lines) == len(CHANGES) and all(line.startswith("Priority changed at") for line in lines)
    assert w.changes.wordWrap()
    assert cut_off(w) == []


def test_the_summary_is_never_taller_or_wider_than_the_screen_with_its_frame() -> None:
    for screen, panel in (((1280, 720), 0), ((1366, 768), 32), ((1600, 1000), 48)):
        available = QtCore.QRect(0, panel, screen[0], screen[1] - panel)
        size = fitted_size(QtCore.QSize(940, 940), available, TYPICAL_FRAME)
        outer_height = size.height() + TYPICAL_FRAME.top() + TYPICAL_FRAME.bottom()
        assert outer_height <= available.height() and size.width() <= available.width()
    assert fitted_size(QtCore.QSize(940, 940), QtCore.QRect(0, 0, 2560, 1440), TYPICAL_FRAME) == QtCore.QSize(940, 940)


def test_the_summary_and_review_carry_the_app_icon(qtbot, store: Store, no_app_icon) -> None:
    for window in (SummaryWindow(Records(store), activities=NAMES), ReviewWindow(Records(store))):
        qtbot.addWidget(window)
        assert not window.windowIcon().isNull(), type(window).__name__


def test_a_window_opened_from_the_command_line_has_the_app_icon(no_app_icon) -> None:
    from focusguard.ui.standalone import application

    app = application()
    assert not app.windowIcon().isNull()
    assert app.desktopFileName() == "focusguard"


# --- the review -----------------------------------------------------------------------------


def test_the_nudge_chart_draws_answers_in_colours_of_their_own(store: Store) -> None:
    record_busy_day(store, DAY)
    r = figures.summarize_range(store, DAY, DAY)
    stack = nudge_days(r)[0].stack
    colours = {colour for _, colour in stack}
    classes = {s.colour for s in palette.CLASSIFICATION.values()}
    assert colours and not colours & classes
    assert palette.answer_colour(Answer.BACK) in colours


def test_the_suggestion_speaks_of_focus_blocks_only_when_there_are_some(qtbot, store: Store) -> None:
    record_busy_day(store, DAY)
    without = ReviewWindow(Records(store), focus_blocks=False)
    with_blocks = ReviewWindow(Records(store), focus_blocks=True)
    for window in (without, with_blocks):
        qtbot.addWidget(window)
        window.show_period(DAY - timedelta(days=6), DAY, activate=False)
    assert "focus block" not in without.suggestion.text()
    assert "focus block" in with_blocks.suggestion.text()


# --- the declare dialog and About -------------------------------------------------------------


class IconButtonsStyle(QtWidgets.QProxyStyle):
    """A desktop theme that puts icons on dialog buttons (KDE and GTK-like ones do: the
    green arrow and red cross)."""

    def styleHint(self, hint, option=None, widget=None, data=None):
        if hint == QtWidgets.QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons:
            return 1
        return super().styleHint(hint, option, widget, data)


@pytest.fixture
def icon_theme(qapp):
    before = qapp.style().name()
    qapp.setStyle(IconButtonsStyle("Fusion"))
    yield
    qapp.setStyle(before)


def locations(tmp_path: Path) -> DataLocations:
    return DataLocations(tmp_path / "config.toml", tmp_path / "fg.db", tmp_path / "logs")


def test_the_dialogs_use_their_own_buttons_not_the_themes_stock_icons(qtbot, tmp_path: Path, icon_theme) -> None:
    declare, about = DeclareDialog(), AboutDialog(locations(tmp_path))
    for dialog in (declare, about):
        qtbot.addWidget(dialog)
        dialog.show()
        buttons = dialog.findChildren(QtWidgets.QPushButton)
        assert buttons
        assert [b.text() for b in buttons if not b.icon().isNull()] == [], type(dialog).__name__
    assert declare.declare_button.text() == "Declare"


def _text_contrast(label: QtWidgets.QLabel) -> float:
    group = QtGui.QPalette.ColorGroup.Active if label.isEnabled() else QtGui.QPalette.ColorGroup.Disabled
    text = label.palette().color(group, label.foregroundRole()).name()
    page = label.window().palette().color(QtGui.QPalette.ColorGroup.Active, label.window().backgroundRole()).name()
    return palette.contrast(text, page)


def test_helper_text_reads_on_its_page(qtbot, tmp_path: Path) -> None:
    declare, about = DeclareDialog(), AboutDialog(locations(tmp_path))
    for dialog in (declare, about):
        qtbot.addWidget(dialog)
        dialog.show()
        faint = [label.text() for label in dialog.findChildren(QtWidgets.QLabel)
                 if label.text() and _text_contrast(label) < 4.5]
        assert faint == [], type(dialog).__name__


def test_the_dialogs_carry_the_app_icon(qtbot, tmp_path: Path, no_app_icon) -> None:
    for dialog in (DeclareDialog(), AboutDialog(locations(tmp_path))):
        qtbot.addWidget(dialog)
        assert not dialog.windowIcon().isNull(), type(dialog).__name__


def test_open_folder_without_a_file_manager_says_so_and_shows_the_path(qtbot, tmp_path: Path) -> None:
    about = AboutDialog(locations(tmp_path))
    qtbot.addWidget(about)
    opened = []
    about.paths.open_url = lambda url: opened.append(url) or False  # no xdg-open on this system
    about.show()
    about.paths.open_folder("History")
    assert opened and opened[0].toLocalFile() == str(tmp_path)
    message = about.paths.message
    assert message.isVisibleTo(about)
    assert "could not open" in message.text().casefold() and str(tmp_path) in message.text()
    assert message.textInteractionFlags() & QtCore.Qt.TextInteractionFlag.TextSelectableByMouse


def test_open_folder_that_works_says_nothing(qtbot, tmp_path: Path) -> None:
    about = AboutDialog(locations(tmp_path))
    qtbot.addWidget(about)
    about.paths.open_url = lambda url: True
    about.show()
    about.paths.open_folder("Logs")
    assert not about.paths.message.isVisibleTo(about)


def test_the_apps_review_knows_whether_the_config_has_focus_blocks(qtbot, tmp_path: Path, store: Store) -> None:
    from dataclasses import replace

    from test_summary_window import Clock, at, close_windows, make_app

    from focusguard.core.config import FocusBlock

    record_busy_day(store, DAY)
    app = make_app(qtbot, tmp_path, store, Clock(at(DAY, 18)))
    app.open_review(activate=False)
    close_windows(qtbot, app)
    assert app.review_window.focus_blocks is False and "focus block" not in app.review_window.suggestion.text()
    block = FocusBlock(frozenset(range(5)), time(9), time(11))
    app.controller.config = replace(app.controller.config, focus_blocks=(block,))
    app.open_review(activate=False)
    assert app.review_window.focus_blocks is True


def test_the_review_counts_with_plurals(qtbot, store: Store) -> None:
    record_busy_day(store, DAY)
    window = ReviewWindow(Records(store))
    qtbot.addWidget(window)
    window.show_period(DAY, DAY, activate=False)
    assert window.period.text().endswith("· 1 of 1 day tracked")
    assert window.nudge_line.text().startswith("4 nudges · ")
    one = nudge_days(figures.summarize_range(store, DAY, DAY))
    assert one[0].tooltip.startswith("4 nudges: ")

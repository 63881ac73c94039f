"""The settings window finished: nothing clipped in the activities list or the rules,
no blank rows in the preview, problems numbered for people, no config syntax, plurals,
a folder that cannot be opened said so, and the design's page, type and buttons."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from test_secondary_screens import EXTRA_CONFIG

from focusguard.core import palette
from focusguard.core.config import OPTIONS, STARTER_CONFIG
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.platform.autostart import XdgAutostart
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.settings import SettingsContext, SettingsWindow
from focusguard.ui.settings.delegates import NAME_ROLE

LONG_REGEX = "(?i)quarterly (report|review|planning)|budget spreadsheet|vendor contracts|partner programme"
#: Config words a person should never meet in the window: [[tables]], ("values"), snake_case keys.
KEYS = {part for option in OPTIONS for part in re.split(r"[.\[\]]+", option.path) if "_" in part}
JARGON = re.compile(r"\[\[|\]\]|\(\"|\b(" + "|".join(sorted(KEYS)) + r")\b")


@pytest.fixture
def window(qtbot, tmp_path: Path):
    now = time.time()
    config = tmp_path / "config.toml"
    config.write_text(STARTER_CONFIG + EXTRA_CONFIG, encoding="utf-8")
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    at = now - 86400
    for app, title, c in (("code", "app.py - Visual Studio Code", Classification.PRODUCTIVE_DISTRACTION),
                          ("", "", Classification.NEUTRAL),  # FocusGuard's own window, as the app records it
                          ("", "", Classification.IDLE)):
        for _ in range(30):
            store.record(Classified(Sample(at, app, title, idle=c is Classification.IDLE), None, c))
            at += 2
        at += 60
    store.declare(Declaration(now - 3600, "Code", "ship the importer"))
    store.flush()
    w = SettingsWindow(SettingsContext(config, Records(store, clock=lambda: now),
                                       autostart=XdgAutostart(env={"XDG_CONFIG_HOME": str(tmp_path)})))
    qtbot.addWidget(w)
    w.resize(w.minimumSize())  # the smallest it gets
    w.open_window()
    qtbot.waitExposed(w)
    yield w
    w.discard()
    store.close()


def show(window: SettingsWindow, title: str):
    window.go_to(window.pages.index(window.page_named(title)))
    window.refresh_preview()
    QtWidgets.QApplication.processEvents()
    return window.page_named(title)


def test_the_activities_list_shows_every_name_whole_without_scrolling_sideways(window: SettingsWindow) -> None:
    page = show(window, "Activities and rules")
    listing = page.list
    assert listing.count() == 12
    assert not listing.horizontalScrollBar().isVisible()
    delegate = listing.itemDelegate()
    for row in range(listing.count()):
        index = listing.model().index(row, 0)
        option = QtWidgets.QStyleOptionViewItem()
        option.initFrom(listing)
        option.rect = listing.visualRect(index)
        option.font = listing.font()
        name, kind = delegate.lines(option, index)
        assert name == index.data(NAME_ROLE) and not name.endswith("…"), name
        assert kind in ("productive", "distraction", "neutral", "today's priority")
    assert listing.item(11).data(NAME_ROLE) == "12.  Other productive work"


def test_a_name_too_long_for_the_list_is_elided_and_whole_in_its_tooltip(window: SettingsWindow) -> None:
    page = show(window, "Activities and rules")
    page.list.setCurrentRow(11)
    long = "Other productive work for the quarterly partner programme review"
    page.name.setText(long)
    page.name.textEdited.emit(long)
    index = page.list.model().index(11, 0)
    option = QtWidgets.QStyleOptionViewItem()
    option.rect = page.list.visualRect(index)
    option.font = page.list.font()
    name, _ = page.list.itemDelegate().lines(option, index)
    assert name.endswith("…") and long in page.list.item(11).toolTip()


def test_a_long_regex_is_shown_whole(window: SettingsWindow) -> None:
    page = show(window, "Activities and rules")
    page.list.setCurrentRow(page.names().index("Other productive work"))
    QtWidgets.QApplication.processEvents()
    table = page.rules
    assert table.item(0, 1).text() == LONG_REGEX
    needed = table.wrapping.text_height(LONG_REGEX, table.columnWidth(1), table.font())
    assert table.rowHeight(0) >= needed > table.fontMetrics().height()  # wrapped, and all of it shown
    assert sum(table.columnWidth(i) for i in range(table.columnCount())) <= table.viewport().width() + 1
    extra = [table.columnWidth(i) - table.horizontalHeader().sectionSizeFromContents(i).width() for i in range(4)]
    assert extra[1] == max(extra)  # the room beyond the headings goes to the column with the regex


def test_the_preview_leaves_out_time_with_no_window_to_name(window: SettingsWindow) -> None:
    page = show(window, "Activities and rules")
    table = page.preview.table
    rows = [(table.item(r, 3).text(), table.item(r, 4).text()) for r in range(table.rowCount())]
    assert rows == [("code", "app.py - Visual Studio Code")]
    assert page.preview.summary.text().startswith("1 window in the last 7 days")


def test_a_bad_rule_is_numbered_as_the_window_numbers_it(window: SettingsWindow) -> None:
    page = show(window, "Activities and rules")
    code = page.names().index("Code")
    page.list.setCurrentRow(code)
    while page.rules.rowCount() < 4:
        page.rules.add_rule()
    page.rules.set_cell(3, "title", "broken(")
    assert not window.save()
    line = next(line for line in window.banner.text().splitlines() if "broken" in line or "missing" in line)
    assert line.startswith(f"• Activity {code + 1} (Code), rule 4, Title (regex): ")
    assert "[" not in line.split(":")[0] and "rules[3]" not in window.banner.text()
    assert page.rules_message.text().startswith("Rule 4, Title (regex): ")


def test_no_page_speaks_config_syntax(window: SettingsWindow) -> None:
    seen = []
    for page in window.pages:
        show(window, page.title)
        for label in page.findChildren(QtWidgets.QLabel):
            if label.isVisibleTo(window) and not label.textInteractionFlags() & \
                    QtCore.Qt.TextInteractionFlag.TextSelectableByMouse:  # a path is the user's, not ours
                seen.append(label.text())
        for combo in page.findChildren(QtWidgets.QComboBox):
            seen += [combo.itemText(i) for i in range(combo.count())]
    jargon = [text for text in seen if JARGON.search(text)]
    assert jargon == []
    assert "Keep nudging" in seen


def test_counts_are_said_with_plurals(window: SettingsWindow) -> None:
    privacy = show(window, "Privacy")
    assert privacy.size_label.text().endswith(", 1 declaration)")


def test_open_data_folder_without_a_file_manager_says_so_with_the_path(window: SettingsWindow) -> None:
    privacy = show(window, "Privacy")
    privacy.open_url = lambda url: False
    assert not privacy.open_data_folder()
    assert privacy.status.isVisibleTo(window)
    assert str(window.context.records.path.parent) in privacy.status.text()
    assert "could not open" in privacy.status.text().casefold()


def test_the_window_speaks_the_design_language(window: SettingsWindow) -> None:
    page = show(window, "Nudges")
    image = window.grab().toImage()
    spot = page.mapTo(window, QtCore.QPoint(page.width() - 30, page.height() - 30))
    base = window.palette().color(QtGui.QPalette.ColorRole.Base)
    assert QtGui.QColor(image.pixel(spot)).name() == base.name()  # a white page, as the sketches
    sidebar = window.sidebar.mapTo(window, QtCore.QPoint(10, window.sidebar.height() - 10))
    assert QtGui.QColor(image.pixel(sidebar)).name().upper() == palette.FIELD
    assert palette.PRIORITY in window.save_button.styleSheet()  # the one primary button is green
    for p in window.pages:
        show(window, p.title)
        faint = []
        for label in p.findChildren(QtWidgets.QLabel):
            if label.isVisibleTo(window) and label.text():
                colour = label.palette().color(QtGui.QPalette.ColorGroup.Active, label.foregroundRole()).name()
                if palette.contrast(colour, base.name()) < 4.5:
                    faint.append(label.text()[:40])
        assert faint == [], p.title

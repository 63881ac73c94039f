"""The settings window's Calls page: chill-call times a line each, checked as typed and
saved into [calls] with the other call options; a wrong line keeps Save from writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from focusguard.core.config import STARTER_CONFIG, load_config
from focusguard.core.config.slots import parse_slot
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.settings import SettingsContext, SettingsWindow


@pytest.fixture
def window(qtbot, tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(STARTER_CONFIG, encoding="utf-8")
    store = Store(tmp_path / "fg.db")
    w = SettingsWindow(SettingsContext(config_file, Records(store)))
    qtbot.addWidget(w)
    w.open_window()
    yield w, config_file
    w.discard()
    store.close()


def test_the_calls_options_are_shown_and_saved(window) -> None:
    w, config_file = window
    page = w.calls_page
    assert page.slots.toPlainText() == "mon-fri 12:00-13:00\nmon-fri 18:00-24:00\nsat,sun 00:00-24:00"
    assert page.microphone.isChecked() and page.calendar.text() == ""
    page.slots.setPlainText("daily 18:00-20:00\n\nfri 12:00-14:00")
    page.numbers["calls.ask_after_minutes"].set_value(5)
    page.microphone.setChecked(False)
    page.calendar.setText("~/work.ics")
    assert w.is_dirty()
    assert w.save()
    calls = load_config(config_file).config.calls
    assert calls.chill_call_times == (parse_slot("daily 18:00-20:00"), parse_slot("fri 12:00-14:00"))
    assert (calls.ask_after_minutes, calls.use_microphone, calls.calendar_file) == (5, False, "~/work.ics")
    assert "# When chill calls" in config_file.read_text(encoding="utf-8")  # the file's comments kept


def test_a_line_that_is_no_time_is_said_and_not_saved(window) -> None:
    w, config_file = window
    before = config_file.read_text(encoding="utf-8")
    page = w.calls_page
    page.slots.setPlainText("mon-fri 12:00-13:00\nweekends 10:00-12:00")
    assert page.slots_message.isVisibleTo(page)
    assert page.slots_message.text().startswith("line 2: 'weekends 10:00-12:00' has an unknown day")
    assert not w.save()
    assert "Calls, chill call times 2: 'weekends 10:00-12:00' has an unknown day" in w.banner.text()
    assert w.stack.currentWidget() is page
    assert config_file.read_text(encoding="utf-8") == before


def test_an_activity_flagged_calls_count_as_priority_keeps_and_changes_its_flag(window, tmp_path: Path) -> None:
    w, config_file = window
    text = config_file.read_text(encoding="utf-8")
    text = text.replace('name = "Sales"\n', 'name = "Sales"\ncalls_count_as_priority = true\n', 1)
    assert "calls_count_as_priority = true" in text, "the starter file has a Sales activity"
    config_file.write_text(text, encoding="utf-8")
    w.discard()
    w.open_window()
    page = w.activities_page
    names = page.names()
    page.list.setCurrentRow(names.index("Sales"))
    assert page.calls_count.isChecked()
    page.list.setCurrentRow(names.index("Sales") + 1)
    assert not page.calls_count.isChecked()
    page.calls_count.setChecked(True)  # this one too
    w.nudges_page.snooze.set_value(12)  # an unrelated edit: Sales keeps its flag through the save
    assert w.save()
    flagged = [a.name for a in load_config(config_file).config.activities if a.calls_count_as_priority]
    assert flagged == ["Sales", names[names.index("Sales") + 1]]

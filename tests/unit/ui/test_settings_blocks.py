"""The Schedule page's focus blocks: a name and the activity each is for, edited and
saved (and kept when only the days or times change), and the weekly kept target."""

from __future__ import annotations

from pathlib import Path

import pytest

from focusguard.core.config import STARTER_CONFIG, load_config
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.settings import SettingsContext, SettingsWindow
from focusguard.ui.settings.pages import ANY_PRIORITY

BLOCK = """
[[focus_block]]
name = "Outreach calls"
activity = "Sales"
start = "08:30"
end = "09:30"
"""


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # start at login writes here, never in the real home
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    config_file = tmp_path / "config.toml"
    config_file.write_text(STARTER_CONFIG + BLOCK, encoding="utf-8")
    with Store(tmp_path / "fg.db", flush_every=0) as store:
        settings = SettingsWindow(SettingsContext(config_file, Records(store)))
        qtbot.addWidget(settings)
        settings.open_window()
        yield settings, config_file
        settings.discard()


def test_a_blocks_name_and_activity_show_and_survive_a_change_of_its_times(window) -> None:
    settings, config_file = window
    [row] = settings.schedule_page.rows
    assert row.name.text() == "Outreach calls" and row.activity.currentText() == "Sales"
    assert [row.activity.itemText(i) for i in range(row.activity.count())][:1] == [ANY_PRIORITY]
    row.end.setTime(row.end.time().addSecs(15 * 60))
    assert settings.save()
    [block] = load_config(config_file, create=False).config.focus_blocks
    assert (block.name, block.activity, f"{block.end:%H:%M}") == ("Outreach calls", "Sales", "09:45")


def test_a_new_block_is_named_and_given_an_activity(window) -> None:
    settings, config_file = window
    settings.schedule_page.add_block()
    row = settings.schedule_page.rows[1]
    row.name.setText("  Writing ")
    row.activity.setCurrentIndex(row.activity.findData("Code"))
    assert settings.save()
    blocks = load_config(config_file, create=False).config.focus_blocks
    assert [(b.name, b.activity) for b in blocks] == [("Outreach calls", "Sales"), ("Writing", "Code")]


def test_a_new_block_without_a_name_writes_no_empty_keys(window) -> None:
    settings, config_file = window
    settings.schedule_page.add_block()
    assert settings.save()
    assert '[[focus_block]]\ndays = ["mon", "tue", "wed", "thu", "fri"]\nstart = "09:00"\nend = "11:00"\n' in \
        config_file.read_text(encoding="utf-8")
    assert 'name = ""' not in config_file.read_text(encoding="utf-8")


def test_the_weekly_kept_target_is_on_the_schedule_page(window) -> None:
    settings, config_file = window
    [field] = settings.schedule_page.numbers.values()
    assert field.value() == 80
    field.spin.setValue(90)
    assert settings.save()
    assert load_config(config_file, create=False).config.day.blocks_kept_target == 90

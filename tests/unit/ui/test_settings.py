"""The settings window on real widgets: editing, the live preview, saving, importing,
start at login and deleting data."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from focusguard.controller import Controller
from focusguard.core import words
from focusguard.core.config import STARTER_CONFIG, load_config
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.platform import autostart
from focusguard.platform.window import WindowInfo
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.settings import WINDOW_TITLE, SettingsContext, SettingsWindow
from focusguard.ui.settings.rules_table import COLUMNS

NOW = time.time()
#: Windows recorded over the last days: (app, title, exe, seconds).
RECORDED = [
    ("code", "app.py - focusguard - Visual Studio Code", "/usr/bin/code", 600),
    ("firefox", "Deals | HubSpot — Mozilla Firefox", "/usr/lib/firefox/firefox", 400),
    ("gimp", "[Untitled]-1.0 (RGB color 8-bit) – GIMP", "/usr/bin/gimp", 300),
    ("firefox", "YouTube — Mozilla Firefox", "/usr/lib/firefox/firefox", 200),
    ("inkscape", "drawing.svg - Inkscape", "/usr/bin/inkscape", 100),
]


@dataclass
class Env:
    config_file: Path
    store: Store
    home: Path
    tmp: Path


def record(store: Store, windows=RECORDED, start: float = NOW - 86400) -> None:
    at = start
    for app, title, exe, seconds in windows:
        for _ in range(int(seconds // 2) + 1):
            store.record(Classified(Sample(at, app, title, exe), None, Classification.UNCLASSIFIED))
            at += 2
        at += 60
    store.flush()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # start at login writes here, never in the real home
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    config_file = tmp_path / "config.toml"
    config_file.write_text(STARTER_CONFIG, encoding="utf-8")
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    record(store)
    store.declare(Declaration(NOW - 2 * 86400, "Code", "ship the importer"))
    yield Env(config_file, store, home, tmp_path)
    store.close()


@pytest.fixture
def window(qtbot, env: Env):
    w = SettingsWindow(SettingsContext(env.config_file, Records(env.store, clock=lambda: NOW)))
    qtbot.addWidget(w)
    w.open_window()
    yield w
    w.discard()  # closes even with unsaved edits (qtbot's close() would ask)


def preview_row(window: SettingsWindow, app: str) -> tuple[str, str]:
    """(counts as, activity) of the preview row of ``app``, after the preview updates."""
    window.refresh_preview()
    table = window.activities_page.preview.table
    for row in range(table.rowCount()):
        if table.item(row, 3).text() == app:
            return table.item(row, 1).text(), table.item(row, 2).text()
    raise AssertionError(f"{app} is not in the preview")


def select_activity(window: SettingsWindow, name: str) -> None:
    page = window.activities_page
    names = [d.name for d in page.drafts()]
    page.list.setCurrentRow(names.index(name))


def type_into(window: SettingsWindow, row: int, key: str, text: str) -> None:
    window.activities_page.rules.set_cell(row, key, text)


# --------------------------------------------------------------------------- opening


def test_one_window_with_the_exact_title_and_nine_pages(window: SettingsWindow) -> None:
    assert window.windowTitle() == WINDOW_TITLE == "FocusGuard settings"
    assert [page.title for page in window.pages] == [
        "Priority", "Activities and rules", "Nudges", "Schedule", "Privacy", "General", "Goals", "Sync", "Calls"]
    assert [window.sidebar.item(i).text() for i in range(9)] == [page.title for page in window.pages]
    window.sidebar.setCurrentRow(2)
    assert window.stack.currentWidget() is window.nudges_page


def test_it_shows_the_file_and_the_database(window: SettingsWindow, env: Env) -> None:
    assert window.activities_page.names() == load_config(env.config_file).config.activity_names
    assert window.nudges_page.distraction.value() == 5.0
    history = window.priority_page.history
    assert (history.item(0, 1).text(), history.item(0, 2).text()) == ("Code", "ship the importer")
    assert window.priority_page.chosen_activity() is None  # nothing declared today
    assert not window.is_dirty()


# --------------------------------------------------------------------------- activities, rules, preview


def test_add_an_activity_and_a_rule_and_see_the_preview_reclassify(qtbot, window: SettingsWindow) -> None:
    page = window.activities_page
    assert preview_row(window, "gimp") == ("Unclassified", "—")
    qtbot.mouseClick(page.add_button, QtCore.Qt.MouseButton.LeftButton)
    assert page.name.hasFocus() or page.name.text() == "New activity"
    page.name.setText("")
    qtbot.keyClicks(page.name, "Graphics")
    qtbot.mouseClick(page.add_rule_button, QtCore.Qt.MouseButton.LeftButton)
    type_into(window, 0, "app", "gimp")
    assert page.current_draft().name == "Graphics"
    assert preview_row(window, "gimp") == ("Productive distraction", "Graphics")
    counts = page.preview.table.item(next(r for r in range(page.preview.table.rowCount())
                                          if page.preview.table.item(r, 3).text() == "gimp"), 1)
    assert counts.font().bold() and counts.toolTip() == "Was: Unclassified under the saved rules"
    # relative to the priority being declared
    window.priority_page.activity.setCurrentIndex(window.priority_page.activity.findData("Graphics"))
    assert preview_row(window, "gimp") == ("On priority", "Graphics")
    assert window.is_dirty() and window.unsaved.isVisibleTo(window)


def test_the_preview_updates_as_the_user_types(qtbot, window: SettingsWindow) -> None:
    select_activity(window, "Video")
    page = window.activities_page
    row = page.rules.add_rule()
    type_into(window, row, "any", "inkscape")  # no explicit refresh: the window's timer does it
    qtbot.waitUntil(lambda: any(page.preview.table.item(r, 2).text() == "Video"
                                and page.preview.table.item(r, 3).text() == "inkscape"
                                for r in range(page.preview.table.rowCount())), timeout=2000)


def test_an_unclassified_window_is_one_click_from_a_rule(qtbot, window: SettingsWindow) -> None:
    select_activity(window, "Docs")
    page = window.activities_page
    window.refresh_preview()
    table = page.preview.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).text() == "inkscape")
    button = table.cellWidget(row, 5)
    assert button.text() == "Add to Docs"
    qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)
    assert page.current_draft().rules[-1].app == "inkscape"
    assert preview_row(window, "inkscape") == ("Productive distraction", "Docs")
    # its menu offers every activity, by app or by exact title
    window.refresh_preview()
    row = next(r for r in range(table.rowCount()) if table.item(r, 3).text() == "gimp")
    menu = table.cellWidget(row, 5).menu()
    by_title = next(a.menu() for a in menu.actions() if a.text() == "This exact title")
    next(a for a in by_title.actions() if a.text() == "Shopping").trigger()
    assert page.current_draft().name == "Shopping"
    assert page.current_draft().rules[-1].title == r"^\[Untitled\]-1\.0 \(RGB color 8-bit\) – GIMP$"
    assert preview_row(window, "gimp") == ("Distraction", "Shopping")


def test_an_invalid_regex_is_marked_in_place_and_save_is_refused(qtbot, window: SettingsWindow,
                                                                  env: Env) -> None:
    before = env.config_file.read_text()
    select_activity(window, "Sales")
    page = window.activities_page
    type_into(window, 0, "title", "HubSpot|Sales(force")
    cell = page.rules.item(0, 1)
    assert cell.toolTip() == "missing ), unterminated subpattern at position 13"
    assert cell.background().color().name().upper() != "#000000"
    assert not page.rules_message.isHidden()
    assert page.rules_message.text() == "Rule 1, Title (regex): missing ), unterminated subpattern at position 13"
    saved = []
    window.saved.connect(saved.append)
    qtbot.mouseClick(window.save_button, QtCore.Qt.MouseButton.LeftButton)
    assert saved == [] and window.isVisible()
    assert env.config_file.read_text() == before
    index = page.names().index("Sales")
    assert (f"• Activity {index + 1} (Sales), rule 1, Title (regex): missing ), unterminated subpattern at "
            "position 13" in window.banner.text().splitlines())
    assert window.stack.currentWidget() is page and page.current_draft().name == "Sales"
    # fixed, it saves
    type_into(window, 0, "title", "HubSpot|Salesforce|Close")
    assert page.rules_message.isHidden()
    qtbot.mouseClick(window.save_button, QtCore.Qt.MouseButton.LeftButton)
    assert len(saved) == 1 and not window.isVisible()


def test_reorder_with_the_buttons_and_the_file_follows(qtbot, window: SettingsWindow, env: Env) -> None:
    page = window.activities_page
    select_activity(window, "Video")
    position = page.names().index("Video")
    qtbot.mouseClick(page.up_button, QtCore.Qt.MouseButton.LeftButton)
    assert page.names().index("Video") == position - 1
    assert page.list.item(position - 1).text().startswith(f"{position}.  Video")
    assert window.save()
    assert load_config(env.config_file).config.activity_names == page.names()


def test_dragging_an_activity_reorders_the_match_order(window: SettingsWindow) -> None:
    page = window.activities_page
    first = page.names()[0]
    # what the list's internal drag and drop does to its model
    page.list.model().moveRow(QtCore.QModelIndex(), 0, QtCore.QModelIndex(), 3)
    assert page.names()[2] == first
    assert page.list.item(2).text().startswith(f"3.  {first}")
    assert window.is_dirty()
    assert [a.name for a in window.edited_config().activities] == page.names()


def test_a_renamed_activity_keeps_its_comments_in_the_file(window: SettingsWindow, env: Env) -> None:
    select_activity(window, "Code")
    window.activities_page.name.setText("Engineering")
    window.activities_page.name.textEdited.emit("Engineering")
    assert window.save()
    text = env.config_file.read_text()
    assert 'name = "Engineering"' in text and 'name = "Code"' not in text
    assert '# Vim and Neovim in a terminal set titles like "main.py (~/src) - NVIM".' in text


# --------------------------------------------------------------------------- saving


def test_save_writes_the_file_with_comments_and_the_running_app_applies_it(qtbot, window: SettingsWindow,
                                                                            env: Env) -> None:
    controller = Controller(env.config_file, env.store, clock=lambda: NOW, own_pid=1)
    window.saved.connect(controller.apply_config)
    gimp = WindowInfo(app="gimp", title="Untitled - GIMP", pid=7)
    assert controller.handle_sample(gimp, 0.0).classified.classification is Classification.UNCLASSIFIED

    window.nudges_page.distraction.spin.setValue(7.5)
    window.general_page.interval.spin.setValue(3)
    select_activity(window, "Docs")
    row = window.activities_page.rules.add_rule()
    type_into(window, row, "app", "gimp")
    with qtbot.waitSignal(window.saved, timeout=1000):
        qtbot.mouseClick(window.save_button, QtCore.Qt.MouseButton.LeftButton)

    text = env.config_file.read_text()
    assert text.startswith("# FocusGuard configuration (version 1).")
    assert "distraction_after_minutes = 7.5\n" in text and "interval_seconds = 3\n" in text
    assert '    { app = "gimp" },\n' in text
    assert text.count("# ") == STARTER_CONFIG.count("# ")  # every comment kept
    config = load_config(env.config_file).config
    assert config.nudge.distraction_after_minutes == 7.5 and config.sampling.interval_seconds == 3
    # the running app switched at once, without a restart
    assert controller.config == config
    result = controller.handle_sample(gimp, 0.0).classified
    assert (result.classification, result.activity) == (Classification.PRODUCTIVE_DISTRACTION, "Docs")
    assert not window.isVisible() and not window.is_dirty()


def test_save_declares_the_priority_after_saving_the_config(qtbot, window: SettingsWindow) -> None:
    events = []
    window.saved.connect(lambda config: events.append(("saved", len(config.activities))))
    window.declared.connect(lambda activity, step: events.append(("declared", activity, step)))
    window.activities_page.add_activity()
    window.activities_page.name.setText("Fundraising")
    window.activities_page.name.textEdited.emit("Fundraising")
    priority = window.priority_page
    priority.activity.setCurrentIndex(priority.activity.findData("Fundraising"))
    qtbot.keyClicks(priority.next_step, "email two investors")
    assert window.save()
    assert events == [("saved", 12), ("declared", "Fundraising", "email two investors")]


def test_an_unknown_priority_refuses_to_save(window: SettingsWindow, env: Env) -> None:
    priority = window.priority_page
    priority.activity.setCurrentIndex(priority.activity.findData("Video"))
    select_activity(window, "Video")
    window.activities_page.remove_activity()
    assert not window.save()
    assert "• Priority: no activity named 'Video'; known: " in window.banner.text()
    assert window.stack.currentWidget() is priority


def test_cancel_discards_and_reopening_shows_the_file(qtbot, window: SettingsWindow, env: Env) -> None:
    before = env.config_file.read_text()
    window.nudges_page.snooze.spin.setValue(42)
    qtbot.mouseClick(window.cancel_button, QtCore.Qt.MouseButton.LeftButton)
    assert not window.isVisible() and env.config_file.read_text() == before
    window.open_window()
    assert window.nudges_page.snooze.value() == 10 and not window.is_dirty()


def test_closing_with_unsaved_changes_asks(qtbot, window: SettingsWindow, env: Env) -> None:
    window.schedule_page.add_block()
    window.close()
    assert window.isVisible()
    box = window.confirm_box
    assert box is not None and box.isVisible() and box.text() == "Save your changes to the settings?"
    qtbot.mouseClick(box.button(QtWidgets.QMessageBox.StandardButton.Cancel), QtCore.Qt.MouseButton.LeftButton)
    assert window.isVisible()
    window.close()
    qtbot.mouseClick(window.confirm_box.button(QtWidgets.QMessageBox.StandardButton.Save),
                     QtCore.Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    assert '[[focus_block]]\ndays = ["mon", "tue", "wed", "thu", "fri"]\nstart = "09:00"\nend = "11:00"\n' in \
        env.config_file.read_text()


def test_closing_unchanged_does_not_ask(window: SettingsWindow) -> None:
    window.close()
    assert not window.isVisible() and window.confirm_box is None


def test_a_broken_file_is_shown_as_last_good_and_never_saved_over(qtbot, env: Env) -> None:
    broken = STARTER_CONFIG.replace("distraction_after_minutes = 5", "distraction_after_minutes = -1")
    env.config_file.write_text(broken)
    before = env.config_file.read_text()
    window = SettingsWindow(SettingsContext(env.config_file, Records(env.store, clock=lambda: NOW)))
    qtbot.addWidget(window)
    window.open_window()
    assert "nudge.distraction_after_minutes: must be a number from 0.1 to 1440, got -1" in window.banner.text()
    window.nudges_page.snooze.spin.setValue(20)
    assert not window.save()
    assert env.config_file.read_text() == before
    assert window.banner.text().startswith(f"Not saved: {env.config_file} has errors.")
    window.discard()


# --------------------------------------------------------------------------- the other pages


def test_a_focus_block_ending_before_it_starts_is_marked_and_refused(window: SettingsWindow) -> None:
    schedule = window.schedule_page
    schedule.add_block()
    row = schedule.rows[0]
    row.end.setTime(QtCore.QTime(8, 0))
    assert row.message.text() == "The end must be after the start (09:00)."
    assert not window.save()
    assert "• Focus block 1, end: must be after start (09:00)" in window.banner.text().splitlines()
    assert window.stack.currentWidget() is schedule


def test_number_fields_carry_their_units_and_the_configs_limits(window: SettingsWindow) -> None:
    interval = window.general_page.interval.spin
    assert (interval.minimum(), interval.maximum(), interval.suffix()) == (0.2, 60, " s")
    distraction = window.nudges_page.distraction
    assert distraction.spin.minimum() == pytest.approx(0.1) and distraction.spin.suffix() == " min"
    assert distraction.help.text().endswith("Allowed: 0.1 to 480 min.")
    keep = window.privacy_page.keep_days
    assert (keep.spin.minimum(), keep.spin.suffix()) == (1, " days")
    keep.set_value(5000)  # a valid file value beyond the usual range is kept, not clamped
    assert keep.value() == 5000


def test_an_invalid_excluded_title_is_marked_and_refused(window: SettingsWindow) -> None:
    titles = window.privacy_page.exclude_titles
    titles.edit.setPlainText("(?i)incognito\n\nbank(ing")
    assert titles.message.text() == "line 3: missing ), unterminated subpattern at position 4"
    assert not window.save()
    assert ("• Privacy, never record titles, pattern 2: missing ), unterminated subpattern at position 4"
            in window.banner.text())


def test_start_at_login_writes_and_removes_the_autostart_file(qtbot, env: Env) -> None:
    window = SettingsWindow(SettingsContext(env.config_file, Records(env.store, clock=lambda: NOW)))  # the real backend
    qtbot.addWidget(window)
    window.open_window()
    desktop = env.home / ".config" / "autostart" / "focusguard.desktop"
    assert window.general_page.start_at_login.isChecked() is False and not desktop.exists()
    window.general_page.start_at_login.setChecked(True)
    assert window.save()
    assert desktop.exists() and "Exec=" in desktop.read_text() and autostart.is_enabled()
    window.open_window()
    assert window.general_page.start_at_login.isChecked()
    window.general_page.start_at_login.setChecked(False)
    assert window.save()
    assert not desktop.exists()


class RunKey:
    """A fake HKCU\\...\\Run key: the Windows backend, off Windows."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_start_at_login_on_windows_and_macos_backends(qtbot, env: Env, platform: str) -> None:
    run_key = RunKey()
    backend = (autostart.WindowsAutostart(run_key) if platform == "win32"
               else autostart.LaunchAgent(home=env.home))
    window = SettingsWindow(SettingsContext(env.config_file, Records(env.store, clock=lambda: NOW), autostart=backend))
    qtbot.addWidget(window)
    window.open_window()
    window.general_page.start_at_login.setChecked(True)
    assert window.save() and backend.is_enabled()
    if platform == "win32":
        assert "focusguard" in run_key.values["FocusGuard"]
    else:
        assert (env.home / "Library" / "LaunchAgents" / "io.github.focusguard.FocusGuard.plist").exists()
    window.open_window()
    window.general_page.start_at_login.setChecked(False)
    assert window.save() and not backend.is_enabled()


def test_open_data_folder_opens_the_databases_folder(qtbot, window: SettingsWindow, env: Env) -> None:
    opened = []
    window.privacy_page.open_url = opened.append
    qtbot.mouseClick(window.privacy_page.open_folder, QtCore.Qt.MouseButton.LeftButton)
    assert [url.toLocalFile() for url in opened] == [str(env.store.path.parent)]
    assert window.privacy_page.path_label.text() == str(env.store.path)
    assert window.privacy_page.size_label.text().endswith("(5 window events, 1 declaration)")


def test_delete_all_data_asks_naming_what_goes_then_deletes(qtbot, window: SettingsWindow, env: Env) -> None:
    privacy = window.privacy_page
    qtbot.mouseClick(privacy.delete_button, QtCore.Qt.MouseButton.LeftButton)
    box = privacy.confirm_box
    assert box is not None and box.isVisible()
    text = box.informativeText()
    assert str(env.store.path) in text and "• 5 recorded window events since" in text
    assert "• 1 priority declaration\n" in text and "• 0 nudges\n" in text
    assert "• 0 goals with their steps\n• 0 items marked to delegate\n" in text
    assert "• 0 calls with what you said they were\n" in text
    assert "Your settings (config.toml) are kept." in text
    keep = next(b for b in box.buttons() if b.text() == "Keep my data")
    qtbot.mouseClick(keep, QtCore.Qt.MouseButton.LeftButton)
    assert len(env.store.windows_seen(0)) == 5
    qtbot.mouseClick(privacy.delete_button, QtCore.Qt.MouseButton.LeftButton)
    delete = next(b for b in privacy.confirm_box.buttons() if b.text() == "Delete all data")
    with qtbot.waitSignal(privacy.data_deleted, timeout=1000):
        qtbot.mouseClick(delete, QtCore.Qt.MouseButton.LeftButton)
    assert env.store.windows_seen(0) == [] and env.store.declarations() == []
    assert window.activities_page.preview.windows == [] and window.priority_page.history.rowCount() == 0
    assert privacy.status.text().startswith("All recorded data was deleted")
    assert env.config_file.exists()


# --------------------------------------------------------------------------- import and export

AW_EXPORT = {
    "id": "default",
    "categories": [
        {"id": 0, "name": ["Work"], "rule": {"type": "regex", "regex": "Google Docs|libreoffice"},
         "data": {"color": "#0F0", "score": 10}},
        {"id": 1, "name": ["Work", "Design"], "rule": {"type": "regex", "regex": "GIMP|Inkscape"}},
        {"id": 2, "name": ["Media"], "rule": {"type": "none"}, "data": {"score": -5}},
        {"id": 3, "name": ["Media", "Video"], "rule": {"type": "regex", "regex": "youtube", "ignore_case": True}},
    ],
}


def test_import_activitywatch_categories(qtbot, window: SettingsWindow, env: Env) -> None:
    path = env.tmp / "aw-category-export.json"
    path.write_text(json.dumps(AW_EXPORT), encoding="utf-8")
    page = window.activities_page
    merge = page.import_aw_file(path)
    # same depth: the later category wins in ActivityWatch, so it comes first here
    assert merge is not None and merge.added == ("Media > Video", "Work > Design", "Work")
    assert page.names()[-3:] == ["Media > Video", "Work > Design", "Work"]
    assert "Imported 3 rules" in page.import_message.text() and "Skipped categories[2] 'Media'" in \
        page.import_message.text()
    # "Video" (the starter's, first) still wins for YouTube; GIMP's title now has a home
    assert preview_row(window, "gimp") == ("Productive distraction", "Work > Design")
    assert window.save()
    text = env.config_file.read_text()
    assert '{ any = "GIMP|Inkscape", case_sensitive = true }' in text
    assert '{ any = "youtube" }' in text


def test_a_malformed_import_is_refused_with_its_problems(window: SettingsWindow, env: Env) -> None:
    path = env.tmp / "categories.json"
    path.write_text('{"categories": [{"name": "Work", "rule": {}}]}', encoding="utf-8")
    before = window.activities_page.activities()
    assert window.activities_page.import_aw_file(path) is None
    assert window.activities_page.import_message.text() == (
        'categories.json was not imported:\n'
        'categories[0].name: must be a list of names like ["Work", "Programming"], got "Work"')
    assert window.activities_page.activities() == before


def test_export_then_import_rules_round_trips(window: SettingsWindow, env: Env) -> None:
    path = env.tmp / "rules.json"
    page = window.activities_page
    page.export_rules_file(path)
    assert json.loads(path.read_text())["format"] == "focusguard-rules"
    merge = page.import_rules_file(path)
    assert merge is not None and merge.rules_added == 0
    assert page.import_message.text().startswith("Nothing new")


# --------------------------------------------------------------------------- keyboard


def test_keyboard_moves_between_pages_and_saves(qtbot, window: SettingsWindow, env: Env) -> None:
    window.activateWindow()
    qtbot.keyClick(window, QtCore.Qt.Key.Key_4, QtCore.Qt.KeyboardModifier.AltModifier)
    assert window.stack.currentWidget() is window.schedule_page
    qtbot.keyClick(window, QtCore.Qt.Key.Key_PageDown, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.privacy_page
    window.privacy_page.record_titles.setChecked(False)
    qtbot.keyClick(window, QtCore.Qt.Key.Key_S, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert "record_titles = false" in env.config_file.read_text()


def test_tab_reaches_every_part_of_a_page_then_the_buttons(window: SettingsWindow) -> None:
    window.go_to(2)
    chain, widget = [], window.sidebar
    for _ in range(40):
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus and widget.isVisibleTo(window)
                   and widget.isEnabled()):
            widget = widget.nextInFocusChain()
        chain.append(widget)
        if widget is window.save_button:
            break
    nudges = window.nudges_page
    expected = [nudges.distraction.spin, nudges.off_priority.spin, nudges.grace.spin, nudges.snooze.spin,
                nudges.hold.edit, window.cancel_button, window.save_button]
    assert [w for w in chain if w in expected] == expected


def test_column_headers_say_what_each_rule_field_is() -> None:
    assert [c.header for c in COLUMNS] == ["App (glob)", "Title (regex)", "Executable (glob)",
                                           "App or title (regex)", "Match case"]


@pytest.mark.parametrize(("size", "text"), [(0, "0 bytes"), (999, "999 bytes"), (4096, "4.1 kB"),
                                            (12_500_000, "12 MB"), (3_200_000_000, "3.2 GB")])
def test_database_sizes_read_as_people_expect(size: int, text: str) -> None:
    assert words.size(size) == text

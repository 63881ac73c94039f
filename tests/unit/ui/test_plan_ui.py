"""Issue 14's widgets: the summary's plan parts (tick the day's step, add steps, the
delegate list), the declare dialog offering each activity's next step, and the nudge's
"Delegate this" line. Offscreen; each window is also saved as a 1366x768-bounded PNG
in $FOCUSGUARD_PLAN_SHOTS (default /tmp/plan-shots) for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_summary_window import ACTIVITIES, BERLIN, DAY, at, record_day

from focusguard.core.config import STARTER_CONFIG, load_config, parse_config
from focusguard.core.model import Classification, Nudge
from focusguard.core.timefmt import duration
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.declare import DeclareDialog
from focusguard.ui.nudge import NudgeView, NudgeWindow
from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.summary_window import SummaryWindow

SHOTS = Path(os.environ.get("FOCUSGUARD_PLAN_SHOTS", "/tmp/plan-shots"))
CONFIG = parse_config("".join(f'[[activity]]\nname = "{name}"\nkind = "productive"\n\n' for name in ACTIVITIES))[0]


def shot(widget: QtWidgets.QWidget, name: str) -> Path:
    """The widget as it draws, within a 1366x768 screen."""
    widget.resize(min(widget.width(), 1366), min(widget.height(), 768))
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


@pytest.fixture
def records(tmp_path: Path):
    store = Store(tmp_path / "fg.db", max_gap=3 * 3600, flush_every=0)
    rec = Records(store, config=lambda: CONFIG, clock=lambda: at(DAY, 18), tz=BERLIN)
    yield rec
    rec.close()


def planned_day(records: Records) -> None:
    """SCRIPT's day, its declared step the first of a goal's three, and two delegations."""
    plan = records.plan
    goal = plan.add_goal("Five new retainer clients by March", "Sales")
    for text in ("call three past customers", "Send the XYZ proposal", "Book the Acme demo"):
        plan.add_step(goal.id, text)
    record_day(records.store, DAY)
    nudge = Nudge(at(DAY, 10), "Engineering", Classification.PRODUCTIVE_DISTRACTION, 600, 0, 1, "code",
                  "Visual Studio Code — deploy.py", 3)
    plan.delegate(nudge, 35 * 60, "to Sam: the deploy script")
    plan.delegate(Nudge(at(DAY, 14), "Email", Classification.PRODUCTIVE_DISTRACTION, 600, 0, 1, "thunderbird",
                        "Newsletter", 4), 14 * 60)


def test_the_summary_ticks_the_days_step_and_the_plan_moves_on(records, qtbot) -> None:
    planned_day(records)
    window = SummaryWindow(records, activities=ACTIVITIES)
    qtbot.addWidget(window)
    window.show_day(DAY)
    parts = window.plan_parts
    assert parts.done.isVisibleTo(window) and parts.todo.isVisibleTo(window) and parts.change.isVisibleTo(window)
    assert parts.step_label.text() == "Today's step: call three past customers" and not parts.step_box.isChecked()
    assert parts.step_note.text() == "Goal: Five new retainer clients by March · next: call three past customers"
    assert parts.change.text().splitlines() == [
        "To delegate:",
        "• Engineering · code — Visual Studio Code — deploy.py, 35 min: to Sam: the deploy script",
        "• Email · thunderbird — Newsletter, 14 min",
    ]
    shot(window, "summary-plan")
    scroll = window.findChild(QtWidgets.QScrollArea)
    scroll.ensureWidgetVisible(window.tomorrow_step)
    shot(window, "summary-plan-questions")
    parts.step_box.click()
    assert parts.step_note.text().endswith("next: Send the XYZ proposal")
    assert records.plan.day_plan(DAY).step_done
    parts.step_box.click()  # unticked: the plan goes back
    assert not records.plan.day_plan(DAY).step_done
    assert parts.step_note.text().endswith("next: call three past customers")


def test_what_still_needs_doing_adds_a_step_to_the_days_goal(records, qtbot) -> None:
    planned_day(records)
    window = SummaryWindow(records, activities=ACTIVITIES)
    qtbot.addWidget(window)
    window.show_day(DAY)
    parts = window.plan_parts
    assert parts.step_edit.placeholderText() == "Add a step to Five new retainer clients by March"
    qtbot.keyClicks(parts.step_edit, "  Follow up with   Bob ")
    qtbot.keyClick(parts.step_edit, QtCore.Qt.Key.Key_Return)
    assert [s.text for s in records.plan.goals()[0].steps][-1] == "Follow up with Bob"
    assert parts.step_edit.text() == "" and parts.step_edit.placeholderText().startswith("Added: Follow up")
    parts.add_button.click()  # nothing typed: nothing added
    assert len(records.plan.goals()[0].steps) == 4


def test_a_day_without_a_plan_shows_none_of_it(records, qtbot) -> None:
    record_day(records.store, DAY)
    window = SummaryWindow(records, activities=ACTIVITIES)
    qtbot.addWidget(window)
    window.show_day(DAY)
    assert not any(w.isVisibleTo(window) for w in window.plan_parts.widgets())


def test_the_declare_dialog_offers_each_activitys_next_step(qtbot) -> None:
    dialog = DeclareDialog()
    qtbot.addWidget(dialog)
    steps = {"Sales": "Call Acme about the Q2 proposal", "Engineering": "Fix the login bug"}
    dialog.populate(ACTIVITIES, "Sales", steps["Sales"], steps)
    assert dialog.next_step.text() == "Call Acme about the Q2 proposal"
    dialog.show()
    shot(dialog, "declare-plan")
    dialog.activity.setCurrentText("Engineering")
    assert dialog.next_step.text() == "Fix the login bug"
    dialog.activity.setCurrentText("Email")  # no plan: the offered step goes, the field is free
    assert dialog.next_step.text() == ""
    dialog.next_step.setText("my own words")
    dialog.activity.setCurrentText("Sales")  # typed words are never replaced
    assert dialog.next_step.text() == "my own words"


def nudge_view(classification: Classification, **changes) -> NudgeView:
    fields = dict(classification=classification, minutes=25, priority="Sales", activity="Engineering",
                  app="code", title="deploy.py", next_step="Call Acme", level=1)
    return NudgeView(**(fields | changes))


@pytest.mark.parametrize("level", [1, 2])
def test_delegate_this_asks_one_optional_line_then_answers(qtbot, level) -> None:
    window = NudgeWindow(translucent=True)
    qtbot.addWidget(window)
    window.show_nudge(nudge_view(Classification.PRODUCTIVE_DISTRACTION, level=level))
    assert window.delegate_button.isVisibleTo(window)
    shot(window, f"nudge-level{level}")
    window.delegate_button.click()
    assert window.delegating.isVisibleTo(window) and not window.action_area.isVisibleTo(window)
    assert window.delegating.note_edit.placeholderText() == "To whom, or what to hand off (optional)"
    shot(window, f"nudge-delegate-level{level}")
    qtbot.keyClicks(window.delegating.note_edit, "to   Sam")
    with qtbot.waitSignal(window.delegate) as said:
        qtbot.keyClick(window.delegating.note_edit, QtCore.Qt.Key.Key_Return)
    assert said.args == ["to Sam"]
    window.acknowledge("Marked to delegate: code. It is on today's summary.")
    assert not window.delegating.isVisibleTo(window) and window.isVisible()


def test_delegate_can_be_cancelled_or_answered_without_a_line(qtbot) -> None:
    window = NudgeWindow(translucent=True)
    qtbot.addWidget(window)
    window.show_nudge(nudge_view(Classification.PRODUCTIVE_DISTRACTION))
    window.delegate_button.click()
    qtbot.keyClick(window.delegating.note_edit, QtCore.Qt.Key.Key_Escape)
    assert window.action_area.isVisibleTo(window) and not window.delegating.isVisibleTo(window)
    window.delegate_button.click()
    with qtbot.waitSignal(window.delegate) as said:
        window.delegating.save_button.click()
    assert said.args == [""]


@pytest.mark.parametrize("classification", [Classification.DISTRACTION, Classification.UNCLASSIFIED])
def test_only_productive_distractions_offer_delegate(qtbot, classification) -> None:
    window = NudgeWindow(translucent=True)
    qtbot.addWidget(window)
    window.show_nudge(nudge_view(classification))
    assert not window.delegate_button.isVisibleTo(window)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The starter config in a file and a store: what the settings window opens on."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # start at login looks here, never in the real home
    config_file = tmp_path / "config.toml"
    config_file.write_text(STARTER_CONFIG, encoding="utf-8")
    store = Store(tmp_path / "settings.db", flush_every=0)
    yield Records(store, config=lambda: load_config(config_file, create=False).config), config_file
    store.close()


def settings_window(qtbot, settings):
    from focusguard.ui.settings.settings_window import SettingsContext, SettingsWindow

    records, config_file = settings
    window = SettingsWindow(SettingsContext(config_file, records))
    qtbot.addWidget(window)
    window.open_window()
    window.go_to(window.pages.index(window.goals_page))
    return window, records


def test_the_goals_page_adds_reorders_rewords_ticks_and_removes(qtbot, settings) -> None:
    window, records = settings_window(qtbot, settings)
    page = window.goals_page
    assert page.goals.count() == 0 and not page.add_step_button.isEnabled()
    page.goal_name.setText("Five new retainer clients by March")
    page.goal_activity.setCurrentText("Code")
    page.add_goal_button.click()
    (goal,) = records.plan.goals()
    assert (goal.name, goal.activity) == ("Five new retainer clients by March", "Code")
    assert page.steps_heading.text() == "Steps of Five new retainer clients by March (Code)"
    for text in ("Call Acme about the Q2 proposal", "Email Bob", "Book the demo"):
        qtbot.keyClicks(page.step_text, text)
        qtbot.keyClick(page.step_text, QtCore.Qt.Key.Key_Return)
    assert [page.steps.item(i).text() for i in range(3)] == ["Call Acme about the Q2 proposal", "Email Bob",
                                                             "Book the demo"]
    page.steps.setCurrentRow(2)
    page.up_button.click()
    assert [s.text for s in records.plan.goals()[0].steps] == ["Call Acme about the Q2 proposal", "Book the demo",
                                                               "Email Bob"]
    assert page.steps.currentRow() == 1
    page.steps.item(0).setCheckState(QtCore.Qt.CheckState.Checked)
    assert records.plan.goals()[0].steps[0].done
    page.steps.item(2).setText("Email Bob Smith")
    assert records.plan.goals()[0].steps[2].text == "Email Bob Smith"
    page.steps.item(1).setText("   ")  # refused, said, and the old words come back
    assert page.message.isVisibleTo(page) and "the step is empty" in page.message.text()
    assert page.steps.item(1).text() == "Book the demo"
    page.goals.item(0).setText("Six clients")
    assert records.plan.goals()[0].name == "Six clients"
    assert not window.is_dirty()  # nothing for Save: it is kept already
    shot(window, "settings-goals")
    page.steps.setCurrentRow(0)
    page.remove_step_button.click()
    assert [s.text for s in records.plan.goals()[0].steps] == ["Book the demo", "Email Bob Smith"]
    page.remove_goal_button.click()
    assert records.plan.goals() == [] and page.steps.count() == 0


def test_the_goals_page_says_why_a_goal_is_refused(qtbot, settings) -> None:
    window, records = settings_window(qtbot, settings)
    page = window.goals_page
    page.add_goal_button.click()
    assert "the goal's name is empty" in page.message.text() and records.plan.goals() == []


def test_the_review_shows_time_on_delegated_things_and_that_it_falls(records, qtbot) -> None:
    from datetime import timedelta

    from focusguard.ui.review_window import ReviewWindow

    first = DAY - timedelta(days=29)
    for n in range(0, 30, 3):  # the same working day, shorter and shorter
        record_day(records.store, first + timedelta(days=n), nudges=False, scale=1.0 - n / 40)
    records.plan.delegate(Nudge(at(first, 10), "Engineering", Classification.PRODUCTIVE_DISTRACTION, 900, 0, 1,
                                "code", "Visual Studio Code — app.py", 1), 900, "to Sam")
    window = ReviewWindow(records)
    qtbot.addWidget(window)
    window.show_period(first, DAY)
    part = window.delegated
    assert part.isVisibleTo(window) and part.trend is not None and part.trend.falling is True
    first_half, second_half = part.trend.halves
    assert first_half > second_half > 0
    assert part.sentence.text().startswith(f"{duration(part.trend.total)} on things you marked to delegate · falling")
    assert [bar.tooltip != "" for bar in part.chart.days] == [n % 3 == 0 for n in range(30)]
    window.findChild(QtWidgets.QScrollArea).ensureWidgetVisible(part)
    shot(window, "review-delegated")


def test_the_review_without_delegations_leaves_the_part_out(records, qtbot) -> None:
    from focusguard.ui.review_window import ReviewWindow

    record_day(records.store, DAY, nudges=False)
    window = ReviewWindow(records)
    qtbot.addWidget(window)
    window.show_period(DAY, DAY)
    assert not window.delegated.isVisibleTo(window)


def test_the_summarys_markdown_and_json_carry_the_plan_as_the_report_does(records, qtbot, tmp_path) -> None:
    import json

    planned_day(records)
    window = SummaryWindow(records, activities=ACTIVITIES)
    qtbot.addWidget(window)
    window.show_day(DAY)
    markdown = window.markdown()
    assert "## Plan\n\n- [ ] call three past customers (goal: Five new retainer clients by March)" in markdown
    assert "- Email · thunderbird — Newsletter, 14 min" in markdown
    window.export_to(tmp_path / "day.json")
    exported = json.loads((tmp_path / "day.json").read_text(encoding="utf-8"))
    assert exported["plan"] == {"goal": "Five new retainer clients by March", "step": "call three past customers",
                                "step_done": False}
    assert [d["note"] for d in exported["delegated"]] == ["to Sam: the deploy script", ""]


def test_ticking_a_past_days_step_counts_for_that_day(records, qtbot) -> None:
    from datetime import timedelta

    planned_day(records)
    records.clock = records.plan.clock = lambda: at(DAY + timedelta(days=1), 9)  # the morning after
    window = SummaryWindow(records, activities=ACTIVITIES)
    qtbot.addWidget(window)
    window.show_day(DAY)
    window.plan_parts.step_box.click()
    assert records.plan.day_plan(DAY).step_done  # done that day, though ticked the next morning
    assert records.plan.goals()[0].steps[0].done_at < at(DAY + timedelta(days=1), 0)


def test_tomorrows_step_field_names_the_plans_next_step(records, qtbot) -> None:
    planned_day(records)
    window = SummaryWindow(records, activities=ACTIVITIES)
    qtbot.addWidget(window)
    window.show_day(DAY)
    assert window.tomorrow_activity.currentText() == "Sales"
    wanted = "Next step from your plan: call three past customers (leave empty to take it)"
    assert window.tomorrow_step.placeholderText() == wanted
    window.plan_parts.step_box.click()  # done today: tomorrow it is the next one
    assert window.tomorrow_step.placeholderText().startswith("Next step from your plan: Send the XYZ proposal")
    window.tomorrow_activity.setCurrentText("Video")  # no plan for it: the usual example
    assert window.tomorrow_step.placeholderText() == "Next step: e.g. send the XYZ proposal"

"""The end-of-day summary window: the report's figures, the journal, exports, and when it opens."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard import cli
from focusguard.app import FocusGuardApp
from focusguard.controller import Controller
from focusguard.core import figures, report
from focusguard.core.model import Answer, Classification, Classified, Declaration, Nudge, Sample
from focusguard.core.timefmt import duration
from focusguard.platform.window import WindowInfo
from focusguard.records import Records
from focusguard.store import Journal, Store
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.summary_window import TITLE, SummaryWindow
from focusguard.ui.tray import TrayMenu

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 6, 2)
ACTIVITIES = ["Sales", "Engineering", "Email", "Video"]
C = Classification

#: A working day like the sketch's: (minutes, classification, activity, app, title).
SCRIPT = [
    (55, C.PRIORITY, "Sales", "firefox", "CRM — Acme customers"),
    (35, C.PRODUCTIVE_DISTRACTION, "Engineering", "code", "Visual Studio Code — app.py"),
    (83, C.PRIORITY, "Sales", "thunderbird", "Proposal XYZ"),
    (17, C.DISTRACTION, "Video", "firefox", "YouTube — conference talk"),
    (11, C.NEUTRAL, None, "nautilus", "Downloads"),
    (48, C.PRIORITY, "Sales", "firefox", "CRM — call list"),
    (42, C.IDLE, None, "", ""),
    (62, C.PRODUCTIVE_DISTRACTION, "Engineering", "code", "Visual Studio Code — app.py"),
    (70, C.PRIORITY, "Sales", "zoom", "Customer call"),
    (14, C.UNCLASSIFIED, None, "gimp", "screenshot.png"),
    (28, C.DISTRACTION, "Video", "firefox", "YouTube — conference talk"),
    (14, C.PRODUCTIVE_DISTRACTION, "Email", "thunderbird", "Newsletter"),
    (37, C.PRIORITY, "Sales", "firefox", "CRM — follow-ups"),
]


def at(day: date, hour: float, tz=BERLIN) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=tz).timestamp() + hour * 3600


def record_day(store: Store, day: date, *, priority: str | None = "Sales", nudges: bool = True,
               tz=BERLIN, scale: float = 1.0) -> None:
    """Records SCRIPT from 08:00 (one sample per step; the store's max_gap covers a step),
    a declaration and four answered nudges."""
    if priority:
        store.declare(Declaration(at(day, 7.5, tz), priority, "call three past customers"))
    t = at(day, 8, tz)
    for minutes, c, activity, app, title in SCRIPT:
        store.record(Classified(Sample(t, app, title, idle=c is C.IDLE), activity, c))
        t += minutes * 60 * scale
    store.record(Classified(Sample(t, "firefox", "CRM — follow-ups"), "Sales", C.PRIORITY))
    store.flush()
    if nudges:
        for hour, answer in ((9.4, Answer.BACK), (11.1, Answer.SNOOZE), (13.2, Answer.BACK), (15.2, None)):
            nudge = store.add_nudge(Nudge(at(day, hour, tz), "Engineering", C.PRODUCTIVE_DISTRACTION, 900, 0, 1,
                                          "code", "app.py"))
            if answer is not None:
                store.answer_nudge(nudge, answer, at(day, hour, tz) + 30)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "fg.db", max_gap=3 * 3600, flush_every=0) as s:
        yield s


@pytest.fixture
def window(qtbot, store: Store) -> SummaryWindow:
    w = SummaryWindow(Records(store, tz=BERLIN), activities=ACTIVITIES)
    qtbot.addWidget(w)
    return w


# --- the figures --------------------------------------------------------------------------



def test_the_popup_shows_the_figures_of_report_json(qtbot, tmp_path: Path, local_berlin, capsys) -> None:
    db = tmp_path / "day.db"
    with Store(db, max_gap=3 * 3600, flush_every=0) as store:
        for n in (4, 2, 1):  # in time order, as the app records (the store never files time twice)
            record_day(store, DAY - timedelta(days=n), scale=0.7 + 0.1 * n, nudges=False)
        record_day(store, DAY)
        store.declare(Declaration(at(DAY, 12), "Engineering", ""))  # a change of priority in the day
    args = ["--config", str(tmp_path / "c.toml"), "--db", str(db), "report", "--date", str(DAY), "--json"]
    assert cli.main(args) == 0
    data = json.loads(capsys.readouterr().out)

    with Store(db) as store:
        w = SummaryWindow(Records(store), activities=ACTIVITIES)  # tz None: the system zone, as the CLI
        qtbot.addWidget(w)
        w.show_day(DAY)
        assert w.windowTitle() == TITLE == "FocusGuard summary"
        assert w.title.text() == "Tuesday 02 June · Priority: Engineering"
        assert w.changes.text() == "Priority changed at 12:00: Sales → Engineering"
        assert w.figure.text() == duration(data["seconds"]["priority"])
        assert f"focus {report.percent(data['focus_ratio'])}" in w.headline.text()
        average = data["average_7d"]
        assert average["days"] == 3
        assert (f"7-day average {report.percent(average['focus_ratio'])}, "
                f"{duration(average['priority_seconds'])} a day") in w.headline.text()

        seconds = data["seconds"]
        expected = {"On priority": seconds["priority"], "Productive distraction": seconds["productive_distraction"],
                    "Distraction": seconds["distraction"], "Unclassified": seconds["unclassified"],
                    "Neutral": seconds["neutral"], "Idle / paused": seconds["idle"] + seconds["paused"]}
        assert {b.label: pytest.approx(b.seconds) for b in w.time_bars.bars} == expected
        assert [(b.label, pytest.approx(b.seconds)) for b in w.activity_bars.bars] == [
            (a["name"], a["seconds"]) for a in data["activities"][:6]]
        assert [(i.name, i.where, pytest.approx(i.seconds)) for i in w.off_items.items] == [
            (f"{o['activity'] or 'Unclassified'} · during {o['priority']}", f"{o['app']} — {o['title']}",
             o["seconds"])  # the day changed priority: each item says which one it was off
            for o in data["top_off_priority"][:5]]
        nudges = w.nudges.text()
        assert nudges.startswith(f"Nudges: {len(data['nudges'])} · back 2 · snoozed 1 · unanswered 1")
        assert f"median recovery {duration(data['median_recovery_seconds'])}" in nudges
        assert data["longest_priority_streak_on"] == "Sales"  # the morning's, not the priority declared since
        assert f"longest streak on Sales {duration(data['longest_priority_streak_seconds'])}" in nudges
        assert sum(s.seconds for s in w.timeline.segments) == pytest.approx(sum(seconds.values()))


def test_the_timeline_names_what_is_under_the_mouse(window: SummaryWindow) -> None:
    record_day(window.records.store, DAY)
    window.show_day(DAY)
    window.resize(900, 900)
    strip = window.timeline
    assert [label for _, label in strip.hour_ticks()][:2] == ["8:00", "9:00"]
    video = next(s for s in strip.segments if s.activity == "Video")
    x = strip.x_of((video.start + video.end) / 2)
    assert strip.segment_at(x) == video
    assert strip.tooltip_at(x, 5) == ("10:53–11:10 · 17 min\nVideo · Distraction\n"
                                      "firefox — YouTube — conference talk")
    assert strip.tooltip_at(x, strip.STRIP + 20) == ""  # over the hour labels


def test_an_empty_day_still_opens_and_says_so(window: SummaryWindow) -> None:
    window.show_day(DAY)
    assert window.figure.text() == "0 min"
    assert "none declared" in window.title.text()
    assert not window.off_items.isVisibleTo(window) and window.timeline.segments == ()


# --- the journal and tomorrow ----------------------------------------------------------


def fill(window: SummaryWindow) -> None:
    window.done_field.setPlainText("Sent the XYZ proposal")
    window.todo_field.setPlainText("Call Anna back")
    window.change_field.setPlainText("Mail after lunch only")
    window.tomorrow_activity.setCurrentIndex(window.tomorrow_activity.findText("Engineering"))
    window.tomorrow_step.setText("fix the build ")


def test_save_writes_the_journal_and_pre_fills_tomorrows_prompt(qtbot, window: SummaryWindow, tmp_path: Path) -> None:
    store = window.records.store
    record_day(store, DAY)
    window.show_day(DAY)
    assert window.tomorrow_activity.currentText() == "Sales"  # the day's priority by default
    fill(window)
    with qtbot.waitSignal(window.saved) as saved:
        qtbot.mouseClick(window.save_button, QtCore.Qt.MouseButton.LeftButton)
    assert saved.args == [DAY]
    assert store.journal(DAY) == Journal(DAY, "Sent the XYZ proposal", "Call Anna back", "Mail after lunch only",
                                         "Engineering", "fix the build")
    assert window.status.text().startswith("Saved")
    tomorrow_morning = at(DAY + timedelta(days=1), 8)
    controller = Controller(tmp_path / "config.toml", store, clock=lambda: tomorrow_morning, tz=BERLIN)
    assert controller.suggested_declaration() == ("Engineering", "fix the build")

    again = SummaryWindow(Records(store, tz=BERLIN), activities=ACTIVITIES)
    qtbot.addWidget(again)
    again.show_day(DAY)
    assert again.journal() == store.journal(DAY)


def test_a_refresh_keeps_unsaved_text_and_closing_saves_it(window: SummaryWindow) -> None:
    record_day(window.records.store, DAY)
    window.show_day(DAY)
    fill(window)
    window.show_day(DAY)  # "Today so far" again while typing
    assert window.done_field.toPlainText() == "Sent the XYZ proposal"
    assert window.records.store.journal(DAY) is None
    window.close()
    assert window.records.store.journal(DAY).done == "Sent the XYZ proposal"


def test_a_saved_activity_no_longer_in_the_config_is_kept(window: SummaryWindow) -> None:
    window.records.store.save_journal(Journal(DAY, tomorrow_activity="Writing", tomorrow_next_step="outline"))
    window.show_day(DAY)
    assert window.tomorrow_activity.currentText() == "Writing"
    assert window.journal().tomorrow_next_step == "outline"


# --- copy and export ---------------------------------------------------------------------


def test_copy_as_markdown_includes_what_was_typed(window: SummaryWindow) -> None:
    record_day(window.records.store, DAY)
    window.show_day(DAY)
    fill(window)
    window.copy_button.click()
    text = QtGui.QGuiApplication.clipboard().text()
    assert text.startswith("# Tuesday 02 June 2026 · Priority: Sales")
    assert "Sent the XYZ proposal" in text and "| Engineering | code | Visual Studio Code — app.py |" in text


def test_export_by_suffix(window: SummaryWindow, tmp_path: Path) -> None:
    record_day(window.records.store, DAY)
    window.show_day(DAY)
    fill(window)
    window.export_to(tmp_path / "day.md")
    assert (tmp_path / "day.md").read_text(encoding="utf-8") == window.markdown()
    window.export_to(tmp_path / "day.json")
    data = json.loads((tmp_path / "day.json").read_text(encoding="utf-8"))
    calls = (data["seconds"].pop("call_value"), data["seconds"].pop("call_chill"), data.pop("calls"))  # issue 15
    assert calls == (0.0, 0.0, [])
    assert data["seconds"] == report.day_json(figures.day_figures(window.records.store, DAY, BERLIN), BERLIN)["seconds"]
    assert data["journal"]["done"] == "Sent the XYZ proposal"
    window.export_to(tmp_path / "day.csv")
    lines = (tmp_path / "day.csv").read_bytes().decode().splitlines()
    assert lines[0] == ",".join(report.EVENT_FIELDS) and len(lines) == 1 + len(SCRIPT)
    assert window.status.text() == "Exported to day.csv"


def test_a_failed_export_is_said_and_raises_nothing(window: SummaryWindow, tmp_path: Path) -> None:
    window.show_day(DAY)
    blocker = tmp_path / "file"
    blocker.write_text("")
    window.export_to(blocker / "day.md")  # a file where a directory should be
    assert window.status.text().startswith("Could not export")


def test_the_export_dialog_does_not_block_and_adds_the_chosen_suffix(window: SummaryWindow, tmp_path: Path) -> None:
    window.show_day(DAY)
    dialog = window.open_export_dialog()
    assert dialog.isVisible()  # open() returned: nothing waits for the dialog
    dialog.selectNameFilter("JSON (*.json)")
    dialog.fileSelected.emit(str(tmp_path / "today"))
    assert json.loads((tmp_path / "today.json").read_text(encoding="utf-8"))["date"] == "2026-06-02"
    dialog.close()


# --- when it opens (the app's wiring; the decisions are tested in core/test_review.py) -------


class StubPresenter(QtCore.QObject):
    """The tray, without a tray (the real menu, so the app's wiring is the real one)."""

    fallback_used = QtCore.Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.menu = TrayMenu()
        self.messages: list[tuple[str, str]] = []

    def start(self) -> None: ...
    def set_state(self, state) -> None: ...
    def set_tooltip(self, text: str) -> None: ...
    def geometry_hint(self): return None
    def popup_menu(self) -> None: ...
    def hide(self) -> None: ...

    def show_message(self, title: str, text: str) -> None:
        self.messages.append((title, text))


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def make_app(qtbot, tmp_path: Path, store: Store, clock: Clock) -> FocusGuardApp:
    controller = Controller(tmp_path / "config.toml", store, clock=clock, tz=BERLIN, own_pid=-1)
    app = FocusGuardApp(controller, presenter=StubPresenter())
    for widget in (app.nudge, app.declare_dialog):
        qtbot.addWidget(widget)
    return app


def close_windows(qtbot, app: FocusGuardApp) -> None:
    for widget in (app.summary_window, app.review_window):
        if widget is not None:
            qtbot.addWidget(widget)


def test_the_missed_day_is_offered_at_start_once(qtbot, tmp_path: Path, store: Store) -> None:
    yesterday = DAY - timedelta(days=1)
    record_day(store, yesterday)
    clock = Clock(at(DAY, 8))
    app = make_app(qtbot, tmp_path, store, clock)
    app.start()
    close_windows(qtbot, app)
    assert app.summary_window is not None and app.summary_window.isVisible()
    assert app.summary_window.day == yesterday
    assert app.summary_window.testAttribute(QtCore.Qt.WidgetAttribute.WA_ShowWithoutActivating)
    app.summary_window.close()

    again = make_app(qtbot, tmp_path, store, clock)
    again.start()
    close_windows(qtbot, again)
    assert again.summary_window is None


def test_day_end_opens_todays_summary_once_while_the_user_is_active(qtbot, tmp_path: Path, store: Store) -> None:
    record_day(store, DAY)
    clock = Clock(at(DAY, 17.2))
    app = make_app(qtbot, tmp_path, store, clock)
    assert app.controller.config.day.end.isoformat() == "17:30:00"  # the default
    browser = WindowInfo("firefox", "CRM — follow-ups", pid=4242)
    app.on_sample(browser, 0.0)
    assert app.summary_window is None  # 17:12
    clock.t = at(DAY, 17.6)
    app.on_sample(None, 3600.0)  # idle at the desk: wait
    assert app.summary_window is None
    app.on_sample(browser, 0.0)
    close_windows(qtbot, app)
    assert app.summary_window is not None and app.summary_window.day == DAY
    app.summary_window.close()
    clock.t = at(DAY, 17.7)
    app.on_sample(browser, 0.0)
    assert not app.summary_window.isVisible()


def test_today_so_far_raises_the_one_window(qtbot, tmp_path: Path, store: Store) -> None:
    clock = Clock(at(DAY, 11))
    app = make_app(qtbot, tmp_path, store, clock)
    app.show_today()
    close_windows(qtbot, app)
    first = app.summary_window
    assert first.isVisible() and first.day == DAY
    assert not first.testAttribute(QtCore.Qt.WidgetAttribute.WA_ShowWithoutActivating)
    app.show_today()
    assert app.summary_window is first
    assert len([w for w in QtWidgets.QApplication.topLevelWidgets()
                if w.isVisible() and w.windowTitle() == TITLE]) == 1

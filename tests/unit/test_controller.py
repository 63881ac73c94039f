"""The app's decisions without Qt: fake windows in, tray state / nudges / answers out."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from scenario import CODE, CONFIG, MYSTERY, SALES, TZ, VIDEO, Clock

from focusguard.controller import IGNORE_AFTER_SECONDS, Controller, next_local_midnight
from focusguard.core.config import parse_config
from focusguard.core.model import Classification, Classified, Kind, Sample
from focusguard.core.palette import TrayState
from focusguard.platform.window import WindowInfo
from focusguard.store import Journal, Store


@pytest.fixture
def setup(tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    clock = Clock()
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    controller = Controller(config_file, store, clock=clock, tz=TZ, own_pid=999)
    yield controller, clock, config_file
    controller.close()


def run(controller: Controller, clock: Clock, window: WindowInfo | None, seconds: float,
        idle: float | None = 0.0, every: float = 2.0):
    """Feeds `window` every `every` seconds for `seconds`; returns the updates."""
    updates = []
    end = clock.now + seconds
    while clock.now < end:
        updates.append(controller.handle_sample(window, idle))
        clock.now += every
    return updates


def nudges(updates):
    return [u.show_nudge for u in updates if u.show_nudge is not None]


def test_no_priority_prompts_once_and_never_nudges(setup) -> None:
    controller, clock, _ = setup
    updates = run(controller, clock, VIDEO, 300)
    assert [u.prompt_declaration for u in updates].count(True) == 1
    assert updates[0].prompt_declaration
    assert nudges(updates) == []
    assert updates[-1].state is TrayState.NO_PRIORITY


def test_idle_first_sample_does_not_prompt(setup) -> None:
    controller, clock, _ = setup
    first = run(controller, clock, VIDEO, 2, idle=600)
    assert not first[0].prompt_declaration
    assert first[0].state is TrayState.IDLE
    assert run(controller, clock, VIDEO, 2)[0].prompt_declaration


def test_distraction_nudges_at_threshold_and_back_on_own_closes(setup) -> None:
    controller, clock, _ = setup
    controller.declare("sales", "call three customers")
    assert controller.priority == "Sales"
    run(controller, clock, SALES, 20)
    updates = run(controller, clock, VIDEO, 70)
    shown = nudges(updates)
    assert len(shown) == 1
    assert shown[0].classification is Classification.DISTRACTION
    assert shown[0].id is not None
    assert updates[-1].state is TrayState.DISTRACTION
    back = run(controller, clock, SALES, 2)[0]
    assert back.close_nudge and back.state is TrayState.PRIORITY
    row = controller.store.db.execute("select answer from nudges").fetchone()
    assert row == ("back",)


def test_samples_may_wait_only_while_no_nudge_can_fall_due_before_a_change(setup) -> None:
    """The sampler wakes every few seconds only then: on the priority or a neutral window,
    with no nudge waiting for its answer; never off the priority, where one may be due."""
    controller, clock, _ = setup
    assert not controller.nothing_due_before_a_change  # nothing sampled yet
    controller.declare("sales", "call three customers")
    run(controller, clock, SALES, 4)
    assert controller.nothing_due_before_a_change
    run(controller, clock, VIDEO, 4)
    assert not controller.nothing_due_before_a_change
    run(controller, clock, VIDEO, 70)  # a nudge shown
    run(controller, clock, CODE, 4)  # productive, off the priority: the nudge still waits
    assert controller.pending is not None and not controller.nothing_due_before_a_change
    run(controller, clock, SALES, 2)  # back: answered
    assert controller.pending is None and controller.nothing_due_before_a_change


def test_a_sample_read_seconds_ago_counts_from_then(setup) -> None:
    """A quiet wake delivers the intervals it slept through at once, each with its age."""
    controller, clock, _ = setup
    controller.declare("sales", "")
    clock.now += 10
    for ago in (4.0, 3.0, 2.0, 1.0, 0.0):
        controller.handle_sample(SALES, 0.0, ago=ago)
    assert controller.today().seconds[Classification.PRIORITY] == pytest.approx(4.0)
    controller.store.flush()
    start, end = controller.store.db.execute('select start, "end" from events').fetchone()
    assert (start, end) == pytest.approx((clock.now - 4, clock.now))


def test_cli_declaration_is_picked_up_on_next_sample(setup, tmp_path) -> None:
    controller, clock, _ = setup
    run(controller, clock, SALES, 4)
    other = Store(tmp_path / "fg.db")
    from focusguard.core.model import Declaration
    other.declare(Declaration(at=clock.now, activity="Sales", next_step="send proposal"))
    other.close()
    update = run(controller, clock, SALES, 2)[0]
    assert controller.priority == "Sales"
    assert update.state is TrayState.PRIORITY
    assert "send proposal" in update.tooltip


def test_snooze_then_renudge_at_level_two(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    first = nudges(run(controller, clock, VIDEO, 62))
    assert [n.level for n in first] == [1]
    controller.answer_snooze()
    later = nudges(run(controller, clock, VIDEO, 90))
    assert [n.level for n in later] == [2]
    assert later[0].at - first[0].at >= 60


def test_unanswered_nudge_counts_as_ignored(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    run(controller, clock, VIDEO, 62)
    assert controller.pending is not None
    updates = run(controller, clock, VIDEO, IGNORE_AFTER_SECONDS + 4)
    assert any(u.close_nudge for u in updates)
    answers = [r[0] for r in controller.store.db.execute("select answer from nudges order by at")]
    assert answers[0] == "ignored"


def test_part_of_priority_teaches_rule_keeps_comments(setup) -> None:
    controller, clock, config_file = setup
    controller.declare("Sales")
    run(controller, clock, CODE, 122)
    assert controller.pending is not None
    rule = controller.answer_part_of_priority("app")
    assert rule.app == "code"
    text = config_file.read_text(encoding="utf-8")
    assert "# my own comment, kept" in text
    config, _ = parse_config(text)
    # Sales comes before Engineering, so the new rule wins for the code window.
    assert controller.classifier.match("code", "x.py").name == "Sales"
    assert any(r.app == "code" for r in config.activity("Sales").rules)
    update = run(controller, clock, CODE, 2)[0]
    assert update.classified.classification is Classification.PRIORITY


def test_title_rule_matches_only_that_title(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    weird = WindowInfo(app="gimp", title="Budget (Q3) [draft].xcf", pid=5)
    run(controller, clock, weird, 122)
    rule = controller.answer_part_of_priority("title")
    assert controller.classifier.match("gimp", "Budget (Q3) [draft].xcf").name == "Sales"
    assert controller.classifier.match("gimp", "Budget (Q3) [draft].xcf 2") is None
    assert rule.title is not None


def test_what_is_this_offers_the_users_own_activities_of_that_kind(setup) -> None:
    controller, _, _ = setup
    controller.declare("Sales")
    assert controller.teach_choices(Kind.PRODUCTIVE) == ("Engineering",)  # not the priority
    assert controller.teach_choices(Kind.DISTRACTION) == ("Video",)


def test_teach_files_the_window_under_the_chosen_activity_and_answers(setup) -> None:
    controller, clock, config_file = setup
    controller.declare("Sales")
    shown = nudges(run(controller, clock, MYSTERY, 122))
    assert shown[0].classification is Classification.UNCLASSIFIED
    assert controller.teach(Kind.PRODUCTIVE, "engineering") == "Got it: gimp is now Engineering."
    assert controller.pending is None
    assert controller.classifier.match("gimp", "Untitled").name == "Engineering"
    text = config_file.read_text(encoding="utf-8")
    assert 'rules = [ { app = "code" }, { app = "gimp" } ]' in text  # the file's own spacing
    assert "Other productive work" not in text
    answers = [r[0] for r in controller.store.db.execute("select answer from nudges")]
    assert answers == ["classified"]


def test_teach_a_new_activity_creates_it_with_that_kind(setup) -> None:
    controller, clock, config_file = setup
    controller.declare("Sales")
    run(controller, clock, MYSTERY, 122)
    assert controller.teach(Kind.DISTRACTION, "  Image  fiddling ") == "Got it: gimp is now Image fiddling."
    assert controller.config.activity("Image fiddling").kind is Kind.DISTRACTION
    assert 'name = "Image fiddling"' in config_file.read_text(encoding="utf-8")
    assert run(controller, clock, MYSTERY, 2)[0].classified.classification is Classification.DISTRACTION


def test_teach_without_a_name_writes_nothing(setup) -> None:
    controller, clock, config_file = setup
    controller.declare("Sales")
    run(controller, clock, MYSTERY, 122)
    with pytest.raises(ValueError, match="name the activity"):
        controller.teach(Kind.PRODUCTIVE, "  ")
    assert config_file.read_text(encoding="utf-8") == CONFIG
    assert controller.pending is not None


@pytest.mark.parametrize(("kind", "activity", "threshold"), [
    (Kind.PRODUCTIVE, "Engineering", 120),  # off_priority_after_minutes = 2
    (Kind.DISTRACTION, "Video", 60),  # distraction_after_minutes = 1
])
def test_the_classified_window_is_not_nudged_again_before_a_whole_threshold(
        setup, kind: Kind, activity: str, threshold: float) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    run(controller, clock, MYSTERY, 240)  # long past the threshold: the nudge came late
    assert controller.pending is not None
    controller.teach(kind, activity)
    answered = clock.now
    quiet = run(controller, clock, MYSTERY, threshold - 4)
    assert nudges(quiet) == [] and not any(u.close_nudge for u in quiet)
    again = nudges(run(controller, clock, MYSTERY, 8))
    assert len(again) == 1 and again[0].activity == activity and again[0].level == 1
    assert again[0].at - answered >= threshold


def test_broken_config_edit_keeps_last_good_and_file(setup) -> None:
    controller, _, config_file = setup
    broken = CONFIG.replace('title = "YouTube"', 'title = "You(Tube"')
    config_file.write_text(broken, encoding="utf-8")
    message = controller.reload_config_if_changed()
    assert message is not None and "activity[2].rules[0].title" in message
    assert config_file.read_text(encoding="utf-8") == broken
    assert controller.classifier.match("firefox", "YouTube").name == "Video"
    assert controller.reload_config_if_changed() is None  # said once


def test_config_edit_applies_new_thresholds(setup) -> None:
    controller, _, config_file = setup
    config_file.write_text(CONFIG.replace("interval_seconds = 2", "interval_seconds = 1"), encoding="utf-8")
    assert controller.reload_config_if_changed() is None
    assert controller.config.sampling.interval_seconds == 1
    assert controller.store.max_gap == 2


def test_pause_records_paused_and_blocks_nudges(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    until = controller.pause(30)
    assert until == clock.now + 1800
    updates = run(controller, clock, VIDEO, 300)
    assert nudges(updates) == []
    assert updates[-1].state is TrayState.IDLE
    assert {u.classified.classification for u in updates} == {Classification.PAUSED}
    controller.resume()
    assert not controller.paused


def test_pause_until_tomorrow_is_next_local_midnight(setup) -> None:
    controller, _, _ = setup
    until = controller.pause(None)
    assert datetime.fromtimestamp(until, TZ) == datetime(2026, 11, 24, 0, 0, tzinfo=TZ)


def test_next_local_midnight_across_dst() -> None:
    at = datetime(2026, 3, 28, 22, 0, tzinfo=TZ).timestamp()
    assert next_local_midnight(at, TZ) - at == 2 * 3600
    at = datetime(2026, 3, 29, 12, 0, tzinfo=TZ).timestamp()
    assert next_local_midnight(at, TZ) - at == 12 * 3600


def test_own_windows_and_no_window_are_neutral(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    own = WindowInfo(app="python3", title="FocusGuard nudge", pid=999)
    update = run(controller, clock, own, 2)[0]
    assert update.classified.classification is Classification.NEUTRAL
    update = run(controller, clock, None, 2)[0]
    assert update.classified.classification is Classification.NEUTRAL


def test_fullscreen_hold_app_defers_nudge(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    call = WindowInfo(app="zoom", title="YouTube talk (screen share)", pid=7, fullscreen=True)
    assert nudges(run(controller, clock, call, 120)) == []
    # A full-screen hold app is a call window (issue 15): the call ends 30 s after it goes,
    # and its minutes wait for the user's answer instead of feeding the streak.
    assert nudges(run(controller, clock, VIDEO, 28)) == []
    assert len(nudges(run(controller, clock, VIDEO, 64))) == 1


def test_dnd_holds_nudge(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    controller.dnd_active = True
    assert nudges(run(controller, clock, VIDEO, 120)) == []
    controller.dnd_active = False
    assert len(nudges(run(controller, clock, VIDEO, 4))) == 1


def test_back_returns_priority_window_seen_today(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    run(controller, clock, SALES, 4)
    run(controller, clock, VIDEO, 62)
    assert controller.answer_back() == SALES
    assert controller.pending is None


def test_probe_error_is_said_once(setup) -> None:
    controller, _, _ = setup
    first = controller.handle_probe_error("window probe unavailable: no X display")
    second = controller.handle_probe_error("window probe unavailable: no X display")
    assert first.state is TrayState.UNAVAILABLE and first.message
    assert second.message is None
    assert "no X display" in second.tooltip


def test_tooltip_shows_time_on_priority_and_ratio(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales", "call three customers")
    run(controller, clock, SALES, 600)
    run(controller, clock, CODE, 60)
    clock.now += 20  # past the summary cache
    text = controller.tooltip()
    assert "Priority: Sales" in text and "call three customers" in text
    assert "10 min on it today" in text and "focus 91%" in text
    assert "Off-priority streak: 58 s" in text  # one duration formatter: seconds under a minute


def test_morning_prompt_prefilled_from_yesterdays_journal(setup) -> None:
    controller, _, _ = setup
    controller.store.save_journal(Journal(day=date(2026, 11, 22), tomorrow_activity="Engineering",
                                          tomorrow_next_step="fix the login bug"))
    assert controller.suggested_declaration() == ("Engineering", "fix the login bug")


def test_new_day_prompts_again(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    assert not any(u.prompt_declaration for u in run(controller, clock, SALES, 10))
    clock.now = datetime(2026, 11, 24, 8, 0, tzinfo=TZ).timestamp()
    update = run(controller, clock, SALES, 2)[0]
    assert update.prompt_declaration and update.state is TrayState.NO_PRIORITY


def test_database_survives_and_is_private(setup, tmp_path) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    run(controller, clock, SALES, 30)
    run(controller, clock, VIDEO, 30)
    assert (tmp_path / "fg.db").stat().st_mode & 0o077 == 0
    con = sqlite3.connect(tmp_path / "fg.db")
    rows = con.execute("select classification, count(*) from events group by 1 order by 1").fetchall()
    assert rows == [("distraction", 1), ("priority", 1)]


def test_history_past_keep_days_is_pruned_at_start(tmp_path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG.replace("[nudge]", "[privacy]\nkeep_days = 30\n\n[nudge]"),
                           encoding="utf-8")
    now = datetime(2026, 11, 23, 9, 0, tzinfo=TZ).timestamp()
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    for age_days in (40, 31, 29, 1):
        at = now - age_days * 86400
        store.record(Classified(Sample(at=at, app="code", title=f"{age_days}"), "Engineering",
                                Classification.PRODUCTIVE_DISTRACTION))
        store.record(Classified(Sample(at=at + 2, app="code", title=f"{age_days}"), "Engineering",
                                Classification.PRODUCTIVE_DISTRACTION))
    store.flush()
    Controller(config_file, store, clock=lambda: now, tz=TZ).close()
    kept = Store(tmp_path / "fg.db")
    titles = sorted(e.title for e in kept.events(now - 100 * 86400, now))
    kept.close()
    assert titles == ["1", "29"]


def test_neutral_window_after_declaration_or_outage_shows_focus_state(setup) -> None:
    controller, clock, _ = setup
    terminal = WindowInfo(app="python3", title="FocusGuard settings", pid=999)  # own: neutral
    assert run(controller, clock, terminal, 2)[0].state is TrayState.NO_PRIORITY
    controller.declare("Sales")
    assert run(controller, clock, terminal, 2)[0].state is TrayState.IDLE  # no window seen on or off it yet
    run(controller, clock, SALES, 4)
    assert run(controller, clock, terminal, 2)[0].state is TrayState.PRIORITY
    run(controller, clock, VIDEO, 4)
    assert run(controller, clock, terminal, 2)[0].state is TrayState.DISTRACTION
    controller.handle_probe_error("window probe unavailable: no X display")
    assert run(controller, clock, terminal, 2)[0].state is TrayState.DISTRACTION
    run(controller, clock, terminal, 2, idle=600)
    assert run(controller, clock, terminal, 2)[0].state is TrayState.DISTRACTION


def test_back_activates_only_a_priority_window_seen_today(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    run(controller, clock, SALES, 4)
    clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=TZ).timestamp()
    controller.declare("Sales")
    other_sales = WindowInfo(app="chromium", title="HubSpot - Contacts", pid=300)
    run(controller, clock, other_sales, 2)  # the one priority sample: the first of the new day
    run(controller, clock, VIDEO, 62)
    assert controller.answer_back() == other_sales


OWN = WindowInfo("focusguard", "FocusGuard status", pid=999)


def test_a_window_of_ours_that_took_the_focus_gives_it_back(setup) -> None:
    controller, clock, _ = setup
    run(controller, clock, CODE, 4)
    controller.shown_without_focus()
    clock.now += 1
    assert controller.handle_sample(OWN, 0.0).give_focus_to == CODE
    # once: a user who then clicks into the status window keeps it
    assert controller.handle_sample(OWN, 0.0).give_focus_to is None


def test_focus_is_not_taken_back_when_the_user_went_to_our_window_later(setup) -> None:
    controller, clock, _ = setup
    run(controller, clock, CODE, 4)
    controller.shown_without_focus()
    run(controller, clock, VIDEO, 4)  # the compositor left the focus alone
    assert controller.handle_sample(OWN, 0.0).give_focus_to is None


def test_focus_taken_long_after_showing_is_the_users_doing(setup) -> None:
    controller, clock, _ = setup
    run(controller, clock, CODE, 2)
    controller.shown_without_focus()
    clock.now += 10
    assert controller.handle_sample(OWN, 0.0).give_focus_to is None


def test_the_same_window_again_is_not_classified_again_until_the_priority_changes(setup) -> None:
    controller, clock, _ = setup
    calls: list[str] = []
    classify = controller.classifier.classify
    controller.classifier.classify = lambda sample, *a, **k: calls.append(sample.title) or classify(sample, *a, **k)
    controller.declare("Sales")
    first = controller.handle_sample(SALES, 0.0).classified
    clock.now += 1
    again = controller.handle_sample(SALES, 0.0).classified
    assert len(calls) == 1 and again.classification is first.classification is Classification.PRIORITY
    assert again.sample.at == first.sample.at + 1
    controller.declare("Engineering")
    clock.now += 1
    before = len(calls)
    assert controller.handle_sample(SALES, 0.0).classified.classification is not Classification.PRIORITY
    assert len(calls) == before + 1

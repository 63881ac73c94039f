"""Calls in the controller: a recording microphone holds the nudge, the call is stored,
asked about when it ends, answered, waits in the tray while unanswered (fakes, injected clock)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from scenario import CONFIG, SALES, TZ, VIDEO, Clock

from focusguard.controller import Controller
from focusguard.core.calls import CallKind
from focusguard.platform.window import WindowInfo
from focusguard.store import Store

ZOOM = WindowInfo(app="zoom", title="Zoom Meeting", pid=300)


@pytest.fixture
def setup(tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    clock = Clock()
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    controller = Controller(config_file, store, clock=clock, tz=TZ, own_pid=999)
    yield controller, clock, config_file
    controller.close()


def run(controller: Controller, clock: Clock, window: WindowInfo | None, seconds: float, every: float = 2.0):
    updates = []
    end = clock.now + seconds
    while clock.now < end:
        updates.append(controller.handle_sample(window, 0.0))
        clock.now += every
    return updates


def nudges(updates) -> list:
    return [u.show_nudge for u in updates if u.show_nudge is not None]


def test_a_call_on_the_microphone_holds_the_nudge_until_it_ends(setup) -> None:
    """YouTube in front during a browser call: no nudge while the mic records; the due
    nudge comes once the call is over, and the call's question with the sample that ends it."""
    controller, clock, _ = setup
    controller.declare("Sales")
    controller.on_microphone_changed(True)
    updates = run(controller, clock, VIDEO, 300)
    assert nudges(updates) == []
    assert "In a call" in updates[-1].tooltip
    assert controller.calls.in_call
    controller.on_microphone_changed(False)
    after = run(controller, clock, VIDEO, 40)
    asked = [u.ask_call for u in after if u.ask_call is not None]
    assert len(asked) == 1
    call = asked[0]
    assert (call.app, call.title, call.kind) == ("firefox", "YouTube - cats", CallKind.UNANSWERED)
    assert call.end - call.start == pytest.approx(300, abs=2)
    assert after[-1].tray.calls_waiting == (call,)
    assert "In a call" not in after[-1].tooltip
    # The call's own minutes wait for the answer; YouTube before it (while the detector
    # decided) and after it make the minute that nudges.
    assert nudges(after) == []
    assert len(nudges(run(controller, clock, VIDEO, 30))) == 1


def test_without_a_call_the_same_minutes_nudge(setup) -> None:
    """The hold above is the call's doing: with the microphone unknown nothing is held."""
    controller, clock, _ = setup
    controller.declare("Sales")
    controller.on_microphone_changed(None)
    assert len(nudges(run(controller, clock, VIDEO, 300))) >= 1


def test_a_zoom_meeting_window_is_a_call_named_zoom(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    run(controller, clock, ZOOM, 180)
    assert controller.calls.in_call
    ended = [u.ask_call for u in run(controller, clock, SALES, 40) if u.ask_call]
    assert [c.app for c in ended] == ["Zoom"]


def test_use_microphone_false_ignores_the_microphone(setup) -> None:
    controller, clock, config_file = setup
    config_file.write_text(CONFIG + "\n[calls]\nuse_microphone = false\n", encoding="utf-8")
    controller.reload_config_if_changed()
    controller.on_microphone_changed(True)
    run(controller, clock, SALES, 120)
    assert not controller.calls.in_call


def test_the_answer_is_stored_and_the_call_no_longer_waits(setup) -> None:
    controller, clock, _ = setup
    controller.on_microphone_changed(True)
    run(controller, clock, SALES, 200)
    controller.on_microphone_changed(False)
    [call] = [u.ask_call for u in run(controller, clock, SALES, 40) if u.ask_call]
    assert controller.on_call_requested(call.id).ask_call == call
    update = controller.on_call_answered(call.id, "value", "Acme: send the Q2 proposal")
    assert update.tray.calls_waiting == ()
    stored = controller.calls.log.call(call.id)
    assert (stored.kind, stored.note) == (CallKind.VALUE, "Acme: send the Q2 proposal")
    assert controller.on_call_requested(call.id).ask_call is None
    bad = controller.on_call_answered(12345, "chill")
    assert bad.notices and "no call with number 12345" in bad.notices[0].text


def test_a_short_call_is_recorded_but_not_asked(setup) -> None:
    controller, clock, _ = setup
    controller.on_microphone_changed(True)
    run(controller, clock, SALES, 60)
    controller.on_microphone_changed(False)
    assert [u.ask_call for u in run(controller, clock, SALES, 40) if u.ask_call] == []
    [call] = controller.calls.log.calls(0, clock.now)
    assert call.seconds() == pytest.approx(60, abs=2)


def test_closing_the_app_mid_call_stores_the_call(setup, tmp_path: Path) -> None:
    controller, clock, _ = setup
    controller.on_microphone_changed(True)
    run(controller, clock, SALES, 200)
    controller.close()
    with Store(tmp_path / "fg.db") as store:
        from focusguard.store_calls import CallLog

        [call] = CallLog(store).calls(0, clock.now + 10)
        assert call.seconds() == pytest.approx(200, abs=2)
    controller.store = Store(tmp_path / "fg.db")  # the fixture closes it again


def test_a_nudge_due_while_the_microphone_opens_waits_for_the_debounce(setup) -> None:
    """Someone starts talking just as the threshold passes: the nudge waits while the
    detector decides; a voice message (20 s) is no call, and the nudge follows it."""
    controller, clock, _ = setup
    controller.declare("Sales")
    assert nudges(run(controller, clock, VIDEO, 56)) == []
    controller.on_microphone_changed(True)
    updates = run(controller, clock, VIDEO, 20)
    assert nudges(updates) == []
    assert not controller.calls.in_call and "In a call" not in updates[-1].tooltip
    controller.on_microphone_changed(False)
    assert len(nudges(run(controller, clock, VIDEO, 2))) == 1
    assert controller.calls.log.calls(0, clock.now) == []


def test_window_time_during_a_call_does_not_feed_the_streak(setup) -> None:
    """YouTube shared in a call is the call's time, not YouTube's: the streak waits for the answer."""
    controller, clock, _ = setup
    controller.declare("Sales")
    controller.on_microphone_changed(True)
    run(controller, clock, VIDEO, 40)  # 30 s to decide, then the call
    before = controller.engine.streak.off_seconds
    run(controller, clock, VIDEO, 300)
    assert controller.engine.streak.off_seconds == before
    assert controller.store.events(0, clock.now + 1)[-1].classification.value == "distraction"  # recorded as it was


def test_a_chill_call_at_ten_counts_as_distraction_in_the_streak(setup) -> None:
    """Monday 09:00 is outside the default chill times: the answer 'chill' adds the call's
    time to the streak as distraction, so the next minute of YouTube nudges at once."""
    controller, clock, _ = setup
    controller.declare("Sales")
    controller.on_microphone_changed(True)
    run(controller, clock, SALES, 200)
    controller.on_microphone_changed(False)
    [call] = [u.ask_call for u in run(controller, clock, SALES, 40) if u.ask_call]
    assert controller.engine.streak.started_at is None
    controller.on_call_answered(call.id, "chill")
    assert controller.engine.streak.distraction_seconds == pytest.approx(call.seconds())
    assert len(nudges(run(controller, clock, VIDEO, 4))) == 1


def test_a_value_call_counts_as_the_priority_for_a_calls_activity(setup) -> None:
    controller, clock, config_file = setup
    config_file.write_text(CONFIG.replace('name = "Sales"\nkind = "productive"\n',
                                          'name = "Sales"\nkind = "productive"\ncalls_count_as_priority = true\n'),
                           encoding="utf-8")
    controller.reload_config_if_changed()
    controller.declare("Sales")
    run(controller, clock, VIDEO, 30)  # a streak of YouTube, then the call
    controller.on_microphone_changed(True)
    run(controller, clock, VIDEO, 200)
    controller.on_microphone_changed(False)
    [call] = [u.ask_call for u in run(controller, clock, SALES, 40) if u.ask_call]
    assert controller.engine.streak.started_at is not None
    controller.on_call_answered(call.id, "value", "Acme: send the Q2 proposal")
    assert controller.engine.streak.started_at is None


def test_the_trays_figures_count_the_call_as_answered(setup) -> None:
    """On Sales all along, in a call for 200 s: answered chill (09:00 is outside its slot)
    the call's time leaves Sales for distraction in today's figures."""
    controller, clock, _ = setup
    controller.declare("Sales")
    controller.on_microphone_changed(True)
    run(controller, clock, SALES, 200)
    controller.on_microphone_changed(False)
    [call] = [u.ask_call for u in run(controller, clock, SALES, 40) if u.ask_call]
    before = controller.today().seconds
    controller.on_call_answered(call.id, "chill")
    after = controller.today().seconds
    assert after["distraction"] == pytest.approx(before["distraction"] + call.seconds(), abs=2)
    assert after["priority"] == pytest.approx(before["priority"] - call.seconds(), abs=2)


@pytest.mark.parametrize(("privacy", "title"), [("", "Acme pitch"),
                                               ("[privacy]\nrecord_titles = false\n", "Calendar meeting")])
def test_a_meeting_in_the_calendar_file_is_a_call_named_by_it(setup, tmp_path: Path, privacy: str,
                                                              title: str) -> None:
    from datetime import datetime

    controller, clock, config_file = setup
    start = datetime.fromtimestamp(clock.now, TZ).strftime("%Y%m%dT%H%M%S")
    end = datetime.fromtimestamp(clock.now + 600, TZ).strftime("%Y%m%dT%H%M%S")
    ics = tmp_path / "work.ics"
    ics.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
                   "DTSTAMP:20261101T000000Z\r\n"
                   f"DTSTART;TZID=Europe/Berlin:{start}\r\nDTEND;TZID=Europe/Berlin:{end}\r\n"
                   "SUMMARY:Acme pitch\r\nATTENDEE:mailto:ana@acme.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                   encoding="utf-8")
    config_file.write_text(CONFIG + f'\n[calls]\ncalendar_file = "{ics}"\n' + privacy, encoding="utf-8")
    controller.reload_config_if_changed()
    controller.on_microphone_changed(None)
    calendar = controller.calls.calendar
    assert calendar is not None
    deadline = time.monotonic() + 10
    while calendar.meeting_at(clock.now) is None:  # read on a thread of its own
        assert time.monotonic() < deadline, calendar.why
        time.sleep(0.02)
    run(controller, clock, SALES, 40)
    assert controller.calls.in_call
    assert controller.calls.detector.current.title == title


@pytest.mark.parametrize(("extra", "window", "named"), [
    ("", WindowInfo(app="firefox", title="Meet - abc - Private Browsing", pid=5), ("", "")),
    ("\n[privacy]\nrecord_titles = false\n", WindowInfo(app="firefox", title="Meet - abc - Firefox", pid=5),
     ("Meet", "")),
    ("\n[privacy]\nrecord_titles = false\n", VIDEO, ("firefox", "")),
])
def test_a_call_is_named_only_with_what_privacy_lets_be_stored(setup, extra: str, window: WindowInfo,
                                                              named: tuple[str, str]) -> None:
    """A private window's call is unnamed; without titles a call keeps its app only. The
    title still tells a Meet window (matching is allowed, storing is not)."""
    controller, clock, config_file = setup
    config_file.write_text(CONFIG + extra, encoding="utf-8")
    controller.reload_config_if_changed()
    controller.on_microphone_changed(True)
    run(controller, clock, window, 200)
    controller.on_microphone_changed(False)
    [call] = [u.ask_call for u in run(controller, clock, SALES, 40) if u.ask_call]  # a Meet window is a call too
    assert (call.app, call.title) == named
    assert controller.calls.log.calls(0, clock.now)[0].title == named[1]


def test_a_store_that_cannot_write_loses_the_call_not_the_tick(setup, monkeypatch) -> None:
    from focusguard.store_writer import StoreError

    controller, clock, _ = setup
    controller.on_microphone_changed(True)
    run(controller, clock, SALES, 200)
    controller.on_microphone_changed(False)

    def locked(call):
        raise StoreError("the database is locked")

    monkeypatch.setattr(controller.calls.log, "add", locked)
    updates = run(controller, clock, SALES, 40)  # no exception out of handle_sample
    assert [u.ask_call for u in updates if u.ask_call] == []
    assert not controller.calls.in_call

"""The engine and answered calls (issue 15): time away credited afterwards to the streak."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from focusguard.core.config import NudgeSettings
from focusguard.core.engine import NudgeEngine
from focusguard.core.model import Classification, Classified, Sample

C = Classification
BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=BERLIN).timestamp()
SETTINGS = NudgeSettings(distraction_after_minutes=5, off_priority_after_minutes=15, grace_seconds=30,
                         snooze_minutes=10)
YOUTUBE = ("Video", "firefox", "YouTube")
CRM = ("Sales", "firefox", "CRM")


def feed(engine: NudgeEngine, start: float, seconds: float, classification: Classification) -> list:
    window = YOUTUBE if classification is C.DISTRACTION else CRM
    nudges, at = [], start
    while at < start + seconds:
        nudge = engine.feed(Classified(Sample(at, window[1], window[2]), window[0], classification), has_priority=True)
        if nudge is not None:
            nudges.append(nudge)
        at += 2
    return nudges


def test_a_chill_call_outside_its_slot_brings_the_nudge_nearer() -> None:
    engine = NudgeEngine(SETTINGS, max_gap=4)
    engine.credit_away(C.DISTRACTION, 240, T0)  # 4 of the 5 minutes, in a call
    assert engine.streak.started_at == T0 and engine.streak.distraction_seconds == 240
    nudges = feed(engine, T0 + 10, 120, C.DISTRACTION)
    assert len(nudges) == 1 and nudges[0].at <= T0 + 10 + 62  # a minute of YouTube, not five


def test_productive_call_time_adds_to_the_off_priority_streak_but_not_the_distraction() -> None:
    engine = NudgeEngine(SETTINGS, max_gap=4)
    feed(engine, T0, 60, C.DISTRACTION)
    engine.credit_away(C.PRODUCTIVE_DISTRACTION, 600, T0 + 700)
    assert engine.streak.started_at == T0
    assert engine.streak.off_seconds >= 600 + 58 and engine.streak.distraction_seconds < 62


def test_a_value_call_on_the_priority_ends_a_streak_that_was_on_but_not_a_later_one() -> None:
    engine = NudgeEngine(SETTINGS, max_gap=4)
    feed(engine, T0, 60, C.DISTRACTION)
    engine.credit_away(C.PRIORITY, 600, T0 + 700)
    assert engine.streak.started_at is None
    feed(engine, T0 + 800, 60, C.DISTRACTION)  # a streak after the call
    engine.credit_away(C.PRIORITY, 600, T0 + 700)
    assert engine.streak.started_at == T0 + 800
    engine.credit_away(C.PRIORITY, 10, T0 + 900)  # shorter than the grace
    assert engine.streak.started_at == T0 + 800


def test_neutral_or_nothing_changes_nothing() -> None:
    engine = NudgeEngine(SETTINGS, max_gap=4)
    engine.credit_away(C.NEUTRAL, 600, T0)
    engine.credit_away(C.DISTRACTION, 0, T0)
    assert engine.streak.started_at is None

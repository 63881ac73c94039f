"""Times and durations for people, one way each, in the caller's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.core.timefmt import LocalDays, clock, day_bounds, duration, iso, local_date

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
NOON_UTC = datetime(2026, 6, 1, 12, 0, 30, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0 min"), (29.4, "29 s"), (59.4, "59 s"), (59.5, "1 min"), (17 * 60, "17 min"),
    (3600, "1 h"), (125 * 60, "2 h 05 min"), (-5, "0 min"),
])
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_the_nudge_and_the_reports_say_minutes_alike() -> None:
    """The nudge's whole minutes (formerly its own formatter) read as the reports do."""
    for minutes, text in [(0, "0 min"), (17, "17 min"), (60, "1 h"), (125, "2 h 05 min")]:
        assert duration(minutes * 60) == text


def test_clock_and_iso_follow_the_given_zone() -> None:
    assert clock(NOON_UTC, BERLIN) == "14:00" and clock(NOON_UTC, TOKYO) == "21:00"
    assert iso(NOON_UTC, BERLIN) == "2026-06-01T14:00:30+02:00"
    assert iso(NOON_UTC, TOKYO) == "2026-06-01T21:00:30+09:00"
    assert local_date(NOON_UTC + 8 * 3600, TOKYO) == date(2026, 6, 2)
    assert local_date(NOON_UTC + 8 * 3600, BERLIN) == date(2026, 6, 1)


def test_a_day_is_from_midnight_to_midnight_in_its_zone() -> None:
    start, end = day_bounds(date(2026, 3, 29), BERLIN)  # the clocks go forward: 23 hours
    assert (end - start) / 3600 == 23
    assert clock(start, BERLIN) == "00:00" and clock(end, BERLIN) == "00:00"


#: Zones whose days are not all 24 h long; Havana's spring change skips midnight itself.
ZONES = [UTC, BERLIN, TOKYO, ZoneInfo("America/Havana"), ZoneInfo("Australia/Lord_Howe")]
YEAR_2026 = (datetime(2026, 1, 1, tzinfo=UTC).timestamp(), datetime(2027, 1, 1, tzinfo=UTC).timestamp())


@given(zone=st.sampled_from(ZONES), start=st.floats(*YEAR_2026),
       steps=st.lists(st.floats(-3 * 86400, 3 * 86400), max_size=40))
def test_kept_local_days_answer_as_the_zone_does(zone, start: float, steps: list[float]) -> None:
    """Forward and back, across midnights and DST changes: never a stale day."""
    days, ts = LocalDays(zone), start
    for step in [0.0, *steps]:
        ts += step
        assert days.date_of(ts) == local_date(ts, zone)


def test_kept_local_days_change_at_the_zones_midnight() -> None:
    days = LocalDays(BERLIN)
    midnight = datetime(2026, 3, 29, tzinfo=BERLIN).timestamp()  # a 23-hour day follows
    assert days.date_of(midnight - 0.001) == date(2026, 3, 28)
    assert days.date_of(midnight) == date(2026, 3, 29)
    assert days.date_of(midnight + 23 * 3600 - 0.001) == date(2026, 3, 29)
    assert days.date_of(midnight + 23 * 3600) == date(2026, 3, 30)

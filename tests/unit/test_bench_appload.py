"""The app benches' set-up is right (what they print is only as good as that): the
time zone makes it the hour asked for, and the seeded busy day is what it says."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest

sys.path[:0] = [str(Path(__file__).resolve().parents[2] / "bench"), str(Path(__file__).resolve().parents[1] / "e2e")]

from appload import CYCLE, seed_history, zone_where_it_is  # noqa: E402

from focusguard.core.summary import summarize_day  # noqa: E402
from focusguard.store import Store  # noqa: E402


@pytest.mark.parametrize("hour", [0, 9, 17, 23])
def test_the_zone_makes_it_that_hour_now(hour: int) -> None:
    posix, tz = zone_where_it_is(hour)
    assert datetime.now(tz).hour == hour
    sign, hours, minutes = posix[3], int(posix[4:6]), int(posix[7:9])
    offset = (hours * 60 + minutes) * (-1 if sign == "-" else 1)  # POSIX: west is positive
    assert tz.utcoffset(None).total_seconds() == -offset * 60


def test_a_seeded_hour_is_a_busy_hour_of_today(tmp_path: Path) -> None:
    _, tz = zone_where_it_is(17)
    db = tmp_path / "data" / "fg.db"
    events = seed_history(db, tz, 1.0)
    assert events == pytest.approx(3600 / 2.5, abs=3)  # a switch every 2.5 s
    with Store(db) as store:
        summary = summarize_day(store, datetime.now(tz).date(), tz)
        assert summary.priority == "Sales"
        busy = sum(summary.seconds.values())
        assert busy == pytest.approx(3600, abs=10)
        # 1 s samples, a switch every 2.5 s: windows take 3 s and 2 s in turn, HubSpot 3
        assert len(CYCLE) == 4 and summary.seconds["priority"] == pytest.approx(busy * 3 / 10, rel=0.02)

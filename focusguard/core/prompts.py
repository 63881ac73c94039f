"""When to offer the end-of-day summary and the 30-day review: once a day each, and
a day that ended unreviewed is offered at the next start. Decided on an injected
clock; what was offered when is kept in the store's meta table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo

from focusguard.core.figures import ACTIVE, REVIEW_DAYS, ReviewStore, review_period
from focusguard.core.timefmt import day_bounds, local, local_date

#: A day with less active time than this is not worth a popup of its own.
MIN_TRACKED_SECONDS = 15 * 60.0


#: How far back the start looks for a day that ended without a review.
MISSED_LOOKBACK_DAYS = 7


# Meta keys (the store's key/value table): what was offered when, and the review answers.
OFFERED_KEY = "summary.last_offered"


FIRST_USE_KEY = "review.first_use"


REVIEW_OFFERED_KEY = "review.last_offered"


def day_end_due(now: datetime, day_end: time, last_offered: date | None, *, active: bool,
                tracked: Callable[[], float]) -> bool:
    """The end-of-day popup opens once a day, after day.end, when the user is there
    (an idle screen would hide it until morning) and the day has enough to show. Asked
    every sample: the day's ``tracked`` seconds are summed last, only when they matter."""
    return (active and now.time() >= day_end and last_offered != now.date()
            and tracked() >= MIN_TRACKED_SECONDS)


def review_due(today: date, first_use: date, last_offered: date | None) -> bool:
    """REVIEW_DAYS after first use, then every REVIEW_DAYS after the last offer."""
    since = last_offered or first_use
    return today >= since + timedelta(days=REVIEW_DAYS)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None  # a damaged entry reads as never


class Prompts:
    """Decides when the summary and the review offer themselves; remembers the offers
    in the store's meta table, so a restart neither repeats nor forgets one."""

    def __init__(self, store: ReviewStore, *, clock: Callable[[], float], tz: tzinfo | None = None) -> None:
        self.store = store
        self.clock = clock
        self.tz = tz
        self._offered: tuple[date | None] | None = None  # last_offered once read: asked every sample after day.end

    def today(self) -> date:
        return local_date(self.clock(), self.tz)

    @property
    def last_offered(self) -> date | None:
        """Read from the store once: only ``mark_offered`` changes it."""
        if self._offered is None:
            self._offered = (_date(self.store.get_meta(OFFERED_KEY)),)
        return self._offered[0]

    def mark_offered(self, day: date) -> None:
        """Never moves back: offering an older missed day keeps today's mark."""
        last = self.last_offered
        if last is None or day > last:
            self.store.set_meta(OFFERED_KEY, day.isoformat())
            self._offered = (day,)

    def day_end(self, day_end: time, *, active: bool, tracked: Callable[[], float]) -> date | None:
        """Today, when its end-of-day popup is due now."""
        now = local(self.clock(), self.tz)
        return now.date() if day_end_due(now, day_end, self.last_offered, active=active, tracked=tracked) else None

    def missed_day(self) -> date | None:
        """The last tracked day before today, within MISSED_LOOKBACK_DAYS, when it ended
        with no popup offered and no journal written (the computer was off at day.end)."""
        today = self.today()
        last = self.last_offered
        floor = today - timedelta(days=MISSED_LOOKBACK_DAYS)
        start, end = day_bounds(floor, self.tz)[0], day_bounds(today, self.tz)[0]
        tracked: dict[date, float] = {}
        for e in self.store.events(start, end):
            if e.classification in ACTIVE:
                s, t = max(e.start, start), min(e.end, end)
                while s < t:  # an event over midnight counts on both days
                    day = local_date(s, self.tz)
                    stop = min(t, day_bounds(day, self.tz)[1])
                    tracked[day] = tracked.get(day, 0) + (stop - s)
                    s = stop
        for day in sorted(tracked, reverse=True):
            if tracked[day] >= MIN_TRACKED_SECONDS:
                if (last is None or day > last) and self.store.journal(day) is None:
                    return day
                return None
        return None

    def first_use(self) -> date:
        """Stored on first call: the first declaration's day, or today on a new install."""
        stored = _date(self.store.get_meta(FIRST_USE_KEY))
        if stored is not None:
            return stored
        declarations = self.store.declarations()
        today = self.today()
        first = min(local_date(declarations[0].at, self.tz), today) if declarations else today
        self.store.set_meta(FIRST_USE_KEY, first.isoformat())
        return first

    def review_period(self) -> tuple[date, date]:
        """The period a review opened today covers."""
        return review_period(self.today())

    def review(self) -> tuple[date, date] | None:
        """The review period when a review is due now, else None."""
        if review_due(self.today(), self.first_use(), _date(self.store.get_meta(REVIEW_OFFERED_KEY))):
            return self.review_period()
        return None

    def mark_review_offered(self) -> None:
        self.store.set_meta(REVIEW_OFFERED_KEY, self.today().isoformat())

"""What the app offers unasked: the morning question, the day's summary, the 30-day review.

Qt-free; the controller owns one and puts each offer it makes in its `Update`. When
each is due is decided in `core.prompts.Prompts`, which remembers the offers made in
the store (a restart neither repeats nor forgets one); this keeps what only the
running app needs to know: whether the declare dialog is open as the morning's
question, and whether the review was already looked at today.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, time, tzinfo

from focusguard.core.figures import ReviewStore
from focusguard.core.prompts import Prompts
from focusguard.core.timefmt import local_date

log = logging.getLogger(__name__)


class Offers:
    """Each method answers "offer it now?" and, when it says yes, notes the offer.
    A failure is logged and offers nothing: a broken summary must not stop the sampling."""

    def __init__(self, store: ReviewStore, *, clock: Callable[[], float], tz: tzinfo | None = None) -> None:
        self.prompts = Prompts(store, clock=clock, tz=tz)
        self.clock, self.tz = clock, tz
        #: The declare dialog is open as the morning's question (not opened by the user):
        #: a priority declared elsewhere (the CLI, the settings window) answers it.
        self.morning_question_open = False
        self._review_checked_on: date | None = None

    def missed_day(self) -> date | None:
        """At start: the last tracked day that ended with no summary (the computer was off)."""
        try:
            day = self.prompts.missed_day()
            if day is not None:
                self.prompts.mark_offered(day)
            return day
        except Exception:  # logged; the app starts all the same
            log.exception("could not offer the missed day's summary")
            return None

    def day_end(self, day_end: time, *, tracked: Callable[[], float]) -> date | None:
        """Today, once, at ``day.end`` while the user is active."""
        try:
            day = self.prompts.day_end(day_end, active=True, tracked=tracked)
            if day is not None:
                self.prompts.mark_offered(day)
            return day
        except Exception:  # logged; the next sample runs
            log.exception("could not offer the day's summary")
            return None

    def review(self) -> tuple[date, date] | None:
        """The period of a 30-day review due now; asked once a day at most."""
        today = local_date(self.clock(), self.tz)
        if self._review_checked_on == today:
            return None
        self._review_checked_on = today
        try:
            period = self.prompts.review()
            if period is not None:
                self.prompts.mark_review_offered()
            return period
        except Exception:  # logged; the next sample runs
            log.exception("could not offer the 30-day review")
            return None

    def review_period(self) -> tuple[date, date]:
        """The period a review opened today covers."""
        return self.prompts.review_period()

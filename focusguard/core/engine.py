"""The nudge engine: decides, sample by sample, when to interrupt the user.

It is a pure, deterministic state machine. It never reads the wall clock and never
imports Qt: every time it knows comes from the samples and answers fed to it, and the
time zone used for focus blocks is injected. So a day can be replayed in a test, with
exact times, in microseconds.

Time accounting follows the heartbeat convention of :mod:`focusguard.core.model`: the
sample fed at ``t`` covers ``[t, next sample)`` when the next sample comes within
``max_gap``; the duration is credited to the *previous* sample's classification when
the next one arrives. A longer gap (or a clock going backwards) credits nothing.

The streak rules, and the choices the spec left open:

* An off-priority streak starts with the first off-priority sample
  (productive distraction, distraction, unclassified) and ends only once the user has
  been on the priority for ``grace_seconds`` without a break. A break is any
  off-priority sample: it resets the priority run to zero.
* Neutral, idle, paused and private time are *transparent*: they neither add to the
  streak nor end it, and they neither add to the priority run nor reset it. Glancing
  at a file manager or walking away is not a return to the priority, but it is not a
  break from it either.
* Priority time inside a streak (shorter than the grace) does not add to the streak.
* A nudge is due when the streak's distraction time reaches
  ``distraction_after_minutes`` or its off-priority time reaches
  ``off_priority_after_minutes``. It fires at the first sample that credits the
  crossing, or any later one, provided that sample is itself off-priority: nudging
  someone who is already back on the priority, idle, or in a private window helps
  nobody, so the nudge waits (and dies with the streak if the grace ends it).
* Without a declared priority there is nothing to be off, so the engine only tracks:
  the streak is reset at every such sample and nothing is credited; a priority
  declared later starts from a clean slate instead of an old "streak" that would
  nudge at once.
* Answers apply to the streak the pending nudge was about. An answer arriving after
  that streak has ended (the user went back without clicking) only clears the
  pending nudge, so it cannot escalate or snooze a streak it never saw. An answer
  with nothing pending (a double click) is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from focusguard.core.config import FocusBlock, NudgeSettings
from focusguard.core.model import Answer, Classification, Classified, Nudge

MAX_LEVEL = 3
"""Escalation stops here: level 3 is the most insistent nudge the UI has."""


@dataclass(frozen=True)
class Schedule:
    """When nudges are allowed. With focus blocks and ``outside_focus_blocks = "track"``
    only inside a block (local time, ``start <= t < end`` on one of the block's
    weekdays, 0 = Monday); with ``"nudge"`` or no blocks at all, any time."""

    focus_blocks: tuple[FocusBlock, ...] = ()
    outside_focus_blocks: str = "nudge"

    def nudges_allowed(self, at: float, tz: tzinfo | None = None) -> bool:
        """``tz`` None means the system's local time zone."""
        if not self.focus_blocks or self.outside_focus_blocks != "track":
            return True
        local = datetime.fromtimestamp(at, tz)
        day, clock = local.weekday(), local.time()
        return any(
            day in block.days and block.start <= clock < block.end
            for block in self.focus_blocks
        )


@dataclass(frozen=True)
class Streak:
    """A snapshot of the current off-priority streak.

    ``started_at`` is None when there is no streak (all the seconds are then 0).
    ``level`` is the escalation level the streak's next nudge gets, 1 to
    :data:`MAX_LEVEL`; it is 1 again once the streak ends.
    ``priority_run_seconds`` is how long the user has been back on the priority
    without a break; the streak ends when it reaches the grace.
    """

    started_at: float | None
    off_seconds: float
    distraction_seconds: float
    level: int
    priority_run_seconds: float


NO_STREAK = Streak(None, 0.0, 0.0, 1, 0.0)


class NudgeEngine:
    """Feed it every classified sample in order; it returns a :class:`Nudge` when one
    is due, and is told how the user answered with :meth:`answer`."""

    def __init__(
        self,
        settings: NudgeSettings,
        *,
        max_gap: float,
        schedule: Schedule = Schedule(),
        tz: tzinfo | None = None,
    ) -> None:
        self._tz = tz
        self.reconfigure(settings, max_gap=max_gap, schedule=schedule)
        self._streak = NO_STREAK
        self._previous: Classified | None = None
        self._pending: Nudge | None = None
        self._pending_streak: float | None = None
        self._snoozed_until: float | None = None
        self.paused_until: float | None = None

    def reconfigure(
        self, settings: NudgeSettings, *, max_gap: float, schedule: Schedule
    ) -> None:
        """Apply new settings; the streak, a pending nudge and a snooze are kept,
        the new thresholds apply from the next sample on."""
        self._settings = settings
        self._max_gap = max_gap
        self._schedule = schedule

    @property
    def streak(self) -> Streak:
        return self._streak

    @property
    def pending(self) -> Nudge | None:
        """The nudge returned by :meth:`feed` and not answered yet."""
        return self._pending

    def pause(self, until: float) -> None:
        """No nudges before ``until`` ("until tomorrow" is the caller's next local
        midnight). The streak is kept; paused samples are transparent to it."""
        self.paused_until = until

    def resume(self) -> None:
        self.paused_until = None

    def is_paused(self, at: float) -> bool:
        return self.paused_until is not None and at < self.paused_until

    def feed(
        self, c: Classified, *, has_priority: bool, hold: bool = False
    ) -> Nudge | None:
        """Credit the previous sample with the time up to ``c``, then decide.

        ``hold`` (an app of ``hold_during_apps`` in front, full screen, the
        desktop's do-not-disturb: the caller decides) means never nudge at this
        sample; a nudge still due fires at the first later sample without it.
        ``has_priority`` False (nothing declared today) resets the streak.
        """
        previous, self._previous = self._previous, c
        if not has_priority:
            self._end_streak()
            return None
        if previous is not None:
            self._credit(previous.classification, c.sample.at - previous.sample.at)
        if c.classification.off_priority:
            self._off_priority_sample(c)
        if hold or not self._due(c):
            return None
        self._pending = self._nudge(c)
        self._pending_streak = self._streak.started_at
        return self._pending

    def identify(self, nudge_id: int) -> Nudge | None:
        """The pending nudge was stored under ``nudge_id``: it carries it from now on,
        so the one pending nudge (held here only) names its record. Returns it."""
        if self._pending is not None:
            self._pending = replace(self._pending, id=nudge_id)
        return self._pending

    def answer(self, answer: Answer, at: float) -> None:
        """Back, part-of-priority, classified and delegate end the streak (for classified and part-of-priority,
        the caller also adds a rule), so the window just classified is nudged again only
        after a whole threshold from here; snooze and ignored hold nudges off for
        ``snooze_minutes`` from ``at`` and raise the level."""
        if self._pending is None:
            return
        self._pending = None
        if self._pending_streak != self._streak.started_at:
            return
        if answer in (Answer.BACK, Answer.PART_OF_PRIORITY, Answer.CLASSIFIED, Answer.DELEGATE):
            self._end_streak()
            return
        self._snoozed_until = at + self._settings.snooze_minutes * 60
        self._streak = replace(self._streak, level=min(self._streak.level + 1, MAX_LEVEL))

    def credit_away(self, classification: Classification, seconds: float, at: float) -> None:
        """Time the windows did not tell, judged afterwards (a call the user called value
        or chill, issue 15), ending at ``at``: off-priority time starts a streak there if
        none is on and adds to it (a break, like any off-priority sample); priority time
        of at least the grace ends a streak that was on by then."""
        if seconds <= 0:
            return
        if classification.off_priority:
            s = self._streak if self._streak.started_at is not None else Streak(at, 0.0, 0.0, 1, 0.0)
            distraction = seconds if classification is Classification.DISTRACTION else 0.0
            self._streak = replace(s, off_seconds=s.off_seconds + seconds,
                                   distraction_seconds=s.distraction_seconds + distraction, priority_run_seconds=0.0)
        elif (classification is Classification.PRIORITY and seconds >= self._settings.grace_seconds
              and self._streak.started_at is not None and self._streak.started_at <= at):
            self._end_streak()

    def _credit(self, classification: Classification, seconds: float) -> None:
        """Add ``seconds`` of ``classification`` to the streak, if it is one."""
        s = self._streak
        if s.started_at is None or not 0 <= seconds <= self._max_gap:
            return
        if classification.off_priority:
            distraction = seconds if classification is Classification.DISTRACTION else 0
            self._streak = replace(
                s,
                off_seconds=s.off_seconds + seconds,
                distraction_seconds=s.distraction_seconds + distraction,
            )
        elif classification is Classification.PRIORITY:
            run = s.priority_run_seconds + seconds
            if run >= self._settings.grace_seconds:
                self._end_streak()
            else:
                self._streak = replace(s, priority_run_seconds=run)
        # Neutral, idle, paused and private time are transparent: nothing to do.

    def _off_priority_sample(self, c: Classified) -> None:
        """An off-priority sample starts a streak if none is on, and is a break."""
        if self._streak.started_at is None:
            self._streak = Streak(c.sample.at, 0.0, 0.0, 1, 0.0)
        else:
            self._streak = replace(self._streak, priority_run_seconds=0.0)

    def _due(self, c: Classified) -> bool:
        at = c.sample.at
        return (
            self._pending is None
            and c.classification.off_priority
            and (self._distraction_due() or self._off_priority_due())
            and not self.is_paused(at)
            and (self._snoozed_until is None or at >= self._snoozed_until)
            and self._schedule.nudges_allowed(at, self._tz)
        )

    def _distraction_due(self) -> bool:
        limit = self._settings.distraction_after_minutes * 60
        return self._streak.distraction_seconds >= limit

    def _off_priority_due(self) -> bool:
        limit = self._settings.off_priority_after_minutes * 60
        return self._streak.off_seconds >= limit

    def _nudge(self, c: Classified) -> Nudge:
        s = self._streak
        return Nudge(
            at=c.sample.at,
            activity=c.activity,
            classification=(
                Classification.DISTRACTION if self._distraction_due() else c.classification
            ),
            streak_seconds=s.off_seconds,
            distraction_seconds=s.distraction_seconds,
            level=s.level,
            app=c.sample.app,
            title=c.sample.title,
        )

    def _end_streak(self) -> None:
        self._streak = NO_STREAK
        self._snoozed_until = None

"""Goals, steps and delegations as the windows and the CLI use them (issue 14).

`Records.plan` (the controller's, or the one the CLI opens) is one of these: the
store's rows (``store_plan``) with the config's activities checked, the day's
declaration read, and goals and steps named the way people name them (a goal by
its name or number, a step by its number in the goal). Every problem is a
PlanError or UnknownActivity with a sentence to show.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, timedelta, tzinfo

from focusguard.core import plan
from focusguard.core.config import Config
from focusguard.core.delegate import DelegatedTrend, Delegation, delegated_trend
from focusguard.core.model import Nudge
from focusguard.core.plan import DayPlan, Goal, Step
from focusguard.core.timefmt import day_bounds, local_date
from focusguard.store import Store
from focusguard.store_plan import PlanStore


class PlanRecords:
    """One store's goals and delegations, for views and commands."""

    def __init__(self, store: Store, activity_named: Callable[[str], str], *,
                 config: Callable[[], Config] = Config, clock: Callable[[], float] = time.time,
                 tz: tzinfo | None = None) -> None:
        """``activity_named``: the config's spelling of an activity, or UnknownActivity
        (records' own check, handed in: records builds this)."""
        self.rows = PlanStore(store)
        self.store = store
        self.activity_named = activity_named
        self.config = config
        self.clock = clock
        self.tz = tz

    # --- goals ---

    def goals(self) -> list[Goal]:
        return self.rows.goals()

    def find(self, ref: str | int) -> Goal:
        """A goal by name (any case) or number. Raises PlanError."""
        return plan.find_goal(self.goals(), str(ref))

    def add_goal(self, name: str, activity: str) -> Goal:
        """Raises UnknownActivity or PlanError."""
        return self.rows.add_goal(name, self.activity_named(activity), self.clock())

    def rename_goal(self, ref: str | int, name: str) -> Goal:
        return self.rows.rename_goal(self.find(ref).id, name)

    def set_goal_activity(self, ref: str | int, activity: str) -> Goal:
        return self.rows.set_goal_activity(self.find(ref).id, self.activity_named(activity))

    def remove_goal(self, ref: str | int) -> Goal:
        return self.rows.remove_goal(self.find(ref).id)

    # --- steps, by their number in the goal (1 = first) ---

    def add_step(self, ref: str | int, text: str, at: int | None = None) -> tuple[Goal, Step]:
        goal = self.find(ref)
        return goal, self.rows.add_step(goal.id, text, at)

    def edit_step(self, ref: str | int, number: int, text: str) -> Step:
        goal = self.find(ref)
        return self.rows.edit_step(goal.id, plan.step_number(goal, number).id, text)

    def move_step(self, ref: str | int, number: int, to: int) -> Goal:
        goal = self.find(ref)
        return self.rows.move_step(goal.id, plan.step_number(goal, number).id, to)

    def remove_step(self, ref: str | int, number: int) -> Step:
        goal = self.find(ref)
        return self.rows.remove_step(goal.id, plan.step_number(goal, number).id)

    def tick(self, ref: str | int, number: int, done: bool = True) -> tuple[Goal, Step]:
        goal = self.find(ref)
        step = self.rows.tick(goal.id, plan.step_number(goal, number).id, self.clock() if done else None)
        return self.rows.goal(goal.id), step

    def tick_step(self, goal_id: int, step_id: int, done: bool = True, *, on: date | None = None) -> Step:
        """By ids: the windows' tick boxes. ``on``: the day it was done, when ticked
        later (a past day's summary): the tick then counts for that day."""
        at = self.clock() if on is None else min(self.clock(), day_bounds(on, self.tz)[1] - 1)
        return self.rows.tick(goal_id, step_id, at if done else None)

    def tick_today(self) -> tuple[Goal, Step]:
        """"Step done": today's declared step if open, else the priority's next one.
        Returns the goal as it is now and the step ticked. Raises PlanError."""
        self.store.flush()
        declaration = self.store.declaration_on(local_date(self.clock(), self.tz), self.tz)
        goal, step = plan.step_to_tick(self.goals(), declaration.activity if declaration else None,
                                       declaration.next_step if declaration else "")
        ticked = self.rows.tick(goal.id, step.id, self.clock())
        return self.rows.goal(goal.id), ticked

    # --- what declaring proposes ---

    def offered(self, activity: str) -> tuple[Goal, Step] | None:
        return plan.offered_step(self.goals(), activity) if activity else None

    def proposal(self, activity: str, next_step: str) -> tuple[str, str]:
        """A declaration's pre-filled fields: ``next_step`` when there is one, else the
        plan's next unticked step for ``activity`` (or for the oldest goal's activity
        when none is suggested), so the prompt never opens empty when a plan exists."""
        goals = self.goals()
        if not activity:
            activity = plan.offered_activity(goals) or ""
        if activity and not next_step.strip():
            offered = plan.offered_step(goals, activity)
            if offered is not None:
                next_step = offered[1].text
        return activity, next_step

    def steps_by_activity(self) -> dict[str, str]:
        """Each activity's offered step, for the declare dialog's activity switch."""
        goals = self.goals()
        return {name: found[1].text for name in self.config().activity_names
                if (found := plan.offered_step(goals, name)) is not None}

    def goal_of_step(self, activity: str, text: str) -> Goal | None:
        """The goal a declared step belongs to (the nudge and tooltip name it)."""
        found = plan.declared_step(self.goals(), activity, text)
        return None if found is None else found[0]

    # --- a day ---

    def day_plan(self, day: date) -> DayPlan | None:
        """The day's declared step as the plan sees it, done if ticked before the day ended."""
        declaration = self.store.declaration_on(day, self.tz)
        if declaration is None:
            return None
        return plan.day_plan(self.goals(), declaration.activity, declaration.next_step,
                             by=day_bounds(day, self.tz)[1])

    def day_report(self, day: date) -> tuple[DayPlan | None, list[Delegation]]:
        """What a day's report says of the plan: its planned step and its delegations."""
        return self.day_plan(day), self.delegations_on(day)

    def day_step(self, day: date) -> tuple[Goal, Step] | None:
        """The goal and step declared on ``day`` (the summary's tick box)."""
        declaration = self.store.declaration_on(day, self.tz)
        if declaration is None:
            return None
        return plan.declared_step(self.goals(), declaration.activity, declaration.next_step)

    def goal_for_day(self, day: date) -> Goal | None:
        """Where "What still needs doing" adds steps: the goal of the day's step, else
        the declared activity's goal with work left (or its oldest)."""
        found = self.day_step(day)
        if found is not None:
            return found[0]
        declaration = self.store.declaration_on(day, self.tz)
        if declaration is None:
            return None
        offered = plan.offered_step(self.goals(), declaration.activity)
        if offered is not None:
            return offered[0]
        goals = plan.goals_of(self.goals(), declaration.activity)
        return goals[0] if goals else None

    # --- delegations ---

    def delegate(self, nudge: Nudge, seconds: float, note: str = "") -> Delegation:
        """Records "Delegate this" on ``nudge`` with the streak's ``seconds`` so far."""
        return self.rows.add_delegation(self.clock(), nudge.activity, nudge.app, nudge.title, seconds, note,
                                        nudge.id)

    def set_delegation_note(self, delegation_id: int, note: str) -> None:
        self.rows.set_delegation_note(delegation_id, note)

    def delegations_on(self, day: date) -> list[Delegation]:
        return self.rows.delegations(*day_bounds(day, self.tz))

    def delegated_trend(self, first: date, last: date) -> DelegatedTrend:
        """Time per day from ``first`` to ``last`` on things marked to delegate up to ``last``."""
        end = day_bounds(last, self.tz)[1]
        marked = self.rows.delegations(0.0, end)  # every one kept (retention prunes old ones)
        days: list[tuple[date, Sequence[tuple[str | None, str, float]]]] = []
        day = first
        while day <= last:
            start, stop = day_bounds(day, self.tz)
            days.append((day, [(e.activity, e.app, min(e.end, stop) - max(e.start, start))
                               for e in self.store.events(start, stop)]))
            day += timedelta(days=1)
        return delegated_trend(marked, days)


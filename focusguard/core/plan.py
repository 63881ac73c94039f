"""Goals broken into ordered steps, and which step is today's (issue 14).

"If you get out of bed and are confronted with a big question mark, you're doing it
wrong": a goal (belonging to an activity) holds concrete steps in order, and the
first unticked one is what the morning prompt offers as the next step. Pure values
and functions here; the database keeps them (``focusguard.store_plan``) and the
records layer, the CLI and the windows call these to decide.

Steps are numbered for people from 1 in their order; ``position`` is that number
once the store has renumbered them, so a move is "take it out, put it at N".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

#: Longer names and steps are refused: a step is one concrete action, not a document.
MAX_TEXT_CHARS = 200


class PlanError(ValueError):
    """Bad input to a plan operation, in a sentence the user can act on."""


@dataclass(frozen=True, slots=True)
class Step:
    id: int
    text: str
    position: int
    done_at: float | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True, slots=True)
class Goal:
    """``steps`` are in order (see ``ordered``)."""

    id: int
    name: str
    activity: str
    created: float
    steps: tuple[Step, ...] = ()

    @property
    def done_count(self) -> int:
        return sum(s.done for s in self.steps)


@dataclass(frozen=True, slots=True)
class DayPlan:
    """The plan's part in a day: the goal whose step was declared, and whether it got done."""

    goal: str
    step: str
    step_done: bool

    def as_dict(self) -> dict[str, object]:
        return {"goal": self.goal, "step": self.step, "step_done": self.step_done}


def clean(text: str, what: str) -> str:
    """``text`` with its whitespace collapsed; refuses an empty or overlong one."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise PlanError(f"the {what} is empty: write a few words")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise PlanError(f"the {what} is {len(cleaned)} characters long; keep it under {MAX_TEXT_CHARS}")
    return cleaned


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def ordered(steps: Iterable[Step]) -> tuple[Step, ...]:
    """By position, ties (never left by the store, possible in old rows) by id."""
    return tuple(sorted(steps, key=lambda s: (s.position, s.id)))


def renumbered(steps: Sequence[Step]) -> tuple[Step, ...]:
    """The same order, positions 1..n."""
    return tuple(s if s.position == n else replace(s, position=n) for n, s in enumerate(steps, 1))


def next_step(goal: Goal) -> Step | None:
    """The first unticked step in order: what to do next."""
    return next((s for s in goal.steps if not s.done), None)


def step_number(goal: Goal, number: int) -> Step:
    """The step shown as ``number`` (1-based). Raises PlanError."""
    if not goal.steps:
        raise PlanError(f"goal {goal.name!r} has no steps yet: add one with `focusguard goal step add`")
    if not 1 <= number <= len(goal.steps):
        raise PlanError(f"goal {goal.name!r} has steps 1 to {len(goal.steps)}; there is no step {number}")
    return goal.steps[number - 1]


def moved(steps: Sequence[Step], step_id: int, to: int) -> tuple[Step, ...]:
    """The steps with ``step_id`` taken out and put at number ``to`` (1-based), renumbered.
    Raises PlanError for an unknown step or a number outside 1..n."""
    order = list(ordered(steps))
    index = next((i for i, s in enumerate(order) if s.id == step_id), None)
    if index is None:
        raise PlanError(f"no step with id {step_id} in this goal")
    if not 1 <= to <= len(order):
        raise PlanError(f"a step can move to 1 to {len(order)}, not {to}")
    order.insert(to - 1, order.pop(index))
    return renumbered(order)


def appended(steps: Sequence[Step], step: Step, at: int | None = None) -> tuple[Step, ...]:
    """``step`` added at number ``at`` (default: last), renumbered."""
    order = list(ordered(steps))
    if at is not None and not 1 <= at <= len(order) + 1:
        raise PlanError(f"a new step can go at 1 to {len(order) + 1}, not {at}")
    order.insert(len(order) if at is None else at - 1, step)
    return renumbered(order)


def ticked(steps: Sequence[Step], step_id: int, at: float | None) -> tuple[Step, ...]:
    """Step ``step_id`` ticked at ``at`` (None: unticked). A tick keeps its first time."""
    if not any(s.id == step_id for s in steps):
        raise PlanError(f"no step with id {step_id} in this goal")
    return tuple(
        replace(s, done_at=None if at is None else (s.done_at or at)) if s.id == step_id else s
        for s in ordered(steps)
    )


def goals_of(goals: Iterable[Goal], activity: str) -> list[Goal]:
    """The goals of ``activity`` (any case), oldest first: the first is the one pursued."""
    return sorted((g for g in goals if _same(g.activity, activity)), key=lambda g: (g.created, g.id))


def offered_step(goals: Iterable[Goal], activity: str) -> tuple[Goal, Step] | None:
    """What declaring ``activity`` proposes as the next step: the oldest of its goals
    that has an unticked step, and that step."""
    for goal in goals_of(goals, activity):
        step = next_step(goal)
        if step is not None:
            return goal, step
    return None


def offered_activity(goals: Iterable[Goal]) -> str | None:
    """With no priority to suggest, the activity of the oldest goal with work left."""
    open_goals = [g for g in goals if next_step(g) is not None]
    return min(open_goals, key=lambda g: (g.created, g.id)).activity if open_goals else None


def declared_step(goals: Iterable[Goal], activity: str, text: str) -> tuple[Goal, Step] | None:
    """The step a declaration of ``activity`` with next step ``text`` names (same words,
    any case), an unticked one before a ticked one."""
    if not text.strip():
        return None
    found = [(g, s) for g in goals_of(goals, activity) for s in g.steps if _same(s.text, text)]
    found.sort(key=lambda gs: gs[1].done)
    return found[0] if found else None


def day_plan(goals: Iterable[Goal], activity: str, text: str, by: float | None = None) -> DayPlan | None:
    """The day's plan for a declaration: None when its step belongs to no goal. With
    ``by`` (the day's end), a step ticked later was not done that day."""
    found = declared_step(goals, activity, text)
    if found is None:
        return None
    goal, step = found
    done = step.done_at is not None and (by is None or step.done_at < by)
    return DayPlan(goal.name, step.text, done)


def step_to_tick(goals: Iterable[Goal], activity: str | None, text: str) -> tuple[Goal, Step]:
    """What "step done" ticks: the step declared today if it is still open, else the
    next step of the priority's goal. Raises PlanError saying why there is none."""
    goals = list(goals)
    if activity is None:
        raise PlanError("no priority declared today, so no step is today's: "
                        "name one: `focusguard step done GOAL N`")
    found = declared_step(goals, activity, text)
    if found is not None and not found[1].done:
        return found
    offered = offered_step(goals, activity)
    if offered is None:
        raise PlanError(f"no goal of {activity} has a step left to tick: "
                        "add one with `focusguard goal step add GOAL \"text\"`")
    return offered


def find_goal(goals: Sequence[Goal], ref: str) -> Goal:
    """The goal named ``ref`` (any case) or numbered ``ref`` (its id, "3" or "#3").
    Raises PlanError listing the goals there are."""
    wanted = ref.strip()
    if wanted.lstrip("#").isdigit():
        number = int(wanted.lstrip("#"))
        for goal in goals:
            if goal.id == number:
                return goal
    named = [g for g in goals if _same(g.name, wanted)]
    if len(named) == 1:
        return named[0]
    listed = "; ".join(f"#{g.id} {g.name}" for g in goals) or "none yet: add one with `focusguard goal add`"
    if named:
        raise PlanError(f"{len(named)} goals are named {wanted!r}: use the number. Goals: {listed}")
    raise PlanError(f"no goal {wanted!r}. Goals: {listed}")

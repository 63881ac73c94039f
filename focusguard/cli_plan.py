"""`focusguard goal ...` and `focusguard step done`: the plan from a terminal (issue 14).

The same operations the settings page and the summary use (`Records.plan`), on the
same database the running app reads. A goal is named by its name or its number
(`#2` or `2`, as `goal list` shows it); a step by its number in the goal.
"""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Callable

from focusguard.cli_common import Opener, records_command
from focusguard.core.plan import Goal, PlanError, next_step
from focusguard.plan_records import PlanRecords
from focusguard.records import UnknownActivity

Action = Callable[[PlanRecords, argparse.Namespace], str]


def goal_lines(goal: Goal) -> list[str]:
    """'#1 Five clients (Sales) · 1 of 3 done' and its numbered steps, the next one marked."""
    upcoming = next_step(goal)
    lines = [f"#{goal.id} {goal.name} ({goal.activity}) · {goal.done_count} of {len(goal.steps)} done"]
    for number, step in enumerate(goal.steps, 1):
        mark = "  <- next" if step is upcoming else ""
        lines.append(f"   {number}. [{'x' if step.done else ' '}] {step.text}{mark}")
    if not goal.steps:
        lines.append(f"   (no steps yet: focusguard goal step add {goal.id} \"the first concrete step\")")
    return lines


def goal_json(goal: Goal) -> dict[str, object]:
    upcoming = next_step(goal)
    return {"id": goal.id, "name": goal.name, "activity": goal.activity,
            "next_step": None if upcoming is None else upcoming.text,
            "steps": [{"number": n, "text": s.text, "done": s.done} for n, s in enumerate(goal.steps, 1)]}


def _run(open_records: Opener, action: Action) -> Callable[[argparse.Namespace], int]:
    """One plan command: ``action`` on the records' plan."""
    return records_command(open_records, lambda records, args: action(records.plan, args), PlanError,
                           UnknownActivity)


def _list(plan: PlanRecords, args: argparse.Namespace) -> str:
    goals = plan.goals()
    if args.json:
        return json.dumps([goal_json(g) for g in goals], indent=2, ensure_ascii=False)
    if not goals:
        return "No goals yet. Add one: focusguard goal add \"Five new clients by March\" --activity NAME"
    return "\n".join(line for g in goals for line in goal_lines(g))


def _add(plan: PlanRecords, args: argparse.Namespace) -> str:
    goal = plan.add_goal(args.name, args.activity)
    return f"Added goal #{goal.id} {goal.name} ({goal.activity}). Add its first step: " \
           f"focusguard goal step add {goal.id} \"...\""


def _remove(plan: PlanRecords, args: argparse.Namespace) -> str:
    goal = plan.remove_goal(args.goal)
    return f"Removed goal #{goal.id} {goal.name} and its {len(goal.steps)} steps."


def _rename(plan: PlanRecords, args: argparse.Namespace) -> str:
    goal = plan.rename_goal(args.goal, args.name)
    return f"Goal #{goal.id} is now {goal.name}."


def _step_add(plan: PlanRecords, args: argparse.Namespace) -> str:
    goal, step = plan.add_step(args.goal, args.text, args.at)
    return "\n".join([f"Added step {step.position} to {goal.name}.", *goal_lines(plan.find(goal.id))])


def _step_edit(plan: PlanRecords, args: argparse.Namespace) -> str:
    step = plan.edit_step(args.goal, args.number, args.text)
    return f"Step {step.position} is now: {step.text}"


def _step_move(plan: PlanRecords, args: argparse.Namespace) -> str:
    return "\n".join(goal_lines(plan.move_step(args.goal, args.number, args.to)))


def _step_remove(plan: PlanRecords, args: argparse.Namespace) -> str:
    step = plan.remove_step(args.goal, args.number)
    return f"Removed step: {step.text}"


def _done(plan: PlanRecords, args: argparse.Namespace) -> str:
    if (args.goal is None) != (args.number is None):
        raise PlanError("name both the goal and the step's number (focusguard step done GOAL N), "
                        "or neither for today's step")
    goal, step = plan.tick_today() if args.goal is None else plan.tick(args.goal, args.number)
    upcoming = next_step(goal)
    after = f"Next: {upcoming.text}" if upcoming else f"Every step of {goal.name} is done."
    return f"Done: {step.text} ({goal.name}). {after}"


def _undo(plan: PlanRecords, args: argparse.Namespace) -> str:
    _, step = plan.tick(args.goal, args.number, done=False)
    return f"Not done any more: {step.text}"


def _number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a step number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"step numbers start at 1, not {value}")
    return value


def add_commands(commands: argparse._SubParsersAction, open_records: Opener) -> None:
    """`goal` (add, list, remove, rename, step add/edit/move/remove) and `step` (done, undo),
    each on the config and database ``open_records`` opens."""
    run = functools.partial(_run, open_records)
    goal = commands.add_parser("goal", help="goals and their ordered steps (the plan the morning prompt offers)")
    goal_commands = goal.add_subparsers(dest="goal_command", metavar="ACTION", required=True)
    g = goal_commands.add_parser("add", help="add a goal to an activity")
    g.add_argument("name", help='e.g. "Five new retainer clients by March"')
    g.add_argument("--activity", required=True, help="the activity it belongs to (from the config)")
    g.set_defaults(func=run(_add))
    g = goal_commands.add_parser("list", help="the goals with their numbered steps")
    g.add_argument("--json", action="store_true")
    g.set_defaults(func=run(_list))
    g = goal_commands.add_parser("remove", help="remove a goal and its steps")
    g.add_argument("goal", help="its name or number")
    g.set_defaults(func=run(_remove))
    g = goal_commands.add_parser("rename", help="rename a goal")
    g.add_argument("goal", help="its name or number")
    g.add_argument("name", help="the new name")
    g.set_defaults(func=run(_rename))

    step = goal_commands.add_parser("step", help="add, edit, move or remove a goal's steps")
    step_commands = step.add_subparsers(dest="step_command", metavar="ACTION", required=True)
    s = step_commands.add_parser("add", help="add a concrete step (last, or at --at N)")
    s.add_argument("goal", help="the goal's name or number")
    s.add_argument("text", help='e.g. "Call Acme about the Q2 proposal"')
    s.add_argument("--at", type=_number, default=None, metavar="N", help="its place (default: last)")
    s.set_defaults(func=run(_step_add))
    s = step_commands.add_parser("edit", help="reword a step")
    s.add_argument("goal", help="the goal's name or number")
    s.add_argument("number", type=_number, help="the step's number in `goal list`")
    s.add_argument("text")
    s.set_defaults(func=run(_step_edit))
    s = step_commands.add_parser("move", help="move a step to another place")
    s.add_argument("goal", help="the goal's name or number")
    s.add_argument("number", type=_number, help="the step's number in `goal list`")
    s.add_argument("to", type=_number, help="its new number")
    s.set_defaults(func=run(_step_move))
    s = step_commands.add_parser("remove", help="remove a step")
    s.add_argument("goal", help="the goal's name or number")
    s.add_argument("number", type=_number, help="the step's number in `goal list`")
    s.set_defaults(func=run(_step_remove))

    top = commands.add_parser("step", help="tick today's step (or a named one) as done")
    top_commands = top.add_subparsers(dest="top_step_command", metavar="ACTION", required=True)
    d = top_commands.add_parser("done", help="tick today's declared step, or the priority goal's next "
                                "step; or GOAL N")
    d.add_argument("goal", nargs="?", default=None, help="a goal's name or number (default: today's)")
    d.add_argument("number", nargs="?", type=_number, default=None, help="the step's number")
    d.set_defaults(func=run(_done))
    u = top_commands.add_parser("undo", help="untick a step")
    u.add_argument("goal", help="the goal's name or number")
    u.add_argument("number", type=_number, help="the step's number")
    u.set_defaults(func=run(_undo))

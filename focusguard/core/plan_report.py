"""The plan and the delegate list in reports (issue 14): JSON, Markdown, text, day rows.

Renderers only, beside ``report`` (which renders the day's figures): a day's
`DayPlan` (the goal whose step was declared, and whether it got done) and its
delegations come from ``Records.plan``; the CLI adds what these return to what
``report`` returns, so each report gains ``plan`` and ``delegated``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from focusguard.core.delegate import Delegation
from focusguard.core.plan import DayPlan
from focusguard.core.timefmt import duration

#: The columns a day row (``export --what days``) gains.
PLAN_DAY_FIELDS = ("plan_goal", "plan_step", "plan_step_done", "delegated")


def day_json(plan: DayPlan | None, delegations: Sequence[Delegation]) -> dict[str, Any]:
    """``plan`` (goal, step, step_done; null with no planned step) and ``delegated``."""
    return {"plan": None if plan is None else plan.as_dict(),
            "delegated": [d.as_dict() for d in delegations]}


def delegation_line(d: Delegation) -> str:
    """'Code · code — deploy.py, 25 min: to Sam'."""
    note = f": {d.note}" if d.note else ""
    return f"{d.label(70)}, {duration(d.seconds)}{note}"


def plan_line(plan: DayPlan) -> str:
    return f"{'[x]' if plan.step_done else '[ ]'} {plan.step} (goal: {plan.goal})"


def markdown(plan: DayPlan | None, delegations: Sequence[Delegation]) -> str:
    """The sections a day's Markdown report gains; "" when there is nothing to say."""
    lines: list[str] = []
    if plan is not None:
        lines += ["## Plan", "", f"- {plan_line(plan)}", ""]
    if delegations:
        lines += ["## To delegate", ""] + [f"- {_md(delegation_line(d))}" for d in delegations] + [""]
    return "\n".join(lines)


def text(plan: DayPlan | None, delegations: Sequence[Delegation]) -> str:
    """The lines a day's text report gains; "" when there is nothing to say."""
    lines: list[str] = []
    if plan is not None:
        lines += [f"Plan: {plan_line(plan)}"]
    if delegations:
        lines += ["To delegate:"] + [f"  {delegation_line(d)}" for d in delegations]
    return "\n".join(lines)


def day_fields(plan: DayPlan | None, delegations: Sequence[Delegation], *, flat: bool) -> dict[str, Any]:
    """A day row's PLAN_DAY_FIELDS: ``delegated`` a list of objects, or with ``flat``
    (CSV) one cell of '; '-separated lines."""
    listed: Any = ("; ".join(delegation_line(d) for d in delegations) if flat
                   else [d.as_dict() for d in delegations])
    return {"plan_goal": plan.goal if plan else "", "plan_step": plan.step if plan else "",
            "plan_step_done": bool(plan and plan.step_done), "delegated": listed}


def _md(line: str) -> str:
    return line.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")

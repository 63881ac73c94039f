"""The 30-day review's question about each off-priority activity ("too much, not
enough, just right?"), where the answers are kept (the store's meta table), and
the advice they lead to.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum

from focusguard.core.figures import REVIEW_TOP_ACTIVITIES, UNCLASSIFIED_NAME, ActivityTime, RangeSummary, ReviewStore
from focusguard.core.model import Classification
from focusguard.core.report import percent
from focusguard.core.summary import (
    same_activity,
)

#: Below this share of tracked days without a declaration, the review does not mention them.
NO_PRIORITY_SHARE_WORTH_SAYING = 0.25




REVIEW_ANSWERS_KEY = "review.answers."  # + the period's last day, ISO


class Verdict(StrEnum):
    """The user's answer to "too much, not enough, just right?" about an activity."""

    TOO_MUCH = "too_much"
    NOT_ENOUGH = "not_enough"
    JUST_RIGHT = "just_right"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def review_activities(r: RangeSummary) -> tuple[ActivityTime, ...]:
    """The activities the review asks about: the most time first, priority ones included
    (one can spend too little on the priority too)."""
    return r.activities[:REVIEW_TOP_ACTIVITIES]


def save_review_answers(store: ReviewStore, last: date, answers: dict[str, Verdict]) -> None:
    store.set_meta(REVIEW_ANSWERS_KEY + last.isoformat(),
                   json.dumps({name: v.value for name, v in sorted(answers.items())}, ensure_ascii=False))


def review_answers(store: ReviewStore, last: date) -> dict[str, Verdict]:
    """The answers saved for the review ending ``last``; a damaged entry reads as none."""
    raw = store.get_meta(REVIEW_ANSWERS_KEY + last.isoformat())
    try:
        data = json.loads(raw) if raw else {}
        return {str(k): Verdict(v) for k, v in data.items()}
    except (ValueError, AttributeError):
        return {}


def suggestions(r: RangeSummary, answers: dict[str, Verdict] | None = None, *,
                focus_blocks: bool) -> tuple[str, ...]:
    """What to change, drawn from the period and the user's answers, most pressing first.
    Focus blocks are only named when the user has some (``focus_blocks``).

    An off-priority activity the user called "too much" beats a bigger one called
    "just right"; one called "not enough" or "just right" gets no advice to cut it."""
    answers = answers or {}
    if not r.tracked:
        return ("Nothing was tracked in this period yet: keep FocusGuard running and look again in a few days.",)
    out: list[str] = []
    off = r.off_priority
    off_total = sum(a.seconds for a in off)
    fine = {name for name, v in answers.items() if v is not Verdict.TOO_MUCH}
    candidates = sorted((a for a in off if a.name not in fine),
                        key=lambda a: (answers.get(a.name) is not Verdict.TOO_MUCH, -a.seconds))
    if candidates and off_total > 0:
        top = candidates[0]
        out.append(_cut_advice(top, top.seconds / off_total, focus_blocks))
    for name, verdict in answers.items():
        if verdict is Verdict.NOT_ENOUGH:
            days_as_priority = sum(1 for d in r.tracked if any(same_activity(name, p) for p in d.by_priority))
            out.append(f"{name} gets less time than you want: it was the priority on {days_as_priority} of "
                       f"{len(r.tracked)} tracked days. Declare it on more mornings, and start with its next step.")
    missing = len(r.days_without_priority)
    if missing and missing / len(r.tracked) >= NO_PRIORITY_SHARE_WORTH_SAYING:
        out.append(f"No priority was declared on {missing} of {len(r.tracked)} tracked days: "
                   "declare one each morning (the evening's summary pre-fills it).")
    if not out:
        out.append(f"Focus was {percent(r.focus_ratio)} over the period: keep the same routine.")
    return tuple(out)


def _cut_advice(activity: ActivityTime, share: float, focus_blocks: bool) -> str:
    took = f"{activity.name} took {percent(share)} of your off-priority time"
    if activity.name == UNCLASSIFIED_NAME:
        return f"Unclassified windows took {percent(share)} of your off-priority time: " \
               "tell FocusGuard what they are, so its nudges fit."
    if activity.classification is Classification.DISTRACTION:
        if focus_blocks:
            return f"{took}: keep it out of your focus blocks, or save it for the end of the day."
        return f"{took}: save it for the end of the day, once the priority's next step is done."
    if focus_blocks:
        return f"{took}: add it to a focus block or delegate it."
    return f"{took}: give it a fixed time after the priority's next step, or delegate it."

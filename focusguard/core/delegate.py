""""Delegate this": productive distractions the user means to hand off (issue 14).

The founder whose distraction is technical work that someone else could do is not
cured by stopping it once: the answer records the item (activity, app, title, the
time spent so far) with an optional line saying to whom or what to hand off, the
day's summary lists them, and the review shows whether time on such things falls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from focusguard.core.words import fit

#: The optional line ("to Sam: the deploy script") is kept to this many characters.
MAX_NOTE_CHARS = 200


@dataclass(frozen=True, slots=True)
class Delegation:
    """One "Delegate this" answer. ``seconds``: the streak's time on it when answered."""

    id: int
    at: float
    activity: str | None
    app: str
    title: str
    seconds: float
    note: str = ""
    nudge_id: int | None = None

    @property
    def thing(self) -> tuple[str, str]:
        """What counts as the same thing later: its activity and its app (titles change
        with every file or tab; the app and activity are what is handed off)."""
        return (self.activity or "").casefold(), self.app.casefold()

    def as_dict(self) -> dict[str, object]:
        return {"activity": self.activity, "app": self.app, "title": self.title,
                "seconds": round(self.seconds, 3), "note": self.note}

    def label(self, width: int = 60) -> str:
        """'Coding · code — deploy.py' cut to ``width``."""
        what = " — ".join(part for part in (self.app, self.title) if part)
        return fit(f"{self.activity or 'Unclassified'} · {what}", width).rstrip()


def clean_note(text: str) -> str:
    """The optional line, whitespace collapsed and cut to MAX_NOTE_CHARS."""
    return " ".join(text.split())[:MAX_NOTE_CHARS]


@dataclass(frozen=True, slots=True)
class DelegatedTrend:
    """Time on things marked to delegate, per day of a period, and its direction."""

    days: tuple[tuple[date, float], ...]

    @property
    def total(self) -> float:
        return sum(seconds for _, seconds in self.days)

    @property
    def halves(self) -> tuple[float, float]:
        """Average seconds a day in the first and the second half of the period."""
        half = len(self.days) // 2
        first, second = self.days[:half], self.days[half:]
        return (sum(s for _, s in first) / len(first) if first else 0.0,
                sum(s for _, s in second) / len(second) if second else 0.0)

    @property
    def falling(self) -> bool | None:
        """True when the second half's daily average is below the first's; None with no
        time at all or too few days to say."""
        if len(self.days) < 2 or self.total <= 0:
            return None
        first, second = self.halves
        return second < first


def delegated_trend(
    delegations: Iterable[Delegation],
    days: Sequence[tuple[date, Iterable[tuple[str | None, str, float]]]],
) -> DelegatedTrend:
    """``days``: each day with its (activity, app, seconds) pieces of time. The time
    counted is that on a thing marked to delegate at any time up to the period's end
    (marking it is the point from which it should fall, and the period before shows
    where it started)."""
    things = {d.thing for d in delegations}
    return DelegatedTrend(tuple(
        (day, sum(seconds for activity, app, seconds in pieces
                  if ((activity or "").casefold(), app.casefold()) in things))
        for day, pieces in days
    ))

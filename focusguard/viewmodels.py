"""What the views show, as plain data the controller builds (no Qt here).

The controller decides; each `Update` carries these ready to render: the tray's
state, tooltip and menu (`TrayView`), the nudge card's words (`NudgeView`), and the
declare dialog's choices (`DeclarePrompt`). A view never reads the controller, the
engine, the config or the store to fill itself in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from focusguard.core import nudge_words
from focusguard.core.calls import Call
from focusguard.core.model import Classification, Kind, Nudge
from focusguard.core.palette import TrayState
from focusguard.core.timefmt import duration

LEVELS = (1, 2, 3)


@dataclass(frozen=True, slots=True)
class TrayView:
    """The tray icon, its tooltip and its menu (the status window shows the same)."""

    state: TrayState
    tooltip: str
    priority: str | None = None  # None: nothing declared today
    next_step: str = ""
    paused_until: str | None = None  # "14:30" while paused, else None
    probe_info: str = ""  # why windows cannot be read, or what the probe misses; "" when all is well
    calls_waiting: tuple[Call, ...] = ()  # ended calls not yet called value or chill (issue 15)


@dataclass(frozen=True, slots=True)
class DeclarePrompt:
    """The declare dialog, ready to open: the activities to choose from, pre-filled.
    ``steal_focus`` False for the morning question (it must not take the keyboard)."""

    activities: tuple[str, ...]
    activity: str
    next_step: str
    steal_focus: bool
    steps: tuple[tuple[str, str], ...] = ()  # (activity, its goal's next unticked step): issue 14



@dataclass(frozen=True, slots=True)
class NudgeView:
    """Everything the card says. ``classification`` picks the headline and must be
    one of the off-priority classes; ``off_priority_share_today`` is a phrase such
    as "41 min" or "41 min (35 %)", shown at level 3 only. ``priority`` may be empty
    (none declared yet): the card then points back to work and offers to declare one."""

    classification: Classification
    minutes: int
    priority: str
    activity: str | None = None
    app: str = ""
    title: str = ""
    next_step: str = ""
    level: int = 1
    snooze_minutes: float = 10
    off_priority_share_today: str = ""
    number: int = 0  # picks the headline's words (nudge_words.headline)
    productive_choices: tuple[str, ...] = ()  # what "What is this? Productive" offers
    distraction_choices: tuple[str, ...] = ()
    priority_window_seen: bool = True  # False: Back has no window of the priority to raise

    def __post_init__(self) -> None:
        if self.classification not in nudge_words.HEADLINES:
            raise ValueError(f"no nudge for {self.classification.value!r} time")
        if self.level not in LEVELS:
            raise ValueError(f"nudge level must be 1, 2 or 3, not {self.level}")

    @classmethod
    def from_nudge(
        cls,
        nudge: Nudge,
        *,
        priority: str,
        next_step: str = "",
        snooze_minutes: float = 10,
        off_priority_seconds_today: float = 0.0,
        productive_choices: tuple[str, ...] = (),
        distraction_choices: tuple[str, ...] = (),
        priority_window_seen: bool = True,
    ) -> NudgeView:
        """The view of an engine decision. The minutes are the whole off-priority
        streak (what the user lost), not only the current window's share."""
        return cls(
            classification=nudge.classification,
            minutes=max(1, round(nudge.streak_seconds / 60)),
            priority=priority,
            activity=nudge.activity,
            app=nudge.app,
            title=nudge.title,
            next_step=next_step,
            level=min(max(nudge.level, 1), 3),
            snooze_minutes=snooze_minutes,
            off_priority_share_today=(
                duration(off_priority_seconds_today)
                if off_priority_seconds_today >= 60
                else ""
            ),
            number=nudge_words.nudge_number(nudge.id, nudge.at),
            productive_choices=productive_choices,
            distraction_choices=distraction_choices,
            priority_window_seen=priority_window_seen,
        )

    @property
    def unclassified(self) -> bool:
        return self.classification is Classification.UNCLASSIFIED

    @property
    def has_priority(self) -> bool:
        return bool(self.priority.strip())

    @property
    def headline(self) -> str:
        return nudge_words.headline(self.classification, self.number)

    def choices(self, kind: Kind) -> tuple[str, ...]:
        """The user's activities "What is this?" offers for ``kind``."""
        return self.productive_choices if kind is Kind.PRODUCTIVE else self.distraction_choices

    @property
    def facts_html(self) -> str:
        """"You've spent <b>17 min</b> on <b>Engineering</b> (Visual Studio Code — app.py)."

        Unclassified time has no activity, so the app takes its place."""
        spent = f"You've spent <b>{duration(self.minutes * 60)}</b>"
        parts = [part for part in (self.activity, self.app, short(self.title)) if part]
        if not parts:
            return f"{spent} off priority."
        what, *detail = parts
        words = f"{spent} on <b>{escape(what)}</b>"
        if detail:
            words += f" ({escape(' — '.join(detail))})"
        return words + "."

    @property
    def share_line(self) -> str:
        if self.level < 3 or not self.off_priority_share_today or not self.has_priority:
            return ""
        return f"So far today: {self.off_priority_share_today} away from {self.priority}."


def short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape(text: str) -> str:
    """``html.escape(text, quote=False)``, without loading html's entity tables (half
    a megabyte) into the running app for three replacements."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for the user, told once (a tray balloon)."""

    title: str
    text: str


@dataclass(frozen=True, slots=True)
class SummaryRequest:
    """Open the day's summary: ``activities`` are what its "tomorrow's priority" offers."""

    day: date
    activities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReviewRequest:
    """Open the 30-day review of ``first``..``last``; ``focus_blocks``: the config has
    some (as it is now), so the review speaks of them."""

    first: date
    last: date
    focus_blocks: bool

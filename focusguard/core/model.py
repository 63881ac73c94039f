"""The values that flow through FocusGuard: probe -> Sample -> Classified -> engine -> store / ui.

Times are POSIX timestamps (float seconds) everywhere inside the core, so the engine
and the store can be driven by an injected clock; local dates and wall-clock times
appear only where a human reads them (summaries, focus blocks, day end).

Time accounting follows the heartbeat convention: a sample taken at ``t`` says what
was on screen from ``t`` until the next sample, as long as that next sample comes
within ``max_gap`` (twice the sampling interval). A longer gap (suspend, lock
screen, clock jump) counts for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    """What an activity is, independent of today's priority."""

    PRODUCTIVE = "productive"
    DISTRACTION = "distraction"
    NEUTRAL = "neutral"

    @property
    def counts_as(self) -> Classification:
        """What a window of an activity of this kind is while that activity is not the
        priority (the priority's own activity is priority, whatever its kind)."""
        return _COUNTS_AS[self]


class Classification(StrEnum):
    """What a sample is, relative to the declared priority. Exactly one per sample."""

    PRIORITY = "priority"
    PRODUCTIVE_DISTRACTION = "productive_distraction"
    DISTRACTION = "distraction"
    NEUTRAL = "neutral"
    UNCLASSIFIED = "unclassified"
    IDLE = "idle"
    PAUSED = "paused"
    PRIVATE = "private"

    @property
    def off_priority(self) -> bool:
        """True for the classes that start or feed an off-priority streak."""
        return self in OFF_PRIORITY


_COUNTS_AS = {
    Kind.PRODUCTIVE: Classification.PRODUCTIVE_DISTRACTION,
    Kind.DISTRACTION: Classification.DISTRACTION,
    Kind.NEUTRAL: Classification.NEUTRAL,
}

OFF_PRIORITY = frozenset(
    {
        Classification.PRODUCTIVE_DISTRACTION,
        Classification.DISTRACTION,
        Classification.UNCLASSIFIED,
    }
)


class Answer(StrEnum):
    """How the user answered a nudge."""

    BACK = "back"
    SNOOZE = "snooze"
    PART_OF_PRIORITY = "part_of_priority"
    IGNORED = "ignored"
    CLASSIFIED = "classified"  # "What is this?" answered: the window now has an activity
    DELEGATE = "delegate"  # "Delegate this": marked to hand off (issue 14), the streak ends


@dataclass(frozen=True, slots=True)
class Sample:
    """One reading of the active window. ``idle`` is set by the idle probe."""

    at: float
    app: str
    title: str
    exe: str = ""
    pid: int | None = None
    idle: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule matches when every field it gives matches (None = not given).

    ``app``: case-insensitive glob on the process/application name;
    ``title``: regex searched in the window title;
    ``exe``: glob on the executable path;
    ``any``: regex searched in the app name and in the title, matching if either
    contains it (how ActivityWatch's category rules match, kept for its imports).
    The regexes ignore case unless ``case_sensitive``.
    """

    app: str | None = None
    title: str | None = None
    exe: str | None = None
    any: str | None = None
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class Activity:
    """A named group of rules, e.g. "Sales" (productive) or "Video" (distraction)."""

    name: str
    kind: Kind
    rules: tuple[Rule, ...] = ()
    calls_count_as_priority: bool = False  # a value call on its priority day counts as the priority


@dataclass(frozen=True, slots=True)
class Classified:
    """A sample with its verdict. ``activity`` is None when no rule matched
    (and for idle, paused and private samples). App and title are already
    blanked for private samples and the title for ``record_titles = false``."""

    sample: Sample
    activity: str | None
    classification: Classification

    def at(self, at: float) -> Classified:
        """The same verdict on the same window, read again at ``at``: what each second
        in one window is, all day, so built directly (``dataclasses.replace`` costs
        several times as much, issue 10)."""
        s = self.sample
        return Classified(Sample(at, s.app, s.title, s.exe, s.pid, s.idle), self.activity, self.classification)


@dataclass(frozen=True, slots=True)
class Declaration:
    """Today's top priority as the user declared it."""

    at: float
    activity: str
    next_step: str = ""


@dataclass(frozen=True, slots=True)
class Nudge:
    """The engine's decision to interrupt: what the streak was made of at ``at``."""

    at: float
    activity: str | None
    classification: Classification
    streak_seconds: float
    distraction_seconds: float
    level: int
    app: str = ""
    title: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open stretch of time [start, end), POSIX seconds."""

    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Event:
    """A coalesced run of identical samples, covering [start, end) (see ``heartbeat``).
    ``id`` is the store's row id (0 for one not written yet)."""

    id: int
    start: float
    end: float
    app: str
    title: str
    exe: str
    activity: str | None
    classification: Classification

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """A piece of history from another tracker: ``classified.sample.at`` is its start.
    ``key`` identifies its origin, so importing it again is a no-op."""

    key: str
    end: float
    classified: Classified

    @property
    def start(self) -> float:
        return self.classified.sample.at


@dataclass(frozen=True, slots=True)
class NudgeRecord:
    """A stored nudge and how it was answered (``answer`` None = not answered yet).

    ``distraction_seconds`` comes last, with a default, so the contract's
    positional order stays valid."""

    id: int
    at: float
    activity: str | None
    classification: Classification
    streak_seconds: float
    level: int
    app: str
    title: str
    answer: Answer | None
    answered_at: float | None
    distraction_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Journal:
    """The end-of-day review for one local day."""

    day: date
    done: str = ""
    todo: str = ""
    change: str = ""
    tomorrow_activity: str = ""
    tomorrow_next_step: str = ""

"""The validated config as values: frozen dataclasses whose defaults come from the schema."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from focusguard.core.calls import TimeSlot
from focusguard.core.config.schema import default
from focusguard.core.config.types import RULE_FIELDS
from focusguard.core.model import Activity, Rule


@dataclass(frozen=True)
class SamplingSettings:
    interval_seconds: float = default("sampling.interval_seconds")
    idle_after_minutes: float = default("sampling.idle_after_minutes")


@dataclass(frozen=True)
class NudgeSettings:
    distraction_after_minutes: float = default("nudge.distraction_after_minutes")
    off_priority_after_minutes: float = default("nudge.off_priority_after_minutes")
    grace_seconds: float = default("nudge.grace_seconds")
    snooze_minutes: float = default("nudge.snooze_minutes")
    hold_during_apps: tuple[str, ...] = default("nudge.hold_during_apps")


@dataclass(frozen=True)
class FocusBlock:
    """A weekly window of local time; ``days`` holds weekday numbers, 0 = Monday.
    ``name`` and ``activity`` are optional ("": not given; see ``core.blocks``)."""

    days: frozenset[int]
    start: datetime.time
    end: datetime.time
    name: str = ""
    activity: str = ""


@dataclass(frozen=True)
class DaySettings:
    end: datetime.time = default("day.end")  # noqa: RUF009 - a time is immutable: one shared default is right
    outside_focus_blocks: str = default("day.outside_focus_blocks")
    blocks_kept_target: float = default("day.blocks_kept_target")


@dataclass(frozen=True)
class CallSettings:
    """``[calls]``: see ``core.calls``; ``chill_call_times`` holds ``TimeSlot``s."""

    chill_call_times: tuple[TimeSlot, ...] = default("calls.chill_call_times")
    ask_after_minutes: float = default("calls.ask_after_minutes")
    calendar_file: str = default("calls.calendar_file")
    use_microphone: bool = default("calls.use_microphone")


@dataclass(frozen=True)
class PrivacySettings:
    record_titles: bool = default("privacy.record_titles")
    exclude_apps: tuple[str, ...] = default("privacy.exclude_apps")
    exclude_titles: tuple[str, ...] = default("privacy.exclude_titles")
    keep_days: int = default("privacy.keep_days")


@dataclass(frozen=True)
class SyncSettings:
    """``[sync]``: see ``focusguard.sync``; ``folder`` "" means no sync."""

    folder: str = default("sync.folder")
    interval_minutes: float = default("sync.interval_minutes")
    follow: str = default("sync.follow")


@dataclass(frozen=True)
class Config:
    """The whole validated config. ``Config()`` is a file with no keys at all;
    :func:`default_config` is the starter file with its activities."""

    sampling: SamplingSettings = field(default_factory=SamplingSettings)
    nudge: NudgeSettings = field(default_factory=NudgeSettings)
    day: DaySettings = field(default_factory=DaySettings)
    focus_blocks: tuple[FocusBlock, ...] = ()
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    sync: SyncSettings = field(default_factory=SyncSettings)
    calls: CallSettings = field(default_factory=CallSettings)
    activities: tuple[Activity, ...] = ()

    def activity(self, name: str) -> Activity | None:
        """The activity called ``name``, ignoring case (names are unique that way)."""
        wanted = name.strip().casefold()
        return next((a for a in self.activities if a.name.casefold() == wanted), None)

    @property
    def activity_names(self) -> list[str]:
        return [a.name for a in self.activities]

    @property
    def max_gap(self) -> float:
        """Longest gap between samples that still counts as continuous time."""
        return 2 * self.sampling.interval_seconds


def option_value(config: Config, path: str) -> object:
    """The value of a single-table option (``nudge.grace_seconds``) in ``config``."""
    section, key = path.split(".")
    return getattr(getattr(config, section), key)


def with_options(config: Config, values: Mapping[str, object]) -> Config:
    """``config`` with single-table options (path -> value) replaced."""
    sections: dict[str, dict[str, object]] = {}
    for path, value in values.items():
        section, key = path.split(".")
        sections.setdefault(section, {})[key] = value
    return replace(config, **{name: replace(getattr(config, name), **keys) for name, keys in sections.items()})


def rule_table(rule: Rule) -> dict[str, str | bool]:
    """A rule as its config.toml table: the fields it gives, and ``case_sensitive``
    only when set (false is the default and would only be noise)."""
    table: dict[str, str | bool] = {
        key: getattr(rule, key) for key in RULE_FIELDS if getattr(rule, key) is not None
    }
    if rule.case_sensitive:
        table["case_sensitive"] = True
    return table

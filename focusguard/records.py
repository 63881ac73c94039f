"""The data the windows show and the answers they keep, through one door.

Views (focusguard/ui/) never touch the store: the summary, the review, the settings
window and its privacy page are given a `Records`, the running app's (the
controller owns it) or, for a window run on its own, one the CLI opens. It also
holds the one way to declare today's priority, `declare`, shared by the controller
(tray, declare dialog, settings window, welcome) and `focusguard priority set`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, tzinfo
from pathlib import Path

from focusguard.block_records import BlockRecords
from focusguard.call_records import CallRecords
from focusguard.call_view import CallCountedLog, kept_view
from focusguard.core import figures, report, verdicts
from focusguard.core.config import Config
from focusguard.core.disk import database_size
from focusguard.core.model import Declaration, Journal
from focusguard.core.timefmt import local_date
from focusguard.plan_records import PlanRecords
from focusguard.store import Store
from focusguard.store_sync import LocalStore, MergedLog, merged_view


class UnknownActivity(ValueError):
    """A priority must be one of the config's activities: says which there are."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        listed = ", ".join(known) or "(none: add an [[activity]] to the config)"
        super().__init__(f"unknown activity {name!r}. Known activities: {listed}")


def activity_named(config: Config, name: str) -> str:
    """The config's spelling of the activity ``name`` (any case). Raises UnknownActivity."""
    known = config.activity(name)
    if known is None:
        raise UnknownActivity(name, config.activity_names)
    return known.name


def declare(store: Store, config: Config, activity: str, next_step: str, at: float) -> Declaration:
    """Declares ``activity`` the priority from ``at`` on. Raises UnknownActivity."""
    declaration = Declaration(at=at, activity=activity_named(config, activity), next_step=next_step.strip())
    store.declare(declaration)
    return declaration


class Records:
    """One store seen by the windows: reads for what they show, writes for what the
    user keeps (a journal, the review's answers, a declaration, deleting all)."""

    def __init__(self, store: Store, *, config: Callable[[], Config] = Config,
                 clock: Callable[[], float] = time.time, tz: tzinfo | None = None,
                 config_file: Path | None = None) -> None:
        """``config_file``: where the review's answers about focus blocks write their change."""
        self.store = store
        self.config = config  # the config in force now (the running app's may change)
        self.clock = clock
        self.tz = tz
        self.plan = PlanRecords(store, lambda name: activity_named(self.config(), name), config=config,
                                clock=clock, tz=tz)  # goals, steps, delegations
        self.calls = CallRecords(store, config=config, clock=clock, tz=tz)  # value or chill calls (issue 15)
        self.blocks = BlockRecords(store, config=config, clock=clock, tz=tz, config_file=config_file)  # focus blocks

    @property
    def path(self) -> Path:
        return self.store.path

    def today(self) -> date:
        return local_date(self.clock(), self.tz)

    # --- the priority ---

    def declare(self, activity: str, next_step: str = "") -> Declaration:
        """Raises UnknownActivity."""
        return declare(self.store, self.config(), activity, next_step, self.clock())

    def today_declaration(self) -> Declaration | None:
        self.store.flush()
        return self.store.declaration_on(self.today(), self.tz)

    def declarations(self) -> list[Declaration]:
        return self.store.declarations()

    def windows_seen(self, since: float) -> list[tuple[str, str, str, float]]:
        return self.store.windows_seen(since)

    # --- the day's summary and the 30-day review ---

    @property
    def view(self) -> LocalStore | MergedLog:
        """What the figures read: every device's history once sync is set up (issue 16)."""
        return merged_view(self.store)

    @property
    def counted_view(self) -> CallCountedLog:
        """``view`` with answered calls counted as the user said (issue 15): what the figures read."""
        return CallCountedLog(kept_view(self.store), self.store, self.config, self.tz, self.clock)

    def device_shares(self, day: date) -> list[tuple[str, dict[str, float]]]:
        """Each computer's share of a merged day (issue 16); nothing on a day of one."""
        from focusguard.sync import device_shares

        return device_shares(self.counted_view.view, day, self.tz)  # a finished day's kept (day_cache)

    def range_device_shares(self, first: date, last: date) -> list[tuple[str, dict[str, float]]]:
        """Each computer's share of a period (issue 16: the review's line); nothing for one."""
        from focusguard.sync import range_device_shares

        return range_device_shares(self.counted_view.view, first, last, self.tz)

    def sync_health(self, interval: float) -> list[tuple[str, bool]]:
        """Each other device's sync health, a line each (issue 16: the settings page's list)."""
        from focusguard.sync import device_health

        return device_health(self.store, interval, self.clock())

    def day_figures(self, day: date) -> figures.DayFigures:
        return figures.day_figures(self.counted_view, day, self.tz)

    def event_rows(self, start: float, end: float) -> list[dict]:
        return report.event_rows(self.view, start, end)

    def save_journal(self, journal: Journal) -> None:
        self.store.save_journal(journal)

    def summarize_range(self, first: date, last: date) -> figures.RangeSummary:
        return figures.summarize_range(self.counted_view, first, last, self.tz)

    def review_answers(self, last: date) -> dict[str, verdicts.Verdict]:
        return verdicts.review_answers(self.store, last)

    def save_review_answers(self, last: date, answers: dict[str, verdicts.Verdict]) -> None:
        verdicts.save_review_answers(self.store, last, answers)

    # --- what is kept, and deleting it ---

    def recorded_counts(self) -> dict[str, int]:
        """Rows per table on disk, what is in memory written first."""
        self.store.flush()
        return self.store.recorded_counts()

    def first_event_start(self) -> float | None:
        return self.store.first_event_start()

    def size(self) -> int:
        return database_size(self.store.path)

    def delete_all(self) -> None:
        self.store.delete_all()
        from focusguard.sync import remove_published  # issue 16: this device's files in the sync folder too

        remove_published(self.config().sync.folder, self.store.path)

    def close(self) -> None:
        self.store.close()

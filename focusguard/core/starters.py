"""What a first run needs: whether this is one, and the starter sets of activities.

A new user should not face an empty rule editor before FocusGuard is any use. The
welcome window offers a few starter sets, each a sensible list of activities for one
kind of work, built from the starter config's activities (so their rules are written
and tested once, in :mod:`focusguard.core.config`) plus the few a set adds. Choosing
one rewrites the ``[[activity]]`` tables of config.toml through
:func:`~focusguard.core.config.edit.save_config`: comments elsewhere are kept, and a file
with errors is never overwritten.

Whether this is the first run is decided before anything is created: no config file
and no history in the database. The app then marks the welcome as pending in the database, so one
that was quit half-way is shown again, and one finished or skipped never is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from focusguard.core.config import Config, ConfigError, default_config, load_config
from focusguard.core.model import Activity, Kind, Rule

#: Database meta key holding the welcome's state: WELCOME_PENDING until finished or skipped.
WELCOME_KEY: Final = "welcome"
WELCOME_PENDING: Final = "pending"
WELCOME_DONE: Final = "done"


def is_first_run(config_existed: bool, has_history: bool) -> bool:
    """True when there was no config file before this start and the database holds no
    history. Look at the config file before loading it (loading creates the starter
    file); a database may exist already but be empty (``focusguard doctor`` creates it)."""
    return not config_existed and not has_history


@dataclass(frozen=True)
class Starter:
    """A starter set: activities, and the first priority it suggests."""

    name: str
    description: str
    activities: tuple[Activity, ...]
    priority: str = ""
    next_step_hint: str = ""


def _defaults(*names: str) -> tuple[Activity, ...]:
    """Activities of the starter config, by name, in the order given."""
    config = default_config()
    found = [config.activity(name) for name in names]
    missing = [name for name, activity in zip(names, found, strict=True) if activity is None]
    if missing:
        raise LookupError(f"the starter config has no activity {', '.join(missing)}")
    return tuple(a for a in found if a is not None)


def _extended(activity: Activity, *rules: Rule) -> Activity:
    return replace(activity, rules=activity.rules + rules)


_DISTRACTIONS = ("Video", "Social media", "News", "Shopping")

FOUNDER: Final = Starter(
    "Founder: sales first",
    "Selling comes first; building, email and chat are useful work that can wait.",
    (
        _extended(
            _defaults("Sales")[0],
            Rule(title=r"Calendly|Apollo|Close\.com|Attio|Lemlist|Gong|CRM"),
            Rule(app="hubspot*"),
        ),
        *_defaults("Email", "Chat", "Docs", "Code", "Terminal", *_DISTRACTIONS, "System"),
    ),
    priority="Sales",
    next_step_hint="e.g. call three past customers",
)

DEVELOPER: Final = Starter(
    "Developer",
    "Code and the terminal; email, chat and docs count as useful detours.",
    _defaults("Code", "Terminal", "Email", "Chat", "Docs", *_DISTRACTIONS, "System"),
    priority="Code",
    next_step_hint="e.g. make the failing import test pass",
)

WRITER: Final = Starter(
    "Writer",
    "Writing first; research and email are the productive distractions.",
    (
        Activity("Writing", Kind.PRODUCTIVE, (
            Rule(app="libreoffice*writer*"),
            Rule(app="scrivener*"),
            Rule(app="obsidian*"),
            Rule(app="typora*"),
            Rule(app="ghostwriter*"),
            Rule(app="focuswriter*"),
            Rule(app="winword*"),
            Rule(app="ia writer*"),
            Rule(app="ulysses*"),
            Rule(title=r"Google Docs|Microsoft Word|LibreOffice Writer|Scrivener"),
        )),
        Activity("Research", Kind.PRODUCTIVE, (
            Rule(app="zotero*"),
            Rule(title=r"Wikipedia|Google Scholar|JSTOR|arXiv|Zotero|Library"),
        )),
        *_defaults("Email", "Chat", *_DISTRACTIONS, "System"),
    ),
    priority="Writing",
    next_step_hint="e.g. draft the next 500 words of chapter 3",
)

EMPTY: Final = Starter(
    "Start empty",
    "No activities yet: name your priority now and teach FocusGuard as nudges come.",
    (),
)

STARTERS: Final[tuple[Starter, ...]] = (FOUNDER, DEVELOPER, WRITER, EMPTY)


@dataclass(frozen=True)
class WelcomeChoice:
    """What the user chose in the welcome window."""

    starter: str  # a Starter's name
    priority: str  # today's priority: an activity of the set, or a new one
    next_step: str
    start_at_login: bool


def starter_named(name: str) -> Starter:
    for starter in STARTERS:
        if starter.name == name:
            return starter
    raise KeyError(f"no starter set named {name!r}; known: {', '.join(s.name for s in STARTERS)}")


def with_priority(activities: Sequence[Activity], priority: str) -> tuple[Activity, ...]:
    """``activities``, plus ``priority`` as a new productive activity (first, with no
    rules yet) when no activity has that name. Nudges teach it its rules."""
    name = priority.strip()
    if not name or any(a.name.casefold() == name.casefold() for a in activities):
        return tuple(activities)
    return (Activity(name, Kind.PRODUCTIVE), *activities)


def write_activities(path: Path, activities: Sequence[Activity]) -> Config:
    """Make the config file's ``[[activity]]`` tables say ``activities``; every other
    setting, and the comments and layout of what stays, are kept (see
    :func:`~focusguard.core.config.edit.save_config`). Raises ConfigError, writing nothing,
    if the file has errors now: its other settings would otherwise be replaced by the
    defaults the app is running on."""
    current = load_config(path, create=False)
    if not current.ok:
        raise ConfigError(current.problems)
    from focusguard.core.config.edit import save_config  # tomlkit: only when the file is written

    return save_config(path, replace(current.config, activities=tuple(activities)))


def apply_starter(path: Path, starter: Starter, priority: str = "") -> Config:
    """Write the starter set (and the chosen priority, if it is new) to the config."""
    return write_activities(path, with_priority(starter.activities, priority))

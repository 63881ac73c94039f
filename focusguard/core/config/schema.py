"""The config file's schema, declared once: every option's key, type and limits,
default, description, and what the settings window calls it.

Parsing and validation (``parse``), the dataclass defaults (``values``), the
commented starter file and the README's Markdown reference (``reference``) and the
settings window's labels, units and help lines all derive from :data:`OPTIONS`, so
they can never drift apart (qutebrowser's configdata.yml works the same way).

The file carries a ``version``. When a key is renamed, the old name goes into
:data:`RENAMES` with the version that renamed it and ``VERSION`` goes up: a file
written for an older version is still read, the old key under its new name with a
warning, as qutebrowser and Picard do; saving from the settings window writes the
new name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from focusguard.core.config.slots import TimeSlots
from focusguard.core.config.types import (
    Boolean,
    Choice,
    ClockTime,
    Days,
    Number,
    OptionType,
    Patterns,
    Problem,
    Rules,
    Text,
)
from focusguard.core.model import Kind

FILE_NAME: Final = "config.toml"
#: The config format's version, the top-level ``version`` key.
VERSION: Final = 1
#: Renamed keys: old path -> (new path, the version that renamed it). Read under the
#: new name with a warning; none yet.
RENAMES: Mapping[str, tuple[str, int]] = {}

#: Each table of the file, in file order, and what it is for.
SECTION_NOTES: Final = {
    "sampling": "Reading the active window.",
    "nudge": "When FocusGuard interrupts an off-priority streak.",
    "day": "The working day.",
    "focus_block": "Optional, any number. When at least one exists, nudges follow "
                   "day.outside_focus_blocks outside them.",
    "calls": "Calls (a recording microphone or a call window): nudges wait during one, and "
             "afterwards FocusGuard asks whether it was a value call or a chill call.",
    "privacy": "What is recorded and for how long.",
    "sync": "Several computers, one day: each writes its own history into a folder that a sync "
            "engine (Syncthing, Dropbox, Nextcloud, a network share) keeps in step, and merges the others'.",
    "activity": "Any number, tried in file order. An activity groups the windows of one kind "
                "of work (or distraction); you declare one of them as each day's priority.",
}
VERSION_NOTE: Final = ("The config format's version. FocusGuard reads a file written for an "
                       "older version, each renamed key under its new name with a warning.")


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()


@dataclass(frozen=True)
class Option:
    """One config key. ``path`` is ``section.key``; ``section[].key`` for array-of-tables
    sections such as ``[[activity]]``. ``default`` is the TOML value (or REQUIRED);
    ``example`` is what the starter file shows instead of the default (required keys,
    and optional ones whose default, "", says nothing); ``label``, ``unit`` and
    ``window_help`` are what the settings window shows for it."""

    path: str
    type: OptionType | TimeSlots
    default: object
    description: str
    example: object = None
    label: str = ""  # the settings window's form label, with its mnemonic
    unit: str = ""  # the settings window's unit for a number ("min", "s", "days")
    window_help: str = ""  # the window's words where the description speaks the file's syntax

    @property
    def help(self) -> str:
        """The option's explanation in the settings window."""
        return self.window_help or self.description

    @property
    def section(self) -> str:
        return self.path.split(".")[0].removesuffix("[]")

    @property
    def key(self) -> str:
        return self.path.split(".", 1)[1]

    @property
    def many(self) -> bool:
        """True for keys of an array-of-tables section (``[[focus_block]]``)."""
        return self.path.split(".")[0].endswith("[]")


OPTIONS: Final[tuple[Option, ...]] = (
    Option(
        "sampling.interval_seconds", Number(0.2, 60), 2,
        "How often the active window is read, in seconds. Shorter is more precise and "
        "costs a little more CPU.",
        label="&Sampling interval:", unit="s",
    ),
    Option(
        "sampling.idle_after_minutes", Number(0.5, 1440), 3,
        "No keyboard or mouse input for this many minutes means you are away: that "
        "time is idle and counts for nothing.",
        label="&Idle after:", unit="min",
    ),
    Option(
        "nudge.distraction_after_minutes", Number(0.1, 1440), 5,
        "Nudge when an off-priority streak holds this many minutes of distraction "
        "activities.",
        label="&Distraction for:", unit="min",
    ),
    Option(
        "nudge.off_priority_after_minutes", Number(0.1, 1440), 15,
        "Nudge when any off-priority streak lasts this many minutes, productive work "
        "included: useful work that is not today's priority is exactly what "
        "FocusGuard is for.",
        label="&Any off-priority work for:", unit="min",
    ),
    Option(
        "nudge.grace_seconds", Number(1, 3600), 30,
        "A return to the priority shorter than this many seconds does not end a "
        "streak, so a glance back at your work does not reset the clock.",
        label="&Grace for a glance back:", unit="s",
    ),
    Option(
        "nudge.snooze_minutes", Number(0.5, 1440), 10,
        'How long "Snooze" on a nudge holds the next one, in minutes.',
        label="S&nooze for:", unit="min",
    ),
    Option(
        "nudge.hold_during_apps", Patterns("glob"),
        ["zoom*", "*teams*", "*webex*", "skype*", "libreoffice*impress*", "soffice*",
         "powerpnt*", "keynote*"],
        "App-name globs (case-insensitive). While a full-screen window of one of these "
        "apps is active (a presentation, a call) nudges wait until it is not.",
        label="&Hold during apps:",
    ),
    Option(
        "day.end", ClockTime(), "17:30",
        'When the end-of-day summary appears (local time, "HH:MM").',
        label="&End of the day:", window_help="When the end-of-day summary appears.",
    ),
    Option(
        "day.outside_focus_blocks", Choice(("nudge", "track")), "nudge",
        '"nudge" keeps nudging outside focus blocks; "track" only records there. '
        "Only matters when at least one [[focus_block]] exists.",
        label="&Outside focus blocks:",
        window_help="Keep nudging: nudges can come at any time of day. Only record: outside your focus "
                    "blocks FocusGuard records but never nudges. Matters only once you have a focus block.",
    ),
    Option(
        "day.blocks_kept_target", Number(1, 100), 80,
        "The share of focus blocks (in percent) a week should keep: the review counts "
        "the weeks in a row at or above it.",
        label="Focus blocks &kept target:", unit="%",
    ),
    Option(
        "focus_block[].days", Days(), ["mon", "tue", "wed", "thu", "fri"],
        "Days the block applies to: mon, tue, wed, thu, fri, sat, sun.",
    ),
    Option(
        "focus_block[].start", ClockTime(), REQUIRED,
        'Start of the block (local time, "HH:MM").', example="08:00",
    ),
    Option(
        "focus_block[].end", ClockTime(), REQUIRED,
        'End of the block (local time, "HH:MM"); must be after start.', example="10:00",
    ),
    Option(
        "focus_block[].name", Text(optional=True), "",
        'What the block is for, shown on its card and in reports ("Outreach calls"). '
        "Names the block's history: renaming it starts a new one.",
        example="Outreach calls",
    ),
    Option(
        "focus_block[].activity", Text(optional=True), "",
        "The activity the block is for (one of the [[activity]] names). Each time the "
        "block comes round it is judged kept when most of it went on that activity; "
        "without one, on the day's priority.",
        example="Sales",
    ),
    Option(
        "calls.chill_call_times", TimeSlots(), ["mon-fri 12:00-13:00", "mon-fri 18:00-24:00", "sat,sun 00:00-24:00"],
        'When chill calls (social, networking for fun) belong: "DAYS HH:MM-HH:MM" each, days as '
        '"mon-fri", "sat,sun", "wed" or "daily". A chill call outside these times counts as a '
        "distraction.",
        label="&Chill calls belong:",
    ),
    Option(
        "calls.ask_after_minutes", Number(0.5, 600), 2,
        'When a call at least this long ends, FocusGuard asks "value call or chill call?". Shorter '
        "calls are recorded without a question.",
        label="&Ask about calls from:", unit="min",
    ),
    Option(
        "calls.calendar_file", Text(optional=True), "",
        "An .ics calendar file on this computer (exported, or kept in step by your calendar "
        "app; FocusGuard never fetches anything). While an event with other attendees runs it "
        'is a call, named by the event. "" for none.',
        label="Calendar &file:",
        window_help="An .ics calendar file on this computer (exported, or kept in step by your calendar "
                    "app; FocusGuard never fetches anything). While an event with other attendees runs it "
                    "is a call, named by the event. Empty for none.",
    ),
    Option(
        "calls.use_microphone", Boolean(), True,
        "A recording microphone means a call (any call app, browser calls too). With false only "
        "call windows (Zoom, Teams, Meet, Slack huddles, Discord, hold_during_apps) and calendar "
        "meetings do.",
        label="&Microphone means a call:",
        window_help="A recording microphone means a call (any call app, browser calls too). Off: only call "
                    "windows (Zoom, Teams, Meet, Slack huddles, Discord, the apps nudges wait for) and "
                    "calendar meetings do.",
    ),
    Option(
        "privacy.record_titles", Boolean(), True,
        "Store window titles. With false, titles are still used for matching but "
        "never stored.",
    ),
    Option(
        "privacy.exclude_apps", Patterns("glob"), ["keepassxc"],
        "App-name globs (case-insensitive) that are never recorded; their time is "
        "counted as private.",
        label="Never record &apps:",
    ),
    Option(
        "privacy.exclude_titles", Patterns("regex"), ["(?i)incognito|private browsing"],
        "Title regexes (case-insensitive, searched anywhere in the title) that are "
        "never recorded, e.g. private browsing windows. Regexes here and in rules "
        "are matched in time linear in the title (RE2), so look-arounds and "
        "back-references are not allowed.",
        label="Never record &titles:",
    ),
    Option(
        "privacy.keep_days", Number(1, 36500, integer=True), 365,
        "Recorded history older than this many days is deleted.",
        label="&Keep history for:", unit="days",
    ),
    Option(
        "sync.folder", Text(optional=True), "",
        'The sync folder, e.g. "~/Sync/FocusGuard" (empty: no sync). Every computer of yours '
        "names the same folder; the live database stays outside it.",
        label="S&ync folder:",
    ),
    Option(
        "sync.interval_minutes", Number(0.5, 1440), 5,
        "How often the running app publishes this computer's new history to the sync folder "
        "and merges the others', in minutes (and once more at quit).",
        label="Sync &every:", unit="min",
    ),
    Option(
        "sync.follow", Text(optional=True), "",
        'The name of another computer of yours whose activities and rules this one follows, e.g. '
        '"Office desktop" (empty: its own). At each sync that computer\'s activities replace the ones '
        "in this file, so edit them there.",
        label="&Follow the activities of:",
    ),
    Option(
        "activity[].name", Text(), REQUIRED,
        "Shown in nudges and summaries; you declare the day's priority by this name. "
        "Unique, ignoring case.",
    ),
    Option(
        "activity[].kind", Choice(tuple(k.value for k in Kind), Kind), REQUIRED,
        "productive, distraction or neutral (neither counts for or against you). "
        "Whatever its kind, the activity declared as today's priority counts as "
        "priority.",
    ),
    Option(
        "activity[].calls_count_as_priority", Boolean(), False,
        "true for sales or outreach work: on a day with this activity as the priority, a value "
        "call counts as time on the priority (else as productive work).",
    ),
    Option(
        "activity[].rules", Rules(), [],
        "A window belongs to the activity when one of its rules matches; a rule "
        "matches when every field it gives matches. app: case-insensitive glob on "
        "the app (process) name; title: case-insensitive regex searched in the window "
        "title (browser tabs are matched by title); exe: case-insensitive glob on the "
        "executable path; any: case-insensitive regex searched in the app name and "
        "in the title, matching if either contains it (as ActivityWatch categories "
        "match; imports use it); case_sensitive = true: the rule's title and any "
        "regexes respect case. Activities are tried in file order, rules in order; "
        "the first match wins.",
    ),
)

_BY_PATH: Final = {option.path: option for option in OPTIONS}


def option(path: str) -> Option:
    """The option at ``path`` (``nudge.grace_seconds``, ``focus_block[].days``)."""
    return _BY_PATH[path]


def default(path: str) -> Any:
    """The converted default of an option, so dataclass defaults come from OPTIONS."""
    option = _BY_PATH[path]
    problems: list[Problem] = []
    value = option.type.convert(option.default, path, problems)
    if problems:
        raise AssertionError(f"bad default in OPTIONS: {problems}")
    return value

"""The user's config file, ``config.toml``: its schema, validation, defaults and safe writes.

Every option is declared once, in :data:`OPTIONS` (qutebrowser style). That one table
drives parsing, validation, the dataclass defaults, the commented starter file and the
Markdown reference, so the four can never drift apart.

The file belongs to the user, who edits it by hand while FocusGuard runs. Hence:

* every problem is collected before reporting, and named by its exact key path
  (``activity[2].rules[0].title: ...``), so one save shows every mistake at once;
* unknown keys are warnings, not errors, so a typo never stops the app, except inside
  a rule, where an ignored key would silently widen what the rule matches;
* a file that cannot be parsed or validated is never written: the user's text is the
  only copy of their intent. The app keeps running on the last good config;
* programmatic edits (:func:`update_config`, :func:`add_rule`) go through tomlkit, which
  keeps the user's comments and layout, and are written atomically.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import os
import re
import tempfile
import textwrap
import tomllib
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]  # private: see Regex
from re import _parser  # type: ignore[attr-defined]
from typing import Any, Final

import platformdirs
import re2  # google-re2: user regexes are matched in linear time (see Regex)
import tomlkit
from tomlkit.exceptions import ParseError, TOMLKitError

from focusguard.core import files
from focusguard.core.model import Activity, Kind, Rule

APP_NAME: Final = "focusguard"
FILE_NAME: Final = "config.toml"
DAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RULE_FIELDS: Final = ("app", "title", "exe", "any")
RULE_KEYS: Final = (*RULE_FIELDS, "case_sensitive")
TITLE_FLAGS: Final = re.IGNORECASE

# How big a config FocusGuard reads. A real one is a few kilobytes (1,000 rules are
# about 50 KB); past these, parsing alone takes seconds and hundreds of megabytes, so
# the file is refused with a message instead (issue 11).
MAX_FILE_BYTES: Final = 1024 * 1024
MAX_TABLES: Final = 1000  # [[activity]] or [[focus_block]] tables
MAX_RULES: Final = 5000  # in all activities together
MAX_PATTERNS: Final = 1000  # in one array of globs or regexes


class RegexError(re.error):
    """A user regex FocusGuard cannot use. A ``re.error``, so code that catches
    Python's regex errors catches these too; ``msg`` is worded for the user."""


# Parse-tree operations RE2 cannot run: look-arounds and back-references (and
# conditionals on a group, a kind of back-reference). They are what lets a pattern
# backtrack exponentially; RE2 rejects them and matches everything else in time
# linear in the title.
_UNBOUNDED_OPS: Final = frozenset({
    sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF, sre.GROUPREF_EXISTS,
    sre.GROUPREF_IGNORE, sre.GROUPREF_LOC_IGNORE, sre.GROUPREF_UNI_IGNORE,
})
UNBOUNDED_MESSAGE: Final = (
    "uses a look-around or back-reference, which FocusGuard does not allow because "
    "such patterns can hang matching"
)


def _unbounded(node: object) -> bool:
    """True when a parse tree (of ``re._parser``) holds an op in ``_UNBOUNDED_OPS``."""
    if isinstance(node, _parser.SubPattern):
        return any(op in _UNBOUNDED_OPS or _unbounded(av) for op, av in node.data)
    if isinstance(node, tuple | list):
        return any(_unbounded(item) for item in node)
    return False


class Regex:
    """A user's regex (a rule's title/any, a privacy exclusion), matched by RE2.

    Python's ``re`` backtracks: ``(a+)+$`` against 36 "a"s and "!" runs for hours
    and froze the app (issue 11). RE2 takes time linear in the title whatever the
    pattern. The syntax users write is Python's (checked first, for messages with a
    position), less what RE2 cannot do (look-arounds, back-references, ``\\Z``,
    verbose ``(?x)``, repeats over 1000).
    """

    __slots__ = ("_regexp", "pattern")

    def __init__(self, pattern: str, *, case_sensitive: bool) -> None:
        with warnings.catch_warnings():  # Python's FutureWarnings concern Python's engine
            warnings.simplefilter("ignore")
            try:
                tree = _parser.parse(pattern, 0 if case_sensitive else TITLE_FLAGS)
            except re.error as exc:
                raise RegexError(exc.msg, pattern, exc.pos) from None
            except (OverflowError, RecursionError) as exc:  # e.g. a{99999999999}, 10,000 "("
                raise RegexError(f"is too complex ({exc})", pattern) from None
        if _unbounded(tree):
            raise RegexError(UNBOUNDED_MESSAGE, pattern)
        if tree.state.flags & re.VERBOSE:
            raise RegexError("uses verbose mode (?x), which FocusGuard's regex engine (RE2) "
                             "does not support: write it without spaces and comments", pattern)
        options = re2.Options()
        options.case_sensitive = case_sensitive
        options.log_errors = False  # the message reaches the user, not stderr
        options.never_capture = True  # only "does it match" is asked: no groups to track
        try:
            self._regexp = re2.compile(pattern, options)
        except re2.error as exc:
            detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            hint = " (use $ for the end of the title)" if detail.endswith("\\Z") else ""
            raise RegexError(f"is not supported by FocusGuard's regex engine (RE2): {detail}{hint}", pattern) from None
        self.pattern = pattern

    def search(self, text: str) -> bool:
        """True when the regex matches anywhere in ``text``. Lone surrogates (a title
        decoded with surrogateescape) are passed through as bytes that match nothing."""
        return self._regexp.search(text.encode("utf-8", "surrogatepass")) is not None


def compile_title_regex(pattern: str) -> Regex:
    """Compile a title regex exactly as the classifier will use it (ignoring case).

    Validation and classification share this so that a config that validates can
    always be compiled by :class:`focusguard.core.rules.Classifier`. Raises RegexError.
    """
    return Regex(pattern, case_sensitive=False)


def compile_rule_regex(pattern: str, *, case_sensitive: bool = False) -> Regex:
    """Compile a rule's ``title`` or ``any`` regex as the classifier will: ignoring
    case unless the rule says ``case_sensitive = true``. Raises RegexError."""
    return Regex(pattern, case_sensitive=case_sensitive)


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious, ``severity="warning"``) in the config file.

    ``path`` is the key path (``activity[2].rules[0].title``, indices from 0 in file
    order) or, for TOML syntax errors, the file name with ``line``/``column`` (from 1).
    """

    path: str
    message: str
    severity: str = "error"
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        return f"{self.path}: {self.message}"


class ConfigError(Exception):
    """The config is unusable; ``problems`` lists every error (and warning) found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _Invalid:
    """Stands in for a value that failed validation; its problem is already reported."""


INVALID: Final = _Invalid()


def _toml_type(value: object) -> str:
    """The TOML name of a parsed value's type, for messages the user can act on."""
    names: tuple[tuple[type, str], ...] = (
        (bool, "boolean"),
        (int, "integer"),
        (float, "float"),
        (str, "string"),
        (list, "array"),
        (dict, "table"),
        (datetime.datetime, "datetime"),
        (datetime.date, "date"),
        (datetime.time, "time"),
    )
    return next((name for kind, name in names if isinstance(value, kind)), type(value).__name__)


def _show(value: object) -> str:
    """A value as it would look in TOML, so messages quote what the user wrote."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _wrong_type(expected: str, value: object, path: str, problems: list[Problem]) -> _Invalid:
    """Report a value of the wrong type or form; scalars are quoted, tables and arrays
    only named (they can be long, and the key path already says where they are)."""
    got = _toml_type(value)
    if not isinstance(value, (list, dict)):
        got += f" {_show(value)}"
    problems.append(Problem(path, f"must be {expected}, got {got}"))
    return INVALID


# --------------------------------------------------------------------------- option types
# Each type converts a parsed TOML value to its Python value, or reports why not and
# returns INVALID; ``describe`` renders the type and its limits for the reference.


@dataclass(frozen=True)
class Number:
    """A finite number from ``low`` to ``high``; ``integer`` demands a whole number and
    yields ``int``. Both limits are required: TOML's ``nan``, ``inf`` and ``1e308`` are
    numbers too, and each of them once slipped through (issue 11)."""

    low: float
    high: float
    integer: bool = False

    def _limits(self) -> str:
        return f"from {self.low:g} to {self.high:g}"

    def describe(self) -> str:
        return f"{'integer' if self.integer else 'number'} {self._limits()}"

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        noun = "a whole number" if self.integer else "a number"
        allowed = (int,) if self.integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, allowed):
            return _wrong_type(noun, value, path, problems)
        if not (math.isfinite(value) and self.low <= value <= self.high):
            problems.append(Problem(path, f"must be {noun} {self._limits()}, got {_show(value)}"))
            return INVALID
        return int(value) if self.integer else float(value)


@dataclass(frozen=True)
class Boolean:
    def describe(self) -> str:
        return "boolean"

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        if not isinstance(value, bool):
            return _wrong_type("true or false", value, path, problems)
        return value


_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class ClockTime:
    """A local wall-clock time, ``"HH:MM"`` (a TOML local time is accepted too)."""

    def describe(self) -> str:
        return 'time "HH:MM"'

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        if isinstance(value, datetime.time):
            return value
        match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
        if match is None:
            return _wrong_type('a time "HH:MM" (24-hour)', value, path, problems)
        return datetime.time(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of strings, converted by ``factory`` (e.g. an enum)."""

    values: tuple[str, ...]
    factory: Callable[[str], object] = str

    def describe(self) -> str:
        return " | ".join(_show(v) for v in self.values)

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        if value not in self.values:
            expected = f"one of {', '.join(map(_show, self.values))}"
            return _wrong_type(expected, value, path, problems)
        assert isinstance(value, str)
        return self.factory(value)


@dataclass(frozen=True)
class Text:
    """A non-empty string, stripped (names are compared and shown without padding)."""

    def describe(self) -> str:
        return "string"

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        if not isinstance(value, str) or not value.strip():
            return _wrong_type("a non-empty string", value, path, problems)
        return value.strip()


def _check_pattern(kind: str, value: object, path: str, problems: list[Problem]) -> object:
    """Validate one glob or regex string; regexes must compile as the classifier will
    compile them (with RE2: see :class:`Regex`)."""
    if not isinstance(value, str) or not value:
        return _wrong_type(f"a non-empty {kind} string", value, path, problems)
    if kind == "regex":
        try:
            compile_title_regex(value)
        except RegexError as exc:
            where = f" at position {exc.pos}" if exc.pos is not None else ""
            problems.append(Problem(path, f"{exc.msg}{where}"))
            return INVALID
    return value


def check_pattern(kind: str, value: object, path: str) -> list[Problem]:
    """The problems of one glob or regex (``kind``), worded as the config's validation
    words them: the settings window marks a rule's cell with them as the user types."""
    problems: list[Problem] = []
    _check_pattern(kind, value, path, problems)
    return problems


def _items(value: object, path: str, problems: list[Problem]) -> list[object] | None:
    if not isinstance(value, list):
        _wrong_type("an array", value, path, problems)
        return None
    return value


@dataclass(frozen=True)
class Patterns:
    """An array of globs or regexes (``kind``), kept as a tuple of strings."""

    kind: str  # "glob" | "regex"

    def describe(self) -> str:
        return f"array of {self.kind}es" if self.kind == "regex" else f"array of {self.kind}s"

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        items = _items(value, path, problems)
        if items is None:
            return INVALID
        if len(items) > MAX_PATTERNS:
            problems.append(Problem(path, f"has {len(items)} patterns; FocusGuard allows at most {MAX_PATTERNS}"))
            return INVALID
        out = [_check_pattern(self.kind, v, f"{path}[{i}]", problems) for i, v in enumerate(items)]
        return INVALID if INVALID in out else tuple(out)


@dataclass(frozen=True)
class Days:
    """Weekday names (``mon`` .. ``sun``) as weekday numbers, 0 = Monday like ``date.weekday()``."""

    def describe(self) -> str:
        return "array of day names"

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        items = _items(value, path, problems)
        if items is None:
            return INVALID
        if not items:
            problems.append(Problem(path, "must list at least one day"))
            return INVALID
        days = [self._day(name, f"{path}[{i}]", problems) for i, name in enumerate(items)]
        return INVALID if INVALID in days else frozenset(days)

    @staticmethod
    def _day(name: object, path: str, problems: list[Problem]) -> object:
        key = name.lower() if isinstance(name, str) else None
        if key not in DAY_NAMES:
            return _wrong_type(f"a day name ({', '.join(DAY_NAMES)})", name, path, problems)
        return DAY_NAMES.index(key)


RULE_PATTERN: Final = {"app": "glob", "title": "regex", "exe": "glob", "any": "regex"}


@dataclass(frozen=True)
class Rules:
    """An array of rules, each a table with at least one of app/title/exe/any, an
    optional case_sensitive flag, and nothing else.

    Unlike elsewhere, an unknown key here is an error: ignoring ``titel = "Zoom"``
    would leave a rule that matches far more than the user meant. For the same
    reason ``case_sensitive`` on a rule with no regex is an error, not a no-op.
    """

    def describe(self) -> str:
        return "array of {app, title, exe, any, case_sensitive} tables"

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        items = _items(value, path, problems)
        if items is None:
            return INVALID
        rules = [self._rule(item, f"{path}[{i}]", problems) for i, item in enumerate(items)]
        return INVALID if INVALID in rules else tuple(rules)

    @staticmethod
    def _rule(item: object, path: str, problems: list[Problem]) -> object:
        if not isinstance(item, dict):
            return _wrong_type("a table like { app = \"...\" }", item, path, problems)
        before = len(problems)
        for key in item:
            if key not in RULE_KEYS:
                message = f"unknown key; a rule takes {', '.join(RULE_KEYS)}"
                problems.append(Problem(f"{path}.{key}", message))
        if not any(key in item for key in RULE_FIELDS):
            problems.append(Problem(path, f"a rule needs at least one of {', '.join(RULE_FIELDS)}"))
        fields: dict[str, object] = {
            key: _check_pattern(RULE_PATTERN[key], item[key], f"{path}.{key}", problems)
            for key in RULE_FIELDS
            if key in item
        }
        if "case_sensitive" in item:
            here = f"{path}.case_sensitive"
            fields["case_sensitive"] = Boolean().convert(item["case_sensitive"], here, problems)
            if "title" not in item and "any" not in item:
                problems.append(Problem(here, "applies to the title and any regexes; this rule has neither"))
        if len(problems) > before:
            return INVALID
        return Rule(**fields)  # type: ignore[arg-type]


OptionType = Number | Boolean | ClockTime | Choice | Text | Patterns | Days | Rules


# --------------------------------------------------------------------------- the table


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final = _Required()


@dataclass(frozen=True)
class Option:
    """One config key. ``path`` is ``section.key``; ``section[].key`` for array-of-tables
    sections such as ``[[activity]]``. ``default`` is the TOML value (or REQUIRED);
    ``example`` illustrates required keys in the starter file."""

    path: str
    type: OptionType
    default: object
    description: str
    example: object = None

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
    ),
    Option(
        "sampling.idle_after_minutes", Number(0.5, 1440), 3,
        "No keyboard or mouse input for this many minutes means you are away: that "
        "time is idle and counts for nothing.",
    ),
    Option(
        "nudge.distraction_after_minutes", Number(0.1, 1440), 5,
        "Nudge when an off-priority streak holds this many minutes of distraction "
        "activities.",
    ),
    Option(
        "nudge.off_priority_after_minutes", Number(0.1, 1440), 15,
        "Nudge when any off-priority streak lasts this many minutes, productive work "
        "included: useful work that is not today's priority is exactly what "
        "FocusGuard is for.",
    ),
    Option(
        "nudge.grace_seconds", Number(1, 3600), 30,
        "A return to the priority shorter than this many seconds does not end a "
        "streak, so a glance back at your work does not reset the clock.",
    ),
    Option(
        "nudge.snooze_minutes", Number(0.5, 1440), 10,
        'How long "Snooze" on a nudge holds the next one, in minutes.',
    ),
    Option(
        "nudge.hold_during_apps", Patterns("glob"),
        ["zoom*", "*teams*", "*webex*", "skype*", "libreoffice*impress*", "soffice*",
         "powerpnt*", "keynote*"],
        "App-name globs (case-insensitive). While a full-screen window of one of these "
        "apps is active (a presentation, a call) nudges wait until it is not.",
    ),
    Option(
        "day.end", ClockTime(), "17:30",
        'When the end-of-day summary appears (local time, "HH:MM").',
    ),
    Option(
        "day.outside_focus_blocks", Choice(("nudge", "track")), "nudge",
        '"nudge" keeps nudging outside focus blocks; "track" only records there. '
        "Only matters when at least one [[focus_block]] exists.",
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
        "privacy.record_titles", Boolean(), True,
        "Store window titles. With false, titles are still used for matching but "
        "never stored.",
    ),
    Option(
        "privacy.exclude_apps", Patterns("glob"), ["keepassxc"],
        "App-name globs (case-insensitive) that are never recorded; their time is "
        "counted as private.",
    ),
    Option(
        "privacy.exclude_titles", Patterns("regex"), ["(?i)incognito|private browsing"],
        "Title regexes (case-insensitive, searched anywhere in the title) that are "
        "never recorded, e.g. private browsing windows. Regexes here and in rules "
        "are matched in time linear in the title (RE2), so look-arounds and "
        "back-references are not allowed.",
    ),
    Option(
        "privacy.keep_days", Number(1, 36500, integer=True), 365,
        "Recorded history older than this many days is deleted.",
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


def _default(path: str) -> Any:
    """The converted default of an option, so dataclass defaults come from OPTIONS."""
    option = _BY_PATH[path]
    problems: list[Problem] = []
    value = option.type.convert(option.default, path, problems)
    if problems:
        raise AssertionError(f"bad default in OPTIONS: {problems}")
    return value


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class SamplingSettings:
    interval_seconds: float = _default("sampling.interval_seconds")
    idle_after_minutes: float = _default("sampling.idle_after_minutes")


@dataclass(frozen=True)
class NudgeSettings:
    distraction_after_minutes: float = _default("nudge.distraction_after_minutes")
    off_priority_after_minutes: float = _default("nudge.off_priority_after_minutes")
    grace_seconds: float = _default("nudge.grace_seconds")
    snooze_minutes: float = _default("nudge.snooze_minutes")
    hold_during_apps: tuple[str, ...] = _default("nudge.hold_during_apps")


@dataclass(frozen=True)
class FocusBlock:
    """A weekly window of local time; ``days`` holds weekday numbers, 0 = Monday."""

    days: frozenset[int]
    start: datetime.time
    end: datetime.time


@dataclass(frozen=True)
class DaySettings:
    end: datetime.time = _default("day.end")
    outside_focus_blocks: str = _default("day.outside_focus_blocks")


@dataclass(frozen=True)
class PrivacySettings:
    record_titles: bool = _default("privacy.record_titles")
    exclude_apps: tuple[str, ...] = _default("privacy.exclude_apps")
    exclude_titles: tuple[str, ...] = _default("privacy.exclude_titles")
    keep_days: int = _default("privacy.keep_days")


@dataclass(frozen=True)
class Config:
    """The whole validated config. ``Config()`` is a file with no keys at all;
    :func:`default_config` is the starter file with its activities."""

    sampling: SamplingSettings = field(default_factory=SamplingSettings)
    nudge: NudgeSettings = field(default_factory=NudgeSettings)
    day: DaySettings = field(default_factory=DaySettings)
    focus_blocks: tuple[FocusBlock, ...] = ()
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
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


# --------------------------------------------------------------------------- sections


def _check_focus_blocks(items: list[tuple[str, dict[str, Any]]], problems: list[Problem]) -> None:
    for path, values in items:
        start, end = values["start"], values["end"]
        if INVALID not in (start, end) and start >= end:
            problems.append(Problem(f"{path}.end", f"must be after start ({start:%H:%M})"))


def _check_activities(items: list[tuple[str, dict[str, Any]]], problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for path, values in items:
        name = values["name"]
        if name is INVALID:
            continue
        key = name.casefold()
        if key in seen:
            problems.append(Problem(f"{path}.name", f"duplicates {seen[key]} (names ignore case)"))
        else:
            seen[key] = f"{path}.name {_show(name)}"


@dataclass(frozen=True)
class _Section:
    """How a TOML table maps onto a Config field. The keys come from OPTIONS."""

    name: str
    attr: str
    factory: Callable[..., Any]
    note: str
    check: Callable[[list[tuple[str, dict[str, Any]]], list[Problem]], None] | None = None

    @functools.cached_property
    def options(self) -> tuple[Option, ...]:
        return tuple(o for o in OPTIONS if o.section == self.name)

    @property
    def many(self) -> bool:
        return self.options[0].many

    @property
    def header(self) -> str:
        return f"[[{self.name}]]" if self.many else f"[{self.name}]"

    def parse(self, value: object, problems: list[Problem]) -> object:
        if not self.many:
            values = self._table(value, self.name, problems)
            if values is None or INVALID in values.values():
                return INVALID
            return self.factory(**values)
        if not isinstance(value, list):
            return _wrong_type(f"an array of tables ({self.header})", value, self.name, problems)
        if len(value) > MAX_TABLES:
            problems.append(Problem(self.name, f"has {len(value)} {self.header} tables; FocusGuard allows at most {MAX_TABLES}"))
            return INVALID
        tables = [self._table(item, f"{self.name}[{i}]", problems) for i, item in enumerate(value)]
        valid = [(f"{self.name}[{i}]", t) for i, t in enumerate(tables) if t is not None]
        if self.check is not None:
            self.check(valid, problems)
        if len(valid) < len(tables) or any(INVALID in t.values() for _, t in valid):
            return INVALID
        return tuple(self.factory(**t) for _, t in valid)

    def default(self) -> object:
        return () if self.many else self.factory()

    def _table(self, value: object, path: str, problems: list[Problem]) -> dict[str, Any] | None:
        """Convert one table's keys (INVALID where a value is bad); None if not a table."""
        if not isinstance(value, dict):
            _wrong_type("a table", value, path, problems)
            return None
        known = {o.key for o in self.options}
        for key in value:
            if key not in known:
                problems.append(Problem(f"{path}.{key}", "unknown key (ignored)", "warning"))
        values: dict[str, Any] = {}
        for option in self.options:
            here = f"{path}.{option.key}"
            if option.key in value:
                values[option.key] = option.type.convert(value[option.key], here, problems)
            elif option.default is REQUIRED:
                problems.append(Problem(here, "required key is missing"))
                values[option.key] = INVALID
            else:
                values[option.key] = _default(option.path)
        return values


_SECTIONS: Final = (
    _Section("sampling", "sampling", SamplingSettings, "Reading the active window."),
    _Section("nudge", "nudge", NudgeSettings,
             "When FocusGuard interrupts an off-priority streak."),
    _Section("day", "day", DaySettings, "The working day."),
    _Section(
        "focus_block", "focus_blocks", FocusBlock,
        "Optional, any number. When at least one exists, nudges follow "
        "day.outside_focus_blocks outside them.",
        _check_focus_blocks,
    ),
    _Section("privacy", "privacy", PrivacySettings, "What is recorded and for how long."),
    _Section(
        "activity", "activities", Activity,
        "Any number, tried in file order. An activity groups the windows of one kind "
        "of work (or distraction); you declare one of them as each day's priority.",
        _check_activities,
    ),
)


# --------------------------------------------------------------------------- parsing


def _parse_document(text: str, source: str) -> tomlkit.TOMLDocument:
    """Parse TOML keeping comments; syntax errors as ``source:LINE:COL: message``."""
    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        message = str(exc).removesuffix(f" at line {exc.line} col {exc.col}")
        message = message.replace("'\\x00'", "end of file")  # tomlkit's EOF marker
        raise ConfigError([Problem(source, message, line=exc.line, column=exc.col + 1)]) from exc
    except TOMLKitError as exc:  # e.g. a table redefining a key, reported without position
        raise ConfigError([Problem(source, str(exc))]) from exc


def _parse_values(text: str, source: str) -> dict[str, Any]:
    """The file's values. tomllib reads them: ten times faster than tomlkit on a big
    file (a 1 MiB array: 0.7 s instead of 7 s, issue 11). tomlkit, which keeps
    comments for writing, reads only text tomllib refuses: for its messages with a
    line and column, and in case it accepts what tomllib does not."""
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return _parse_document(text, source).unwrap()


def parse_config(text: str, source: str = FILE_NAME) -> tuple[Config, list[Problem]]:
    """Parse and validate config text; return the config and its warnings.

    Raises ConfigError listing every problem found (warnings included, since an
    ignored misspelt key often explains an error elsewhere).
    """
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError([_too_big(source, len(text.encode("utf-8", "surrogatepass")))])
    data = _parse_values(text, source)
    _check_counts(data.get("activity"))
    problems: list[Problem] = []
    by_name = {section.name: section for section in _SECTIONS}
    values: dict[str, object] = {section.attr: section.default() for section in _SECTIONS}
    for key, value in data.items():
        section = by_name.get(key)
        if section is None:
            problems.append(Problem(key, "unknown key (ignored)", "warning"))
        else:
            values[section.attr] = section.parse(value, problems)
    if any(p.severity == "error" for p in problems):
        raise ConfigError(problems)
    return Config(**values), problems  # type: ignore[arg-type]


def _check_counts(tables: object) -> None:
    """Refuse, before validating anything, more activities or rules than anyone
    writes: validating and compiling them would take seconds (issue 11)."""
    if not isinstance(tables, list):
        return
    problems = []
    if len(tables) > MAX_TABLES:
        problems.append(Problem("activity", f"has {len(tables)} activities; FocusGuard allows at most {MAX_TABLES}"))
    rules = sum(len(t["rules"]) for t in tables if isinstance(t, dict) and isinstance(t.get("rules"), list))
    if rules > MAX_RULES:
        problems.append(Problem("activity", f"has {rules} rules in all; FocusGuard allows at most {MAX_RULES}"))
    if problems:
        raise ConfigError(problems)


# --------------------------------------------------------------------------- starter file

_HEADER = """\
# FocusGuard configuration (version 1).
#
# Edit freely: comments and layout are kept when FocusGuard itself changes this
# file. If a change has a mistake, FocusGuard keeps using the last good settings,
# tells you exactly which key is wrong, and never overwrites your file.
"""

_STARTER_ACTIVITIES = """\
# Specific title rules (a CRM in a browser tab) come before broad app rules.
[[activity]]
name = "Sales"
kind = "productive"
rules = [{ title = "HubSpot|Salesforce|Pipedrive|LinkedIn Sales|Sales Navigator" }]

[[activity]]
name = "Email"
kind = "productive"
rules = [
    { app = "thunderbird*" }, { app = "evolution*" }, { app = "outlook*" },
    { title = "Gmail|Outlook|Fastmail|Proton Mail" },
]

[[activity]]
name = "Chat"
kind = "productive"
rules = [
    { app = "slack*" }, { app = "*teams*" }, { app = "element*" }, { app = "mattermost*" },
    { title = "Slack|Microsoft Teams|Mattermost" },
]

[[activity]]
name = "Docs"
kind = "productive"
rules = [
    { app = "libreoffice*" }, { app = "soffice*" }, { app = "winword*" }, { app = "excel*" },
    { app = "powerpnt*" }, { app = "notion*" }, { app = "obsidian*" },
    { title = "Google (Docs|Sheets|Slides|Drive)|Microsoft (Word|Excel|PowerPoint)" },
    { title = "Notion|Confluence" },
]

[[activity]]
name = "Code"
kind = "productive"
rules = [
    { app = "code*" }, { app = "pycharm*" }, { app = "idea*" }, { app = "sublime_text*" },
    { app = "emacs*" }, { app = "gvim*" }, { app = "zed*" }, { app = "devenv*" },
    { app = "xcode*" },
    { title = "GitHub|GitLab|Bitbucket|Stack Overflow" },
    # Vim and Neovim in a terminal set titles like "main.py (~/src) - NVIM".
    { title = ' - n?vim\\d*$' },
]

[[activity]]
name = "Terminal"
kind = "productive"
rules = [
    { app = "*terminal*" }, { app = "xterm" }, { app = "konsole" }, { app = "alacritty" },
    { app = "kitty" }, { app = "wezterm*" }, { app = "iterm*" }, { app = "tilix" },
    { app = "terminator" }, { app = "foot" }, { app = "cmd.exe" }, { app = "powershell*" },
    { app = "pwsh*" },
]

[[activity]]
name = "Video"
kind = "distraction"
rules = [{ title = 'YouTube|Netflix|Twitch|Prime Video|Disney\\+|Vimeo' }]

[[activity]]
name = "Social media"
kind = "distraction"
rules = [
    { title = 'Facebook|Instagram|Twitter|/ X\\b|Reddit|TikTok|Bluesky|Pinterest' },
    # Move this rule to "Chat" if your team works on Discord.
    { app = "discord*" },
]

[[activity]]
name = "News"
kind = "distraction"
rules = [
    { title = "Hacker News|Google News|BBC|CNN|The Guardian|New York Times|Reuters" },
    { title = "Bloomberg|Spiegel|Le Monde" },
]

[[activity]]
name = "Shopping"
kind = "distraction"
rules = [{ title = 'Amazon\\.|eBay|AliExpress|Etsy|Temu|Zalando' }]

# Neutral: neither priority nor off-priority, so it never feeds a streak.
[[activity]]
name = "System"
kind = "neutral"
rules = [
    { app = "nautilus" }, { app = "dolphin" }, { app = "thunar" }, { app = "nemo" },
    { app = "explorer.exe" }, { app = "finder" }, { app = "gnome-control-center" },
    { app = "systemsettings*" },
]
"""


def _toml_value(value: object) -> str:
    """Render a default as TOML; long arrays one item a line so they are easy to edit."""
    if isinstance(value, list) and len(tomlkit.item(value).as_string()) > 60:
        array = tomlkit.array()
        array.extend(value)
        array.multiline(True)
        return array.as_string()
    return tomlkit.item(value).as_string()


def _comment(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 78, initial_indent="# ", subsequent_indent="# "))


def _render_starter() -> str:
    """The first-run file: every setting with its description and default, a commented
    focus block example, then the starter activities."""
    parts = [_HEADER]
    for section in _SECTIONS:
        parts.append(_comment(section.note))
        if section.name == "activity":
            keys = [_comment(f"{o.key}: {o.description}") for o in section.options]
            parts += ["\n".join(keys) + "\n", _STARTER_ACTIVITIES]
            continue
        lines = []
        prefix = "# " if section.many else ""  # array sections: commented-out example
        lines.append(prefix + section.header)
        for option in section.options:
            value = option.example if option.default is REQUIRED else option.default
            lines.append(_comment(option.description))
            lines.append(prefix + f"{option.key} = {_toml_value(value)}")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


STARTER_CONFIG: Final[str] = _render_starter()


@functools.cache
def default_config() -> Config:
    """The config of the starter file (what a first run writes)."""
    return parse_config(STARTER_CONFIG)[0]


def reference_markdown() -> str:
    """The config reference for the README, rendered from OPTIONS."""
    out = ["## Configuration reference", "", f"`{FILE_NAME}` in the user config directory.", ""]
    for section in _SECTIONS:
        out += [f"### `{section.header}`", "", section.note, ""]
        out += ["| Key | Type | Default | Description |", "|---|---|---|---|"]
        for option in section.options:
            default = (
                "*required*"
                if option.default is REQUIRED
                else f"`{tomlkit.item(option.default).as_string()}`"
            )
            cells = (f"`{option.key}`", option.type.describe(), default, option.description)
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- files


def config_path() -> Path:
    """``<user config dir>/focusguard/config.toml``; honours XDG_CONFIG_HOME on Linux."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / FILE_NAME


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_config` found. ``ok`` False: ``problems`` has errors and
    ``config`` is the last good (or default) config to keep running on."""

    config: Config
    problems: list[Problem]
    path: Path
    ok: bool


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so a reader sees the old or the new file, never half.

    A temp file in the same directory (same filesystem, so ``os.replace`` is atomic)
    is fsynced before the rename. An existing file's permissions are kept (less any
    write access for others); a new file is private to the user (0600) and so is a
    folder made for it (0700), whatever the umask, since window titles and rules can
    be personal. A link the user made is written through (the link stays); one
    another user could have laid is refused (``files.UnsafePathError``).
    """
    path = files.checked_target(path)
    files.make_private_dirs(path.parent)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            tmp.chmod(path.stat().st_mode & 0o7755)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if os.name == "posix":  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _read(path: Path) -> str:
    """The file's text, or ConfigError naming the file if it cannot be read or is
    too big (never more than MAX_FILE_BYTES is read into memory)."""
    try:
        with files.checked_target(path).open("rb") as file:  # no link of another user's
            data = file.read(MAX_FILE_BYTES + 1)
            size = os.fstat(file.fileno()).st_size
        if len(data) > MAX_FILE_BYTES:
            raise ConfigError([_too_big(str(path), max(size, len(data)))])
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError([Problem(str(path), f"cannot read: {reason}")]) from exc


def _too_big(source: str, size: int) -> Problem:
    return Problem(
        source,
        f"is {size / 1024 / 1024:.1f} MiB; FocusGuard reads config files up to "
        f"{MAX_FILE_BYTES // 1024 // 1024} MiB (a real one is a few kilobytes)",
    )


def load_config(
    path: Path | None = None, *, create: bool = True, last_good: Config | None = None
) -> LoadResult:
    """Read the config, writing the starter file on first run when ``create``.

    A file that cannot be read, parsed or validated is left exactly as it is and the
    result carries ``last_good`` (or the default config) so the app keeps running.
    """
    path = path or config_path()
    if not path.exists():
        if create:
            try:
                write_atomic(path, STARTER_CONFIG)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                problem = Problem(str(path), f"cannot write the starter file: {reason}")
                return LoadResult(last_good or default_config(), [problem], path, ok=False)
        return LoadResult(default_config(), [], path, ok=True)
    try:
        config, found = parse_config(_read(path), path.name)
    except ConfigError as exc:
        return LoadResult(last_good or default_config(), exc.problems, path, ok=False)
    return LoadResult(config, found, path, ok=True)


def update_config(path: Path, mutate: Callable[[tomlkit.TOMLDocument], None]) -> Config:
    """Apply ``mutate`` to the file's tomlkit document, validate, write atomically.

    Comments, layout and unknown keys survive. Raises ConfigError, writing nothing,
    if the current file cannot be parsed or the result is invalid. A missing file is
    treated as the starter file.
    """
    text = _read(path) if path.exists() else STARTER_CONFIG
    document = _parse_document(text, path.name)
    mutate(document)
    new_text = document.as_string()
    config, _ = parse_config(new_text, path.name)
    write_atomic(path, new_text)
    return config


def rule_table(rule: Rule) -> dict[str, str | bool]:
    """A rule as its config.toml table: the fields it gives, and ``case_sensitive``
    only when set (false is the default and would only be noise)."""
    table: dict[str, str | bool] = {
        key: getattr(rule, key) for key in RULE_FIELDS if getattr(rule, key) is not None
    }
    if rule.case_sensitive:
        table["case_sensitive"] = True
    return table


def add_rule(path: Path, activity: str, rule: Rule, *, create: Kind | None = None) -> Config:
    """Append ``rule`` to the named activity (ignoring case), written the way the file
    already writes its rules (see :class:`RuleStyle`).

    With ``create``, a missing activity is added at the end as one of that kind;
    without, it raises ConfigError listing the known activity names.
    """

    def append(document: tomlkit.TOMLDocument) -> None:
        tables = document.get("activity")
        tables = tables if isinstance(tables, list) else []
        names = [str(t.get("name", "")).strip() if isinstance(t, dict) else "" for t in tables]
        folded = [n.casefold() for n in names]
        if activity.strip().casefold() not in folded:
            if create is None:
                known = ", ".join(n for n in names if n) or "none"
                message = f"no activity named {_show(activity)}; known: {known}"
                raise ConfigError([Problem("activity", message)])
            # A blank line closes each table: it went with the last one, so give the
            # new one its own, or a section after the activities sticks to it.
            blank = bool(tables) and tables[-1].as_string().endswith("\n\n")
            table = tomlkit.table()
            table["name"] = activity.strip()
            table["kind"] = create.value
            document.setdefault("activity", tomlkit.aot()).append(table)
            tables, index = document["activity"], len(names)
        else:
            index, blank = folded.index(activity.strip().casefold()), False
        rules = tables[index].get("rules")
        if rules is not None and not isinstance(rules, list):
            where = f"activity[{index}].rules"
            raise ConfigError([Problem(where, "must be an array to add a rule")])
        style = rule_style(document, prefer=index)
        if rules:
            _append(rules, rule_item(rule, style), style)
        else:  # none yet, or an empty [] that says nothing about layout
            tables[index]["rules"] = rules_array(rule, style)
        if blank:
            tables[index].add(tomlkit.nl())

    return update_config(path, append)


@dataclass(frozen=True, slots=True)
class RuleStyle:
    """How a config file writes its rules, read off the rules it already has, so that a
    rule FocusGuard adds looks like its neighbours: ``{app="x"}`` beside ``{app="y"}``,
    ``{ app = "x" }`` beside ``{ app = "y" }``, one rule a line with the file's indent
    and its trailing comma, or all on one line. The defaults are the starter file's."""

    pad: str = " "  # inside the braces
    equals: str = " = "
    one_per_line: bool = True
    indent: str = "    "
    trailing_comma: bool = True


_INLINE_START = re.compile(r"\{(?P<pad>[ \t]*)[A-Za-z0-9_\"'.-]+(?P<equals>[ \t]*=[ \t]*)")
_LINE_INDENT = re.compile(r"\n(?P<indent>[ \t]*)\{")


def rule_style(document: Mapping[str, Any], prefer: int | None = None) -> RuleStyle:
    """The style of the rules in activity ``prefer``, else of the first activity that
    has any, else the starter file's."""
    tables = document.get("activity")
    tables = list(tables) if isinstance(tables, list) else []
    if prefer is not None and 0 <= prefer < len(tables):
        tables.insert(0, tables[prefer])
    for table in tables:
        rules = table.get("rules") if isinstance(table, dict) else None
        if not isinstance(rules, tomlkit.items.Array):
            continue
        sample = next((r for r in rules if isinstance(r, tomlkit.items.InlineTable)), None)
        if sample is None:
            continue
        found = _INLINE_START.match(sample.as_string())
        text = rules.as_string()
        indent = _LINE_INDENT.search(text)
        return RuleStyle(
            pad=found["pad"] if found else RuleStyle.pad,
            equals=found["equals"] if found else RuleStyle.equals,
            one_per_line="\n" in text,
            indent=indent["indent"] if indent else RuleStyle.indent,
            trailing_comma=_ends_with_comma(rules),
        )
    return RuleStyle()


def _groups(rules: tomlkit.items.Array) -> list[Any]:
    """tomlkit's items of an array with their commas and comments (its private
    ``_value``); an empty list on a tomlkit that keeps them otherwise, which only
    costs the trailing-comma nicety."""
    groups = getattr(rules, "_value", None)
    ok = isinstance(groups, list) and all(hasattr(g, "comma") and hasattr(g, "value") for g in groups)
    return groups if ok else []


def _values(rules: tomlkit.items.Array) -> list[Any]:
    return [g for g in _groups(rules) if g.value is not None and not isinstance(g.value, tomlkit.items.Null)]


def _ends_with_comma(rules: tomlkit.items.Array) -> bool:
    values = _values(rules)
    return bool(values) and values[-1].comma is not None


def _append(rules: tomlkit.items.Array, item: tomlkit.items.InlineTable, style: RuleStyle) -> None:
    """Append keeping the array's layout. tomlkit copies the indent, but the trailing
    comma only from an item right before the end, not across a comment line."""
    trailing = "\n" in rules.as_string() and _ends_with_comma(rules)
    rules.append(item)
    values = _values(rules)
    if trailing and values and values[-1].comma is None:
        values[-1].comma = tomlkit.items.Whitespace(",")


def rules_array(rule: Rule, style: RuleStyle = RuleStyle()) -> tomlkit.items.Array:
    """A new ``rules`` array holding ``rule``, laid out as ``style`` says."""
    item = rule_item(rule, style).as_string()
    text = (f"[\n{style.indent}{item}{',' if style.trailing_comma else ''}\n]"
            if style.one_per_line else f"[{item}]")
    array = tomlkit.parse(f"rules = {text}\n")["rules"]
    assert isinstance(array, tomlkit.items.Array)
    return array


# --------------------------------------------------------------------------- whole-config writes
# The settings window edits a whole Config; saving it must not turn the user's file
# into a generated one. So only what differs is written: a key whose value already
# means the new value is left exactly as it is (its comment, its layout, 2 vs 2.0),
# a key the file leaves out stays out while the new value is its default, arrays are
# edited element by element (comments between rules stay), tables are matched to
# activities by name (renames say which table was which) and reordered, never rebuilt.


def parse_activities(tables: object) -> tuple[Activity, ...]:
    """Validate ``[[activity]]``-shaped tables from elsewhere (a rule-set file) with the
    config file's own checks and messages (``activity[2].rules[0].title: ...``).
    Raises ConfigError listing every error."""
    _check_counts(tables)
    problems: list[Problem] = []
    activities = _SECTION["activity"].parse(tables, problems)
    if any(p.severity == "error" for p in problems):
        raise ConfigError(problems)
    assert isinstance(activities, tuple)
    return activities


_SECTION: Final = {section.name: section for section in _SECTIONS}


def _string_item(text: str) -> tomlkit.items.String:
    """A TOML string; regexes with backslashes as 'literal strings', as a person writes them."""
    literal = "\\" in text and "'" not in text and "\n" not in text
    return tomlkit.string(text, literal=literal)


def rule_item(rule: Rule, style: RuleStyle = RuleStyle()) -> tomlkit.items.InlineTable:
    """A rule as the inline table ``{ app = "x", title = 'a\\d' }``, spaced as ``style``
    says (the starter file's spacing by default)."""
    body = ", ".join(
        f"{key}{style.equals}{_string_item(value).as_string() if isinstance(value, str) else tomlkit.item(value).as_string()}"
        for key, value in rule_table(rule).items()
    )
    item = tomlkit.parse(f"rule = {{{style.pad}{body}{style.pad}}}")["rule"]
    assert isinstance(item, tomlkit.items.InlineTable)
    return item


def _toml_item(option: Option, value: object) -> tomlkit.items.Item:
    """A converted option value back as the TOML the file would hold."""
    kind = option.type
    if isinstance(kind, Number):
        assert isinstance(value, int | float)
        whole = kind.integer or float(value).is_integer()
        return tomlkit.item(int(value) if whole else float(value))
    if isinstance(kind, ClockTime):
        assert isinstance(value, datetime.time)
        return tomlkit.string(f"{value:%H:%M}")
    if isinstance(kind, Choice | Text):
        return tomlkit.string(str(value))
    if isinstance(kind, Patterns | Days | Rules):
        array = tomlkit.array()
        for element in _elements(kind, value):
            array.append(element)
        array.multiline(isinstance(kind, Rules) and bool(value) or len(array.as_string()) > 60)
        return array
    return tomlkit.item(value)


def _elements(kind: Patterns | Days | Rules, value: object) -> list[tomlkit.items.Item]:
    """The array elements of a converted Patterns/Days/Rules value."""
    if isinstance(kind, Days):
        assert isinstance(value, frozenset)
        return [tomlkit.string(DAY_NAMES[day]) for day in sorted(value)]
    assert isinstance(value, tuple)
    if isinstance(kind, Rules):
        return [rule_item(rule) for rule in value]
    return [_string_item(text) for text in value]


def _element_values(kind: Patterns | Days | Rules, array: list[object], path: str) -> list[object]:
    """Each element of a file's array converted alone (INVALID where it does not convert)."""
    scratch: list[Problem] = []
    if isinstance(kind, Rules):
        return [Rules._rule(item, path, scratch) for item in array]
    if isinstance(kind, Days):
        return [Days._day(item, path, scratch) for item in array]
    return [item if isinstance(item, str) else INVALID for item in array]


def _sync_array(kind: Patterns | Days | Rules, array: tomlkit.items.Array, value: object, path: str) -> None:
    """Edit ``array`` in place into ``value``'s elements with the fewest deletions and
    insertions, so the elements kept, and the comments between them, stay."""
    import difflib  # only the settings window's saves need it

    old = _element_values(kind, array.unwrap(), path)
    wanted_items = _elements(kind, value)
    wanted = _element_values(kind, [item.unwrap() for item in wanted_items], path)
    matcher = difflib.SequenceMatcher(a=old, b=wanted, autojunk=False)
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        for index in range(i2 - 1, i1 - 1, -1):
            del array[index]
        for offset, item in enumerate(wanted_items[j1:j2]):
            array.insert(i1 + offset, item)
    if isinstance(kind, Rules) and len(array) > 1 and "\n" not in array.as_string():
        array.multiline(True)


def _sync_table(section: _Section, table: Any, values: object, path: str, *, new: bool = False) -> None:
    """Write into ``table`` each option whose value it does not already mean (every
    option, defaults included, into a ``new`` table: a new block reads complete)."""
    for option in section.options:
        value = getattr(values, option.key)
        here = f"{path}.{option.key}"
        if option.key not in table:
            if new or option.default is REQUIRED or value != _default(option.path):
                table[option.key] = _toml_item(option, value)
            continue
        current = table[option.key]
        raw = current.unwrap() if hasattr(current, "unwrap") else current
        if option.type.convert(raw, here, []) == value:
            continue
        if isinstance(option.type, Patterns | Days | Rules) and isinstance(current, tomlkit.items.Array):
            _sync_array(option.type, current, value, here)
        else:
            table[option.key] = _toml_item(option, value)


def _new_table(section: _Section, values: object) -> tomlkit.items.Table:
    table = tomlkit.table()
    _sync_table(section, table, values, section.name, new=True)
    return table


def _tables(document: tomlkit.TOMLDocument, name: str) -> list[Any]:
    found = document.get(name)
    return [t for t in found if isinstance(t, dict)] if isinstance(found, list) else []


def _detach_trailing_comments(table: Any) -> list[tomlkit.items.Comment]:
    """Take the comment lines at the very end of a table's body: in a file they sit
    right above the next header, so they belong to the next table, not this one."""
    body = table.value.body
    end = len(body)
    while end and body[end - 1][0] is None and isinstance(body[end - 1][1], tomlkit.items.Comment):
        end -= 1
    comments = [item for _, item in body[end:]]
    del body[end:]  # only keyless trivia after the last key: the container's key map is unaffected
    return comments


def _replace_tables(document: tomlkit.TOMLDocument, name: str, old: list[Any], new: list[Any]) -> None:
    """Make the array of tables ``name`` hold ``new`` (tables, some of them from
    ``old``), touching the document only when the tables or their order changed.

    Comment lines above a table header travel with that table; those above the
    first header and below the last stay where they are. A table moved to the top
    keeps its comment lines at its end (tomlkit offers no way to put them above).
    """
    if len(old) == len(new) and all(a is b for a, b in zip(old, new, strict=True)):
        return
    above: dict[int, list[tomlkit.items.Comment]] = {}
    for before, table in zip(old, old[1:]):
        above[id(table)] = _detach_trailing_comments(before)
    below = _detach_trailing_comments(old[-1]) if old else []
    if not new:
        del document[name]
        return
    at_end = name not in document or list(document.keys())[-1] == name
    aot = document.get(name) if name in document else tomlkit.aot()
    aot.clear()
    first = new[0]
    if old and first is not old[0]:
        for comment in above.pop(id(first), []):
            first.value.append(None, comment)
    for index, table in enumerate(new):
        last = index == len(new) - 1
        followed = not last or not at_end
        if followed and not (table.value.body and isinstance(table.value.body[-1][1], tomlkit.items.Whitespace)):
            table.value.append(None, tomlkit.ws("\n"))
        for comment in below if last else above.get(id(new[index + 1]), []):
            table.value.append(None, comment)
        aot.append(table)
    if name not in document:
        document.append(name, aot)


def config_into_document(
    document: tomlkit.TOMLDocument, config: Config, *, renamed: Mapping[str, str] | None = None
) -> None:
    """Make ``document`` say ``config``, changing only what differs (see above).

    ``renamed`` maps an activity's new name to the name its table has in the file,
    so a renamed activity keeps its table and the comments in it.
    """
    for section in _SECTIONS:
        values = getattr(config, section.attr)
        if not section.many:
            table = document.get(section.name)
            if not isinstance(table, dict):
                if values == section.default():
                    continue
                table = tomlkit.table()
                document[section.name] = table
            _sync_table(section, table, values, section.name)
            continue
        old = _tables(document, section.name)
        if section.name == "activity":
            new = _matched_activity_tables(old, values, renamed or {})
        else:
            new = [old[i] if i < len(old) else None for i in range(len(values))]
        tables = []
        for i, (table, value) in enumerate(zip(new, values, strict=True)):
            if table is None:
                table = _new_table(section, value)
            else:
                _sync_table(section, table, value, f"{section.name}[{i}]")
            tables.append(table)
        _replace_tables(document, section.name, old, tables)


def _matched_activity_tables(
    old: list[Any], activities: Sequence[Activity], renamed: Mapping[str, str]
) -> list[Any]:
    """For each activity, the file's table of that name (or of its old name), else None."""
    by_name: dict[str, Any] = {}
    for table in old:
        by_name.setdefault(str(table.get("name", "")).strip().casefold(), table)
    folded_renames = {new.casefold(): was.casefold() for new, was in renamed.items()}
    matched = []
    for activity in activities:
        key = activity.name.casefold()
        table = by_name.pop(folded_renames.get(key, key), None)
        matched.append(table if table is not None else by_name.pop(key, None))
    return matched


def save_config(path: Path, config: Config, *, renamed: Mapping[str, str] | None = None) -> Config:
    """Write a whole edited ``config`` into the file with :func:`config_into_document`:
    comments, layout and unknown keys kept, validated, atomic. Raises ConfigError,
    writing nothing, if the file cannot be parsed or ``config`` is invalid (a rule's
    regex that does not compile, a duplicate name...), with the file's usual messages."""
    return update_config(path, lambda document: config_into_document(document, config, renamed=renamed))

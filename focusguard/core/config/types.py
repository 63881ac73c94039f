"""What a config value may be: each option type converts a parsed TOML value, or says
why not in words the user can act on (``activity[2].rules[0].title: ...``).

Every problem is collected, never raised one at a time, so one save shows every
mistake at once; a value that failed is replaced by ``INVALID``.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from focusguard.core.config.regex import RegexError, compile_title_regex
from focusguard.core.model import Rule

DAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RULE_FIELDS: Final = ("app", "title", "exe", "any")
RULE_KEYS: Final = (*RULE_FIELDS, "case_sensitive")

# How big a config FocusGuard reads. A real one is a few kilobytes (1,000 rules are
# about 50 KB); past these, parsing alone takes seconds and hundreds of megabytes, so
# the file is refused with a message instead (issue 11).
MAX_FILE_BYTES: Final = 1024 * 1024
MAX_TABLES: Final = 1000  # [[activity]] or [[focus_block]] tables
MAX_RULES: Final = 5000  # in all activities together
MAX_PATTERNS: Final = 1000  # in one array of globs or regexes


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


def toml_type(value: object) -> str:
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


def show(value: object) -> str:
    """A value as it would look in TOML, so messages quote what the user wrote."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def wrong_type(expected: str, value: object, path: str, problems: list[Problem]) -> _Invalid:
    """Report a value of the wrong type or form; scalars are quoted, tables and arrays
    only named (they can be long, and the key path already says where they are)."""
    got = toml_type(value)
    if not isinstance(value, (list, dict)):
        got += f" {show(value)}"
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
            return wrong_type(noun, value, path, problems)
        if not (math.isfinite(value) and self.low <= value <= self.high):
            problems.append(Problem(path, f"must be {noun} {self._limits()}, got {show(value)}"))
            return INVALID
        return int(value) if self.integer else float(value)


@dataclass(frozen=True)
class Boolean:
    def describe(self) -> str:
        return "boolean"

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        if not isinstance(value, bool):
            return wrong_type("true or false", value, path, problems)
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
            return wrong_type('a time "HH:MM" (24-hour)', value, path, problems)
        return datetime.time(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of strings, converted by ``factory`` (e.g. an enum)."""

    values: tuple[str, ...]
    factory: Callable[[str], object] = str

    def describe(self) -> str:
        return " | ".join(show(v) for v in self.values)

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        if value not in self.values:
            expected = f"one of {', '.join(map(show, self.values))}"
            return wrong_type(expected, value, path, problems)
        assert isinstance(value, str)
        return self.factory(value)


@dataclass(frozen=True)
class Text:
    """A non-empty string, stripped (names are compared and shown without padding);
    ``optional``: "" is allowed too, and means the key is not given."""

    optional: bool = False

    def describe(self) -> str:
        return "string"

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        if isinstance(value, str) and self.optional and not value.strip():
            return ""
        if not isinstance(value, str) or not value.strip():
            return wrong_type("a non-empty string", value, path, problems)
        return value.strip()


def check_one_pattern(kind: str, value: object, path: str, problems: list[Problem]) -> object:
    """Validate one glob or regex string; regexes must compile as the classifier will
    compile them (with RE2: see :class:`Regex`)."""
    if not isinstance(value, str) or not value:
        return wrong_type(f"a non-empty {kind} string", value, path, problems)
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
    check_one_pattern(kind, value, path, problems)
    return problems


def _items(value: object, path: str, problems: list[Problem]) -> list[object] | None:
    if not isinstance(value, list):
        wrong_type("an array", value, path, problems)
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
        out = [check_one_pattern(self.kind, v, f"{path}[{i}]", problems) for i, v in enumerate(items)]
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
            return wrong_type(f"a day name ({', '.join(DAY_NAMES)})", name, path, problems)
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
            return wrong_type("a table like { app = \"...\" }", item, path, problems)
        before = len(problems)
        for key in item:
            if key not in RULE_KEYS:
                message = f"unknown key; a rule takes {', '.join(RULE_KEYS)}"
                problems.append(Problem(f"{path}.{key}", message))
        if not any(key in item for key in RULE_FIELDS):
            problems.append(Problem(path, f"a rule needs at least one of {', '.join(RULE_FIELDS)}"))
        fields: dict[str, object] = {
            key: check_one_pattern(RULE_PATTERN[key], item[key], f"{path}.{key}", problems)
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

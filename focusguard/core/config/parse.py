"""Reading config text into a :class:`Config`: every problem collected, named by its key path.

Values are read with tomllib (ten times faster than tomlkit, and light: the app
never loads tomlkit unless it writes the file or explains a syntax error). Unknown
keys are warnings, not errors, so a typo never stops the app, except inside a rule,
where an ignored key would silently widen what the rule matches. Keys renamed since
the file's version are read under their new names, with a warning (see ``schema``).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from focusguard.core.config.schema import (
    FILE_NAME,
    OPTIONS,
    REQUIRED,
    SECTION_NOTES,
    VERSION,
    Option,
    default,
)

# Re-exported: the editor reads it here too, so one patch (the schema tests') renames for both.
from focusguard.core.config.schema import RENAMES as RENAMES
from focusguard.core.config.types import (
    INVALID,
    MAX_FILE_BYTES,
    MAX_RULES,
    MAX_TABLES,
    ConfigError,
    Number,
    Problem,
    show,
    wrong_type,
)
from focusguard.core.config.values import (
    CallSettings,
    Config,
    DaySettings,
    FocusBlock,
    NudgeSettings,
    PrivacySettings,
    SamplingSettings,
    SyncSettings,
)
from focusguard.core.model import Activity


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
            seen[key] = f"{path}.name {show(name)}"


@dataclass(frozen=True)
class Section:
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
            return wrong_type(f"an array of tables ({self.header})", value, self.name, problems)
        if len(value) > MAX_TABLES:
            too_many = f"has {len(value)} {self.header} tables; FocusGuard allows at most {MAX_TABLES}"
            problems.append(Problem(self.name, too_many))
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
            wrong_type("a table", value, path, problems)
            return None
        value = renamed_keys(self.name, value, path, problems)
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
                values[option.key] = default(option.path)
        return values


SECTIONS: Final = (
    Section("sampling", "sampling", SamplingSettings, SECTION_NOTES["sampling"]),
    Section("nudge", "nudge", NudgeSettings, SECTION_NOTES["nudge"]),
    Section("day", "day", DaySettings, SECTION_NOTES["day"]),
    Section("focus_block", "focus_blocks", FocusBlock, SECTION_NOTES["focus_block"], _check_focus_blocks),
    Section("calls", "calls", CallSettings, SECTION_NOTES["calls"]),
    Section("privacy", "privacy", PrivacySettings, SECTION_NOTES["privacy"]),
    Section("sync", "sync", SyncSettings, SECTION_NOTES["sync"]),
    Section("activity", "activities", Activity, SECTION_NOTES["activity"], _check_activities),
)
SECTION: Final = {section.name: section for section in SECTIONS}


def renamed_keys(section: str, table: dict[str, Any], path: str, problems: list[Problem]) -> dict[str, Any]:
    """``table`` (a table of ``section`` at ``path``) with each key renamed since an
    older config version moved to its new name, and a warning saying so."""
    moved = dict(table)
    for old, (new, since) in RENAMES.items():
        old_section, old_key = old.split(".", 1)
        new_key = new.split(".", 1)[1]
        if old_section.removesuffix("[]") != section or old_key not in moved:
            continue
        value = moved.pop(old_key)
        if new_key in moved:
            message = f"was renamed to {new_key} in config version {since}; the file has both, so {new_key} is used"
        else:
            moved[new_key] = value
            message = (f"was renamed to {new_key} in config version {since}: read as {new_key} "
                       "(rename it in the file, or save from the settings window)")
        problems.append(Problem(f"{path}.{old_key}", message, "warning"))
    return moved


def _check_version(value: object, problems: list[Problem]) -> None:
    """``version``: a whole number from 1; a newer one than this FocusGuard knows is
    read anyway (what it does not know is ignored, with a warning each)."""
    found = Number(1, 1_000_000, integer=True).convert(value, "version", problems)
    if isinstance(found, int) and found > VERSION:
        problems.append(Problem("version", f"is {found}, written by a newer FocusGuard (this one reads "
                                           f"version {VERSION}): keys it does not know are ignored", "warning"))


def _parse_values(text: str, source: str) -> dict[str, Any]:
    """The file's values. tomllib reads them: ten times faster than tomlkit on a big
    file (a 1 MiB array: 0.7 s instead of 7 s, issue 11). tomlkit, which keeps
    comments for writing, reads only text tomllib refuses: for its messages with a
    line and column, and in case it accepts what tomllib does not."""
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        from focusguard.core.config.document import parse_document  # tomlkit: only for this

        return parse_document(text, source).unwrap()


def parse_config(text: str, source: str = FILE_NAME) -> tuple[Config, list[Problem]]:
    """Parse and validate config text; return the config and its warnings.

    Raises ConfigError listing every problem found (warnings included, since an
    ignored misspelt key often explains an error elsewhere).
    """
    if len(text) > MAX_FILE_BYTES:
        raise ConfigError([too_big(source, len(text.encode("utf-8", "surrogatepass")))])
    data = _parse_values(text, source)
    _check_counts(data.get("activity"))
    problems: list[Problem] = []
    by_name = {section.name: section for section in SECTIONS}
    values: dict[str, object] = {section.attr: section.default() for section in SECTIONS}
    for key, value in data.items():
        section = by_name.get(key)
        if key == "version":
            _check_version(value, problems)
        elif section is None:
            problems.append(Problem(key, "unknown key (ignored)", "warning"))
        else:
            values[section.attr] = section.parse(value, problems)
    _check_block_activities(values.get("focus_blocks"), values.get("activities"), problems)
    if any(p.severity == "error" for p in problems):
        raise ConfigError(problems)
    return Config(**values), problems  # type: ignore[arg-type]


def _check_block_activities(blocks: object, activities: object, problems: list[Problem]) -> None:
    """A focus block's activity names one of the activities: a warning, not an error,
    so renaming an activity never stops the app (the block is then never kept)."""
    if not isinstance(blocks, tuple) or not isinstance(activities, tuple):
        return
    known = {a.name.casefold() for a in activities}
    for i, block in enumerate(blocks):
        if block.activity and block.activity.casefold() not in known:
            names = ", ".join(a.name for a in activities) or "none"
            problems.append(Problem(f"focus_block[{i}].activity",
                                    f"no activity named {show(block.activity)} (known: {names})", "warning"))


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


def parse_activities(tables: object) -> tuple[Activity, ...]:
    """Validate ``[[activity]]``-shaped tables from elsewhere (a rule-set file) with the
    config file's own checks and messages (``activity[2].rules[0].title: ...``).
    Raises ConfigError listing every error."""
    _check_counts(tables)
    problems: list[Problem] = []
    activities = SECTION["activity"].parse(tables, problems)
    if any(p.severity == "error" for p in problems):
        raise ConfigError(problems)
    assert isinstance(activities, tuple)
    return activities


def too_big(source: str, size: int) -> Problem:
    return Problem(
        source,
        f"is {size / 1024 / 1024:.1f} MiB; FocusGuard reads config files up to "
        f"{MAX_FILE_BYTES // 1024 // 1024} MiB (a real one is a few kilobytes)",
    )

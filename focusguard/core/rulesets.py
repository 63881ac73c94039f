"""Rule sets as JSON files, and merging imported activities into the user's own.

A rule set is the ``[[activity]]`` part of config.toml, shared as a file: a team's
rules handed to a new colleague, or one machine's rules moved to another. The file
says what it is (``"format": "focusguard-rules"``) so a wrong file gets a clear
message, and its activities are validated by the config's own checks, so an import
reports exactly what ``focusguard config check`` would.

Merging (rule-set files and ActivityWatch categories alike) never reorders or drops
what the user has: imported activities that are new come after the user's own (first
match wins, so the user's rules keep precedence), and an imported activity whose
name the user already has only adds the rules it lacks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from focusguard.core.config import MAX_FILE_BYTES, ConfigError, Problem, parse_activities, rule_table
from focusguard.core.model import Activity

FORMAT: Final = "focusguard-rules"
VERSION: Final = 1


def dump_ruleset(activities: Sequence[Activity]) -> str:
    """The activities as a rule-set JSON document (rules written as in config.toml)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "activities": [
            {
                "name": activity.name,
                "kind": activity.kind.value,
                "rules": [dict(rule_table(rule)) for rule in activity.rules],
            }
            for activity in activities
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def parse_ruleset(text: str, source: str = "rules.json") -> tuple[Activity, ...]:
    """The activities of a rule-set file. Raises ConfigError listing every problem,
    with paths like ``activities[2].rules[0].title``. A file bigger than a config may
    be is refused unread, as the config is (its rules end up in the config)."""
    if len(text) > MAX_FILE_BYTES:
        size = len(text.encode("utf-8", "surrogatepass")) / 1024 / 1024
        raise ConfigError([Problem(source, f"is {size:.1f} MiB; a rule set may be at most "
                                           f"{MAX_FILE_BYTES // 1024 // 1024} MiB, as config.toml")])
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError([Problem(source, f"not JSON: {exc.msg}", line=exc.lineno, column=exc.colno)]) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        message = (f'not a FocusGuard rule set (expected "format": "{FORMAT}"); '
                   "for ActivityWatch categories use the ActivityWatch import")
        raise ConfigError([Problem(source, message)])
    if document.get("version") != VERSION:
        message = f"rule-set version {document.get('version')!r} is not supported (this FocusGuard reads {VERSION})"
        raise ConfigError([Problem(source, message)])
    try:
        return parse_activities(document.get("activities", []))
    except ConfigError as exc:  # the config names them activity[i]; the file says activities
        raise ConfigError([replace(p, path=p.path.replace("activity", "activities", 1)) for p in exc.problems]) from exc


@dataclass(frozen=True)
class Merge:
    """The result of merging imported activities into the user's."""

    activities: tuple[Activity, ...]
    added: tuple[str, ...]       # new activities, appended
    extended: tuple[str, ...]    # existing activities that gained rules
    rules_added: int

    def summary(self) -> str:
        """One sentence for the user: what the import changed."""
        if not self.added and not self.extended:
            return "Nothing new: every imported rule was already there."
        parts = []
        if self.added:
            parts.append(f"added {len(self.added)} activit{'y' if len(self.added) == 1 else 'ies'} "
                         f"({', '.join(self.added)})")
        if self.extended:
            parts.append(f"added rules to {', '.join(self.extended)}")
        return f"Imported {self.rules_added} rule{'' if self.rules_added == 1 else 's'}: " + "; ".join(parts) + "."


def merge_activities(existing: Sequence[Activity], imported: Sequence[Activity]) -> Merge:
    """``existing`` with ``imported`` merged in (see the module docstring). Names are
    matched ignoring case, as the config does; an existing activity keeps its kind."""
    merged = list(existing)
    index = {a.name.casefold(): i for i, a in enumerate(merged)}
    added: list[str] = []
    extended: list[str] = []
    count = 0
    for activity in imported:
        at = index.get(activity.name.casefold())
        if at is None:
            index[activity.name.casefold()] = len(merged)
            merged.append(activity)
            added.append(activity.name)
            count += len(activity.rules)
            continue
        current = merged[at]
        new_rules = tuple(r for r in dict.fromkeys(activity.rules) if r not in current.rules)
        if new_rules:
            merged[at] = replace(current, rules=current.rules + new_rules)
            if current.name not in added and current.name not in extended:
                extended.append(current.name)
            count += len(new_rules)
    return Merge(tuple(merged), tuple(added), tuple(extended), count)

"""ActivityWatch's categories as FocusGuard activities, keeping what they match.

ActivityWatch's web UI exports its categories as
``{"id": "default", "categories": [{"name": ["Work", "Programming"], "rule":
{"type": "regex", "regex": "...", "ignore_case": true}, "data": {"score": 10}}]}``
(``id`` is optional; older versions kept a bare list). Its classifier:

* searches a category's regex in every string of a window event, i.e. the app name
  and the title alike, case-sensitively unless ``ignore_case``: here a rule
  ``{ any = "...", case_sensitive = true }``;
* of all the categories that match, picks the highest *rank* -- the rule's own
  ``priority`` (or ``weight``) when it has one, else ten times the name's depth,
  so "Work > Programming" beats "Work" -- and on a tie the later category. FocusGuard
  takes the first matching activity instead, so the activities come out sorted by
  rank, highest first, later before earlier: the first match is AW's pick;
* has no rule for a category whose rule type is ``none`` (or null), whose regex is
  empty, or whose regex does not compile (AW logs it and matches nothing): such a
  category makes no activity and is reported as skipped.

Nested names become ``"Work > Programming"``. ``data.score`` gives the kind: above
zero productive, below zero distraction, zero neutral; a category without a score
takes its nearest ancestor's (as AW does with colours), and with none anywhere it is
neutral.

Pure and Qt-free: the settings window and ``focusguard import activitywatch`` share it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from focusguard.core.config import ConfigError, Problem, compile_rule_regex
from focusguard.core.model import Activity, Kind, Rule

SEPARATOR: Final = " > "
NO_RULE_TYPES: Final = frozenset({"none", None})


class AwCategoriesError(ConfigError):
    """The file is not an ActivityWatch categories export; ``problems`` say where."""


@dataclass(frozen=True)
class AwCategory:
    """One category as the export has it. ``regex`` None: the category has no rule."""

    name: tuple[str, ...]
    regex: str | None = None
    ignore_case: bool = False
    score: float | None = None
    priority: int | None = None

    @property
    def full_name(self) -> str:
        return SEPARATOR.join(self.name)

    @property
    def rank(self) -> int:
        """AW's rank: the rule's priority, else ten per level of nesting."""
        return self.priority if self.priority is not None else 10 * len(self.name)


@dataclass(frozen=True)
class AwConversion:
    """The activities made from an export, and what was left out and why."""

    activities: tuple[Activity, ...]
    skipped: tuple[Problem, ...]  # warnings: categories that made no rule

    def summary(self) -> str:
        rules = sum(len(a.rules) for a in self.activities)
        text = f"{len(self.activities)} activities with {rules} rules from ActivityWatch"
        if self.skipped:
            text += f"; {len(self.skipped)} categories without a usable rule skipped"
        return text


# --------------------------------------------------------------------------- parsing


def _fail(problems: list[Problem], path: str, message: str) -> None:
    problems.append(Problem(path, message))


def parse_categories(text: str, source: str = "categories.json") -> list[AwCategory]:
    """Every category of an export, in file order. Raises AwCategoriesError listing
    every structural problem (not JSON, no categories list, a name that is not a
    list of strings, a score that is not a number...)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AwCategoriesError([Problem(source, f"not JSON: {exc.msg}", line=exc.lineno, column=exc.colno)]) from exc
    if isinstance(document, Mapping) and "categories" in document:
        items = document["categories"]
    elif isinstance(document, list):
        items = document
    else:
        raise AwCategoriesError([Problem(source, 'not an ActivityWatch categories export: expected '
                                                 '{"categories": [...]} (Settings > Categorization > Export)')])
    if not isinstance(items, list):
        raise AwCategoriesError([Problem("categories", f"must be a list, got {type(items).__name__}")])
    problems: list[Problem] = []
    categories = [_category(item, f"categories[{i}]", problems) for i, item in enumerate(items)]
    if problems:
        raise AwCategoriesError(problems)
    return [c for c in categories if c is not None]


def _category(item: object, path: str, problems: list[Problem]) -> AwCategory | None:
    before = len(problems)
    if not isinstance(item, Mapping):
        _fail(problems, path, "must be an object with a name and a rule")
        return None
    name = item.get("name")
    if not (isinstance(name, list) and name and all(isinstance(n, str) and n.strip() for n in name)):
        _fail(problems, f"{path}.name", f'must be a list of names like ["Work", "Programming"], got {json.dumps(name)}')
    rule = item.get("rule", {})
    if not isinstance(rule, Mapping):
        _fail(problems, f"{path}.rule", "must be an object like {\"type\": \"regex\", \"regex\": \"...\"}")
        rule = {}
    regex = rule.get("regex")
    if regex is not None and not isinstance(regex, str):
        _fail(problems, f"{path}.rule.regex", f"must be a string, got {json.dumps(regex)}")
    ignore_case = rule.get("ignore_case", False)
    if not isinstance(ignore_case, bool):
        _fail(problems, f"{path}.rule.ignore_case", f"must be true or false, got {json.dumps(ignore_case)}")
    priority = rule.get("priority", rule.get("weight"))
    if priority is not None and (isinstance(priority, bool) or not isinstance(priority, int)):
        _fail(problems, f"{path}.rule.priority", f"must be a whole number, got {json.dumps(priority)}")
    data = item.get("data") or {}
    if not isinstance(data, Mapping):
        _fail(problems, f"{path}.data", "must be an object")
        data = {}
    score = data.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
        _fail(problems, f"{path}.data.score", f"must be a number, got {json.dumps(score)}")
    if len(problems) > before:
        return None
    has_rule = rule.get("type") not in NO_RULE_TYPES and bool(regex)
    return AwCategory(
        name=tuple(n.strip() for n in name),  # type: ignore[union-attr]
        regex=regex if has_rule else None,
        ignore_case=ignore_case,
        score=None if score is None else float(score),
        priority=priority,
    )


# --------------------------------------------------------------------------- conversion


def _kind(score: float | None) -> Kind:
    if score is None or score == 0:
        return Kind.NEUTRAL
    return Kind.PRODUCTIVE if score > 0 else Kind.DISTRACTION


def _inherited_scores(categories: Sequence[AwCategory]) -> dict[tuple[str, ...], float | None]:
    """Each name's score, or its nearest ancestor's (the first category of a name wins)."""
    own: dict[tuple[str, ...], float] = {}
    for category in categories:
        if category.score is not None:
            own.setdefault(category.name, category.score)

    def lookup(name: tuple[str, ...]) -> float | None:
        for depth in range(len(name), 0, -1):
            if name[:depth] in own:
                return own[name[:depth]]
        return None

    return {category.name: lookup(category.name) for category in categories}


def to_activities(categories: Sequence[AwCategory]) -> AwConversion:
    """Activities in FocusGuard's first-match order that classify like AW does."""
    scores = _inherited_scores(categories)
    skipped: list[Problem] = []
    usable: list[tuple[int, int, AwCategory]] = []
    for index, category in enumerate(categories):
        where = f"categories[{index}] {category.full_name!r}"
        if category.regex is None:
            skipped.append(Problem(where, "has no rule (type none or an empty regex)", "warning"))
            continue
        try:
            compile_rule_regex(category.regex, case_sensitive=not category.ignore_case)
        except re.error as exc:
            skipped.append(Problem(where, f"regex does not compile ({exc}); ActivityWatch ignores it too", "warning"))
            continue
        usable.append((category.rank, index, category))
    usable.sort(key=lambda item: (item[0], item[1]), reverse=True)

    names: dict[str, int] = {}  # folded name -> position in order
    order: list[tuple[str, Kind, list[Rule]]] = []
    for _, _, category in usable:
        rule = Rule(any=category.regex, case_sensitive=not category.ignore_case)
        key = category.full_name.casefold()
        if key not in names:
            names[key] = len(order)
            order.append((category.full_name, _kind(scores[category.name]), []))
        rules = order[names[key]][2]
        if rule not in rules:
            rules.append(rule)
    activities = tuple(Activity(name, kind, tuple(rules)) for name, kind, rules in order)
    return AwConversion(activities, tuple(skipped))


def convert(text: str, source: str = "categories.json") -> AwConversion:
    """Parse an export and convert it (see the module docstring)."""
    return to_activities(parse_categories(text, source))


def load(path: Path) -> AwConversion:
    """Read, parse and convert an export file; unreadable files raise AwCategoriesError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise AwCategoriesError([Problem(str(path), f"cannot read: {reason}")]) from exc
    return convert(text, path.name)

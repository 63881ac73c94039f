"""Changing the user's config file from FocusGuard, keeping their comments and layout.

Programmatic edits (a rule added from a nudge, the settings window's whole-config
save, a starter set of activities) go through tomlkit, which keeps every comment,
blank line and unknown key, are validated as the file would be, and written
atomically; nothing is written when the result would not be valid.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit

from focusguard.core.config import parse
from focusguard.core.config.document import parse_document
from focusguard.core.config.parse import SECTIONS, Section, parse_config
from focusguard.core.config.reference import STARTER_CONFIG
from focusguard.core.config.schema import REQUIRED, VERSION, Option, default
from focusguard.core.config.slots import TimeSlots, format_slot
from focusguard.core.config.storage import read_text, write_atomic
from focusguard.core.config.types import (
    DAY_NAMES,
    INVALID,
    Boolean,
    Choice,
    ClockTime,
    ConfigError,
    Days,
    Number,
    Patterns,
    Problem,
    Rules,
    Text,
    show,
)
from focusguard.core.config.values import Config, rule_table
from focusguard.core.model import Activity, Kind, Rule


def update_config(path: Path, mutate: Callable[[tomlkit.TOMLDocument], None]) -> Config:
    """Apply ``mutate`` to the file's tomlkit document, validate, write atomically.

    Comments, layout and unknown keys survive. Raises ConfigError, writing nothing,
    if the current file cannot be parsed or the result is invalid. A missing file is
    treated as the starter file.
    """
    text = read_text(path) if path.exists() else STARTER_CONFIG
    document = parse_document(text, path.name)
    mutate(document)
    new_text = document.as_string()
    config, _ = parse_config(new_text, path.name)
    write_atomic(path, new_text)
    return config


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
                message = f"no activity named {show(activity)}; known: {known}"
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
        if rules is not None and not isinstance(rules, tomlkit.items.Array):
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


# The defaults by name: with slots, ``RuleStyle.pad`` is the slot, not its default.
_STARTER_STYLE = RuleStyle()
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
            pad=found["pad"] if found else _STARTER_STYLE.pad,
            equals=found["equals"] if found else _STARTER_STYLE.equals,
            one_per_line="\n" in text,
            indent=indent["indent"] if indent else _STARTER_STYLE.indent,
            trailing_comma=_ends_with_comma(rules),
        )
    return RuleStyle()


def _groups(rules: tomlkit.items.Array) -> list[Any]:
    """tomlkit's items of an array with their commas and comments (its private
    ``_value``); an empty list on a tomlkit that keeps them otherwise, which only
    costs the trailing-comma nicety."""
    groups = getattr(rules, "_value", None)
    if isinstance(groups, list) and all(hasattr(g, "comma") and hasattr(g, "value") for g in groups):
        return groups
    return []


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


def _string_item(text: str) -> tomlkit.items.String:
    """A TOML string; regexes with backslashes as 'literal strings', as a person writes them."""
    literal = "\\" in text and "'" not in text and "\n" not in text
    return tomlkit.string(text, literal=literal)


def rule_item(rule: Rule, style: RuleStyle = RuleStyle()) -> tomlkit.items.InlineTable:
    """A rule as the inline table ``{ app = "x", title = 'a\\d' }``, spaced as ``style``
    says (the starter file's spacing by default)."""
    body = ", ".join(
        f"{key}{style.equals}{(_string_item(value) if isinstance(value, str) else tomlkit.item(value)).as_string()}"
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
    if isinstance(kind, TimeSlots):
        assert isinstance(value, tuple)
        slots = tomlkit.array()
        for slot in value:
            slots.append(format_slot(slot))
        return slots
    if isinstance(kind, Patterns | Days | Rules):
        array = tomlkit.array()
        for element in _elements(kind, value):
            array.append(element)
        array.multiline((isinstance(kind, Rules) and bool(value)) or len(array.as_string()) > 60)
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


def _sync_table(section: Section, table: Any, values: object, path: str, *, new: bool = False) -> None:
    """Write into ``table`` each option whose value it does not already mean (every
    option, defaults included, into a ``new`` table: a new block reads complete)."""
    for option in section.options:
        value = getattr(values, option.key)
        here = f"{path}.{option.key}"
        if option.key not in table:
            # A new table reads complete, but for flags left off (false is only noise)
            # and optional texts left empty (a focus block's name).
            if (new and not isinstance(option.type, Boolean) and value != "") or option.default is REQUIRED \
                    or value != default(option.path):
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


def _new_table(section: Section, values: object) -> tomlkit.items.Table:
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
    for before, table in itertools.pairwise(old):
        above[id(table)] = _detach_trailing_comments(before)
    below = _detach_trailing_comments(old[-1]) if old else []
    if not new:
        del document[name]
        return
    at_end = name not in document or list(document.keys())[-1] == name
    # [[name]] tables, or an inline array of them: both clear and append alike.
    aot: Any = document[name] if name in document else tomlkit.aot()
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
    so a renamed activity keeps its table and the comments in it. Keys renamed
    since the file's config version take their new names, and the file its new version.
    """
    _upgrade(document)
    for section in SECTIONS:
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


def _upgrade(document: tomlkit.TOMLDocument) -> None:
    """Rename, in place, each key the schema renamed since the file's version (its
    value and layout kept; where the file has both names the old one goes), and say
    the new version when one was renamed."""
    moved = False
    for old, (new, _since) in parse.RENAMES.items():
        section, old_key = old.split(".", 1)
        new_key = new.split(".", 1)[1]
        name = section.removesuffix("[]")
        tables = _tables(document, name) if section.endswith("[]") else [document.get(name)]
        for table in tables:
            if isinstance(table, dict) and old_key in table:
                value = table[old_key]
                del table[old_key]
                if new_key not in table:
                    table[new_key] = value
                moved = True
    if moved:
        document["version"] = VERSION


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

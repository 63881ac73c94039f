"""The user's edited records across devices: goals and steps, delegations, calls,
block moves and verdicts, merged item by item, latest change wins.

Unlike events, these are not a timeline but items the user makes, edits, ticks and
deletes, on any device. Each item has a stable id (``uid``, random, the same on
every device) and a ``Version``: when it last changed and on which device, and
whether that change deleted it (a tombstone). The merge keeps, per item, the
version that sorts last:

* the later change wins, wherever it was made;
* a tombstone wins over every older edit (and an edit made after the deletion
  brings the item back: latest wins, for deletions too);
* at the same instant a tombstone wins, then the device id sorting first,
  so every device picks the same version whatever order the files came in;
* the same version seen again (a file read twice) changes nothing.

Timestamps are each device's own clock: a device whose clock runs ahead wins
edits made up to that lead after its own (``core.sync_health`` flags its clock).
Every device still converges on the same item, which is what the merge promises.

``FIELDS`` declares what travels of each kind, with its type, so a file from
another device is checked before anything of it is applied. Pure: no store,
no files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from focusguard.core.blocks import Status
from focusguard.core.calls import CallKind

GOAL: Final = "goal"
STEP: Final = "step"
DELEGATION: Final = "delegation"
CALL: Final = "call"
BLOCK_MOVE: Final = "block_move"
BLOCK_VERDICT: Final = "block_verdict"

TEXT: Final = "text"
OPTIONAL_TEXT: Final = "text?"
NUMBER: Final = "number"
OPTIONAL_NUMBER: Final = "number?"
DAY: Final = "day"  # an ISO date, as text
#: Text that must be one of these (what the reading code turns into its enum).
CALL_KINDS: Final = frozenset(k.value for k in CallKind)
STATUSES: Final = frozenset(s.value for s in Status)

#: What travels of each kind, in the order items are applied (a goal before its steps).
#: A step names its goal by the goal's ``uid``; a call's kind (value, chill) is ``call_kind``
#: (a record's ``kind`` is what it is: ``call``).
FIELDS: Final[Mapping[str, Mapping[str, str | frozenset[str]]]] = {
    GOAL: {"name": TEXT, "activity": TEXT, "created": NUMBER},
    STEP: {"goal": TEXT, "text": TEXT, "position": NUMBER, "done_at": OPTIONAL_NUMBER},
    DELEGATION: {"at": NUMBER, "activity": OPTIONAL_TEXT, "app": TEXT, "title": TEXT, "seconds": NUMBER,
                 "note": TEXT},
    CALL: {"start": NUMBER, "end": NUMBER, "app": TEXT, "title": TEXT, "call_kind": CALL_KINDS, "note": TEXT,
           "answered_at": OPTIONAL_NUMBER, "followup_done_at": OPTIONAL_NUMBER},
    BLOCK_MOVE: {"block": TEXT, "day": DAY, "from_start": NUMBER, "from_end": NUMBER, "to_start": NUMBER,
                 "to_end": NUMBER, "at": NUMBER},
    BLOCK_VERDICT: {"block": TEXT, "day": DAY, "start": NUMBER, "end": NUMBER, "status": STATUSES,
                    "activity_seconds": OPTIONAL_NUMBER, "active_seconds": OPTIONAL_NUMBER, "at": NUMBER},
}
KINDS: Final = tuple(FIELDS)


class ItemError(ValueError):
    """An item record that is not one of ``FIELDS``' kinds with its fields' types."""


@dataclass(frozen=True, slots=True)
class Version:
    """When an item last changed (the changing device's clock), where, and whether it was deleted."""

    at: float
    device: str
    deleted: bool = False

    def beats(self, other: Version | None) -> bool:
        """Whether this version replaces ``other`` (None: the item is not known yet)."""
        if other is None:
            return True
        if self.at != other.at:
            return self.at > other.at
        if self.deleted != other.deleted:
            return self.deleted
        return self.device < other.device


@dataclass(frozen=True, slots=True)
class Change:
    """One version of one item: its fields as they were then (none for a tombstone)."""

    kind: str
    uid: str
    version: Version
    fields: Mapping[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.uid


def checked_fields(kind: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a ``kind`` item from a record, each of its declared type (numbers
    as floats); ItemError names the first one that is not."""
    try:
        spec = FIELDS[kind]
    except KeyError:
        raise ItemError(f"unknown item kind {kind!r}") from None
    out: dict[str, Any] = {}
    for name, typ in spec.items():
        value = record.get(name)
        if value is None and typ in (OPTIONAL_TEXT, OPTIONAL_NUMBER):
            out[name] = None
        elif isinstance(typ, frozenset):
            if value not in typ:
                raise ItemError(f"a {kind}'s {name} is not one of {', '.join(sorted(typ))}")
            out[name] = value
        elif typ in (TEXT, OPTIONAL_TEXT, DAY):
            if not isinstance(value, str):
                raise ItemError(f"a {kind}'s {name} is not text")
            if typ == DAY:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise ItemError(f"a {kind}'s {name} is not a date") from None
            out[name] = value
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise ItemError(f"a {kind}'s {name} is not a number")
        else:
            out[name] = float(value)
    return out


def latest(changes: Iterable[Change]) -> dict[tuple[str, str], Change]:
    """Each item's winning version among ``changes`` (any order, repeats allowed)."""
    best: dict[tuple[str, str], Change] = {}
    for c in changes:
        held = best.get(c.key)
        if held is None or c.version.beats(held.version):
            best[c.key] = c
    return best


def to_apply(changes: Iterable[Change], local: Mapping[tuple[str, str], Version]) -> list[Change]:
    """The winning versions that beat what this device holds (``local``: each known
    item's version, its tombstone's for a deleted one), in the order to apply them:
    edits by ``KINDS`` (a goal before its steps), then deletions the other way round
    (steps before their goal)."""
    won = [c for c in latest(changes).values() if c.version.beats(local.get(c.key))]
    order = {kind: i for i, kind in enumerate(KINDS)}
    edits = sorted((c for c in won if not c.version.deleted), key=lambda c: (order[c.kind], c.version.at, c.uid))
    deletions = sorted((c for c in won if c.version.deleted), key=lambda c: (-order[c.kind], c.version.at, c.uid))
    return edits + deletions

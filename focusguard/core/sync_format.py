"""The sync folder's file format: one device's history of one day, as bytes.

A day file is gzip-compressed JSON Lines. Its first line is a header:

    {"format": "focusguard-sync", "version": 1, "device": "<id>", "name": "Office desktop",
     "day": "2026-11-26", "written_at": 1795660800.0, "records": 812, "sha256": "<hex>"}

``records`` and ``sha256`` describe the lines after it (their UTF-8 bytes), one
record each, every one with a ``kind``: ``event``, ``declaration``, ``nudge``,
``journal``, and the user's edited items of ``core.merge_records`` (``goal``,
``step``, ``delegation``, ``call``, ``block_move``, ``block_verdict``: a stable
``uid``, ``changed_at``, their fields or ``"deleted": true``) -- and whatever later
versions add: a kind this version does not know is carried and ignored, never an
error, so a newer device's file still merges here. A file whose header, count or checksum is wrong is refused
whole (``FormatError``): a truncated copy or a foreign file is never half-merged.

Pure: bytes in, bytes out; the folder's files and their names are
``focusguard.syncfolder``'s job.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from focusguard.core.merge_records import FIELDS, Change, ItemError, Version, checked_fields
from focusguard.core.model import Answer, Classification, Declaration, Event, Journal, NudgeRecord

FORMAT: Final = "focusguard-sync"
VERSION: Final = 1
#: What a device file (``device.json``) says: who the device is, and when it last published.
DEVICE_FORMAT: Final = "focusguard-sync-device"

EVENT: Final = "event"
DECLARATION: Final = "declaration"
NUDGE: Final = "nudge"
JOURNAL: Final = "journal"
KNOWN_KINDS: Final = frozenset({EVENT, DECLARATION, NUDGE, JOURNAL})

_CLASSIFICATIONS: Final = {c.value: c for c in Classification}


class FormatError(ValueError):
    """A file that is not a complete day file of this format: the message says why."""


@dataclass(frozen=True, slots=True)
class Header:
    device: str
    name: str
    day: date
    written_at: float
    records: int
    sha256: str
    version: int = VERSION


@dataclass
class DayFile:
    """A decoded day file: its header and its records by kind (unknown kinds counted)."""

    header: Header
    events: list[Event] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    nudges: list[NudgeRecord] = field(default_factory=list)
    journals: list[tuple[float, Journal]] = field(default_factory=list)
    items: list[Change] = field(default_factory=list)
    unknown: int = 0


# --- records ---------------------------------------------------------------------------


def event_record(e: Event) -> dict[str, Any]:
    return {"kind": EVENT, "start": e.start, "end": e.end, "app": e.app, "title": e.title, "exe": e.exe,
            "activity": e.activity, "class": e.classification.value}


def declaration_record(d: Declaration) -> dict[str, Any]:
    return {"kind": DECLARATION, "at": d.at, "activity": d.activity, "next_step": d.next_step}


def nudge_record(n: NudgeRecord) -> dict[str, Any]:
    return {"kind": NUDGE, "id": n.id, "at": n.at, "activity": n.activity, "class": n.classification.value,
            "streak_seconds": n.streak_seconds, "distraction_seconds": n.distraction_seconds, "level": n.level,
            "app": n.app, "title": n.title, "answer": None if n.answer is None else n.answer.value,
            "answered_at": n.answered_at}


def journal_record(j: Journal, saved_at: float) -> dict[str, Any]:
    return {"kind": JOURNAL, "day": j.day.isoformat(), "saved_at": saved_at, "done": j.done, "todo": j.todo,
            "change": j.change, "tomorrow_activity": j.tomorrow_activity,
            "tomorrow_next_step": j.tomorrow_next_step}


def item_record(kind: str, uid: str, changed_at: float, fields: Mapping[str, Any] | None) -> dict[str, Any]:
    """An edited item as this device changed it last; ``fields`` None: deleted then."""
    if fields is None:
        return {"kind": kind, "uid": uid, "changed_at": changed_at, "deleted": True}
    return {**{name: fields[name] for name in FIELDS[kind]}, "kind": kind, "uid": uid, "changed_at": changed_at}


def decode_item(kind: str, r: Mapping[str, Any], device: str) -> Change:
    """An item record of ``device``'s (FormatError when it is not one of ``kind``'s)."""
    uid = _text(r, "uid")
    if not uid:
        raise FormatError(f"a {kind} has no uid")
    deleted = r.get("deleted", False)
    if not isinstance(deleted, bool):
        raise FormatError(f"a {kind}'s deleted is not true or false")
    try:
        fields = {} if deleted else checked_fields(kind, r)
    except ItemError as exc:
        raise FormatError(str(exc)) from None
    return Change(kind, uid, Version(_number(r, "changed_at"), device, deleted), fields)


def _text(r: Mapping[str, Any], key: str) -> str:
    value = r.get(key) or ""
    if not isinstance(value, str):
        raise FormatError(f"{key} is not text")
    return value


def _number(r: Mapping[str, Any], key: str) -> float:
    value = r.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormatError(f"{key} is not a number")
    return float(value)


def _class(r: Mapping[str, Any]) -> Classification:
    try:
        return _CLASSIFICATIONS[r["class"]]
    except (KeyError, TypeError):
        raise FormatError(f"unknown classification {r.get('class')!r}") from None


def _add(out: DayFile, r: Mapping[str, Any]) -> None:
    kind = r.get("kind")
    if kind == EVENT:
        start, end = _number(r, "start"), _number(r, "end")
        if end < start:
            raise FormatError("an event ends before it starts")
        out.events.append(Event(0, start, end, _text(r, "app"), _text(r, "title"), _text(r, "exe"),
                                _text(r, "activity") or None, _class(r)))
    elif kind == DECLARATION:
        out.declarations.append(Declaration(_number(r, "at"), _text(r, "activity"), _text(r, "next_step")))
    elif kind == NUDGE:
        answer = r.get("answer")
        try:
            parsed = None if answer is None else Answer(answer)
        except ValueError:
            raise FormatError(f"unknown answer {answer!r}") from None
        answered = r.get("answered_at")
        out.nudges.append(NudgeRecord(
            int(_number(r, "id")), _number(r, "at"), _text(r, "activity") or None, _class(r),
            _number(r, "streak_seconds"), int(_number(r, "level")), _text(r, "app"), _text(r, "title"),
            parsed, None if answered is None else _number(r, "answered_at"), _number(r, "distraction_seconds")))
    elif kind == JOURNAL:
        try:
            day = date.fromisoformat(_text(r, "day"))
        except ValueError:
            raise FormatError("a journal's day is not a date") from None
        out.journals.append((_number(r, "saved_at"), Journal(
            day, _text(r, "done"), _text(r, "todo"), _text(r, "change"), _text(r, "tomorrow_activity"),
            _text(r, "tomorrow_next_step"))))
    elif isinstance(kind, str) and kind in FIELDS:
        out.items.append(decode_item(kind, r, out.header.device))
    elif isinstance(kind, str) and kind:
        out.unknown += 1  # a newer version's kind: carried, not read
    else:
        raise FormatError("a record has no kind")


# --- files ------------------------------------------------------------------------------


def body_bytes(records: Iterable[Mapping[str, Any]]) -> tuple[bytes, int]:
    """The records as JSON Lines, and how many there are."""
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for r in records]
    return ("".join(line + "\n" for line in lines)).encode(), len(lines)


def body_digest(body: bytes) -> str:
    """Imported here: hashlib loads OpenSSL (3.5 MB resident), which only a device that
    syncs should pay for, and only once it publishes or merges."""
    import hashlib

    return hashlib.sha256(body).hexdigest()


def encode_day(device: str, name: str, day: date, written_at: float, records: Sequence[Mapping[str, Any]]) -> bytes:
    """A whole day file (gzip bytes). ``mtime=0`` keeps the gzip bytes a function of
    the content alone."""
    body, count = body_bytes(records)
    header = {"format": FORMAT, "version": VERSION, "device": device, "name": name, "day": day.isoformat(),
              "written_at": written_at, "records": count, "sha256": body_digest(body)}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    return gzip.compress(head + body, compresslevel=6, mtime=0)


def _loads(line: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FormatError(f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise FormatError(f"{what} is not a JSON object")
    return value


def decode_header(head: bytes) -> Header:
    """The header line of a day file, checked: format, version, fields."""
    h = _loads(head, "the header")
    if h.get("format") != FORMAT:
        raise FormatError("not a FocusGuard sync file")
    version = h.get("version")
    if not isinstance(version, int) or version < 1:
        raise FormatError("the header has no valid version")
    if version > VERSION:
        raise FormatError(f"written by a newer FocusGuard (format version {version}; this one reads {VERSION})")
    try:
        return Header(_text(h, "device"), _text(h, "name"), date.fromisoformat(_text(h, "day")),
                      _number(h, "written_at"), int(_number(h, "records")), _text(h, "sha256"), version)
    except ValueError as exc:
        raise FormatError(f"the header is incomplete ({exc})") from None


def decode_day(data: bytes) -> DayFile:
    """A day file's records, all or none: FormatError for a truncated, damaged or
    foreign file."""
    if not data:
        raise FormatError("empty (still being copied?)")
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        raise FormatError("not a complete gzip file (truncated, or still being copied?)") from None
    head, sep, body = raw.partition(b"\n")
    if not sep:
        raise FormatError("no header line")
    header = decode_header(head)
    if body_digest(body) != header.sha256:
        raise FormatError("its checksum does not match its content (truncated or changed)")
    lines = body.splitlines()
    if len(lines) != header.records:
        raise FormatError(f"it holds {len(lines)} records, its header says {header.records}")
    out = DayFile(header)
    for number, line in enumerate(lines, start=2):
        try:
            _add(out, _loads(line, f"line {number}"))
        except FormatError as exc:
            raise FormatError(f"line {number}: {exc}") from None
    return out


def encode_device(device: str, name: str, written_at: float) -> bytes:
    return json.dumps({"format": DEVICE_FORMAT, "version": VERSION, "device": device, "name": name,
                       "written_at": written_at}, ensure_ascii=False).encode() + b"\n"


def decode_device(data: bytes) -> tuple[str, str, float]:
    """(device id, name, written_at) from a device file."""
    d = _loads(data.strip(), "the device file")
    if d.get("format") != DEVICE_FORMAT:
        raise FormatError("not a FocusGuard device file")
    return _text(d, "device"), _text(d, "name"), _number(d, "written_at")

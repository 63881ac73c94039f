"""ActivityWatch history as FocusGuard history, so switching costs no past.

ActivityWatch stores what was on screen as *buckets* of *events*: the window watcher's
bucket (type ``currentwindow``) holds ``{timestamp, duration, data: {app, title}}``,
the AFK watcher's (type ``afkstatus``) says when the user was away
(``data: {status: "afk" | "not-afk"}``). Three shapes of file carry them:

* the web UI's "Export all buckets" and ``GET /api/0/export``:
  ``{"buckets": {ID: {id, type, client, hostname, created, events: [...]}}}``;
* one bucket's export (web UI or ``GET /api/0/buckets/ID/export``): the same shape
  with one bucket;
* ``GET /api/0/buckets/ID/events``: a bare list of events (window or AFK events,
  told apart by their data).

This module is pure: it parses (every problem is an :class:`AwImportError` naming
the place in the file, raised before anything is written) and turns the events into
:class:`ImportedEvent` values classified with the *current* rules. Three things
keep the imported time honest:

* AFK time becomes idle, as it would have been had FocusGuard been running;
* time FocusGuard recorded itself wins: imported events are cut around it, and
  overlapping ActivityWatch events (several hosts, watcher restarts) count once;
* every piece carries a key made of where it came from (the ActivityWatch event's
  start and the piece's start), so a second import of the same (or a newer) export
  adds nothing twice -- the store has a unique index on it.

One bad event must not corrupt every report after it (issue 11: a duration of 1e15
seconds made every later day 86,400 s unclassified and broke ``export``). So each
event is checked on its own: a duration up to a day, a time from 1990 to a day from
now, app and title strings. One that fails is skipped and counted by reason
(:meth:`AwExport.skipped_text`); the rest is imported.
"""

from __future__ import annotations

import bisect
import json
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Final

from focusguard.core.model import Declaration, ImportedEvent, Sample, Span
from focusguard.core.rules import Classifier
from focusguard.core.timefmt import local_date

WINDOW_TYPE = "currentwindow"
AFK_TYPE = "afkstatus"
KEY_PREFIX = "aw:"

#: An event longer than this is skipped: ActivityWatch's heartbeats merge into events
#: of minutes, and a day is the most any one report row may hold.
MAX_EVENT_SECONDS: Final = 86_400.0
#: Events starting before this, or ending more than a day after now, are skipped.
EARLIEST: Final = datetime(1990, 1, 1, tzinfo=UTC).timestamp()
FUTURE_SLACK_SECONDS: Final = 86_400.0

# Why an event was skipped, worded to follow "N events" (in the order reported).
NOT_AN_OBJECT: Final = "that are not JSON objects"
NO_TIME: Final = "without an ISO 8601 timestamp"
TOO_EARLY: Final = "dated before 1990"
IN_FUTURE: Final = "dated in the future"
NOT_A_NUMBER: Final = "whose duration is not a number"
NEGATIVE: Final = "with a negative duration"
TOO_LONG: Final = "with a duration over a day"
NO_WINDOW: Final = "without app and title strings"
NO_STATUS: Final = 'without an "afk" or "not-afk" status'
REASONS: Final = (NOT_AN_OBJECT, NO_TIME, TOO_EARLY, IN_FUTURE, NOT_A_NUMBER, NEGATIVE, TOO_LONG, NO_WINDOW, NO_STATUS)


class AwImportError(Exception):
    """The file is not an ActivityWatch export we can read; the message says where."""


class _Skip(Exception):
    """One event is unusable; ``args[0]`` is one of REASONS."""


@dataclass(frozen=True, slots=True)
class WindowEvent:
    """One window event of ActivityWatch: this app and title from start to end."""

    start: float
    end: float
    app: str
    title: str


@dataclass(frozen=True, slots=True)
class WindowBucket:
    id: str
    hostname: str
    events: tuple[WindowEvent, ...]


@dataclass(frozen=True, slots=True)
class AwExport:
    """What a file holds that FocusGuard can use. ``afk`` maps a hostname to the
    merged spans its AFK watcher reported as away (``""`` for a bare event list)."""

    windows: tuple[WindowBucket, ...]
    afk: Mapping[str, tuple[Span, ...]]
    ignored: tuple[str, ...] = ()  # buckets of other watchers (web, editors), by id
    skipped: tuple[tuple[str, int], ...] = ()  # (reason, events), in REASONS order

    @property
    def event_count(self) -> int:
        return sum(len(b.events) for b in self.windows)

    def skipped_text(self) -> str:
        """'skipped 3 events: 1 with a duration over a day, 2 dated in the future' ('' if none)."""
        total = sum(n for _, n in self.skipped)
        if not total:
            return ""
        parts = ", ".join(f"{n} {reason}" for reason, n in self.skipped)
        return f"skipped {total} event{'' if total == 1 else 's'}: {parts}"


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The events to store, and what was left out and why (for the user's report)."""

    events: tuple[ImportedEvent, ...]
    idle_seconds: float  # of the events, the time the AFK watcher said you were away
    already_recorded_seconds: float  # left out: FocusGuard recorded that time itself
    too_old: int  # ActivityWatch events that ended before the retention window


# --------------------------------------------------------------------------- parsing


def read_export(path: Path, now: float | None = None) -> AwExport:
    """Read and parse an export file; every failure is an AwImportError naming the file."""
    return parse_export(read_json(path), source=path.name, now=now)


def read_json(path: Path) -> object:
    """The file's JSON, or AwImportError saying why it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AwImportError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise AwImportError(f"{path}: not a text file (UTF-8 expected)") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise AwImportError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from exc


def parse_export(data: object, source: str = "export", now: float | None = None) -> AwExport:
    """Parse any of the accepted shapes (see the module docstring). Events that fail
    the checks are skipped and counted (``now``: the clock that says what is future)."""
    check = _Checks(time.time() if now is None else now)
    if isinstance(data, list):
        return _parse_event_list(data, source, check)
    if not isinstance(data, dict) or not isinstance(data.get("buckets"), dict):
        raise AwImportError(
            f"{source}: not an ActivityWatch export: expected {{\"buckets\": {{...}}}} "
            "(web UI export) or a list of events (REST API)"
        )
    windows: list[WindowBucket] = []
    afk: dict[str, list[Span]] = {}
    ignored: list[str] = []
    for bucket_id, bucket in data["buckets"].items():
        where = f"{source}: buckets.{bucket_id}"
        if not isinstance(bucket, dict):
            raise AwImportError(f"{where}: must be an object, got {_json_type(bucket)}")
        kind = bucket.get("type")
        events = bucket.get("events")
        if kind not in (WINDOW_TYPE, AFK_TYPE):
            ignored.append(str(bucket_id))
            continue
        if not isinstance(events, list):
            raise AwImportError(f"{where}.events: missing (an export includes the events)")
        hostname = str(bucket.get("hostname") or "")
        if kind == WINDOW_TYPE:
            windows.append(WindowBucket(str(bucket_id), hostname, _window_events(events, check)))
        else:
            afk.setdefault(hostname, []).extend(_afk_spans(events, check))
    if not windows:
        found = ", ".join(map(str, data["buckets"])) or "none"
        raise AwImportError(
            f"{source}: no window bucket (type {WINDOW_TYPE!r}, from aw-watcher-window) in this "
            f"export; buckets found: {found}"
        )
    afk_spans = {host: tuple(merge(spans)) for host, spans in afk.items()}
    return AwExport(tuple(windows), afk_spans, tuple(ignored), check.skipped())


def _parse_event_list(data: list[object], source: str, check: _Checks) -> AwExport:
    """A REST API event list: window events if they carry app/title, else AFK events."""
    if not data:
        raise AwImportError(f"{source}: the list of events is empty")
    first = data[0].get("data") if isinstance(data[0], dict) else None
    if isinstance(first, dict) and "status" in first and "app" not in first:
        raise AwImportError(
            f"{source}: these are AFK events only; import the window bucket's events "
            "(or the web UI's \"Export all buckets\" file, which has both)"
        )
    bucket = WindowBucket("events", "", _window_events(data, check))
    return AwExport((bucket,), {}, (), check.skipped())


class _Checks:
    """Checks events one by one against a fixed ``now``, counting what it skips."""

    def __init__(self, now: float) -> None:
        self.latest = now + FUTURE_SLACK_SECONDS
        self.counts: Counter[str] = Counter()

    def skipped(self) -> tuple[tuple[str, int], ...]:
        return tuple((reason, self.counts[reason]) for reason in REASONS if self.counts[reason])

    def event(self, raw: object) -> tuple[Span, dict[str, object]] | None:
        """An event's time span and data, or None (counted) when it fails a check."""
        try:
            if not isinstance(raw, dict):
                raise _Skip(NOT_AN_OBJECT)
            start = _timestamp(raw.get("timestamp"))
            duration = _duration(raw.get("duration"))
            if start < EARLIEST:
                raise _Skip(TOO_EARLY)
            if start + duration > self.latest:
                raise _Skip(IN_FUTURE)
            data = raw.get("data")
            return Span(start, start + duration), data if isinstance(data, dict) else {}
        except _Skip as skip:
            self.counts[skip.args[0]] += 1
            return None

    def skip(self, reason: str) -> None:
        self.counts[reason] += 1


def _window_events(events: list[object], check: _Checks) -> tuple[WindowEvent, ...]:
    out = []
    for raw in events:
        event = check.event(raw)
        if event is None:
            continue
        span, data = event
        app, title = data.get("app"), data.get("title")
        if not isinstance(app, str) or not isinstance(title, str):
            check.skip(NO_WINDOW)
        elif span.seconds > 0:
            out.append(WindowEvent(span.start, span.end, app, title))
    return tuple(out)


def _afk_spans(events: list[object], check: _Checks) -> list[Span]:
    out = []
    for raw in events:
        event = check.event(raw)
        if event is None:
            continue
        span, data = event
        status = data.get("status")
        if status not in ("afk", "not-afk"):
            check.skip(NO_STATUS)
        elif status == "afk" and span.seconds > 0:
            out.append(span)
    return out


def _duration(value: object) -> float:
    """Seconds from 0 to MAX_EVENT_SECONDS, else _Skip. Compared before any float
    conversion: a JSON integer of 400 digits is a valid int that no float holds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Skip(NOT_A_NUMBER)
    if isinstance(value, float) and not math.isfinite(value):
        raise _Skip(NOT_A_NUMBER)
    if value < 0:
        raise _Skip(NEGATIVE)
    if value > MAX_EVENT_SECONDS:
        raise _Skip(TOO_LONG)
    return float(value)


def _timestamp(value: object) -> float:
    """ISO 8601 as ActivityWatch writes it (UTC, ``Z`` or ``+00:00``); naive means UTC."""
    if not isinstance(value, str):
        raise _Skip(NO_TIME)
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    except (ValueError, OverflowError, OSError):
        raise _Skip(NO_TIME) from None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


# --------------------------------------------------------------------------- spans


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with overlapping and touching spans joined."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if out and span.start <= out[-1].end:
            if span.end > out[-1].end:
                out[-1] = Span(out[-1].start, span.end)
        else:
            out.append(span)
    return out


def partition(span: Span, holes: Sequence[Span]) -> list[tuple[Span, bool]]:
    """``span`` cut at the edges of ``holes`` (merged, sorted): each piece with True
    when it lies inside a hole. Pieces are in order and cover ``span`` exactly."""
    pieces: list[tuple[Span, bool]] = []
    at = span.start
    first = bisect.bisect_right(holes, span.start, key=lambda h: h.end)  # the first hole ending after start
    for i in range(first, len(holes)):
        hole = holes[i]
        if hole.start >= span.end:
            break
        if hole.start > at:
            pieces.append((Span(at, hole.start), False))
        inside_end = min(hole.end, span.end)
        if inside_end > max(at, hole.start):
            pieces.append((Span(max(at, hole.start), inside_end), True))
        at = max(at, inside_end)
    if at < span.end:
        pieces.append((Span(at, span.end), False))
    return pieces


def subtract(span: Span, holes: Sequence[Span]) -> list[Span]:
    """The parts of ``span`` outside ``holes`` (merged, sorted)."""
    return [piece for piece, inside in partition(span, holes) if not inside]


# --------------------------------------------------------------------------- conversion


def priority_lookup(declarations: Sequence[Declaration], tz: tzinfo | None = None) -> Callable[[float], str | None]:
    """``at -> priority in effect``: the latest declaration made at or before ``at`` on
    the same local day (a declaration does not carry over to the next day)."""
    ordered = sorted(declarations, key=lambda d: d.at)
    times = [d.at for d in ordered]

    def at(moment: float) -> str | None:
        i = bisect.bisect_right(times, moment) - 1
        if i < 0:
            return None
        day = local_date(moment, tz)
        found = ordered[i]
        return found.activity if local_date(found.at, tz) == day else None

    return at


def plan_import(
    export: AwExport,
    classifier: Classifier,
    *,
    priority_at: Callable[[float], str | None] = lambda _: None,
    recorded: Sequence[Span] = (),
    since: float = -math.inf,
) -> ImportPlan:
    """The history to store from ``export``.

    ``recorded``: spans FocusGuard recorded itself (they win); ``since``: the start of
    the retention window (older time would be pruned at once, so it is left out).
    """
    taken = merge(recorded)
    events: list[ImportedEvent] = []
    idle = overlap = 0.0
    too_old = 0
    # One person, one timeline: across hosts and buckets, the earliest event wins.
    ordered = sorted(
        ((event, bucket.hostname) for bucket in export.windows for event in bucket.events),
        key=lambda pair: (pair[0].start, pair[0].end),
    )
    frontier = -math.inf
    for event, host in ordered:
        if event.end <= since:
            too_old += 1
            continue
        span = Span(max(event.start, since, frontier), event.end)
        frontier = max(frontier, event.end)
        if span.seconds <= 0:
            continue
        pieces = subtract(span, taken)
        overlap += span.seconds - sum(p.seconds for p in pieces)
        for piece in pieces:
            for part, away in partition(piece, export.afk.get(host, ())):
                sample = Sample(at=part.start, app=event.app, title=event.title, idle=away)
                classified = classifier.classify(sample, priority_at(part.start))
                key = f"{KEY_PREFIX}{event.start:.6f}:{part.start:.6f}"
                events.append(ImportedEvent(key, part.end, classified))
                idle += part.seconds if away else 0.0
    return ImportPlan(tuple(events), idle, overlap, too_old)

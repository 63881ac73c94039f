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
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from pathlib import Path

from focusguard.core.model import Classified, Declaration, Sample
from focusguard.core.rules import Classifier

WINDOW_TYPE = "currentwindow"
AFK_TYPE = "afkstatus"
KEY_PREFIX = "aw:"


class AwImportError(Exception):
    """The file is not an ActivityWatch export we can read; the message says where."""


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open stretch of time [start, end), POSIX seconds."""

    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


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

    @property
    def event_count(self) -> int:
        return sum(len(b.events) for b in self.windows)


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """A piece of history to store: ``classified.sample.at`` is its start.
    ``key`` identifies its origin, so importing it again is a no-op."""

    key: str
    end: float
    classified: Classified

    @property
    def start(self) -> float:
        return self.classified.sample.at


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The events to store, and what was left out and why (for the user's report)."""

    events: tuple[ImportedEvent, ...]
    idle_seconds: float  # of the events, the time the AFK watcher said you were away
    already_recorded_seconds: float  # left out: FocusGuard recorded that time itself
    too_old: int  # ActivityWatch events that ended before the retention window


# --------------------------------------------------------------------------- parsing


def read_export(path: Path) -> AwExport:
    """Read and parse an export file; every failure is an AwImportError naming the file."""
    return parse_export(read_json(path), source=path.name)


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


def parse_export(data: object, source: str = "export") -> AwExport:
    """Parse any of the accepted shapes (see the module docstring)."""
    if isinstance(data, list):
        return _parse_event_list(data, source)
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
            windows.append(WindowBucket(str(bucket_id), hostname, _window_events(events, f"{where}.events")))
        else:
            afk.setdefault(hostname, []).extend(_afk_spans(events, f"{where}.events"))
    if not windows:
        found = ", ".join(map(str, data["buckets"])) or "none"
        raise AwImportError(
            f"{source}: no window bucket (type {WINDOW_TYPE!r}, from aw-watcher-window) in this "
            f"export; buckets found: {found}"
        )
    return AwExport(tuple(windows), {host: tuple(merge(spans)) for host, spans in afk.items()}, tuple(ignored))


def _parse_event_list(data: list[object], source: str) -> AwExport:
    """A REST API event list: window events if they carry app/title, else AFK events."""
    if not data:
        raise AwImportError(f"{source}: the list of events is empty")
    first = data[0].get("data") if isinstance(data[0], dict) else None
    if isinstance(first, dict) and "status" in first and "app" not in first:
        raise AwImportError(
            f"{source}: these are AFK events only; import the window bucket's events "
            "(or the web UI's \"Export all buckets\" file, which has both)"
        )
    bucket = WindowBucket("events", "", _window_events(data, f"{source}: events"))
    return AwExport((bucket,), {})


def _window_events(events: list[object], where: str) -> tuple[WindowEvent, ...]:
    out = []
    for i, raw in enumerate(events):
        span, data = _event(raw, f"{where}[{i}]")
        app, title = data.get("app"), data.get("title")
        if not isinstance(app, str) or not isinstance(title, str):
            raise AwImportError(f"{where}[{i}].data: a window event needs app and title strings")
        if span.seconds > 0:
            out.append(WindowEvent(span.start, span.end, app, title))
    return tuple(out)


def _afk_spans(events: list[object], where: str) -> list[Span]:
    out = []
    for i, raw in enumerate(events):
        span, data = _event(raw, f"{where}[{i}]")
        status = data.get("status")
        if status not in ("afk", "not-afk"):
            raise AwImportError(f'{where}[{i}].data.status: must be "afk" or "not-afk", got {status!r}')
        if status == "afk" and span.seconds > 0:
            out.append(span)
    return out


def _event(raw: object, where: str) -> tuple[Span, dict[str, object]]:
    """An event's time span and data, checked."""
    if not isinstance(raw, dict):
        raise AwImportError(f"{where}: an event must be an object, got {_json_type(raw)}")
    start = _timestamp(raw.get("timestamp"), f"{where}.timestamp")
    duration = raw.get("duration")
    if isinstance(duration, bool) or not isinstance(duration, int | float) or not math.isfinite(duration):
        raise AwImportError(f"{where}.duration: must be a number of seconds, got {duration!r}")
    if duration < 0:
        raise AwImportError(f"{where}.duration: must not be negative, got {duration!r}")
    data = raw.get("data")
    if not isinstance(data, dict):
        raise AwImportError(f"{where}.data: must be an object, got {_json_type(data)}")
    return Span(start, start + float(duration)), data


def _timestamp(value: object, where: str) -> float:
    """ISO 8601 as ActivityWatch writes it (UTC, ``Z`` or ``+00:00``); naive means UTC."""
    if not isinstance(value, str):
        raise AwImportError(f"{where}: must be an ISO 8601 time string, got {_json_type(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise AwImportError(f"{where}: not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


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
        day = datetime.fromtimestamp(moment, tz).date()
        found = ordered[i]
        return found.activity if datetime.fromtimestamp(found.at, tz).date() == day else None

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

"""Idle time on X11 from the SYNC extension's IDLETIME counter, with alarms.

MIT-SCREEN-SAVER answers "how long idle?" only when asked: a round trip every
tick, all day, while the user types. The SYNC extension can tell instead. Two
alarms on the server's IDLETIME counter (milliseconds since the last input) do it:

* a positive transition at ``threshold``: the user has just been away that long;
* a negative transition at ``threshold``: input again after such an absence.

Between the two the probe knows the idle time without asking: from the first
alarm on it is the counter's value in the event plus the time since; before it,
the user touched keyboard or mouse less than ``threshold`` ago and the probe says
0 (FocusGuard only asks whether the idle time passed ``idle_after_minutes``, at
least half a minute). Nothing is sent to the server while the user types.

python-xlib has no SYNC binding: the few requests used are described here with its
``rq`` toolkit, after syncproto.h (SYNC 3.0).
"""

from __future__ import annotations

import logging
import struct
import time
from collections.abc import Callable
from typing import Any

from Xlib.protocol import rq

log = logging.getLogger(__name__)

#: Below this the exact idle time is not followed (config: idle_after_minutes >= 0.5).
DEFAULT_THRESHOLD_SECONDS = 30.0

_ALARM_NOTIFY = 1  # event base + 1
_CA_COUNTER, _CA_VALUE_TYPE, _CA_VALUE, _CA_TEST_TYPE, _CA_DELTA, _CA_EVENTS = (1 << i for i in range(6))
_ABSOLUTE = 0
_POSITIVE_TRANSITION, _NEGATIVE_TRANSITION = 0, 1


class _Initialize(rq.ReplyRequest):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(0), rq.RequestLength(),
                         rq.Card8("major_version"), rq.Card8("minor_version"), rq.Pad(2))
    _reply = rq.Struct(rq.ReplyCode(), rq.Pad(1), rq.Card16("sequence_number"), rq.ReplyLength(),
                       rq.Card8("major_version"), rq.Card8("minor_version"), rq.Pad(22))


class _ListSystemCounters(rq.ReplyRequest):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(1), rq.RequestLength())
    _reply = rq.Struct(rq.ReplyCode(), rq.Pad(1), rq.Card16("sequence_number"), rq.ReplyLength(),
                       rq.Card32("count"), rq.Pad(20), rq.Binary("counters"))


class _QueryCounter(rq.ReplyRequest):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(5), rq.RequestLength(), rq.Card32("counter"))
    _reply = rq.Struct(rq.ReplyCode(), rq.Pad(1), rq.Card16("sequence_number"), rq.ReplyLength(),
                       rq.Int32("value_hi"), rq.Card32("value_lo"), rq.Pad(16))


class _CreateAlarm(rq.Request):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(8), rq.RequestLength(),
                         rq.Card32("alarm"), rq.Card32("mask"), rq.Binary("values"))


class _ChangeAlarm(rq.Request):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(9), rq.RequestLength(),
                         rq.Card32("alarm"), rq.Card32("mask"), rq.Binary("values"))


class _DestroyAlarm(rq.Request):
    _request = rq.Struct(rq.Card8("opcode"), rq.Opcode(11), rq.RequestLength(), rq.Card32("alarm"))


class AlarmNotify(rq.Event):
    _code = None
    _fields = rq.Struct(rq.Card8("type"), rq.Card8("kind"), rq.Card16("sequence_number"),
                        rq.Card32("alarm"), rq.Int32("counter_value_hi"), rq.Card32("counter_value_lo"),
                        rq.Int32("alarm_value_hi"), rq.Card32("alarm_value_lo"), rq.Card32("time"),
                        rq.Card8("state"), rq.Pad(3))


def _int64(hi: int, lo: int) -> int:
    return (hi << 32) | lo


def _split(value: int) -> tuple[int, int]:
    return value >> 32, value & 0xFFFFFFFF


def parse_system_counters(data: bytes, count: int) -> dict[str, int]:
    """Name -> counter id from ListSystemCounters' list: each entry is counter (4),
    resolution (8), name length (2) and the name, padded to 4 bytes as a whole."""
    counters: dict[str, int] = {}
    offset = 0
    for _ in range(count):
        counter, _hi, _lo, length = struct.unpack_from("=IiIH", data, offset)
        name = data[offset + 14:offset + 14 + length].decode("latin-1")
        counters[name] = counter
        offset += (14 + length + 3) & ~3
    return counters


class XSyncIdleProbe:
    """Idle time from IDLETIME alarms; an ``EventSource`` (see the module docstring).

    ``clock`` is monotonic seconds (injectable for tests)."""

    def __init__(self, display: Any, *, threshold: float = DEFAULT_THRESHOLD_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        import Xlib.error

        self._display = display
        self._clock = clock
        self._lost = (Xlib.error.ConnectionClosedError, OSError)
        ext = display.query_extension("SYNC")
        if ext is None:
            raise RuntimeError("the X server has no SYNC extension")
        self._opcode = ext.major_opcode
        proto = display.display
        _Initialize(display=proto, opcode=self._opcode, major_version=3, minor_version=0)
        reply = _ListSystemCounters(display=proto, opcode=self._opcode)
        counter = parse_system_counters(bytes(reply.counters), reply.count).get("IDLETIME")
        if counter is None:
            raise RuntimeError("the X server's SYNC extension has no IDLETIME counter")
        self._counter = counter
        display.extension_add_event(ext.first_event + _ALARM_NOTIFY, AlarmNotify, "SyncAlarmNotify")
        self._notify_type = ext.first_event + _ALARM_NOTIFY
        value = _QueryCounter(display=proto, opcode=self._opcode, counter=counter)
        idle_ms = _int64(value.value_hi, value.value_lo)
        self._threshold_ms = int(threshold * 1000)
        self._idle_since: float | None = None
        if idle_ms >= self._threshold_ms:
            self._idle_since = clock() - idle_ms / 1000.0
        self._away = self._alarm(_POSITIVE_TRANSITION)
        self._back = self._alarm(_NEGATIVE_TRANSITION)
        display.sync()  # an error in the alarms shows here, not at some later read

    @classmethod
    def open(cls, threshold: float = DEFAULT_THRESHOLD_SECONDS) -> XSyncIdleProbe:
        """Connect to $DISPLAY; raises RuntimeError saying why that is not possible."""
        import Xlib.display
        import Xlib.error

        try:
            display = Xlib.display.Display()
        except Exception as err:  # DisplayNameError, DisplayConnectionError
            raise RuntimeError(f"cannot open the X display: {err}") from err
        try:
            return cls(display, threshold=threshold)
        except Xlib.error.XError as err:
            display.close()
            raise RuntimeError(f"the X server refused the idle alarms: {err}") from err
        except BaseException:
            display.close()
            raise

    def _values(self, test: int) -> bytes:
        hi, lo = _split(self._threshold_ms)
        return struct.pack("=IIiIIiII", self._counter, _ABSOLUTE, hi, lo, test, 0, 0, 1)

    def _alarm(self, test: int) -> int:
        alarm = self._display.display.allocate_resource_id()
        mask = _CA_COUNTER | _CA_VALUE_TYPE | _CA_VALUE | _CA_TEST_TYPE | _CA_DELTA | _CA_EVENTS
        _CreateAlarm(display=self._display.display, opcode=self._opcode, alarm=alarm, mask=mask,
                     values=self._values(test))
        return alarm

    def _rearm(self, alarm: int, test: int) -> None:
        """Some X servers leave a triggered alarm inactive; setting it again re-arms it."""
        hi, lo = _split(self._threshold_ms)
        _ChangeAlarm(display=self._display.display, opcode=self._opcode, alarm=alarm,
                     mask=_CA_VALUE | _CA_TEST_TYPE, values=struct.pack("=iII", hi, lo, test))

    # --- EventSource ------------------------------------------------------------------

    def fileno(self) -> int:
        return self._display.fileno()

    def dispatch(self) -> bool:
        """Take in alarms without blocking; True when the user went away or came back."""
        before = self._idle_since is None
        self._take_events()
        return (self._idle_since is None) != before

    # --- IdleProbe --------------------------------------------------------------------

    def idle_seconds(self) -> float | None:
        try:
            self._take_events()
        except RuntimeError as err:
            log.debug("X idle alarms unreadable: %s", err)
            return None
        if self._idle_since is None:
            return 0.0
        return max(0.0, self._clock() - self._idle_since)

    def close(self) -> None:
        self._display.close()

    def _take_events(self) -> None:
        try:
            while self._display.pending_events():
                event = self._display.next_event()
                if event.type != self._notify_type:
                    continue
                if event.alarm == self._away:
                    idle_ms = _int64(event.counter_value_hi, event.counter_value_lo)
                    self._idle_since = self._clock() - idle_ms / 1000.0
                    self._rearm(self._away, _POSITIVE_TRANSITION)
                elif event.alarm == self._back:
                    self._idle_since = None
                    self._rearm(self._back, _NEGATIVE_TRANSITION)
            self._display.flush()
        except self._lost as err:
            raise RuntimeError(f"the connection to the display was lost ({err})") from err

"""Idle time on GNOME: Mutter's IdleMonitor, told rather than asked.

XWayland's own counter only sees input sent to X windows, so it would report the
user idle while they type into native Wayland apps; GNOME offers no Wayland idle
protocol to clients, so the shell's IdleMonitor is the one source.

Asking it every sample (``GetIdletime``) would wake the app and the shell every
second all day. Its watches tell instead, as the Wayland idle protocols do: an idle
watch fires once no input came for ``TIMEOUT`` seconds, a user-active watch (one-shot,
added again after each absence) at the next input. Between the two the idle time is
the timeout plus the time since the first (``IdleClock``); before it, less than the
timeout, reported as 0. Nothing is sent on the bus while the user types. The probe
is an ``EventSource``: the sampler reads the watches' signals off its socket.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType, message_bus
from jeepney.wrappers import new_method_call

from focusguard.platform.wayland.bus import Connection, open_session_bus, take_signals
from focusguard.platform.wayland.idle import TIMEOUT, IdleClock
from focusguard.platform.window import ProbeUnavailable

log = logging.getLogger(__name__)

IDLE_MONITOR = DBusAddress("/org/gnome/Mutter/IdleMonitor/Core", bus_name="org.gnome.Mutter.IdleMonitor",
                           interface="org.gnome.Mutter.IdleMonitor")
#: How long Mutter may take to answer a call before the probe counts it as gone.
CALL_TIMEOUT = 1.0


class MutterIdleProbe:
    """``idle_seconds()`` from GNOME's IdleMonitor watches; an ``EventSource``."""

    name = "GNOME IdleMonitor"

    def __init__(self, connection: Connection, *, timeout: float = TIMEOUT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._conn = connection
        self._idle = IdleClock(timeout, clock)
        self._lost = False
        self.why = ""
        self._queue: deque[Message] = deque()
        rule = MatchRule(type="signal", interface=IDLE_MONITOR.interface, member="WatchFired",
                         path=IDLE_MONITOR.object_path)
        self._filter = connection.filter(rule, queue=self._queue)
        self._send(message_bus.AddMatch(rule))
        self._idle_watch = self._call("AddIdleWatch", "t", int(timeout * 1000))
        self._active_watch: int | None = None
        idle_ms = self._call("GetIdletime")
        if idle_ms >= timeout * 1000:  # away already: the watch fires only at the next absence
            self._idle.idled(since=clock() - (idle_ms / 1000.0 - timeout))
            self._active_watch = self._call("AddUserActiveWatch")

    @classmethod
    def open(cls, env: Mapping[str, str] = os.environ) -> MutterIdleProbe:
        """The probe on the session ``env`` names; ProbeUnavailable when GNOME's idle
        monitor is not there to answer."""
        connection = open_session_bus(env)
        try:
            return cls(connection)
        except ProbeUnavailable as err:
            connection.close()
            raise ProbeUnavailable(f"GNOME's IdleMonitor does not answer on the session bus ({err})") from None
        except BaseException:
            connection.close()
            raise

    def _send(self, message: Message) -> tuple[Any, ...]:
        try:
            reply = self._conn.send_and_get_reply(message, timeout=CALL_TIMEOUT)
        except (OSError, TimeoutError) as err:
            raise ProbeUnavailable(f"no answer: {err}") from err
        if reply.header.message_type is MessageType.error:
            raise ProbeUnavailable(str(reply.body[0]) if reply.body else "an error reply")
        return tuple(reply.body)

    def _call(self, method: str, signature: str | None = None, *args: Any) -> int:
        return int(self._send(new_method_call(IDLE_MONITOR, method, signature, args))[0])

    # --- EventSource ------------------------------------------------------------------

    def fileno(self) -> int:
        return int(self._conn.sock.fileno())

    def dispatch(self) -> bool:
        """Take in the watches that fired, without blocking; True when the user went
        away or came back."""
        take_signals(self._conn, self._queue)
        was = self._idle.idle
        while self._queue:
            message = self._queue.popleft()
            if message.header.fields.get(HeaderFields.member) != "WatchFired":
                continue
            watch = message.body[0]
            if watch == self._idle_watch and not self._idle.idle:
                self._idle.idled()
                self._active_watch = self._call("AddUserActiveWatch")  # one-shot: asked each absence
            elif watch == self._active_watch:
                self._idle.resumed()
                self._active_watch = None
        return self._idle.idle != was

    # --- IdleProbe --------------------------------------------------------------------

    def idle_seconds(self) -> float | None:
        """Seconds since the last input (0 for less than the timeout); None once the
        shell stopped answering."""
        if self._lost:
            return None
        try:
            self.dispatch()  # cheap when nothing waits: one recvmsg
        except ProbeUnavailable as err:
            self._lost, self.why = True, str(err)
            log.warning("GNOME's idle monitor is gone: %s", err)
            return None
        return self._idle.idle_seconds()

    def close(self) -> None:
        self._filter.close()
        self._conn.close()

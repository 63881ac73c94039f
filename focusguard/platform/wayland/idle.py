"""How long the user has been idle on a Wayland compositor other than GNOME's.

No Wayland protocol tells the idle time outright: a client asks to be told once no
input came for a while. So the probe registers one notification with a short
timeout (``TIMEOUT`` seconds): after its "idled" event the user has been idle for
the timeout plus the time since the event; after "resumed" (or before any event),
for less than the timeout, reported as 0. The protocols, best first:

- ``ext-idle-notify-v1`` version 2, ``get_input_idle_notification``: only input
  counts, so a playing video (which holds an idle inhibitor) does not make an
  absent user look present;
- ``ext-idle-notify-v1`` version 1 (sway 1.10, Hyprland, river, labwc, niri):
  idle inhibitors hold the notification back;
- ``org_kde_kwin_idle`` (KWin 5, sway 1.7 and other wlroots before 0.17).

A limit of all three: the timeout starts when the probe starts, so a user already
away then shows as idle only ``TIMEOUT`` seconds later.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from focusguard.platform.wayland.connection import Connection
from focusguard.platform.window import ProbeUnavailable

log = logging.getLogger(__name__)

TIMEOUT = 5.0  # seconds


class IdleClock:
    """The idle arithmetic, free of any I/O: fed the two events, it answers
    ``idle_seconds()``."""

    def __init__(self, timeout: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout = timeout
        self._clock = clock
        self._idled_at: float | None = None

    def idled(self, *_args: Any, since: float | None = None) -> None:
        """The timeout passed, now or at ``since`` (the clock's time)."""
        self._idled_at = self._clock() if since is None else since

    def resumed(self, *_args: Any) -> None:
        self._idled_at = None

    @property
    def idle(self) -> bool:
        return self._idled_at is not None

    def idle_seconds(self) -> float:
        if self._idled_at is None:
            return 0.0
        return self.timeout + max(0.0, self._clock() - self._idled_at)


class WaylandIdleProbe:
    """An ``IdleProbe`` (and ``EventSource``) over ext-idle-notify-v1 or org_kde_kwin_idle."""

    why = ""

    def __init__(self, connection: Connection, timeout: float = TIMEOUT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._conn = connection
        self._idle = IdleClock(timeout, clock)
        self._lost = ""
        seat = connection.seat()
        millis = round(timeout * 1000)
        ext_version = connection.offers("ext_idle_notifier_v1")
        if ext_version:
            from pywayland.protocol.ext_idle_notify_v1 import ExtIdleNotifierV1

            # version 2 needs the compositor's support and a pywayland that knows it
            version = min(ext_version, ExtIdleNotifierV1.version, 2)
            notifier = connection.bind(ExtIdleNotifierV1, version)
            if version >= 2:
                self.name = "ext-idle-notify-v1 (input only)"
                self._notification = notifier.get_input_idle_notification(millis, seat)
            else:
                self.name = "ext-idle-notify-v1"
                self._notification = notifier.get_idle_notification(millis, seat)
            events = ("idled", "resumed")
        elif connection.offers("org_kde_kwin_idle"):
            from focusguard.platform.wayland.protocols.kde_idle import OrgKdeKwinIdle

            self.name = "org_kde_kwin_idle"
            self._notification = connection.bind(OrgKdeKwinIdle, 1).get_idle_timeout(seat, millis)
            events = ("idle", "resumed")
        else:
            raise ProbeUnavailable(
                "the Wayland compositor offers neither ext-idle-notify-v1 nor "
                "org_kde_kwin_idle, so the idle time cannot be read")
        self._notification.dispatcher[events[0]] = self._idle.idled
        self._notification.dispatcher[events[1]] = self._idle.resumed
        connection.drop_registry()  # no new objects come from the compositor
        connection.roundtrip()

    @classmethod
    def open(cls, env: Mapping[str, str] = os.environ, timeout: float = TIMEOUT) -> WaylandIdleProbe:
        """Connect to the compositor of ``env``; ProbeUnavailable says why not."""
        connection = Connection(env)
        try:
            return cls(connection, timeout)
        except BaseException:
            connection.close()
            raise

    def fileno(self) -> int:
        return self._conn.fileno()

    def dispatch(self) -> bool:
        """Handle the waiting events; True when the user went idle or came back."""
        if self._lost:
            return False
        was_idle = self._idle.idle
        try:
            self._conn.pump()
        except ProbeUnavailable as err:
            self._lost = err.why
            log.warning("idle time unreadable from now on: %s", err.why)
        return self._idle.idle != was_idle

    def idle_seconds(self) -> float | None:
        """Seconds since the last input (0 for less than the timeout); None once the
        compositor has gone."""
        self.dispatch()  # cheap when nothing waits: one recvmsg
        return None if self._lost else self._idle.idle_seconds()

    def close(self) -> None:
        self._conn.close()

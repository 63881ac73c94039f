"""Idle time on GNOME: Mutter's IdleMonitor, over one session-bus connection.

XWayland's own counter only sees input sent to X windows, so it would report the
user idle while they type into native Wayland apps; GNOME offers no Wayland idle
protocol to clients, so the shell's IdleMonitor is the one source. One method call
per sample on a connection kept open (about 0.1 ms), rather than a ``gdbus`` process
per sample (about 5 ms and a fork of the whole app).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from jeepney import DBusAddress, MessageType
from jeepney.wrappers import new_method_call

from focusguard.platform.wayland.bus import Connection, open_session_bus
from focusguard.platform.window import ProbeUnavailable

log = logging.getLogger(__name__)

IDLE_MONITOR = DBusAddress("/org/gnome/Mutter/IdleMonitor/Core", bus_name="org.gnome.Mutter.IdleMonitor",
                           interface="org.gnome.Mutter.IdleMonitor")
#: How long Mutter may take to answer before the sample goes on without idle time.
CALL_TIMEOUT = 1.0


class MutterIdleProbe:
    """``idle_seconds()`` from GNOME's IdleMonitor; None while it does not answer."""

    name = "GNOME IdleMonitor"

    def __init__(self, connection: Connection) -> None:
        self._conn = connection
        self.why = ""

    @classmethod
    def open(cls, env: Mapping[str, str] = os.environ) -> MutterIdleProbe:
        """The probe on the session ``env`` names; ProbeUnavailable when GNOME's idle
        monitor is not there to answer."""
        probe = cls(open_session_bus(env))
        if probe.idle_seconds() is None:
            probe.close()
            raise ProbeUnavailable(f"GNOME's IdleMonitor does not answer on the session bus ({probe.why})")
        return probe

    def idle_seconds(self) -> float | None:
        try:
            reply = self._conn.send_and_get_reply(new_method_call(IDLE_MONITOR, "GetIdletime"),
                                                  timeout=CALL_TIMEOUT)
        except (OSError, TimeoutError) as err:
            self.why = f"no answer: {err}"
            return None
        if reply.header.message_type is MessageType.error:
            self.why = str(reply.body[0]) if reply.body else "an error reply"
            return None
        self.why = ""
        return float(reply.body[0]) / 1000.0

    def close(self) -> None:
        self._conn.close()

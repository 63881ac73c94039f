"""The session bus, for the probes that talk to the desktop over D-Bus (the KWin
script, the GNOME Shell extension, Mutter's idle monitor): jeepney's blocking
connection, whose socket the sampler watches, in one place."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any, Protocol

from jeepney import MatchRule, Message, MessageType
from jeepney.wrappers import DBusErrorResponse

from focusguard.platform.window import ProbeUnavailable


class Connection(Protocol):
    """The part of jeepney's blocking ``DBusConnection`` the probe uses."""

    sock: Any  # a socket: readable when messages wait

    def send(self, message: Message) -> None: ...

    def send_and_get_reply(self, message: Message, *, timeout: float | None = None) -> Message: ...

    def receive(self, *, timeout: float | None = None) -> Message: ...

    def filter(self, rule: MatchRule, *, queue: deque[Message] | None = None) -> Any: ...

    def close(self) -> None: ...


def open_session_bus(env: Mapping[str, str]) -> Any:
    """jeepney's blocking connection to the session bus, or ProbeUnavailable."""
    from jeepney.io.blocking import open_dbus_connection

    address = env.get("DBUS_SESSION_BUS_ADDRESS")
    if not address:
        raise ProbeUnavailable("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
    try:
        return open_dbus_connection(address)
    except (OSError, TimeoutError, ValueError, DBusErrorResponse) as err:
        raise ProbeUnavailable(f"cannot connect to the D-Bus session bus: {err}") from err


def take_signals(connection: Connection, queue: deque[Message]) -> None:
    """Move the signals waiting on ``connection``'s socket into ``queue`` without
    blocking (the sampler calls this when the socket is readable); ProbeUnavailable
    when the bus went away."""
    while True:
        try:
            message = connection.receive(timeout=0)
        except TimeoutError:
            return
        except OSError as err:  # ConnectionResetError: the bus went away
            raise ProbeUnavailable(f"the session bus connection was lost ({err})") from err
        if message.header.message_type == MessageType.signal:
            queue.append(message)

"""The active window on wlroots compositors (Hyprland, river, labwc, wayfire, niri,
sway) through the wlr-foreign-toplevel-management-unstable-v1 protocol.

The compositor announces every toplevel and then pushes its title, app id and state
(activated, full screen); changes arrive double-buffered and take effect on "done".
So the probe keeps a table of toplevels from the events and answers
``active_window()`` from it without a round trip. The protocol gives no pid: the
app is named by its app id.
"""

from __future__ import annotations

import itertools
import logging
import os
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from focusguard.platform.wayland.connection import Connection
from focusguard.platform.window import ProbeUnavailable, WindowInfo

log = logging.getLogger(__name__)

MANAGER = "zwlr_foreign_toplevel_manager_v1"
ACTIVATED, FULLSCREEN = 2, 3  # zwlr_foreign_toplevel_handle_v1.state entries


def parse_states(data: bytes) -> set[int]:
    """The state event's array: native-endian uint32 values."""
    return set(struct.unpack(f"={len(data) // 4}I", data[: len(data) // 4 * 4]))


@dataclass
class Toplevel:
    """One toplevel as of its last "done", plus what arrived since (``pending``)."""

    title: str = ""
    app_id: str = ""
    states: set[int] = field(default_factory=set)
    activated_at: int = 0  # order of activation: the highest is the active one
    pending: dict[str, Any] = field(default_factory=dict)

    def info(self) -> WindowInfo:
        return WindowInfo(app=self.app_id, title=self.title, fullscreen=FULLSCREEN in self.states)


class ToplevelTable:
    """The toplevels as the protocol's events describe them, free of any I/O (the
    event handlers of ``WlrToplevelProbe`` call these with the handle as key)."""

    def __init__(self) -> None:
        self.toplevels: dict[Any, Toplevel] = {}
        self._clock = itertools.count(1)

    def add(self, key: Any) -> None:
        self.toplevels[key] = Toplevel()

    def set_pending(self, key: Any, attr: str, value: Any) -> None:
        self.toplevels[key].pending[attr] = value

    def done(self, key: Any) -> None:
        top = self.toplevels[key]
        was_active = ACTIVATED in top.states
        for attr, value in top.pending.items():
            setattr(top, attr, value)
        top.pending.clear()
        if ACTIVATED in top.states and not was_active:
            top.activated_at = next(self._clock)

    def remove(self, key: Any) -> None:
        self.toplevels.pop(key, None)

    def active(self) -> WindowInfo | None:
        live = [top for top in self.toplevels.values() if ACTIVATED in top.states]
        return max(live, key=lambda top: top.activated_at).info() if live else None

    def by_recency(self) -> list[tuple[Any, Toplevel]]:
        """Toplevels, the active ones first, then the most recently activated (the
        nearest the protocol comes to "topmost")."""
        return sorted(self.toplevels.items(),
                      key=lambda item: (ACTIVATED in item[1].states, item[1].activated_at), reverse=True)


class WlrToplevelProbe:
    """A ``WindowProbe`` and ``EventSource`` over wlr-foreign-toplevel-management."""

    name = "wlr-foreign-toplevel"

    def __init__(self, connection: Connection) -> None:
        from focusguard.platform.wayland.protocols.wlr_foreign_toplevel_management_unstable_v1 import (
            ZwlrForeignToplevelManagerV1,
        )

        self.warning = ""
        self._conn = connection
        self._table = ToplevelTable()
        self._lost = ""
        if not connection.offers(MANAGER):
            raise ProbeUnavailable(
                "the Wayland compositor does not offer wlr-foreign-toplevel-management "
                f"({MANAGER}), so the active window cannot be read")
        self._seat = connection.seat()
        # The registry stays: the toplevel handles are new objects (see connection.py).
        self._manager = connection.bind(ZwlrForeignToplevelManagerV1, 3)
        self._manager.dispatcher["toplevel"] = self._on_toplevel
        self._manager.dispatcher["finished"] = self._on_finished
        connection.roundtrip()  # the toplevels
        connection.roundtrip()  # their title, app id and state
        self._active = self._table.active()

    @classmethod
    def open(cls, env: Mapping[str, str] = os.environ) -> WlrToplevelProbe:
        """Connect to the compositor of ``env``; ProbeUnavailable says why not."""
        connection = Connection(env)
        try:
            return cls(connection)
        except BaseException:
            connection.close()
            raise

    # -- events ------------------------------------------------------------------

    def _on_toplevel(self, _manager: Any, handle: Any) -> None:
        self._conn.adopt(handle)
        table = self._table
        table.add(handle)
        handle.dispatcher["title"] = lambda h, title: table.set_pending(h, "title", title)
        handle.dispatcher["app_id"] = lambda h, app_id: table.set_pending(h, "app_id", app_id)
        handle.dispatcher["state"] = lambda h, data: table.set_pending(h, "states", parse_states(data))
        handle.dispatcher["done"] = lambda h: table.done(h)
        handle.dispatcher["closed"] = self._on_closed

    def _on_closed(self, handle: Any) -> None:
        self._table.remove(handle)
        handle.destroy()

    def _on_finished(self, _manager: Any) -> None:
        self._lost = "the compositor stopped reporting its windows (wlr-foreign-toplevel finished)"

    # -- WindowProbe / EventSource ---------------------------------------------

    def fileno(self) -> int:
        return self._conn.fileno()

    def dispatch(self) -> bool:
        """Handle the waiting events; True when the active window (or its title or
        full-screen state) changed."""
        self._check()
        try:
            self._conn.pump()
        except ProbeUnavailable as err:
            self._lost = err.why
            raise
        active = self._table.active()
        changed, self._active = active != self._active, active
        return changed

    def active_window(self) -> WindowInfo | None:
        self._check()
        return self._active

    def activate(self, predicate: Callable[[WindowInfo], bool]) -> bool:
        """Ask the compositor to activate the most recently active match."""
        self._check()
        for handle, top in self._table.by_recency():
            if predicate(top.info()):
                handle.activate(self._seat)
                self._conn.flush()
                return True
        return False

    def _check(self) -> None:
        if self._lost:
            raise ProbeUnavailable(self._lost)

    def close(self) -> None:
        self._conn.close()

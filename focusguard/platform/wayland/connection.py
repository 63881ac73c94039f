"""A pywayland client connection for the probes: connect, list globals, pump events.

The probes run on the sampler's thread and must never block it: ``pump`` reads only
what is already waiting on the socket (libwayland reads with MSG_DONTWAIT) and runs
the handlers of what it read. Every libwayland failure becomes ``ProbeUnavailable``
with a sentence for the user.

pywayland files an object the compositor creates (a new_id event, such as a new
toplevel) under the ``Display`` of *any* live ``wl_registry`` proxy in the process,
possibly another connection's. That connection's disconnect would then destroy the
object, and the object's own connection would free its memory first, so the garbage
collector would later destroy it a second time (libwayland aborts the process). So
``adopt()`` files such an object under its own connection, and a connection that
receives no new objects drops its registry (``drop_registry()``).
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pywayland.client import Display
from pywayland.protocol.wayland import WlSeat

from focusguard.platform.window import ProbeUnavailable

log = logging.getLogger(__name__)


def socket_path(env: Mapping[str, str]) -> str:
    """The compositor's socket from ``env`` (WAYLAND_DISPLAY under XDG_RUNTIME_DIR),
    absolute, so it works whatever this process's own environment says."""
    name = env.get("WAYLAND_DISPLAY", "")
    if not name:
        raise ProbeUnavailable("WAYLAND_DISPLAY is not set: this is not a Wayland session")
    if os.path.isabs(name):
        return name
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if not runtime:
        raise ProbeUnavailable("XDG_RUNTIME_DIR is not set, so the Wayland socket cannot be found")
    return str(Path(runtime) / name)


class Connection:
    """One connection to the compositor, with the globals it announced at connect."""

    def __init__(self, env: Mapping[str, str]) -> None:
        path = socket_path(env)
        self.display = Display(path)
        try:
            self.display.connect()
        except Exception as err:  # pywayland raises ValueError/RuntimeError
            raise ProbeUnavailable(f"cannot connect to the Wayland compositor at {path}: {err}") from err
        # Disconnected (proxies first) whenever this connection goes, even unclosed: left
        # to the garbage collector, the display may be freed before its proxies, whose
        # destructors then touch freed memory and the process dies (SIGSEGV) at exit.
        # pywayland keeps a display's proxies in a WeakSet, whose entries the collector
        # drops before any finalizer runs; held strongly, they are still there for
        # disconnect() to destroy first.
        self.display._children = set()  # type: ignore[assignment]
        self._disconnect = weakref.finalize(self, self.display.disconnect)
        self.registry: Any = self.display.get_registry()  # a WlRegistryProxy; None once dropped
        self.globals: dict[str, tuple[int, int]] = {}  # interface -> (name, version)
        self.registry.dispatcher["global"] = self._global
        self.roundtrip()

    def _global(self, _registry: Any, name: int, interface: str, version: int) -> None:
        self.globals.setdefault(interface, (name, version))

    def offers(self, interface: str) -> int:
        """The version of ``interface`` the compositor offers; 0 when it offers none."""
        return self.globals.get(interface, (0, 0))[1]

    def bind(self, interface: type, version: int) -> Any:
        """Bind the global of ``interface`` at ``min(version, offered)``."""
        assert self.registry is not None, "bind() after drop_registry()"
        name, offered = self.globals[interface.name]  # type: ignore[attr-defined]
        return self.registry.bind(name, interface, min(version, offered))

    def seat(self) -> WlSeat:
        if not self.offers("wl_seat"):
            raise ProbeUnavailable("the Wayland compositor offers no seat (wl_seat)")
        return self.bind(WlSeat, 1)

    def drop_registry(self) -> None:
        """Forget the registry (see the module docstring for why)."""
        if self.registry is not None:
            self.registry.dispatcher["global"] = None  # no cycle: freed at once
            self.registry.destroy()
            self.registry = None

    def adopt(self, proxy: Any) -> None:
        """File ``proxy``, an object the compositor created on this connection, under
        this connection's Display (see the module docstring)."""
        filed_under = proxy._display
        if filed_under is not self.display:
            filed_under._children.discard(proxy)
            proxy._display = self.display
        # a new object: a good moment to let go of those destroyed since (closed windows)
        self.display._children = {  # type: ignore[assignment]
            child for child in self.display._children if not child.destroyed}
        self.display._children.add(proxy)

    def roundtrip(self) -> None:
        if self.display.roundtrip() < 0:
            raise ProbeUnavailable(f"the Wayland compositor closed the connection ({self._error()})")

    def fileno(self) -> int:
        return self.display.get_fd()

    def pump(self) -> None:
        """Read the events waiting on the socket, without blocking, and handle them."""
        try:
            self.display.read()  # prepare_read + read_events (MSG_DONTWAIT)
            self.display.dispatch(block=False)
            self.display.flush()
        except RuntimeError as err:
            raise ProbeUnavailable(
                f"the connection to the Wayland compositor was lost ({self._error() or err})"
            ) from err

    def flush(self) -> None:
        self.display.flush()

    def _error(self) -> str:
        from pywayland._ffi import lib

        code = lib.wl_display_get_error(self.display._ptr) if self.display._ptr else 0
        return os.strerror(code) if code else ""

    def close(self) -> None:
        """Destroy every proxy of this connection, then disconnect (once)."""
        self._disconnect()

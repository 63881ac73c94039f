"""GNOME (Mutter): the active window, published by FocusGuard's GNOME Shell extension.

Mutter tells no other program which window has the focus; only code inside the
shell can see it. ``focusguard setup gnome`` installs a small extension
(``gnome_extension/``) that owns ``io.github.focusguard.Shell`` on the session bus
and emits ``FocusChanged`` (id, title, app id, wm_class, pid, full screen) on every
focus change and every title, class or full-screen change of the focused window.
``GnomeShellProbe`` keeps the last one, so ``active_window()`` costs no round trip;
it is an EventSource (see focusguard.platform.window): the sampler watches the bus
socket and calls ``dispatch()``. "Back to <priority>" lists the windows (most
recently used first) and asks the extension to activate one; ``place()`` asks it to
move one of FocusGuard's own windows (Mutter centres new windows).

When the extension is not there, ``open()`` asks the shell what it knows about it
(org.gnome.Shell.Extensions) so the reason names the one thing to do.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType
from jeepney.bus_messages import message_bus
from jeepney.wrappers import DBusErrorResponse, new_method_call

from focusguard.platform.wayland.bus import Connection, open_session_bus, take_signals
from focusguard.platform.wayland.gnome_setup import BUS_NAME, UUID, extension_dir
from focusguard.platform.window import ProbeUnavailable, ProcessCache, WindowInfo

log = logging.getLogger(__name__)

OBJECT_PATH = "/io/github/focusguard/Shell"
INTERFACE = "io.github.focusguard.Shell1"
EXTENSION = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=INTERFACE)
SHELL = "org.gnome.Shell"
SHELL_EXTENSIONS = DBusAddress("/org/gnome/Shell", bus_name=SHELL, interface="org.gnome.Shell.Extensions")
#: How long the shell may take to answer.
CALL_TIMEOUT = 3.0
SETUP = "run `focusguard setup gnome`, then log out and log in once"

#: (id, title, app id, wm_class, pid, full screen), as the extension sends a window.
Fields = tuple[int, str, str, str, int, bool]


def describe(fields: Sequence[Any], processes: ProcessCache) -> WindowInfo | None:
    """The extension's window fields as a WindowInfo (None for "no window"): the app
    is the process's name, else the app's id without ".desktop", else the class.

    Mutter reads a window's pid from the kernel, not from the client (a Wayland
    client's socket credentials; XWayland's XRes client ids), so unlike
    ``_NET_WM_PID`` on X11 it can be trusted as it is, even for sandboxed apps.
    """
    window_id, title, app_id, wm_class, pid, fullscreen = fields
    if not window_id:
        return None
    proc = processes.lookup(pid) if pid > 0 else None
    if proc is not None and proc.name:
        return WindowInfo(proc.name, title, proc.exe, pid, wm_class, bool(fullscreen))
    app = app_id.removesuffix(".desktop") or wm_class
    return WindowInfo(app, title, "", None, wm_class, bool(fullscreen))


#: org.gnome.Shell.Extensions' states (GNOME 43-44 names; 45+ renamed 1 and 2 ACTIVE/INACTIVE).
_ENABLED, _DISABLED, _ERROR, _OUT_OF_DATE, _INITIALIZED = 1, 2, 3, 4, 6


def explain(info: dict[str, Any], installed: bool) -> str:
    """Why the extension is not answering, from GetExtensionInfo's reply (empty when
    the shell does not know it) and whether its folder exists."""
    if not info:
        if installed:
            return ("FocusGuard's GNOME Shell extension is installed but GNOME Shell has not "
                    "loaded it yet: log out and log in once (GNOME Shell on Wayland loads new "
                    "extensions only at login; `focusguard setup gnome` checks the setup)")
        return f"FocusGuard's GNOME Shell extension is not installed: {SETUP}"
    state = int(info.get("state", 0))
    if state in (_DISABLED, _INITIALIZED):
        return ("FocusGuard's GNOME Shell extension is installed but not enabled: run "
                "`focusguard setup gnome` (or switch FocusGuard on in the Extensions app)")
    if state == _ERROR:
        error = str(info.get("error", "")).strip() or "no reason given"
        return f"FocusGuard's GNOME Shell extension failed to start ({error}): {SETUP}"
    if state == _OUT_OF_DATE:
        return f"FocusGuard's GNOME Shell extension is not the one for this GNOME version: {SETUP}"
    return ("FocusGuard's GNOME Shell extension is enabled but not answering yet; if this "
            f"lasts, {SETUP}")


def _unwrap_dict(value: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    return {key: variant[1] for key, variant in value.items()}


class GnomeShellProbe:
    """The focused window from FocusGuard's GNOME Shell extension; an EventSource."""

    name = "GNOME Shell extension"

    def __init__(self, connection: Connection, *, processes: ProcessCache | None = None,
                 timeout: float = CALL_TIMEOUT, env: Mapping[str, str] = os.environ) -> None:
        self.warning = ""
        self._env = env
        self._conn = connection
        self._processes = processes or ProcessCache()
        self._timeout = timeout
        self._queue: deque[Message] = deque()  # signals, also those that came during a call
        self._filter = connection.filter(MatchRule(type="signal"), queue=self._queue)
        self._fields: Sequence[Any] = (0, "", "", "", 0, False)
        self._window: WindowInfo | None = None
        self._owner = ""
        self._cannot_place = ""  # the extension (bus owner) that answered Place with an error
        for rule in (MatchRule(type="signal", sender=BUS_NAME, interface=INTERFACE,
                               member="FocusChanged", path=OBJECT_PATH),
                     self._owner_rule()):
            self._bus_call("AddMatch", rule)
        try:
            self._owner = self._bus_call("GetNameOwner", BUS_NAME)[0]
        except DBusErrorResponse:
            raise ProbeUnavailable(self._why_absent()) from None
        self._take(self._call("GetFocus"))

    @classmethod
    def open(cls, env: Mapping[str, str] = os.environ) -> GnomeShellProbe:
        """The probe for the session ``env`` describes; ProbeUnavailable says why not."""
        connection = open_session_bus(env)
        try:
            return cls(connection, env=env)
        except BaseException:
            connection.close()
            raise

    @staticmethod
    def _owner_rule() -> MatchRule:
        rule = MatchRule(type="signal", sender="org.freedesktop.DBus", member="NameOwnerChanged")
        rule.add_arg_condition(0, BUS_NAME)
        return rule

    # -- D-Bus -----------------------------------------------------------------

    def _send(self, message: Message) -> tuple[Any, ...]:
        try:
            reply = self._conn.send_and_get_reply(message, timeout=self._timeout)
        except (OSError, TimeoutError) as err:
            raise ProbeUnavailable(f"the session bus stopped answering ({err})") from err
        if reply.header.message_type == MessageType.error:
            raise DBusErrorResponse(reply)
        return tuple(reply.body)

    def _bus_call(self, method: str, *args: Any) -> tuple[Any, ...]:
        make: Callable[..., Message] = getattr(message_bus, method)
        return self._send(make(*args))

    def _call(self, method: str, signature: str | None = None, *args: Any) -> tuple[Any, ...]:
        """A method of the extension; a vanished extension is ProbeUnavailable."""
        try:
            return self._send(new_method_call(EXTENSION, method, signature, args))
        except DBusErrorResponse as err:
            raise ProbeUnavailable(
                f"FocusGuard's GNOME Shell extension did not answer {method} ({err.name}); {SETUP}"
            ) from None

    def _why_absent(self) -> str:
        try:
            self._bus_call("GetNameOwner", SHELL)
        except DBusErrorResponse:
            return "GNOME Shell is not on the session bus: this is not a GNOME session"
        try:
            info = self._send(new_method_call(SHELL_EXTENSIONS, "GetExtensionInfo", "s", (UUID,)))[0]
        except DBusErrorResponse as err:
            log.info("GNOME Shell did not say what it knows of the extension: %s", err)
            info = {}
        return explain(_unwrap_dict(info), extension_dir(self._env).exists())

    # -- events ----------------------------------------------------------------

    def _take(self, fields: Sequence[Any]) -> bool:
        """Keep the window the extension told; True if it is a different one, or
        the same one with a different title, class or full-screen state."""
        fields = tuple(fields)
        if fields == self._fields:
            return False
        self._fields = fields
        self._window = describe(fields, self._processes)
        return True

    def _handle(self, message: Message) -> bool:
        header = message.header
        member = header.fields.get(HeaderFields.member)
        sender = header.fields.get(HeaderFields.sender)
        if member == "FocusChanged" and sender == self._owner and \
                header.fields.get(HeaderFields.path) == OBJECT_PATH:
            return self._take(message.body)
        if member == "NameOwnerChanged" and sender == "org.freedesktop.DBus" and \
                message.body[0] == BUS_NAME:
            # The shell disables extensions while the screen is locked and enables them
            # again after: no window until then, then ask afresh.
            self._owner = message.body[2]
            if not self._owner:
                return self._take((0, "", "", "", 0, False))
            return self._take(self._call("GetFocus"))
        return False

    def fileno(self) -> int:
        return int(self._conn.sock.fileno())

    def dispatch(self) -> bool:
        """Read every waiting message without blocking; True if the window changed."""
        take_signals(self._conn, self._queue)
        changed = False
        while self._queue:
            changed = self._handle(self._queue.popleft()) or changed
        return changed

    # -- WindowProbe -----------------------------------------------------------

    def active_window(self) -> WindowInfo | None:
        return self._window

    def activate(self, predicate: Callable[[WindowInfo], bool]) -> bool:
        """Ask the extension to activate the most recently used window ``predicate``
        accepts; True once asked."""
        if not self._owner:
            return False
        for fields in self._call("ListWindows")[0]:
            info = describe(fields, self._processes)
            if info is not None and predicate(info):
                return bool(self._call("Activate", "t", fields[0])[0])
        return False

    def place(self, title: str, x: int, y: int) -> bool:
        """Ask the extension to move this process's window titled ``title`` to (x, y) and
        keep it above the others (Qt's stay-on-top hint, which Wayland cannot carry);
        True once moved, False while the shell has no such window (not mapped yet) or
        runs an extension from before ``Place`` (then `focusguard setup gnome` updates it)."""
        if not self._owner or self._cannot_place == self._owner:
            return False
        try:
            return bool(self._send(new_method_call(EXTENSION, "Place", "sii", (title, x, y)))[0])
        except DBusErrorResponse as err:
            # said once per extension start, not for each window and each retry
            self._cannot_place = self._owner
            log.warning("GNOME Shell cannot move FocusGuard's windows (%s): %s", err.name, SETUP)
            return False

    def close(self) -> None:
        self._filter.close()
        self._conn.close()

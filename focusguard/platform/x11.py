"""The active window on X11 (and XWayland), told by the X server instead of asked.

Asking every second costs a handful of round trips per tick even while nothing
changes. The X server can tell instead: with PropertyChangeMask on the root window
it sends a PropertyNotify when the window manager sets ``_NET_ACTIVE_WINDOW``, and
with the same mask on the active window one when its title (``_NET_WM_NAME`` /
``WM_NAME``) or state changes. ``X11EventProbe`` is an ``EventSource``: the sampler
watches the connection's socket and calls ``dispatch()`` when it is readable; the
window's properties are read once per change, and ``active_window()`` answers from
that state with no round trip.

What never changes for a window (its class, its process) is read once per window
and kept until the window is destroyed (StructureNotifyMask on every window kept
brings its DestroyNotify), so a switch back to a known window costs the active-window
read, its title and its full-screen state.

Activation sends the EWMH ``_NET_ACTIVE_WINDOW`` client message to the root, as
pagers do, over the same connection: pywinctl is not needed on X11.
"""

from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from focusguard.platform.window import (
    ProbeUnavailable,
    ProcessCache,
    Rect,
    WindowInfo,
    covers,
    decode_compound_text,
    owns_window,
)

log = logging.getLogger(__name__)

#: Windows whose class and process are remembered (a desktop rarely has more).
KNOWN_WINDOWS = 64
#: Monitors come and go rarely; re-reading them costs two round trips.
SCREENS_TTL = 10.0
#: Titles up to 1 KiB in one round trip (python-xlib's default reads 40 bytes first).
TEXT_LONGS = 256


@dataclass(frozen=True, slots=True)
class _Known:
    """What is read once per window: it does not change while the window lives."""

    app: str
    exe: str
    pid: int | None
    wm_class: str


class X11Properties:
    """Reads and decodes window properties over one python-xlib connection."""

    def __init__(self, display: Any) -> None:
        import Xlib.X
        import Xlib.Xatom

        self.display = display
        self.root = display.screen().root
        self._any = Xlib.X.AnyPropertyType
        atom = display.intern_atom
        self.net_active_window = atom("_NET_ACTIVE_WINDOW")
        self.net_client_list_stacking = atom("_NET_CLIENT_LIST_STACKING")
        self.net_wm_name = atom("_NET_WM_NAME")
        self.net_wm_pid = atom("_NET_WM_PID")
        self.net_wm_state = atom("_NET_WM_STATE")
        self.fullscreen_state = atom("_NET_WM_STATE_FULLSCREEN")
        self.wm_name = Xlib.Xatom.WM_NAME
        self.wm_class = Xlib.Xatom.WM_CLASS
        self._utf8 = atom("UTF8_STRING")
        self._compound = atom("COMPOUND_TEXT")
        self._screens: list[Rect] = []
        self._screens_read_at = -float("inf")

    def window(self, wid: int) -> Any:
        return self.display.create_resource_object("window", wid)

    def _cardinals(self, xwin: Any, atom: int) -> list[int]:
        prop = xwin.get_full_property(atom, self._any)
        return list(prop.value) if prop is not None and prop.format == 32 else []

    def active_id(self) -> int | None:
        ids = self._cardinals(self.root, self.net_active_window)
        return ids[0] if ids and ids[0] else None

    def stacking(self) -> list[int]:
        """Managed windows, topmost first."""
        return list(reversed(self._cardinals(self.root, self.net_client_list_stacking)))

    def pid(self, xwin: Any) -> int | None:
        pids = self._cardinals(xwin, self.net_wm_pid)
        return pids[0] if pids and pids[0] > 0 else None

    def text(self, xwin: Any, atom: int) -> str | None:
        prop = xwin.get_full_property(atom, self._any, sizehint=TEXT_LONGS)
        if prop is None or prop.format != 8:
            return None
        raw = bytes(prop.value).rstrip(b"\0")
        if prop.property_type == self._utf8:
            return raw.decode("utf-8", errors="replace")
        if prop.property_type == self._compound:
            return decode_compound_text(raw)
        # STRING is Latin-1 by the ICCCM, but plenty of clients store UTF-8 in it;
        # Latin-1 text is almost never valid UTF-8 by accident.
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("iso8859-1")

    def title(self, xwin: Any) -> str:
        title = self.text(xwin, self.net_wm_name)
        return title if title is not None else self.text(xwin, self.wm_name) or ""

    def klass(self, xwin: Any) -> str:
        prop = xwin.get_full_property(self.wm_class, self._any)
        if prop is None or prop.format != 8:
            return ""
        parts = bytes(prop.value).split(b"\0")
        return ".".join(p.decode("iso8859-1") for p in parts[:2] if p)

    def fullscreen(self, xwin: Any) -> bool:
        """The EWMH state says so, or the window covers a whole monitor (games and
        presentations that never set the state)."""
        if self.fullscreen_state in self._cardinals(xwin, self.net_wm_state):
            return True
        geometry = xwin.get_geometry()
        screens = self.screens()
        if not any(geometry.width >= w and geometry.height >= h for _, _, w, h in screens):
            return False  # too small for any screen: spare the position round trip
        origin = self.root.translate_coords(xwin, 0, 0)
        return covers((origin.x, origin.y, geometry.width, geometry.height), screens)

    def screens(self) -> list[Rect]:
        """The root window and every RandR monitor, re-read every SCREENS_TTL seconds."""
        now = time.monotonic()
        if now - self._screens_read_at > SCREENS_TTL:
            root = self.root.get_geometry()
            self._screens = [(0, 0, root.width, root.height)]
            if self.display.has_extension("RANDR"):
                for m in self.root.xrandr_get_monitors().monitors:
                    self._screens.append((m.x, m.y, m.width_in_pixels, m.height_in_pixels))
            self._screens_read_at = now
        return self._screens


class X11EventProbe:
    """The active window from X events; see the module docstring."""

    def __init__(
        self,
        display: Any,
        *,
        processes: ProcessCache | None = None,
        warning: str = "",
        name: str = "X11 (EWMH events)",
    ) -> None:
        import Xlib.error
        import Xlib.X

        self.name = name
        self.warning = warning
        self._x = X11Properties(display)
        self._display = display
        self._processes = processes or ProcessCache()
        self._X = Xlib.X
        self._vanished = (Xlib.error.XError,)
        self._lost = (Xlib.error.ConnectionClosedError, OSError)
        self._ignore = Xlib.error.CatchError()  # errors of requests without a reply
        self._known: OrderedDict[int, _Known] = OrderedDict()
        self._active: int | None = None
        self._info: WindowInfo | None = None
        self._stale_active = True  # read _NET_ACTIVE_WINDOW again
        self._stale_title = False
        self._stale_state = False
        self._x.root.change_attributes(event_mask=Xlib.X.PropertyChangeMask, onerror=self._ignore)
        display.flush()

    @classmethod
    def open(cls, *, warning: str = "", name: str = "X11 (EWMH events)") -> X11EventProbe:
        """Connect to $DISPLAY; raises ProbeUnavailable saying why that is not possible."""
        import Xlib.display

        try:
            display = Xlib.display.Display()
        except Exception as err:  # DisplayNameError, DisplayConnectionError
            raise ProbeUnavailable(f"cannot open the X display {os.environ.get('DISPLAY', '')}: {err}") from err
        try:
            return cls(display, warning=warning, name=name)
        except BaseException:
            display.close()
            raise

    # --- EventSource ------------------------------------------------------------------

    def fileno(self) -> int:
        return self._display.fileno()

    def dispatch(self) -> bool:
        """Read what the server sent, without blocking; True if the window changed."""
        before = self._info
        self._update()
        return self._info != before

    # --- WindowProbe ------------------------------------------------------------------

    def active_window(self) -> WindowInfo | None:
        """From the state the events built; reads the server only after a change
        (or on the first call), and takes in events a read may have queued."""
        self._update()
        return self._info

    def activate(self, predicate: Callable[[WindowInfo], bool]) -> bool:
        """Ask the window manager to raise the topmost window ``predicate`` accepts
        (EWMH ``_NET_ACTIVE_WINDOW`` message, source "pager"); True once asked."""
        import Xlib.protocol.event

        try:
            for wid in self._x.stacking():
                try:
                    info = self._describe(wid)
                except self._vanished:
                    self._forget(wid)
                    continue
                if not predicate(info):
                    continue
                message = Xlib.protocol.event.ClientMessage(
                    window=wid, client_type=self._x.net_active_window,
                    data=(32, [2, self._X.CurrentTime, 0, 0, 0]))
                mask = self._X.SubstructureRedirectMask | self._X.SubstructureNotifyMask
                self._x.root.send_event(message, event_mask=mask, onerror=self._ignore)
                self._display.flush()
                return True
        except self._lost as err:
            raise ProbeUnavailable(f"the connection to the display was lost ({err})") from err
        return False

    def close(self) -> None:
        self._display.close()

    # --- internals --------------------------------------------------------------------

    def _update(self) -> None:
        """Take in queued events, then re-read what they made stale; reading can queue
        more events (they arrive with the replies), so go on until none is left."""
        try:
            while True:
                self._take_events()
                if not (self._stale_active or self._stale_title or self._stale_state):
                    return
                self._refresh()
        except self._lost as err:
            raise ProbeUnavailable(f"the connection to the display was lost ({err})") from err

    def _take_events(self) -> None:
        X = self._X
        display = self._display
        while display.pending_events():
            event = display.next_event()
            window: int = getattr(getattr(event, "window", None), "id", 0)  # 0: not a window event
            if event.type == X.PropertyNotify:
                if window == self._x.root.id:
                    if event.atom == self._x.net_active_window:
                        self._stale_active = True
                elif window == self._active:
                    if event.atom in (self._x.net_wm_name, self._x.wm_name):
                        self._stale_title = True
                    elif event.atom == self._x.net_wm_state:
                        self._stale_state = True
                    elif event.atom in (self._x.net_wm_pid, self._x.wm_class):
                        self._known.pop(window, None)  # a sandbox rewrote it: read it again
                        self._stale_active = self._stale_title = self._stale_state = True
                        self._active = None
            elif event.type == X.ConfigureNotify and window == self._active:
                self._stale_state = True  # moved or resized: full screen or not
            elif event.type == X.DestroyNotify and window:
                self._known.pop(window, None)
                if window == self._active:
                    self._stale_active = True

    def _refresh(self) -> None:
        try:
            if self._stale_active:
                self._stale_active = False
                wid = self._x.active_id()
                if wid != self._active:
                    self._follow(wid)
                    self._info = self._describe(wid) if wid is not None else None
                    self._stale_title = self._stale_state = False
            if self._info is not None and self._active is not None and (self._stale_title or self._stale_state):
                xwin = self._x.window(self._active)
                if self._stale_title:
                    self._stale_title = False
                    self._info = replace(self._info, title=self._x.title(xwin))
                if self._stale_state:
                    self._stale_state = False
                    self._info = replace(self._info, fullscreen=self._x.fullscreen(xwin))
        except self._vanished as err:
            log.debug("active window vanished while being read: %s", err)
            self._info = None
            self._stale_title = self._stale_state = False

    def _follow(self, wid: int | None) -> None:
        """Listen to the new active window's properties, and no longer the old one's
        (it keeps StructureNotifyMask while its class and process are remembered)."""
        X = self._X
        if self._active is not None:
            mask = X.StructureNotifyMask if self._active in self._known else X.NoEventMask
            self._x.window(self._active).change_attributes(event_mask=mask, onerror=self._ignore)
        self._active = wid
        if wid is not None:
            self._x.window(wid).change_attributes(
                event_mask=X.PropertyChangeMask | X.StructureNotifyMask, onerror=self._ignore)

    def _describe(self, wid: int) -> WindowInfo:
        xwin = self._x.window(wid)
        known = self._known.get(wid)
        if known is None:
            known = self._identify(xwin)
            self._remember(wid, known)
        else:
            self._known.move_to_end(wid)
        return WindowInfo(known.app, self._x.title(xwin), known.exe, known.pid, known.wm_class,
                          self._x.fullscreen(xwin))

    def _identify(self, xwin: Any) -> _Known:
        wm_class = self._x.klass(xwin)
        pid = self._x.pid(xwin)
        proc = self._processes.lookup(pid) if pid else None
        if proc is not None and proc.name and owns_window(proc, wm_class):
            return _Known(proc.name, proc.exe, pid, wm_class)
        # no pid, or one from another pid namespace: name the app by its class
        instance, _, klass = wm_class.partition(".")
        return _Known(klass or instance, "", None, wm_class)

    def _remember(self, wid: int, known: _Known) -> None:
        self._known[wid] = known
        if wid != self._active:
            self._x.window(wid).change_attributes(event_mask=self._X.StructureNotifyMask, onerror=self._ignore)
        while len(self._known) > KNOWN_WINDOWS:
            old, _ = self._known.popitem(last=False)
            if old != self._active:
                self._x.window(old).change_attributes(event_mask=self._X.NoEventMask, onerror=self._ignore)

    def _forget(self, wid: int) -> None:
        self._known.pop(wid, None)

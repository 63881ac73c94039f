"""The active window: which application, which title, whether it is full screen.

``platform.probes.make_window_probe()`` returns a ``WindowProbe`` for the running
desktop. On X11 (and XWayland) that is ``platform.x11.X11EventProbe``, which the X
server tells of every switch and retitling, so nothing runs while nothing changes. On Windows and
macOS the window comes from pywinctl, asked every sampling interval (about a
millisecond a call, see bench/bench_probe.py), with the process name and
executable from psutil (cached per pid).

pywinctl is imported lazily and defensively: on Linux importing it opens the X
display and, through pymonctl, calls ``sys.exit(1)`` when the ``xrandr`` program is
missing. Any such failure gives a probe that raises ``ProbeUnavailable`` with a
sentence the user can act on, instead of taking the app down.
"""

from __future__ import annotations

import logging
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

import psutil

log = logging.getLogger(__name__)

Rect = tuple[int, int, int, int]  # left, top, width, height


@dataclass(frozen=True, slots=True)
class WindowInfo:
    """What the active window is. ``app`` is the process name (without ".exe") or,
    when no trustworthy pid is known, the window class; ``wm_class`` is X11's
    ``instance.Class`` (empty elsewhere)."""

    app: str
    title: str
    exe: str = ""
    pid: int | None = None
    wm_class: str = ""
    fullscreen: bool = False


#: How a ProbeUnavailable's message starts, before its ``why``.
UNAVAILABLE_PREFIX = "window probe unavailable: "


class ProbeUnavailable(Exception):
    """The active window cannot be read at all on this desktop; ``why`` says why."""

    def __init__(self, why: str) -> None:
        super().__init__(f"{UNAVAILABLE_PREFIX}{why}")
        self.why = why


class WindowProbe(Protocol):
    """Every probe also has ``name`` (what reads the window, for doctor and the tray
    menu, e.g. "sway IPC") and ``warning`` (empty, or what it cannot see)."""

    name: str
    warning: str

    def active_window(self) -> WindowInfo | None:
        """The focused window, or None when there is none (or it vanished mid-read)."""
        ...

    def activate(self, predicate: Callable[[WindowInfo], bool]) -> bool:
        """Bring forward the topmost window ``predicate`` accepts; False if none did."""
        ...


class EventSource(Protocol):
    """A probe the desktop pushes changes to (sway IPC, the KWin script, the GNOME
    Shell extension, Wayland protocol events, X11 PropertyNotify).

    The sampler watches ``fileno()`` (a QSocketNotifier on its own thread) and calls
    ``dispatch()`` when it is readable; ``dispatch`` reads what is waiting without
    blocking and returns True when the active window changed, so the sample is taken
    at once rather than at the next tick. Between events ``active_window()`` answers
    from the state the events built, with no round trip: nothing runs while nothing
    changes, and time is credited exactly from the moment of the switch.
    """

    def fileno(self) -> int: ...

    def dispatch(self) -> bool: ...


def is_event_source(probe: object) -> bool:
    """Whether ``probe`` pushes changes (see EventSource) rather than being polled."""
    return callable(getattr(probe, "fileno", None)) and callable(getattr(probe, "dispatch", None))


class UnavailableWindowProbe:
    """Stands in for a probe that could not start, so the app runs and can say why."""

    def __init__(self, why: str) -> None:
        self.why = why
        self.name = "none"
        self.warning = ""

    def active_window(self) -> WindowInfo | None:
        raise ProbeUnavailable(self.why)

    def activate(self, predicate: Callable[[WindowInfo], bool]) -> bool:
        return False


# -- processes ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProcessInfo:
    pid: int
    name: str
    exe: str
    uid: int | None  # None where the platform has no uids (Windows)
    parent: int | None


def read_process(pid: int) -> ProcessInfo | None:
    """psutil's view of ``pid``; None if there is no such process."""
    try:
        proc = psutil.Process(pid)
        with proc.oneshot():
            name = proc.name()
            try:
                exe = proc.exe()
            except (psutil.AccessDenied, psutil.ZombieProcess):
                exe = ""
            uid = proc.uids().real if hasattr(proc, "uids") else None
            parent = proc.ppid()
    except psutil.NoSuchProcess:
        return None
    except psutil.AccessDenied:
        return ProcessInfo(pid, "", "", None, None)
    if name.lower().endswith(".exe"):
        name = name[:-4]
    return ProcessInfo(pid, name, exe, uid, parent)


def process_created(pid: int) -> float | None:
    """When ``pid`` started (None if not allowed to ask); raises psutil.NoSuchProcess."""
    try:
        return psutil.Process(pid).create_time()
    except psutil.AccessDenied:  # Windows, elevated processes
        return None


class ProcessCache:
    """Remembers ``read_process`` per pid, so a sample costs one stat read.

    A pid can be reused by a new process, so entries are keyed on the process's
    creation time as well (which psutil reads anyway to open a process).
    """

    def __init__(
        self,
        size: int = 64,
        reader: Callable[[int], ProcessInfo | None] = read_process,
        created: Callable[[int], float | None] = process_created,
    ) -> None:
        self._size = size
        self._reader = reader
        self._created = created
        self._entries: OrderedDict[int, tuple[float, ProcessInfo | None]] = OrderedDict()

    def lookup(self, pid: int) -> ProcessInfo | None:
        try:
            created = self._created(pid)
        except psutil.NoSuchProcess:
            self._entries.pop(pid, None)
            return None
        if created is None:  # reuse cannot be detected: do not cache
            return self._reader(pid)
        hit = self._entries.get(pid)
        if hit is not None and hit[0] == created:
            self._entries.move_to_end(pid)
            return hit[1]
        info = self._reader(pid)
        self._entries[pid] = (created, info)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return info


def _name_fits(name: str, wm_class: str) -> bool:
    name = name.lower()
    parts = [p.lower() for p in wm_class.split(".") if p]
    return bool(name) and any(name in p or p in name for p in parts)


def owns_window(proc: ProcessInfo, wm_class: str) -> bool:
    """Whether ``proc`` can be the process behind a window of class ``wm_class``.

    Flatpak (and other pid-namespaced) apps publish their pid inside the sandbox;
    on the host that number names an unrelated process: init, a kernel thread
    (a child of kthreadd, pid 2) or a daemon of another user.
    """
    if proc.pid <= 2 or proc.parent == 2:
        return False
    if not wm_class or _name_fits(proc.name, wm_class):
        return True
    getuid = getattr(os, "getuid", None)
    return proc.uid is None or getuid is None or proc.uid == getuid()


# -- X11 text properties -----------------------------------------------------------

# ESC - F designates a 96-character set to the right half (ISO 2022 final bytes).
_CT_CHARSETS = {
    b"A": "iso8859-1",
    b"B": "iso8859-2",
    b"C": "iso8859-3",
    b"D": "iso8859-4",
    b"F": "iso8859-7",
    b"G": "iso8859-6",
    b"H": "iso8859-8",
    b"L": "iso8859-5",
    b"M": "iso8859-9",
    b"b": "iso8859-15",
}
_CT_ESCAPE = re.compile(rb"\x1b(%G|%@|-[\x40-\x7e]|[$()][()]?[\x40-\x7e])")


def decode_compound_text(data: bytes) -> str:
    """Decode ICCCM COMPOUND_TEXT, which older clients (xterm, Motif, Tk) use for titles.

    Covers what Xlib produces: Latin-1 by default, UTF-8 segments (ESC % G ... ESC % @)
    and the ISO 8859 right halves (ESC - F). Other sets decode leniently rather than fail.
    """
    parts: list[str] = []
    codec, pos = "iso8859-1", 0
    for match in _CT_ESCAPE.finditer(data):
        parts.append(data[pos : match.start()].decode(codec, errors="replace"))
        pos = match.end()
        seq = match.group(1)
        if seq == b"%G":
            codec = "utf-8"
        elif seq == b"%@":
            codec = "iso8859-1"
        elif seq.startswith(b"-"):
            codec = _CT_CHARSETS.get(seq[1:], "iso8859-1")
    parts.append(data[pos:].decode(codec, errors="replace"))
    return "".join(parts)


def covers(window: Rect, screens: Iterable[Rect]) -> bool:
    """True if ``window`` covers at least one of ``screens`` entirely."""
    left, top, width, height = window
    return any(
        left <= sl and top <= st and left + width >= sl + sw and top + height >= st + sh
        for sl, st, sw, sh in screens
    )


@dataclass(frozen=True, slots=True)
class _Details:
    title: str
    wm_class: str
    fullscreen: bool


class PyWinCtlWindows:
    """Windows on Windows and macOS, where pywinctl reads title and pid natively
    (X11 has its own, event-driven probe: platform/x11.py)."""

    def __init__(self, pywinctl: ModuleType, screens: Callable[[], list[Rect]]) -> None:
        self._pywinctl = pywinctl
        self._screens = screens
        # Window objects outlive their windows; the native layers raise their own
        # error types (pywintypes.error, AppleScript failures) when one has closed.
        self.vanished: tuple[type[BaseException], ...] = (Exception,)
        self.lost: tuple[type[BaseException], ...] = ()

    def active(self) -> Any:
        return self._pywinctl.getActiveWindow()

    def all(self) -> Iterator[Any]:
        return iter(self._pywinctl.getAllWindows())

    def details(self, win: Any) -> _Details:
        window = (win.left, win.top, win.width, win.height)
        return _Details(win.title, "", covers(window, self._screens()))


def monitor_rects() -> list[Rect]:
    """All monitors as rectangles, from pymonctl (installed with pywinctl)."""
    import pymonctl

    rects: list[Rect] = []
    for screen in pymonctl.getAllMonitorsDict().values():
        pos, size = screen["position"], screen["size"]
        rects.append((pos.x, pos.y, size.width, size.height))
    return rects


class PyWinCtlProbe:
    """The active window as a ``WindowInfo``; see the module docstring for the parts.

    ``windows`` is a ``PyWinCtlWindows``; ``warning`` is shown by
    the app when the probe works but sees less than everything (Wayland).
    """

    def __init__(
        self,
        windows: PyWinCtlWindows,
        *,
        processes: ProcessCache | None = None,
        warning: str = "",
        name: str = "pywinctl",
    ) -> None:
        self._windows = windows
        self._processes = processes or ProcessCache()
        self.name = name
        self.warning = warning

    def active_window(self) -> WindowInfo | None:
        try:
            win = self._windows.active()
            return self._describe(win) if win is not None else None
        except self._windows.lost as err:
            raise ProbeUnavailable(f"the connection to the display was lost ({err})") from err
        except self._windows.vanished as err:
            log.debug("active window vanished while being read: %s", err)
            return None

    def activate(self, predicate: Callable[[WindowInfo], bool]) -> bool:
        """Ask the window manager to raise the first match; True once asked.

        pywinctl is not told to wait: confirmation can take a while and this runs
        on the UI thread.
        """
        for win in self._windows.all():
            try:
                if predicate(self._describe(win)):
                    win.activate(wait=False)
                    return True
            except self._windows.vanished as err:
                log.debug("window vanished while looking for one to activate: %s", err)
        return False

    def _describe(self, win: Any) -> WindowInfo:
        details = self._windows.details(win)
        pid = win.getPID()
        proc = self._processes.lookup(pid) if pid else None
        if proc is not None and proc.name and owns_window(proc, details.wm_class):
            app, exe = proc.name, proc.exe
        else:  # no pid, or one from another pid namespace: name the app by its class
            instance, _, klass = details.wm_class.partition(".")
            app, exe, pid = klass or instance, "", None
        return WindowInfo(app, details.title, exe, pid, details.wm_class, details.fullscreen)


# -- construction ------------------------------------------------------------------


def import_pywinctl() -> ModuleType:
    """Import pywinctl, turning its ways of failing into ProbeUnavailable."""
    try:
        import pywinctl
    except SystemExit as err:  # pymonctl exits when `xrandr -q` prints nothing
        raise ProbeUnavailable(
            f"pywinctl stopped while loading (exit status {err.code}): xrandr or the X "
            "server's RANDR extension is not working"
        ) from None
    except Exception as err:  # e.g. Xlib.error.DisplayConnectionError
        raise ProbeUnavailable(f"pywinctl could not be loaded: {err}") from err
    return pywinctl

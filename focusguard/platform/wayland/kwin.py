"""KDE Plasma (KWin 5.27 and 6): the active window, told by a KWin script.

KWin lets no Wayland client see other clients' windows, but it runs JavaScript
"scripts" that see all of them, and a script may call any D-Bus service. So
``KWinProbe`` owns a name on the session bus, loads ``kwin_watch.js`` (with that
name filled in) through KWin's ``org.kde.kwin.Scripting`` interface, and the script
calls back on every window, title or full-screen change and every activation. The
probe keeps what it was told; ``active_window()`` answers from that with no round
trip. Nothing is installed: the script lives as long as the probe.

"Back to <priority>" loads the one-shot ``kwin_activate.js``, which activates a
window by KWin's internal id and reports back ("Done"), whereupon it is unloaded.

KWin 5 and 6 differ in the script API (clients vs windows; handled in the script)
and in where a loaded script's D-Bus object lives (``/<id>`` vs
``/Scripting/Script<id>``; the probe tries both once and remembers). jeepney speaks
D-Bus in pure Python over one blocking connection whose socket the sampler watches.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType
from jeepney.bus_messages import message_bus
from jeepney.wrappers import DBusErrorResponse, new_error, new_method_call, new_method_return, unwrap_msg

from focusguard.platform.wayland.bus import Connection, open_session_bus
from focusguard.platform.window import ProbeUnavailable, ProcessCache, WindowInfo, owns_window

log = logging.getLogger(__name__)

KWIN = "org.kde.KWin"
SCRIPTING = DBusAddress("/Scripting", bus_name=KWIN, interface="org.kde.kwin.Scripting")
SCRIPT_INTERFACE = "org.kde.kwin.Script"
#: Where a loaded script's object lives: KWin 6 first, then KWin 5.
SCRIPT_PATHS = ("/Scripting/Script{id}", "/{id}")
#: FocusGuard's own service, one per app instance (bus names may not start a
#: component with a digit, hence the "p").
SERVICE_PREFIX = "org.focusguard.KWinWatcher"
OBJECT_PATH = "/org/focusguard/KWinWatcher"
INTERFACE = "org.focusguard.KWinWatcher"
#: How long KWin may take to answer a call or to run the script and report.
CALL_TIMEOUT = 5.0
_NO_SUCH_OBJECT = (
    "org.freedesktop.DBus.Error.UnknownObject",
    "org.freedesktop.DBus.Error.UnknownMethod",
    "org.freedesktop.DBus.Error.UnknownInterface",
)


@dataclass(frozen=True, slots=True)
class KWinWindow:
    """One window as the script describes it. ``resource_class`` is the Wayland
    app id (or X11 WM_CLASS class), ``resource_name`` the X11 instance for an
    ``xwayland`` window (for a Wayland one, KWin puts the executable's name there);
    ``id`` is KWin's internal UUID."""

    id: str
    caption: str
    resource_class: str = ""
    resource_name: str = ""
    desktop_file: str = ""
    pid: int = 0
    fullscreen: bool = False
    xwayland: bool = False


def parse_window(text: str) -> KWinWindow:
    """The script's JSON description of a window; ValueError when it is not one."""
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        raise ValueError(f"not a window description: {text[:200]!r}")
    pid = data.get("pid", 0)
    return KWinWindow(
        id=data["id"],
        caption=str(data.get("caption", "")),
        resource_class=str(data.get("resourceClass", "")),
        resource_name=str(data.get("resourceName", "")),
        desktop_file=str(data.get("desktopFileName", "")),
        pid=pid if isinstance(pid, int) and pid > 0 else 0,
        fullscreen=data.get("fullScreen") is True,
        xwayland=data.get("xwayland") is True,
    )


class KWinWindows:
    """What the script has said so far: every window and which one is active.

    Windows are kept most recently activated last, which stands in for the stacking
    order when "Back" looks for the topmost window of the priority.
    """

    def __init__(self) -> None:
        self._windows: OrderedDict[str, KWinWindow] = OrderedDict()
        self.active_id = ""
        self.told_active = False  # the script has reported the active window at least once

    @property
    def active(self) -> KWinWindow | None:
        return self._windows.get(self.active_id)

    def update(self, window: KWinWindow) -> bool:
        """A window appeared or changed; True when it is the active one and changed."""
        old = self._windows.get(window.id)
        self._windows[window.id] = window
        if old is None and window.id != self.active_id:
            self._windows.move_to_end(window.id, last=False)  # never active yet: bottom
        return window.id == self.active_id and window != old

    def close(self, window_id: str) -> bool:
        """A window closed; True when it was the active one."""
        self._windows.pop(window_id, None)
        if window_id == self.active_id and window_id:
            self.active_id = ""
            return True
        return False

    def activate(self, window_id: str) -> bool:
        """``window_id`` ("" for none) became active; True when that is a change."""
        self.told_active = True
        if window_id in self._windows:
            self._windows.move_to_end(window_id)
        changed = window_id != self.active_id
        self.active_id = window_id
        return changed

    def most_recent_first(self) -> list[KWinWindow]:
        return list(reversed(self._windows.values()))


def describe(window: KWinWindow, processes: ProcessCache) -> WindowInfo:
    """A KWin window as FocusGuard's WindowInfo: the app is the process name when
    the pid is trustworthy (a Wayland client's always; an XWayland one's when it fits,
    see ``owns_window``), else the app id."""
    if window.xwayland:  # instance.Class as on X11
        wm_class = f"{window.resource_name}.{window.resource_class}"
    else:
        wm_class = window.resource_class or window.desktop_file
    proc = processes.lookup(window.pid) if window.pid else None
    # A Wayland client's pid is the kernel's word (its socket's credentials); an X11
    # window's _NET_WM_PID is the client's own, so it must fit the window's class.
    if proc is not None and proc.name and owns_window(proc, wm_class if window.xwayland else ""):
        return WindowInfo(proc.name, window.caption, proc.exe, window.pid, wm_class, window.fullscreen)
    app = window.desktop_file or window.resource_class or window.resource_name
    return WindowInfo(app, window.caption, "", None, wm_class, window.fullscreen)


def script_text(name: str, config: dict[str, str]) -> str:
    """A shipped script (``kwin_watch.js`` / ``kwin_activate.js``) with its CONFIG
    object filled in; JSON is a JavaScript literal, so any text is quoted safely."""
    source = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    if source.count("/*CONFIG*/") != 1:
        raise RuntimeError(f"{name} lacks its /*CONFIG*/ placeholder")
    return source.replace("/*CONFIG*/", json.dumps(config))


class KWinProbe:
    """The active window on KDE Plasma (Wayland or X11) through a KWin script; an
    EventSource (see focusguard.platform.window). Messages to the probe's object
    are taken only from KWin's own connection."""

    name = "KWin script"

    def __init__(self, connection: Connection, *, runtime_dir: str | None = None,
                 processes: ProcessCache | None = None, pid: int | None = None,
                 timeout: float = CALL_TIMEOUT) -> None:
        self.warning = ""
        self._conn = connection
        self._kwin = ""  # KWin's unique bus name: only it may report
        self._processes = processes or ProcessCache()
        self._timeout = timeout
        self._windows = KWinWindows()
        self._queue: deque[Message] = deque()  # what arrived while waiting for a reply
        self._filter = connection.filter(MatchRule(), queue=self._queue)
        self._changed = False
        self._lost = ""
        self._finished: list[str] = []  # one-shot scripts that have run: to unload
        self._one_shots: dict[str, Path] = {}  # plugin name -> its file
        self._shots = 0
        self._script_path = ""  # SCRIPT_PATHS entry that works on this KWin
        tag = pid if pid is not None else os.getpid()
        self.service = f"{SERVICE_PREFIX}.p{tag}"
        self.plugin = f"focusguard_{tag}"
        self._runtime_dir = runtime_dir  # where the script files go (else the temp folder)
        self._dir: Path | None = None
        self._loaded = False
        self._closed = False
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, env: Mapping[str, str] = os.environ) -> KWinProbe:
        """The probe for the session ``env`` describes (closes the connection itself,
        also when it cannot start)."""
        return cls(open_session_bus(env), runtime_dir=env.get("XDG_RUNTIME_DIR"))

    # -- start -----------------------------------------------------------------

    def _start(self) -> None:
        try:
            self._kwin = self._bus_call("GetNameOwner", KWIN)[0]
        except DBusErrorResponse as err:
            raise ProbeUnavailable(
                f"KWin is not on the session bus ({KWIN}: {err.name}); this is not a KDE Plasma session"
            ) from None
        if self._bus_call("RequestName", self.service, 4)[0] != 1:  # 4: do not queue
            raise ProbeUnavailable(f"the D-Bus name {self.service} is taken by another program")
        rule = MatchRule(type="signal", sender="org.freedesktop.DBus", member="NameOwnerChanged")
        rule.add_arg_condition(0, KWIN)
        self._bus_call("AddMatch", rule)
        self._dir = Path(tempfile.mkdtemp(prefix="focusguard-kwin-", dir=self._runtime_dir))
        if self._kwin_call(SCRIPTING, "isScriptLoaded", "s", self.plugin)[0]:  # left by a crash
            self._kwin_call(SCRIPTING, "unloadScript", "s", self.plugin)
        path = self._write(self.plugin, script_text("kwin_watch.js", self._config()))
        self._loaded = True  # unloaded on close() even if it cannot run
        self._load_and_run(path, self.plugin)
        self._wait(lambda: self._windows.told_active, "report the active window")
        path.unlink(missing_ok=True)  # KWin has read it: the script is running
        self._changed = False  # the first reading comes from active_window(), not an event

    def _config(self, **extra: str) -> dict[str, str]:
        return {"service": self.service, "path": OBJECT_PATH, "interface": INTERFACE, **extra}

    def _write(self, plugin: str, text: str) -> Path:
        """A private (0600) file for KWin to read; it belongs to the user KWin runs as
        (who differs from ours only when FocusGuard runs as root, as in CI)."""
        assert self._dir is not None
        path = self._dir / f"{plugin}.js"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        if os.geteuid() == 0:
            uid = self._bus_call("GetConnectionUnixUser", self._kwin)[0]
            if uid != 0:
                for owned in (self._dir, path):
                    os.chown(owned, uid, -1)
        return path

    def _load_and_run(self, path: Path, plugin: str) -> None:
        script_id = self._kwin_call(SCRIPTING, "loadScript", "ss", str(path), plugin)[0]
        if script_id < 0:
            raise ProbeUnavailable(f"KWin refused to load the script {path} (plugin {plugin})")
        candidates = [self._script_path] if self._script_path else list(SCRIPT_PATHS)
        for template in candidates:
            address = DBusAddress(template.format(id=script_id), bus_name=KWIN, interface=SCRIPT_INTERFACE)
            try:
                self._call(new_method_call(address, "run"))
            except DBusErrorResponse as err:
                if err.name in _NO_SUCH_OBJECT:
                    continue
                raise ProbeUnavailable(f"KWin could not run the script {path}: {err}") from err
            self._script_path = template
            return
        raise ProbeUnavailable(f"KWin loaded the script but has no object to run it at {candidates}")

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        """Handle messages until ``done()``; ProbeUnavailable after the timeout."""
        deadline = time.monotonic() + self._timeout
        while not done():
            self._drain()
            if done():
                break
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProbeUnavailable(f"KWin loaded FocusGuard's script but it did not {what} "
                                       f"within {self._timeout:g} s")
            try:
                self._handle(self._conn.receive(timeout=left))
            except TimeoutError:
                continue
            except OSError as err:
                raise ProbeUnavailable(f"the D-Bus connection closed: {err}") from err

    # -- calls -----------------------------------------------------------------

    def _call(self, message: Message) -> tuple[Any, ...]:
        try:
            reply = self._conn.send_and_get_reply(message, timeout=self._timeout)
        except TimeoutError:
            raise ProbeUnavailable(f"no answer from D-Bus within {self._timeout:g} s") from None
        except OSError as err:
            raise ProbeUnavailable(f"the D-Bus connection closed: {err}") from err
        return unwrap_msg(reply)

    def _bus_call(self, method: str, *args: Any) -> tuple[Any, ...]:
        return self._call(getattr(message_bus, method)(*args))

    def _kwin_call(self, address: DBusAddress, method: str, signature: str | None = None,
                   *args: Any) -> tuple[Any, ...]:
        try:
            return self._call(new_method_call(address, method, signature, args))
        except DBusErrorResponse as err:
            raise ProbeUnavailable(f"KWin answered {method} with {err}") from err

    # -- events ----------------------------------------------------------------

    def fileno(self) -> int:
        return int(self._conn.sock.fileno())

    def dispatch(self) -> bool:
        """Handle every message waiting, without blocking; True if the active window changed."""
        self._settle()
        if self._lost:
            raise ProbeUnavailable(self._lost)
        changed, self._changed = self._changed, False
        return changed

    def _settle(self) -> None:
        """Handle what is waiting and unload the one-shot scripts that have run. Also
        after a blocking call, whose wait may have read reports the socket no longer
        signals (a report that changes the window is then returned by the next dispatch)."""
        self._drain()
        while self._finished:
            self._unload_one_shot(self._finished.pop())
            self._drain()

    def _drain(self) -> None:
        while self._queue:
            self._handle(self._queue.popleft())
        while True:
            try:
                message = self._conn.receive(timeout=0)
            except TimeoutError:
                return
            except OSError as err:
                raise ProbeUnavailable(f"the D-Bus connection closed: {err}") from err
            self._handle(message)

    def _handle(self, message: Message) -> None:
        header = message.header
        if header.message_type is MessageType.signal:
            if header.fields.get(HeaderFields.member) == "NameOwnerChanged" and message.body[0] == KWIN:
                self._lost = "KWin left the session bus (it quit or restarted)"
            return
        if header.message_type is not MessageType.method_call:
            return
        if header.fields.get(HeaderFields.sender) != self._kwin:
            self._conn.send(new_error(message, "org.freedesktop.DBus.Error.AccessDenied", "s",
                                      ("only KWin reports to FocusGuard",)))
            return
        try:
            self._changed |= self._apply(header.fields.get(HeaderFields.member, ""), message.body)
        except (ValueError, TypeError, IndexError) as err:
            log.warning("bad report from the KWin script: %s", err)
            self._conn.send(new_error(message, "org.freedesktop.DBus.Error.InvalidArgs", "s", (str(err),)))
            return
        self._conn.send(new_method_return(message))

    def _apply(self, member: str, body: tuple[Any, ...]) -> bool:
        """Apply one report; True when the active window changed."""
        if member == "Window":
            return self._windows.update(parse_window(body[0]))
        if member == "Closed":
            return self._windows.close(str(body[0]))
        if member == "Active":
            return self._windows.activate(str(body[0]))
        if member == "Done":
            plugin, found = str(body[0]), body[1]
            if not found:
                log.info("KWin no longer has the window %s was to activate", plugin)
            if plugin in self._one_shots:
                self._finished.append(plugin)
            return False
        raise ValueError(f"unknown report {member!r}")

    # -- the probe -------------------------------------------------------------

    def active_window(self) -> WindowInfo | None:
        window = self._windows.active
        return describe(window, self._processes) if window is not None else None

    def activate(self, predicate: Callable[[WindowInfo], bool]) -> bool:
        """Ask KWin (through a one-shot script) to activate the most recently active
        window ``predicate`` accepts; True once asked."""
        for window in self._windows.most_recent_first():
            if predicate(describe(window, self._processes)):
                try:
                    self._activate(window.id)
                except ProbeUnavailable as err:
                    log.warning("could not activate %r: %s", window.caption, err.why)
                    return False
                return True
        return False

    def place(self, title: str, x: int, y: int) -> bool:
        """Move this process's window titled ``title`` to (x, y) and keep it above the
        others (what Qt's stay-on-top hint asks, which Wayland cannot carry); True once asked."""
        for window in self._windows.most_recent_first():
            if window.pid == os.getpid() and window.caption == title:
                try:
                    self._activate(window.id, x=str(x), y=str(y))
                except ProbeUnavailable as err:
                    log.warning("could not place %r: %s", title, err.why)
                    return False
                return True
        return False

    def _activate(self, window_id: str, **move: str) -> None:
        """The one-shot script on ``window_id``: activate it, or move it to ``move``'s x, y."""
        self._shots += 1
        plugin = f"{self.plugin}_activate{self._shots}"
        path = self._write(plugin, script_text("kwin_activate.js",
                                               self._config(plugin=plugin, window=window_id, **move)))
        self._one_shots[plugin] = path
        try:
            self._load_and_run(path, plugin)
        except ProbeUnavailable:
            self._unload_one_shot(plugin)
            raise
        self._settle()

    def _unload_one_shot(self, plugin: str) -> None:
        path = self._one_shots.pop(plugin, None)
        if path is not None:
            path.unlink(missing_ok=True)
        try:
            self._kwin_call(SCRIPTING, "unloadScript", "s", plugin)
        except ProbeUnavailable as err:
            log.debug("unloading %s: %s", plugin, err.why)

    def close(self) -> None:
        """Unload the scripts and close the connection (which gives up the bus name)."""
        if self._closed:
            return
        self._closed = True
        if not self._lost:  # else KWin has gone, and its scripts with it
            for plugin in [*self._one_shots, *([self.plugin] if self._loaded else [])]:
                self._unload_one_shot(plugin)
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
        self._filter.close()
        self._conn.close()

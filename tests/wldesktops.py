"""Headless Wayland desktops for the end-to-end tests, one class per compositor.

Each runs as the unprivileged test user (``wlsession.UserSession``) and offers the
same interface, so an app-level test can run against every compositor:

- ``name``; ``env``: the environment for clients and the app (WAYLAND_DISPLAY,
  XDG_CURRENT_DESKTOP, XDG_SESSION_TYPE, DBUS_SESSION_BUS_ADDRESS,
  QT_QPA_PLATFORM=wayland, and the desktop's own variables such as SWAYSOCK);
- ``open_window(title, app_id) -> handle``: a native window, returned once mapped;
- ``focus(title)``; ``active_title()``: what the compositor itself says has the
  focus (never read through FocusGuard's probes);
- ``titles()``: every window's title, and ``geometry(title)`` where one is, per the compositor;
- ``set_title(handle, title)``; ``poke_input()``: input that makes the user active;
- ``screenshot(path)``; ``close()`` (also on leaving a ``with`` block).

``require(desktop_class)`` skips a test on a machine without the compositor and
fails it in CI (CI set), so the Wayland tests cannot silently vanish there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from wlsession import ScreenshotUnavailable, SessionError, UserSession, WlWindow, can_run_as_user, wait_for


def require(desktop: type[Any]) -> None:
    """Skip (locally) or fail (in CI) unless ``desktop`` can start here."""
    missing = [name for name in desktop.PROGRAMS if shutil.which(name) is None]
    reasons = [f"needs {', '.join(missing)} (./scripts/test installs them)"] if missing else []
    if why := can_run_as_user():
        reasons.append(why)
    if reasons:
        reason = f"the {desktop.name} tests {'; '.join(reasons)}"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run {reason}")
        pytest.skip(reason)


# -- sway -----------------------------------------------------------------------------

SWAY_CONFIG = """\
xwayland disable
output HEADLESS-1 resolution 1280x800
default_border normal
"""

#: Run in foot instead of a shell: each line written to the FIFO ($1) becomes the
#: window's title (OSC 2), as a terminal program retitles its window.
RETITLE = 'exec 3<>"$1"; while IFS= read -r t <&3; do printf "\\033]2;%s\\007" "$t"; done'


@dataclass
class SwayWindow:
    proc: subprocess.Popen[bytes]
    con_id: int
    app_id: str
    control: Path  # FIFO: a line written here retitles the window


class SwayDesktop(UserSession):
    """Headless sway (1.7 on Debian 12, 1.10 on Debian 13) with software rendering
    and no XWayland; windows are foot terminals."""

    name = "sway"
    PROGRAMS = ("sway", "swaymsg", "foot", "grim")

    def __init__(self) -> None:
        super().__init__(dbus=True)
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        self._windows = 0
        self._pointer_step = 1

    def _start(self) -> None:
        config = self.root / "sway.cfg"
        config.write_text(SWAY_CONFIG)
        env = dict(self.env, WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1",
                   WLR_RENDERER="pixman", XDG_CURRENT_DESKTOP="sway")
        self._sway = self.popen(["sway", "-c", str(config)], env=env, log="sway.log")

        def ready() -> bool:
            if self._sway.poll() is not None:
                raise SessionError(f"sway exited {self._sway.returncode}: {self.log_text('sway.log')[-2000:]}")
            return bool(self._socket("sway-ipc.*.sock")) and bool(self._socket("wayland-*[0-9]"))

        wait_for(ready, "sway's sockets")
        self.env.update({
            "WAYLAND_DISPLAY": self._socket("wayland-*[0-9]"),
            "SWAYSOCK": str(self.runtime_dir / self._socket("sway-ipc.*.sock")),
            "XDG_CURRENT_DESKTOP": "sway",
            "XDG_SESSION_TYPE": "wayland",
            "QT_QPA_PLATFORM": "wayland",
        })
        self.version = self.swaymsg("get_version")["human_readable"]

    def _socket(self, pattern: str) -> str:
        found = sorted(path.name for path in self.runtime_dir.glob(pattern))
        return found[0] if found else ""

    # -- talking to sway, as the compositor sees things ----------------------------

    def swaymsg(self, kind: str = "command", *args: str) -> Any:
        """``swaymsg -t KIND ARGS`` as the user; its JSON reply."""
        done = self.run(["swaymsg", "-r", "-t", kind, *args], check=False)
        if done.returncode != 0:
            raise SessionError(f"swaymsg -t {kind} {' '.join(args)}: {done.stdout}{done.stderr}")
        return json.loads(done.stdout)

    def windows(self) -> list[dict[str, Any]]:
        """Every window in sway's tree."""
        found, stack = [], [self.swaymsg("get_tree")]
        while stack:
            node = stack.pop()
            if node.get("type") in ("con", "floating_con") and node.get("pid"):
                found.append(node)
            stack.extend(node.get("nodes", []) + node.get("floating_nodes", []))
        return found

    def _window(self, title: str) -> dict[str, Any]:
        matches = [node for node in self.windows() if node.get("name") == title]
        if len(matches) != 1:
            raise SessionError(f"{len(matches)} windows are titled {title!r}")
        return matches[0]

    def titles(self) -> list[str]:
        """The titles of every window sway shows."""
        return [node.get("name") or "" for node in self.windows()]

    def geometry(self, title: str) -> tuple[int, int, int, int]:
        """Where sway shows the window ``title``: x, y, width, height."""
        rect = self._window(title)["rect"]
        return rect["x"], rect["y"], rect["width"], rect["height"]

    def stacked_over(self, upper: str, lower: str) -> bool:
        """Whether sway shows the window ``upper`` over ``lower``: floating windows are
        over tiled ones, and later floating ones over earlier ones."""
        order = [node.get("name") for node in self.windows() if node["type"] == "con"]
        stack, floating = [self.swaymsg("get_tree")], []
        while stack:  # floating windows, bottom to top
            node = stack.pop(0)
            floating += [child.get("name") for child in node.get("floating_nodes", [])]
            stack.extend(node.get("nodes", []))
        order += floating
        return order.index(upper) > order.index(lower)

    def active_title(self) -> str:
        """The focused window's title per sway; "" when no window has the focus."""
        return next((node.get("name") or "" for node in self.windows() if node.get("focused")), "")

    # -- the common interface --------------------------------------------------------

    def open_window(self, title: str, app_id: str) -> SwayWindow:
        """A foot window titled ``title`` with ``app_id``, once sway has mapped it
        (it then has the focus)."""
        self._windows += 1
        control = self.root / f"title-{self._windows}.fifo"
        os.mkfifo(control, 0o600)
        if os.geteuid() == 0:  # give() walks folders only
            os.chown(control, self.user.pw_uid, self.user.pw_gid)
        proc = self.popen(["foot", "-T", title, "--app-id", app_id, "--", "sh", "-c", RETITLE, "retitle",
                           str(control)], log=f"foot-{self._windows}.log")

        def mapped() -> bool:
            if proc.poll() is not None:
                raise SessionError(f"foot exited {proc.returncode}: {self.log_text(f'foot-{self._windows}.log')}")
            return any(node.get("pid") == proc.pid for node in self.windows())

        wait_for(mapped, f"the window {title!r}")
        node = next(node for node in self.windows() if node.get("pid") == proc.pid)
        return SwayWindow(proc, node["id"], app_id, control)

    def focus(self, title: str) -> None:
        con_id = self._window(title)["id"]
        self.swaymsg("command", f"[con_id={con_id}] focus")
        wait_for(lambda: self.active_title() == title, f"{title!r} to have the focus", timeout=5)

    def set_title(self, window: SwayWindow, title: str) -> None:
        with open(window.control, "w", encoding="utf-8") as fifo:
            fifo.write(title + "\n")

        def retitled() -> bool:
            return any(n["id"] == window.con_id and n.get("name") == title for n in self.windows())

        wait_for(retitled, f"the window to be retitled {title!r}", timeout=5)

    def close_window(self, window: SwayWindow) -> None:
        window.proc.terminate()
        window.proc.wait(timeout=5)
        wait_for(lambda: all(n["id"] != window.con_id for n in self.windows()), "the window to close")

    def poke_input(self) -> None:
        """Move the pointer a pixel (back and forth): input on the seat, which resets
        the idle timers as a real mouse would."""
        self.swaymsg("command", f"seat - cursor move {self._pointer_step} 0")
        self._pointer_step = -self._pointer_step

    def screenshot(self, path: Path) -> Path:
        """The whole output as a PNG at ``path`` (taken by grim, as the user)."""
        shot = self.home / "grim.png"  # a folder the user may write to
        shot.unlink(missing_ok=True)
        self.run(["grim", str(shot)])
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, path)
        return path


# -- GNOME Shell ----------------------------------------------------------------------

#: Runs as root inside a private mount namespace: GNOME Shell must not find the
#: machine's systemd or system bus, so both folders are hidden under tmpfs and a
#: private system bus runs there; then the shell starts as the user ($1 uid, $2 gid).
GNOME_LAUNCH = """\
set -e
mount -t tmpfs -o mode=0755 tmpfs /run/systemd
mount -t tmpfs -o mode=0755 tmpfs /run/dbus
dbus-daemon --system --nofork --nopidfile &
while [ ! -S /run/dbus/system_bus_socket ]; do sleep 0.05; done
uid=$1 gid=$2; shift 2
exec setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$@"
"""

#: A test-only extension that switches on the shell's unsafe mode, so the tests can
#: ask the shell itself (org.gnome.Shell.Eval, Screenshot) what has the focus,
#: independently of FocusGuard's own extension.
UNSAFE_UUID = "focusguard-tests-unsafe@focusguard.github.io"
UNSAFE_LEGACY = """\
function init() {
    return {enable() { global.context.unsafe_mode = true; },
            disable() { global.context.unsafe_mode = false; }};
}
"""
UNSAFE_MODULE = """\
export default class {
    enable() { global.context.unsafe_mode = true; }
    disable() { global.context.unsafe_mode = false; }
}
"""
#: The windows the shell manages, as Eval'd JavaScript.
GNOME_WINDOWS = "global.display.list_all_windows().filter(w => !w.is_override_redirect())"


class GnomeDesktop(UserSession):
    """Headless GNOME Shell (43 on Debian 12, 48 on Debian 13) on a virtual monitor,
    no XWayland, with FocusGuard's extension installed and enabled by
    ``focusguard setup gnome`` (run as the user) before the shell starts; windows
    are tests/wlwindow.py on Qt's wayland platform."""

    name = "gnome"
    PROGRAMS = ("gnome-shell", "dbus-daemon", "unshare", "setpriv", "gsettings", "gdbus")
    SOCKET = "wl-gnome"
    #: The CLI, run as the user.
    focusguard = (sys.executable, "-m", "focusguard")

    def __init__(self) -> None:
        super().__init__(dbus=True)
        self.env.update({
            "WAYLAND_DISPLAY": self.SOCKET,
            "XDG_CURRENT_DESKTOP": "GNOME",
            "XDG_SESSION_TYPE": "wayland",
            "QT_QPA_PLATFORM": "wayland",
        })
        self._bus: Any = None
        try:
            self.version = self._shell_version()
            self.setup_output = self.run([*self.focusguard, "setup", "gnome"]).stdout
            self._install_unsafe_helper()
            self._start()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._bus is not None:
            self._bus.close()
            self._bus = None
        super().close()

    def _shell_version(self) -> int:
        from focusguard.platform.wayland.gnome_setup import shell_version

        return shell_version()

    def _install_unsafe_helper(self) -> None:
        from focusguard.platform.wayland.gnome_setup import ShellSettings, extension_dir

        folder = extension_dir(self.env).parent / UNSAFE_UUID
        folder.mkdir(parents=True)
        legacy = self.version < 45
        (folder / "extension.js").write_text(UNSAFE_LEGACY if legacy else UNSAFE_MODULE)
        (folder / "metadata.json").write_text(json.dumps({
            "uuid": UNSAFE_UUID, "name": "FocusGuard tests: unsafe mode", "description": "tests only",
            "shell-version": [str(self.version)]}))
        self.give(self.home)
        settings = ShellSettings(lambda argv: self.run(argv, check=False))
        settings.enable(UNSAFE_UUID)
        # no opening animations: a window is on screen (and in a screenshot) once mapped
        self.run(["gsettings", "set", "org.gnome.desktop.interface", "enable-animations", "false"])

    def _start(self) -> None:
        argv = ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", GNOME_LAUNCH, "launch",
                str(self.user.pw_uid), str(self.user.pw_gid),
                "gnome-shell", "--headless", "--wayland", "--no-x11", "--virtual-monitor", "1280x800",
                "--wayland-display", self.SOCKET]
        if os.geteuid() != 0:
            raise SessionError("GNOME Shell's private mount namespace needs root")
        with open(self.root / "gnome-shell.log", "ab") as log:
            self._shell = subprocess.Popen(argv, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                           stderr=subprocess.STDOUT, cwd=str(self.home),
                                           start_new_session=True)
        self._procs.append(self._shell)

        def ready() -> bool:
            if self._shell.poll() is not None:
                raise SessionError(f"gnome-shell exited {self._shell.returncode}: "
                                   f"{self.log_text('gnome-shell.log')[-3000:]}")
            return self.has_owner("org.gnome.Shell") and self._unsafe()

        wait_for(ready, "GNOME Shell and its unsafe mode", timeout=60)
        # The shell opens the overview once started up, and there no window has the focus.
        wait_for(lambda: self.eval("Main.layoutManager._startingUp") is False, "GNOME Shell's start-up")
        self.eval("Main.overview.hide()")
        wait_for(lambda: self.eval("Main.overview.visible || Main.overview.animationInProgress") is False,
                 "the overview to close")
        # and the banner saying unsafe mode is on would cover the top of every screenshot
        self.eval("Main.messageTray.getSources().forEach(source => source.destroy())")

    # -- talking to the shell, as the shell sees things -----------------------------

    def _call(self, dest: str, path: str, interface: str, method: str,
              signature: str | None = None, *args: Any) -> tuple[Any, ...]:
        """A D-Bus method call on the session bus (a connection kept for the desktop)."""
        from jeepney import DBusAddress, MessageType, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        if self._bus is None:
            self._bus = open_dbus_connection(self.env["DBUS_SESSION_BUS_ADDRESS"])
        message = new_method_call(DBusAddress(path, dest, interface), method, signature, args)
        reply = self._bus.send_and_get_reply(message, timeout=10)
        if reply.header.message_type == MessageType.error:
            raise SessionError(f"{interface}.{method}: {reply.body}")
        return tuple(reply.body)

    def has_owner(self, name: str) -> bool:
        """Whether ``name`` is owned on the session bus."""
        return bool(self._call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                               "NameHasOwner", "s", name)[0])

    def _shell_eval(self, script: str) -> tuple[bool, str]:
        ok, value = self._call("org.gnome.Shell", "/org/gnome/Shell", "org.gnome.Shell", "Eval", "s", script)
        return bool(ok), str(value)

    def _unsafe(self) -> bool:
        try:
            return self._shell_eval("1") == (True, "1")
        except SessionError:  # the name comes before the object while the shell starts
            return False

    def eval(self, script: str) -> Any:
        """The value of the JavaScript ``script`` run inside the shell (org.gnome.Shell.Eval)."""
        ok, value = self._shell_eval(script)
        if not ok:
            raise SessionError(f"the shell could not run {script!r}: {value}")
        return json.loads(value) if value else None

    def titles(self) -> list[str]:
        return list(self.eval(f"{GNOME_WINDOWS}.map(w => w.get_title())"))

    def geometry(self, title: str) -> tuple[int, int, int, int]:
        """Where the shell shows the window ``title``: x, y, width, height."""
        x, y, width, height = self.eval(
            f"(r => [r.x, r.y, r.width, r.height])({GNOME_WINDOWS}"
            f".find(w => w.get_title() === {json.dumps(title)}).get_frame_rect())")
        return x, y, width, height

    def stacked_over(self, upper: str, lower: str) -> bool:
        """Whether the shell shows the window ``upper`` over ``lower``."""
        return bool(self.eval(
            f"(ws => {{ const at = t => ws.findIndex(w => w.get_title() === t);"
            f" return at({json.dumps(upper)}) > at({json.dumps(lower)}); }})"
            f"(global.display.sort_windows_by_stacking({GNOME_WINDOWS}))"))

    def top_bar(self) -> int:
        """How far down the shell's work area starts: windows stay below its top bar."""
        return int(self.eval("global.workspace_manager.get_active_workspace()"
                             ".get_work_area_for_monitor(0).y"))

    def active_title(self) -> str:
        """The focused window's title per the shell; "" when no window has the focus."""
        return str(self.eval("global.display.focus_window ? global.display.focus_window.get_title() : ''"))

    def extension_info(self, uuid: str) -> dict[str, Any]:
        """What the shell says of the extension ``uuid`` (state, error...)."""
        info = self._call("org.gnome.Shell", "/org/gnome/Shell", "org.gnome.Shell.Extensions",
                          "GetExtensionInfo", "s", uuid)[0]
        return {key: value for key, (_sig, value) in info.items()}

    # -- the common interface --------------------------------------------------------

    def open_window(self, title: str, app_id: str) -> WlWindow:
        """A native Wayland Qt window titled ``title`` with ``app_id``, once the shell
        manages it and has given it the focus."""
        window = self.open_wlwindow(title, app_id)

        def mapped() -> bool:
            self.wlwindow_alive(window)
            return title in self.titles()

        wait_for(mapped, f"the window {title!r}")
        self.focus(title)  # as on sway, a new window has the focus
        return window

    def focus(self, title: str) -> None:
        found = self.eval(f"(() => {{ const w = {GNOME_WINDOWS}.find(w => w.get_title() === {json.dumps(title)});"
                          " if (w) w.activate(global.get_current_time()); return Boolean(w); })()")
        if not found:
            raise SessionError(f"no window is titled {title!r}")
        wait_for(lambda: self.active_title() == title, f"{title!r} to have the focus", timeout=5)

    def close_window(self, window: WlWindow) -> None:
        window.proc.terminate()
        window.proc.wait(timeout=5)
        wait_for(lambda: window.title not in self.titles(), "the window to close")

    def poke_input(self) -> None:
        """Move a virtual pointer (Clutter's, inside the shell) by a pixel: input on
        the seat, which resets Mutter's idle time as a real mouse would."""
        self.eval("(() => { const C = imports.gi.Clutter;"
                  " global._fgPointer ??= C.get_default_backend().get_default_seat()"
                  ".create_virtual_device(C.InputDeviceType.POINTER_DEVICE);"
                  " global._fgPointer.notify_relative_motion(imports.gi.GLib.get_monotonic_time(), 1, 0); })()")

    def _settle(self, frames: int = 3) -> None:
        """Wait until the shell has painted ``frames`` more frames, so what was just
        mapped or changed (a client's first buffer comes a moment after its window
        exists) is on screen."""
        self.eval("(() => { global._fgPaints = 0; const stage = global.stage;"
                  " const id = stage.connect('after-paint', () => {"
                  f" if (++global._fgPaints >= {frames}) stage.disconnect(id); else stage.queue_redraw(); }});"
                  " stage.queue_redraw(); })()")
        wait_for(lambda: self.eval("global._fgPaints") >= frames, "the shell to paint", timeout=5)

    def screenshot(self, path: Path) -> Path:
        """The whole screen as a PNG at ``path`` (org.gnome.Shell.Screenshot)."""
        shot = self.home / "shell-shot.png"  # a folder the shell's user may write to
        shot.unlink(missing_ok=True)
        self._settle()
        self._call("org.gnome.Shell.Screenshot", "/org/gnome/Shell/Screenshot", "org.gnome.Shell.Screenshot",
                   "Screenshot", "bbs", False, False, str(shot))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, path)
        return path


# -- KWin -----------------------------------------------------------------------------

#: Put before every one-shot script the KWin desktop runs (KWin 5 says "client"
#: where KWin 6 says "window"); ``out`` prints a line the desktop reads back from
#: KWin's log.
KWIN_PRELUDE = """\
const kwin6 = workspace.windowList !== undefined;
const windows = kwin6 ? workspace.windowList() : workspace.clientList();
const active = kwin6 ? workspace.activeWindow : workspace.activeClient;
function out(text) { print(TAG + " " + text); }
function setActive(w) { if (kwin6) { workspace.activeWindow = w; } else { workspace.activeClient = w; } }
"""



class KWinDesktop(UserSession):
    """Headless KWin (``kwin_wayland --virtual``: 5.27 on Debian 12, 6 on Debian 13)
    on the session's private bus; windows are tests/wlwindow.py (foot crashes here).

    ``/usr/bin/kwin_wayland`` carries a file capability (cap_sys_resource) that an
    unprivileged user may not gain in a container ("Operation not permitted"), so
    the desktop runs a plain copy, whose name must still end in ``kwin_wayland``.
    What KWin itself sees comes from one-shot KWin scripts loaded over D-Bus (as
    FocusGuard's probe does, but written separately) that print into KWin's log.
    """

    name = "kwin"
    PROGRAMS = ("kwin_wayland", "dbus-daemon")
    SOCKET = "wayland-kwin"

    def __init__(self) -> None:
        super().__init__(dbus=True)
        self._scripts = 0
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        from jeepney.io.blocking import open_dbus_connection

        binary = self.root / "kwin" / "kwin_wayland"
        binary.parent.mkdir()
        shutil.copyfile(shutil.which("kwin_wayland") or "kwin_wayland", binary)
        binary.chmod(0o755)
        self.env.update({
            "WAYLAND_DISPLAY": self.SOCKET,
            "XDG_CURRENT_DESKTOP": "KDE",
            "KDE_FULL_SESSION": "true",
            "XDG_SESSION_TYPE": "wayland",
            "QT_QPA_PLATFORM": "wayland",
        })
        # OpenGL (llvmpipe) compositing: with QPainter KWin offers no ScreenShot2
        env = dict(self.env, KWIN_SCREENSHOT_NO_PERMISSION_CHECKS="1", QT_LOGGING_RULES="js.debug=true")
        # The screen locker stays (never locking): its org.freedesktop.ScreenSaver
        # interface is how poke_input() makes the user active.
        config = self.home / ".config"
        config.mkdir(mode=0o700)
        (config / "kscreenlockerrc").write_text("[Daemon]\nAutolock=false\nLockOnResume=false\n")
        self.give(config)
        self._kwin = self.popen([str(binary), "--virtual", "--no-global-shortcuts",
                                 "--socket", self.SOCKET, "--width", "1280", "--height", "800"],
                                env=env, log="kwin.log")
        self._bus = open_dbus_connection(self.env["DBUS_SESSION_BUS_ADDRESS"], enable_fds=True)

        def ready() -> bool:
            if self._kwin.poll() is not None:
                raise SessionError(f"kwin_wayland exited {self._kwin.returncode}: "
                                   f"{self.log_text('kwin.log')[-2000:]}")
            if not (self.runtime_dir / self.SOCKET).exists():
                return False
            try:
                self.version = self._support_version()
            except Exception:  # noqa: BLE001 - not on the bus yet
                return False
            return True

        wait_for(ready, "KWin's socket and D-Bus interface", timeout=30)

    def _support_version(self) -> str:
        info = self._call("/KWin", "org.kde.KWin", "supportInformation")[0]
        return next(line.split(":", 1)[1].strip() for line in info.splitlines()
                    if line.startswith("KWin version:"))

    def _call(self, path: str, interface: str, method: str, signature: str | None = None,
              body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import unwrap_msg

        address = DBusAddress(path, bus_name="org.kde.KWin", interface=interface)
        reply = self._bus.send_and_get_reply(new_method_call(address, method, signature, body), timeout=10)
        return unwrap_msg(reply)  # type: ignore[no-any-return]

    def close(self) -> None:
        bus = getattr(self, "_bus", None)
        if bus is not None:
            bus.close()
        super().close()

    # -- looking and acting as KWin itself -------------------------------------------

    def script(self, body: str) -> list[str]:
        """Run ``body`` (after KWIN_PRELUDE) as a one-shot KWin script; the lines it
        ``out()``s. KWin answers ``run`` once the script has run."""
        self._scripts += 1
        tag = f"fgdesk{self._scripts}"
        path = self.root / f"{tag}.js"
        path.write_text(f'const TAG = "{tag}";\n{KWIN_PRELUDE}{body}\nout("end");\n', encoding="utf-8")
        path.chmod(0o644)
        script_id = self._call("/Scripting", "org.kde.kwin.Scripting", "loadScript", "ss", (str(path), tag))[0]
        run_at = f"/Scripting/Script{script_id}" if int(self.version.split(".")[0]) >= 6 else f"/{script_id}"
        try:
            self._call(run_at, "org.kde.kwin.Script", "run")
        finally:
            self._call("/Scripting", "org.kde.kwin.Scripting", "unloadScript", "s", (tag,))
        marker = f"{tag} "

        def lines() -> list[str]:
            return [line.split(marker, 1)[1] for line in self.log_text("kwin.log").splitlines() if marker in line]

        wait_for(lambda: "end" in lines(), f"the output of KWin script {tag}", timeout=5)
        return lines()[:-1]

    def script_loaded(self, plugin: str) -> bool:
        """Whether KWin has a script loaded under the plugin name ``plugin``."""
        return bool(self._call("/Scripting", "org.kde.kwin.Scripting", "isScriptLoaded", "s", (plugin,))[0])

    def windows(self) -> list[dict[str, Any]]:
        """Every window KWin manages: caption, pid, app id (resourceClass), active."""
        return [json.loads(line) for line in self.script(
            "for (const w of windows) { out(JSON.stringify({caption: String(w.caption), pid: w.pid, "
            "appId: String(w.resourceClass), active: w === active})); }")]

    def titles(self) -> list[str]:
        """The titles of every window KWin manages."""
        return [window["caption"] for window in self.windows()]

    def geometry(self, title: str) -> tuple[int, int, int, int]:
        """Where KWin shows the window ``title``: x, y, width, height."""
        [line] = self.script(
            f"for (const w of windows) {{ if (String(w.caption) === {json.dumps(title)}) {{"
            " const g = w.frameGeometry; out(JSON.stringify([g.x, g.y, g.width, g.height])); } }")
        x, y, width, height = json.loads(line)
        return x, y, width, height

    def stacked_over(self, upper: str, lower: str) -> bool:
        """Whether KWin shows the window ``upper`` over ``lower`` (each window's place
        in KWin's stacking order, bottom first)."""
        places = dict(json.loads(line) for line in self.script(
            "for (const w of windows) { out(JSON.stringify([String(w.caption), w.stackingOrder])); }"))
        return bool(places[upper] > places[lower])

    def active_title(self) -> str:
        """The active window's title per KWin; "" when none is active."""
        return self.script('out(JSON.stringify(active ? String(active.caption) : ""));')[0].strip('"')

    # -- the common interface --------------------------------------------------------

    def open_window(self, title: str, app_id: str) -> WlWindow:
        """A native Wayland Qt window titled ``title`` with ``app_id``, once KWin
        manages it (it then has the focus)."""
        window = self.open_wlwindow(title, app_id)

        def mapped() -> bool:
            self.wlwindow_alive(window)
            return any(w["pid"] == window.proc.pid and w["caption"] == title for w in self.windows())

        wait_for(mapped, f"the window {title!r}")
        return window

    def focus(self, title: str) -> None:
        found = self.script(f"for (const w of windows) {{ if (String(w.caption) === {json.dumps(title)}) "
                            "{ setActive(w); out('found'); } }")
        if not found:
            raise SessionError(f"KWin has no window titled {title!r}")
        wait_for(lambda: self.active_title() == title, f"{title!r} to have the focus", timeout=5)

    def poke_input(self) -> None:
        """User activity as KWin counts it: ``SimulateUserActivity`` on its screen
        locker's org.freedesktop.ScreenSaver interface resets KWin's idle timers (the
        virtual backend has no input devices, and KWin grants its fake-input protocol
        only to installed, approved programs)."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.wrappers import unwrap_msg

        address = DBusAddress("/ScreenSaver", bus_name="org.freedesktop.ScreenSaver",
                              interface="org.freedesktop.ScreenSaver")
        unwrap_msg(self._bus.send_and_get_reply(new_method_call(address, "SimulateUserActivity"), timeout=10))

    def close_window(self, window: WlWindow) -> None:
        window.proc.terminate()
        window.proc.wait(timeout=5)
        wait_for(lambda: all(w["pid"] != window.proc.pid for w in self.windows()), "the window to close")

    def screenshot(self, path: Path) -> Path:
        """The whole workspace as a PNG at ``path``, from KWin's ScreenShot2 interface
        (KWin writes the raw image to a pipe; the permission check is off for this KWin).

        KWin offers ScreenShot2 only while compositing with OpenGL, and KWin 6's
        virtual backend does so only on a DRM render node (/dev/dri): on a machine
        without one it composites with QPainter and ScreenshotUnavailable says so
        (KWin 5.27 used llvmpipe without a device)."""
        from jeepney import DBusAddress, new_method_call
        from jeepney.bus_messages import message_bus
        from jeepney.wrappers import unwrap_msg
        from PySide6.QtGui import QImage

        if not unwrap_msg(self._bus.send_and_get_reply(message_bus.NameHasOwner("org.kde.KWin.ScreenShot2")))[0]:
            info = self._call("/KWin", "org.kde.KWin", "supportInformation")[0]
            kind = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                         if line.startswith("Compositing Type:")), "unknown")
            raise ScreenshotUnavailable(
                f"KWin {self.version} offers no screenshot here: it composites with {kind}, and only "
                "OpenGL compositing (on a DRM render node, /dev/dri, for KWin 6) has ScreenShot2")
        read_end, write_end = os.pipe()
        try:
            address = DBusAddress("/org/kde/KWin/ScreenShot2", bus_name="org.kde.KWin.ScreenShot2",
                                  interface="org.kde.KWin.ScreenShot2")
            message = new_method_call(address, "CaptureWorkspace", "a{sv}h", ({}, write_end))
            meta = unwrap_msg(self._bus.send_and_get_reply(message, timeout=10))[0]
        finally:
            os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        info = {key: value for key, (_sig, value) in meta.items()}
        image = QImage(data, info["width"], info["height"], info["stride"], QImage.Format(info["format"]))
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise SessionError(f"could not save KWin's screenshot ({info}) to {path}")
        return path

"""A throwaway X desktop for tests and benchmarks: Xvfb + openbox (+ trayer).

Real desktop behaviour (which window is active, how long the user has been idle,
what a tray icon looks like) can only be checked against a real X server. This
module starts one on a free display number, with a real window manager so that
``_NET_ACTIVE_WINDOW`` is maintained and ``xdotool windowactivate`` works, and an
optional system tray (trayer) for the tray icon. Everything it starts is stopped
again on ``close()`` / leaving the ``with`` block.

Used by ``tests/conftest.py`` (the ``xdesktop`` fixture) and ``bench/`` scripts.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path

SCREEN = "1280x800x24"
REQUIRED = ("Xvfb", "openbox", "xdotool", "xdpyinfo", "xprop", "wmctrl", "xterm")
# the panel the tray icon docks into, as FocusGuard's e2e screenshots expect it
TRAYER_ARGS = ("--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24",
               "--SetDockType", "true", "--transparent", "false", "--tint", "0x202124")
#: how often a search that died of an X error (a window closed under it) is run again
SEARCH_TRIES = 5


class XDesktopError(RuntimeError):
    """The desktop could not be started or did not respond in time."""


def missing_binaries(with_tray: bool = True) -> list[str]:
    """The programs XDesktop needs that are not on PATH (empty = good to go)."""
    needed = REQUIRED + (("trayer",) if with_tray else ())
    return [name for name in needed if shutil.which(name) is None]


def wait_for(check: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Poll ``check`` until it is true; raise XDesktopError naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise XDesktopError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.05)


class XDesktop:
    """Xvfb on a free display with openbox and optionally trayer.

    ``env`` is a full environment for child processes pointed at this display
    (DISPLAY set, Wayland variables removed, XDG_SESSION_TYPE=x11).
    """

    def __init__(self, *, tray: bool = True, screen: str = SCREEN) -> None:
        self.tray = tray
        self.screen = screen
        self.display = ""
        self.env: dict[str, str] = {}
        self._procs: list[subprocess.Popen[bytes]] = []
        self._windows: dict[str, tuple[str, subprocess.Popen[bytes]]] = {}  # title -> id, xterm
        self._tray_panel: str | None = None  # trayer's panel window, found once it maps

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> XDesktop:
        missing = missing_binaries(self.tray)
        if missing:
            raise XDesktopError(f"missing programs: {', '.join(missing)}")
        try:
            self._start_xvfb()
            self._spawn(["openbox", "--sm-disable"])
            wait_for(self._wm_ready, "openbox to manage the display")
            if self.tray:
                self.start_tray()
        except BaseException:
            self.close()
            raise
        return self

    def start_tray(self) -> None:
        """Start trayer's panel (a tray that appears after the app, as panels often do)."""
        proc = self._spawn(["trayer", *TRAYER_ARGS])
        self._tray_panel = self._wait_mapped(proc, "trayer's panel", "--class", "trayer")

    def close(self) -> None:
        """Stop every process this desktop started, newest first (Xvfb last)."""
        for proc in reversed(self._procs):
            self._stop(proc)
        self._procs.clear()
        self._windows.clear()
        self._tray_panel = None

    def __enter__(self) -> XDesktop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- windows and input -------------------------------------------------------

    def open_window(self, title: str) -> str:
        """Open an xterm titled ``title``, wait until it is mapped; returns its window id.

        The terminal runs ``sleep`` rather than a shell so no prompt can retitle it.
        xterm stores the title as WM_NAME in COMPOUND_TEXT (no _NET_WM_NAME), the
        encoding older X clients use; ``set_title`` gives it a UTF-8 _NET_WM_NAME.
        """
        if title in self._windows:
            raise XDesktopError(f"a window titled {title!r} is already open")
        proc = self._spawn(
            ["xterm", "-xrm", "XTerm*allowTitleOps: false", "-T", title, "-e", "sleep", "infinity"]
        )
        window = self._wait_mapped(proc, f"the window {title!r}", "--pid", str(proc.pid))
        self._windows[title] = (window, proc)
        return window

    def window_id(self, title: str) -> str:
        return self._windows[title][0]

    def pid(self, title: str) -> int:
        """The pid of the xterm showing the window opened as ``title``."""
        return self._windows[title][1].pid

    def set_title(self, title: str, new_title: str) -> None:
        """Retitle a window the way modern toolkits do: _NET_WM_NAME as UTF8_STRING
        (and WM_NAME as STRING or COMPOUND_TEXT, whichever xprop picks)."""
        window, proc = self._windows.pop(title)
        for prop, fmt in (("_NET_WM_NAME", "8u"), ("WM_NAME", "8t")):
            subprocess.run(
                ["xprop", "-id", window, "-f", prop, fmt, "-set", prop, new_title],
                env=self.env,
                check=True,
                capture_output=True,
                timeout=15,
            )
        self._windows[new_title] = (window, proc)

    def close_window(self, title: str) -> None:
        """Close the window opened as ``title`` by ending its xterm."""
        _, proc = self._windows.pop(title)
        self._stop(proc)
        self._procs.remove(proc)

    def activate(self, title: str) -> None:
        """Make the window opened as ``title`` the active one, and wait until it is."""
        window = self.window_id(title)
        self.xdotool("windowactivate", "--sync", window)
        wait_for(lambda: self.active_window_id() == window, f"{title!r} to become active")

    def active_window_id(self) -> str:
        return self.xdotool("getactivewindow", check=False).strip()

    def find_window(self, name: str) -> str | None:
        """A visible window whose title matches the regex ``name`` (any client, not only
        the ones opened here), or None."""
        found = self.search("--onlyvisible", "--name", name)
        return found[0] if found else None

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """``x, y, width, height`` of ``window`` in screen coordinates (frame excluded)."""
        values = dict(
            line.split("=", 1)
            for line in self.xdotool("getwindowgeometry", "--shell", window).splitlines()
            if "=" in line
        )
        return int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"])

    def tray_geometry(self) -> tuple[int, int, int, int]:
        """Where trayer's panel is on the screen; docked tray icons sit inside it."""
        if self._tray_panel is None:
            raise XDesktopError("no trayer panel on this desktop (started with tray=False?)")
        return self.geometry(self._tray_panel)

    def click(self, x: int, y: int, button: int = 1) -> None:
        """Move the pointer to ``x, y`` on the screen and click there."""
        self.xdotool("mousemove", "--sync", str(x), str(y), "click", str(button))

    def mouse_nudge(self) -> None:
        """Move the pointer (to a new spot each time), which resets the X idle counter."""
        x, y = (100, 100) if self.xdotool("getmouselocation").startswith("x:100 ") else (120, 140)
        self.xdotool("mousemove", str(x), str(y))

    def screenshot(self, path: str | os.PathLike[str]) -> Path:
        """Save the whole screen as an image, format from the extension (needs ImageMagick)."""
        subprocess.run(
            ["import", "-window", "root", os.fspath(path)],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=30,
        )
        return Path(path)

    def xdotool(self, *args: str, check: bool = True) -> str:
        done = self._xdotool(*args)
        if check and done.returncode != 0:
            raise XDesktopError(f"xdotool {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def search(self, *args: str) -> list[str]:
        """The ids of the windows ``xdotool search ARGS`` finds; [] when none match.

        Debian 12's xdotool (3.20160805) dies of Xlib's default error handler when a
        window it is looking at closes in the middle of the search (BadWindow; fixed
        upstream in 3.20210804). Read as "nothing found", that made a closing prompt
        hide trayer's panel from a test, or pass a "window gone" check on a window
        still there. Such a search is run again instead.
        """
        for _ in range(SEARCH_TRIES):
            done = self._xdotool("search", *args)
            if "X Error" not in done.stderr:
                return done.stdout.split()
        raise XDesktopError(f"xdotool search {' '.join(args)} kept failing: {done.stderr.strip()}")

    # -- internals ---------------------------------------------------------------

    def _start_xvfb(self) -> None:
        read_fd, write_fd = os.pipe()
        try:
            proc = subprocess.Popen(
                [
                    "Xvfb",
                    "-displayfd",
                    str(write_fd),
                    "-screen",
                    "0",
                    self.screen,
                    "-nolisten",
                    "tcp",
                    "-noreset",
                ],
                pass_fds=(write_fd,),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
            self._procs.append(proc)
            os.close(write_fd)
            write_fd = -1
            number = self._read_display_number(read_fd, proc)
        finally:
            os.close(read_fd)
            if write_fd >= 0:
                os.close(write_fd)
        self.display = f":{number}"
        self.env = self._child_env(os.environ)
        wait_for(lambda: self._quiet(["xdpyinfo"]), f"Xvfb on {self.display} to answer")

    @staticmethod
    def _read_display_number(fd: int, proc: subprocess.Popen[bytes]) -> int:
        data = b""
        deadline = time.monotonic() + 15
        while not data.endswith(b"\n"):
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise XDesktopError("Xvfb did not report a display number within 15s")
            chunk = os.read(fd, 16)
            if not chunk:
                stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise XDesktopError(f"Xvfb exited before reporting a display: {stderr[-500:]}")
            data += chunk
        return int(data)

    def _child_env(self, base: Mapping[str, str]) -> dict[str, str]:
        env = {k: v for k, v in base.items() if k not in ("WAYLAND_DISPLAY", "XAUTHORITY")}
        env.update(DISPLAY=self.display, XDG_SESSION_TYPE="x11")
        return env

    def _spawn(self, argv: list[str]) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            argv,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._procs.append(proc)
        return proc

    @staticmethod
    def _stop(proc: subprocess.Popen[bytes]) -> None:
        """End ``proc`` and its process group (each child runs in its own session)."""
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=5)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def _quiet(self, argv: list[str]) -> bool:
        return subprocess.run(argv, env=self.env, capture_output=True, timeout=15).returncode == 0

    def _wait_mapped(self, proc: subprocess.Popen[bytes], what: str, *search: str) -> str:
        """The first visible window ``search`` finds, once there is one; an error
        naming ``what`` if ``proc``, which makes it, exits first or it takes too long."""
        found: list[str] = []

        def mapped() -> bool:
            if proc.poll() is not None:
                raise XDesktopError(f"{what}: the program making it exited with {proc.returncode}")
            found[:] = self.search("--onlyvisible", *search)
            return bool(found)

        wait_for(mapped, what)
        return found[0]

    def _xdotool(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=15
        )

    def _wm_ready(self) -> bool:
        done = subprocess.run(
            ["wmctrl", "-m"], env=self.env, capture_output=True, text=True, timeout=15
        )
        return done.returncode == 0 and "Name: Openbox" in done.stdout


"""An unprivileged user's desktop session for the Wayland end-to-end tests.

sway, KWin and GNOME Shell refuse (or misbehave) when run as root, and CI runs as
root. So the tests make one unprivileged user (``focusguard-wl``) and run the
compositor, its clients and the app as that user, each ``UserSession`` with a
private runtime directory (XDG_RUNTIME_DIR, 0700, owned by the user) and, where the
desktop needs one, a private D-Bus session bus. Compositor-specific desktops
(``tests/wldesktops.py``) build on this.

Nothing here needs a display of its own; everything it starts is stopped on
``close()`` / leaving the ``with`` block.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

USER = "focusguard-wl"

#: The variables a child must not inherit from the test runner's own session.
_SESSION_VARS = (
    "DISPLAY", "WAYLAND_DISPLAY", "SWAYSOCK", "I3SOCK", "HYPRLAND_INSTANCE_SIGNATURE",
    "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION",
    "DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "QT_QPA_PLATFORM", "KDE_FULL_SESSION",
    "GNOME_SETUP_DISPLAY", "XAUTHORITY",
)


#: The standard session bus, plus connections from root (by default only its owner).
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <include>/usr/share/dbus-1/session.conf</include>
  <policy context="default"><allow user="root"/></policy>
</busconfig>
"""


WLWINDOW = Path(__file__).resolve().with_name("wlwindow.py")


@dataclass
class WlWindow:
    """A tests/wlwindow.py window: its process, title, app id, the FIFO that retitles
    it (a line written there is the new title) and its output's log name."""

    proc: subprocess.Popen[bytes]
    title: str
    app_id: str
    control: Path
    log: str


class SessionError(RuntimeError):
    """The session could not be set up or did not answer in time."""


class ScreenshotUnavailable(SessionError):
    """This desktop, on this machine, can take no screenshot; the message says why."""


def wait_for(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Poll ``check`` until it is true; raise SessionError naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise SessionError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(0.05)


def ensure_user(name: str = USER) -> pwd.struct_passwd:
    """The unprivileged test user, created (as root) on first use."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    if os.geteuid() != 0:
        raise SessionError(f"the user {name} does not exist and only root can create it")
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", name], check=True,
                   capture_output=True)
    return pwd.getpwnam(name)


def let_user_reach(*paths: str | Path) -> None:
    """Let the test user traverse to ``paths`` (the interpreter, the venv, the checkout):
    a Python under root's 0700 home (pyenv) would otherwise be out of its reach. Adds
    only the search bit for others on the folders that lack it, never read or write."""
    if os.geteuid() != 0:
        return
    for path in paths:
        for folder in Path(os.path.realpath(path)).parents:
            mode = folder.stat().st_mode
            if not mode & 0o001:
                os.chmod(folder, (mode & 0o7777) | 0o001)


def can_run_as_user() -> str:
    """Empty when sessions can run here, else why not (not root and not the user)."""
    if os.geteuid() == 0:
        return ""
    try:
        if pwd.getpwnam(USER).pw_uid == os.geteuid():
            return ""
    except KeyError:
        pass
    return f"needs root (to run the compositor as the unprivileged user {USER})"


class UserSession:
    """A private session of the test user: runtime dir, home-like dirs, optional bus.

    ``env`` is the full environment for children (no variables leak from the
    runner's own desktop); ``popen``/``run`` start programs as the user.
    """

    def __init__(self, *, dbus: bool = True) -> None:
        self.user = ensure_user()
        # The app and tests/wlwindow.py run as the user, from this interpreter and checkout.
        let_user_reach(sys.executable, sys.prefix, Path(__file__).resolve().parent)
        self.root = Path(tempfile.mkdtemp(prefix="fg-wl-", dir="/tmp"))
        os.chmod(self.root, 0o755)
        self.runtime_dir = self.root / "run"
        self.home = self.root / "home"
        for folder in (self.runtime_dir, self.home):
            folder.mkdir(mode=0o700)
            os.chown(folder, self.user.pw_uid, self.user.pw_gid) if os.geteuid() == 0 else None
        self._procs: list[subprocess.Popen[bytes]] = []
        self._wlwindows = 0
        self.env: dict[str, str] = {k: v for k, v in os.environ.items() if k not in _SESSION_VARS}
        self.env.update({
            "HOME": str(self.home),
            "USER": self.user.pw_name,
            "LOGNAME": self.user.pw_name,
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local/share"),
            "XDG_STATE_HOME": str(self.home / ".local/state"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "XDG_SESSION_TYPE": "wayland",
        })
        if dbus:
            self._start_bus()

    # -- processes -------------------------------------------------------------

    def _as_user(self) -> dict[str, object]:
        if os.geteuid() != 0:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def popen(self, argv: Sequence[str], *, env: Mapping[str, str] | None = None,
              log: str | None = None, **kwargs: object) -> subprocess.Popen[bytes]:
        """Start ``argv`` as the user; output goes to ``root/log`` (or is discarded)."""
        out: int | object = subprocess.DEVNULL
        if log is not None:
            out = open(self.root / log, "ab")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(  # type: ignore[call-overload]
            list(argv), env=dict(env or self.env), stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, cwd=str(self.home), start_new_session=True,
            **self._as_user(), **kwargs)
        self._procs.append(proc)
        return proc

    def run(self, argv: Sequence[str], *, env: Mapping[str, str] | None = None,
            timeout: float = 20.0, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` as the user and wait; raise SessionError when ``check`` and it failed."""
        done = subprocess.run(  # type: ignore[call-overload]
            list(argv), env=dict(env or self.env), capture_output=True, text=True,
            timeout=timeout, cwd=str(self.home), **self._as_user())
        if check and done.returncode != 0:
            raise SessionError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")
        return done

    def give(self, path: Path) -> Path:
        """Hand ``path`` (and what is below it) to the user; returns it."""
        if os.geteuid() == 0:
            for dirpath, _dirs, files in os.walk(path):
                os.chown(dirpath, self.user.pw_uid, self.user.pw_gid)
                for name in files:
                    os.chown(os.path.join(dirpath, name), self.user.pw_uid, self.user.pw_gid)
        return path

    def open_wlwindow(self, title: str, app_id: str) -> WlWindow:
        """Start tests/wlwindow.py as the user: a native Wayland Qt window titled
        ``title`` with ``app_id``, retitled through its FIFO. Returns at once; each
        desktop waits for it to be mapped in its own way."""
        self._wlwindows += 1
        control = self.root / f"title-{self._wlwindows}.fifo"
        os.mkfifo(control, 0o600)
        if os.geteuid() == 0:
            os.chown(control, self.user.pw_uid, self.user.pw_gid)
        log = f"window-{self._wlwindows}.log"
        proc = self.popen([sys.executable, str(WLWINDOW), "--title", title, "--app-id", app_id,
                           "--control", str(control)], log=log)
        return WlWindow(proc, title, app_id, control, log)

    def set_title(self, window: WlWindow, title: str) -> None:
        """Retitle ``window`` through its FIFO; returns once the desktop shows the title
        (``titles()``, which each desktop defines)."""
        with open(window.control, "w", encoding="utf-8") as fifo:
            fifo.write(title + "\n")
        wait_for(lambda: title in self.titles(), f"the window to be retitled {title!r}", timeout=5)  # type: ignore[attr-defined]
        window.title = title

    def wlwindow_alive(self, window: WlWindow) -> None:
        """Raise SessionError, with its output, if ``window``'s program has exited."""
        if window.proc.poll() is not None:
            raise SessionError(f"wlwindow.py exited {window.proc.returncode}: {self.log_text(window.log)}")

    def log_text(self, log: str) -> str:
        path = self.root / log
        return path.read_text(errors="replace") if path.exists() else ""

    # -- D-Bus -----------------------------------------------------------------

    def _start_bus(self) -> None:
        """The user's session bus, which root may join too: the test runner (root in
        CI) talks to the desktop, and a probe under test runs in the runner itself."""
        address = f"unix:path={self.runtime_dir}/bus"
        config = self.root / "bus.conf"
        config.write_text(_BUS_CONFIG)
        self.popen(["dbus-daemon", f"--config-file={config}", "--nofork", "--nopidfile",
                    f"--address={address}"], log="dbus.log")
        wait_for(lambda: (self.runtime_dir / "bus").exists(), "the D-Bus session bus")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address

    # -- teardown --------------------------------------------------------------

    def close(self) -> None:
        for proc in reversed(self._procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for proc in reversed(self._procs):
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self._procs.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> UserSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

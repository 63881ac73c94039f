"""Drives the installed ``focusguard`` app on an :class:`~xdesktop.XDesktop`.

An end-to-end run must not touch the user's real config, database, log or running
FocusGuard, so each :class:`Home` is a private set of XDG directories (and TMPDIR,
where Qt puts the single-instance socket) with a config written by the caller. The
app is the console script installed next to ``sys.executable``: what a user runs,
entry point and all. Screens are checked by colour (:class:`Screenshot`), since the
tray icon and the nudge's primary button are drawn in the palette's known colours.

Shared by ``tests/e2e/test_app_e2e.py`` and ``bench/bench_app.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from xdesktop import XDesktop

from focusguard.ui.qt import QColor, QImage

FOCUSGUARD = Path(sys.executable).parent / "focusguard"
#: Screenshots are copied here too, for a person to look at (tmp_path is cleaned up).
SHOTS_DIR = Path(os.environ.get("FOCUSGUARD_E2E_SHOTS", "/tmp/e2e-shots"))
NUDGE_TITLE = "^FocusGuard nudge$"
#: Environment the app must not inherit: a Qt platform forced by the widget tests'
#: conftest (offscreen: no tray, no windows) and the developer's real session bus
#: (its notification daemon would show this run's balloons on the real desktop).
NOT_INHERITED = ("QT_QPA_PLATFORM", "DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY")


def app_config(interval: float, distraction_seconds: float, *, more: str = "") -> str:
    """The config the end-to-end tests and the app bench run with: Sales (HubSpot) as the
    priority, Video (YouTube) a distraction, Notes neutral; a short interval and threshold,
    and an idle threshold Xvfb never reaches (its idle time only grows)."""
    return f"""\
[sampling]
interval_seconds = {interval:g}
idle_after_minutes = 60  # Xvfb's idle time only grows: never let it count

[nudge]
distraction_after_minutes = {distraction_seconds / 60:g}
off_priority_after_minutes = 60
grace_seconds = 2

[[activity]]
name = "Sales"
kind = "productive"
rules = [{{ title = "HubSpot" }}]

[[activity]]
name = "Video"
kind = "distraction"
rules = [{{ title = "YouTube" }}]

[[activity]]
name = "Notes"
kind = "neutral"
rules = [{{ title = "^Notes$" }}]
{more}"""


def poll(check: Callable[[], object], what: str, timeout: float, every: float = 0.05) -> object:
    """``check()`` until it returns something truthy, which is returned; on timeout
    an AssertionError naming ``what`` (a test failure, not a crash)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


# --- time -----------------------------------------------------------------------------

#: On top of one interval per recorded span: Qt's coarse timer may fire 5 % (50 ms)
#: off the 1 s grid at each of the span's two ends, and the sample is time-stamped when
#: the GUI thread handles it, which can wait behind other GUI work (showing the nudge
#: grabs the screen): 0.3 s covers both with room for a loaded CI machine.
TOLERANCE = 0.3


@dataclass(frozen=True)
class Switch:
    """A window switch happened somewhere in [asked, seen]."""

    asked: float
    seen: float

    def until(self, later: Switch) -> tuple[float, float]:
        """The shortest and longest the time from this switch to ``later`` can be."""
        return later.asked - self.seen, later.seen - self.asked


def assert_span(seconds: float, span: tuple[float, float], what: str, interval: float,
                tolerance: float = TOLERANCE) -> None:
    """``seconds`` recorded for a span the wall clock puts in ``span``, give or take one
    sampling interval and ``tolerance`` (a sample at t covers [t, next sample))."""
    low, high = span[0] - interval - tolerance, span[1] + interval + tolerance
    assert low <= seconds <= high, (
        f"{what}: recorded {seconds:.2f} s, but the wall clock says {span[0]:.2f}..{span[1]:.2f} s "
        f"(allowed {low:.2f}..{high:.2f})")


# --- pixels ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    width: int
    height: int

    @property
    def center(self) -> tuple[int, int]:
        return self.x + self.width // 2, self.y + self.height // 2


def bounding_box(points: Iterable[tuple[int, int]]) -> Box:
    xs, ys = zip(*points, strict=True)
    return Box(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


class Screenshot:
    """A saved screen image, searchable by colour."""

    def __init__(self, path: Path) -> None:
        image = QImage(str(path))
        if image.isNull():
            raise ValueError(f"cannot read the image {path}")
        image = image.convertToFormat(QImage.Format.Format_RGB888)
        self.path = path
        self.width, self.height = image.width(), image.height()
        self._stride = image.bytesPerLine()
        self._data = bytes(image.constBits())

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        at = y * self._stride + 3 * x
        return self._data[at], self._data[at + 1], self._data[at + 2]

    def find(self, colour: str, box: Box | None = None, tolerance: int = 12) -> list[tuple[int, int]]:
        """Pixels (x, y) within ``tolerance`` per channel of ``colour`` (``#RRGGBB``).

        The tolerance absorbs antialiasing and 8-bit rounding, not a different
        colour: the palette's colours are far more than 12 apart on some channel."""
        want = QColor(colour)
        r, g, b = want.red(), want.green(), want.blue()
        box = box or Box(0, 0, self.width, self.height)
        found = []
        for y in range(max(0, box.y), min(self.height, box.y + box.height)):
            row = y * self._stride
            for x in range(max(0, box.x), min(self.width, box.x + box.width)):
                at = row + 3 * x
                if (abs(self._data[at] - r) <= tolerance and abs(self._data[at + 1] - g) <= tolerance
                        and abs(self._data[at + 2] - b) <= tolerance):
                    found.append((x, y))
        return found


class Camera:
    """Screenshots of a desktop, saved as ``<prefix>-<label>.png`` in ``directory`` and
    copied into ``copy_to`` if given, for a person to look at after the run. Shooting
    a label again (while polling) replaces its file, so what is kept is what was checked."""

    def __init__(self, desktop: XDesktop, directory: Path, prefix: str,
                 copy_to: Path | None = None) -> None:
        self.desktop = desktop
        self.directory = directory
        self.prefix = prefix
        self.copy_to = copy_to
        directory.mkdir(parents=True, exist_ok=True)
        if copy_to is not None:
            copy_to.mkdir(parents=True, exist_ok=True)

    def shoot(self, label: str) -> Screenshot:
        path = self.desktop.screenshot(self.directory / f"{self.prefix}-{label}.png")
        if self.copy_to is not None:
            (self.copy_to / path.name).write_bytes(path.read_bytes())
        return Screenshot(path)


def tray_box(desktop: XDesktop) -> Box:
    return Box(*desktop.tray_geometry())


def nudge_window(desktop: XDesktop) -> str | None:
    return desktop.find_window(NUDGE_TITLE)


# --- the app --------------------------------------------------------------------------


class Home:
    """A private home for one FocusGuard user: XDG config/data/state/runtime dirs and
    TMPDIR under ``root``, a config written there, and the CLI and app run against them.

    ``close()`` stops every app launched from here (SIGTERM, then SIGKILL).
    """

    def __init__(self, root: Path, desktop: XDesktop, config: str,
                 path: str | None = None) -> None:
        self.root = root
        self.desktop = desktop
        # A Wayland desktop (tests/wldesktops.py) runs as its unprivileged user, on its
        # own session bus and Wayland socket, which the app must then share.
        session = getattr(desktop, "user", None)
        wayland = session is not None
        env = {k: v for k, v in desktop.env.items() if wayland or k not in NOT_INHERITED}
        self.spawn: dict[str, object] = (
            {"user": session.pw_uid, "group": session.pw_gid, "extra_groups": []}
            if wayland and os.geteuid() == 0 else {})
        root.mkdir(parents=True, exist_ok=True)
        for variable, name in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                               ("XDG_STATE_HOME", "state"), ("XDG_RUNTIME_DIR", "runtime"),
                               ("TMPDIR", "tmp")):
            directory = root / name
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            directory.chmod(0o700)  # XDG_RUNTIME_DIR must be the user's alone (Qt checks)
            env[variable] = str(directory)
        if wayland:  # the compositor's socket lives in the session's runtime directory
            env["XDG_RUNTIME_DIR"] = desktop.env["XDG_RUNTIME_DIR"]
        env["QT_QPA_PLATFORM"] = "wayland" if wayland else "xcb"
        if path is not None:
            env["PATH"] = path
        self.env = env
        self.config_file = root / "config" / "focusguard" / "config.toml"
        self.config_file.parent.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(config, encoding="utf-8")
        self.log_file = root / "state" / "focusguard" / "log" / "focusguard.log"
        self.db_file = root / "data" / "focusguard" / "focusguard.db"
        self.apps: list[App] = []
        if self.spawn:
            os.chmod(root, 0o755)
            for dirpath, _dirs, files in os.walk(root):
                for item in (dirpath, *(os.path.join(dirpath, f) for f in files)):
                    os.chown(item, session.pw_uid, session.pw_gid)

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """``focusguard ARGS...`` to completion (the CLI, or a second app start)."""
        return subprocess.run([str(FOCUSGUARD), *args], env=self.env, capture_output=True,  # type: ignore[call-overload]
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL, **self.spawn)

    def report(self) -> dict:
        done = self.run("report", "--json")
        if done.returncode != 0:
            raise AssertionError(f"focusguard report failed ({done.returncode}): {done.stderr}")
        return json.loads(done.stdout)

    def log_size(self) -> int:
        return self.log_file.stat().st_size if self.log_file.exists() else 0

    def launch(self) -> App:
        """Start the desktop app (``focusguard`` with no command); returns at once."""
        app = App(self, self.log_size(), len(self.apps))
        self.apps.append(app)
        return app

    def close(self) -> None:
        for app in reversed(self.apps):
            app.stop()


class App:
    """One run of the desktop app, its output in a file, its log read from where the
    log file ended when it was launched."""

    def __init__(self, home: Home, log_offset: int, number: int) -> None:
        self.home = home
        self.log_offset = log_offset
        self.output_file = home.root / f"app-{number}.out"
        with open(self.output_file, "wb") as output:
            self.launched_at = time.time()
            self.process = subprocess.Popen(  # type: ignore[call-overload]
                [str(FOCUSGUARD)], env=home.env, stdin=subprocess.DEVNULL, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True, **home.spawn)

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        """What this run wrote to the log file so far."""
        try:
            with open(self.home.log_file, "rb") as handle:
                handle.seek(self.log_offset)
                return handle.read().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def output(self) -> str:
        return self.output_file.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, text: str, timeout: float = 20) -> float:
        """Waits until the log has a line containing ``text``; returns when it was seen.
        Fails at once, with the app's output, if the app exits first."""

        def seen() -> bool:
            if text in self.log():
                return True
            if self.process.poll() is not None:
                raise AssertionError(f"focusguard exited with {self.process.returncode} before "
                                     f"logging {text!r}; its output:\n{self.output()}")
            return False

        poll(seen, f"{text!r} in {self.home.log_file}", timeout)
        return time.time()

    def kill(self) -> float:
        """``kill -9``; returns the time it was sent."""
        at = time.time()
        os.kill(self.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        return at

    def stop(self, timeout: float = 10) -> int:
        """SIGTERM (the app quits cleanly on it), SIGKILL if it does not; the exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError):  # anything the app started (gsettings, gdbus) goes with it
            os.killpg(self.pid, signal.SIGKILL)
        return self.process.returncode


def path_without(program: str, directory: Path, base: Mapping[str, str] | None = None) -> str:
    """A PATH on which ``program`` cannot be found but everything else still can:
    ``directory`` gets a symlink to every other program on the current PATH."""
    directory.mkdir(parents=True, exist_ok=True)
    for entry in (base or os.environ).get("PATH", "").split(os.pathsep):
        if not entry or not os.path.isdir(entry):
            continue
        for name in os.listdir(entry):
            link = directory / name
            target = Path(entry) / name
            if name == program or link.exists() or link.is_symlink():
                continue
            if target.is_file() and os.access(target, os.X_OK):
                link.symlink_to(target)
    return str(directory)


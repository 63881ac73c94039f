"""`focusguard doctor`: one line per thing FocusGuard needs from this desktop, with the fix.

Each check is independent and never raises: a broken X server, a missing binary or an
unreadable database is a FAIL line with a fix, never a traceback. The tray check runs Qt
in a subprocess so this module (and the CLI) stay Qt-free and a crashing platform
plugin cannot take the doctor down with it.
"""

from __future__ import annotations

import os
import select
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from focusguard.core import words
from focusguard.core.config import config_path, load_config
from focusguard.core.disk import database_size
from focusguard.platform.probes import make_idle_probe, make_microphone_probe, make_window_probe
from focusguard.platform.session import detect_desktop, session_type
from focusguard.platform.window import (
    ProbeUnavailable,
    WindowInfo,
    WindowProbe,
    is_event_source,
)
from focusguard.store import Store, default_db_path


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # "OK", "WARN" or "FAIL"
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.status:<4}  {self.name}: {self.detail}"
        return f"{text} -> {self.fix}" if self.fix and self.status != "OK" else text


#: What to do once on each Wayland desktop family when its native probe cannot start.
WAYLAND_FIX = {
    "gnome": "run `focusguard setup gnome`, then log out and back in once",
    "kde": "run FocusGuard inside your Plasma session (KWin's scripting must answer on the "
           "session bus, DBUS_SESSION_BUS_ADDRESS set)",
    "sway": "run FocusGuard inside your sway session (SWAYSOCK set)",
    "wlroots": "your compositor must offer the wlr-foreign-toplevel-management protocol "
               "(Hyprland, river, labwc, Wayfire, niri and sway do)",
}
#: How long the doctor waits for a pushed probe's first report (the KWin script's).
FIRST_EVENT_SECONDS = 2.0


def check_display() -> Check:
    desktop = detect_desktop()
    display = os.environ.get("DISPLAY", "")
    if desktop.session == "wayland":
        where = os.environ.get("WAYLAND_DISPLAY", "")
        return Check("session", "OK", f"Wayland, {desktop.name}"
                     + (f" (WAYLAND_DISPLAY={where})" if where else "")
                     + (f", XWayland on DISPLAY={display}" if display else ""))
    if desktop.session == "x11":
        if not display:
            return Check("session", "FAIL", "X11 session but DISPLAY is not set",
                         "run FocusGuard from your desktop session")
        return Check("session", "OK", f"X11 (DISPLAY={display})")
    if desktop.session in ("windows", "macos"):
        return Check("session", "OK", desktop.name)
    return Check("session", "FAIL", "no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set)",
                 "run FocusGuard from a desktop session")


def _first_reading(probe: WindowProbe) -> WindowInfo | None:
    """The active window; a pushed probe is given a moment for its first report."""
    if is_event_source(probe):
        deadline = time.monotonic() + FIRST_EVENT_SECONDS
        while probe.active_window() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([probe.fileno()], [], [], deadline - time.monotonic())  # type: ignore[attr-defined]
            if ready:
                probe.dispatch()  # type: ignore[attr-defined]
    return probe.active_window()


def check_window() -> Check:
    desktop = detect_desktop()
    fix = WAYLAND_FIX.get(desktop.family, "see the session line above")
    probe: WindowProbe | None = None
    try:
        probe = make_window_probe()
        name = f"window probe ({probe.name})"
        window = _first_reading(probe)
    except ProbeUnavailable as exc:
        return Check("window probe", "FAIL", exc.why, fix)
    except Exception as exc:  # noqa: BLE001 - the doctor reports everything
        return Check("window probe", "FAIL", f"{type(exc).__name__}: {exc}", fix)
    finally:
        close = getattr(probe, "close", None)
        if callable(close):
            close()
    if probe.warning:
        seen = f"{window.app} — {window.title!r}" if window else "no window active now"
        return Check(name, "WARN", f"{seen}; {probe.warning}", fix)
    if window is None:
        return Check(name, "WARN", "readable, but no window is active now")
    return Check(name, "OK", f"{window.app} — {window.title!r}")


def check_idle() -> Check:
    try:
        probe = make_idle_probe()
        seconds = probe.idle_seconds()
    except Exception as exc:  # noqa: BLE001 - reported, as every check's failure
        return Check("idle time", "FAIL", f"{type(exc).__name__}: {exc}",
                     "idle time will be treated as active")
    label = getattr(probe, "name", "")  # not every idle probe has one
    name = f"idle time ({label})" if label else "idle time"
    if seconds is None:
        why = getattr(probe, "why", "") or "unknown on this desktop"
        return Check(name, "WARN", why,
                     "idle time is treated as active: pause FocusGuard when you step away")
    return Check(name, "OK", f"{seconds:.0f} s since the last input")


TRAY_PROBE = (
    "import sys\n"
    "from PySide6.QtWidgets import QApplication, QSystemTrayIcon\n"
    "app = QApplication(sys.argv[:1])\n"
    "print('yes' if QSystemTrayIcon.isSystemTrayAvailable() else 'no')\n"
)


def check_tray() -> Check:
    if session_type() not in ("x11", "wayland", "windows", "macos") or (
            sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")):
        return Check("tray", "FAIL", "no display to show a tray on",
                     "run FocusGuard from a desktop session")
    try:
        done = subprocess.run([sys.executable, "-c", TRAY_PROBE], capture_output=True,
                              text=True, timeout=15)
    except subprocess.TimeoutExpired:
        return Check("tray", "FAIL", "Qt did not start within 15 s")
    answer = done.stdout.strip().splitlines()[-1:] or [""]
    if answer == ["yes"]:
        return Check("tray", "OK", "a system tray is available")
    if answer == ["no"]:
        return Check("tray", "WARN", "no system tray on this desktop",
                     "FocusGuard shows a small status window instead; on GNOME install the "
                     "AppIndicator extension")
    why = (done.stderr.strip().splitlines() or ["Qt failed to start"])[-1]
    return Check("tray", "FAIL", why, "install Qt's xcb libraries (see README)")


def check_config(config_file: Path | None) -> Check:
    result = load_config(config_file, create=False)
    if not result.path.exists():
        return Check("config", "OK", f"{result.path} (not created yet: defaults)")
    if result.ok:
        warnings = f", {len(result.problems)} warning(s)" if result.problems else ""
        return Check("config", "OK", f"{result.path} ({len(result.config.activities)} activities{warnings})")
    first = result.problems[0]
    return Check("config", "FAIL", f"{result.path}: {first}" + (
        f" (+{len(result.problems) - 1} more)" if len(result.problems) > 1 else ""),
        "run `focusguard config check` and fix the file")


def check_database(db_file: Path | None) -> Check:
    path = db_file or default_db_path()
    try:
        Store(path).close()
        mode = stat.S_IMODE(path.stat().st_mode)
        size = database_size(path)  # with its WAL: the figure the settings window shows
    except Exception as exc:  # noqa: BLE001 - reported, as every check's failure
        return Check("database", "FAIL", f"{path}: {type(exc).__name__}: {exc}")
    detail = f"{path} ({words.size(size)}, mode {mode:04o})"
    if mode & 0o077:
        return Check("database", "WARN", detail, f"chmod 600 {path}")
    return Check("database", "OK", detail)


def check_microphone() -> Check:
    """Whether a recording microphone can be read: the signal that tells a call (issue 15)."""
    from focusguard.platform.microphone import doctor_status

    return Check("microphone", *doctor_status(make_microphone_probe))


def run_checks(config_file: Path | None = None, db_file: Path | None = None) -> Iterator[Check]:
    checks: list[Callable[[], Check]] = [
        check_display, check_window, check_idle, check_tray, check_microphone,
        lambda: check_config(config_file or config_path()),
        lambda: check_database(db_file),
    ]
    for check in checks:
        yield check()
    yield from check_gnome_extension()
    yield from check_sync(config_file, db_file)


def check_gnome_extension() -> Iterator[Check]:
    """On GNOME: whether this user's extension is the one this FocusGuard ships. One
    from an older FocusGuard still reads windows, but cannot place the nudge and the
    status window (GNOME 47 and later centre them, under the window in front). None
    installed: the window probe's line says what to do."""
    if detect_desktop().family != "gnome":
        return
    from focusguard.platform.wayland import gnome_setup

    current = gnome_setup.installed_is_current(os.environ)
    where = gnome_setup.extension_dir(os.environ)
    if current:
        yield Check("GNOME Shell extension", "OK", f"this version's, in {where}")
    elif current is False:
        yield Check("GNOME Shell extension", "WARN",
                    f"the one in {where} is another FocusGuard version's: FocusGuard's windows may "
                    "open in the middle of the screen, under the window in front", WAYLAND_FIX["gnome"])


def check_sync(config_file: Path | None, db_file: Path | None) -> Iterator[Check]:
    """The sync folder and each other device: its last file, a silent one, a clock that disagrees (issue 16)."""
    from focusguard.sync import doctor_lines

    sync = load_config(config_file or config_path(), create=False).config.sync
    for status, detail, fix in doctor_lines(sync.folder, sync.interval_minutes * 60, db_file or default_db_path(),
                                            time.time()):
        yield Check("sync", status, detail, fix)

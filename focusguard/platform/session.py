"""Which kind of desktop session FocusGuard runs in.

The window probe can only see what the session lets it see: every window on X11,
Windows and macOS; on Wayland only what the compositor chooses to tell, differently
on each desktop. ``session_type`` names the session, ``detect_desktop`` the desktop
(which decides the probe); ``run_command`` asks the session's command-line helpers
(gsettings, gdbus) safely.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Runner = Callable[[Sequence[str]], str | None]  # run_command, or a fake in tests


def session_type(env: Mapping[str, str] | None = None, platform: str | None = None) -> str:
    """Name the session: "x11", "wayland", "windows", "macos" or "unknown".

    XDG_SESSION_TYPE decides when set; otherwise WAYLAND_DISPLAY, then DISPLAY.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return "windows"
    if platform == "darwin":
        return "macos"
    declared = env.get("XDG_SESSION_TYPE", "").lower()
    if declared in ("x11", "wayland"):
        return declared
    if env.get("WAYLAND_DISPLAY"):
        return "wayland"
    if env.get("DISPLAY"):
        return "x11"
    return "unknown"


@dataclass(frozen=True, slots=True)
class Desktop:
    """The desktop the session runs: ``session`` as ``session_type`` names it, ``family``
    the way its focused window is read ("gnome", "kde", "sway", "wlroots", or "" where
    the session type alone decides), ``name`` what to call it in messages."""

    session: str
    family: str
    name: str


#: XDG_CURRENT_DESKTOP entries of compositors that speak wlr-foreign-toplevel.
_WLROOTS = {"hyprland": "Hyprland", "river": "river", "labwc": "labwc", "wayfire": "Wayfire",
            "niri": "niri", "wlroots": "wlroots", "sway": "sway", "dwl": "dwl"}


def detect_desktop(env: Mapping[str, str] | None = None, platform: str | None = None) -> Desktop:
    """Which desktop this is, from the variables every session sets.

    The compositor's own socket variables (SWAYSOCK, HYPRLAND_INSTANCE_SIGNATURE) win
    over XDG_CURRENT_DESKTOP, which is free text ("ubuntu:GNOME", "KDE", "sway").
    """
    env = os.environ if env is None else env
    session = session_type(env, platform)
    if session != "wayland":
        return Desktop(session, "", {"x11": "X11", "windows": "Windows", "macos": "macOS"}.get(session, "unknown"))
    names = [part.strip().lower() for part in env.get("XDG_CURRENT_DESKTOP", "").split(":") if part.strip()]
    if env.get("SWAYSOCK") and "hyprland" not in names:
        return Desktop(session, "sway", "sway")
    if env.get("HYPRLAND_INSTANCE_SIGNATURE"):
        return Desktop(session, "wlroots", "Hyprland")
    if "gnome" in names:
        return Desktop(session, "gnome", "GNOME")
    if "kde" in names:
        return Desktop(session, "kde", "KDE Plasma")
    for part in names:
        if part in _WLROOTS:
            return Desktop(session, "sway" if part == "sway" else "wlroots", _WLROOTS[part])
    shown = env.get("XDG_CURRENT_DESKTOP", "") or "an unnamed Wayland compositor"
    return Desktop(session, "wlroots", shown)


def run_command(argv: Sequence[str], timeout: float = 1.0) -> str | None:
    """stdout of a desktop helper (gsettings, gdbus, ioreg...), or None if it is
    missing, fails or hangs: such readings are optional and must never stall a sample."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None

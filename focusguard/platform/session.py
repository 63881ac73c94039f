"""Which kind of desktop session FocusGuard runs in.

The window probe can only see what the session lets it see: every window on X11,
Windows and macOS, but only XWayland windows in a Wayland session. ``session_type``
names the session; ``describe`` spells out the facts ``focusguard doctor`` shows;
``run_command`` asks the session's command-line helpers (gsettings, gdbus) safely.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence

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


def describe(env: Mapping[str, str] | None = None, platform: str | None = None) -> dict[str, str]:
    """The session facts that decide what the probes can see, for ``focusguard doctor``."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    facts = {"session": session_type(env, platform), "platform": platform}
    for key in ("XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP", "DISPLAY", "WAYLAND_DISPLAY"):
        if env.get(key):
            facts[key] = env[key]
    if facts["session"] == "wayland":
        facts["note"] = (
            "only XWayland windows are visible to FocusGuard"
            if env.get("DISPLAY")
            else "no XWayland (DISPLAY is not set): the active window cannot be read"
        )
    return facts


def run_command(argv: Sequence[str], timeout: float = 1.0) -> str | None:
    """stdout of a desktop helper (gsettings, gdbus, ioreg...), or None if it is
    missing, fails or hangs: such readings are optional and must never stall a sample."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None

"""Whether the desktop's own do-not-disturb mode is on.

While it is, FocusGuard holds its nudges (the engine's ``hold``): the user has
already asked the desktop for quiet. Read through the desktop's command-line
helpers with a short timeout; None means "cannot tell" and holds nothing.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping

from focusguard.platform.session import Runner, run_command

GNOME_BANNERS = ("gsettings", "get", "org.gnome.desktop.notifications", "show-banners")
GDBUS_INHIBITED = (
    "gdbus",
    "call",
    "--session",
    "--dest",
    "org.freedesktop.Notifications",
    "--object-path",
    "/org/freedesktop/Notifications",
    "--method",
    "org.freedesktop.DBus.Properties.Get",
    "org.freedesktop.Notifications",
    "Inhibited",
)
QDBUS_INHIBITED = tuple(
    (
        program,
        "org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications.Inhibited",
    )
    for program in ("qdbus", "qdbus6", "qdbus-qt5")
)
_GNOME_LIKE = ("gnome", "unity")  # XDG_CURRENT_DESKTOP is e.g. "ubuntu:GNOME"


def parse_bool(output: str | None) -> bool | None:
    """``true``/``false`` as printed by gsettings, qdbus or gdbus (``(<true>,)``)."""
    if output is None:
        return None
    match = re.fullmatch(r"\s*\(?<?(true|false)>?,?\)?\s*", output)
    return match.group(1) == "true" if match else None


def desktop_dnd_active(
    env: Mapping[str, str] | None = None, run: Runner = run_command
) -> bool | None:
    """True when the desktop suppresses notifications; None when that is unreadable.

    GNOME-like desktops turn off notification banners; KDE Plasma (and other
    servers that implement it) expose the Notifications ``Inhibited`` property.
    """
    if not sys.platform.startswith("linux"):
        return None
    env = os.environ if env is None else env
    desktop = env.get("XDG_CURRENT_DESKTOP", "").lower()
    if any(name in desktop for name in _GNOME_LIKE):
        banners = parse_bool(run(GNOME_BANNERS))
        return None if banners is None else not banners
    for argv in (GDBUS_INHIBITED, *QDBUS_INHIBITED):
        inhibited = parse_bool(run(argv))
        if inhibited is not None:
            return inhibited
    return None

"""Which native probe reads this Wayland desktop, tried in order of what it tells.

Every desktop family has one way that gives the most (sway's IPC gives the pid and
full-screen state, wlr-foreign-toplevel only title and app id), then the ways that
still work. Each probe module is imported only when tried: a KDE user never loads
pywayland, a sway user never loads the D-Bus code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import import_module

from focusguard.platform.idle import IdleProbe, UnknownIdleProbe
from focusguard.platform.session import Desktop
from focusguard.platform.window import ProbeUnavailable, WindowProbe

log = logging.getLogger(__name__)

#: family -> (module in this package, class) in the order they are tried.
WINDOW_PROBES: dict[str, tuple[tuple[str, str], ...]] = {
    "gnome": (("gnome", "GnomeShellProbe"),),
    "kde": (("kwin", "KWinProbe"),),
    "sway": (("sway", "SwayProbe"), ("wlr", "WlrToplevelProbe")),
    "wlroots": (("wlr", "WlrToplevelProbe"),),
}


def _opener(module: str, cls: str) -> Callable[[], object]:
    return getattr(import_module(f"{__package__}.{module}"), cls).open


def native_window_probe(desktop: Desktop) -> WindowProbe:
    """The first of the desktop's probes that starts; ProbeUnavailable with each one's
    reason (the first is the one to act on) when none does."""
    reasons: list[str] = []
    for module, cls in WINDOW_PROBES.get(desktop.family, WINDOW_PROBES["wlroots"]):
        try:
            return _opener(module, cls)()  # type: ignore[return-value]
        except ProbeUnavailable as err:
            # debug: made again every tick while none starts; the joined reasons are logged once
            log.debug("%s.%s cannot start: %s", module, cls, err.why)
            reasons.append(err.why)
        except ImportError as err:  # a missing library: say which
            reasons.append(f"{module} probe needs {err.name or err}")
    raise ProbeUnavailable("; ".join(reasons) or f"no window probe for {desktop.name}")


def native_idle_probe(desktop: Desktop) -> IdleProbe:
    """GNOME's IdleMonitor on GNOME; elsewhere the compositor's idle protocol."""
    module, cls = ("mutter_idle", "MutterIdleProbe") if desktop.family == "gnome" else ("idle", "WaylandIdleProbe")
    try:
        return _opener(module, cls)()  # type: ignore[return-value]
    except (ProbeUnavailable, ImportError) as err:
        why = err.why if isinstance(err, ProbeUnavailable) else str(err)
        log.info("no idle time on %s: %s", desktop.name, why)
        return UnknownIdleProbe(f"idle time is not readable on {desktop.name}: {why}")

"""Which probes read this desktop: the one place that chooses them.

The probe modules hold interfaces and implementations; this module knows the
desktops (X11, each Wayland family, Windows, macOS) and imports a probe's module
only when it is tried, so the interfaces never import their implementations (no
import cycle) and a sway user never loads the D-Bus code.
"""

from __future__ import annotations

import logging
import os
import sys

from focusguard.platform.idle import IdleProbe, MacIdleProbe, UnknownIdleProbe, WindowsIdleProbe, X11IdleProbe
from focusguard.platform.microphone import MicrophoneProbe, PulseMicrophone, WindowsConsentMicrophone
from focusguard.platform.session import Desktop, detect_desktop
from focusguard.platform.window import (
    ProbeUnavailable,
    PyWinCtlProbe,
    PyWinCtlWindows,
    UnavailableWindowProbe,
    WindowProbe,
    import_pywinctl,
    monitor_rects,
)

log = logging.getLogger(__name__)


def _make_x11_probe() -> WindowProbe:
    """The X server tells of every switch and retitling (platform/x11.py)."""
    if not os.environ.get("DISPLAY"):
        raise ProbeUnavailable("no X display (DISPLAY is not set)")
    from focusguard.platform.x11 import X11EventProbe

    return X11EventProbe.open()


def _make_native_probe() -> PyWinCtlProbe:
    pywinctl = import_pywinctl()
    warning = ""
    if sys.platform == "darwin" and not pywinctl.checkPermissions(activate=False):
        warning = (
            "macOS has not granted FocusGuard the Accessibility permission: window "
            "titles stay empty until it is allowed in System Settings > Privacy & Security"
        )
    return PyWinCtlProbe(PyWinCtlWindows(pywinctl, monitor_rects), warning=warning)


def _make_wayland_probe(desktop: Desktop) -> WindowProbe:
    """The desktop's native probe; XWayland only as a fallback that says what it misses."""
    from focusguard.platform.wayland.choose import native_window_probe

    try:
        return native_window_probe(desktop)
    except ProbeUnavailable as err:
        native_why = err.why
    try:
        probe = _make_x11_probe()
    except ProbeUnavailable:
        raise ProbeUnavailable(native_why) from None
    probe.name = "X11 (XWayland fallback)"
    probe.warning = (f"{native_why}. Until then FocusGuard sees only XWayland windows; "
                     "while a native Wayland window has the focus it reads no active window")
    return probe


def make_window_probe() -> WindowProbe:
    """The window probe for this desktop, or one that explains why there is none. Not
    logged here: the sampler makes a probe again every tick while there is none, and the
    controller logs each reason once."""
    desktop = detect_desktop()
    try:
        if desktop.session in ("windows", "macos"):
            return _make_native_probe()
        if desktop.session == "wayland":
            return _make_wayland_probe(desktop)
        return _make_x11_probe()
    except ProbeUnavailable as err:
        return UnavailableWindowProbe(err.why)


def make_microphone_probe() -> MicrophoneProbe:
    """Whether an app records from the microphone (issue 15): PulseAudio/PipeWire on
    Linux, the consent store on Windows, CoreAudio on macOS. Raises MicrophoneUnavailable."""
    if sys.platform == "win32":
        return WindowsConsentMicrophone()
    if sys.platform == "darwin":
        from focusguard.platform.coreaudio import CoreAudioMicrophone

        return CoreAudioMicrophone()
    return PulseMicrophone.open()


def make_idle_probe() -> IdleProbe:
    """The idle probe for this desktop (UnknownIdleProbe, with ``why``, if none works).

    On Wayland XWayland's counter only sees input sent to X windows, so it is never
    used there: the compositor's own idle notification or nothing."""
    if sys.platform == "win32":
        return WindowsIdleProbe()
    if sys.platform == "darwin":
        return MacIdleProbe()
    desktop = detect_desktop()
    if desktop.session == "wayland":
        from focusguard.platform.wayland.choose import native_idle_probe

        return native_idle_probe(desktop)
    if not os.environ.get("DISPLAY"):
        return UnknownIdleProbe("no X display (DISPLAY is not set)")
    return _make_x11_idle_probe()


def _make_x11_idle_probe() -> IdleProbe:
    """SYNC's IDLETIME alarms (told, never asked), else MIT-SCREEN-SAVER (asked each tick)."""
    from focusguard.platform.xsync import XSyncIdleProbe

    try:
        return XSyncIdleProbe.open()
    except RuntimeError as err:
        log.info("no idle alarms (%s); asking MIT-SCREEN-SAVER instead", err)
    try:
        return X11IdleProbe.open()
    except RuntimeError as err:
        log.warning("idle probe unavailable: %s", err)
        return UnknownIdleProbe(str(err))

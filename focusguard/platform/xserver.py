"""Two questions for the X server that Qt does not answer truthfully, asked through
libX11 with ctypes (no Xlib connection of the probes' is shared with the GUI thread):
where a window really is, and whether a compositing manager runs.

Both answer None/False when there is no libX11 or no display, so callers on other
platforms need no guard of their own.
"""

from __future__ import annotations

import ctypes
import ctypes.util


def window_origin(window_id: int) -> tuple[int, int] | None:
    """Where the X server has the window ``window_id``, in root coordinates.

    Qt caches a top-level window's position from the window manager's ConfigureNotify
    events, and a frameless card mapped while the manager reparents it can be left
    believing it sits at (0, 0) (seen with openbox and Xfce: the scope menu opened
    1,100 px from its button). Anchoring a menu needs the truth, so ask the server."""
    name = ctypes.util.find_library("X11")
    if name is None:
        return None
    x11 = ctypes.CDLL(name)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XTranslateCoordinates.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
        ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
    ]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = x11.XOpenDisplay(None)
    if not display:
        return None
    try:
        x, y, child = ctypes.c_int(), ctypes.c_int(), ctypes.c_ulong()
        root = x11.XDefaultRootWindow(display)
        if not x11.XTranslateCoordinates(display, window_id, root, 0, 0,
                                         ctypes.byref(x), ctypes.byref(y), ctypes.byref(child)):
            return None
        return x.value, y.value
    finally:
        x11.XCloseDisplay(display)


def compositor_running() -> bool:
    """A compositing manager owns the selection ``_NET_WM_CM_S<screen>`` (EWMH)."""
    name = ctypes.util.find_library("X11")
    if name is None:
        return False
    x11 = ctypes.CDLL(name)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultScreen.argtypes = [ctypes.c_void_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XGetSelectionOwner.restype = ctypes.c_ulong
    x11.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = x11.XOpenDisplay(None)
    if not display:
        return False
    try:
        atom = x11.XInternAtom(display, f"_NET_WM_CM_S{x11.XDefaultScreen(display)}".encode(), 0)
        return x11.XGetSelectionOwner(display, atom) != 0
    finally:
        x11.XCloseDisplay(display)

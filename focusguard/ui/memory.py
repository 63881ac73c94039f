"""Giving memory back once a window closes.

The nudge, the summary and the dialogs allocate images, layouts and glyph caches
while they show. Freed, that memory stays in the C allocator's heap, counted in the
app's resident size for the rest of the day, unless the allocator is asked to return
its free pages to the system. glibc can (``malloc_trim``); elsewhere this only drops
Qt's pixmap cache and collects Python's cycles.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
from collections.abc import Callable
from functools import cache

from focusguard.ui.qt import QtGui

log = logging.getLogger(__name__)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # musl has no malloc_trim
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_memory() -> None:
    """Return what closed windows left behind to the system (cheap: a few ms)."""
    QtGui.QPixmapCache.clear()
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)

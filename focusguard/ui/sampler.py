"""Reads the probes on a worker thread, so a stalled X server or a slow process lookup
never freezes the tray, the nudge or a dialog.

The worker owns its probes (made on its own thread: an Xlib connection is not shared
across threads) and emits one reading per tick; the GUI thread does everything else.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from focusguard.platform.dnd import desktop_dnd_active
from focusguard.platform.idle import IdleProbe, make_idle_probe
from focusguard.platform.window import ProbeUnavailable, WindowProbe, make_window_probe
from focusguard.ui.qt import QtCore

log = logging.getLogger(__name__)

#: The desktop's do-not-disturb is read this often (it spawns gsettings/gdbus).
DND_EVERY_SECONDS = 30.0


class ProbeWorker(QtCore.QObject):
    """Lives on the sampler thread. `sampled(window_or_None, idle_seconds_or_None)`."""

    sampled = QtCore.Signal(object, object)
    failed = QtCore.Signal(str)
    dnd_changed = QtCore.Signal(bool)

    def __init__(
        self,
        interval_seconds: float,
        window_probe_factory: Callable[[], WindowProbe] = make_window_probe,
        idle_probe_factory: Callable[[], IdleProbe] = make_idle_probe,
        dnd_reader: Callable[[], bool | None] = desktop_dnd_active,
    ) -> None:
        super().__init__()
        self._interval_ms = int(interval_seconds * 1000)
        self._window_factory = window_probe_factory
        self._idle_factory = idle_probe_factory
        self._dnd_reader = dnd_reader
        self._window: WindowProbe | None = None
        self._idle: IdleProbe | None = None
        self._timer: QtCore.QTimer | None = None
        self._dnd: bool | None = None
        self._dnd_at = float("-inf")

    @QtCore.Slot()
    def start(self) -> None:
        self._timer = QtCore.QTimer(self)
        self._timer.setTimerType(QtCore.Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.tick)
        self._timer.start(self._interval_ms)
        self.tick()

    @QtCore.Slot(float)
    def set_interval(self, seconds: float) -> None:
        """Called after every config poll: an unchanged interval must leave the timer
        alone, since QTimer.setInterval restarts a running timer and would skip ticks."""
        interval_ms = int(seconds * 1000)
        if interval_ms == self._interval_ms:
            return
        self._interval_ms = interval_ms
        if self._timer is not None:
            self._timer.setInterval(self._interval_ms)

    @QtCore.Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _probes(self) -> tuple[WindowProbe, IdleProbe]:
        if self._window is None:
            self._window = self._window_factory()
        if self._idle is None:
            self._idle = self._idle_factory()
        return self._window, self._idle

    @QtCore.Slot()
    def tick(self) -> None:
        try:
            window_probe, idle_probe = self._probes()
            window = window_probe.active_window()
            idle = idle_probe.idle_seconds()
        except ProbeUnavailable as exc:
            # Made again next tick: the X server may be back, xrandr installed meanwhile.
            self._window = None
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - one bad tick must not end sampling
            log.exception("probe failed")
            self.failed.emit(f"window probe unavailable: {type(exc).__name__}: {exc}")
            return
        self.sampled.emit(window, idle)
        self._poll_dnd()

    def _poll_dnd(self) -> None:
        now = time.monotonic()
        if now - self._dnd_at < DND_EVERY_SECONDS:
            return
        self._dnd_at = now
        try:
            active = bool(self._dnd_reader())
        except Exception:  # noqa: BLE001
            log.exception("reading do-not-disturb failed")
            return
        if active != self._dnd:
            self._dnd = active
            self.dnd_changed.emit(active)


class Sampler(QtCore.QObject):
    """Owns the worker thread. Signals arrive on the GUI thread (queued connections)."""

    def __init__(self, worker: ProbeWorker, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.thread = QtCore.QThread(self)
        self.thread.setObjectName("focusguard-probe")
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.start)

    def start(self) -> None:
        self.thread.start()

    def set_interval(self, seconds: float) -> None:
        QtCore.QMetaObject.invokeMethod(self.worker, "set_interval",
                                        QtCore.Qt.ConnectionType.QueuedConnection,
                                        QtCore.Q_ARG(float, seconds))

    def stop(self) -> None:
        QtCore.QMetaObject.invokeMethod(self.worker, "stop",
                                        QtCore.Qt.ConnectionType.BlockingQueuedConnection)
        self.thread.quit()
        self.thread.wait(3000)

"""Reads the probes on a worker thread, so a stalled X server or a slow process lookup
never freezes the tray, the nudge or a dialog.

The worker owns its probes (made on its own thread: an Xlib connection is not shared
across threads) and emits one reading per tick; the GUI thread does everything else.

When both probes are pushed to (the window probe and the idle probe are
``EventSource``s), the worker has nothing to ask between events, so it stops ticking:
it reads the probes only when an event arrives and keeps that ``Reading``; the GUI
thread's own timer turns the kept reading into the interval's samples (idle time
moves with the clock alone between events). One thread wakes per interval instead of
two, and the worker sleeps while nothing changes: it wakes only every
``QUIET_CHORES_SECONDS`` for the microphone and do-not-disturb.
Probes the desktop pushes changes to (``EventSource``: sway IPC, the KWin script, the
GNOME Shell extension, Wayland protocols, X11 events) are watched with a socket
notifier, so a switch is sampled the moment it happens, while the tick only credits
time from the probe's cached state. "Back to <priority>" activates a window through
the same probe on the same thread: one connection to the desktop, not two.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from focusguard.platform.dnd import desktop_dnd_active
from focusguard.platform.idle import IdleProbe
from focusguard.platform.microphone import Microphone
from focusguard.platform.probes import make_idle_probe, make_window_probe
from focusguard.platform.window import (
    UNAVAILABLE_PREFIX,
    ProbeUnavailable,
    WindowInfo,
    WindowProbe,
    is_event_source,
)
from focusguard.ui.qt import QtCore

log = logging.getLogger(__name__)

#: The desktop's do-not-disturb is read this often (it spawns gsettings/gdbus), and
#: this often where it cannot be read (no notification server answers).
DND_EVERY_SECONDS = 30.0
DND_UNREADABLE_EVERY_SECONDS = 300.0
#: A burst of events (a terminal retitling itself per keystroke) gives one sample per
#: this many milliseconds at most.
EVENT_SAMPLE_GAP_MS = 100
#: A window of ours is placed once the desktop has mapped it: asked this often, this many times.
PLACE_RETRY_MS = 150
PLACE_TRIES = 14
#: With both probes pushed to, the microphone and do-not-disturb are looked at this
#: often (a call starts after 30 s of microphone use: 5 s more or less is no matter).
QUIET_CHORES_SECONDS = 5.0
#: How often the GUI thread wakes while nothing can fall due before the window changes:
#: what it credits then lags by up to this, a pushed change never (``Sampler``).
QUIET_SECONDS = 3.0


@dataclass(frozen=True, slots=True)
class Reading:
    """What the probes said at ``at`` (monotonic seconds)."""

    window: WindowInfo | None
    idle: float | None
    at: float

    def idle_at(self, now: float) -> float | None:
        """The idle time at ``now``, for pushed idle probes: they say 0 until the user
        has been away for their threshold and from then a count that grows with the
        clock, until their next event (which makes a new reading)."""
        if not self.idle:
            return self.idle
        return self.idle + max(0.0, now - self.at)


class ProbeWorker(QtCore.QObject):
    """Lives on the sampler thread. `sampled(window_or_None, idle_seconds_or_None)`;
    `probe_ready(name, warning)` once a window probe is made (again)."""

    sampled = QtCore.Signal(object, object)
    #: True while both probes are pushed to and the worker does not tick (see the module docstring).
    pushed = QtCore.Signal(bool)
    failed = QtCore.Signal(str)
    dnd_changed = QtCore.Signal(bool)
    microphone_changed = QtCore.Signal(object)  # True, False, or None: cannot tell (issue 15)
    probe_ready = QtCore.Signal(str, str)

    def __init__(
        self,
        interval_seconds: float,
        window_probe_factory: Callable[[], WindowProbe] = make_window_probe,
        idle_probe_factory: Callable[[], IdleProbe] = make_idle_probe,
        dnd_reader: Callable[[], bool | None] = desktop_dnd_active,
        microphone: Microphone | None = None,
    ) -> None:
        """``microphone``: read each tick, its changes sent before the tick's sample
        (None: not read, as in tests of other things)."""
        super().__init__()
        self._interval_ms = int(interval_seconds * 1000)
        self._window_factory = window_probe_factory
        self._idle_factory = idle_probe_factory
        self._dnd_reader = dnd_reader
        self._microphone = microphone
        self._recording: bool | None = None
        self._recording_sent = False
        self._window: WindowProbe | None = None
        self._idle: IdleProbe | None = None
        self._timer: QtCore.QTimer | None = None
        self._chores: QtCore.QTimer | None = None
        self._pushed = False
        #: The last good reading; read by the GUI thread's timer while ``pushed``.
        self.latest: Reading | None = None
        self._dnd: bool | None = None
        self._dnd_at = float("-inf")  # when to read it next
        self._notifiers: dict[int, QtCore.QSocketNotifier] = {}
        self._event_sample_pending = False
        self._announced = False  # probe_ready sent for the current window probe
        self._failure: str | None = None  # the last unexpected failure, logged with its traceback once

    @QtCore.Slot()
    def start(self) -> None:
        self._timer = QtCore.QTimer(self)
        self._timer.setTimerType(QtCore.Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.tick)
        self._timer.start(self._interval_ms)
        self._chores = QtCore.QTimer(self)
        self._chores.setTimerType(QtCore.Qt.TimerType.CoarseTimer)
        self._chores.setInterval(int(QUIET_CHORES_SECONDS * 1000))
        self._chores.timeout.connect(self._quiet_chores)
        self.tick()

    @property
    def interval_ms(self) -> int:
        return self._interval_ms

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
        self._drop_window()  # first: dropping a probe sets the timer ticking again
        self._drop_idle()
        if self._timer is not None:
            self._timer.stop()
        if self._chores is not None:
            self._chores.stop()
        if self._microphone is not None:
            self._microphone.close()

    def _probes(self) -> tuple[WindowProbe, IdleProbe]:
        if self._window is None:
            self._window = self._window_factory()
            self._watch(self._window)
            self._announced = False
        if self._idle is None:
            self._idle = self._idle_factory()
            self._watch(self._idle)
        return self._window, self._idle

    def _watch(self, probe: object) -> None:
        """Sample as soon as an EventSource says something changed."""
        if not is_event_source(probe):
            return
        notifier = QtCore.QSocketNotifier(probe.fileno(),  # type: ignore[attr-defined]
                                          QtCore.QSocketNotifier.Type.Read, self)
        notifier.activated.connect(lambda *_: self._on_events(probe))
        self._notifiers[id(probe)] = notifier

    def _unwatch(self, probe: object) -> None:
        notifier = self._notifiers.pop(id(probe), None)
        if notifier is not None:
            notifier.setEnabled(False)
            notifier.deleteLater()

    def _drop_window(self) -> None:
        """Forget the window probe (made again next tick: the X server may be back,
        xrandr installed, the compositor restarted meanwhile)."""
        if self._window is not None:
            self._unwatch(self._window)
            _close(self._window)
            self._window = None
        self._set_pushed(False)  # tick again: the next tick makes it anew

    def _drop_idle(self) -> None:
        """Forget the idle probe (made again next tick)."""
        if self._idle is not None:
            self._unwatch(self._idle)
            _close(self._idle)
            self._idle = None
        self._set_pushed(False)

    def _on_events(self, probe: object) -> None:
        try:
            changed = probe.dispatch()  # type: ignore[attr-defined]
        except ProbeUnavailable as exc:
            self._lost(probe, str(exc))
            return
        except Exception as exc:  # a bad event must not end sampling
            log.exception("reading desktop events failed")
            self._lost(probe, f"{UNAVAILABLE_PREFIX}{type(exc).__name__}: {exc}")
            return
        if changed and not self._event_sample_pending:
            self._event_sample_pending = True
            QtCore.QTimer.singleShot(EVENT_SAMPLE_GAP_MS, self._event_sample)

    def _lost(self, probe: object, message: str) -> None:
        if probe is self._window:
            self._drop_window()
            self.failed.emit(message)
        else:
            self._drop_idle()

    def _event_sample(self) -> None:
        self._event_sample_pending = False
        self.tick()

    @QtCore.Slot(object)
    def activate(self, target: WindowInfo) -> None:
        """Bring ``target``'s window (same app and title) to the front."""
        try:
            window_probe, _idle = self._probes()
            if not window_probe.activate(lambda w: w.title == target.title and w.app == target.app):
                log.info("no window to bring back for %r", target.title)
        except Exception:  # going back still counts if activation fails
            log.exception("could not activate %r", target.title)
            return
        if is_event_source(window_probe):
            # The desktop's answer to the activation may have come in with the reply to
            # it, read off the socket already: the notifier would never fire for it.
            self._on_events(window_probe)

    @QtCore.Slot(str, int, int)
    def place(self, title: str, x: int, y: int, tries: int = PLACE_TRIES) -> None:
        """Ask the desktop to move our window ``title`` to (x, y), where the probe can
        (sway, KWin); tried again for a moment, as the window may not be mapped yet."""
        place = getattr(self._window, "place", None)
        if not callable(place):
            return
        try:
            placed = place(title, x, y)
        except Exception:  # a window left where the desktop put it is no failure
            log.exception("could not place %r", title)
            return
        if self._window is not None and is_event_source(self._window):
            self._on_events(self._window)  # what the desktop said meanwhile
        if not placed and tries > 1:
            QtCore.QTimer.singleShot(PLACE_RETRY_MS, lambda: self.place(title, x, y, tries - 1))

    @QtCore.Slot()
    def tick(self) -> None:
        try:
            window_probe, idle_probe = self._probes()
            window = window_probe.active_window()
            idle = idle_probe.idle_seconds()
        except ProbeUnavailable as exc:
            self._drop_window()
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # one bad tick must not end sampling
            message = f"{UNAVAILABLE_PREFIX}{type(exc).__name__}: {exc}"
            if message != self._failure:  # every tick fails alike: one traceback is enough
                log.exception("probe failed")
            self._failure = message
            self.failed.emit(message)
            return
        self._failure = None
        self.latest = Reading(window, idle, time.monotonic())
        if not self._announced:  # the first good reading: this probe works
            self._announced = True
            self.probe_ready.emit(getattr(window_probe, "name", ""), getattr(window_probe, "warning", ""))
        if not self._pushed:
            self._poll_microphone()
        self.sampled.emit(window, idle)
        if not self._pushed:
            self._poll_dnd()
        self._set_pushed(is_event_source(window_probe) and is_event_source(idle_probe))

    def _set_pushed(self, pushed: bool) -> None:
        """Tick, or leave the interval's samples to the GUI thread (module docstring)."""
        if pushed == self._pushed or self._timer is None or self._chores is None:
            return
        self._pushed = pushed
        if pushed:
            self._timer.stop()
            self._chores.start()
        else:
            self._chores.stop()
            self._timer.start(self._interval_ms)
        self.pushed.emit(pushed)

    def _quiet_chores(self) -> None:
        self._poll_microphone()
        self._poll_dnd()

    def _poll_microphone(self) -> None:
        """One round trip to the sound server on its kept connection (a fraction of a
        millisecond); only a change is sent on."""
        if self._microphone is None:
            return
        recording = self._microphone.recording()  # never raises: unknown is None
        if recording != self._recording or not self._recording_sent:
            self._recording, self._recording_sent = recording, True
            self.microphone_changed.emit(recording)

    def _poll_dnd(self) -> None:
        now = time.monotonic()
        if now < self._dnd_at:
            return
        self._dnd_at = now + DND_EVERY_SECONDS
        try:
            reading = self._dnd_reader()
        except Exception:  # logged; nudges then simply are not held for do-not-disturb
            log.exception("reading do-not-disturb failed")
            return
        if reading is None:  # this desktop does not say: ask its helpers again rarely
            self._dnd_at = now + DND_UNREADABLE_EVERY_SECONDS
        active = bool(reading)
        if active != self._dnd:
            self._dnd = active
            self.dnd_changed.emit(active)


def _close(probe: object) -> None:
    close = getattr(probe, "close", None)
    if callable(close):
        try:
            close()
        except Exception:  # a probe that cannot close is gone anyway
            log.debug("closing %r failed", probe, exc_info=True)


@dataclass(frozen=True, slots=True)
class _Delivered:
    """The last sample delivered: the reading it came from, and its time (monotonic)."""

    reading: Reading
    at: float


#: Receives the samples on the GUI thread: ``(window, idle_seconds, ago)``, ``ago`` how
#: many seconds before now the sample stands for (0 but when intervals are caught up).
Receiver = Callable[[WindowInfo | None, float | None, float], object]


class Sampler(QtCore.QObject):
    """Owns the worker thread. Signals arrive on the GUI thread (queued connections).

    While both probes are pushed to, this thread's timer makes the interval's samples.
    Told ``quiet`` (nothing can fall due before the window changes: the user on the
    priority, say), it wakes only every QUIET_SECONDS and delivers the intervals since
    its last sample at once, each with its ``ago``: a wake-up costs the GUI thread far
    more than a sample, its caches cold after a second's sleep (bench/bench_tick.py),
    and one wake-up a second was most of what the app cost while the user stays in one
    window (issue 10). A pushed change of window or idle is sampled at once as ever,
    after the intervals owed before it."""

    #: The worker's samples, as they reach the GUI thread (after the receivers).
    sampled = QtCore.Signal(object, object)
    activate_requested = QtCore.Signal(object)
    place_requested = QtCore.Signal(str, int, int)

    def __init__(self, worker: ProbeWorker, parent: QtCore.QObject | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.worker = worker
        self._monotonic = monotonic
        self._receivers: list[Receiver] = []
        self._interval = worker.interval_ms / 1000
        self._quiet = False
        self._last: _Delivered | None = None
        self._timer = QtCore.QTimer(self)
        self._timer.setTimerType(QtCore.Qt.TimerType.CoarseTimer)
        self._timer.setInterval(worker.interval_ms)
        self._timer.timeout.connect(self._tick)
        worker.sampled.connect(self._on_worker_sample)
        worker.pushed.connect(self._on_pushed)
        self.probe_thread = QtCore.QThread(self)
        self.probe_thread.setObjectName("focusguard-probe")
        worker.moveToThread(self.probe_thread)
        self.probe_thread.started.connect(worker.start)
        self.activate_requested.connect(worker.activate)  # queued: runs on the worker's thread
        self.place_requested.connect(worker.place)

    def deliver_to(self, receiver: Receiver) -> None:
        """``receiver`` gets every sample on the GUI thread, called directly: the tick
        runs all day, and a signal hop through PySide doubled its cost (issue 10)."""
        self._receivers.append(receiver)

    def set_quiet(self, quiet: bool) -> None:
        """Quiet: wake every QUIET_SECONDS instead of every interval while pushed to."""
        if quiet != self._quiet:
            self._quiet = quiet
            self._timer.setInterval(self._tick_ms())  # a running timer restarts: a whole tick from now

    def catch_up(self) -> None:
        """Deliver the intervals owed since the last sample (before a quit)."""
        if self._timer.isActive() and self._last is not None:
            self._owed(self._monotonic(), self._last.reading, until_now=True)

    def activate(self, target: WindowInfo) -> None:
        """Ask the probe's thread to bring ``target`` forward; returns at once."""
        self.activate_requested.emit(target)

    def place(self, title: str, x: int, y: int) -> None:
        """Ask the probe's thread to move our window ``title`` to (x, y); returns at once."""
        self.place_requested.emit(title, x, y)

    def start(self) -> None:
        self.probe_thread.start()

    def _on_pushed(self, pushed: bool) -> None:
        if pushed:
            self._timer.start()
        else:
            self._timer.stop()

    def _tick_ms(self) -> int:
        stretch = max(1, round(QUIET_SECONDS / self._interval)) if self._quiet else 1
        return round(stretch * self._interval * 1000)

    def _tick(self) -> None:
        """The samples since the last one, from the worker's last reading (assigned
        whole by the worker: reading it here needs no lock)."""
        latest = self.worker.latest
        if latest is None:
            return
        now = self._monotonic()
        if self._last is None:
            self._deliver(latest, now, now)
        else:
            self._owed(now, latest, until_now=True)

    @QtCore.Slot(object, object)
    def _on_worker_sample(self, window: WindowInfo | None, idle: float | None) -> None:
        """A reading of the worker's: a pushed change, or its own tick while it polls.
        While this thread's timer samples, the intervals owed before it go first."""
        now = self._monotonic()
        if self._timer.isActive():
            if self._last is not None:
                self._owed(now, self._last.reading, until_now=False)
            self._timer.start()  # the next tick a whole tick from this sample
        self._deliver(Reading(window, idle, now), now, now)
        self.sampled.emit(window, idle)

    def _owed(self, now: float, latest: Reading, *, until_now: bool) -> None:
        """The samples one interval apart since the last one, each from the reading that
        held then (``latest`` from its time on, the last sample's before it): with
        ``until_now`` as many as fit, the last one at ``now``; else only those before
        ``now`` (the intervals owed before a pushed change)."""
        assert self._last is not None
        last, interval = self._last, self._interval
        if until_now:
            count = max(1, round((now - last.at) / interval))
            times = [now - (count - k) * interval for k in range(1, count + 1)]
        else:
            times = list(itertools.takewhile(lambda t: t < now - 1e-6,
                                             (last.at + k * interval for k in itertools.count(1))))
        for at in times:
            self._deliver(latest if latest.at <= at else last.reading, at, now)

    def _deliver(self, reading: Reading, at: float, now: float) -> None:
        self._last = _Delivered(reading, at)
        idle = reading.idle_at(at)
        for receiver in self._receivers:
            receiver(reading.window, idle, now - at)

    def set_interval(self, seconds: float) -> None:
        self._interval = seconds
        if self._tick_ms() != self._timer.interval():  # setInterval restarts a running timer
            self._timer.setInterval(self._tick_ms())
        QtCore.QMetaObject.invokeMethod(self.worker, "set_interval",
                                        QtCore.Qt.ConnectionType.QueuedConnection,
                                        QtCore.Q_ARG(float, seconds))

    def stop(self) -> None:
        self._timer.stop()
        QtCore.QMetaObject.invokeMethod(self.worker, "stop",
                                        QtCore.Qt.ConnectionType.BlockingQueuedConnection)
        self.probe_thread.quit()
        self.probe_thread.wait(3000)

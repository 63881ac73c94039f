"""The desktop app: wires the Qt views to the controller and runs the event loop.

Data flows one way: the sampler thread reads the probes -> `Controller.handle_sample`
classifies, feeds the engine and stores -> this module renders the `Update`.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import signal
import socket
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_log_dir

from focusguard import __version__
from focusguard.block_watch import BlockCardView
from focusguard.controller import Controller, Update
from focusguard.core import files
from focusguard.core.calls import Call
from focusguard.core.config import config_path
from focusguard.core.starters import WELCOME_KEY, WELCOME_PENDING, is_first_run
from focusguard.firstrun import WelcomeOffer
from focusguard.platform.microphone import Microphone
from focusguard.platform.probes import make_microphone_probe
from focusguard.platform.window import WindowInfo
from focusguard.runtime.sampler import ProbeWorker, Sampler
from focusguard.runtime.single_instance import InstanceError, SingleInstance, notify_running
from focusguard.store import Store, StoreError, default_db_path
from focusguard.ui import standalone
from focusguard.ui.block_card import BlockCard
from focusguard.ui.call_card import CallCard, CallsMenu
from focusguard.ui.declare import DeclareDialog
from focusguard.ui.icons import app_icon
from focusguard.ui.nudge import NudgeWindow
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.sync_runner import SyncRunner
from focusguard.ui.tray import TrayMenu, TrayPresenter
from focusguard.viewmodels import NudgeView, ReviewRequest, SummaryRequest, TrayView

if TYPE_CHECKING:  # the windows below load on first use: most days only the tray and nudge run
    from focusguard.ui.about import AboutDialog, DataLocations
    from focusguard.ui.review_window import ReviewWindow
    from focusguard.ui.settings import SettingsWindow
    from focusguard.ui.summary_window import SummaryWindow
    from focusguard.ui.welcome import WelcomeWindow

log = logging.getLogger("focusguard")

#: Config edits on disk are looked for this often.
#: config.toml is watched (inotify); this slow poll only backs the watch up where it
#: cannot work (a network file system, a folder made after the start).
CONFIG_POLL_MS = 30_000


def log_dir() -> Path:
    return Path(user_log_dir("focusguard", appauthor=False))


class _PrivateLogFile(logging.handlers.RotatingFileHandler):
    """Each log file (the first and every one after a rotation) is 0600 whatever the
    umask, and never opened through a link."""

    def _open(self) -> io.TextIOWrapper:  # the base class's hook
        stream = open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,  # noqa: SIM115 - the handler keeps it open
                      opener=files.private_opener)
        assert isinstance(stream, io.TextIOWrapper)  # a text mode: the handler writes str
        return stream


def setup_logging() -> Path:
    """A rotating log file in the user log dir (and stderr), so a bad tick leaves a trace.
    The folder and files are the user's only (0700, 0600): a logged error may quote a
    window title. Raises OSError (``files.UnsafePathError`` included)."""
    directory = files.private_dir(log_dir())
    path = files.checked_target(directory / "focusguard.log")
    handler = _PrivateLogFile(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(logging.Formatter("focusguard: %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    root.addHandler(stream)
    return path


class FocusGuardApp(QtCore.QObject):
    """The running app: tray, nudge and windows, rendering the controller's `Update`s
    and forwarding the user's intents to it. It decides nothing itself."""

    #: (mtime, LoadResult, Classifier | None) from the config reload worker thread
    config_read = QtCore.Signal(object)

    def __init__(self, controller: Controller, sampler: Sampler | None = None,
                 presenter: TrayPresenter | None = None) -> None:
        super().__init__()
        self.controller = controller
        self.presenter = presenter or TrayPresenter(TrayMenu())
        self.menu = self.presenter.menu
        # Made on first use: a day may pass without either, and each costs megabytes.
        self._nudge: NudgeWindow | None = None
        self._block_card: BlockCard | None = None
        self._call_card: CallCard | None = None
        self._declare_dialog: DeclareDialog | None = None
        self.sampler = sampler
        self.about_dialog: AboutDialog | None = None
        self.welcome: WelcomeWindow | None = None
        self.summary_window: SummaryWindow | None = None
        self.review_window: ReviewWindow | None = None
        self.settings_window: SettingsWindow | None = None
        self._stopped = False  # shut down: late readings are dropped (the store is closed)
        self._tray_shown: TrayView | None = None

        self.menu.declare_requested.connect(lambda: self.open_declare(steal_focus=True))
        self.menu.pause_requested.connect(self.pause)
        self.menu.resume_requested.connect(self.resume)
        self.menu.today_requested.connect(self.show_today)
        self.menu.review_requested.connect(lambda: self.open_review(activate=True))
        self.menu.settings_requested.connect(self.show_settings)
        self.menu.about_requested.connect(self.show_about)
        self.menu.quit_requested.connect(self.quit)
        self.presenter.fallback_used.connect(self.on_fallback_used)
        self.calls_menu = CallsMenu(self.menu, self.menu.today_action)  # issue 15: calls to answer
        self.calls_menu.requested.connect(lambda call_id: self.render(self.controller.on_call_requested(call_id)))

        self._config_timer = QtCore.QTimer(self)
        self._config_timer.setInterval(CONFIG_POLL_MS)
        self._config_timer.timeout.connect(self.reload_config)
        self._config_watch = QtCore.QFileSystemWatcher(self)
        self._config_watch.fileChanged.connect(self._config_touched)
        self._config_watch.directoryChanged.connect(self._config_touched)
        self._config_reading = False
        self.config_read.connect(self._apply_config_read)
        self.sync = SyncRunner(self)  # issue 16: publish and merge on a thread of its own
        self.sync.merged.connect(lambda: self.render(self.controller.on_synced()))
        if sampler is not None:
            sampler.deliver_to(self.on_sample)
            sampler.worker.failed.connect(self.on_probe_failed)
            sampler.worker.dnd_changed.connect(self.controller.on_dnd_changed)
            sampler.worker.microphone_changed.connect(self.controller.on_microphone_changed)
            sampler.worker.probe_ready.connect(self.on_probe_ready)

    @property
    def nudge(self) -> NudgeWindow:
        if self._nudge is None:
            self._nudge = NudgeWindow()
            self._nudge.back.connect(self.on_back)
            self._nudge.snooze.connect(self.on_snooze)
            self._nudge.part_of_priority.connect(lambda scope: self.render(self.controller.on_part_of_priority(scope)))
            self._nudge.change_priority.connect(lambda: self.open_declare(steal_focus=True))
            self._nudge.teach.connect(lambda kind, activity: self.render(self.controller.on_teach(kind, activity)))
            self._nudge.delegate.connect(lambda note: self.render(self.controller.on_delegate(note)))
        return self._nudge

    @property
    def block_card(self) -> BlockCard:
        """A focus block's card (issue 14), made on first use like the nudge."""
        if self._block_card is None:
            self._block_card = BlockCard()
            self._block_card.go.connect(lambda ident: self.render(self.controller.on_block_go(ident)))
            self._block_card.move_to.connect(
                lambda ident, start: self.render(self.controller.on_block_move(ident, start)))
            self._block_card.dismissed.connect(lambda ident: self.render(self.controller.on_block_left(ident)))
        return self._block_card

    def show_block_card(self, view: BlockCardView) -> None:
        """Beside the tray, never taking the focus (as a level-1 nudge); under (or
        above) a nudge or call card showing there, never over it."""
        anchor = self.presenter.geometry_hint()
        for card in (self._nudge, self._call_card):
            if card is not None and card.isVisible() and not card.isFullScreen():
                anchor = card.frameGeometry()
        self.block_card.show_card(view, tray_hint=anchor)
        self.controller.shown_without_focus()
        self._place_where_asked(self.block_card)

    @property
    def call_card(self) -> CallCard:
        """After a call: "value call or chill call?" (issue 15), made on first use."""
        if self._call_card is None:
            self._call_card = CallCard()
            self._call_card.answered.connect(
                lambda call_id, kind, note: self.render(self.controller.on_call_answered(call_id, kind, note)))
            self._call_card.later.connect(lambda call_id: log.info("call %d left for later", call_id))
        return self._call_card

    def show_call_card(self, call: Call) -> None:
        """Beside the tray, never taking the focus (as a level-1 nudge); under (or above)
        a nudge card showing there, never over it."""
        anchor = self.presenter.geometry_hint()
        if self._nudge is not None and self._nudge.isVisible() and not self._nudge.isFullScreen():
            anchor = self._nudge.frameGeometry()
        self.call_card.show_call(call, tray_hint=anchor)
        self.controller.shown_without_focus()
        self._place_where_asked(self.call_card)

    @property
    def declare_dialog(self) -> DeclareDialog:
        if self._declare_dialog is None:
            self._declare_dialog = DeclareDialog()
            self._declare_dialog.declared.connect(self.declare)
        return self._declare_dialog

    def hide_nudge(self) -> None:
        if self._nudge is not None:
            self._nudge.hide()
        self._status_aside(False)

    def _status_aside(self, aside: bool) -> None:
        """The status window makes way for the full-screen nudge and comes back after,
        where it was and without the focus."""
        if self.presenter.step_aside(aside) and self.presenter.status is not None:
            self.controller.shown_without_focus()
            self._place_where_asked(self.presenter.status)

    def start(self) -> None:
        update = self.controller.on_start()
        self._render_tray(update.tray)
        self.presenter.start()
        self._config_timer.start()
        self._watch_config()
        if self.sampler is not None:
            self.sampler.start()
        self._start_sync()
        self.render(update)
        log.info("FocusGuard %s started", __version__)

    def _start_sync(self) -> None:
        """Start or restart syncing as the config says; the worker also publishes this
        computer's activities and, with ``[sync] follow``, takes another's (issue 16)."""
        c = self.controller
        self.sync.start(c.config, c.store.path, config_file=c.config_file)

    # --- samples ----------------------------------------------------------------------

    def on_sample(self, window: WindowInfo | None, idle_seconds: float | None, ago: float = 0.0) -> None:
        """A sample from the sampler, read ``ago`` seconds before now (a catch-up of the
        intervals of a quiet wake-up); it then wakes quietly again while it may."""
        if self._stopped:
            return
        try:
            update = self.controller.handle_sample(window, idle_seconds, ago=ago)
        except Exception:  # log it; the next tick runs
            log.exception("tick failed")
            return
        self.render(update)
        if self.sampler is not None:
            self.sampler.set_quiet(self.controller.nothing_due_before_a_change)

    @QtCore.Slot(str)
    def on_probe_failed(self, message: str) -> None:
        if self._stopped:
            return
        self.render(self.controller.handle_probe_error(message))  # logged there, once per reason

    def on_fallback_used(self, why: str) -> None:
        """The status window stands in for the tray: it must not take the focus."""
        log.warning("%s", why)
        self.controller.shown_without_focus()
        if self.presenter.status is not None:
            self._place_where_asked(self.presenter.status)

    def _place_where_asked(self, window: QtWidgets.QWidget) -> None:
        """On Wayland a window cannot place itself (sway and KWin centre it, over the
        work and over each other): the desktop's probe moves it where Qt was asked to."""
        if self.sampler is not None and QtGui.QGuiApplication.platformName() == "wayland":
            self.sampler.place(window.windowTitle(), window.x(), window.y())

    @QtCore.Slot(str, str)
    def on_probe_ready(self, name: str, warning: str) -> None:
        self.render(self.controller.handle_probe_ready(name, warning))

    # --- rendering ----------------------------------------------------------------------

    def render(self, update: Update) -> None:
        """Shows what ``update`` says, in this order: the tray, messages, the focus
        given back, the nudge, the declare dialog, the windows offered or asked for."""
        self._render_tray(update.tray)
        for notice in update.notices:
            self.presenter.show_message(notice.title, notice.text)
        if update.give_focus_to is not None:
            self._activate(update.give_focus_to)
        if update.close_nudge:
            self.hide_nudge()
        if update.nudge is not None:
            self.show_nudge(update.nudge)
        if update.acknowledge is not None:
            self.nudge.acknowledge(update.acknowledge)
        if update.close_block_card and self._block_card is not None:
            self._block_card.hide()
        if update.block_card is not None:
            self.show_block_card(update.block_card)
        if update.ask_call is not None:
            self.show_call_card(update.ask_call)
        if update.declare is not None:
            prompt = update.declare
            self.declare_dialog.populate(prompt.activities, prompt.activity, prompt.next_step, dict(prompt.steps))
            self.declare_dialog.open_dialog(steal_focus=prompt.steal_focus)
        elif update.close_declare and self._declare_dialog is not None:
            self._declare_dialog.hide()
        if update.open_summary is not None:
            self._open_summary(update.open_summary, activate=update.activate)
        if update.open_review is not None:
            self._open_review(update.open_review, activate=update.activate)
        if update.welcome is not None:
            self._show_welcome(update.welcome)
        if update.sample_every is not None and self.sampler is not None:
            self.sampler.set_interval(update.sample_every)

    def _render_tray(self, tray: TrayView) -> None:
        if tray == self._tray_shown:
            return  # every sample brings one, and most change nothing: no call into Qt
        self._tray_shown = tray
        self.presenter.set_state(tray.state)
        self.presenter.set_tooltip(tray.tooltip)
        self.menu.set_priority(tray.priority, tray.next_step)
        self.calls_menu.set_calls(tray.calls_waiting)
        self.menu.set_probe_info(tray.probe_info)
        self.menu.set_paused(tray.paused_until)

    # --- the nudge --------------------------------------------------------------------

    def show_nudge(self, view: NudgeView) -> None:
        self.nudge.show_nudge(view, tray_hint=self.presenter.geometry_hint())
        if view.level == 1:  # a card beside the work, never in its way
            self.controller.shown_without_focus()
        if view.level < 3:
            self._place_where_asked(self.nudge)
        self._status_aside(view.level == 3)

    def on_back(self) -> None:
        self.render(self.controller.on_back())

    def _activate(self, target: WindowInfo) -> None:
        if self.sampler is not None:  # the probe lives on the sampler's thread
            self.sampler.activate(target)

    def on_snooze(self) -> None:
        self.render(self.controller.on_snooze())

    # --- menu actions -----------------------------------------------------------------

    def open_declare(self, *, steal_focus: bool) -> None:
        self.render(self.controller.on_declare_requested(steal_focus=steal_focus))

    def declare(self, activity: str, next_step: str) -> None:
        self.render(self.controller.on_declare(activity, next_step))

    def pause(self, minutes: float | None) -> None:
        self.render(self.controller.on_pause(minutes))

    def resume(self) -> None:
        self.render(self.controller.on_resume())

    def show_today(self) -> None:
        """"Today so far": the summary window for today, raised if already open."""
        self.render(self.controller.on_today_requested())

    def open_review(self, *, activate: bool) -> None:
        self.render(self.controller.on_review_requested(activate=activate))

    # --- the summary and the 30-day review ------------------------------------------------

    def _open_summary(self, request: SummaryRequest, *, activate: bool) -> None:
        """One summary window, refreshed and raised; the automatic offers leave the keyboard alone."""
        if self.summary_window is None:
            from focusguard.ui.summary_window import SummaryWindow

            self.summary_window = SummaryWindow(self.controller.records, activities=request.activities)
            self.summary_window.saved.connect(self.on_journal_saved)
            self.summary_window.review_requested.connect(lambda: self.open_review(activate=True))
        self.summary_window.activities = list(request.activities)
        self.summary_window.show_day(request.day, activate=activate)

    def _open_review(self, request: ReviewRequest, *, activate: bool) -> None:
        if self.review_window is None:
            from focusguard.ui.review_window import ReviewWindow

            self.review_window = ReviewWindow(self.controller.records)
        self.review_window.focus_blocks = request.focus_blocks
        self.review_window.show_period(request.first, request.last, activate=activate)

    def on_journal_saved(self, day: date) -> None:
        declare_open = self._declare_dialog is not None and self._declare_dialog.isVisible()
        self.render(self.controller.on_journal_saved(declare_open=declare_open))

    def show_settings(self) -> None:
        """Opens the one settings window, or raises it; a save applies at once (the
        controller switches config, no restart) and a new declaration goes through
        the controller like the dialog's."""
        window = self.settings_window
        if window is None:
            from focusguard.ui.settings import SettingsContext, SettingsWindow

            window = SettingsWindow(SettingsContext(self.controller.config_file, self.controller.records,
                                                    last_good=lambda: self.controller.config))
            window.saved.connect(lambda config: self.render(self.controller.on_config_saved(config)))
            window.declared.connect(self.declare)
            self.settings_window = window
        window.open_window()

    def locations(self) -> DataLocations:
        from focusguard.ui.about import DataLocations

        return DataLocations(self.controller.config_file, self.controller.records.path, log_dir())

    def show_about(self) -> None:
        if self.about_dialog is None:
            from focusguard.ui.about import AboutDialog

            self.about_dialog = AboutDialog(self.locations())
        self.about_dialog.open_dialog()

    # --- first run --------------------------------------------------------------------

    def _show_welcome(self, offer: WelcomeOffer) -> None:
        from focusguard.ui.welcome import WelcomeWindow

        first_run = self.controller.first_run
        self.welcome = WelcomeWindow(self.locations(), start_at_login=offer.start_at_login,
                                     gnome_setup=first_run.setup_gnome if offer.gnome_setup else None)
        self.welcome.finished.connect(lambda choice: self.render(self.controller.on_welcome_finished(choice)))
        self.welcome.skipped.connect(lambda: self.render(self.controller.on_welcome_skipped()))
        self.welcome.open_window()

    def _watch_config(self) -> None:
        """Watch the file and its folder: an editor's atomic save replaces the file,
        and the watch on the old one goes with it."""
        path = self.controller.config_file
        missing = [str(p) for p in (path, path.parent) if p.exists() and str(p) not in self._watched()]
        if missing:
            self._config_watch.addPaths(missing)

    def _watched(self) -> list[str]:
        return self._config_watch.files() + self._config_watch.directories()

    def _config_touched(self, _path: str) -> None:
        self._watch_config()
        self.reload_config()

    def reload_config(self) -> None:
        """A changed config.toml is read, validated and compiled on a worker thread (a
        big file takes seconds, issue 11) and applied on this one; sampling goes on."""
        if self._config_reading:
            return  # the next poll sees any change made meanwhile
        mtime = self.controller.config_changed()
        if mtime is None:
            return
        self._config_reading = True

        def read() -> None:
            try:
                self.config_read.emit((mtime, *self.controller.read_config()))
            except Exception:  # log it; keep the last good config and polling
                log.exception("config reload failed")
                self.config_read.emit(None)

        threading.Thread(target=read, name="config-reload", daemon=True).start()

    @QtCore.Slot(object)
    def _apply_config_read(self, read: tuple | None) -> None:
        self._config_reading = False
        if self._stopped:  # read while shutting down: the store is closed
            return
        self.render(self.controller.on_config_read(read))
        self._start_sync()  # [sync] may have changed
        self.reload_config()  # a change made while this one was being read

    def quit(self) -> None:
        QtWidgets.QApplication.quit()

    def shutdown(self) -> None:
        """Nothing may reach the controller once its store is closed: the config poll
        stops and a reading still queued from the sampler is dropped first."""
        if self.sampler is not None:
            self.sampler.catch_up()  # the seconds a quiet tick still owes reach the store
        self._stopped = True
        self._config_timer.stop()
        self._config_watch.blockSignals(True)
        if self.sampler is not None:
            self.sampler.stop()
        self.presenter.hide()
        self.controller.close()
        self.sync.stop()  # after the store's last write: the last of today reaches the folder
        log.info("FocusGuard stopped")


def run_app(config_file: Path | None = None, db_file: Path | None = None) -> int:
    """`focusguard` with no command. Returns the exit code."""
    # No setApplicationDisplayName: Qt would append " — FocusGuard" to every window
    # title, and the nudge must be titled exactly "FocusGuard nudge" (README, window rules).
    qapp = standalone.application()
    qapp.setQuitOnLastWindowClosed(False)

    try:
        instance = SingleInstance()
        if not instance.acquire():
            if not notify_running():
                return _cannot_start(qapp, "FocusGuard is already running but does not answer; "
                                           "quit it (or end its process), then start it again")
            print("FocusGuard is already running")
            return 0
    except InstanceError as exc:
        return _cannot_start(qapp, str(exc))

    try:
        return _run(qapp, instance, config_file or config_path(), db_file or default_db_path())
    finally:
        instance.release()


#: The title of the window that says why FocusGuard could not start.
CANNOT_START_TITLE = "FocusGuard cannot start"


def _cannot_start(qapp: QtWidgets.QApplication, why: str) -> int:
    """Says why on stderr, in the log and in a window (started from a desktop launcher,
    nobody reads stderr); exits 1 when the window is closed."""
    log.error("%s", why)
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Critical, CANNOT_START_TITLE, why)
    box.finished.connect(qapp.quit)
    box.show()
    qapp.exec()
    return 1


def _run(qapp: QtWidgets.QApplication, instance: SingleInstance, config_file: Path, db_file: Path) -> int:
    qapp.setWindowIcon(app_icon())
    try:
        log_path = setup_logging()
    except OSError as exc:
        return _cannot_start(qapp, f"FocusGuard cannot write its log: {exc}")
    config_existed = config_file.exists()  # before the controller writes the starter file
    try:
        # Writes on a thread of their own: a locked or full disk never freezes the tray.
        store = Store(db_file, background=True, monotonic=time.monotonic)
    except StoreError as exc:
        return _cannot_start(qapp, str(exc))
    if is_first_run(config_existed, store.has_history()):
        store.set_meta(WELCOME_KEY, WELCOME_PENDING)
    controller = Controller(config_file, store)
    worker = ProbeWorker(controller.config.sampling.interval_seconds, microphone=Microphone(make_microphone_probe))
    app = FocusGuardApp(controller, Sampler(worker))
    instance.activated.connect(app.presenter.popup_menu)
    instance.settings_requested.connect(app.show_settings)
    instance.back_requested.connect(app.on_back)
    qapp.aboutToQuit.connect(app.shutdown)
    log.info("log file %s, config %s, database %s", log_path, controller.config_file, store.path)
    app.start()
    # SIGTERM/SIGINT quit cleanly (the open event is flushed). While Qt's loop runs in
    # C++, Python's handler waits for the interpreter: a signal also writes a byte to a
    # socket Qt watches, which wakes the loop to run it (no timer ticking meanwhile).
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: qapp.quit())
    wake_read, wake_write = socket.socketpair()
    wake_read.setblocking(False)
    wake_write.setblocking(False)
    signal.set_wakeup_fd(wake_write.fileno())
    notifier = QtCore.QSocketNotifier(wake_read.fileno(), QtCore.QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda *_: wake_read.recv(64))
    try:
        return qapp.exec()
    finally:
        signal.set_wakeup_fd(-1)
        notifier.setEnabled(False)
        wake_read.close()
        wake_write.close()

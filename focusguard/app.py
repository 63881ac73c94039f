"""The desktop app: wires the Qt views to the controller and runs the event loop.

Data flows one way: the sampler thread reads the probes -> `Controller.handle_sample`
classifies, feeds the engine and stores -> this module renders the `Update`.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import signal
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_log_dir

from focusguard import __version__
from focusguard.controller import Controller, Update
from focusguard.core import files
from focusguard.core.config import ConfigError, config_path
from focusguard.core.model import Kind, Nudge
from focusguard.core.review import ACTIVE, Prompts, tracked_seconds
from focusguard.core.starters import (
    WELCOME_DONE,
    WELCOME_KEY,
    WELCOME_PENDING,
    WelcomeChoice,
    apply_starter,
    is_first_run,
    starter_named,
)
from focusguard.platform import autostart
from focusguard.platform.window import WindowInfo
from focusguard.store import Store, StoreError, default_db_path
from focusguard.ui import standalone
from focusguard.ui.declare import DeclareDialog
from focusguard.ui.icons import app_icon
from focusguard.ui.nudge import NudgeView, NudgeWindow
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.sampler import ProbeWorker, Sampler
from focusguard.ui.single_instance import InstanceError, SingleInstance, notify_running
from focusguard.ui.tray import TrayMenu, TrayPresenter

if TYPE_CHECKING:  # the windows below load on first use: most days only the tray and nudge run
    from focusguard.ui.about import AboutDialog, DataLocations
    from focusguard.ui.review import ReviewWindow
    from focusguard.ui.settings import SettingsWindow
    from focusguard.ui.summary import SummaryWindow
    from focusguard.ui.welcome import WelcomeWindow

log = logging.getLogger("focusguard")

#: Config edits on disk are looked for this often.
CONFIG_POLL_MS = 2000


def log_dir() -> Path:
    return Path(user_log_dir("focusguard", appauthor=False))


class _PrivateLogFile(logging.handlers.RotatingFileHandler):
    """Each log file (the first and every one after a rotation) is 0600 whatever the
    umask, and never opened through a link."""

    def _open(self):  # type: ignore[no-untyped-def]  # the base class's hook, untyped there
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
                    opener=files.private_opener)


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
    """The running app: tray, nudge, dialogs, and the controller behind them."""

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
        self._declare_dialog: DeclareDialog | None = None
        self.sampler = sampler
        self._morning_prompt = False  # the declare dialog is open as the morning's question
        self.about_dialog: AboutDialog | None = None
        self.welcome: WelcomeWindow | None = None
        self.summary_window: SummaryWindow | None = None
        self.review_window: ReviewWindow | None = None
        self.settings_window: SettingsWindow | None = None
        self.prompts = Prompts(controller.store, clock=controller.clock, tz=controller.tz)
        self._review_checked_on: date | None = None
        self._stopped = False  # shut down: late readings are dropped (the store is closed)

        self.menu.declare_requested.connect(lambda: self.open_declare(steal_focus=True))
        self.menu.pause_requested.connect(self.pause)
        self.menu.resume_requested.connect(self.resume)
        self.menu.today_requested.connect(self.show_today)
        self.menu.review_requested.connect(lambda: self.open_review(activate=True))
        self.menu.settings_requested.connect(self.show_settings)
        self.menu.about_requested.connect(self.show_about)
        self.menu.quit_requested.connect(self.quit)
        self.presenter.fallback_used.connect(self.on_fallback_used)

        self._config_timer = QtCore.QTimer(self)
        self._config_timer.setInterval(CONFIG_POLL_MS)
        self._config_timer.timeout.connect(self.reload_config)
        self._config_reading = False
        self.config_read.connect(self._apply_config_read)
        if sampler is not None:
            sampler.worker.sampled.connect(self.on_sample)
            sampler.worker.failed.connect(self.on_probe_failed)
            sampler.worker.dnd_changed.connect(self.on_dnd_changed)
            sampler.worker.probe_ready.connect(self.on_probe_ready)

    @property
    def nudge(self) -> NudgeWindow:
        if self._nudge is None:
            self._nudge = NudgeWindow()
            self._nudge.back.connect(self.on_back)
            self._nudge.snooze.connect(self.on_snooze)
            self._nudge.part_of_priority.connect(self.on_part_of_priority)
            self._nudge.change_priority.connect(self.on_change_priority)
            self._nudge.teach.connect(self.on_teach)
        return self._nudge

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
        self._refresh_menu()
        self.presenter.set_tooltip(self.controller.tooltip())
        self.presenter.start()
        if self.controller.config_problem:
            self.presenter.show_message("FocusGuard: config has errors", self.controller.config_problem)
        self._config_timer.start()
        if self.sampler is not None:
            self.sampler.start()
        if self.controller.store.get_meta(WELCOME_KEY) == WELCOME_PENDING:
            self.show_welcome()
        else:
            self.offer_missed_day()
        log.info("FocusGuard %s started", __version__)

    # --- samples ----------------------------------------------------------------------

    @QtCore.Slot(object, object)
    def on_sample(self, window: WindowInfo | None, idle_seconds: float | None) -> None:
        if self._stopped:
            return
        try:
            update = self.controller.handle_sample(window, idle_seconds)
        except Exception:  # noqa: BLE001 - log it; the next tick runs
            log.exception("tick failed")
            return
        self.render(update)

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

    @QtCore.Slot(bool)
    def on_dnd_changed(self, active: bool) -> None:
        log.info("desktop do-not-disturb %s", "on" if active else "off")
        self.controller.dnd_active = active

    def render(self, update: Update) -> None:
        self.presenter.set_state(update.state)
        self.presenter.set_tooltip(update.tooltip)
        self._refresh_menu()
        if update.message:
            self.presenter.show_message("FocusGuard", update.message)
        if update.give_focus_to is not None:
            self._activate(update.give_focus_to)
        if update.close_nudge:
            self.hide_nudge()
        if update.show_nudge is not None:
            self.show_nudge(update.show_nudge)
        if update.prompt_declaration and not self.welcoming:
            self.open_declare(steal_focus=False)
            self._morning_prompt = True
        elif self._morning_prompt and self.controller.declaration is not None:
            # Declared elsewhere (the CLI, the settings window): the question is answered.
            self._morning_prompt = False
            if self._declare_dialog is not None:
                self._declare_dialog.hide()
        active = update.classified is not None and update.classified.classification in ACTIVE
        if active and not self.welcoming:
            self.offer_day_end()
            self.offer_review()

    def _refresh_menu(self) -> None:
        declaration = self.controller.declaration
        self.menu.set_priority(declaration.activity if declaration else None,
                               declaration.next_step if declaration else "")
        self.menu.set_probe_info(self.controller.probe_status())
        paused_until = self.controller.engine.paused_until if self.controller.paused else None
        self.menu.set_paused(None if paused_until is None
                             else datetime.fromtimestamp(paused_until).strftime("%H:%M"))

    # --- the nudge --------------------------------------------------------------------

    def show_nudge(self, nudge: Nudge) -> None:
        declaration = self.controller.declaration
        view = NudgeView.from_nudge(
            nudge,
            priority=declaration.activity if declaration else "",
            next_step=declaration.next_step if declaration else "",
            snooze_minutes=self.controller.config.nudge.snooze_minutes,
            off_priority_seconds_today=self.controller.off_priority_seconds_today(),
            productive_choices=self.controller.teach_choices(Kind.PRODUCTIVE),
            distraction_choices=self.controller.teach_choices(Kind.DISTRACTION),
            priority_window_seen=self.controller.priority_window is not None,
        )
        log.info("nudge: level %d, %s, %s", nudge.level, nudge.classification, nudge.activity)
        self.nudge.show_nudge(view, tray_hint=self.presenter.geometry_hint())
        if nudge.level == 1:  # a card beside the work, never in its way
            self.controller.shown_without_focus()
        if nudge.level < 3:
            self._place_where_asked(self.nudge)
        self._status_aside(nudge.level == 3)

    def on_back(self) -> None:
        window = self.controller.answer_back()
        self.hide_nudge()
        if window is not None:
            self._activate(window)

    def _activate(self, target: WindowInfo) -> None:
        if self.sampler is not None:  # the probe lives on the sampler's thread
            self.sampler.activate(target)

    def on_snooze(self) -> None:
        self.controller.answer_snooze()
        self.hide_nudge()

    def on_part_of_priority(self, scope: str) -> None:
        try:
            rule = self.controller.answer_part_of_priority(scope)
        except Exception as exc:  # noqa: BLE001 - e.g. config unparseable: say so, keep the nudge
            self._rule_failed(exc)
            return
        log.info("taught rule %s to %s", rule, self.controller.priority)
        self.hide_nudge()

    def on_teach(self, kind: str, activity: str) -> None:
        """"What is this?" answered with an activity: write the rule, then let the card
        say what it learnt before it goes."""
        try:
            said = self.controller.teach(Kind(kind), activity)
        except Exception as exc:  # noqa: BLE001 - e.g. config unparseable: say so, keep the nudge
            self._rule_failed(exc)
            return
        log.info("taught %s as %s", activity, kind)
        self.nudge.acknowledge(said)

    def _rule_failed(self, exc: Exception) -> None:
        """The card hid itself on the click: bring the still-pending nudge back and say why."""
        log.exception("could not add a rule")
        self.presenter.show_message("FocusGuard: could not add the rule", str(exc))
        if self.controller.pending is not None:
            self.show_nudge(self.controller.pending)

    def on_change_priority(self) -> None:
        self.open_declare(steal_focus=True)

    # --- menu actions -----------------------------------------------------------------

    def open_declare(self, *, steal_focus: bool) -> None:
        self._morning_prompt = False
        activity, next_step = self.controller.suggested_declaration()
        if self.controller.declaration is not None:
            activity, next_step = self.controller.declaration.activity, self.controller.declaration.next_step
        self.declare_dialog.populate(self.controller.config.activity_names, activity, next_step)
        self.declare_dialog.open_dialog(steal_focus=steal_focus)

    def declare(self, activity: str, next_step: str) -> None:
        declaration = self.controller.declare(activity, next_step)
        log.info("declared priority %s", declaration.activity)
        if self.controller.pending is not None:  # a new priority ends the old nudge
            self.controller.answer_back()
            self.hide_nudge()
        self._refresh_menu()
        self.presenter.set_state(self.controller.state)  # the last real window's, judged again
        self.presenter.set_tooltip(self.controller.tooltip())

    def pause(self, minutes: float | None) -> None:
        until = self.controller.pause(minutes)
        log.info("paused until %s", datetime.fromtimestamp(until))
        self.hide_nudge()
        self._refresh_menu()

    def resume(self) -> None:
        self.controller.resume()
        self._refresh_menu()

    def show_today(self) -> None:
        """"Today so far": the summary window for today, raised if already open."""
        self.open_summary(self.controller.local_date(self.controller.clock()), activate=True)

    # --- the summary and the 30-day review ------------------------------------------------

    def open_summary(self, day: date, *, activate: bool) -> None:
        """One summary window, refreshed and raised; the automatic offers leave the keyboard alone."""
        if self.summary_window is None:
            from focusguard.ui.summary import SummaryWindow

            self.summary_window = SummaryWindow(self.controller.store, activities=self.controller.config.activity_names,
                                                tz=self.controller.tz)
            self.summary_window.saved.connect(self.on_journal_saved)
            self.summary_window.review_requested.connect(lambda: self.open_review(activate=True))
        self.summary_window.activities = self.controller.config.activity_names
        self.summary_window.show_day(day, activate=activate)

    def open_review(self, *, activate: bool) -> None:
        if self.review_window is None:
            from focusguard.ui.review import ReviewWindow

            self.review_window = ReviewWindow(self.controller.store, tz=self.controller.tz)
        self.review_window.focus_blocks = bool(self.controller.config.focus_blocks)  # as the config is now
        self.review_window.show_period(*self.prompts.review_period(), activate=activate)

    def on_journal_saved(self, day: date) -> None:
        """A morning prompt still open gets the tomorrow's priority just written."""
        if self.controller.declaration is None and self._declare_dialog is not None \
                and self._declare_dialog.isVisible():
            self.open_declare(steal_focus=False)

    def offer_day_end(self) -> None:
        """At day.end, once a day, while the user is active (the decision: core.review.Prompts)."""
        try:
            day = self.prompts.day_end(self.controller.config.day.end, active=True,
                                       tracked=tracked_seconds(self.controller.today()))
            if day is not None:
                self.prompts.mark_offered(day)
                self.open_summary(day, activate=False)
        except Exception:  # noqa: BLE001 - a summary that fails must not stop the sampling
            log.exception("could not offer the day's summary")

    def offer_missed_day(self) -> None:
        """At start: the last tracked day that ended with no summary (the computer was off)."""
        try:
            day = self.prompts.missed_day()
            if day is not None:
                self.prompts.mark_offered(day)
                self.open_summary(day, activate=False)
        except Exception:  # noqa: BLE001
            log.exception("could not offer the missed day's summary")

    def offer_review(self) -> None:
        """Once a day at most, ask whether the 30-day review is due, and offer it."""
        today = self.controller.local_date(self.controller.clock())
        if self._review_checked_on == today:
            return
        self._review_checked_on = today
        try:
            if self.prompts.review() is not None:
                self.prompts.mark_review_offered()
                self.open_review(activate=False)
        except Exception:  # noqa: BLE001
            log.exception("could not offer the 30-day review")

    def show_settings(self) -> None:
        """Opens the one settings window, or raises it; a save applies at once (the
        controller switches config, no restart) and a new declaration goes through
        `declare` like the dialog's."""
        window = self.settings_window
        if window is None:
            from focusguard.ui.settings import SettingsContext, SettingsWindow

            window = SettingsWindow(SettingsContext(self.controller.config_file, self.controller.store,
                                                    clock=self.controller.clock,
                                                    last_good=lambda: self.controller.config))
            window.saved.connect(self.controller.apply_config)
            window.saved.connect(lambda _config: self._refresh_menu())
            window.declared.connect(self.declare)
            self.settings_window = window
        window.open_window()

    def locations(self) -> DataLocations:
        from focusguard.ui.about import DataLocations

        return DataLocations(self.controller.config_file, self.controller.store.path, log_dir())

    def show_about(self) -> None:
        if self.about_dialog is None:
            from focusguard.ui.about import AboutDialog

            self.about_dialog = AboutDialog(self.locations())
        self.about_dialog.open_dialog()

    # --- first run --------------------------------------------------------------------

    @property
    def welcoming(self) -> bool:
        """The welcome window is up: it asks for the priority itself."""
        return self.welcome is not None and self.welcome.isVisible()

    def show_welcome(self) -> None:
        from focusguard.platform.wayland import gnome_setup
        from focusguard.ui.welcome import WelcomeWindow

        offer = gnome_setup.needs_setup(os.environ)
        self.welcome = WelcomeWindow(
            self.locations(), start_at_login=autostart.is_enabled(),
            gnome_setup=(lambda: "\n".join(gnome_setup.run_setup(os.environ))) if offer else None)
        self.welcome.finished.connect(self.on_welcome_finished)
        self.welcome.skipped.connect(self.on_welcome_skipped)
        self.welcome.open_window()

    def on_welcome_finished(self, choice: WelcomeChoice) -> None:
        """Writes the starter set, declares the priority, sets start-at-login."""
        try:
            config = apply_starter(self.controller.config_file, starter_named(choice.starter), choice.priority)
        except ConfigError as exc:  # the file was broken meanwhile: say so, keep the user's file
            self.presenter.show_message("FocusGuard: could not write the starter activities", str(exc))
        else:
            self.controller.apply_config(config)
            if choice.priority:
                self.declare(choice.priority, choice.next_step)
        try:
            if choice.start_at_login != autostart.is_enabled():
                (autostart.enable if choice.start_at_login else autostart.disable)()
        except OSError as exc:
            self.presenter.show_message("FocusGuard: could not change start at login", str(exc))
        self.controller.store.set_meta(WELCOME_KEY, WELCOME_DONE)
        log.info("welcome finished: %s, priority %r", choice.starter, choice.priority)

    def on_welcome_skipped(self) -> None:
        self.controller.store.set_meta(WELCOME_KEY, WELCOME_DONE)
        log.info("welcome skipped")

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
            except Exception:  # noqa: BLE001 - log it; keep the last good config and polling
                log.exception("config reload failed")
                self.config_read.emit(None)

        threading.Thread(target=read, name="config-reload", daemon=True).start()

    @QtCore.Slot(object)
    def _apply_config_read(self, read: tuple | None) -> None:
        self._config_reading = False
        message = self.controller.apply_read(*read) if read is not None else None
        if self.sampler is not None:
            self.sampler.set_interval(self.controller.config.sampling.interval_seconds)
        if message:
            self.presenter.show_message("FocusGuard: config has errors", message)

    def quit(self) -> None:
        QtWidgets.QApplication.quit()

    def shutdown(self) -> None:
        """Nothing may reach the controller once its store is closed: the config poll
        stops and a reading still queued from the sampler is dropped first."""
        self._stopped = True
        self._config_timer.stop()
        if self.sampler is not None:
            self.sampler.stop()
        self.presenter.hide()
        self.controller.close()
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
    worker = ProbeWorker(controller.config.sampling.interval_seconds)
    app = FocusGuardApp(controller, Sampler(worker))
    instance.activated.connect(app.presenter.popup_menu)
    instance.settings_requested.connect(app.show_settings)
    instance.back_requested.connect(app.on_back)
    qapp.aboutToQuit.connect(app.shutdown)
    log.info("log file %s, config %s, database %s", log_path, controller.config_file, store.path)
    app.start()
    # SIGTERM/SIGINT quit cleanly (the open event is flushed); the timer lets Python run
    # its signal handlers while Qt's loop is in C++.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: qapp.quit())
    wakeup = QtCore.QTimer()
    wakeup.start(500)
    wakeup.timeout.connect(lambda: None)
    return qapp.exec()

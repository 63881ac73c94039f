"""The tray icon and its menu, or a small status window where the desktop has no tray.

`TrayPresenter` is the one interface the app talks to: `set_state`, `set_tooltip`,
`set_priority`, `set_paused`, `show_message`, `popup_menu`. Behind it sits a real
QSystemTrayIcon or, after waiting for a tray that never came (GNOME without the
AppIndicator extension), an always-on-top `StatusWindow` with the same menu; if a tray
appears later the presenter moves into it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from focusguard.core.palette import TrayState
from focusguard.ui.icons import tray_icon
from focusguard.ui.qt import QtCore, QtGui, QtWidgets, qtdbus

#: How long to wait for a tray before falling back (panels often start after autostarted apps).
TRAY_WAIT_SECONDS = 10.0
#: With the status window standing in, a tray that appears later is looked for this
#: often: on X11 the look is at an X selection's owner, cheap; on Wayland trays are
#: StatusNotifierItem hosts and each look costs Qt a new bus connection, so there
#: TRAY_WATCHER's registration on the bus tells at once and the poll is rare.
LATE_TRAY_POLL_MS = 5_000
LATE_TRAY_POLL_MS_WAYLAND = 60_000
TRAY_WATCHER = "org.kde.StatusNotifierWatcher"
PAUSE_CHOICES: tuple[tuple[str, float | None], ...] = (
    ("15 minutes", 15), ("30 minutes", 30), ("1 hour", 60), ("Until tomorrow", None))
#: Menu entries never wrap (and a tray's D-Bus menu takes only text), so a long reason
#: is cut into entries of about this many characters, at most this many of them.
INFO_LINE_CHARS = 64
INFO_MAX_LINES = 10


class TrayMenu(QtWidgets.QMenu):
    """The menu shared by the tray icon and the status window."""

    declare_requested = QtCore.Signal()
    pause_requested = QtCore.Signal(object)  # minutes, or None = until tomorrow
    resume_requested = QtCore.Signal()
    today_requested = QtCore.Signal()
    settings_requested = QtCore.Signal()
    about_requested = QtCore.Signal()
    review_requested = QtCore.Signal()
    quit_requested = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        # Why windows cannot be read (or what the probe in use misses) comes first, as
        # disabled entries: a balloon passes, and an untracked day must stay explained.
        self.probe_info = ""
        self.info_actions: list[QtGui.QAction] = []
        self.info_separator = self.addSeparator()
        self.info_separator.setVisible(False)
        self._readable_disabled_text()
        # The day's priority heads the menu in full colour (a disabled entry would be
        # greyed out, the opposite of what it deserves); clicking it changes it.
        self.priority_action = self.addAction("No priority declared")
        font = self.priority_action.font()
        font.setBold(True)
        self.priority_action.setFont(font)
        self.priority_action.triggered.connect(self.declare_requested)
        self.next_action = self.addAction("")
        self.next_action.triggered.connect(self.declare_requested)
        self.next_action.setVisible(False)
        self.addSeparator()
        self.declare_action = self.addAction("Declare priority...")
        self.declare_action.triggered.connect(self.declare_requested)
        self.pause_menu = self.addMenu("Pause")
        for label, minutes in PAUSE_CHOICES:
            self.pause_menu.addAction(label).triggered.connect(
                lambda _=False, m=minutes: self.pause_requested.emit(m))
        self.resume_action = self.addAction("Resume")
        self.resume_action.triggered.connect(self.resume_requested)
        self.resume_action.setVisible(False)
        self.addSeparator()
        self.today_action = self.addAction("Today so far")
        self.today_action.triggered.connect(self.today_requested)
        self.review_action = self.addAction("30-day review")
        self.review_action.triggered.connect(self.review_requested)
        self.settings_action = self.addAction("Settings...")
        self.settings_action.triggered.connect(self.settings_requested)
        self.about_action = self.addAction("About FocusGuard")
        self.about_action.triggered.connect(self.about_requested)
        self.addSeparator()
        self.quit_action = self.addAction("Quit")
        self.quit_action.triggered.connect(self.quit_requested)

    def set_priority(self, activity: str | None, next_step: str) -> None:
        self.priority_action.setText(f"Priority: {activity}" if activity else "No priority declared")
        self.next_action.setText(f"Next: {next_step}")
        self.next_action.setVisible(bool(activity and next_step))

    def _readable_disabled_text(self) -> None:
        """Disabled text is the theme's faint grey, made for what cannot be clicked, not
        for what must be read; the info entries are the menu's only disabled ones. A shade
        between the theme's text and background instead, so dark themes keep working."""
        palette = self.palette()
        roles = QtGui.QPalette.ColorRole
        text, back = palette.color(roles.WindowText), palette.color(roles.Window)
        rgb = (text.red(), text.green(), text.blue()), (back.red(), back.green(), back.blue())
        shade = QtGui.QColor(*(round(0.7 * t + 0.3 * b) for t, b in zip(*rgb, strict=True)))
        for role in (roles.Text, roles.WindowText, roles.ButtonText):
            palette.setColor(QtGui.QPalette.ColorGroup.Disabled, role, shade)
        self.setPalette(palette)

    def set_probe_info(self, text: str) -> None:
        """What the menu says about reading windows ("" for nothing): each line of
        ``text`` wrapped into disabled entries above the priority, the first entry with
        the unavailable icon."""
        if text == self.probe_info:
            return  # called on every sample: rebuild only on a change
        self.probe_info = text
        for action in self.info_actions:
            self.removeAction(action)
            action.deleteLater()
        lines = [part for paragraph in text.splitlines()  # commands and paths stay whole
                 for part in textwrap.wrap(paragraph, INFO_LINE_CHARS, break_on_hyphens=False,
                                           break_long_words=False)]
        if len(lines) > INFO_MAX_LINES:  # more would make a menu taller than it is useful
            rest = " ".join(lines[INFO_MAX_LINES - 1:])
            lines[INFO_MAX_LINES - 1:] = [textwrap.shorten(rest, INFO_LINE_CHARS, placeholder=" …")]
        self.info_actions = []
        for number, line in enumerate(lines):
            action = QtGui.QAction(line.replace("&", "&&"), self)  # & would be a mnemonic
            action.setEnabled(False)
            if number == 0:
                action.setIcon(tray_icon(TrayState.UNAVAILABLE))
            self.insertAction(self.info_separator, action)
            self.info_actions.append(action)
        self.info_separator.setVisible(bool(lines))

    def set_paused(self, paused_until_text: str | None) -> None:
        self.pause_menu.menuAction().setVisible(paused_until_text is None)
        self.resume_action.setVisible(paused_until_text is not None)
        if paused_until_text:
            self.resume_action.setText(f"Resume (paused until {paused_until_text})")


class StatusWindow(QtWidgets.QFrame):
    """A small always-on-top card standing in for the tray: the state icon, the priority,
    today's figures, why it is here, and the same menu (click anywhere or on ☰)."""

    TITLE = "FocusGuard status"
    WIDTH = 300

    def __init__(self, menu: TrayMenu) -> None:
        super().__init__(None, QtCore.Qt.WindowType.Tool
                         | QtCore.Qt.WindowType.WindowStaysOnTopHint
                         | QtCore.Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(self.TITLE)
        self.setObjectName("status")
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.menu = menu
        self.icon = QtWidgets.QLabel()
        self.text = QtWidgets.QLabel("FocusGuard")
        self.text.setObjectName("headline")
        self.detail = QtWidgets.QLabel("")
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.why = QtWidgets.QLabel("")
        self.why.setObjectName("why")
        self.why.setVisible(False)
        self.why.setWordWrap(True)
        button = QtWidgets.QToolButton()
        button.setText("☰")
        button.setToolTip("FocusGuard menu")
        button.setAutoRaise(True)
        button.clicked.connect(lambda: self.menu.popup(QtGui.QCursor.pos()))
        row = QtWidgets.QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.icon)
        row.addWidget(self.text, 1)
        row.addWidget(button)
        layout = self._column = QtWidgets.QVBoxLayout(self)  # kept: _fit measures it
        layout.setContentsMargins(12, 8, 10, 10)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.detail)
        layout.addWidget(self.why)
        # Fixed colours: the card must read the same on any theme, like the tray icons.
        self.setStyleSheet(
            "#status { background: #FFFFFF; border: 1px solid #C2C7CC; }"
            "#headline { color: #202124; font-weight: bold; }"
            "#detail { color: #3C4043; }"
            "#why { color: #5F6368; font-size: 11px; padding-top: 4px; }"
            "QToolButton { color: #202124; }")
        self.setFixedWidth(self.WIDTH)

    def set_state(self, state: TrayState) -> None:
        self.icon.setPixmap(tray_icon(state).pixmap(22, 22))

    def set_summary(self, text: str) -> None:
        """The tooltip's lines: the first as the headline, the rest as one detail line."""
        first, *rest = text.splitlines() or ["FocusGuard"]
        self.text.setText(first.removeprefix("FocusGuard · ").removeprefix("FocusGuard: "))
        self.detail.setText(" · ".join(rest))
        self.detail.setVisible(bool(rest))
        self.setToolTip(text)
        self._fit()

    def set_why(self, text: str) -> None:
        self.why.setText(text)
        self.why.setVisible(bool(text))
        self._fit()

    def _fit(self) -> None:
        """As tall as the wrapped text needs at the card's width, in any font. The
        size is fixed, which is also what tiling Wayland compositors float."""
        self._column.activate()
        self.setFixedHeight(self._column.totalHeightForWidth(self.WIDTH))

    def place(self) -> None:
        screen = QtGui.QGuiApplication.primaryScreen()
        if screen is None:
            return
        self._fit()
        area = screen.availableGeometry()
        self.move(area.right() - self.width() - 16, area.top() + 16)

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        self.menu.popup(event.globalPosition().toPoint())


class TrayPresenter(QtCore.QObject):
    """The tray if there is one, the status window otherwise; the same calls either way."""

    fallback_used = QtCore.Signal(str)

    def __init__(self, menu: TrayMenu, *, tray_available: Callable[[], bool] | None = None,
                 wait_seconds: float = TRAY_WAIT_SECONDS, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.menu = menu
        self._available = tray_available or QtWidgets.QSystemTrayIcon.isSystemTrayAvailable
        self.state = TrayState.NO_PRIORITY
        self.tooltip = "FocusGuard"
        self.tray = QtWidgets.QSystemTrayIcon(self)
        self.tray.setContextMenu(menu)
        self.tray.activated.connect(self._on_activated)
        self.status: StatusWindow | None = None
        self._waited = 0.0
        self._wait_seconds = wait_seconds
        self._tray_watcher: QtCore.QObject | None = None  # a QDBusServiceWatcher, on Wayland
        self._poll = QtCore.QTimer(self)
        self._poll.setInterval(500)
        self._poll.timeout.connect(self._check_tray)

    def start(self) -> None:
        if self._available():
            self._show_tray()
        else:
            self._poll.start()

    @property
    def in_tray(self) -> bool:
        return self.tray.isVisible()

    def _check_tray(self) -> None:
        """Waits for a tray, then falls back; later moves into a tray that appeared."""
        if self._available():
            if self.status is not None:
                self.status.hide()
            self._show_tray()
            self._poll.setInterval(500)
            self._poll.stop()
            return
        self._waited += self._poll.interval() / 1000
        if self.status is None and self._waited >= self._wait_seconds:
            why = ("No system tray on this desktop, so FocusGuard shows this status window instead. "
                   "On GNOME, the AppIndicator extension adds a tray.")
            self.status = StatusWindow(self.menu)
            self.status.set_why(why)
            self.status.set_state(self.state)
            self.status.set_summary(self.tooltip)
            self.status.place()
            self.status.show()
            wayland = QtGui.QGuiApplication.platformName() == "wayland"
            self._poll.setInterval(LATE_TRAY_POLL_MS_WAYLAND if wayland else LATE_TRAY_POLL_MS)
            if wayland:
                self._watch_for_a_tray()
            self.fallback_used.emit(why)

    def _watch_for_a_tray(self) -> None:
        """A StatusNotifierItem host (Plasma, GNOME's AppIndicator, waybar) registers
        TRAY_WATCHER on the session bus when it starts: take that as the cue."""
        dbus = qtdbus()
        bus = dbus.QDBusConnection.sessionBus()
        if not bus.isConnected():
            return
        watcher = dbus.QDBusServiceWatcher(TRAY_WATCHER, bus,
                                           dbus.QDBusServiceWatcher.WatchModeFlag.WatchForRegistration, self)
        watcher.serviceRegistered.connect(lambda _name: self._check_tray())
        self._tray_watcher = watcher

    def _show_tray(self) -> None:
        self.tray.setIcon(tray_icon(self.state))
        self.tray.setToolTip(self.tooltip)
        self.tray.show()

    def set_state(self, state: TrayState) -> None:
        if state != self.state:
            self.state = state
            if self.in_tray:
                self.tray.setIcon(tray_icon(state))
            if self.status is not None:
                self.status.set_state(state)

    def set_tooltip(self, text: str) -> None:
        """The text changes with the figures, up to every sample. Only what shows is
        told: setting the icon again would repaint the tray icon (an X round trip) every
        second, and a tray icon not shown (no tray: the status window stands in) would
        still send each new tooltip over D-Bus (StatusNotifierItem's NewToolTip)."""
        if text != self.tooltip:
            self.tooltip = text
            if self.in_tray:
                self.tray.setToolTip(text)
            if self.status is not None:
                self.status.set_summary(text)

    def show_message(self, title: str, text: str) -> None:
        if self.in_tray and self.tray.supportsMessages():
            self.tray.showMessage(title, text, tray_icon(TrayState.UNAVAILABLE), 10000)
        elif self.status is not None:
            self.status.set_why(text)
            self.status.adjustSize()

    def step_aside(self, aside: bool) -> bool:
        """Hide the status window (always on top) while the full-screen nudge is the one
        thing on screen, and bring it back after; True when it was shown again."""
        if self.status is None or self.in_tray or self.status.isHidden() == aside:
            return False
        self.status.setVisible(not aside)
        return not aside

    def geometry_hint(self) -> QtCore.QRect | None:
        """Where the tray icon is, for placing the level-1 nudge near it."""
        if self.in_tray:
            rect = self.tray.geometry()
            return rect if rect.isValid() and not rect.isEmpty() else None
        return self.status.frameGeometry() if self.status is not None else None

    def popup_menu(self) -> None:
        """A second `focusguard` start asks for the menu: show it where the user can see it."""
        hint = self.geometry_hint()
        point = hint.bottomLeft() if hint is not None else QtGui.QCursor.pos()
        self.menu.popup(point)

    def _on_activated(self, reason: QtWidgets.QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QtWidgets.QSystemTrayIcon.ActivationReason.Trigger,
                      QtWidgets.QSystemTrayIcon.ActivationReason.MiddleClick):
            self.menu.popup(QtGui.QCursor.pos())

    def hide(self) -> None:
        self.tray.hide()
        if self.status is not None:
            self.status.hide()

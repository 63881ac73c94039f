"""The nudge: a small card that says what is happening and offers the way back.

A pure view. The controller builds a :class:`NudgeView` (words and numbers only),
calls :meth:`NudgeWindow.show_nudge` and listens to the signals; the window never
reads the engine, the store or the clock. Every answer hides the card before its
signal goes out, so a controller cannot forget to dismiss it.

Escalation follows docs/design/DESIGN.md. Level 1 is a 500 px card near the tray that never
takes keyboard focus: it must not swallow the keystrokes of someone typing, so its
footer shows no keys (they would land in the user's editor). Level 2 is the same card
with larger type, centred, and takes focus. Level 3 puts the card over a dimmed
full screen and locks snooze for ten seconds, counted by :meth:`NudgeWindow.tick`
(a one-second QTimer drives it; tests drive it by hand).

See-through pixels need a compositor. Windows, macOS and Wayland always have one;
a bare X11 window manager may not, and there transparent pixels turn black. Without
one the card is an opaque window with a rounded mask, and level 3 dims a snapshot of
the screen taken when the card first appeared (a later one would show the card).
"""

from __future__ import annotations

from dataclasses import dataclass

from focusguard.core import palette, words
from focusguard.core.model import Classification, Kind
from focusguard.core.palette import TrayState
from focusguard.platform import xserver
from focusguard.ui.delegate_row import DelegateRow
from focusguard.ui.icons import render
from focusguard.ui.memory import release_memory
from focusguard.ui.qt import (
    QAction,
    QCloseEvent,
    QColor,
    QCursor,
    QFont,
    QFrame,
    QGuiApplication,
    QHBoxLayout,
    QHideEvent,
    QKeyEvent,
    QLabel,
    QLayout,
    QMenu,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPoint,
    QPushButton,
    QRect,
    QRectF,
    QRegion,
    QResizeEvent,
    QScreen,
    QSize,
    QSizePolicy,
    Qt,
    QTimer,
    QtWidgets,
    QVBoxLayout,
    QWidget,
    Signal,
    SignalInstance,
)
from focusguard.viewmodels import NudgeView
from focusguard.viewmodels import escape as _esc
from focusguard.viewmodels import short as _short

WINDOW_TITLE = "FocusGuard nudge"
LOCK_SECONDS = 10
ACK_MILLISECONDS = 2500  # how long "Got it: ..." stays before the card goes
ACTIVATE_AGAIN_MS = 150  # see NudgeWindow._take_keyboard
NEW_ACTIVITY = "New activity…"
#: What a taught window becomes: the icon the acknowledgement wears.
TAUGHT_STATE = {Kind.PRODUCTIVE: TrayState.PRODUCTIVE_DISTRACTION, Kind.DISTRACTION: TrayState.DISTRACTION}
NAME_HINTS = {Kind.PRODUCTIVE: "Name it, e.g. Admin", Kind.DISTRACTION: "Name it, e.g. News"}

INK = "#1F2328"
BODY = "#3C4046"
MUTED = "#6A7079"
CARD = "#FFFFFF"
CARD_EDGE = "#D3D8DE"
BUTTON = "#F6F7F9"
BUTTON_EDGE = "#CDD2D8"
OVERLAY = QColor(13, 16, 21, 168)
OVERLAY_INK = "#E8EAED"
DELEGATE = palette.answer_colour("delegate")  # "Delegate this" wears its answer's colour (the review's legend)

RADIUS = 12
SHADOW = 18  # room around a see-through card for its shadow
SCREEN_MARGIN = 12
SHARE_GAP = 22
BUTTON_NAME = 22  # characters of the priority's name a button shows


@dataclass(frozen=True, slots=True)
class _Look:
    """What changes with the level: the card's width and the type sizes, as factors
    of the desktop's own font size so a user's larger fonts still count."""

    width: int
    headline: float
    body: float
    footer: float
    icon: int
    padding: int


_LOOKS = {
    1: _Look(width=500, headline=1.5, body=1.12, footer=0.9, icon=24, padding=22),
    2: _Look(width=620, headline=1.8, body=1.3, footer=0.95, icon=28, padding=26),
}
_LOOKS[3] = _LOOKS[2]


def back_text(view: NudgeView) -> str:
    """'Back to Sales', or, with no window of the priority seen today (a priority just
    changed), says so instead of promising one to raise."""
    name = _short(view.priority, BUTTON_NAME)
    return f"Back to {name}" if view.priority_window_seen else f"Back to {name} (no window seen yet)"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?…" else text + "."


def _snooze_text(locked_for: int, minutes: float) -> str:
    return f"Snooze in {locked_for} s" if locked_for > 0 else f"Snooze {words.minutes(minutes)}"


#: Qt's QWIDGETSIZE_MAX: no maximum size.
MAX_SIZE = (1 << 24) - 1


def card_position(
    card: QSize, available: QRect, tray: QRect | None = None, margin: int = SCREEN_MARGIN
) -> QPoint:
    """Where a level-1 card's top-left goes: beside the tray icon when its geometry is
    known (under a top panel, above a bottom one, right edges aligned), otherwise in
    the bottom-right corner of ``available`` (the screen less its panels). A panel
    that reserves no screen space (trayer, a docked tray without struts) lies inside
    ``available``, so the card also keeps clear of the icon itself."""
    left = available.left() + margin
    right = available.right() + 1 - margin - card.width()
    top = available.top() + margin
    bottom = available.bottom() + 1 - margin - card.height()
    if tray is None or not tray.isValid() or tray.isEmpty():
        return QPoint(max(left, right), max(top, bottom))
    x = min(max(tray.right() + 1 - card.width(), left), max(left, right))
    if tray.center().y() < available.center().y():
        y = min(max(top, tray.bottom() + 1 + margin), max(top, bottom))
    else:
        y = max(top, min(bottom, tray.top() - margin - card.height()))
    return QPoint(x, y)


def menu_position(anchor: QRect, menu: QSize, available: QRect) -> QPoint:
    """Where a menu opened from the button ``anchor`` (global coordinates) goes: right
    under it, touching it, or right above it when the screen has no room below; its
    left edge on the button's, moved in only as far as keeps it on ``available``."""
    x = max(available.left(), min(anchor.left(), available.right() + 1 - menu.width()))
    below = anchor.bottom() + 1
    if below + menu.height() <= available.bottom() + 1 or anchor.top() - menu.height() < available.top():
        return QPoint(x, below)
    return QPoint(x, anchor.top() - menu.height())


def translucency_available() -> bool:
    """Whether this desktop shows see-through window pixels (see the module doc)."""
    if QGuiApplication.platformName() != "xcb":
        return True
    return xserver.compositor_running()


def _stylesheet() -> str:
    accent = palette.PRIORITY
    return f"""
        QLabel {{ color: {BODY}; background: transparent; }}
        QLabel#headline {{ color: {INK}; }}
        QLabel#footer {{ color: {MUTED}; }}
        QLabel#share {{ color: {OVERLAY_INK}; }}
        QFrame#panel {{ background: {palette.tint(accent, 0.1)}; border-radius: 6px; }}
        QFrame#panel QLabel {{ color: {INK}; }}
        QPushButton {{
            color: {INK}; background: {BUTTON}; border: 1px solid {BUTTON_EDGE};
            border-radius: 6px; padding: 7px 14px;
        }}
        QPushButton:hover {{ background: #EDEFF2; }}
        QPushButton:pressed {{ background: #E3E6EA; }}
        QPushButton:focus {{ border-color: {palette.shade(accent, 0.1)}; }}
        QPushButton:disabled {{ color: #8B9199; background: #F2F3F5; border-color: #E1E4E8; }}
        QPushButton#primary {{
            color: #FFFFFF; background: {accent}; border-color: {palette.shade(accent, 0.12)};
        }}
        QPushButton#primary:hover {{ background: {palette.shade(accent, 0.08)}; }}
        QPushButton#primary:pressed {{ background: {palette.shade(accent, 0.18)}; }}
        QPushButton#primary:focus {{ border-color: {palette.shade(accent, 0.4)}; }}
        QPushButton#link {{
            color: {MUTED}; background: transparent; border: none; padding: 0;
            text-decoration: underline;
        }}
        QPushButton#link:hover {{ color: {INK}; }}
        QPushButton#delegate {{ color: {DELEGATE}; border-color: {DELEGATE}; }}
        QMenu {{
            background: {CARD}; color: {INK}; border: 2px solid {accent};
            border-radius: 6px; padding: 4px;
        }}
        QMenu::item {{ padding: 7px 20px; border-radius: 4px; }}
        QMenu::item:selected {{ background: {palette.tint(accent, 0.16)}; }}
        QMenu::separator {{ height: 1px; background: {CARD_EDGE}; margin: 4px 8px; }}
        QLineEdit {{
            color: {INK}; background: {CARD}; border: 1px solid {BUTTON_EDGE};
            border-radius: 6px; padding: 6px 8px;
        }}
        QLineEdit:focus {{ border-color: {accent}; }}
    """


class _Card(QFrame):
    """The white rounded card; it paints itself so the corners stay antialiased."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(CARD_EDGE), 1))
        painter.setBrush(QColor(CARD))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)


def _label(name: str, text: str = "", *, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def _button(name: str, text: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    # Never narrower than its words: a row that does not fit widens or wraps the card.
    button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    return button


def _row(*widgets: QWidget, spacing: int = 10) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(spacing)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


class NudgeWindow(QWidget):
    """The nudge window, titled "FocusGuard nudge" at every level.

    Signals: ``back()``, ``snooze()``, ``part_of_priority(scope)`` with scope "app"
    or "title", ``change_priority()``, ``teach(kind, activity)`` with kind
    "distraction" or "productive" and the activity the user picked or named. Keys:
    Enter = back, Esc = snooze (once unlocked); while naming a new activity, Enter
    adds it and Esc goes back to the choices.

    "What is this?" is a short conversation, not one click: the answer's kind opens a
    menu of the user's activities of that kind (or, with none, a name field), and
    after ``teach`` the card stays up to say what it learnt (:meth:`acknowledge`)
    before it goes.
    """

    back = Signal()
    snooze = Signal()
    part_of_priority = Signal(str)
    change_priority = Signal()
    teach = Signal(str, str)
    delegate = Signal(str)  # "Delegate this" on productive work, with its optional line (issue 14)

    def __init__(self, parent: QWidget | None = None, *, translucent: bool | None = None):
        super().__init__(parent, Qt.WindowType.Tool)
        self.translucent = translucency_available() if translucent is None else translucent
        self.setWindowTitle(WINDOW_TITLE)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, self.translucent)
        # A Qt.Tool window hides on macOS whenever FocusGuard is not the active app.
        self.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
        self.setStyleSheet(_stylesheet())
        self._view: NudgeView | None = None
        self._locked_for = 0
        self._backdrop = QPixmap()
        self._tray_hint: QRect | None = None
        self._naming: Kind | None = None  # the kind of the new activity being named
        self._taught: Kind | None = None  # the kind just taught, while acknowledging

        self.ack_timer = QTimer(self)
        self.ack_timer.setSingleShot(True)
        self.ack_timer.setInterval(ACK_MILLISECONDS)
        self.ack_timer.timeout.connect(self.hide)

        self.lock_timer = QTimer(self)
        self.lock_timer.setInterval(1000)
        self.lock_timer.timeout.connect(self.tick)

        self.icon_label = QLabel()
        self.icon_label.setObjectName("icon")
        self.headline_label = _label("headline")
        self.facts_label = _label("facts", rich=True)
        self.priority_label = _label("priority", rich=True)
        self.next_step_label = _label("next_step")
        self.distraction_button = _button("distraction", "Distraction")
        self.productive_button = _button("productive", "Productive")
        self.part_choice_button = _button("part_choice")
        self.back_button = _button("primary")
        self.snooze_button = _button("snooze")
        self.part_button = _button("part_of")
        self.footer_label = _label("footer")
        self.footer_label.setWordWrap(False)
        self.change_button = _button("link")
        self.share_label = _label("share")
        self.share_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.delegate_button = _button("delegate", "Delegate this")
        self.delegate_button.clicked.connect(self._ask_delegate)
        self.delegating = DelegateRow(_button("add"), _button("link"))
        self.delegating.chosen.connect(self._delegated)
        self.delegating.cancelled.connect(self._cancel_delegate)

        self.part_menu = QMenu(self)
        self.part_menu.setObjectName("part_menu")
        self.part_app_action = QAction(self.part_menu)
        self.part_title_action = QAction(self.part_menu)
        self.part_menu.addActions([self.part_app_action, self.part_title_action])
        self.activity_menu = QMenu(self)
        self.activity_menu.setObjectName("activity_menu")

        self.name_edit = QtWidgets.QLineEdit()
        self.name_edit.setObjectName("name")
        self.name_edit.setMaxLength(60)
        self.add_button = _button("add", "Add")
        self.cancel_name_button = _button("link", "Cancel")
        self.name_edit.textChanged.connect(
            lambda text: self.add_button.setEnabled(bool(text.strip()))
        )
        self.add_button.clicked.connect(self._add_named)
        self.cancel_name_button.clicked.connect(self._cancel_naming)

        self.back_button.clicked.connect(lambda: self._answer(self.back))
        self.snooze_button.clicked.connect(lambda: self._answer(self.snooze))
        self.change_button.clicked.connect(lambda: self._answer(self.change_priority))
        self.distraction_button.clicked.connect(
            lambda: self._offer_activities(Kind.DISTRACTION, self.distraction_button)
        )
        self.productive_button.clicked.connect(
            lambda: self._offer_activities(Kind.PRODUCTIVE, self.productive_button)
        )
        self.part_button.clicked.connect(lambda: self._offer_scopes(self.part_button))
        self.part_choice_button.clicked.connect(lambda: self._offer_scopes(self.part_choice_button))
        self.part_app_action.triggered.connect(lambda: self._answer(self.part_of_priority, "app"))
        self.part_title_action.triggered.connect(
            lambda: self._answer(self.part_of_priority, "title")
        )

        self.card = self._build_card()
        self.share_label.setParent(self)

    def _build_card(self) -> QFrame:
        card = _Card(self)
        card.setObjectName("card")
        self._card_layout = layout = QVBoxLayout(card)
        layout.setSpacing(12)

        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.headline_label, 1)
        layout.addLayout(head)
        layout.addWidget(self.facts_label)

        self.choices = QWidget()
        self.choices.setObjectName("choices")
        choices = _row(self.distraction_button, self.productive_button, self.part_choice_button)
        choices.setContentsMargins(0, 0, 0, 0)
        self.choices.setLayout(choices)
        layout.addWidget(self.choices)

        self.naming = QWidget()
        self.naming.setObjectName("naming")
        naming = QHBoxLayout(self.naming)
        naming.setContentsMargins(0, 0, 0, 0)
        naming.setSpacing(10)
        naming.addWidget(self.name_edit, 1)
        naming.addWidget(self.add_button)
        naming.addWidget(self.cancel_name_button)
        layout.addWidget(self.naming)
        layout.addWidget(self.delegating)

        self.panel = QFrame()
        self.panel.setObjectName("panel")
        panel = QVBoxLayout(self.panel)
        panel.setContentsMargins(14, 10, 14, 10)
        panel.setSpacing(2)
        panel.addWidget(self.priority_label)
        panel.addWidget(self.next_step_label)
        layout.addWidget(self.panel)

        self.action_area = QWidget()
        self.action_area.setObjectName("actions")
        actions = QVBoxLayout(self.action_area)
        actions.setContentsMargins(0, 2, 0, 0)
        actions.setSpacing(12)
        self._actions = _row(self.back_button, self.snooze_button, self.part_button)
        self._overflow = _row(self.delegate_button)  # and "It's part of ..." when the first row has no room
        actions.addLayout(self._actions)
        actions.addLayout(self._overflow)
        actions.addSpacing(2)
        actions.addLayout(_row(self.footer_label, self.change_button, spacing=5))
        layout.addWidget(self.action_area)
        return card

    # ----------------------------------------------------------------- the API

    @property
    def view(self) -> NudgeView | None:
        return self._view

    @property
    def snooze_locked(self) -> bool:
        return self._locked_for > 0

    def show_nudge(self, view: NudgeView, tray_hint: QRect | None = None) -> None:
        """Show or update the card without blocking. ``tray_hint`` is the tray icon's
        geometry (QSystemTrayIcon.geometry()), used to place a level-1 card."""
        previous = self._view if self.isVisible() else None
        self._view = view
        self._tray_hint = tray_hint
        self._naming = self._taught = None
        self.ack_timer.stop()
        entering = previous is None or previous.level != view.level
        if entering:
            # Snooze locks when level 3 arrives, not again on each update of it.
            self._locked_for = LOCK_SECONDS if view.level == 3 else 0
        screen = self._screen(view.level, tray_hint)
        if previous is None and not self.translucent and view.level >= 2:
            # The screen as it is without the card, for a level 3 that may follow while
            # the card is still up (a snapshot taken then would show the card itself).
            # Levels rise one at a time, so only a level 2 or 3 card needs it: a level 1
            # card spares the copy of the screen (4 MB at 1280x800, 33 MB at 4K).
            self._backdrop = screen.grabWindow(0)
        self._fill(view)
        self._apply_look(view, screen)
        if entering:
            self._show_at_level(view.level, screen, tray_hint)
        else:
            if view.level == 1 and self.windowHandle() is not None:  # naming took the keyboard
                self.windowHandle().setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)
            self._place(view.level, screen, tray_hint)
        if self.snooze_locked and not self.lock_timer.isActive():
            self.lock_timer.start()

    def tick(self) -> None:
        """One second of the snooze lock has passed."""
        if self._locked_for > 0:
            self._locked_for -= 1
            self._refresh_snooze()
        if self._locked_for == 0:
            self.lock_timer.stop()

    # ----------------------------------------------------------------- words

    def _fill(self, view: NudgeView) -> None:
        self.headline_label.setText(view.headline)
        self.facts_label.setText(view.facts_html)
        if view.has_priority:
            self.priority_label.setText(f"Your top priority today: <b>{_esc(view.priority)}</b>")
            self.back_button.setText(back_text(view))
            self.change_button.setText("Change priority…")
        else:
            self.priority_label.setText("No top priority declared today.")
            self.back_button.setText("Back to work")
            self.change_button.setText("Declare a priority…")
        self.next_step_label.setText(f"Next step: {_sentence(view.next_step)}")
        self.next_step_label.setVisible(bool(view.next_step.strip()))
        self.part_button.setText(f"It's part of {_short(view.priority, BUTTON_NAME)}")
        self.part_choice_button.setText(f"Part of {_short(view.priority, BUTTON_NAME)}")
        self.part_button.setVisible(view.has_priority and not view.unclassified)
        self.part_choice_button.setVisible(view.has_priority)
        self.choices.setVisible(view.unclassified)
        self.naming.setVisible(False)
        self.delegating.setVisible(False)
        self.delegate_button.setVisible(view.classification is Classification.PRODUCTIVE_DISTRACTION)
        self.facts_label.setVisible(True)
        self.panel.setVisible(True)
        self.action_area.setVisible(True)
        self.part_app_action.setText(f"This app: {view.app}")
        self.part_title_action.setText(f"This window title: {_short(view.title, 50)}")
        self.share_label.setText(view.share_line)
        self._refresh_snooze()

    def _refresh_snooze(self) -> None:
        view = self._view
        if view is None:
            return
        locked = self.snooze_locked
        self.snooze_button.setEnabled(not locked)
        self.snooze_button.setText(_snooze_text(self._locked_for, view.snooze_minutes))
        # Level 1 never has the keyboard, so it lists no keys; a locked snooze has none.
        keys = [] if view.level == 1 else ["Enter: back"] + ([] if locked else ["Esc: snooze"])
        self.footer_label.setText(" · ".join([*keys, f"level {view.level} of 3", ""]).rstrip())

    # ----------------------------------------------------------------- answers

    def _answer(self, signal: SignalInstance, *args: str) -> None:
        self.hide()
        signal.emit(*args)

    def _offer_scopes(self, button: QPushButton) -> None:
        """"Part of <priority>": this app, or only this window title. Without a
        recorded title there is nothing to choose, so one click is the answer."""
        view = self._view
        texts = (("app", view.app), ("title", view.title)) if view else ()
        scopes = [scope for scope, text in texts if text.strip()]
        if len(scopes) < 2:
            self._answer(self.part_of_priority, scopes[0] if scopes else "app")
            return
        self._open_menu(self.part_menu, button)

    def _offer_activities(self, kind: Kind, button: QPushButton) -> None:
        """"What is this? Productive": which of the user's productive activities, or a
        new one. With none of that kind yet, straight to naming one."""
        names = self._view.choices(kind) if self._view else ()
        if not names:
            self._ask_name(kind)
            return
        menu = self.activity_menu
        menu.clear()
        for name in names:
            menu.addAction(_short(name, 40)).triggered.connect(
                lambda _=False, name=name: self._teach(kind, name)
            )
        menu.addSeparator()
        menu.addAction(NEW_ACTIVITY).triggered.connect(lambda: self._ask_name(kind))
        self._open_menu(menu, button)

    def _open_menu(self, menu: QMenu, button: QPushButton) -> None:
        """Opens ``menu`` against ``button`` (see :func:`menu_position`), in the card's
        type, its first choice lit and the button held down while it is open: at level
        1 the card is small and the eyes are elsewhere, so the menu must not be missed."""
        menu.setFont(button.font())
        menu.ensurePolished()
        menu.adjustSize()
        anchor = QRect(self._global_origin() + button.mapTo(self, QPoint(0, 0)), button.size())
        screen = QGuiApplication.screenAt(anchor.center()) or self.screen()
        menu.setActiveAction(menu.actions()[0])
        button.setDown(True)
        menu.aboutToHide.connect(lambda: button.setDown(False), Qt.ConnectionType.SingleShotConnection)
        menu.popup(menu_position(anchor, menu.sizeHint(), screen.availableGeometry()))

    def _global_origin(self) -> QPoint:
        """Where the window's top-left really is on the desktop: on X11 the server's
        word, not Qt's cached one (see ``platform.xserver.window_origin``)."""
        if QGuiApplication.platformName() == "xcb" and self.isVisible():
            origin = xserver.window_origin(int(self.winId()))
            if origin is not None:
                return QPoint(*origin)
        return self.mapToGlobal(QPoint(0, 0))

    def _teach(self, kind: Kind, activity: str) -> None:
        self._taught = kind
        self.teach.emit(kind.value, activity)

    def _ask_name(self, kind: Kind) -> None:
        """The inline name field for a new activity. Typing needs the keyboard, which a
        level-1 card never takes by itself: asking for a name is the user's own move,
        so the card takes it now."""
        self._naming = kind
        self.name_edit.clear()
        self.name_edit.setPlaceholderText(NAME_HINTS[kind])
        self.add_button.setEnabled(False)
        self.add_button.setText("Add as " + ("productive" if kind is Kind.PRODUCTIVE else "distraction"))
        self.choices.setVisible(False)
        self.naming.setVisible(True)
        self._relayout()
        self._take_keyboard()
        self.name_edit.setFocus()

    def _add_named(self) -> None:
        name = " ".join(self.name_edit.text().split())
        if self._naming is not None and name:
            self._teach(self._naming, name)

    def _ask_delegate(self) -> None:
        """"Delegate this": the one optional line in place of the buttons; typing is
        the user's own move, so the card takes the keyboard (as naming does)."""
        self.action_area.setVisible(False)
        self.delegating.start()
        self._relayout()
        self._take_keyboard()
        self.delegating.note_edit.setFocus()

    def _delegated(self, note: str) -> None:
        self.delegate.emit(note)  # the controller answers; the card acknowledges, then goes

    def _cancel_delegate(self) -> None:
        self.delegating.setVisible(False)
        self.action_area.setVisible(True)
        self._relayout()

    def _cancel_naming(self) -> None:
        self._naming = None
        self.naming.setVisible(False)
        self.choices.setVisible(True)
        self._relayout()

    def _take_keyboard(self) -> None:
        handle = self.windowHandle()
        if handle is not None and handle.flags() & Qt.WindowType.WindowDoesNotAcceptFocus:
            # On the native window, not the widget: QWidget.setWindowFlags would re-create
            # (hide and show) it under the user's pointer.
            handle.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, False)
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        for widget in (self.name_edit, self.add_button, self.cancel_name_button):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.raise_()
        self.activateWindow()
        # X11: the window manager refuses an activation asked before it has read the
        # window's new input hint (openbox did: the typed line went to the editor), so
        # ask again once the hint has landed.
        QTimer.singleShot(ACTIVATE_AGAIN_MS, self.activateWindow)

    def acknowledge(self, text: str) -> None:
        """Says what was learnt ("Got it: xterm is now Code.") for a moment, then goes.
        The nudge is answered by now: nothing here emits a signal."""
        kind = self._taught or Kind.PRODUCTIVE
        self._naming = None
        self.headline_label.setText(text)
        self.facts_label.setText("FocusGuard will not ask about it again.")
        for widget in (self.choices, self.naming, self.panel, self.action_area):
            widget.setVisible(False)
        look = _LOOKS[self._view.level if self._view else 1]
        self.icon_label.setPixmap(render(TAUGHT_STATE[kind].resource, look.icon, self.devicePixelRatioF()))
        self._relayout()
        self.ack_timer.start()

    @property
    def acknowledging(self) -> bool:
        return self.ack_timer.isActive()

    def _relayout(self) -> None:
        """The card's rows changed while it is up: fit and place it again."""
        view = self._view
        if view is None or not self.isVisible():
            return
        self._place(view.level, self._screen(view.level, self._tray_hint), self._tray_hint)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if self.acknowledging:
            if enter or event.key() == Qt.Key.Key_Escape:
                self.hide()
        elif self.delegating.isVisible() and (enter or event.key() == Qt.Key.Key_Escape):
            self.delegating.submit() if enter else self._cancel_delegate()
        elif self._naming is not None and (enter or event.key() == Qt.Key.Key_Escape):
            # The name field passes both keys on: they answer the field, not the nudge.
            self._add_named() if enter else self._cancel_naming()
        elif enter:
            self._answer(self.back)
        elif event.key() == Qt.Key.Key_Escape:
            if not self.snooze_locked:
                self._answer(self.snooze)
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """A close from the window manager (Alt+F4) counts as snooze and is refused
        while snooze is locked; a close from code just hides the card."""
        if event.spontaneous() and self.isVisible():
            event.ignore()
            if not self.snooze_locked:
                self._answer(self.snooze)
            return
        super().closeEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.lock_timer.stop()
        self.ack_timer.stop()
        super().hideEvent(event)
        QTimer.singleShot(0, self._after_hide)  # a change of level hides and shows at once

    def _after_hide(self) -> None:
        """A card that stays hidden needs no copy of the screen (the next one takes its
        own), and what it used goes back to the system."""
        if not self.isVisible():
            self._backdrop = QPixmap()
            release_memory()

    # ----------------------------------------------------------------- looks

    def _apply_look(self, view: NudgeView, screen: QScreen) -> None:
        look = _LOOKS[view.level]
        base = QGuiApplication.font().pointSizeF()
        for widget, factor, bold in (
            (self.headline_label, look.headline, True),
            (self.facts_label, look.body, False),
            (self.priority_label, look.body, False),
            (self.next_step_label, look.body, False),
            (self.share_label, look.body, False),
            (self.footer_label, look.footer, False),
            (self.change_button, look.footer, False),
            (self.name_edit, look.body, False),
            (self.cancel_name_button, look.body, False),
            (self.delegating.note_edit, look.body, False),
            (self.delegating.cancel_button, look.body, False),
            *((b, look.body, b is self.back_button) for b in self._buttons()),
        ):
            font = QFont(QGuiApplication.font())
            font.setPointSizeF(base * factor)
            font.setBold(bold)
            widget.setFont(font)
        # The countdown must not make the buttons beside it jump.
        metrics = self.snooze_button.fontMetrics()
        texts = [_snooze_text(locked, view.snooze_minutes) for locked in (LOCK_SECONDS, 0)]
        self.snooze_button.setMinimumWidth(max(map(metrics.horizontalAdvance, texts)) + 32)
        pad = look.padding
        self._card_layout.setContentsMargins(pad, pad - 2, pad, pad - 4)
        self._fit_width(look.width, screen.availableGeometry().width() - 2 * SCREEN_MARGIN)
        state = TrayState(view.classification.value)
        self.icon_label.setPixmap(render(state.resource, look.icon, screen.devicePixelRatio()))
        self.icon_label.setFixedSize(look.icon, look.icon)

    def _fit_width(self, designed: int, room: int) -> None:
        """The designed width, wider only when a row of buttons needs it (large desktop
        fonts, long names), and within ``room``: past that the last button wraps."""

        def needed() -> int:
            self._invalidate_layouts()
            return self._card_layout.minimumSize().width()

        for row in (self._actions, self._overflow):
            row.removeWidget(self.part_button)
        self._actions.insertWidget(2, self.part_button)
        if needed() > room:
            self._actions.removeWidget(self.part_button)
            self._overflow.insertWidget(0, self.part_button)
        self.card.setFixedWidth(min(max(designed, needed()), room))

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.back_button,
            self.snooze_button,
            self.part_button,
            self.distraction_button,
            self.productive_button,
            self.part_choice_button,
            self.add_button,
            self.delegate_button,
            self.delegating.save_button,
        )

    def _show_at_level(self, level: int, screen: QScreen, tray_hint: QRect | None) -> None:
        flags = Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        if level == 1:
            flags |= Qt.WindowType.Tool | Qt.WindowType.WindowDoesNotAcceptFocus
        elif level == 2:
            flags |= Qt.WindowType.Tool
        else:
            flags |= Qt.WindowType.Window
        self.hide()
        self.setWindowFlags(flags)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, level == 1)
        focus = Qt.FocusPolicy.NoFocus if level == 1 else Qt.FocusPolicy.StrongFocus
        for button in self._buttons():
            button.setFocusPolicy(focus)
        self.share_label.setVisible(level == 3 and bool(self.share_label.text()))
        self._place(level, screen, tray_hint)
        if level == 3:
            self.showFullScreen()
        else:
            self.setWindowState(Qt.WindowState.WindowNoState)
            self.show()
        if level > 1:
            self.raise_()
            self.activateWindow()
            self.back_button.setFocus()

    def _screen(self, level: int, tray_hint: QRect | None) -> QScreen:
        point = tray_hint.center() if level == 1 and tray_hint is not None else QCursor.pos()
        return QGuiApplication.screenAt(point) or QGuiApplication.primaryScreen()

    def _card_size(self) -> QSize:
        self._invalidate_layouts()
        width = self.card.width()
        return QSize(width, self.card.heightForWidth(width))

    def _invalidate_layouts(self) -> None:
        """Layouts cache the sizes of their widgets, and a label shown again inside a
        hidden window does not tell the panel around it: measure afresh."""
        for widget in self.card.findChildren(QWidget):
            widget.updateGeometry()
        for layout in self.card.findChildren(QLayout):
            layout.invalidate()

    def _margin(self) -> int:
        return SHADOW if self.translucent else 0

    def _place(self, level: int, screen: QScreen, tray_hint: QRect | None) -> None:
        if level == 3:
            self.clearMask()
            if self.windowHandle() is not None:
                # clearMask() on a hidden window leaves the native mask in place (Qt 6.12, xcb).
                self.windowHandle().setMask(QRegion())
            self.setMinimumSize(0, 0)
            self.setMaximumSize(MAX_SIZE, MAX_SIZE)
            self.setGeometry(screen.geometry())
            self._arrange()
            return
        size, margin = self._card_size(), self._margin()
        available = screen.availableGeometry()
        if level == 1:
            corner = card_position(size, available, tray_hint)
        else:
            corner = available.center() - QPoint(size.width() // 2, size.height() // 2)
        grown = QSize(size.width() + 2 * margin, size.height() + 2 * margin)
        # A fixed size is what tiling Wayland compositors (sway) float rather than tile;
        # a client there cannot place itself, and a tiled card would be cut to a column.
        self.setFixedSize(grown)
        self.setGeometry(QRect(corner - QPoint(margin, margin), grown))
        self._arrange()
        if not self.translucent:
            path = QPainterPath()
            path.addRoundedRect(QRectF(QRect(QPoint(0, 0), size)), RADIUS, RADIUS)
            self.setMask(QRegion(path.toFillPolygon().toPolygon()))

    def _arrange(self) -> None:
        """Lay the card out by hand: at the shadow margin on a card-sized window, or in
        the middle of the full-screen overlay with the day's line under it."""
        size = self._card_size()
        if self._view is None or self._view.level != 3:
            self.card.setGeometry(QRect(QPoint(self._margin(), self._margin()), size))
            return
        share = self.share_label.heightForWidth(size.width()) if self.share_label.text() else 0
        below = SHARE_GAP + share if share else 0
        left = (self.width() - size.width()) // 2
        top = (self.height() - size.height() - below) // 2
        self.card.setGeometry(QRect(QPoint(left, top), size))
        self.share_label.setGeometry(left, top + size.height() + SHARE_GAP, size.width(), share)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The window manager has the last word on a full-screen window's size.
        super().resizeEvent(event)
        self._arrange()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._view is not None and self._view.level == 3:
            if self._backdrop.deviceIndependentSize().toSize() == self.size():
                painter.drawPixmap(0, 0, self._backdrop)
            elif not self.translucent:
                painter.fillRect(self.rect(), QColor(OVERLAY.rgb()))
            painter.fillRect(self.rect(), OVERLAY)
        elif self.translucent:
            self._paint_shadow(painter)
        else:
            # Opaque corners outside the mask's rounding blend into the edge colour.
            painter.fillRect(self.rect(), QColor(CARD_EDGE))

    def _paint_shadow(self, painter: QPainter) -> None:
        """A soft drop shadow: stacked, growing, fading rounded rectangles (cheaper
        than QGraphicsDropShadowEffect, which would re-blur every child on repaint)."""
        painter.setPen(Qt.PenStyle.NoPen)
        card = QRectF(self.card.geometry())
        steps = SHADOW - 2
        for step in range(steps, 0, -1):
            alpha = round(7 * (1 - step / steps) ** 2) + 1
            painter.setBrush(QColor(16, 24, 40, alpha))
            grown = card.adjusted(-step, -step + 3, step, step + 3)
            painter.drawRoundedRect(grown, RADIUS + step, RADIUS + step)

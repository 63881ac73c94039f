"""After a call: "That call (Zoom, 34 min): value call or chill call?" (issue 15).

A pure view, modelled on the level-1 nudge (``ui.nudge``): a small card beside the
tray that never takes the keyboard when it appears (someone typing the follow-up
mail keeps typing). "Value call" and "Chill call" answer with one click; the
optional "who / next step" line takes the keyboard only when clicked. "Later"
leaves the call waiting in the tray menu and the summary. Every answer hides the
card before its signal goes out. ``CallsMenu`` is the tray menu's list of calls
still waiting.
"""

from __future__ import annotations

from focusguard.callwatch import question
from focusguard.core.calls import MAX_NOTE_CHARS, Call, CallKind
from focusguard.core.timefmt import clock, local
from focusguard.ui.nudge import _button, _row
from focusguard.ui.qt import (
    QEvent,
    QObject,
    QRect,
    Qt,
    QtGui,
    QtWidgets,
    QWidget,
    Signal,
)
from focusguard.ui.side_card import SideCard

WINDOW_TITLE = "FocusGuard call"
NOTE_PLACEHOLDER = "Who / next step (optional), e.g. Acme: send the Q2 proposal"


def detail(call: Call) -> str:
    """'10:05–10:39 · Zoom Meeting': when, and the window that named it."""
    when = f"{clock(call.start)}–{clock(call.end)}" if call.end is not None else clock(call.start)
    return f"{when} · {call.title}" if call.title else when


class CallCard(SideCard):
    """Signals: ``answered(call_id, kind, note)`` (kind "value" or "chill"), ``later(call_id)``."""

    answered = Signal(int, str, str)
    later = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(WINDOW_TITLE, parent)
        self._call: Call | None = None
        self.note_edit = QtWidgets.QLineEdit()
        self.note_edit.setObjectName("call_note")
        self.note_edit.setPlaceholderText(NOTE_PLACEHOLDER)
        self.note_edit.setMaxLength(MAX_NOTE_CHARS)
        self.note_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.note_edit.installEventFilter(self)
        self.note_edit.returnPressed.connect(lambda: self._answer(CallKind.VALUE))
        self.value_button = _button("primary", "Value call")
        self.value_button.setToolTip("It served the business: a client, a prospect, a pitch")
        self.chill_button = _button("snooze", "Chill call")
        self.chill_button.setToolTip("It was social: catching up with people you enjoy")
        self.later_button = _button("link", "Later")
        self.later_button.setToolTip("Keep it in the tray menu and the summary")
        self.value_button.clicked.connect(lambda: self._answer(CallKind.VALUE))
        self.chill_button.clicked.connect(lambda: self._answer(CallKind.CHILL))
        self.later_button.clicked.connect(self._later)
        for button in (self.value_button, self.chill_button, self.later_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.card_layout.addWidget(self.note_edit)
        self.card_layout.addLayout(_row(self.value_button, self.chill_button, self.later_button))

    @property
    def call(self) -> Call | None:
        return self._call

    def show_call(self, call: Call, tray_hint: QRect | None = None) -> None:
        """Show (or replace) the question without taking the focus, beside the tray."""
        if self._call is None or self._call.id != call.id:
            self.note_edit.clear()
        self._call = call
        self.headline_label.setText(question(call))
        self.detail_label.setText(detail(call))
        self.place(tray_hint)
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A click in the note line is the one moment the card takes the keyboard."""
        if watched is self.note_edit and event.type() == QEvent.Type.MouseButtonPress:
            self._take_keyboard()
        return super().eventFilter(watched, event)

    def _take_keyboard(self) -> None:
        handle = self.windowHandle()
        if handle is not None and handle.flags() & Qt.WindowType.WindowDoesNotAcceptFocus:
            # On the native window: QWidget.setWindowFlags would re-create it under the pointer.
            handle.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, False)
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        self.raise_()
        self.activateWindow()
        self.note_edit.setFocus()

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._later()
            return
        super().keyPressEvent(event)

    def _answer(self, kind: CallKind) -> None:
        call = self._call
        note = " ".join(self.note_edit.text().split())
        self._close()
        if call is not None and call.id is not None:
            self.answered.emit(call.id, kind.value, note)

    def _later(self) -> None:
        call = self._call
        self._close()
        if call is not None and call.id is not None:
            self.later.emit(call.id)

    def _close(self) -> None:
        """Hidden, and the next question starts without the keyboard again."""
        self.hide()
        self._call = None
        self.note_edit.clear()
        handle = self.windowHandle()
        if handle is not None:
            handle.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)


class CallsMenu(QObject):
    """"Calls to answer (2)" in the tray menu, above "Today so far": one entry a call
    still waiting; picking one asks its question again. Hidden while none waits."""

    requested = Signal(int)

    def __init__(self, menu: QtWidgets.QMenu, before: QtGui.QAction) -> None:
        super().__init__(menu)
        self.submenu = QtWidgets.QMenu("Calls to answer", menu)
        self.action = menu.insertMenu(before, self.submenu)
        self.action.setVisible(False)
        self._shown: tuple[Call, ...] = ()

    def set_calls(self, calls: tuple[Call, ...]) -> None:
        if calls == self._shown:
            return  # called on every sample: rebuild only on a change
        self._shown = calls
        self.submenu.clear()
        for call in calls:
            # Calls wait a week: the day too ("Thu 10:05  Zoom, 34 min").
            entry = self.submenu.addAction(f"{local(call.start):%a %H:%M}  {call.label}".replace("&", "&&"))
            entry.triggered.connect(lambda _=False, call_id=call.id: self.requested.emit(call_id))
        self.submenu.setTitle(f"Calls to answer ({len(calls)})")
        self.action.setVisible(bool(calls))

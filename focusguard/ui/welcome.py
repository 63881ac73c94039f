"""The first-run window: three short steps from "just installed" to "guarding today".

1. *Your work*: pick a starter set of activities (:data:`focusguard.core.starters.STARTERS`);
2. *Today's priority*: name it and its next concrete step;
3. *Your data*: where everything lives, that nothing leaves the machine, and whether
   FocusGuard starts at login.

A pure view, shown without blocking: it reads nothing and writes nothing. It emits
:attr:`WelcomeWindow.finished` with a :class:`~focusguard.core.starters.WelcomeChoice`
or :attr:`WelcomeWindow.skipped` (the Skip button, or closing the window), once; the
app writes the config, declares the priority and never shows it again.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from focusguard.core import palette
from focusguard.core.model import Activity, Classification
from focusguard.core.starters import STARTERS, Starter, WelcomeChoice
from focusguard.ui.about import PRIVACY_LINE, DataLocations, DataPaths
from focusguard.ui.icons import app_icon
from focusguard.ui.qt import QtCore, QtGui, QtWidgets

TITLE = "Welcome to FocusGuard"
STEPS = ("Your work", "Today's priority", "Your data")
ACCENT = palette.NO_PRIORITY  # the colour of "declare one": what this window leads to
DONE = palette.PRIORITY
MUTED = "#6A7079"
EDGE = "#CDD2D8"


def counting_html(activities: Sequence[Activity], priority: str) -> str:
    """One line per class with its palette dot: which activities count as what today."""
    groups: dict[Classification, list[str]] = {}
    for activity in activities:
        on = activity.name.casefold() == priority.strip().casefold()
        groups.setdefault(Classification.PRIORITY if on else activity.kind.counts_as, []).append(activity.name)
    if priority.strip() and Classification.PRIORITY not in groups:
        groups[Classification.PRIORITY] = [priority.strip()]
    lines = []
    for kind in (Classification.PRIORITY, Classification.PRODUCTIVE_DISTRACTION,
                 Classification.DISTRACTION, Classification.NEUTRAL):
        if kind in groups:
            swatch = palette.CLASSIFICATION[kind]
            names = html.escape(", ".join(groups[kind]))
            lines.append(f'<span style="color:{swatch.colour}">●</span> <b>{swatch.label}</b>: {names}')
    return "<br>".join(lines)


class StepIndicator(QtWidgets.QWidget):
    """Numbered dots joined by a line, the current one filled, finished ones ticked,
    with each step's name below: where you are and how much is left, at a glance."""

    DOT = 26

    def __init__(self, names: Sequence[str], parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = tuple(names)
        self.current = 0
        self.setMinimumHeight(self.DOT + 30)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Progress")

    def set_current(self, index: int) -> None:
        self.current = index
        self.setAccessibleDescription(self.text())
        self.update()

    def text(self) -> str:
        return f"Step {self.current + 1} of {len(self.names)}: {self.names[self.current]}"

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(120 * len(self.names), self.DOT + 30)

    def _centres(self) -> list[QtCore.QPointF]:
        slot = self.width() / len(self.names)
        return [QtCore.QPointF(slot * (i + 0.5), self.DOT / 2 + 1) for i in range(len(self.names))]

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        centres = self._centres()
        radius = self.DOT / 2
        for i in range(len(centres) - 1):
            done = i < self.current
            painter.setPen(QtGui.QPen(QtGui.QColor(DONE if done else EDGE), 2))
            painter.drawLine(QtCore.QPointF(centres[i].x() + radius + 4, centres[i].y()),
                             QtCore.QPointF(centres[i + 1].x() - radius - 4, centres[i + 1].y()))
        label_font = self.font()
        bold = QtGui.QFont(label_font)
        bold.setBold(True)
        for i, (centre, name) in enumerate(zip(centres, self.names, strict=True)):
            done, here = i < self.current, i == self.current
            fill = DONE if done else ACCENT if here else "#FFFFFF"
            painter.setPen(QtGui.QPen(QtGui.QColor(fill if done or here else EDGE), 2))
            painter.setBrush(QtGui.QColor(fill))
            painter.drawEllipse(centre, radius, radius)
            painter.setPen(QtGui.QColor("#FFFFFF" if done or here else MUTED))
            painter.setFont(bold)
            box = QtCore.QRectF(centre.x() - radius, centre.y() - radius, self.DOT, self.DOT)
            painter.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, "✓" if done else str(i + 1))
            painter.setFont(bold if here else label_font)
            painter.setPen(QtGui.QColor("#1F2328" if here else MUTED))
            slot = self.width() / len(self.names)
            painter.drawText(QtCore.QRectF(centre.x() - slot / 2, self.DOT + 6, slot, 22),
                             QtCore.Qt.AlignmentFlag.AlignHCenter | QtCore.Qt.AlignmentFlag.AlignTop, name)
        painter.end()


class StarterCard(QtWidgets.QFrame):
    """One starter set: a radio button with its name, what it means, its activities."""

    def __init__(self, starter: Starter, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.starter = starter
        self.setObjectName("starterCard")
        self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
        self.radio = QtWidgets.QRadioButton(starter.name)
        font = self.radio.font()
        font.setBold(True)
        self.radio.setFont(font)
        self.radio.toggled.connect(self._restyle)
        description = QtWidgets.QLabel(starter.description)
        description.setWordWrap(True)
        listing = QtWidgets.QLabel(" · ".join(a.name for a in starter.activities))
        listing.setWordWrap(True)
        listing.setStyleSheet(f"color: {MUTED};")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 9)
        layout.setSpacing(2)
        layout.addWidget(self.radio)
        for label in (description, listing):
            label.setContentsMargins(24, 0, 0, 0)
            layout.addWidget(label)
        listing.setVisible(bool(starter.activities))
        self._restyle(False)

    def _restyle(self, selected: bool) -> None:
        edge, fill = (ACCENT, palette.tint(ACCENT, 0.08)) if selected else (EDGE, "#FFFFFF")
        self.setStyleSheet(f"#starterCard {{ border: 1px solid {edge}; border-radius: 8px; background: {fill}; }}")

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        self.radio.setChecked(True)


class WelcomeWindow(QtWidgets.QWidget):
    """The three steps, a progress indicator, and Skip / Back / Next."""

    finished = QtCore.Signal(object)  # WelcomeChoice
    skipped = QtCore.Signal()

    def __init__(self, locations: DataLocations, *, start_at_login: bool,
                 gnome_setup: Callable[[], str] | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        """``gnome_setup``, given on a GNOME Wayland session whose shell runs no FocusGuard
        extension, installs it and returns what to tell the user (raising OSError or
        RuntimeError with the reason); the last step then offers it."""
        super().__init__(parent, QtCore.Qt.WindowType.Window)
        self._gnome_setup = gnome_setup
        self.setWindowTitle(TITLE)
        self.setWindowIcon(app_icon())
        self._done = False

        icon = QtWidgets.QLabel()
        icon.setPixmap(app_icon().pixmap(40, 40))
        heading = QtWidgets.QLabel(TITLE)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        subtitle = QtWidgets.QLabel("Three short steps. You can change everything later in Settings.")
        subtitle.setStyleSheet(f"color: {MUTED};")
        titles = QtWidgets.QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(heading)
        titles.addWidget(subtitle)
        top = QtWidgets.QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(icon)
        top.addLayout(titles, 1)

        self.steps = StepIndicator(STEPS)
        self.pages = QtWidgets.QStackedWidget()
        self.pages.addWidget(self._work_page())
        self.pages.addWidget(self._priority_page())
        self.pages.addWidget(self._data_page(locations, start_at_login))

        self.skip_button = QtWidgets.QPushButton("Skip setup")
        self.skip_button.setFlat(True)
        self.skip_button.setToolTip("Keep the default activities; this window will not come back")
        self.skip_button.clicked.connect(self.skip)
        self.back_button = QtWidgets.QPushButton("Back")
        self.back_button.clicked.connect(self.back)
        self.next_button = QtWidgets.QPushButton("Next")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        self.next_button.setStyleSheet(
            f"QPushButton {{ background: {DONE}; color: white; border: none; border-radius: 6px;"
            f" padding: 7px 18px; font-weight: bold; }}"
            f"QPushButton:hover {{ background: {palette.shade(DONE)}; }}")
        footer = QtWidgets.QHBoxLayout()
        footer.addWidget(self.skip_button)
        footer.addStretch(1)
        footer.addWidget(self.back_button)
        footer.addWidget(self.next_button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(self.steps)
        layout.addWidget(self.pages, 1)
        layout.addLayout(footer)
        self.setMinimumSize(620, 600)
        self.cards[0].radio.setChecked(True)  # fills the priority page too, so after it exists
        self.go_to(0)

    # --- pages ------------------------------------------------------------------------

    def _work_page(self) -> QtWidgets.QWidget:
        page, layout = _page("What kind of work do you do?",
                             "FocusGuard sorts your windows into activities. Start from a set that fits:")
        self.starter_group = QtWidgets.QButtonGroup(self)
        self.cards: list[StarterCard] = []
        for starter in STARTERS:
            card = StarterCard(starter)
            self.starter_group.addButton(card.radio)
            card.radio.toggled.connect(self._starter_changed)
            layout.addWidget(card)
            self.cards.append(card)
        layout.addStretch(1)
        return page

    def _priority_page(self) -> QtWidgets.QWidget:
        page, layout = _page("What matters most today?",
                             "One priority a day. When other work takes over, FocusGuard says so.")
        self.priority = QtWidgets.QComboBox()
        self.priority.setEditable(True)
        self.priority.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        if (editor := self.priority.lineEdit()) is not None:  # setEditable just made it
            editor.setPlaceholderText("e.g. Sales, Thesis, Launch")
        self.next_step = QtWidgets.QLineEdit()
        self.next_step.setClearButtonEnabled(True)
        form = QtWidgets.QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow("Top priority:", self.priority)
        form.addRow("Next step:", self.next_step)
        self.priority_note = QtWidgets.QLabel("")
        self.priority_note.setWordWrap(True)
        self.priority_note.setStyleSheet(f"color: {MUTED};")
        self.priority_error = QtWidgets.QLabel("")
        self.priority_error.setStyleSheet(f"color: {palette.DISTRACTION};")
        self.priority_error.setVisible(False)
        self.priority.editTextChanged.connect(self._priority_changed)
        self.counting = QtWidgets.QLabel()
        self.counting.setWordWrap(True)
        self.counting.setTextFormat(QtCore.Qt.TextFormat.RichText)
        panel = QtWidgets.QGroupBox("How today will be counted")
        inside = QtWidgets.QVBoxLayout(panel)
        inside.addWidget(self.counting)
        explain = QtWidgets.QLabel("Useful work that is not today's priority is a productive distraction: "
                                   "the kind that eats a day without feeling like it.")
        explain.setWordWrap(True)
        explain.setStyleSheet(f"color: {MUTED};")
        inside.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.priority_note)
        layout.addWidget(self.priority_error)
        layout.addSpacing(8)
        layout.addWidget(panel)
        layout.addStretch(1)
        return page

    def _data_page(self, locations: DataLocations, start_at_login: bool) -> QtWidgets.QWidget:
        page, layout = _page("Your data stays on this computer",
                             "FocusGuard reads the active window's app and title every few seconds "
                             "and keeps them here:")
        self.paths = DataPaths(locations)
        privacy = QtWidgets.QLabel(PRIVACY_LINE)
        privacy.setWordWrap(True)
        panel = QtWidgets.QFrame()
        panel.setObjectName("privacyPanel")
        panel.setStyleSheet(f"#privacyPanel {{ background: {palette.tint(DONE, 0.1)}; border-radius: 8px; }}")
        inside = QtWidgets.QVBoxLayout(panel)
        inside.setContentsMargins(14, 10, 14, 10)
        inside.addWidget(privacy)
        self.start_at_login = QtWidgets.QCheckBox("Start FocusGuard when I log in")
        self.start_at_login.setChecked(start_at_login)
        self.login_state = QtWidgets.QLabel()
        self.login_state.setStyleSheet(f"color: {MUTED};")
        self.start_at_login.toggled.connect(self._login_changed)
        self._login_changed(start_at_login)
        layout.addWidget(self.paths)
        layout.addWidget(panel)
        layout.addSpacing(6)
        layout.addWidget(self.start_at_login)
        layout.addWidget(self.login_state)
        if self._gnome_setup is not None:
            layout.addSpacing(6)
            layout.addWidget(self._gnome_panel())
        layout.addStretch(1)
        return page

    def _gnome_panel(self) -> QtWidgets.QFrame:
        """GNOME tells no program which window is in front; FocusGuard's small Shell
        extension does, once installed and after one log-out."""
        panel = QtWidgets.QFrame()
        panel.setObjectName("gnomePanel")
        tint = palette.tint(palette.NO_PRIORITY, 0.1)
        panel.setStyleSheet(f"#gnomePanel {{ background: {tint}; border-radius: 8px; }}")
        text = QtWidgets.QLabel("GNOME does not tell other programs which window is in front. "
                                "FocusGuard's small GNOME Shell extension does; set it up once, "
                                "then log out and back in.")
        text.setWordWrap(True)
        self.gnome_button = QtWidgets.QPushButton("Set up GNOME")
        self.gnome_button.clicked.connect(self._set_up_gnome)
        self.gnome_result = QtWidgets.QLabel("")
        self.gnome_result.setWordWrap(True)
        self.gnome_result.setVisible(False)
        inside = QtWidgets.QVBoxLayout(panel)
        inside.setContentsMargins(14, 10, 14, 10)
        inside.addWidget(text)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.gnome_button)
        row.addStretch(1)
        inside.addLayout(row)
        inside.addWidget(self.gnome_result)
        return panel

    def _set_up_gnome(self) -> None:
        assert self._gnome_setup is not None
        try:
            said = self._gnome_setup()
        except (OSError, RuntimeError) as err:
            said = f"Could not set it up: {err}. Try `focusguard setup gnome` in a terminal."
        else:
            self.gnome_button.setEnabled(False)
        self.gnome_result.setText(said)
        self.gnome_result.setVisible(True)

    # --- state ------------------------------------------------------------------------

    @property
    def starter(self) -> Starter:
        return next(card.starter for card in self.cards if card.radio.isChecked())

    @property
    def index(self) -> int:
        return self.pages.currentIndex()

    def choice(self) -> WelcomeChoice:
        return WelcomeChoice(self.starter.name, self.priority.currentText().strip(),
                             self.next_step.text().strip(), self.start_at_login.isChecked())

    def _starter_changed(self, checked: bool) -> None:
        if not checked:
            return
        starter = self.starter
        typed = self.priority.currentText().strip()
        suggested = {s.priority for s in STARTERS}
        self.priority.clear()
        self.priority.addItems([a.name for a in starter.activities])
        keep = typed and typed not in suggested  # the user's own words survive a change of set
        self.priority.setEditText(typed if keep else starter.priority)
        self.next_step.setPlaceholderText(starter.next_step_hint or "e.g. write the outline")

    def _priority_changed(self, text: str) -> None:
        name = text.strip()
        known = any(a.name.casefold() == name.casefold() for a in self.starter.activities)
        self.priority_note.setText(
            "" if not name or known else
            f"“{name}” will be added as a new activity. When a nudge asks about a window "
            f"that belongs to it, answer “It's part of {name}” and FocusGuard learns.")
        self.priority_note.setVisible(bool(self.priority_note.text()))
        if name:
            self.priority_error.setVisible(False)
        self.counting.setText(counting_html(self.starter.activities, name)
                              or "Nothing yet: name today's priority above.")

    def _login_changed(self, on: bool) -> None:
        self.login_state.setText(
            "On: FocusGuard starts with your desktop session." if on else
            "Off: start FocusGuard yourself from the applications menu each day.")

    # --- navigation -------------------------------------------------------------------

    def go_to(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.steps.set_current(index)
        self.back_button.setEnabled(index > 0)
        last = index == len(STEPS) - 1
        self.next_button.setText("Start guarding" if last else "Next")
        if index == 1:
            self.priority.setFocus()

    def next(self) -> None:
        if self.index == 1 and not self.priority.currentText().strip():
            self.priority_error.setText("Name today's priority, or skip setup for now.")
            self.priority_error.setVisible(True)
            self.priority.setFocus()
            return
        if self.index < len(STEPS) - 1:
            self.go_to(self.index + 1)
            return
        self._finish()
        self.finished.emit(self.choice())

    def back(self) -> None:
        if self.index > 0:
            self.go_to(self.index - 1)

    def skip(self) -> None:
        self._finish()
        self.skipped.emit()

    def _finish(self) -> None:
        self._done = True
        self.close()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        """Closing the window from its title bar (a spontaneous event, from the window
        system) is skipping it: it was seen and set aside. Quitting the app closes it
        too, but that is no answer, so the welcome comes back at the next start."""
        super().closeEvent(event)
        if not self._done and event.spontaneous():
            self._done = True
            self.skipped.emit()

    def open_window(self) -> None:
        """Shows without blocking, centred on the screen, and takes focus (the user
        just started the app)."""
        self.adjustSize()
        screen = QtGui.QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.center() - self.rect().center())
        self.show()
        self.raise_()
        self.activateWindow()


def _page(heading: str, intro: str) -> tuple[QtWidgets.QWidget, QtWidgets.QVBoxLayout]:
    page = QtWidgets.QWidget()
    layout = QtWidgets.QVBoxLayout(page)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.setSpacing(10)
    title = QtWidgets.QLabel(heading)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    title.setFont(font)
    text = QtWidgets.QLabel(intro)
    text.setWordWrap(True)
    layout.addWidget(title)
    layout.addWidget(text)
    return page, layout

"""Every page of the settings window, looked at: nothing clipped or overlapping at the
usual and the smallest size, and a screenshot of each under a real X server.

The screenshots are taken by this file run as a script under Xvfb (the test process
itself draws offscreen); they are copied to ``$FOCUSGUARD_SETTINGS_SHOTS`` (default
``/tmp/settings-shots``) for a person to look at.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from itertools import combinations
from pathlib import Path

import pytest

from focusguard.core.config import STARTER_CONFIG
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.platform.autostart import XdgAutostart
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.settings import SettingsContext, SettingsWindow

SHOTS_DIR = Path(os.environ.get("FOCUSGUARD_SETTINGS_SHOTS", "/tmp/settings-shots"))
SIZES = {"usual": None, "smallest": (1000, 600)}
#: Widgets whose inside is Qt's business (scrolling views, spin boxes, combo boxes, line edits).
COMPOUND = (QtWidgets.QAbstractScrollArea, QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox, QtWidgets.QLineEdit)
#: Windows seen in the last days, as a person's week might look: (app, title, exe, seconds).
WEEK = [
    ("code", "importer.py - focusguard - Visual Studio Code", "/usr/bin/code", 5400),
    ("firefox", "Deals | HubSpot — Mozilla Firefox", "/usr/lib/firefox/firefox", 3600),
    ("firefox", "YouTube — Mozilla Firefox", "/usr/lib/firefox/firefox", 1500),
    ("gimp", "[Untitled]-1.0 (RGB color 8-bit gamma integer, GIMP built-in sRGB, 1 layer) 1920x1080 – GIMP",
     "/usr/bin/gimp", 1300),
    ("thunderbird", "Inbox - Mozilla Thunderbird", "/usr/bin/thunderbird", 1200),
    ("inkscape", "drawing.svg - Inkscape", "/usr/bin/inkscape", 900),
    ("slack", "general | Acme - Slack", "/usr/bin/slack", 700),
    ("zotero", "My Library - Zotero", "/usr/bin/zotero", 500),
]


def make_window(tmp: Path) -> SettingsWindow:
    """A window on a starter config with a focus block and a realistic week recorded."""
    now = time.time()
    config = tmp / "config.toml"
    config.write_text(STARTER_CONFIG + '\n[[focus_block]]\ndays = ["mon", "tue", "wed", "thu", "fri"]\n'
                                       'start = "08:30"\nend = "11:00"\n', encoding="utf-8")
    store = Store(tmp / "fg.db", max_gap=4.0, flush_every=0)
    at = now - 3 * 86400
    for app, title, exe, seconds in WEEK:
        for _ in range(int(seconds // 2) + 1):
            store.record(Classified(Sample(at, app, title, exe), None, Classification.UNCLASSIFIED))
            at += 2
        at += 100
    store.declare(Declaration(now - 2 * 86400, "Code", "ship the importer"))
    store.declare(Declaration(now - 86400, "Sales", "call three past customers"))
    store.declare(Declaration(now - 60, "Sales", "send the Acme proposal"))
    store.flush()
    autostart = XdgAutostart(env={"XDG_CONFIG_HOME": str(tmp / "xdg")})
    return SettingsWindow(SettingsContext(config, Records(store, clock=lambda: now), autostart=autostart))


def show_page(window: SettingsWindow, index: int) -> None:
    window.go_to(index)
    if window.pages[index] is window.activities_page:
        names = window.activities_page.names()
        window.activities_page.list.setCurrentRow(names.index("Code"))  # the one with a comment and 11 rules
    window.refresh_preview()
    QtWidgets.QApplication.processEvents()


def describe(widget: QtWidgets.QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__} {text[:40]!r}" if text else type(widget).__name__


def layout_problems(root: QtWidgets.QWidget) -> list[str]:
    """Text that does not fit its widget, and sibling widgets that overlap."""
    problems: list[str] = []

    def visit(widget: QtWidgets.QWidget) -> None:
        direct = widget.findChildren(QtWidgets.QWidget, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly)
        kids = [c for c in direct if c.isVisibleTo(root) and not c.isWindow()]
        for child in kids:
            if isinstance(child, QtWidgets.QLabel) and child.text():
                if child.wordWrap():
                    need = child.heightForWidth(child.width())
                    if child.height() + 1 < need:
                        problems.append(f"{describe(child)} is {child.height()} px high, its text needs {need}")
                elif child.width() + 1 < child.sizeHint().width():
                    problems.append(f"{describe(child)} is {child.width()} px wide, needs {child.sizeHint().width()}")
            if isinstance(child, QtWidgets.QAbstractButton) and child.width() + 1 < child.sizeHint().width():
                problems.append(f"{describe(child)} is {child.width()} px wide, needs {child.sizeHint().width()}")
            if isinstance(child, QtWidgets.QLineEdit | QtWidgets.QAbstractSpinBox | QtWidgets.QComboBox) and \
                    child.height() + 1 < child.minimumSizeHint().height():
                problems.append(f"{describe(child)} is squashed to {child.height()} px")
        for a, b in combinations(kids, 2):
            if a.geometry().intersects(b.geometry()):
                problems.append(f"{describe(a)} overlaps {describe(b)} in {describe(widget)}")
        for child in kids:
            if isinstance(child, QtWidgets.QScrollArea) and child.widget() is not None:
                if child.horizontalScrollBar().isVisible():
                    problems.append(f"{describe(child)} needs a horizontal scroll bar")
                visit(child.widget())
            elif not isinstance(child, COMPOUND):
                visit(child)

    visit(root)
    return problems


@pytest.fixture
def window(qtbot, tmp_path: Path) -> SettingsWindow:
    w = make_window(tmp_path)
    qtbot.addWidget(w)
    w.open_window()
    yield w
    w.discard()
    w.context.records.close()


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("page", range(6))
def test_nothing_is_clipped_or_overlapping(qtbot, window: SettingsWindow, page: int, size) -> None:
    if size is not None:
        window.resize(*size)
    qtbot.waitExposed(window)
    show_page(window, page)
    assert window.size().width() >= window.minimumWidth()
    assert layout_problems(window) == []


def test_layout_check_finds_clipped_text(qtbot) -> None:
    """The check above can fail: a wrapped label squeezed below its text's height."""
    parent = QtWidgets.QWidget()
    qtbot.addWidget(parent)
    label = QtWidgets.QLabel("a long explanation " * 20, parent)
    label.setWordWrap(True)
    label.setGeometry(0, 0, 200, 20)
    button = QtWidgets.QPushButton("Overlapping", parent)
    button.setGeometry(10, 5, 150, 30)
    parent.show()
    problems = layout_problems(parent)
    assert any("px high, its text needs" in p for p in problems)
    assert any("overlaps" in p for p in problems)


@pytest.mark.xvfb
def test_screenshot_of_every_page_under_xvfb(xdesktop, tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    env = dict(xdesktop.env, QT_QPA_PLATFORM="xcb")
    done = subprocess.run([sys.executable, __file__, str(shots)], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    files = sorted(shots.glob("page-*.png"))
    assert [f.name for f in files] == ["page-1-priority.png", "page-2-activities.png", "page-3-nudges.png",
                                       "page-4-schedule.png", "page-5-privacy.png", "page-6-general.png",
                                       "page-7-goals.png", "page-8-sync.png", "page-9-calls.png"]
    for file in files:
        image = QtGui.QImage(str(file))
        assert image.width() == 1120 and 600 <= image.height() <= 800  # fitted to the 1280x800 screen
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
        assert len(colours) > 20, f"{file.name} looks blank"
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    for file in files:
        (SHOTS_DIR / file.name).write_bytes(file.read_bytes())


def _take_screenshots(out: Path) -> int:
    """Under a real X server: show the window, check and grab each page."""
    app = QtWidgets.QApplication(sys.argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    window = make_window(out)
    window.open_window()
    deadline = time.monotonic() + 10
    while not window.isActiveWindow() and time.monotonic() < deadline:
        app.processEvents()
    failures = []
    for index, page in enumerate(window.pages):
        show_page(window, index)
        failures += [f"{page.title}: {p}" for p in layout_problems(window)]
        window.grab().save(str(out / f"page-{index + 1}-{page.title.split()[0].lower()}.png"))
    window.context.records.close()
    print("\n".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(_take_screenshots(Path(sys.argv[1])))

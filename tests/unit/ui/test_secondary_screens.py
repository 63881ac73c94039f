"""The secondary windows (summary, review, settings, declare, About), looked at on real
X screens of the sizes people have: each fits the screen, frame and all, and nothing in
it is cut off on the right; a screenshot of each is kept for a person to look at.

The screenshots are taken by this file run as a script under Xvfb (the test process
itself draws offscreen); they are copied to ``$FOCUSGUARD_SECONDARY_SHOTS`` (default
``/tmp/secondary-shots``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from focusguard.core.model import Answer, Classification, Classified, Declaration, Nudge, Sample
from focusguard.records import Records
from focusguard.store import Store

SHOTS_DIR = Path(os.environ.get("FOCUSGUARD_SECONDARY_SHOTS", "/tmp/secondary-shots"))
SCREENS = ("1366x768", "1280x720", "1600x1000")
WINDOWS = ("summary", "review", "declare", "about", "settings-activities", "settings-schedule",
           "settings-privacy", "settings-priority")
C = Classification
#: A day with four changes of priority: (minutes, classification, activity, app, title).
SCRIPT = [
    (55, C.PRIORITY, "Sales", "firefox", "CRM — Acme customers"),
    (35, C.PRODUCTIVE_DISTRACTION, "Engineering", "code", "Visual Studio Code — app.py"),
    (83, C.PRIORITY, "Sales", "thunderbird", "Proposal XYZ"),
    (17, C.DISTRACTION, "Video", "firefox", "YouTube — conference talk"),
    (48, C.PRIORITY, "Sales", "firefox", "CRM — call list"),
    (42, C.IDLE, None, "", ""),
    (62, C.PRODUCTIVE_DISTRACTION, "Engineering", "code", "Visual Studio Code — app.py"),
    (70, C.PRIORITY, "Sales", "zoom", "Customer call"),
    (14, C.UNCLASSIFIED, None, "gimp", "screenshot.png"),
    (28, C.DISTRACTION, "Video", "firefox", "YouTube — conference talk"),
    (37, C.PRIORITY, "Sales", "firefox", "CRM — follow-ups"),
]
CHANGES = ((10, "Engineering"), (12, "Sales"), (14.5, "Other productive work"), (16, "Sales"))
#: A twelfth activity with a long name and a long regex, and a focus block.
EXTRA_CONFIG = """
[[activity]]
name = "Other productive work"
kind = "productive"
rules = [{ title = "(?i)quarterly (report|review|planning)|budget spreadsheet|vendor contracts|partner programme" }]

[[focus_block]]
days = ["mon", "tue", "wed", "thu", "fri"]
start = "08:30"
end = "11:00"
"""


def record_busy_day(store: Store, day: date) -> None:
    """A day like the sketch's, with four changes of priority and four answered nudges."""
    start = datetime(day.year, day.month, day.day).timestamp()
    store.declare(Declaration(start + 7.5 * 3600, "Sales", "call three past customers"))
    for hour, activity in CHANGES:
        store.declare(Declaration(start + hour * 3600, activity, "the next step of " + activity))
    t = start + 8 * 3600
    for minutes, c, activity, app, title in SCRIPT:
        store.record(Classified(Sample(t, app, title, idle=c is C.IDLE), activity, c))
        t += minutes * 60
    store.record(Classified(Sample(t, "firefox", "CRM — follow-ups"), "Sales", C.PRIORITY))
    store.flush()
    for hour, answer in ((9.4, Answer.BACK), (11.1, Answer.SNOOZE), (13.2, Answer.PART_OF_PRIORITY), (15.2, None)):
        nudge = store.add_nudge(Nudge(start + hour * 3600, "Engineering", C.PRODUCTIVE_DISTRACTION, 900, 0, 1,
                                      "code", "app.py"))
        if answer is not None:
            store.answer_nudge(nudge, answer, start + hour * 3600 + 30)


def cut_off(window) -> list[str]:
    """Visible widgets whose right part lies outside what their parents show (a scroll
    area that scrolls sideways excepted): text or controls a person cannot see."""
    from focusguard.ui.qt import QtCore, QtWidgets

    compound = (QtWidgets.QAbstractScrollArea, QtWidgets.QAbstractSpinBox, QtWidgets.QComboBox,
                QtWidgets.QLineEdit, QtWidgets.QAbstractButton)
    problems: list[str] = []

    def visit(widget, clip) -> None:
        for child in widget.findChildren(QtWidgets.QWidget, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly):
            if not child.isVisibleTo(window) or child.isWindow():
                continue
            rect = QtCore.QRect(child.mapTo(window, QtCore.QPoint(0, 0)), child.size())
            if rect.right() > clip.right() + 1 and rect.width() > 2:
                text = child.text()[:40] if hasattr(child, "text") and callable(child.text) else ""
                problems.append(f"{type(child).__name__} {text!r} reaches x={rect.right()}, "
                                f"only x<={clip.right()} is shown")
            inner = clip.intersected(rect)
            if isinstance(child, QtWidgets.QAbstractScrollArea):
                if isinstance(child, QtWidgets.QScrollArea) and child.widget() is not None:
                    if child.horizontalScrollBar().isVisible():
                        problems.append(f"{type(child).__name__} scrolls sideways")
                    viewport = QtCore.QRect(child.viewport().mapTo(window, QtCore.QPoint(0, 0)),
                                            child.viewport().size())
                    visit(child.widget(), clip.intersected(viewport))
                elif child.horizontalScrollBar().isVisible():
                    problems.append(f"{type(child).__name__} {child.accessibleName()!r} scrolls sideways")
            elif not isinstance(child, compound):
                visit(child, inner)

    visit(window, QtCore.QRect(0, 0, window.width(), window.height()))
    return problems


@pytest.mark.xvfb
@pytest.mark.parametrize("screen", SCREENS)
def test_every_secondary_window_fits_a_real_screen(tmp_path: Path, screen: str) -> None:
    from xdesktop import XDesktop, missing_binaries

    missing = missing_binaries(with_tray=False)
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the X desktop tests, but it needs {', '.join(missing)}")
        pytest.skip(f"needs {', '.join(missing)}")
    shots = tmp_path / "shots"
    with XDesktop(tray=False, screen=f"{screen}x24") as desktop:
        env = dict(desktop.env, QT_QPA_PLATFORM="xcb")
        done = subprocess.run([sys.executable, __file__, str(shots)], env=env, capture_output=True, text=True,
                              timeout=180)
    files = sorted(shots.glob("*.png"))
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    for file in files:  # kept for a person to look at, failed or not
        (SHOTS_DIR / f"{screen}-{file.name}").write_bytes(file.read_bytes())
    assert done.returncode == 0, done.stdout + done.stderr
    assert {f.stem for f in files} >= {*WINDOWS, *(f"screen-{w}" for w in WINDOWS)}


@pytest.mark.xvfb
def test_windows_opened_from_the_command_line_carry_the_app_icon(xdesktop, tmp_path: Path) -> None:
    """``focusguard summary|review|settings`` on their own: each window hands the X server
    FocusGuard's icon (_NET_WM_ICON), so the task bar does not show a generic one."""
    import signal

    from xdesktop import wait_for

    config, db = tmp_path / "config.toml", tmp_path / "fg.db"
    with Store(db, max_gap=3 * 3600, flush_every=0) as store:
        record_busy_day(store, date.today())
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = dict(xdesktop.env, QT_QPA_PLATFORM="xcb", XDG_RUNTIME_DIR=str(runtime), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    for command, title in (("summary", "FocusGuard summary"), ("review", "FocusGuard 30-day review"),
                           ("settings", "FocusGuard settings")):
        proc = subprocess.Popen([sys.executable, "-m", "focusguard", "--config", str(config), "--db", str(db),
                                 command], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            found: list[str] = []

            def shown(proc=proc, found=found, title=title) -> bool:
                assert proc.poll() is None, proc.communicate()[0]
                found[:] = xdesktop.search("--onlyvisible", "--name", f"^{title}$")
                return bool(found)

            wait_for(shown, f"the {command} window", timeout=20)
            icon = subprocess.run(["xprop", "-id", found[0], "_NET_WM_ICON"], env=env, capture_output=True,
                                  text=True, timeout=15).stdout
            # FocusGuard's icon comes in every size of ui.icons.SIZES; Qt's generic one is a lone 48 x 48
            sizes = {line.strip().removeprefix("_NET_WM_ICON(CARDINAL) = ").strip()
                     for line in icon.splitlines() if "Icon (" in line}
            assert {"Icon (16 x 16):", "Icon (64 x 64):"} <= sizes, f"{command}: {sorted(sizes)}"
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# --- run as a script under a real X server ---------------------------------------------------


def _windows(tmp: Path):
    """Each window name -> a function that shows it (and returns the top-level widget)."""
    from focusguard.core.config import STARTER_CONFIG
    from focusguard.core.figures import review_period
    from focusguard.platform.autostart import XdgAutostart
    from focusguard.ui.about import AboutDialog, DataLocations
    from focusguard.ui.declare import DeclareDialog
    from focusguard.ui.review_window import ReviewWindow
    from focusguard.ui.settings import SettingsContext, SettingsWindow
    from focusguard.ui.summary_window import SummaryWindow

    today = date.today()
    store = Store(tmp / "fg.db", max_gap=3 * 3600, flush_every=0)
    for back in (3, 2, 1):
        record_busy_day(store, today - timedelta(days=back))
    config = tmp / "config.toml"
    config.write_text(STARTER_CONFIG + EXTRA_CONFIG, encoding="utf-8")
    names = ["Sales", "Engineering", "Email", "Video", "Other productive work"]
    autostart = XdgAutostart(env={"XDG_CONFIG_HOME": str(tmp / "xdg")})

    def summary():
        w = SummaryWindow(Records(store), activities=names)
        w.show_day(today - timedelta(days=1))
        return w

    def review():
        w = ReviewWindow(Records(store))
        w.show_period(*review_period(today))
        return w

    def declare():
        w = DeclareDialog()
        w.populate(names, "Sales", "call three past customers")
        w.open_dialog()
        return w

    def about():
        w = AboutDialog(DataLocations(config, store.path, tmp / "logs"))
        w.open_dialog()
        return w

    def settings(title: str):
        def show():
            w = SettingsWindow(SettingsContext(config, Records(store), autostart=autostart))
            w.open_window()
            w.go_to(w.pages.index(w.page_named(title)))
            if title.startswith("Activities"):
                w.activities_page.list.setCurrentRow(w.activities_page.names().index("Other productive work"))
            return w
        return show

    return {"summary": summary, "review": review, "declare": declare, "about": about,
            "settings-activities": settings("Activities and rules"), "settings-schedule": settings("Schedule"),
            "settings-privacy": settings("Privacy"), "settings-priority": settings("Priority")}


def _take_screenshots(out: Path) -> int:
    from focusguard.ui.qt import QtWidgets

    app = QtWidgets.QApplication(sys.argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    screen = app.primaryScreen().geometry()
    failures = []
    for name, show in _windows(out).items():
        window = show()
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:  # the window manager frames and places it
            app.processEvents()
            time.sleep(0.02)
        frame = window.frameGeometry()
        if not screen.contains(frame):
            failures.append(f"{name}: frame {frame.getRect()} is not inside the screen {screen.getRect()}")
        failures += [f"{name}: {problem}" for problem in cut_off(window)]
        window.grab().save(str(out / f"{name}.png"))
        app.primaryScreen().grabWindow(0).save(str(out / f"screen-{name}.png"))
        window.close()
        window.deleteLater()
        app.processEvents()
    print("\n".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(_take_screenshots(Path(sys.argv[1])))

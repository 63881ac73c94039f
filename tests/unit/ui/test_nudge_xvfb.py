"""The nudge's conversation on a real X server at 1366x768 (Xvfb + openbox + trayer):
every menu opens against its button where the X server has them (not where Qt's
cached position says), and a screenshot of each changed state for a person to look at.

Run as a script under Xvfb by the test (the test process itself draws offscreen). The
positions are read back with ``xwininfo``, a client of its own, so the check does not
trust the code it checks. Screenshots go to ``$FOCUSGUARD_NUDGE_SHOTS`` (default
``/tmp/nudge-shots``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SHOTS_DIR = Path(os.environ.get("FOCUSGUARD_NUDGE_SHOTS", "/tmp/nudge-shots"))
SCREEN = "1366x768x24"
STATES = [
    "1-productive-distraction-part-menu", "2-productive-distraction-part-menu",
    "3-productive-distraction-part-menu", "1-distraction", "1-what-is-this",
    "1-what-is-this-productive-menu", "1-what-is-this-naming", "1-what-is-this-got-it",
    "2-what-is-this-part-menu",
]


@pytest.fixture(scope="module")
def desktop() -> Iterator[object]:
    sys.path.insert(0, str(Path(__file__).parents[2]))
    from xdesktop import XDesktop, missing_binaries

    missing = missing_binaries() + [p for p in ("xwininfo",) if shutil.which(p) is None]
    if missing:
        reason = f"needs {', '.join(missing)} (./scripts/test installs them)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the X desktop tests, but it {reason}")
        pytest.skip(reason)
    with XDesktop(screen=SCREEN) as fresh:
        yield fresh


@pytest.mark.xvfb
def test_menus_touch_their_buttons_and_every_state_is_shot(desktop, tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    tray = ",".join(map(str, desktop.tray_geometry()))
    env = dict(desktop.env, QT_QPA_PLATFORM="xcb")
    done = subprocess.run([sys.executable, __file__, str(shots), tray], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    checks = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert {c["state"] for c in checks if "menu" in c} == {s for s in STATES if "menu" in s}
    for check in checks:
        if "menu" not in check:
            continue
        bx, by, bw, bh = check["button"]
        mx, my, mw, mh = check["menu"]
        horizontal = mx <= bx + bw and bx <= mx + mw
        vertical = my == by + bh or my + mh == by  # right below, or right above
        assert horizontal and vertical, check
    assert sorted(f.name for f in shots.glob("*.png")) == sorted(f"nudge-{s}.png" for s in STATES)
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    for file in shots.glob("*.png"):
        (SHOTS_DIR / file.name).write_bytes(file.read_bytes())


# --------------------------------------------------------------------------- the script


def _x_geometry(window_id: int) -> tuple[int, int, int, int]:
    """Where the X server has a window: asked by xwininfo, not Qt."""
    text = subprocess.run(["xwininfo", "-id", str(window_id)], capture_output=True, text=True,
                          check=True).stdout

    def field(name: str) -> int:
        found = re.search(rf"{name}:\s+(-?\d+)", text)
        assert found, text
        return int(found[1])

    return (field("Absolute upper-left X"), field("Absolute upper-left Y"), field("Width"), field("Height"))


def _mislead_qt(window_id: int, width: int, height: int) -> None:
    """Tells the window, as a window manager would, that it sits at (0, 0) while it
    stays where it is: a synthetic ConfigureNotify, which Qt takes at its word. This
    is the stale position openbox and Xfce leave when they are busy as the first card
    maps (seen about 1,100 px off on a real desktop); made certain here, not a race."""
    import ctypes
    import ctypes.util

    class ConfigureEvent(ctypes.Structure):
        _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                    ("display", ctypes.c_void_p), ("event", ctypes.c_ulong), ("window", ctypes.c_ulong),
                    ("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int),
                    ("height", ctypes.c_int), ("border_width", ctypes.c_int), ("above", ctypes.c_ulong),
                    ("override_redirect", ctypes.c_int), ("pad", ctypes.c_long * 24)]

    x11 = ctypes.CDLL(ctypes.util.find_library("X11"))
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]
    x11.XFlush.argtypes = x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = x11.XOpenDisplay(None)
    event = ConfigureEvent(type=22, send_event=1, display=display, event=window_id, window=window_id,
                           x=0, y=0, width=width, height=height)  # 22: ConfigureNotify
    x11.XSendEvent(display, window_id, 0, 1 << 17, ctypes.byref(event))  # StructureNotifyMask
    x11.XFlush(display)
    x11.XCloseDisplay(display)


def _run(out: Path, tray: str) -> int:
    from focusguard.core.model import Classification, Kind
    from focusguard.ui.nudge import NudgeView, NudgeWindow
    from focusguard.ui.qt import QApplication, QPoint, QRect, Qt, QtWidgets

    app = QApplication(sys.argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    hint = QRect(*map(int, tray.split(",")))
    window = NudgeWindow()  # replaced by a new card at each show()

    def settle(seconds: float = 0.6) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shoot(state: str) -> None:
        settle()
        window.screen().grabWindow(0).save(str(out / f"nudge-{state}.png"))

    def show(**changes: object) -> None:
        fields = dict(classification=Classification.PRODUCTIVE_DISTRACTION, minutes=17, priority="Sales",
                      activity="Code", app="xterm", title="bash in ~/src", next_step="call three past customers",
                      level=1, snooze_minutes=10, off_priority_share_today="41 min",
                      productive_choices=("Code", "Writing"), distraction_choices=("Video",))
        nonlocal window  # a new card each time, as a fresh process shows its first
        window.hide()
        window.deleteLater()
        window = NudgeWindow()
        window.show_nudge(NudgeView(**(fields | changes)), tray_hint=hint)

    def open_menu(state: str, button: QtWidgets.QPushButton, menu: QtWidgets.QMenu) -> None:
        settle()
        if window.windowHandle().flags() & Qt.WindowType.Tool:  # not level 3's full screen
            _mislead_qt(int(window.winId()), window.width(), window.height())
            settle(0.3)
            assert window.pos() == QPoint(0, 0), "Qt did not take the stale position"
        button.click()
        settle()
        x, y, _, _ = _x_geometry(int(window.winId()))
        offset = button.mapTo(window, QPoint(0, 0))
        check = dict(state=state, button=[x + offset.x(), y + offset.y(), button.width(), button.height()],
                     menu=list(_x_geometry(int(menu.winId()))), qt_thought=[window.x(), window.y()])
        print(json.dumps(check), flush=True)
        shoot(state)
        menu.hide()

    other = subprocess.Popen(["xterm", "-T", "Other window"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # something under the card
    for level in (1, 2, 3):
        show(level=level)
        open_menu(f"{level}-productive-distraction-part-menu", window.part_button, window.part_menu)
    show(classification=Classification.DISTRACTION, activity="Video", title="YouTube — cats", number=1)
    shoot("1-distraction")
    what = dict(classification=Classification.UNCLASSIFIED, activity=None)
    show(**what)
    shoot("1-what-is-this")
    open_menu("1-what-is-this-productive-menu", window.productive_button, window.activity_menu)
    window._ask_name(Kind.PRODUCTIVE)
    window.name_edit.setText("Terminal work")
    shoot("1-what-is-this-naming")
    window._teach(Kind.PRODUCTIVE, "Code")
    window.acknowledge("Got it: xterm is now Code.")
    shoot("1-what-is-this-got-it")
    show(level=2, **what)
    open_menu("2-what-is-this-part-menu", window.part_choice_button, window.part_menu)
    other.kill()
    return 0


if __name__ == "__main__":
    sys.exit(_run(Path(sys.argv[1]), sys.argv[2]))

"""The GNOME probe against a real headless GNOME Shell (43 on Debian 12).

The shell starts once for the module (``GnomeDesktop``) with FocusGuard's extension
installed and enabled by ``focusguard setup gnome``; what the shell itself says
(org.gnome.Shell.Eval, through a test-only unsafe-mode extension) is the reference
the probe is checked against.
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from wldesktops import GnomeDesktop, require
from wlsession import UserSession, WlWindow

from focusguard.platform.wayland.bus import open_session_bus
from focusguard.platform.wayland.gnome import GnomeShellProbe
from focusguard.platform.wayland.gnome_setup import BUS_NAME, UUID, needs_setup
from focusguard.platform.wayland.mutter_idle import MutterIdleProbe
from focusguard.platform.window import ProbeUnavailable, WindowInfo


@pytest.fixture(scope="module")
def gnome() -> Iterator[GnomeDesktop]:
    require(GnomeDesktop)
    with GnomeDesktop() as desktop:
        yield desktop


@pytest.fixture(scope="module")
def windows(gnome: GnomeDesktop) -> dict[str, WlWindow]:
    return {"mail": gnome.open_window("Mail - Inbox", "org.example.Mail"),
            "sheet": gnome.open_window("Budget.ods - Sheets", "org.example.Sheets")}


@pytest.fixture
def probe(gnome: GnomeDesktop) -> Iterator[GnomeShellProbe]:
    probe = GnomeShellProbe.open(gnome.env)
    yield probe
    probe.close()


def pump(probe: GnomeShellProbe, check: Callable[[], bool], what: str, timeout: float = 5.0) -> int:
    """Dispatch events as the sampler does (when the socket is readable) until
    ``check()``; returns how many dispatches said the window changed."""
    changes, deadline = 0, time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; the probe says {probe.active_window()}")
        readable, _, _ = select.select([probe.fileno()], [], [], 0.1)
        if readable and probe.dispatch():
            changes += 1
    return changes


def titled(probe: GnomeShellProbe, title: str) -> Callable[[], bool]:
    return lambda: (probe.active_window() or WindowInfo("", "")).title == title


def test_setup_installs_and_the_shell_runs_the_extension(gnome: GnomeDesktop) -> None:
    assert "Log out and log in again once" in gnome.setup_output
    info = gnome.extension_info(UUID)
    assert info["state"] == 1, info  # ENABLED
    assert info["error"] == ""
    assert gnome.has_owner(BUS_NAME)


def test_probe_follows_focus_switches(gnome: GnomeDesktop, windows: dict[str, WlWindow],
                                      probe: GnomeShellProbe) -> None:
    assert probe.name == "GNOME Shell extension"
    app_ids = {"mail": "org.example.Mail", "sheet": "org.example.Sheets"}
    first, second = ("sheet", "mail") if gnome.active_title() == windows["mail"].title else ("mail", "sheet")
    for key in (first, second, first):  # each one a real switch
        window, app_id = windows[key], app_ids[key]
        gnome.focus(window.title)
        assert pump(probe, titled(probe, window.title), f"{window.title!r} in the probe") >= 1
        info = probe.active_window()
        assert info is not None
        assert gnome.active_title() == info.title == window.title
        assert info.wm_class == app_id
        assert info.pid == window.proc.pid
        assert info.app == psutil.Process(window.proc.pid).name()
        assert info.exe == psutil.Process(window.proc.pid).exe()
        assert info.fullscreen is False


def test_probe_follows_title_changes_of_the_focused_window(
        gnome: GnomeDesktop, windows: dict[str, WlWindow], probe: GnomeShellProbe) -> None:
    sheet = windows["sheet"]
    gnome.focus(sheet.title)
    pump(probe, titled(probe, sheet.title), "the focused sheet")
    new_title = "Budget (1).ods – Sheets ✨"
    gnome.set_title(sheet, new_title)
    assert pump(probe, titled(probe, new_title), "the new title") == 1


def test_dispatch_with_nothing_waiting_returns_at_once_and_says_no_change(
        gnome: GnomeDesktop, windows: dict[str, WlWindow], probe: GnomeShellProbe) -> None:
    pump(probe, lambda: not select.select([probe.fileno()], [], [], 0.3)[0], "the events to settle")
    before = probe.active_window()
    start = time.perf_counter()
    assert probe.dispatch() is False
    assert time.perf_counter() - start < 0.05
    assert probe.active_window() == before
    assert before is not None and before.title == gnome.active_title()


def test_activate_brings_the_chosen_window_to_the_front(
        gnome: GnomeDesktop, windows: dict[str, WlWindow], probe: GnomeShellProbe) -> None:
    mail, sheet = windows["mail"], windows["sheet"]
    gnome.focus(sheet.title)
    pump(probe, titled(probe, sheet.title), "the sheet focused")
    assert probe.activate(lambda w: w.wm_class == "org.example.Mail") is True
    pump(probe, titled(probe, mail.title), "the mail window activated")
    assert gnome.active_title() == mail.title
    assert probe.activate(lambda w: w.title == "no such window") is False
    assert gnome.active_title() == mail.title


def test_disabled_extension_is_explained_and_picked_up_again(
        gnome: GnomeDesktop, windows: dict[str, WlWindow], probe: GnomeShellProbe) -> None:
    mail = windows["mail"]
    gnome.focus(mail.title)
    pump(probe, titled(probe, mail.title), "the mail window")
    gnome.run(["gnome-extensions", "disable", UUID])
    try:
        pump(probe, lambda: probe.active_window() is None, "the probe to lose the extension")
        assert probe.activate(lambda w: True) is False
        with pytest.raises(ProbeUnavailable) as err:
            GnomeShellProbe.open(gnome.env)
        assert "installed but not enabled" in err.value.why
        assert "focusguard setup gnome" in err.value.why
        assert needs_setup(gnome.env), "the welcome would not offer the setup"
    finally:
        again = gnome.run([*gnome.focusguard, "setup", "gnome"]).stdout
    assert "Already installed" in again and "GNOME Shell is running it" in again
    pump(probe, titled(probe, mail.title), "the probe to pick the extension up again")
    assert not needs_setup(gnome.env)


def test_open_outside_gnome_says_so() -> None:
    require(GnomeDesktop)
    with UserSession() as session, pytest.raises(ProbeUnavailable, match="not a GNOME session"):
        GnomeShellProbe.open(session.env)  # a session bus with no GNOME Shell on it


def test_mutter_idle_probe_is_told_when_the_user_goes_and_comes_back(gnome: GnomeDesktop) -> None:
    """The watches, not a question per sample: idle once the timeout passed without
    input, and the time since; back to 0 at the next input."""
    gnome.poke_input()
    idle = MutterIdleProbe(open_session_bus(gnome.env), timeout=1.0)
    try:
        assert idle.idle_seconds() == 0.0
        readable, _, _ = select.select([idle.fileno()], [], [], 5.0)  # the idle watch fires
        assert readable and idle.dispatch()
        time.sleep(0.5)
        away = idle.idle_seconds()
        assert away is not None and away >= 1.5
        gnome.poke_input()
        readable, _, _ = select.select([idle.fileno()], [], [], 5.0)  # the user-active watch
        assert readable and idle.dispatch()
        assert idle.idle_seconds() == 0.0
    finally:
        idle.close()


def test_mutter_idle_probe_says_why_outside_gnome() -> None:
    require(GnomeDesktop)
    with UserSession() as session, pytest.raises(ProbeUnavailable, match="IdleMonitor does not answer"):
        MutterIdleProbe.open(session.env)  # a session bus with no GNOME Shell on it


def test_screenshot_shows_the_focused_window_on_the_whole_monitor(
        gnome: GnomeDesktop, windows: dict[str, WlWindow], tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    gnome.focus(windows["mail"].title)
    x, y, width, height = gnome.eval(
        "(() => { const r = global.display.focus_window.get_frame_rect(); return [r.x, r.y, r.width, r.height]; })()")
    image = QImage(str(gnome.screenshot(tmp_path / "gnome.png")))
    assert (image.width(), image.height()) == (1280, 800)
    assert image.pixelColor(x + width // 2, y + height // 2).lightness() > 200  # the light window
    assert image.pixelColor(2, 790).lightness() < 120  # the dark desktop around it


def test_the_shell_logged_no_error_from_the_extension(gnome: GnomeDesktop,
                                                      windows: dict[str, WlWindow]) -> None:
    """Runs last: every enable, disable, focus and title change above left no trace
    of a JavaScript error or a stale signal handler in the shell's log."""
    log = gnome.log_text("gnome-shell.log")
    problems = [line for line in log.splitlines()
                if "JS ERROR" in line or "JS WARNING" in line or UUID in line or "FocusPublisher" in line]
    assert problems == []

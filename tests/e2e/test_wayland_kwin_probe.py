"""The KWin probe against a real headless KWin (5.27 on Debian 12, 6 on Debian 13):
the windows are real native Wayland windows (tests/wlwindow.py), focus moves through
KWin, and what the probe reports is checked against what KWin itself says (through
the desktop's own one-shot scripts, not the probe's)."""

from __future__ import annotations

import itertools
import select
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from wldesktops import KWinDesktop, require
from wlsession import ScreenshotUnavailable, WlWindow, wait_for

from focusguard.platform.wayland.idle import WaylandIdleProbe
from focusguard.platform.wayland.kwin import KWinProbe
from focusguard.platform.window import WindowInfo, read_process

_names = itertools.count(1)


@pytest.fixture(scope="module")
def kwin() -> Iterator[KWinDesktop]:
    require(KWinDesktop)
    with KWinDesktop() as desktop:
        yield desktop


@pytest.fixture
def windows(kwin: KWinDesktop) -> Iterator[Callable[[str], tuple[str, WlWindow]]]:
    """``open(label)``: a window with a title and app id unique in the module, closed
    after the test."""
    opened: list[WlWindow] = []

    def open_window(label: str) -> tuple[str, WlWindow]:
        n = next(_names)
        title = f"{label} {n} – Notes ✨"
        window = kwin.open_window(title, f"org.example.{label.lower()}{n}")
        opened.append(window)
        return title, window

    yield open_window
    for window in opened:
        kwin.close_window(window)


@pytest.fixture
def probe(kwin: KWinDesktop) -> Iterator[KWinProbe]:
    opened = KWinProbe.open(kwin.env)
    yield opened
    opened.close()


def readable(probe: KWinProbe, timeout: float) -> bool:
    ready, _, _ = select.select([probe.fileno()], [], [], timeout)
    return bool(ready)


def wait_change(probe: KWinProbe, timeout: float = 5.0) -> bool:
    """Dispatch reports as they come until one changes the active window."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if readable(probe, left) and probe.dispatch():
            return True
    return False


def settle(probe: KWinProbe) -> None:
    while readable(probe, 0.3):
        probe.dispatch()


def shows(info: WindowInfo | None, title: str, window: WlWindow) -> bool:
    """The probe names the window's process (KWin knows the pid of a Wayland client)
    and keeps the app id as the class."""
    process = read_process(window.proc.pid)
    assert process is not None
    return (info is not None and info.title == title and info.pid == window.proc.pid
            and info.app == process.name and info.exe == process.exe and info.wm_class == window.app_id
            and not info.fullscreen)


def test_probe_reads_the_active_window_at_start_then_follows_focus_and_titles(
        kwin: KWinDesktop, windows) -> None:
    first_title, first = windows("Mail")
    second_title, second = windows("Docs")  # a new window takes the focus
    assert kwin.active_title() == second_title
    probe = KWinProbe.open(kwin.env)
    try:
        assert probe.name == "KWin script"
        assert shows(probe.active_window(), second_title, second), probe.active_window()

        kwin.focus(first_title)
        assert wait_change(probe), "no change reported after a focus switch"
        assert shows(probe.active_window(), first_title, first), probe.active_window()

        kwin.set_title(first, "Inbox (3) – Mail")
        assert wait_change(probe), "no change reported after the active window was retitled"
        assert shows(probe.active_window(), "Inbox (3) – Mail", first), probe.active_window()
    finally:
        probe.close()


def test_new_and_closed_windows_are_reported(kwin: KWinDesktop, windows, probe: KWinProbe) -> None:
    kept_title, kept = windows("Editor")
    settle(probe)
    fresh = kwin.open_window("Fresh – Terminal", "org.example.fresh")
    assert wait_change(probe), "a new window took the focus, but no change was reported"
    assert shows(probe.active_window(), "Fresh – Terminal", fresh), probe.active_window()
    kwin.close_window(fresh)
    assert wait_change(probe), "the active window closed, but no change was reported"
    assert kwin.active_title() == kept_title
    assert shows(probe.active_window(), kept_title, kept), probe.active_window()


def test_dispatch_reports_a_change_only_when_there_was_one(kwin: KWinDesktop, windows,
                                                            probe: KWinProbe) -> None:
    active_title, _ = windows("Chat")
    _background_title, background = windows("Music")
    kwin.focus(active_title)
    settle(probe)
    assert probe.active_window() is not None and probe.active_window().title == active_title
    assert not probe.dispatch(), "nothing happened, yet dispatch reported a change"

    kwin.set_title(background, "Now playing – Music")  # a report comes, for another window
    assert readable(probe, 5.0), "the retitle of a background window sent no report"
    changed = False
    while readable(probe, 0.3):
        changed |= probe.dispatch()
    assert not changed
    assert probe.active_window().title == active_title


def test_activate_brings_the_chosen_window_to_the_front(kwin: KWinDesktop, windows,
                                                        probe: KWinProbe) -> None:
    target_title, target = windows("Pipeline")
    other_title, _ = windows("News")
    settle(probe)
    assert kwin.active_title() == other_title

    assert probe.activate(lambda info: info.wm_class == target.app_id)
    wait_for(lambda: kwin.active_title() == target_title, "KWin to activate the window", timeout=5)
    settle(probe)
    assert shows(probe.active_window(), target_title, target), probe.active_window()
    # the one-shot script that did it is gone again
    wait_for(lambda: not kwin.script_loaded(f"{probe.plugin}_activate1"), "the one-shot script to unload",
             timeout=5)

    assert not probe.activate(lambda info: info.title == "no such window")
    assert kwin.active_title() == target_title


def test_close_unloads_the_script_and_gives_up_the_name(kwin: KWinDesktop, windows) -> None:
    windows("Spreadsheet")
    probe = KWinProbe.open(kwin.env)
    assert kwin.script_loaded(probe.plugin)
    probe.close()
    assert not kwin.script_loaded(probe.plugin)
    again = KWinProbe.open(kwin.env)  # same pid, same name and plugin: free again
    again.close()


def test_idle_time_on_kwin(kwin: KWinDesktop) -> None:
    """The idle probe (ext-idle-notify-v1 on KWin 5.27) sees the user go idle, and
    come back on input."""
    idle = WaylandIdleProbe.open(kwin.env, timeout=1.0)
    try:
        deadline = time.monotonic() + 5
        while (idle.idle_seconds() or 0) < 1.0 and time.monotonic() < deadline:
            if select.select([idle.fileno()], [], [], 0.2)[0]:
                idle.dispatch()
        assert (idle.idle_seconds() or 0) >= 1.0
        kwin.poke_input()
        deadline = time.monotonic() + 5
        while idle.idle_seconds() != 0.0 and time.monotonic() < deadline:
            if select.select([idle.fileno()], [], [], 0.2)[0]:
                idle.dispatch()
        assert idle.idle_seconds() == 0.0
    finally:
        idle.close()


def test_screenshot_shows_the_workspace(kwin: KWinDesktop, windows, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    windows("Shot")
    try:
        shot = kwin.screenshot(tmp_path / "kwin.png")
    except ScreenshotUnavailable as err:  # the machine lacks a GPU device, not a package
        pytest.skip(str(err))
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)
    assert image.pixelColor(640, 400) != image.pixelColor(5, 5)  # a window over the background

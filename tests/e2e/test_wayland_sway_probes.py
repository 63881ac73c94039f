"""The sway and wlroots probes against a real headless sway: the windows are real foot
terminals, focus moves through sway, and what the probes report is checked against
what sway itself says (swaymsg)."""

from __future__ import annotations

import itertools
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from wldesktops import SwayDesktop, SwayWindow, require

from focusguard.platform.wayland.idle import WaylandIdleProbe
from focusguard.platform.wayland.sway import SwayProbe
from focusguard.platform.wayland.wlr import WlrToplevelProbe
from focusguard.platform.window import WindowInfo

PROBES = {"sway": SwayProbe, "wlr": WlrToplevelProbe}
_names = itertools.count(1)


@pytest.fixture(scope="module")
def sway() -> Iterator[SwayDesktop]:
    require(SwayDesktop)
    with SwayDesktop() as desktop:
        yield desktop


@pytest.fixture
def windows(sway: SwayDesktop) -> Iterator[Callable[[str], tuple[str, SwayWindow]]]:
    """``open(label)``: a window with a title and app id unique in the module, closed
    after the test (so the next test starts from sway's own state, not ours)."""
    opened: list[SwayWindow] = []

    def open_window(label: str) -> tuple[str, SwayWindow]:
        n = next(_names)
        title = f"{label} {n} – Notes ✨"
        window = sway.open_window(title, f"org.example.{label.lower()}{n}")
        opened.append(window)
        return title, window

    yield open_window
    for window in opened:
        sway.close_window(window)


def readable(probe: object, timeout: float) -> bool:
    ready, _, _ = select.select([probe.fileno()], [], [], timeout)  # type: ignore[attr-defined]
    return bool(ready)


def wait_change(probe: object, timeout: float = 5.0) -> bool:
    """Dispatch events as they come until one changes the active window."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if readable(probe, left) and probe.dispatch():  # type: ignore[attr-defined]
            return True
    return False


def settle(probe: object) -> None:
    """Dispatch what is still on its way (events trail sway's replies a little)."""
    while readable(probe, 0.3):
        probe.dispatch()  # type: ignore[attr-defined]


def expect(kind: str, title: str, window: SwayWindow) -> Callable[[WindowInfo | None], bool]:
    """What each probe should say about ``window``: sway knows the process, the
    protocol only the app id."""
    def check(info: WindowInfo | None) -> bool:
        if info is None or info.title != title:
            return False
        if kind == "sway":
            return info.app == "foot" and info.pid == window.proc.pid and info.exe.endswith("foot")
        return info.app == window.app_id and info.pid is None
    return check


@pytest.fixture(params=sorted(PROBES))
def probe(request: pytest.FixtureRequest, sway: SwayDesktop) -> Iterator[tuple[str, object]]:
    opened = PROBES[request.param].open(sway.env)
    yield request.param, opened
    opened.close()


def test_probe_follows_focus_and_title_changes(sway: SwayDesktop, windows, probe) -> None:
    kind, p = probe
    first_title, first = windows("Mail")
    second_title, second = windows("Docs")  # a new window takes the focus
    assert wait_change(p)
    settle(p)
    assert sway.active_title() == second_title
    assert expect(kind, second_title, second)(p.active_window())

    sway.focus(first_title)
    assert wait_change(p), "no change reported after a focus switch"
    assert expect(kind, first_title, first)(p.active_window()), p.active_window()

    sway.set_title(first, "Inbox (3) – Mail")
    assert wait_change(p), "no change reported after the active window was retitled"
    assert expect(kind, "Inbox (3) – Mail", first)(p.active_window()), p.active_window()


def test_dispatch_reports_a_change_only_when_there_was_one(sway: SwayDesktop, windows, probe) -> None:
    _kind, p = probe
    active_title, _ = windows("Chat")
    _background_title, background = windows("Music")
    sway.focus(active_title)
    settle(p)
    before = p.active_window()
    assert before is not None and before.title == active_title
    assert not p.dispatch(), "nothing happened, yet dispatch reported a change"

    sway.set_title(background, "Now playing – Music")  # events come, for another window
    assert readable(p, 5.0), "the retitle of a background window sent no event"
    changed = False
    while readable(p, 0.3):
        changed |= p.dispatch()
    assert not changed
    assert p.active_window() == before


def test_full_screen_is_reported(sway: SwayDesktop, windows, probe) -> None:
    _kind, p = probe
    title, _ = windows("Film")
    settle(p)
    sway.swaymsg("command", "fullscreen enable")
    assert wait_change(p)
    info = p.active_window()
    assert info is not None and info.title == title and info.fullscreen
    sway.swaymsg("command", "fullscreen disable")
    assert wait_change(p)
    assert not p.active_window().fullscreen


def test_closing_the_active_window_moves_to_the_next_one(sway: SwayDesktop, windows, probe) -> None:
    kind, p = probe
    stay_title, stay = windows("Editor")
    _, leaving = windows("Popup")
    settle(p)
    sway.close_window(leaving)
    assert wait_change(p)
    settle(p)
    assert sway.active_title() == stay_title
    assert expect(kind, stay_title, stay)(p.active_window())


def test_activate_brings_the_chosen_window_to_the_front(sway: SwayDesktop, windows, probe) -> None:
    kind, p = probe
    priority_title, priority = windows("CRM")
    distraction_title, _ = windows("Video")
    settle(p)
    assert sway.active_title() == distraction_title

    assert p.activate(lambda info: info.title == priority_title)
    deadline = time.monotonic() + 5
    while sway.active_title() != priority_title and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sway.active_title() == priority_title
    assert wait_change(p)
    assert expect(kind, priority_title, priority)(p.active_window())

    assert not p.activate(lambda info: info.title == "no such window")
    time.sleep(0.2)
    assert sway.active_title() == priority_title


def test_probes_in_one_process_keep_their_own_connections(sway: SwayDesktop, windows) -> None:
    """The idle probe and the toplevel probe each hold a Wayland connection; new
    toplevels (objects the compositor creates) must reach the right one, also after
    the other closes."""
    toplevels = WlrToplevelProbe.open(sway.env)
    idle = WaylandIdleProbe.open(sway.env)
    try:
        title, window = windows("Before")
        assert wait_change(toplevels)
        assert expect("wlr", title, window)(toplevels.active_window())
        idle.close()
        title, window = windows("After")
        assert wait_change(toplevels)
        assert expect("wlr", title, window)(toplevels.active_window())
    finally:
        toplevels.close()


def test_idle_after_the_timeout_and_active_after_input(sway: SwayDesktop) -> None:
    globals_offered = WaylandIdleProbe.open(sway.env, timeout=1.0)
    try:
        protocol = globals_offered.name
        assert protocol.startswith("ext-idle-notify-v1") or protocol == "org_kde_kwin_idle"
        sway.poke_input()
        time.sleep(0.2)
        assert globals_offered.idle_seconds() == 0.0

        assert readable(globals_offered, 5.0), "no idle event within 5 s of a 1 s timeout"
        assert globals_offered.dispatch()
        time.sleep(0.5)
        idle = globals_offered.idle_seconds()
        assert idle is not None and 1.4 <= idle < 3.0, idle

        sway.poke_input()
        assert readable(globals_offered, 5.0), "input sent no resumed event"
        assert globals_offered.dispatch()
        assert globals_offered.idle_seconds() == 0.0
    finally:
        globals_offered.close()


def test_idle_protocol_is_the_best_one_offered(sway: SwayDesktop) -> None:
    """ext-idle-notify-v1 wherever sway offers it (1.8 and later), so both protocol
    paths are exercised by whichever sway the machine has."""
    from focusguard.platform.wayland.connection import Connection

    connection = Connection(sway.env)
    offered = connection.offers("ext_idle_notifier_v1")
    connection.close()
    probe = WaylandIdleProbe.open(sway.env)
    try:
        expected = {0: "org_kde_kwin_idle", 1: "ext-idle-notify-v1"}.get(offered, "ext-idle-notify-v1 (input only)")
        assert probe.name == expected
    finally:
        probe.close()


def test_screenshot_shows_the_desktop(sway: SwayDesktop, windows, tmp_path: Path) -> None:
    windows("Shot")
    shot = sway.screenshot(tmp_path / "sway.png")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 800)


@pytest.mark.parametrize("probe", ["WaylandIdleProbe", "WlrToplevelProbe"])
def test_a_probe_left_unclosed_does_not_crash_the_process_at_exit(sway: SwayDesktop, probe: str) -> None:
    """A probe nobody closed (doctor, an error path) is cleaned up in the right order:
    its proxies before the display, or libwayland touches freed memory (SIGSEGV)."""
    module = "idle" if probe == "WaylandIdleProbe" else "wlr"
    code = (f"from focusguard.platform.wayland.{module} import {probe}\n"
            f"p = {probe}.open()\nimport gc\ndel p\ngc.collect()\nq = {probe}.open()\nprint('done')\n")
    done = subprocess.run([sys.executable, "-c", code], env=sway.env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (0, "done\n"), done.stderr

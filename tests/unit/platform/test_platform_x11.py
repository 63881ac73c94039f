"""The real probes on a real X desktop (Xvfb + openbox), driven by xdotool.

The window probe is told of changes by the X server: these tests check that it
sees switches and retitling through events alone, and stays quiet otherwise.
"""

from __future__ import annotations

import itertools
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from xdesktop import XDesktop, wait_for

from focusguard.platform.idle import X11IdleProbe
from focusguard.platform.probes import make_idle_probe, make_window_probe
from focusguard.platform.window import WindowInfo, is_event_source
from focusguard.platform.x11 import X11EventProbe
from focusguard.platform.xsync import XSyncIdleProbe

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 only"),
]

_titles = itertools.count()


@pytest.fixture
def x_env(xdesktop: XDesktop, monkeypatch: pytest.MonkeyPatch) -> XDesktop:
    monkeypatch.setenv("DISPLAY", xdesktop.display)
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return xdesktop


@pytest.fixture
def probe(x_env: XDesktop) -> Iterator[X11EventProbe]:
    made = make_window_probe()
    assert isinstance(made, X11EventProbe), made
    yield made
    made.close()


@pytest.fixture
def open_window(x_env: XDesktop) -> Iterator[Callable[[str], str]]:
    """Opens xterms with unique titles (a suffix is added); closes them afterwards."""
    opened: list[str] = []

    def open_(title: str) -> str:
        title = f"{title} #{next(_titles)}"
        x_env.open_window(title)
        x_env.activate(title)
        opened.append(title)
        return title

    yield open_
    for title in opened:
        x_env.close_window(title)


def active(probe: X11EventProbe) -> WindowInfo:
    info = probe.active_window()
    assert info is not None
    return info


def test_reads_the_active_xterm(probe: X11EventProbe, open_window, x_env: XDesktop) -> None:
    title = open_window("Quarterly report")
    info = active(probe)
    assert info.title == title
    assert info.app == "xterm"
    assert Path(info.exe).name == "xterm" and os.path.isabs(info.exe)
    assert info.pid == x_env.pid(title)
    assert info.wm_class == "xterm.XTerm"
    assert info.fullscreen is False


def test_follows_windowactivate_switches(
    probe: X11EventProbe, open_window, x_env: XDesktop
) -> None:
    first, second = open_window("Mail"), open_window("Editor")
    assert active(probe).title == second
    for title in (first, second, first):
        x_env.activate(title)
        assert active(probe).title == title


@pytest.mark.parametrize(
    "title",
    [
        "Launch 🚀 party ✨ planning",
        "Café crème — naïve résumé",  # Latin-1 COMPOUND_TEXT: pywinctl's own title raises here
        "Привет, мир",
        'He said "don\'t" `now` $HOME \\ done',
        "long " + "x" * 3000,
    ],
    ids=["emoji", "latin1", "cyrillic", "quotes", "very-long"],
)
def test_odd_titles(probe: X11EventProbe, open_window, title: str) -> None:
    shown = open_window(title)
    assert active(probe).title == shown


def test_utf8_net_wm_name_wins_over_wm_name(
    probe: X11EventProbe, open_window, x_env: XDesktop
) -> None:
    title = open_window("plain")
    x_env.set_title(title, "Ünïcode 🦊 title")
    assert active(probe).title == "Ünïcode 🦊 title"
    x_env.set_title("Ünïcode 🦊 title", title)  # so the fixture can close it


def test_fullscreen_state(probe: X11EventProbe, open_window, x_env: XDesktop) -> None:
    title = open_window("Slides")
    window = x_env.window_id(title)
    subprocess.run(
        ["wmctrl", "-i", "-r", window, "-b", "add,fullscreen"], env=x_env.env, check=True
    )
    wait_for(lambda: active(probe).fullscreen, "the window to go full screen")
    subprocess.run(
        ["wmctrl", "-i", "-r", window, "-b", "remove,fullscreen"], env=x_env.env, check=True
    )
    wait_for(lambda: not active(probe).fullscreen, "the window to leave full screen")


def _set_pid(x_env: XDesktop, title: str, pid: int | None) -> None:
    """Rewrite _NET_WM_PID the way a sandboxed (Flatpak) app would publish it."""
    args = (
        ["-f", "_NET_WM_PID", "32c", "-set", "_NET_WM_PID", str(pid)]
        if pid
        else ["-remove", "_NET_WM_PID"]
    )
    subprocess.run(["xprop", "-id", x_env.window_id(title), *args], env=x_env.env, check=True)


@pytest.mark.parametrize("pid", ["none", "missing", "init"])
def test_untrustworthy_pid_falls_back_to_the_window_class(
    probe: X11EventProbe, open_window, x_env: XDesktop, pid: str
) -> None:
    title = open_window("Sandboxed")
    fake = {"none": None, "missing": max(psutil.pids()) + 100_000, "init": 1}[pid]
    _set_pid(x_env, title, fake)
    info = active(probe)
    assert (info.app, info.exe, info.pid, info.title) == ("XTerm", "", None, title)


def test_activate_brings_a_window_back(probe: X11EventProbe, open_window, x_env: XDesktop) -> None:
    priority, distraction = open_window("Priority doc"), open_window("Video site")
    assert active(probe).title == distraction
    assert probe.activate(lambda w: w.title == priority)
    wait_for(
        lambda: x_env.active_window_id() == x_env.window_id(priority), "the window to come back"
    )
    assert active(probe).title == priority
    assert not probe.activate(lambda w: w.title == "no such window")


def test_wayland_session_uses_xwayland_and_warns(x_env: XDesktop, open_window, monkeypatch) -> None:
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    probe = make_window_probe()
    assert "only XWayland windows" in probe.warning  # type: ignore[attr-defined]
    title = open_window("XWayland app")
    assert active(probe).title == title  # type: ignore[arg-type]


def test_screensaver_idle_grows_and_resets_on_input(x_env: XDesktop) -> None:
    """MIT-SCREEN-SAVER, the fallback where the server has no IDLETIME alarms."""
    probe = X11IdleProbe.open()
    try:
        x_env.mouse_nudge()
        before = probe.idle_seconds()
        assert before is not None
        time.sleep(1.2)
        grown = probe.idle_seconds()
        assert grown is not None and grown >= before + 1.0
        x_env.mouse_nudge()
        reset = probe.idle_seconds()
        assert reset is not None and reset < grown - 0.9
    finally:
        probe.close()


def test_the_idle_probe_is_told_by_sync_alarms(x_env: XDesktop) -> None:
    made = make_idle_probe()
    assert isinstance(made, XSyncIdleProbe)
    assert is_event_source(made)
    made.close()


def test_sync_alarms_say_away_and_back_and_nothing_in_between(x_env: XDesktop) -> None:
    probe = XSyncIdleProbe.open(threshold=1.0)
    try:
        x_env.mouse_nudge()
        while readable(probe, 0.3):  # a nudge may have ended an absence that began earlier
            probe.dispatch()
        assert probe.idle_seconds() == 0.0
        sent = probe._display.display.request_serial
        for _ in range(50):  # while the user is active, asking costs no request
            assert probe.idle_seconds() == 0.0
        assert probe._display.display.request_serial == sent
        assert readable(probe, 3.0) and probe.dispatch()  # away for a second: told
        away = probe.idle_seconds()
        assert away is not None and 1.0 <= away < 1.5
        time.sleep(0.5)
        assert probe.idle_seconds() >= away + 0.5  # counted on without asking
        assert not readable(probe, 0.2)
        x_env.mouse_nudge()
        assert readable(probe, 3.0) and probe.dispatch()  # back: told
        assert probe.idle_seconds() == 0.0
        assert readable(probe, 3.0) and probe.dispatch()  # and the alarm is armed again
        assert probe.idle_seconds() >= 1.0
    finally:
        probe.close()


def test_the_window_probe_needs_no_xrandr(x_env: XDesktop, tmp_path: Path) -> None:
    """pymonctl calls sys.exit(1) at import time without xrandr: the X11 probe does not
    use pywinctl and works, and importing pywinctl still explains itself. In a child
    process whose PATH holds everything on ours except xrandr."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        for entry in Path(directory).glob("*") if os.path.isdir(directory) else ():
            link = bin_dir / entry.name
            if entry.name != "xrandr" and not link.exists() and os.access(entry, os.X_OK):
                link.symlink_to(entry)
    script = (
        "from focusguard.platform.probes import make_window_probe\n"
        "from focusguard.platform.window import ProbeUnavailable, import_pywinctl\n"
        "print(make_window_probe().name)\n"
        "try:\n    import_pywinctl()\nexcept ProbeUnavailable as e:\n    print(e)\n"
    )
    env = dict(x_env.env, PATH=str(bin_dir))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert lines[0] == "X11 (EWMH events)"
    assert lines[1].startswith("window probe unavailable: pywinctl stopped while loading")


# --- events -------------------------------------------------------------------------


def readable(probe: X11EventProbe, timeout: float) -> bool:
    return bool(select.select([probe.fileno()], [], [], timeout)[0])


def wait_for_event(probe: X11EventProbe, what: str) -> None:
    """Like the sampler: wait on the socket, dispatch when readable, until a change."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if readable(probe, 0.2) and probe.dispatch():
            return
    raise AssertionError(f"no event told of {what}")


def quiet(probe: X11EventProbe) -> None:
    """Take in whatever is still on its way, then nothing is left."""
    while readable(probe, 0.3):
        probe.dispatch()


def test_is_an_event_source_on_the_display_socket(probe: X11EventProbe) -> None:
    assert is_event_source(probe)
    assert probe.fileno() == probe._display.fileno()


def test_switches_and_retitling_arrive_as_events(probe: X11EventProbe, open_window, x_env: XDesktop) -> None:
    first, second = open_window("Mail"), open_window("Editor")
    probe.active_window()
    quiet(probe)
    assert not probe.dispatch()  # nothing changed: nothing to say
    x_env.activate(first)
    wait_for_event(probe, "the switch")
    assert active(probe).title == first
    x_env.set_title(first, "Mail - 3 unread")
    wait_for_event(probe, "the new title")
    assert active(probe).title == "Mail - 3 unread"
    x_env.set_title("Mail - 3 unread", first)
    wait_for_event(probe, "the title put back")
    x_env.activate(second)
    wait_for_event(probe, "the switch back")
    assert active(probe).title == second


def test_nothing_is_read_while_nothing_changes(probe: X11EventProbe, open_window) -> None:
    """Between events active_window() makes no request: the connection's request
    counter stays put over a hundred calls."""
    title = open_window("Still")
    assert active(probe).title == title
    quiet(probe)
    sent = probe._display.display.request_serial
    for _ in range(100):
        assert active(probe).title == title
    assert probe._display.display.request_serial == sent
    assert not readable(probe, 0.5)


def test_a_background_window_retitling_says_nothing(probe: X11EventProbe, open_window, x_env: XDesktop) -> None:
    background, front = open_window("Build log"), open_window("Editor")
    assert active(probe).title == front
    quiet(probe)
    x_env.set_title(background, "Build log - done")
    while readable(probe, 0.5):
        assert not probe.dispatch()
    assert active(probe).title == front
    x_env.set_title("Build log - done", background)

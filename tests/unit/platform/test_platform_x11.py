"""The real probes on a real X desktop (Xvfb + openbox), driven by xdotool.

pywinctl binds to the display it was first imported with, so these tests point
DISPLAY at the session's Xvfb before anything imports it.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from xdesktop import XDesktop, wait_for

from focusguard.platform.idle import X11IdleProbe, make_idle_probe
from focusguard.platform.window import PyWinCtlProbe, WindowInfo, make_window_probe

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
def probe(x_env: XDesktop) -> PyWinCtlProbe:
    made = make_window_probe()
    assert isinstance(made, PyWinCtlProbe), made
    return made


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


def active(probe: PyWinCtlProbe) -> WindowInfo:
    info = probe.active_window()
    assert info is not None
    return info


def test_reads_the_active_xterm(probe: PyWinCtlProbe, open_window, x_env: XDesktop) -> None:
    title = open_window("Quarterly report")
    info = active(probe)
    assert info.title == title
    assert info.app == "xterm"
    assert Path(info.exe).name == "xterm" and os.path.isabs(info.exe)
    assert info.pid == x_env.pid(title)
    assert info.wm_class == "xterm.XTerm"
    assert info.fullscreen is False


def test_follows_windowactivate_switches(
    probe: PyWinCtlProbe, open_window, x_env: XDesktop
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
def test_odd_titles(probe: PyWinCtlProbe, open_window, title: str) -> None:
    shown = open_window(title)
    assert active(probe).title == shown


def test_utf8_net_wm_name_wins_over_wm_name(
    probe: PyWinCtlProbe, open_window, x_env: XDesktop
) -> None:
    title = open_window("plain")
    x_env.set_title(title, "Ünïcode 🦊 title")
    assert active(probe).title == "Ünïcode 🦊 title"
    x_env.set_title("Ünïcode 🦊 title", title)  # so the fixture can close it


def test_fullscreen_state(probe: PyWinCtlProbe, open_window, x_env: XDesktop) -> None:
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
    probe: PyWinCtlProbe, open_window, x_env: XDesktop, pid: str
) -> None:
    title = open_window("Sandboxed")
    fake = {"none": None, "missing": max(psutil.pids()) + 100_000, "init": 1}[pid]
    _set_pid(x_env, title, fake)
    info = active(probe)
    assert (info.app, info.exe, info.pid, info.title) == ("XTerm", "", None, title)


def test_activate_brings_a_window_back(probe: PyWinCtlProbe, open_window, x_env: XDesktop) -> None:
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


def test_x11_idle_grows_and_resets_on_input(x_env: XDesktop) -> None:
    probe = make_idle_probe()
    assert isinstance(probe, X11IdleProbe)
    x_env.mouse_nudge()
    before = probe.idle_seconds()
    assert before is not None
    time.sleep(1.2)
    grown = probe.idle_seconds()
    assert grown is not None and grown >= before + 1.0
    x_env.mouse_nudge()
    reset = probe.idle_seconds()
    assert reset is not None and reset < grown - 0.9


def test_missing_xrandr_is_explained(x_env: XDesktop, tmp_path: Path) -> None:
    """pymonctl calls sys.exit(1) at import time without xrandr, so this runs in a
    child process whose PATH holds everything on ours except xrandr."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        for entry in Path(directory).glob("*") if os.path.isdir(directory) else ():
            link = bin_dir / entry.name
            if entry.name != "xrandr" and not link.exists() and os.access(entry, os.X_OK):
                link.symlink_to(entry)
    script = (
        "from focusguard.platform.window import (\n"
        "    ProbeUnavailable, import_pywinctl, make_window_probe)\n"
        "for attempt in (lambda: make_window_probe().active_window(), import_pywinctl):\n"
        "    try:\n        attempt()\n    except ProbeUnavailable as e:\n        print(e)\n"
    )
    env = dict(x_env.env, PATH=str(bin_dir))
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert lines[0] == (
        "window probe unavailable: the xrandr program is missing (install x11-xserver-utils)"
    )
    assert lines[1].startswith("window probe unavailable: pywinctl stopped while loading")

"""The window probe's logic, against fake pywinctl windows and fake processes."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from types import SimpleNamespace

import psutil
import pytest
import Xlib.error

from focusguard.platform import window as window_module
from focusguard.platform.probes import make_window_probe
from focusguard.platform.window import (
    ProbeUnavailable,
    ProcessCache,
    ProcessInfo,
    PyWinCtlProbe,
    PyWinCtlWindows,
    UnavailableWindowProbe,
    WindowInfo,
    covers,
    decode_compound_text,
    owns_window,
    read_process,
)

SCREEN = (0, 0, 1920, 1080)


def bad_window() -> Xlib.error.BadWindow:
    """What python-xlib raises when a window is destroyed under a request."""
    no_display = SimpleNamespace(get_resource_class=lambda name: None)
    return Xlib.error.BadWindow(no_display, bytes([0, 3]) + bytes(30))


@dataclass
class FakeWin:
    """Quacks like a pywinctl Window."""

    title: str
    pid: int | None
    box: tuple[int, int, int, int] = (100, 100, 800, 600)
    fail: BaseException | None = None
    activated: int = field(default=0)

    @property
    def left(self) -> int:
        return self.box[0]

    @property
    def top(self) -> int:
        return self.box[1]

    @property
    def width(self) -> int:
        return self.box[2]

    @property
    def height(self) -> int:
        return self.box[3]

    def getPID(self) -> int | None:  # pywinctl's name
        if self.fail is not None:
            raise self.fail
        return self.pid

    def activate(self, wait: bool = False) -> bool:
        self.activated += 1
        return False


def fake_processes(table: dict[int, ProcessInfo]) -> ProcessCache:
    def created(pid: int) -> float:
        if pid not in table:
            raise psutil.NoSuchProcess(pid)
        return 1.0

    return ProcessCache(reader=table.get, created=created)


def me(
    pid: int = 4242, name: str = "firefox", exe: str = "/usr/lib/firefox/firefox"
) -> ProcessInfo:
    return ProcessInfo(pid, name, exe, getattr(os, "getuid", lambda: None)(), 1000)


def probe_for(*wins: FakeWin, active: FakeWin | None = None, processes=None) -> PyWinCtlProbe:
    pywinctl = SimpleNamespace(getActiveWindow=lambda: active, getAllWindows=lambda: list(wins))
    return PyWinCtlProbe(
        PyWinCtlWindows(pywinctl, lambda: [SCREEN]),
        processes=processes or fake_processes({4242: me()}),
    )


def test_active_window_names_the_process_and_keeps_the_title() -> None:
    win = FakeWin("Sales pipeline — Mozilla Firefox", 4242)
    info = probe_for(win, active=win).active_window()
    assert info == WindowInfo("firefox", win.title, "/usr/lib/firefox/firefox", 4242, "", False)


def test_no_active_window_is_none() -> None:
    assert probe_for(active=None).active_window() is None


def test_a_window_closing_mid_read_skips_the_sample() -> None:
    win = FakeWin("gone", 4242, fail=bad_window())
    assert probe_for(win, active=win).active_window() is None


def test_a_pid_without_process_falls_back_to_no_app_rather_than_failing() -> None:
    win = FakeWin("Terminal", 999_999)
    info = probe_for(win, active=win).active_window()
    assert info is not None and (info.app, info.exe, info.pid) == ("", "", None)


def test_fullscreen_when_the_window_covers_a_screen() -> None:
    win = FakeWin("Game", 4242, box=(0, 0, 1920, 1080))
    info = probe_for(win, active=win).active_window()
    assert info is not None and info.fullscreen


def test_activate_picks_the_first_match_and_reports_no_match() -> None:
    mail, docs, docs2 = FakeWin("Inbox", 4242), FakeWin("Docs", 4242), FakeWin("Docs 2", 4242)
    probe = probe_for(mail, docs, docs2)
    assert probe.activate(lambda w: w.title.startswith("Docs"))
    assert (mail.activated, docs.activated, docs2.activated) == (0, 1, 0)
    assert not probe.activate(lambda w: w.title == "Spreadsheet")


def test_activate_skips_windows_that_vanish() -> None:
    gone = FakeWin("Docs (closing)", 4242, fail=bad_window())
    docs = FakeWin("Docs", 4242)
    assert probe_for(gone, docs).activate(lambda w: True)
    assert docs.activated == 1


def test_unavailable_probe_raises_with_the_reason_and_activates_nothing() -> None:
    probe = UnavailableWindowProbe("no X display (DISPLAY is not set)")
    with pytest.raises(ProbeUnavailable) as err:
        probe.active_window()
    assert str(err.value) == "window probe unavailable: no X display (DISPLAY is not set)"
    assert err.value.why == "no X display (DISPLAY is not set)"
    assert probe.activate(lambda w: True) is False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the X11 path")
def test_no_display_gives_a_probe_that_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    probe = make_window_probe()
    with pytest.raises(
        ProbeUnavailable, match=r"^window probe unavailable: no X display \(DISPLAY is not set\)$"
    ):
        probe.active_window()


# -- processes -------------------------------------------------------------------


def test_read_process_of_this_process() -> None:
    info = read_process(os.getpid())
    assert info is not None
    assert info.name == psutil.Process().name()
    assert os.path.samefile(info.exe, psutil.Process().exe())


def test_read_process_of_no_process_is_none() -> None:
    pid = max(psutil.pids()) + 10_000
    assert read_process(pid) is None


def test_process_cache_reads_once_per_process_and_notices_pid_reuse() -> None:
    reads: list[int] = []
    started = {7: 100.0}

    def reader(pid: int) -> ProcessInfo:
        reads.append(pid)
        return me(pid, name=f"app-started-{started[pid]}")

    cache = ProcessCache(reader=reader, created=started.__getitem__)
    assert cache.lookup(7).name == "app-started-100.0"  # type: ignore[union-attr]
    assert cache.lookup(7).name == "app-started-100.0"  # type: ignore[union-attr]
    assert reads == [7]
    started[7] = 250.0  # the old process ended, a new one got its pid
    assert cache.lookup(7).name == "app-started-250.0"  # type: ignore[union-attr]
    assert reads == [7, 7]


def test_process_cache_is_bounded_and_forgets_the_least_recent() -> None:
    reads: list[int] = []
    cache = ProcessCache(
        size=2, reader=lambda pid: reads.append(pid) or me(pid), created=lambda pid: 1.0
    )
    for pid in (1, 2, 1, 3, 1, 2):
        cache.lookup(pid)
    assert reads == [1, 2, 3, 2]


def test_process_cache_does_not_cache_when_start_time_is_hidden() -> None:
    reads: list[int] = []
    cache = ProcessCache(reader=lambda pid: reads.append(pid) or me(pid), created=lambda pid: None)
    cache.lookup(5)
    cache.lookup(5)
    assert reads == [5, 5]


# -- whose window is it (Flatpak) ---------------------------------------------------


@pytest.mark.parametrize(
    ("proc", "wm_class", "owns"),
    [
        (me(), "Navigator.firefox", True),
        (me(name="soffice.bin"), "libreoffice.libreoffice-writer", True),  # own user: trusted
        (ProcessInfo(1, "systemd", "/usr/lib/systemd/systemd", 0, 0), "Navigator.firefox", False),
        (ProcessInfo(2, "kthreadd", "", 0, 0), "slack.Slack", False),
        (ProcessInfo(57, "kworker/3:1", "", 0, 2), "slack.Slack", False),
        (ProcessInfo(812, "cupsd", "/usr/sbin/cupsd", 65530, 1), "slack.Slack", False),
        (ProcessInfo(812, "slack", "/app/slack", 65530, 1), "slack.Slack", True),
        (ProcessInfo(812, "chrome", "/opt/chrome", None, 1), "", True),  # Windows/macOS
    ],
)
def test_owns_window(proc: ProcessInfo, wm_class: str, owns: bool) -> None:
    assert owns_window(proc, wm_class) is owns


# -- X11 text and geometry ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"plain ascii", "plain ascii"),
        (b"caf\xe9", "café"),  # Latin-1 is the default right half
        (b'odd "quotes" \x1b%G\xe2\x9c\xa8\x1b%@ emoji', 'odd "quotes" ✨ emoji'),
        (
            b"\x1b-L\xbf\xe0\xd8\xd2\xd5\xe2 \x1b-Acaf\xe9",
            "Привет café",
        ),  # ISO 8859-5, back to Latin-1
        (b"\x1b%G\xff\x1b%@", "\ufffd"),  # broken UTF-8 does not raise
        (b"\x1b$(B\x30\x21", "0!"),  # unknown multibyte set: lenient, no exception
    ],
)
def test_decode_compound_text(raw: bytes, text: str) -> None:
    assert decode_compound_text(raw) == text


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ((0, 0, 1920, 1080), True),
        ((-2, -2, 1924, 1084), True),  # borders hanging off the edges
        ((0, 24, 1920, 1056), False),  # maximised under a panel
        ((1920, 0, 2560, 1440), True),  # the second monitor
        ((0, 0, 4480, 1440), True),  # spanning both
    ],
)
def test_covers(window: tuple[int, int, int, int], expected: bool) -> None:
    assert covers(window, [(0, 0, 1920, 1080), (1920, 0, 2560, 1440)]) is expected


def test_import_failures_become_probe_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def exiting_import(name: str, *args, **kwargs):
        if name == "pywinctl":
            raise SystemExit(1)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", exiting_import)
    with pytest.raises(ProbeUnavailable, match="pywinctl stopped while loading"):
        window_module.import_pywinctl()

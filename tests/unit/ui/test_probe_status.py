"""When windows cannot be read (or only partly), the log says so once per change and
the tray menu says why for as long as it lasts: the real sampler thread and app wiring,
with the real probe factory failing (no display) and fake probes for the recovery."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from scenario import CONFIG, SALES, TZ, Clock

from focusguard.app import FocusGuardApp
from focusguard.controller import Controller
from focusguard.core.palette import TrayState
from focusguard.platform.fakes import FakeIdleProbe, FakeWindowProbe
from focusguard.platform.probes import make_window_probe
from focusguard.platform.window import ProbeUnavailable, WindowProbe
from focusguard.runtime.sampler import ProbeWorker, Sampler
from focusguard.store import Store
from focusguard.ui.tray import INFO_LINE_CHARS, INFO_MAX_LINES, TrayMenu, TrayPresenter

INTERVAL = 0.05
TICKS = 12
GNOME_WHY = ("the FocusGuard GNOME Shell extension is not enabled: run `gnome-extensions enable "
             "focusguard@focusguard.github.io`, then log out and in again")
XWAYLAND_WARNING = "GNOME Shell did not answer. Until then FocusGuard sees only XWayland windows"


def probe(name: str, warning: str = "") -> FakeWindowProbe:
    made = FakeWindowProbe(SALES)
    made.name, made.warning = name, warning
    return made


class Wired:
    """The app with a real sampler thread whose window probe factory the test swaps."""

    def __init__(self, qtbot, tmp_path: Path) -> None:
        config_file = tmp_path / "config.toml"
        config_file.write_text(CONFIG, encoding="utf-8")
        self.factory: Callable[[], WindowProbe] = make_window_probe
        worker = ProbeWorker(INTERVAL, window_probe_factory=lambda: self.factory(),
                             idle_probe_factory=FakeIdleProbe, dnd_reader=lambda: False)
        self.sampler = Sampler(worker)
        self.store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
        self.controller = Controller(config_file, self.store, clock=Clock(), tz=TZ, own_pid=1)
        self.presenter = TrayPresenter(TrayMenu(), tray_available=lambda: True)
        self.app = FocusGuardApp(self.controller, sampler=self.sampler, presenter=self.presenter)
        self.qtbot = qtbot

    @property
    def menu(self) -> TrayMenu:
        return self.app.menu

    def info(self) -> list[str]:
        return [a.text() for a in self.menu.info_actions]

    def run_ticks(self, ticks: int = TICKS) -> None:
        """Let the sampler tick that often; each tick's signal is handled on this thread."""
        deadline = time.monotonic() + ticks * INTERVAL
        while time.monotonic() < deadline:
            self.qtbot.wait(10)

    def close(self) -> None:
        self.app.shutdown()  # stops the sampler thread, hides the tray, closes the store


@pytest.fixture
def wired(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Wired]:
    for variable in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "x11")  # an X11 session whose DISPLAY is gone
    w = Wired(qtbot, tmp_path)
    w.app.controller.declare("Sales")
    yield w
    w.close()


def probe_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    return [(r.levelname, r.getMessage()) for r in caplog.records
            if "window probe" in r.getMessage() or "windows" in r.getMessage()]


def test_a_lasting_failure_is_logged_once_and_stays_in_the_menu(wired: Wired, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="focusguard"):
        wired.app.start()
        wired.run_ticks()
    assert probe_lines(caplog) == [("WARNING", "window probe unavailable: no X display (DISPLAY is not set)")]
    assert wired.presenter.state is TrayState.UNAVAILABLE
    assert wired.info() == ["Can't read windows:", "no X display (DISPLAY is not set)"]
    first = wired.menu.info_actions[0]
    assert not first.isEnabled() and not first.icon().isNull()
    assert wired.menu.info_separator.isVisible()
    actions = wired.menu.actions()
    assert actions.index(first) < actions.index(wired.menu.info_separator) < actions.index(wired.menu.priority_action)


def test_recovery_another_failure_and_a_degraded_probe_are_each_logged_once(wired: Wired, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="focusguard"):
        wired.app.start()
        wired.run_ticks()
        working = probe("X11 (EWMH events)")
        wired.factory = lambda: working
        wired.run_ticks()
        assert wired.info() == [] and not wired.menu.info_separator.isVisible()
        assert wired.presenter.state is TrayState.PRIORITY

        wired.factory = make_window_probe  # the display goes away: the probe is made again and fails
        working.current = ProbeUnavailable("the connection to the display was lost")
        wired.run_ticks()
        wired.factory = lambda: probe("X11 (XWayland fallback)", XWAYLAND_WARNING)
        wired.run_ticks()
    unavailable = ("WARNING", "window probe unavailable: no X display (DISPLAY is not set)")
    assert probe_lines(caplog) == [
        unavailable,
        ("INFO", "window probe: X11 (EWMH events)"),
        ("WARNING", "window probe unavailable: the connection to the display was lost"),
        unavailable,
        ("INFO", f"window probe: X11 (XWayland fallback) ({XWAYLAND_WARNING})"),
    ]
    headline, *detail = wired.info()
    assert headline == "Reading windows via X11 (XWayland fallback):"
    assert " ".join(detail) == XWAYLAND_WARNING
    assert all(len(line) <= INFO_LINE_CHARS and not a.isEnabled()
               for line, a in zip(wired.info(), wired.menu.info_actions, strict=True))


def test_a_long_reason_wraps_into_entries_that_keep_every_word_and_ampersands(qtbot) -> None:
    menu = TrayMenu()
    qtbot.addWidget(menu)
    menu.set_probe_info(f"Can't read windows:\n{GNOME_WHY} & restart")
    headline, *lines = [a.text() for a in menu.info_actions]
    assert headline == "Can't read windows:"
    assert len(lines) > 1 and all(len(line) <= INFO_LINE_CHARS + 1 for line in lines)
    assert " ".join(lines).replace("&&", "&") == f"{GNOME_WHY} & restart"
    before = list(menu.info_actions)
    menu.set_probe_info(f"Can't read windows:\n{GNOME_WHY} & restart")
    assert menu.info_actions == before  # no rebuild for the same text on every sample
    menu.set_probe_info("Can't read windows:\n" + "word " * 200)  # a runaway reason
    lines = [a.text() for a in menu.info_actions]
    assert len(lines) == INFO_MAX_LINES and lines[-1].endswith(" …")
    assert all(len(line) <= INFO_LINE_CHARS for line in lines)
    menu.set_probe_info("")
    assert menu.info_actions == [] and not menu.info_separator.isVisible()


def test_a_probe_failing_unexpectedly_every_tick_logs_one_traceback(wired: Wired, caplog) -> None:
    flaky = probe("X11 (EWMH events)")
    wired.factory = lambda: flaky
    with caplog.at_level(logging.INFO, logger="focusguard"):
        wired.app.start()
        wired.run_ticks(4)
        flaky.current = RuntimeError("odd reply from the X server")  # kept: not a ProbeUnavailable
        wired.run_ticks()
        assert wired.info() == ["Can't read windows:", "RuntimeError: odd reply from the X server"]
        flaky.current = SALES
        wired.run_ticks(4)
    assert [r.getMessage() for r in caplog.records if r.exc_info] == ["probe failed"]
    assert probe_lines(caplog) == [
        ("INFO", "window probe: X11 (EWMH events)"),
        ("WARNING", "window probe unavailable: RuntimeError: odd reply from the X server"),
        ("INFO", "window probe: reading windows again"),
    ]
    assert wired.info() == [] and wired.presenter.state is TrayState.PRIORITY

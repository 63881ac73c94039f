"""The fakes behave like probes, so tests written against them mean something."""

from __future__ import annotations

import pytest

from focusguard.platform.fakes import FakeIdleProbe, FakeWindowProbe
from focusguard.platform.window import ProbeUnavailable, WindowInfo

DOCS = WindowInfo(
    "soffice.bin", "Q3 plan.odt - LibreOffice Writer", "/usr/lib/libreoffice/soffice.bin", 10
)
VIDEO = WindowInfo("firefox", "Cats - YouTube", "/usr/lib/firefox/firefox", 11)


def test_settable_current_window() -> None:
    probe = FakeWindowProbe(DOCS)
    assert probe.active_window() == DOCS
    probe.current = VIDEO
    assert probe.active_window() == VIDEO
    probe.current = None
    assert probe.active_window() is None
    assert probe.calls == 3


def test_script_plays_in_order_then_holds_the_last_step() -> None:
    probe = FakeWindowProbe()
    probe.script([DOCS, None, ProbeUnavailable("display went away"), VIDEO])
    assert probe.active_window() == DOCS
    assert probe.active_window() is None
    with pytest.raises(ProbeUnavailable, match="display went away"):
        probe.active_window()
    assert [probe.active_window() for _ in range(3)] == [VIDEO] * 3


def test_setting_current_stops_the_script() -> None:
    probe = FakeWindowProbe()
    probe.script([VIDEO])
    probe.current = DOCS
    assert probe.active_window() == DOCS


def test_unavailable_probe() -> None:
    probe = FakeWindowProbe(ProbeUnavailable("no X display (DISPLAY is not set)"))
    with pytest.raises(ProbeUnavailable):
        probe.active_window()


def test_activate_switches_to_a_known_window() -> None:
    probe = FakeWindowProbe(DOCS)
    probe.current = VIDEO
    assert probe.activate(lambda w: w.app == "soffice.bin")
    assert probe.active_window() == DOCS
    assert not probe.activate(lambda w: w.app == "slack")
    assert probe.active_window() == DOCS


def test_empty_script_is_an_error() -> None:
    with pytest.raises(ValueError):
        FakeWindowProbe().script([])


def test_fake_idle() -> None:
    probe = FakeIdleProbe(12.5)
    assert probe.idle_seconds() == 12.5
    probe.script([0.0, 200.0, None])
    assert [probe.idle_seconds() for _ in range(4)] == [0.0, 200.0, None, None]
    probe.seconds = 3.0
    assert probe.idle_seconds() == 3.0 and probe.calls == 6

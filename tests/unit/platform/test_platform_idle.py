"""Idle probes: the arithmetic and parsers behind each platform's counter."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from focusguard.platform import probes
from focusguard.platform.idle import (
    MacIdleProbe,
    UnknownIdleProbe,
    WindowsIdleProbe,
    parse_ioreg_idle,
)
from focusguard.platform.probes import make_idle_probe

IOREG_SAMPLE = """\
+-o Root  <class IORegistryEntry, id 0x100000100, retain 21>
  +-o MacBookPro18,3  <class IOPlatformExpertDevice, id 0x100000110, registered, matched>
    +-o AppleARMPE  <class AppleARMPE, id 0x100000111, registered, matched, active>
      +-o IOHIDSystem  <class IOHIDSystem, id 0x1000005a9, registered, matched, active>
          {
            "IOClass" = "IOHIDSystem"
            "HIDIdleTime" = 7340651916
            "HIDParameters" = {"HIDClickTime"=500000000,"HIDKeyRepeat"=83333333}
            "IOProviderClass" = "IOResources"
          }
"""


def runner(reply: str | None):
    calls: list[Sequence[str]] = []

    def run(argv: Sequence[str]) -> str | None:
        calls.append(tuple(argv))
        return reply

    return run, calls


@pytest.mark.parametrize(
    ("last_input", "now", "seconds"),
    [
        (1_000, 4_500, 3.5),
        (4_500, 4_500, 0.0),
        (0xFFFF_FC18, 1_000, 2.0),  # tick count wrapped 1 s after the last input
        (0xFFFF_FFFF, 0, 0.001),
    ],
)
def test_windows_idle_arithmetic(last_input: int, now: int, seconds: float) -> None:
    probe = WindowsIdleProbe(last_input_tick=lambda: last_input, tick_count=lambda: now)
    assert probe.idle_seconds() == pytest.approx(seconds)


def test_windows_idle_unknown_when_last_input_unreadable() -> None:
    assert (
        WindowsIdleProbe(last_input_tick=lambda: None, tick_count=lambda: 5).idle_seconds() is None
    )


def test_parse_ioreg_idle() -> None:
    assert parse_ioreg_idle(IOREG_SAMPLE) == pytest.approx(7.340651916)
    assert parse_ioreg_idle("+-o Root <class IORegistryEntry>") is None


def test_mac_idle_without_quartz_asks_ioreg() -> None:
    run, calls = runner(IOREG_SAMPLE)
    probe = MacIdleProbe(run=run)
    assert probe.idle_seconds() == pytest.approx(7.340651916)
    assert calls and calls[0][:3] == ("ioreg", "-c", "IOHIDSystem")
    assert MacIdleProbe(run=runner(None)[0]).idle_seconds() is None


def test_unknown_probe_is_none_and_says_why() -> None:
    probe = UnknownIdleProbe("no counter here")
    assert probe.idle_seconds() is None and probe.why == "no counter here"


@pytest.fixture
def on_linux(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(probes.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE", "XDG_CURRENT_DESKTOP"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_make_idle_probe_without_display_is_unknown(on_linux: pytest.MonkeyPatch) -> None:
    probe = make_idle_probe()
    assert isinstance(probe, UnknownIdleProbe) and "DISPLAY" in probe.why


def test_make_idle_probe_on_gnome_wayland_never_uses_xwayland(on_linux: pytest.MonkeyPatch) -> None:
    on_linux.setenv("XDG_SESSION_TYPE", "wayland")
    on_linux.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    on_linux.setenv("DISPLAY", ":0")  # XWayland's counter would only see X input
    on_linux.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    probe = make_idle_probe()  # no session bus here: Mutter cannot answer
    assert isinstance(probe, UnknownIdleProbe) and "DBUS_SESSION_BUS_ADDRESS" in probe.why


def test_make_idle_probe_on_other_wayland_is_unknown(on_linux: pytest.MonkeyPatch) -> None:
    on_linux.setenv("XDG_SESSION_TYPE", "wayland")
    on_linux.setenv("XDG_CURRENT_DESKTOP", "sway")
    assert isinstance(make_idle_probe(), UnknownIdleProbe)


def test_make_idle_probe_with_a_dead_display_is_unknown(on_linux: pytest.MonkeyPatch) -> None:
    on_linux.setenv("DISPLAY", ":987")  # nothing listens there
    probe = make_idle_probe()
    assert isinstance(probe, UnknownIdleProbe) and "cannot open the X display" in probe.why

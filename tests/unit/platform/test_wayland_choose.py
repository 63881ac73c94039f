"""Choosing the window and idle probes on a Wayland desktop: native first, in the
family's order, XWayland only as a fallback that says what it misses."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from focusguard.platform import probes
from focusguard.platform.fakes import FakeWindowProbe
from focusguard.platform.idle import UnknownIdleProbe
from focusguard.platform.probes import make_idle_probe, make_window_probe
from focusguard.platform.session import Desktop
from focusguard.platform.wayland import choose
from focusguard.platform.window import ProbeUnavailable, UnavailableWindowProbe

SWAY = Desktop("wayland", "sway", "sway")


def openers(results: dict[str, object]) -> Callable[[str, str], Callable[[], object]]:
    """A stand-in for choose._opener: each module's probe is made, or its failure raised."""

    def opener(module: str, cls: str) -> Callable[[], object]:
        def make() -> object:
            result = results[module]
            if isinstance(result, BaseException):
                raise result
            return result

        return make

    return opener


@pytest.fixture
def wayland(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(probes.sys, "platform", "linux")
    for name in ("DISPLAY", "SWAYSOCK", "HYPRLAND_INSTANCE_SIGNATURE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-1")
    return monkeypatch


def test_the_familys_best_probe_is_tried_first() -> None:
    ipc, wlr = FakeWindowProbe(), FakeWindowProbe()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(choose, "_opener", openers({"sway": ipc, "wlr": wlr}))
        assert choose.native_window_probe(SWAY) is ipc


def test_the_next_probe_serves_when_the_first_cannot_start() -> None:
    wlr = FakeWindowProbe()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(choose, "_opener", openers({"sway": ProbeUnavailable("SWAYSOCK is not set"), "wlr": wlr}))
        assert choose.native_window_probe(SWAY) is wlr


def test_every_reason_is_given_when_no_probe_starts() -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(choose, "_opener", openers({
            "sway": ProbeUnavailable("SWAYSOCK is not set"),
            "wlr": ImportError("no pywayland", name="pywayland"),
        }))
        with pytest.raises(ProbeUnavailable) as err:
            choose.native_window_probe(SWAY)
    assert err.value.why == "SWAYSOCK is not set; wlr probe needs pywayland"


def test_an_unknown_compositor_is_read_through_wlr_foreign_toplevel() -> None:
    wlr = FakeWindowProbe()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(choose, "_opener", openers({"wlr": wlr}))
        assert choose.native_window_probe(Desktop("wayland", "wlroots", "cage")) is wlr


def test_the_native_probe_is_used_on_wayland(wayland: pytest.MonkeyPatch) -> None:
    wayland.setenv("XDG_CURRENT_DESKTOP", "KDE")
    kwin = FakeWindowProbe()
    wayland.setattr(choose, "_opener", openers({"kwin": kwin}))
    assert make_window_probe() is kwin


def test_xwayland_is_the_fallback_and_says_what_it_misses(wayland: pytest.MonkeyPatch) -> None:
    wayland.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    wayland.setattr(choose, "_opener", openers({"gnome": ProbeUnavailable(
        "the FocusGuard GNOME Shell extension is not enabled: run `focusguard setup gnome`")}))
    x11 = FakeWindowProbe()
    wayland.setattr(probes, "_make_x11_probe", lambda: x11)
    probe = make_window_probe()
    assert probe is x11 and probe.name == "X11 (XWayland fallback)"
    assert probe.warning.startswith("the FocusGuard GNOME Shell extension is not enabled")
    assert "only XWayland windows" in probe.warning


def test_without_xwayland_the_native_reason_is_what_the_user_reads(wayland: pytest.MonkeyPatch) -> None:
    wayland.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    wayland.setattr(choose, "_opener", openers({"gnome": ProbeUnavailable("extension missing")}))
    probe = make_window_probe()
    assert isinstance(probe, UnavailableWindowProbe) and probe.why == "extension missing"


def test_idle_on_gnome_is_mutters_and_elsewhere_the_compositors(wayland: pytest.MonkeyPatch) -> None:
    mutter, notify = object(), object()
    wayland.setattr(choose, "_opener", openers({"mutter_idle": mutter, "idle": notify}))
    wayland.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    assert make_idle_probe() is mutter
    wayland.setenv("XDG_CURRENT_DESKTOP", "sway")
    assert make_idle_probe() is notify
    wayland.setattr(choose, "_opener", openers({"idle": ProbeUnavailable("no idle protocol offered")}))
    unknown = make_idle_probe()
    assert isinstance(unknown, UnknownIdleProbe) and "no idle protocol offered" in unknown.why

"""`focusguard doctor` on Wayland desktops: the session, the probe in use, and the one
thing to do when the native probe cannot start."""

from __future__ import annotations

import subprocess
import threading

import pytest

from focusguard import doctor
from focusguard.platform.fakes import FakeEventWindowProbe, FakeWindowProbe
from focusguard.platform.wayland import gnome_setup
from focusguard.platform.window import UnavailableWindowProbe, WindowInfo

CRM = WindowInfo("firefox", "HubSpot - Deals")


@pytest.fixture
def gnome_wayland(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setattr(doctor.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("SWAYSOCK", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
    return monkeypatch


def test_the_session_line_names_the_desktop(gnome_wayland: pytest.MonkeyPatch) -> None:
    check = doctor.check_display()
    assert (check.status, check.detail) == ("OK", "Wayland, GNOME (WAYLAND_DISPLAY=wayland-0)")


def test_the_probe_in_use_is_named(gnome_wayland: pytest.MonkeyPatch) -> None:
    probe = FakeWindowProbe(CRM)
    probe.name = "GNOME Shell extension"
    gnome_wayland.setattr(doctor, "make_window_probe", lambda: probe)
    check = doctor.check_window()
    assert check.line() == "OK    window probe (GNOME Shell extension): firefox — 'HubSpot - Deals'"


def test_a_fallback_probe_warns_and_names_the_setup_step(gnome_wayland: pytest.MonkeyPatch) -> None:
    probe = FakeWindowProbe(None)
    probe.name, probe.warning = "X11 (XWayland fallback)", "the extension is not enabled"
    gnome_wayland.setattr(doctor, "make_window_probe", lambda: probe)
    check = doctor.check_window()
    assert check.status == "WARN" and "the extension is not enabled" in check.detail
    assert "focusguard setup gnome" in check.line()


def test_no_probe_at_all_fails_with_the_fix(gnome_wayland: pytest.MonkeyPatch) -> None:
    gnome_wayland.setattr(doctor, "make_window_probe",
                          lambda: UnavailableWindowProbe("the extension is not installed"))
    check = doctor.check_window()
    assert check.line() == ("FAIL  window probe: the extension is not installed -> "
                            "run `focusguard setup gnome`, then log out and back in once")


def test_a_pushed_probe_is_given_time_for_its_first_report(gnome_wayland: pytest.MonkeyPatch) -> None:
    probe = FakeEventWindowProbe(None)
    gnome_wayland.setattr(doctor, "make_window_probe", lambda: probe)
    threading.Timer(0.2, probe.push, args=(CRM,)).start()
    check = doctor.check_window()
    assert check.status == "OK" and "HubSpot - Deals" in check.detail
    assert probe.closed


def shell_48(argv):
    return subprocess.CompletedProcess(argv, 0, "GNOME Shell 48.7\n", "")


def test_the_gnome_extension_of_this_version_is_ok_and_another_versions_is_a_warning(
        gnome_wayland: pytest.MonkeyPatch, tmp_path) -> None:
    gnome_wayland.setenv("XDG_DATA_HOME", str(tmp_path))
    gnome_wayland.setattr(gnome_setup, "run_command", shell_48)
    assert list(doctor.check_gnome_extension()) == []  # none: the window probe line says what to do
    target = gnome_setup.extension_dir()
    gnome_setup.install_files(target, gnome_setup.extension_files(gnome_setup.variant_for(48)))
    [check] = doctor.check_gnome_extension()
    assert check.status == "OK" and str(target) in check.detail
    old = (target / "extension.js").read_text(encoding="utf-8").replace("Place", "Placed")  # an older publisher
    (target / "extension.js").write_text(old, encoding="utf-8")
    [check] = doctor.check_gnome_extension()
    assert check.status == "WARN" and check.fix == doctor.WAYLAND_FIX["gnome"]


def test_the_gnome_extension_is_not_looked_at_on_other_desktops(gnome_wayland: pytest.MonkeyPatch, tmp_path) -> None:
    gnome_wayland.setenv("XDG_CURRENT_DESKTOP", "KDE")
    gnome_wayland.setenv("XDG_DATA_HOME", str(tmp_path))
    target = gnome_setup.extension_dir()
    gnome_setup.install_files(target, {"extension.js": "old", "metadata.json": "{}"})
    assert list(doctor.check_gnome_extension()) == []

"""Session detection, desktop do-not-disturb, and the helper-command runner."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import pytest

from focusguard.platform import dnd
from focusguard.platform.dnd import (
    GDBUS_INHIBITED,
    GNOME_BANNERS,
    desktop_dnd_active,
    parse_bool,
)
from focusguard.platform.session import Desktop, detect_desktop, run_command, session_type


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"}, "linux", "x11"),
        (
            {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"},
            "linux",
            "wayland",
        ),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", "wayland"),
        ({"DISPLAY": ":1"}, "linux", "x11"),
        ({"XDG_SESSION_TYPE": "tty"}, "linux", "unknown"),
        ({}, "linux", "unknown"),
        ({"DISPLAY": ":0"}, "win32", "windows"),
        ({}, "darwin", "macos"),
    ],
)
def test_session_type(env: dict[str, str], platform: str, expected: str) -> None:
    assert session_type(env, platform) == expected


@pytest.mark.parametrize(
    ("env", "family", "name"),
    [
        ({"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, "gnome", "GNOME"),
        ({"XDG_CURRENT_DESKTOP": "KDE"}, "kde", "KDE Plasma"),
        ({"XDG_CURRENT_DESKTOP": "sway", "SWAYSOCK": "/run/user/1/sway-ipc.sock"}, "sway", "sway"),
        ({"SWAYSOCK": "/run/user/1/sway-ipc.sock"}, "sway", "sway"),
        ({"XDG_CURRENT_DESKTOP": "sway"}, "sway", "sway"),  # socket variable lost: still sway
        ({"HYPRLAND_INSTANCE_SIGNATURE": "abc", "XDG_CURRENT_DESKTOP": "Hyprland"}, "wlroots", "Hyprland"),
        ({"XDG_CURRENT_DESKTOP": "labwc:wlroots"}, "wlroots", "labwc"),
        ({"XDG_CURRENT_DESKTOP": "river"}, "wlroots", "river"),
        ({"XDG_CURRENT_DESKTOP": "niri"}, "wlroots", "niri"),
        ({}, "wlroots", "an unnamed Wayland compositor"),
    ],
)
def test_detect_desktop_on_wayland(env: dict[str, str], family: str, name: str) -> None:
    desktop = detect_desktop({"XDG_SESSION_TYPE": "wayland", **env}, "linux")
    assert (desktop.session, desktop.family, desktop.name) == ("wayland", family, name)


def test_detect_desktop_off_wayland_leaves_the_family_empty() -> None:
    assert detect_desktop({"DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "GNOME"}, "linux") == Desktop("x11", "", "X11")
    assert detect_desktop({}, "win32").name == "Windows"


def test_run_command() -> None:
    assert run_command([sys.executable, "-c", "print('hi')"]) == "hi\n"
    assert run_command([sys.executable, "-c", "raise SystemExit(3)"]) is None
    assert run_command(["focusguard-no-such-program"]) is None
    assert run_command([sys.executable, "-c", "import time; time.sleep(5)"], timeout=0.2) is None


@pytest.mark.parametrize(
    ("output", "value"),
    [
        ("true\n", True),
        ("false\n", False),
        ("(<true>,)\n", True),
        ("(<false>,)\n", False),
        (None, None),
        ("", None),
        ("'org.gnome.desktop.notifications' not found\n", None),
    ],
)
def test_parse_bool(output: str | None, value: bool | None) -> None:
    assert parse_bool(output) is value


class FakeDesktop:
    """Answers helper commands from a table; unknown commands fail (None)."""

    def __init__(self, answers: dict[tuple[str, ...], str]) -> None:
        self.answers = answers
        self.asked: list[tuple[str, ...]] = []

    def __call__(self, argv: Sequence[str]) -> str | None:
        self.asked.append(tuple(argv))
        return self.answers.get(tuple(argv))


@pytest.fixture(autouse=True)
def linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dnd.sys, "platform", "linux")


@pytest.mark.parametrize(("banners", "dnd_on"), [("false\n", True), ("true\n", False)])
def test_gnome_dnd_is_banners_off(banners: str, dnd_on: bool) -> None:
    desktop = FakeDesktop({GNOME_BANNERS: banners})
    assert desktop_dnd_active({"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, run=desktop) is dnd_on


def test_gnome_dnd_unreadable_is_none() -> None:
    assert desktop_dnd_active({"XDG_CURRENT_DESKTOP": "GNOME"}, run=FakeDesktop({})) is None


@pytest.mark.parametrize(("reply", "dnd_on"), [("(<true>,)\n", True), ("(<false>,)\n", False)])
def test_kde_dnd_is_notifications_inhibited(reply: str, dnd_on: bool) -> None:
    desktop = FakeDesktop({GDBUS_INHIBITED: reply})
    assert desktop_dnd_active({"XDG_CURRENT_DESKTOP": "KDE"}, run=desktop) is dnd_on


def test_kde_without_gdbus_asks_qdbus() -> None:
    qdbus6 = (
        "qdbus6",
        "org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        "org.freedesktop.Notifications.Inhibited",
    )
    desktop = FakeDesktop({qdbus6: "true\n"})
    assert desktop_dnd_active({"XDG_CURRENT_DESKTOP": "KDE"}, run=desktop) is True
    assert desktop.asked[0] == GDBUS_INHIBITED and desktop.asked[-1] == qdbus6


def test_nothing_answers_is_none() -> None:
    desktop = FakeDesktop({})
    assert desktop_dnd_active({"XDG_CURRENT_DESKTOP": "XFCE"}, run=desktop) is None
    assert len(desktop.asked) == 4  # gdbus and three qdbus spellings, each tried once


def test_other_platforms_are_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dnd.sys, "platform", "win32")
    assert desktop_dnd_active({}, run=FakeDesktop({GDBUS_INHIBITED: "(<true>,)"})) is None

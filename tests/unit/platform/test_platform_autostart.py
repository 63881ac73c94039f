"""Start-at-login on each platform, against temp homes and a fake registry."""

from __future__ import annotations

import configparser
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from focusguard.platform import autostart
from focusguard.platform.autostart import (
    LaunchAgent,
    WindowsAutostart,
    XdgAutostart,
    exec_line,
    launch_command,
)

COMMAND = ["/home/ann/.local/bin/focusguard"]


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_xdg_enable_writes_a_valid_desktop_entry(tmp_path: Path) -> None:
    backend = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert not backend.is_enabled()
    backend.enable(COMMAND)
    assert backend.path == tmp_path / "cfg" / "autostart" / "focusguard.desktop"
    entry = read_entry(backend.path)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "FocusGuard"
    assert entry["Exec"] == "/home/ann/.local/bin/focusguard"
    assert entry["Icon"] == "focusguard"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert backend.is_enabled()
    backend.disable()
    assert not backend.path.exists() and not backend.is_enabled()
    backend.disable()  # twice is fine


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_xdg_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    backend = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path)})
    backend.enable(["/opt/My Apps/python3", "-m", "focusguard"])
    done = subprocess.run(
        ["desktop-file-validate", str(backend.path)], capture_output=True, text=True
    )
    assert done.returncode == 0 and "error" not in done.stdout.lower(), done.stdout


def test_xdg_defaults_to_dot_config_and_ignores_relative_xdg_config_home(tmp_path: Path) -> None:
    assert XdgAutostart({}, home=tmp_path).path == tmp_path / ".config/autostart/focusguard.desktop"
    relative = XdgAutostart({"XDG_CONFIG_HOME": "cfg"}, home=tmp_path)
    assert relative.path == tmp_path / ".config/autostart/focusguard.desktop"


@pytest.mark.parametrize("switched_off", ["Hidden=true", "X-GNOME-Autostart-enabled=false"])
def test_xdg_entry_switched_off_by_the_desktop_is_not_enabled(
    tmp_path: Path, switched_off: str
) -> None:
    backend = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path)})
    backend.enable(COMMAND)
    text = backend.path.read_text(encoding="utf-8").replace("X-GNOME-Autostart-enabled=true\n", "")
    backend.path.write_text(text + switched_off + "\n", encoding="utf-8")
    assert not backend.is_enabled()


def test_xdg_garbage_file_is_not_enabled(tmp_path: Path) -> None:
    backend = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path)})
    backend.path.parent.mkdir(parents=True)
    backend.path.write_text("not an ini file\n[[[", encoding="utf-8")
    assert not backend.is_enabled()


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (["/usr/bin/focusguard"], "/usr/bin/focusguard"),
        (["/opt/My Apps/python3", "-m", "focusguard"], '"/opt/My Apps/python3" -m focusguard'),
        (['/srv/a"b$c/py'], r'"/srv/a\\"b\\$c/py"'),
        (["/srv/100%/py"], "/srv/100%%/py"),
    ],
)
def test_exec_line_quotes_per_the_desktop_entry_spec(command: list[str], line: str) -> None:
    assert exec_line(command) == line


class DictRegistry:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def test_windows_run_value() -> None:
    registry = DictRegistry()
    backend = WindowsAutostart(registry)
    assert not backend.is_enabled()
    backend.enable([r"C:\Program Files\Python311\pythonw.exe", "-m", "focusguard"])
    assert registry.values == {
        "FocusGuard": r'"C:\Program Files\Python311\pythonw.exe" -m focusguard'
    }
    assert backend.is_enabled()
    backend.disable()
    assert registry.values == {} and not backend.is_enabled()


def test_macos_launch_agent(tmp_path: Path) -> None:
    backend = LaunchAgent(home=tmp_path)
    assert not backend.is_enabled()
    backend.enable(["/Applications/FocusGuard.app/Contents/MacOS/focusguard"])
    assert backend.path == tmp_path / "Library/LaunchAgents/io.github.focusguard.FocusGuard.plist"
    agent = plistlib.loads(backend.path.read_bytes())
    assert agent["Label"] == "io.github.focusguard.FocusGuard"
    assert agent["ProgramArguments"] == ["/Applications/FocusGuard.app/Contents/MacOS/focusguard"]
    assert agent["RunAtLoad"] is True
    assert backend.is_enabled()
    backend.disable()
    assert not backend.path.exists() and not backend.is_enabled()


def test_macos_unreadable_plist_is_not_enabled(tmp_path: Path) -> None:
    backend = LaunchAgent(home=tmp_path)
    backend.path.parent.mkdir(parents=True)
    backend.path.write_bytes(b"<plist>broken")
    assert not backend.is_enabled()


def test_launch_command_prefers_the_installed_script(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autostart.shutil, "which", lambda name: f"/usr/local/bin/{name}")
    assert launch_command("linux") == ["/usr/local/bin/focusguard"]
    assert launch_command("win32") == ["/usr/local/bin/focusguard-gui"]  # no console window
    monkeypatch.setattr(autostart.shutil, "which", lambda name: None)
    assert launch_command("linux") == [sys.executable, "-m", "focusguard"]


def test_module_functions_use_the_given_backend(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(autostart.shutil, "which", lambda name: None)
    backend = XdgAutostart({"XDG_CONFIG_HOME": str(tmp_path)})
    autostart.enable(backend)
    assert autostart.is_enabled(backend)
    assert read_entry(backend.path)["Exec"] == exec_line([sys.executable, "-m", "focusguard"])
    autostart.disable(backend)
    assert not autostart.is_enabled(backend)


def test_backend_for_each_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert isinstance(autostart.backend_for("linux"), XdgAutostart)
    assert isinstance(autostart.backend_for("darwin"), LaunchAgent)

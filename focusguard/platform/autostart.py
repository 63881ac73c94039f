"""Start FocusGuard at login, the way each desktop expects it.

A focus guard that has to be remembered every morning is not much of a guard, so
the settings window offers "start at login". Each platform keeps that list in its
own place: an XDG autostart ``.desktop`` file on Linux, the per-user ``Run`` key of
the Windows registry, a LaunchAgent property list on macOS. The backends take their
locations (and the registry) as arguments so tests run against temp dirs and fakes.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from focusguard.core import files

APP_NAME = "FocusGuard"
LAUNCH_AGENT_LABEL = "io.github.focusguard.FocusGuard"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def launch_command(platform: str | None = None) -> list[str]:
    """The command that starts FocusGuard: the installed script if on PATH (the
    console-less ``focusguard-gui`` on Windows), else this Python with ``-m focusguard``."""
    platform = sys.platform if platform is None else platform
    script = shutil.which("focusguard-gui" if platform == "win32" else "focusguard")
    return [script] if script else [sys.executable, "-m", "focusguard"]


class AutostartBackend(Protocol):
    def enable(self, command: list[str]) -> None: ...
    def disable(self) -> None: ...
    def is_enabled(self) -> bool: ...


# -- Linux / BSD: XDG autostart ------------------------------------------------------

_EXEC_RESERVED = re.compile(r"[\s\"'\\><~|&;$*?#()`]")


def exec_line(command: list[str]) -> str:
    """Quote ``command`` for a desktop entry's Exec key (freedesktop rules: quoting
    first, then the string escapes, which double every backslash; ``%`` doubles)."""
    quoted = []
    for arg in command:
        if _EXEC_RESERVED.search(arg):
            arg = '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
        quoted.append(arg.replace("%", "%%"))
    return " ".join(quoted).replace("\\", "\\\\")


class XdgAutostart:
    """``$XDG_CONFIG_HOME/autostart/focusguard.desktop``."""

    def __init__(self, env: Mapping[str, str] | None = None, home: Path | None = None) -> None:
        env = os.environ if env is None else env
        config = env.get("XDG_CONFIG_HOME", "")
        base = Path(config) if os.path.isabs(config) else (home or Path.home()) / ".config"
        self.path = base / "autostart" / "focusguard.desktop"

    def enable(self, command: list[str]) -> None:
        files.make_private_dirs(self.path.parent)  # an autostart folder others can write runs their code
        with open(files.checked_target(self.path), "w", encoding="utf-8", opener=files.private_opener) as entry:
            entry.write(
                "[Desktop Entry]\n"
                "Type=Application\n"
                f"Name={APP_NAME}\n"
                "Comment=Catches productive distractions before they eat your day\n"
                f"Exec={exec_line(command)}\n"
                "Icon=focusguard\n"
                "Terminal=false\n"
                "X-GNOME-Autostart-enabled=true\n"
            )

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        """The file exists and is not switched off (Hidden, or GNOME's enabled=false)."""
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        try:
            if not parser.read(self.path, encoding="utf-8"):
                return False
        except configparser.Error:
            return False
        entry = parser["Desktop Entry"] if parser.has_section("Desktop Entry") else {}
        return (
            entry.get("Hidden", "false").strip() != "true"
            and entry.get("X-GNOME-Autostart-enabled", "true").strip() != "false"
        )


# -- Windows: HKCU\...\Run -----------------------------------------------------------


class Registry(Protocol):
    """The string values of one registry key (``RUN_KEY`` under HKEY_CURRENT_USER)."""

    def get(self, name: str) -> str | None: ...
    def set(self, name: str, value: str) -> None: ...
    def delete(self, name: str) -> None: ...


class WinregRun:
    """``Registry`` over the real ``HKCU\\...\\Run`` key (Windows only)."""

    def __init__(self) -> None:
        import winreg  # type: ignore[import-not-found,unused-ignore]

        self._winreg = winreg

    def get(self, name: str) -> str | None:
        w = self._winreg
        try:
            with w.OpenKey(w.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _ = w.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, name: str, value: str) -> None:
        w = self._winreg
        with w.CreateKey(w.HKEY_CURRENT_USER, RUN_KEY) as key:
            w.SetValueEx(key, name, 0, w.REG_SZ, value)

    def delete(self, name: str) -> None:
        w = self._winreg
        try:
            with w.OpenKey(w.HKEY_CURRENT_USER, RUN_KEY, 0, w.KEY_SET_VALUE) as key:
                w.DeleteValue(key, name)
        except FileNotFoundError:
            pass


class WindowsAutostart:
    def __init__(self, registry: Registry | None = None) -> None:
        self._registry = registry if registry is not None else WinregRun()

    def enable(self, command: list[str]) -> None:
        self._registry.set(APP_NAME, subprocess.list2cmdline(command))

    def disable(self) -> None:
        self._registry.delete(APP_NAME)

    def is_enabled(self) -> bool:
        return bool(self._registry.get(APP_NAME))


# -- macOS: LaunchAgent --------------------------------------------------------------


class LaunchAgent:
    """``~/Library/LaunchAgents/io.github.focusguard.FocusGuard.plist``, loaded by launchd at login.

    plistlib (and the expat parser under it, half a megabyte) is imported where a
    plist is read or written, not in every app that imports this module."""

    def __init__(self, home: Path | None = None) -> None:
        agents = (home or Path.home()) / "Library" / "LaunchAgents"
        self.path = agents / f"{LAUNCH_AGENT_LABEL}.plist"

    def enable(self, command: list[str]) -> None:
        files.make_private_dirs(self.path.parent)
        agent = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": command,
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
        import plistlib

        with open(files.checked_target(self.path), "wb", opener=files.private_opener) as f:
            plistlib.dump(agent, f)

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        import plistlib
        from xml.parsers.expat import ExpatError

        try:
            with self.path.open("rb") as f:
                agent = plistlib.load(f)
        except (OSError, plistlib.InvalidFileException, ValueError, ExpatError):
            return False
        return isinstance(agent, dict) and agent.get("RunAtLoad") is True


# -- the platform's backend ----------------------------------------------------------


def backend_for(platform: str | None = None) -> AutostartBackend:
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return WindowsAutostart()
    if platform == "darwin":
        return LaunchAgent()
    return XdgAutostart()


def enable(backend: AutostartBackend | None = None) -> None:
    (backend or backend_for()).enable(launch_command())


def disable(backend: AutostartBackend | None = None) -> None:
    (backend or backend_for()).disable()


def is_enabled(backend: AutostartBackend | None = None) -> bool:
    return (backend or backend_for()).is_enabled()

"""``focusguard setup gnome``: install and enable FocusGuard's GNOME Shell extension.

Mutter tells no other program which window has the focus, so on GNOME the window is
read from a small extension inside the shell (``gnome_extension/``). GNOME Shell 45
changed the extension format to ES modules; 43-44 still need the legacy ``imports``
one. Both variants share ``publisher.js`` and are assembled here, with a
``metadata.json`` naming the shell versions the variant is for (a shell loads no
extension whose metadata does not name its version).

The files go to ``$XDG_DATA_HOME/gnome-shell/extensions/<uuid>/`` (where the shell
looks for the user's extensions) and its uuid into ``org.gnome.shell
enabled-extensions`` (read by a shell that starts later); a running shell that already
knows the extension is also asked over D-Bus to enable it now. GNOME Shell on Wayland
finds new extensions only when it starts, so the first install needs one log-out.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from focusguard.core import files
from focusguard.platform.session import detect_desktop

UUID = "focusguard@focusguard.github.io"
BUS_NAME = "io.github.focusguard.Shell"  # the name the extension owns on the session bus
OLDEST_SHELL = 43
#: GNOME Shell 45 replaced ``imports`` with ES modules; a shell refuses the other format.
FIRST_MODULE_SHELL = 45
#: The newest shell the ES module variant says it supports (GNOME loads an extension
#: only for the versions its metadata names).
NEWEST_SHELL = 49
_MARKER = "// @PUBLISHER@"
_VERSION = re.compile(r"GNOME Shell (\d+)")

Run = Callable[[Sequence[str]], subprocess.CompletedProcess[str]]


class SetupError(RuntimeError):
    """The extension cannot be installed or enabled; the message says what to do."""


def run_command(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Run a GNOME command-line tool; a missing program is a failed run, not a traceback."""
    try:
        return subprocess.run(list(argv), capture_output=True, text=True, timeout=15)
    except (OSError, subprocess.TimeoutExpired) as err:
        return subprocess.CompletedProcess(list(argv), 127, "", str(err))


def parse_shell_version(output: str) -> int | None:
    """The major version from ``gnome-shell --version`` ("GNOME Shell 43.9" -> 43)."""
    match = _VERSION.search(output)
    return int(match.group(1)) if match else None


def shell_version(run: Run = run_command) -> int:
    """The installed GNOME Shell's major version; SetupError when there is none."""
    done = run(["gnome-shell", "--version"])
    version = parse_shell_version(done.stdout) if done.returncode == 0 else None
    if version is None:
        raise SetupError("GNOME Shell is not installed here (`gnome-shell --version` failed)")
    return version


@dataclass(frozen=True, slots=True)
class Variant:
    """One extension format: the template file and the shell versions it is for."""

    template: str
    shell_versions: tuple[int, ...]


LEGACY = Variant("legacy.js", tuple(range(OLDEST_SHELL, FIRST_MODULE_SHELL)))
MODULE = Variant("module.js", tuple(range(FIRST_MODULE_SHELL, NEWEST_SHELL + 1)))


def variant_for(version: int) -> Variant:
    """The extension format a shell of major ``version`` loads."""
    if version < OLDEST_SHELL:
        raise SetupError(
            f"GNOME Shell {version} is too old: FocusGuard's extension needs GNOME {OLDEST_SHELL} or later")
    if version < FIRST_MODULE_SHELL:
        return LEGACY
    if version > NEWEST_SHELL:  # name it, so a newer shell still loads the extension
        return Variant(MODULE.template, (*MODULE.shell_versions, version))
    return MODULE


def _source(name: str) -> str:
    return resources.files("focusguard.platform.wayland").joinpath(
        "gnome_extension", name).read_text(encoding="utf-8")


def extension_files(variant: Variant) -> dict[str, str]:
    """The extension's files (name -> text) for ``variant``."""
    template = _source(variant.template)
    if _MARKER not in template:  # a packaging mistake, caught by the unit tests
        raise SetupError(f"{variant.template} has no {_MARKER} line")
    metadata = {
        "uuid": UUID,
        "name": "FocusGuard",
        "description": "Tells FocusGuard which window has the focus (title and app), "
                       "and brings a window to the front when FocusGuard asks.",
        "url": "https://focusguard.github.io",
        "shell-version": [str(v) for v in variant.shell_versions],
    }
    return {
        "extension.js": template.replace(_MARKER, _source("publisher.js").rstrip("\n")),
        "metadata.json": json.dumps(metadata, indent=2) + "\n",
    }


def extension_dir(env: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """Where GNOME Shell looks for this user's copy of the extension."""
    env = os.environ if env is None else env
    data = env.get("XDG_DATA_HOME", "")
    base = Path(data) if os.path.isabs(data) else (home or Path.home()) / ".local" / "share"
    return base / "gnome-shell" / "extensions" / UUID


def installed_is_current(env: Mapping[str, str], run: Run | None = None) -> bool | None:
    """Whether this user's copy of the extension is the one this FocusGuard installs for
    the installed shell: None when there is none (or no GNOME Shell); False for another
    version's, such as one from before ``Place``, which reads windows but cannot keep
    FocusGuard's own where they belong on GNOME 47 and later."""
    target = extension_dir(env)
    if not (target / "extension.js").exists():
        return None
    try:
        wanted = extension_files(variant_for(shell_version(run or run_command)))
    except SetupError:
        return None
    try:
        return all((target / name).read_text(encoding="utf-8") == text for name, text in wanted.items())
    except (OSError, UnicodeDecodeError):
        return False


def install_files(target: Path, contents: Mapping[str, str]) -> bool:
    """Write ``files`` into ``target`` (folders made 0700, files 0600, whatever the
    umask; never through another user's link); True if anything changed."""
    files.make_private_dirs(target)
    changed = False
    for name, text in contents.items():
        path = files.checked_target(target / name)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        with open(path, "w", encoding="utf-8", opener=files.private_opener) as out:
            out.write(text)
        changed = True
    return changed


def parse_string_list(output: str) -> list[str]:
    """A GVariant string array as gsettings prints it ("@as []", "['a', 'b']")."""
    text = output.strip().removeprefix("@as").strip()
    try:
        value = ast.literal_eval(text) if text else []
    except (ValueError, SyntaxError):
        raise SetupError(f"cannot read the list gsettings printed: {output.strip()!r}") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SetupError(f"gsettings printed something other than a list of strings: {output.strip()!r}")
    return value


def format_string_list(items: Sequence[str]) -> str:
    """The GVariant text of a string array, for ``gsettings set``."""
    return "[" + ", ".join(json.dumps(i) for i in items) + "]" if items else "@as []"


class ShellSettings:
    """``org.gnome.shell``'s extension keys, through ``gsettings``."""

    SCHEMA = "org.gnome.shell"

    def __init__(self, run: Run = run_command) -> None:
        self._run = run

    def get_list(self, key: str) -> list[str]:
        done = self._run(["gsettings", "get", self.SCHEMA, key])
        if done.returncode != 0:
            raise SetupError(f"gsettings cannot read {self.SCHEMA} {key}: {done.stderr.strip()}")
        return parse_string_list(done.stdout)

    def set_list(self, key: str, items: Sequence[str]) -> None:
        done = self._run(["gsettings", "set", self.SCHEMA, key, format_string_list(items)])
        if done.returncode != 0:
            raise SetupError(f"gsettings cannot change {self.SCHEMA} {key}: {done.stderr.strip()}")

    def user_extensions_off(self) -> bool:
        done = self._run(["gsettings", "get", self.SCHEMA, "disable-user-extensions"])
        return done.returncode == 0 and done.stdout.strip() == "true"

    def enable(self, uuid: str) -> None:
        """Listed in enabled-extensions and not in disabled-extensions (which wins)."""
        enabled = self.get_list("enabled-extensions")
        if uuid not in enabled:
            self.set_list("enabled-extensions", [*enabled, uuid])
        disabled = self.get_list("disabled-extensions")
        if uuid in disabled:
            self.set_list("disabled-extensions", [u for u in disabled if u != uuid])

    def disable(self, uuid: str) -> None:
        enabled = self.get_list("enabled-extensions")
        if uuid in enabled:
            self.set_list("enabled-extensions", [u for u in enabled if u != uuid])


class ShellBus:
    """The running shell's extension service (org.gnome.Shell.Extensions) on the
    session bus, asked directly: the ``gnome-extensions`` tool needs gjs, which a
    GNOME system may lack."""

    EXTENSIONS = ("/org/gnome/Shell", "org.gnome.Shell", "org.gnome.Shell.Extensions")

    def __init__(self, connection: Any) -> None:
        self._conn = connection

    @classmethod
    def connect(cls, env: Mapping[str, str]) -> ShellBus | None:
        """The session bus of ``env``; None when there is none (no GNOME session)."""
        from jeepney.io.blocking import open_dbus_connection

        address = env.get("DBUS_SESSION_BUS_ADDRESS")
        if not address:
            return None
        try:
            return cls(open_dbus_connection(address))
        except (OSError, TimeoutError, ValueError):
            return None

    def _call(self, path: str, name: str, interface: str, method: str,
              signature: str | None = None, *args: Any) -> tuple[Any, ...] | None:
        from jeepney import DBusAddress, MessageType, new_method_call

        message = new_method_call(DBusAddress(path, name, interface), method, signature, args)
        try:
            reply = self._conn.send_and_get_reply(message, timeout=5)
        except (OSError, TimeoutError):
            return None
        return None if reply.header.message_type == MessageType.error else tuple(reply.body)

    def knows(self, uuid: str) -> bool:
        """Whether the running shell has found the extension (it looks only at login)."""
        reply = self._call(*self.EXTENSIONS, "GetExtensionInfo", "s", uuid)
        return bool(reply and reply[0])

    def enable(self, uuid: str) -> bool:
        reply = self._call(*self.EXTENSIONS, "EnableExtension", "s", uuid)
        return bool(reply and reply[0])

    def disable(self, uuid: str) -> bool:
        reply = self._call(*self.EXTENSIONS, "DisableExtension", "s", uuid)
        return bool(reply and reply[0])

    def publishing(self) -> bool:
        """Whether the extension is running (its bus name has an owner)."""
        reply = self._call("/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus",
                           "NameHasOwner", "s", BUS_NAME)
        return bool(reply and reply[0])

    def close(self) -> None:
        self._conn.close()


def enable(settings: ShellSettings, shell: ShellBus | None) -> bool:
    """Switch the extension on for this user: in the settings a shell reads when it
    starts, and in the running shell when it knows the extension (then True)."""
    settings.enable(UUID)
    return shell is not None and shell.knows(UUID) and shell.enable(UUID)


def wait_publishing(shell: ShellBus, timeout: float = 3.0,
                    sleep: Callable[[float], None] = time.sleep) -> bool:
    """Whether the extension comes up on the session bus within ``timeout`` (the
    shell starts an extension shortly after it is enabled)."""
    for _ in range(max(1, int(timeout / 0.2))):
        if shell.publishing():
            return True
        sleep(0.2)
    return False


def install(env: Mapping[str, str], run: Run, shell: ShellBus | None) -> list[str]:
    """Install and enable the extension for the installed shell; the lines to tell the user."""
    version = shell_version(run)
    target = extension_dir(env)
    changed = install_files(target, extension_files(variant_for(version)))
    settings = ShellSettings(run)
    running = enable(settings, shell) and not changed and shell is not None and wait_publishing(shell)
    lines = [f"{'Installed' if changed else 'Already installed'}: FocusGuard's GNOME Shell "
             f"extension for GNOME {version}, in {target}", "Enabled it for this user."]
    if settings.user_extensions_off():
        lines.append("GNOME has all user extensions switched off: switch them on in the "
                     "Extensions app (or: gsettings set org.gnome.shell disable-user-extensions false).")
    if running:
        lines.append("GNOME Shell is running it: FocusGuard can see your windows.")
    elif env.get("XDG_SESSION_TYPE", "").lower() == "x11":
        lines.append("Restart GNOME Shell once so it loads the extension: press Alt+F2, "
                     "type r and press Enter (or log out and log in again).")
    else:
        lines.append("Log out and log in again once: GNOME Shell on Wayland loads a new "
                     "extension only when the session starts. FocusGuard sees your "
                     "windows from then on.")
    return lines


def uninstall(env: Mapping[str, str], run: Run, shell: ShellBus | None) -> list[str]:
    """Disable and remove the extension; the lines to tell the user."""
    target = extension_dir(env)
    if shell is not None and shell.knows(UUID):
        shell.disable(UUID)
    lines = []
    try:
        ShellSettings(run).disable(UUID)
    except SetupError as err:  # no GNOME settings here: nothing to switch off
        lines.append(f"Left GNOME's settings alone: {err}")
    if not target.exists():
        return [*lines, f"FocusGuard's GNOME Shell extension is not installed (no {target})."]
    shutil.rmtree(target)
    return [*lines, f"Disabled and removed FocusGuard's GNOME Shell extension ({target})."]


def needs_setup(env: Mapping[str, str]) -> bool:
    """Whether this is a GNOME session on Wayland whose shell runs no FocusGuard
    extension: the first-run welcome then offers to set it up."""
    desktop = detect_desktop(env)
    if (desktop.session, desktop.family) != ("wayland", "gnome"):
        return False
    shell = ShellBus.connect(env)
    if shell is None:  # no session bus: the extension could not talk to FocusGuard anyway
        return False
    try:
        return not shell.publishing()
    finally:
        shell.close()


def run_setup(env: Mapping[str, str], uninstall_it: bool = False) -> list[str]:
    """Install (or remove) and enable the extension in the session ``env`` describes;
    the lines to tell the user. Raises SetupError, or OSError when it cannot write."""
    shell = ShellBus.connect(env)
    try:
        return (uninstall if uninstall_it else install)(env, run_command, shell)
    finally:
        if shell is not None:
            shell.close()


def main(uninstall_it: bool = False) -> int:
    """The ``setup gnome`` command: 0 when done, 1 with the reason on stderr."""
    try:
        lines = run_setup(os.environ, uninstall_it)
    except SetupError as err:
        print(f"focusguard setup gnome: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"focusguard setup gnome: cannot write the extension: {err}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0

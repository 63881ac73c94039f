"""GNOME: the extension's files and setup (temp homes, a fake gsettings and a fake
shell), and GnomeShellProbe's handling of the extension's messages (a fake bus)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from jeepney import DBusAddress, HeaderFields, MatchRule, Message
from jeepney.wrappers import new_error, new_method_return, new_signal

from focusguard import cli
from focusguard.platform.wayland import gnome, gnome_setup
from focusguard.platform.wayland.gnome import GnomeShellProbe, describe, explain
from focusguard.platform.wayland.gnome_setup import (
    LEGACY,
    MODULE,
    UUID,
    SetupError,
    ShellSettings,
    extension_dir,
    extension_files,
    format_string_list,
    install,
    install_files,
    needs_setup,
    parse_shell_version,
    parse_string_list,
    uninstall,
    variant_for,
)
from focusguard.platform.window import ProbeUnavailable, ProcessCache, ProcessInfo, WindowInfo

# -- versions and files ---------------------------------------------------------------


@pytest.mark.parametrize(("output", "major"), [
    ("GNOME Shell 43.9\n", 43), ("GNOME Shell 48.alpha", 48), ("GNOME Shell 45.0 (ubuntu)", 45),
    ("", None), ("gnome-shell: command not found", None),
])
def test_shell_version_is_read_from_gnome_shell_version(output: str, major: int | None) -> None:
    assert parse_shell_version(output) == major


@pytest.mark.parametrize(("version", "variant"), [(43, LEGACY), (44, LEGACY), (45, MODULE), (48, MODULE),
                                                  (49, MODULE)])
def test_the_variant_follows_the_format_change_in_gnome_45(version: int, variant: Any) -> None:
    chosen = variant_for(version)
    assert chosen == variant and version in chosen.shell_versions


def test_a_shell_newer_than_the_list_is_named_in_the_metadata() -> None:
    chosen = variant_for(52)
    assert chosen.template == "module.js" and 52 in chosen.shell_versions


def test_a_shell_older_than_43_is_refused_with_a_reason() -> None:
    with pytest.raises(SetupError, match="GNOME Shell 42 is too old"):
        variant_for(42)


def test_legacy_files_use_imports_and_an_init_function() -> None:
    files = extension_files(LEGACY)
    assert set(files) == {"extension.js", "metadata.json"}
    js = files["extension.js"]
    assert "@PUBLISHER@" not in js and "class FocusPublisher" in js
    assert "function init()" in js and "imports.gi" in js
    assert not re.search(r"^\s*(import|export) ", js, re.M)  # GNOME 43 would reject the file
    metadata = json.loads(files["metadata.json"])
    assert metadata["uuid"] == UUID and metadata["shell-version"] == ["43", "44"]


def test_module_files_are_an_es_module_with_a_default_extension_class() -> None:
    files = extension_files(MODULE)
    js = files["extension.js"]
    assert "@PUBLISHER@" not in js and "class FocusPublisher" in js
    assert "export default class FocusGuardExtension extends Extension" in js
    assert "import Gio from 'gi://Gio';" in js and "imports.gi" not in js
    assert json.loads(files["metadata.json"])["shell-version"] == ["45", "46", "47", "48", "49"]


@pytest.mark.parametrize(("variant", "suffix"), [(LEGACY, ".js"), (MODULE, ".mjs")])
def test_each_variant_is_valid_javascript(variant: Any, suffix: str, tmp_path: Path) -> None:
    """Only the 43-44 variant runs on this machine's GNOME Shell (the e2e tests);
    node at least parses both, the 45+ one as an ES module."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("CI must check the extension's syntax, but it needs node (apt install nodejs)")
        pytest.skip("needs node (apt install nodejs)")
    script = tmp_path / f"extension{suffix}"
    script.write_text(extension_files(variant)["extension.js"], encoding="utf-8")
    done = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_extension_and_the_probe_agree_on_name_path_interface_and_signature() -> None:
    js = extension_files(MODULE)["extension.js"]
    assert f"const BUS_NAME = '{gnome_setup.BUS_NAME}';" in js
    assert f"const OBJECT_PATH = '{gnome.OBJECT_PATH}';" in js
    assert f'<interface name="{gnome.INTERFACE}">' in js
    assert "new GLib.Variant('(tsssib)'" in js and 'type="a(tsssib)"' in js
    for method in ("GetFocus", "ListWindows", "Activate", "Place", "FocusChanged"):
        assert f'name="{method}"' in js


def test_disable_undoes_every_connection_the_extension_makes() -> None:
    js = extension_files(LEGACY)["extension.js"]
    # the display's focus, each followed window's signals, and a placed window's first showing
    assert js.count(".connect(") == 3
    assert js.count("win.disconnect(id)") == 1  # the last undoes itself once run
    assert "global.display.disconnect(this._focusHandler)" in js
    assert "this._window.disconnect(id)" in js
    assert "Gio.bus_unown_name(this._nameId)" in js and "this._dbus.unexport()" in js


def test_files_go_where_gnome_shell_looks_for_the_users_extensions(tmp_path: Path) -> None:
    assert extension_dir({"XDG_DATA_HOME": str(tmp_path / "data")}) == \
        tmp_path / "data/gnome-shell/extensions" / UUID
    assert extension_dir({}, home=tmp_path) == tmp_path / ".local/share/gnome-shell/extensions" / UUID
    assert extension_dir({"XDG_DATA_HOME": "relative"}, home=tmp_path) == \
        tmp_path / ".local/share/gnome-shell/extensions" / UUID


def test_install_files_is_private_and_idempotent(tmp_path: Path) -> None:
    target = tmp_path / "extensions" / UUID
    files = extension_files(LEGACY)
    assert install_files(target, files) is True
    assert sorted(p.name for p in target.iterdir()) == ["extension.js", "metadata.json"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert all(stat.S_IMODE((target / n).stat().st_mode) == 0o600 for n in files)
    assert (target / "extension.js").read_text(encoding="utf-8") == files["extension.js"]
    assert install_files(target, files) is False
    assert install_files(target, extension_files(MODULE)) is True  # after a GNOME upgrade


def test_install_files_is_private_whatever_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "share" / "gnome-shell" / "extensions" / UUID
    old = os.umask(0)
    try:
        install_files(target, extension_files(LEGACY))
    finally:
        os.umask(old)
    for folder in (target, target.parent, target.parent.parent, tmp_path / "share"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in target.iterdir())


# -- gsettings ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "items"), [
    ("@as []\n", []), ("['a@b']\n", ["a@b"]), ("['x', \"y's\"]", ["x", "y's"]),
])
def test_string_lists_as_gsettings_prints_them(text: str, items: list[str]) -> None:
    assert parse_string_list(text) == items
    assert parse_string_list(format_string_list(items)) == items


@pytest.mark.parametrize("text", ["['a', 1]", "nonsense [", "{'a': 1}"])
def test_unreadable_string_lists_are_a_clear_error(text: str) -> None:
    with pytest.raises(SetupError, match="gsettings"):
        parse_string_list(text)


class FakeGnome:
    """``gnome-shell --version`` and ``gsettings`` as a GNOME system answers them."""

    def __init__(self, version: str = "GNOME Shell 43.9", *, user_extensions_off: bool = False) -> None:
        self.version = version
        self.keys: dict[str, list[str]] = {"enabled-extensions": ["other@x"], "disabled-extensions": [UUID]}
        self.user_extensions_off = user_extensions_off
        self.sets: list[tuple[str, str]] = []

    def __call__(self, argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        argv = list(argv)
        if argv == ["gnome-shell", "--version"]:
            return self._done(argv, self.version + "\n" if self.version else "", 0 if self.version else 127)
        if argv[:3] == ["gsettings", "get", "org.gnome.shell"]:
            if argv[3] == "disable-user-extensions":
                return self._done(argv, "true\n" if self.user_extensions_off else "false\n")
            return self._done(argv, format_string_list(self.keys[argv[3]]) + "\n")
        if argv[:3] == ["gsettings", "set", "org.gnome.shell"]:
            self.sets.append((argv[3], argv[4]))
            self.keys[argv[3]] = parse_string_list(argv[4])
            return self._done(argv, "")
        raise AssertionError(f"unexpected command {argv}")

    @staticmethod
    def _done(argv: list[str], out: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(argv, code, out, "")


class FakeShellBus:
    def __init__(self, *, knows: bool = False, publishing: bool = False) -> None:
        self._knows, self._publishing = knows, publishing
        self.enabled: list[str] = []
        self.disabled: list[str] = []

    def knows(self, uuid: str) -> bool:
        return self._knows

    def enable(self, uuid: str) -> bool:
        self.enabled.append(uuid)
        return True

    def disable(self, uuid: str) -> bool:
        self.disabled.append(uuid)
        return True

    def publishing(self) -> bool:
        return self._publishing


def test_settings_enable_lists_the_uuid_once_and_unblocks_it() -> None:
    run = FakeGnome()
    ShellSettings(run).enable(UUID)
    assert run.keys == {"enabled-extensions": ["other@x", UUID], "disabled-extensions": []}
    run.sets.clear()
    ShellSettings(run).enable(UUID)
    assert run.sets == []


def test_first_install_enables_in_settings_and_asks_for_one_log_out(tmp_path: Path) -> None:
    run, env = FakeGnome(), {"XDG_DATA_HOME": str(tmp_path), "XDG_SESSION_TYPE": "wayland"}
    lines = install(env, run, None)
    target = tmp_path / "gnome-shell/extensions" / UUID
    assert (target / "extension.js").exists()
    assert json.loads((target / "metadata.json").read_text())["shell-version"] == ["43", "44"]
    assert UUID in run.keys["enabled-extensions"]
    assert lines[0].startswith("Installed: FocusGuard's GNOME Shell extension for GNOME 43")
    assert lines[-1].startswith("Log out and log in again once")


def test_install_for_gnome_48_writes_the_module_variant(tmp_path: Path) -> None:
    install({"XDG_DATA_HOME": str(tmp_path)}, FakeGnome("GNOME Shell 48.2"), None)
    js = (tmp_path / "gnome-shell/extensions" / UUID / "extension.js").read_text()
    assert "export default class" in js


def test_install_again_with_the_shell_running_it_needs_no_log_out(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path)}
    install(env, FakeGnome(), None)
    shell = FakeShellBus(knows=True, publishing=True)
    lines = install(env, FakeGnome(), shell)  # type: ignore[arg-type]
    assert shell.enabled == [UUID]
    assert lines[0].startswith("Already installed")
    assert lines[-1] == "GNOME Shell is running it: FocusGuard can see your windows."


def test_install_on_x11_says_how_to_restart_the_shell(tmp_path: Path) -> None:
    lines = install({"XDG_DATA_HOME": str(tmp_path), "XDG_SESSION_TYPE": "x11"}, FakeGnome(), None)
    assert "Alt+F2" in lines[-1]


def test_install_warns_when_all_user_extensions_are_off(tmp_path: Path) -> None:
    lines = install({"XDG_DATA_HOME": str(tmp_path)}, FakeGnome(user_extensions_off=True), None)
    assert any("disable-user-extensions false" in line for line in lines)


def test_uninstall_disables_and_removes(tmp_path: Path) -> None:
    env, run = {"XDG_DATA_HOME": str(tmp_path)}, FakeGnome()
    install(env, run, None)
    shell = FakeShellBus(knows=True)
    lines = uninstall(env, run, shell)  # type: ignore[arg-type]
    assert shell.disabled == [UUID] and UUID not in run.keys["enabled-extensions"]
    assert not (tmp_path / "gnome-shell/extensions" / UUID).exists()
    assert lines[-1].startswith("Disabled and removed")
    assert "is not installed" in uninstall(env, run, None)[-1]


def test_setup_gnome_without_gnome_shell_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no gnome-shell, no gsettings
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    assert cli.main(["setup", "gnome"]) == 1
    err = capsys.readouterr().err
    assert err == "focusguard setup gnome: GNOME Shell is not installed here (`gnome-shell --version` failed)\n"
    assert not (tmp_path / "data").exists()


# -- the probe ------------------------------------------------------------------------

OWNER = ":1.7"
MAIL = (11, "Inbox - Mail", "org.gnome.Evolution.desktop", "evolution", 4242, False)
SHEET = (12, "Budget.ods", "", "libreoffice-calc", 0, True)
PROCESSES = {4242: ProcessInfo(4242, "evolution", "/usr/bin/evolution", 1000, 1)}


def processes() -> ProcessCache:
    return ProcessCache(reader=PROCESSES.get, created=lambda pid: 1.0)


class FakeSessionBus:
    """The session bus as the probe's jeepney connection sees it, with GNOME Shell
    and (when ``owner``) FocusGuard's extension on it."""

    def __init__(self, focus: tuple[Any, ...] = MAIL, *, owner: str = OWNER, shell: bool = True,
                 info: dict[str, tuple[str, Any]] | None = None) -> None:
        self.focus = focus
        self.owner = owner
        self.shell = shell
        self.info = info or {}
        self.windows = [MAIL, SHEET]
        self.own_titles = ["FocusGuard nudge"]  # the caller's windows the shell has mapped
        self.can_place = True  # False: an extension from before Place
        self.incoming: deque[Message] = deque()
        self.during_call: list[Message] = []  # signals the bus sends while a call waits
        self.queue: deque[Message] | None = None
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.matches: list[str] = []
        self.closed = False

    # what the probe uses of jeepney's DBusConnection
    def filter(self, rule: MatchRule, *, queue: deque[Message] | None = None) -> Any:
        self.queue = queue

        class Handle:
            def close(handle) -> None:  # noqa: N805
                self.queue = None

        return Handle()

    def receive(self, *, timeout: float | None = None) -> Message:
        if not self.incoming:
            raise TimeoutError
        return self.incoming.popleft()

    def close(self) -> None:
        self.closed = True

    def send(self, message: Message) -> None:
        raise AssertionError("the probe only makes calls")

    def send_and_get_reply(self, message: Message, *, timeout: float | None = None) -> Message:
        fields = message.header.fields
        member, dest = fields[HeaderFields.member], fields[HeaderFields.destination]
        self.calls.append((member, tuple(message.body)))
        if self.queue is not None:
            self.queue.extend(self.during_call)
        self.during_call = []
        if dest == "org.freedesktop.DBus":
            if member == "AddMatch":
                self.matches.append(message.body[0])
                return new_method_return(message)
            if member == "GetNameOwner":
                name = message.body[0]
                owner = self.owner if name == gnome_setup.BUS_NAME else (":1.2" if self.shell else "")
                if not owner:
                    return new_error(message, "org.freedesktop.DBus.Error.NameHasNoOwner", "s", ("none",))
                return new_method_return(message, "s", (owner,))
        if dest == "org.gnome.Shell" and member == "GetExtensionInfo":
            return new_method_return(message, "a{sv}", (self.info,))
        if dest == gnome_setup.BUS_NAME and self.owner:
            if member == "GetFocus":
                return new_method_return(message, "tsssib", self.focus)
            if member == "ListWindows":
                return new_method_return(message, "a(tsssib)", (self.windows,))
            if member == "Activate":
                found = any(w[0] == message.body[0] for w in self.windows)
                return new_method_return(message, "b", (found,))
            if member == "Place" and self.can_place:
                return new_method_return(message, "b", (message.body[0] in self.own_titles,))
            if member == "Place":
                return new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", ("no Place",))
        return new_error(message, "org.freedesktop.DBus.Error.ServiceUnknown", "s", ("no",))

    # what the bus pushes
    def focus_changed(self, window: tuple[Any, ...], sender: str = OWNER) -> Message:
        signal = new_signal(DBusAddress(gnome.OBJECT_PATH, interface=gnome.INTERFACE),
                            "FocusChanged", "tsssib", window)
        signal.header.fields[HeaderFields.sender] = sender
        return signal

    def owner_changed(self, old: str, new: str) -> Message:
        signal = new_signal(DBusAddress("/org/freedesktop/DBus", interface="org.freedesktop.DBus"),
                            "NameOwnerChanged", "sss", (gnome_setup.BUS_NAME, old, new))
        signal.header.fields[HeaderFields.sender] = "org.freedesktop.DBus"
        return signal


def make_probe(bus: FakeSessionBus, tmp_path: Path | None = None) -> GnomeShellProbe:
    env = {"XDG_DATA_HOME": str(tmp_path)} if tmp_path else {}
    return GnomeShellProbe(bus, processes=processes(), env=env)  # type: ignore[arg-type]


def test_describe_names_the_app_by_its_process_else_its_app_id_else_its_class() -> None:
    cache = processes()
    assert describe(MAIL, cache) == WindowInfo("evolution", "Inbox - Mail", "/usr/bin/evolution", 4242,
                                               "evolution", False)
    assert describe(SHEET, cache) == WindowInfo("libreoffice-calc", "Budget.ods", "", None,
                                                "libreoffice-calc", True)
    gone = (13, "t", "org.gnome.Nautilus.desktop", "org.gnome.Nautilus", 999, False)
    assert describe(gone, cache) == WindowInfo("org.gnome.Nautilus", "t", "", None, "org.gnome.Nautilus")
    assert describe((0, "", "", "", 0, False), cache) is None


def test_the_probe_starts_with_the_focused_window_and_watches_the_signal() -> None:
    bus = FakeSessionBus()
    probe = make_probe(bus)
    assert probe.name == "GNOME Shell extension" and probe.warning == ""
    info = probe.active_window()
    assert info is not None and info.title == "Inbox - Mail" and info.app == "evolution"
    assert any("member='FocusChanged'" in rule and f"sender='{gnome_setup.BUS_NAME}'" in rule
               for rule in bus.matches)
    assert any("member='NameOwnerChanged'" in rule and f"arg0='{gnome_setup.BUS_NAME}'" in rule
               for rule in bus.matches)
    calls = [c[0] for c in bus.calls]
    assert calls.index("AddMatch") < calls.index("GetFocus")  # no change can slip between


def test_dispatch_takes_each_change_and_answers_from_it() -> None:
    bus = FakeSessionBus()
    probe = make_probe(bus)
    assert probe.dispatch() is False  # nothing waiting: no change, no blocking
    bus.incoming.append(bus.focus_changed(SHEET))
    assert probe.dispatch() is True
    assert probe.active_window() == describe(SHEET, processes())
    bus.incoming.append(bus.focus_changed(SHEET))  # the same window, told again
    assert probe.dispatch() is False
    retitled = (12, "Budget (2).ods", "", "libreoffice-calc", 0, True)
    bus.incoming.extend([bus.focus_changed(MAIL), bus.focus_changed(retitled)])
    assert probe.dispatch() is True
    info = probe.active_window()
    assert info is not None and info.title == "Budget (2).ods"
    calls = len(bus.calls)
    probe.active_window()
    assert len(bus.calls) == calls  # answered from the events, no round trip


def test_signals_from_anyone_but_the_extension_are_ignored() -> None:
    bus = FakeSessionBus()
    probe = make_probe(bus)
    bus.incoming.append(bus.focus_changed(SHEET, sender=":1.99"))
    assert probe.dispatch() is False
    assert probe.active_window() is not None and probe.active_window().title == "Inbox - Mail"  # type: ignore[union-attr]


def test_signals_that_arrive_during_a_call_are_not_lost() -> None:
    bus = FakeSessionBus()
    probe = make_probe(bus)
    bus.during_call = [bus.focus_changed(SHEET)]
    assert probe.activate(lambda w: False) is False  # a call (ListWindows) meanwhile
    assert probe.dispatch() is True
    assert probe.active_window() == describe(SHEET, processes())


def test_the_extension_going_away_and_coming_back() -> None:
    bus = FakeSessionBus()
    probe = make_probe(bus)
    bus.incoming.append(bus.owner_changed(OWNER, ""))  # screen locked: extensions disabled
    bus.owner = ""
    assert probe.dispatch() is True and probe.active_window() is None
    assert probe.activate(lambda w: True) is False
    bus.owner, bus.focus = ":1.8", SHEET
    bus.incoming.append(bus.owner_changed("", ":1.8"))
    assert probe.dispatch() is True
    assert probe.active_window() == describe(SHEET, processes())
    bus.incoming.append(bus.focus_changed(MAIL, sender=":1.8"))  # the new owner is believed
    assert probe.dispatch() is True


def test_activate_asks_for_the_first_window_the_predicate_accepts() -> None:
    bus = FakeSessionBus()
    probe = make_probe(bus)
    assert probe.activate(lambda w: w.fullscreen) is True
    assert bus.calls[-1] == ("Activate", (12,))
    bus.calls.clear()
    assert probe.activate(lambda w: w.title == "nothing") is False
    assert [c[0] for c in bus.calls] == ["ListWindows"]


def test_place_asks_the_extension_to_move_our_window_and_says_whether_it_could() -> None:
    bus = FakeSessionBus()
    probe = make_probe(bus)
    assert probe.place("FocusGuard nudge", 745, 131) is True
    assert bus.calls[-1] == ("Place", ("FocusGuard nudge", 745, 131))
    assert probe.place("FocusGuard status", 963, 16) is False  # not mapped yet: the sampler tries again


def test_place_with_an_extension_from_before_place_names_the_setup_command(
        caplog: pytest.LogCaptureFixture) -> None:
    bus = FakeSessionBus()
    bus.can_place = False
    probe = make_probe(bus)
    assert probe.place("FocusGuard nudge", 745, 131) is False
    assert "focusguard setup gnome" in caplog.text
    calls = len(bus.calls)
    assert probe.place("FocusGuard nudge", 745, 131) is False
    assert len(bus.calls) == calls  # not asked again, nor said again
    assert caplog.text.count("focusguard setup gnome") == 1


def test_place_without_the_extension_on_the_bus_asks_nothing() -> None:
    bus = FakeSessionBus()
    probe = make_probe(bus)
    bus.incoming.append(bus.owner_changed(OWNER, ""))
    probe.dispatch()
    bus.calls.clear()
    assert probe.place("FocusGuard nudge", 745, 131) is False
    assert bus.calls == []


def test_a_lost_connection_is_probe_unavailable() -> None:
    bus = FakeSessionBus()
    probe = make_probe(bus)

    def reset(*, timeout: float | None = None) -> Message:
        raise ConnectionResetError("the bus closed the connection")

    bus.receive = reset  # type: ignore[method-assign]
    with pytest.raises(ProbeUnavailable, match="session bus connection was lost"):
        probe.dispatch()
    probe.close()
    assert bus.closed and bus.queue is None


def test_outside_gnome_the_probe_says_so(tmp_path: Path) -> None:
    with pytest.raises(ProbeUnavailable, match="GNOME Shell is not on the session bus"):
        make_probe(FakeSessionBus(owner="", shell=False), tmp_path)


def test_without_the_extension_the_probe_names_the_setup_command(tmp_path: Path) -> None:
    with pytest.raises(ProbeUnavailable) as err:
        make_probe(FakeSessionBus(owner=""), tmp_path)
    assert err.value.why == ("FocusGuard's GNOME Shell extension is not installed: run "
                             "`focusguard setup gnome`, then log out and log in once")
    (tmp_path / "gnome-shell/extensions" / UUID).mkdir(parents=True)
    with pytest.raises(ProbeUnavailable, match="installed but GNOME Shell has not loaded it yet: log out"):
        make_probe(FakeSessionBus(owner=""), tmp_path)
    disabled = {"uuid": ("s", UUID), "state": ("d", 2.0), "error": ("s", "")}
    with pytest.raises(ProbeUnavailable, match="installed but not enabled: run `focusguard setup gnome`"):
        make_probe(FakeSessionBus(owner="", info=disabled), tmp_path)


@pytest.mark.parametrize(("info", "says"), [
    ({"state": 3.0, "error": "TypeError: x is undefined"}, "failed to start (TypeError: x is undefined)"),
    ({"state": 4.0}, "not the one for this GNOME version"),
    ({"state": 6.0}, "installed but not enabled"),
    ({"state": 1.0}, "enabled but not answering yet"),
])
def test_each_extension_state_has_its_own_reason(info: dict[str, Any], says: str) -> None:
    why = explain(info, installed=True)
    assert says in why and "focusguard setup gnome" in why


def test_setup_is_offered_only_on_gnome_wayland() -> None:
    assert not needs_setup({"XDG_SESSION_TYPE": "x11", "XDG_CURRENT_DESKTOP": "GNOME"})
    assert not needs_setup({"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE"})
    # GNOME on Wayland without a session bus: nothing the extension could tell us through
    assert not needs_setup({"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "GNOME"})

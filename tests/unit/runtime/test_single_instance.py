"""The single-instance lock and socket: in the session's own runtime folder, private,
never shared between sessions, never a second settings window beside the app's."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from focusguard import cli
from focusguard.runtime.single_instance import (
    SETTINGS,
    InstanceError,
    SingleInstance,
    endpoint,
    is_running,
    notify_running,
)
from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.settings import WINDOW_TITLE


def session(tmp_path: Path, name: str) -> Path:
    run = tmp_path / name
    run.mkdir(mode=0o700)
    return run


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    run = session(tmp_path, "run")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


@pytest.fixture
def instance(qtbot, runtime: Path):
    held = SingleInstance()
    assert held.acquire()
    yield held
    held.release()
    qtbot.wait(50)  # queued socket disconnects delivered before the object goes


def test_lock_and_socket_are_in_the_session_runtime_folder_and_private(instance: SingleInstance,
                                                                        runtime: Path) -> None:
    folder = runtime / "focusguard"
    assert instance.endpoint.lock == folder / "lock"
    assert instance.endpoint.server == str(folder / "socket")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(os.stat(instance.endpoint.lock).st_mode) == 0o600
    sock = os.stat(instance.endpoint.server)
    assert stat.S_ISSOCK(sock.st_mode) and not sock.st_mode & 0o077


def test_lock_is_private_even_under_umask_000(qtbot, runtime: Path) -> None:
    old = os.umask(0)
    try:
        held = SingleInstance()
        assert held.acquire()
    finally:
        os.umask(old)
    try:
        assert stat.S_IMODE(os.stat(held.endpoint.lock).st_mode) == 0o600
        assert stat.S_IMODE((runtime / "focusguard").stat().st_mode) == 0o700
    finally:
        held.release()


def test_two_sessions_of_one_user_never_cross(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = session(tmp_path, "one"), session(tmp_path, "two")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(one))
    first = SingleInstance()
    assert first.acquire()
    try:
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(two))
        assert not is_running()
        assert not notify_running(SETTINGS, timeout_ms=300)
        second = SingleInstance()
        assert second.acquire()  # the second session runs its own app
        second.release()
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(one))
        assert is_running()
        with qtbot.waitSignal(first.settings_requested, timeout=3000):
            assert notify_running(SETTINGS)
    finally:
        first.release()
        qtbot.wait(50)


def test_a_second_instance_does_not_get_the_lock(instance: SingleInstance) -> None:
    other = SingleInstance()
    assert not other.acquire()
    assert is_running()


def test_a_lock_left_by_a_killed_process_is_free(runtime: Path) -> None:
    lock = endpoint().lock
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from PySide6.QtCore import QLockFile;"
         f"lock = QLockFile({str(lock)!r}); print(lock.tryLock(0), flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "True"
        assert is_running()
    finally:
        holder.kill()
        holder.wait()
    assert lock.exists() and not is_running()  # kill -9 left the file; the lock is free


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_a_lock_file_of_someone_else_is_refused(runtime: Path) -> None:
    folder = runtime / "focusguard"
    folder.mkdir(mode=0o700)
    (folder / "lock").write_text("")
    os.chown(folder / "lock", 4242, 4242)
    with pytest.raises(InstanceError, match="FocusGuard did not make it"):
        SingleInstance()


def test_a_socket_path_too_long_is_said_not_ignored(qtbot, tmp_path: Path) -> None:
    too_long = tmp_path / ("x" * 120)  # past the 108 bytes a socket path may have
    with pytest.raises(InstanceError, match="longer than the 103 bytes a local socket may have"):
        SingleInstance(too_long)


def test_a_socket_that_cannot_listen_is_said_not_ignored(qtbot, runtime: Path) -> None:
    held = SingleInstance()
    os.mkdir(held.endpoint.server)  # a folder where the socket should go: removeServer keeps it
    with pytest.raises(InstanceError, match="cannot listen on"):
        held.acquire()
    assert not is_running()  # the lock was let go


def test_an_unsafe_runtime_dir_is_a_message_from_the_cli(runtime: Path, capsys) -> None:
    runtime.chmod(0o755)
    assert cli.main(["settings"]) == 1
    err = capsys.readouterr().err
    assert "open to other users (mode 0755)" in err and "Traceback" not in err


def test_settings_never_opens_a_second_window_beside_a_stuck_app(qtbot, runtime: Path, capsys,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    """The app holds the lock but does not answer on its socket: `focusguard settings`
    says so instead of opening a window of its own."""
    lock = QtCore.QLockFile(str(endpoint().lock))
    assert lock.tryLock(0)
    opened = []
    monkeypatch.setattr(QtWidgets.QApplication, "exec", lambda qapp: opened.append(1) or 0)
    try:
        code = cli.main(["--config", str(tmp_path / "c.toml"), "--db", str(tmp_path / "fg.db"), "settings"])
    finally:
        lock.unlock()
    assert code == 1 and not opened
    assert "running but does not answer" in capsys.readouterr().err
    assert not [w for w in QtWidgets.QApplication.topLevelWidgets()
                if w.windowTitle() == WINDOW_TITLE and w.isVisible()]

"""One FocusGuard per session: a lock file decides, a local socket carries the requests
of a second start: "show yourself" (``SHOW``), "open your settings" (``SETTINGS``,
from ``focusguard settings``) or "back to the priority" (``BACK``, from ``focusguard back``).

Both live in FocusGuard's folder of the session's runtime directory
(:func:`focusguard.core.files.runtime_dir`: ``$XDG_RUNTIME_DIR/focusguard`` on Linux),
checked to be the user's alone before use. A socket under a shared, guessable name
such as ``/tmp/focusguard-<user>`` could be bound first by another local user, who
would then receive the user's requests; and two sessions of one user (two
``XDG_RUNTIME_DIR``) never meet. On Windows the socket is a named pipe, per user by
name and ACL (Qt's ``UserAccessOption``).

QLockFile notices a stale lock left by a killed process (it stores the PID), so a
`kill -9` never keeps the next start from running.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from focusguard.core import files
from focusguard.ui.qt import QtCore, QtNetwork

SHOW = b"show\n"
SETTINGS = b"settings\n"
BACK = b"back\n"  # `focusguard back`: "Back to <priority>", bound to a key on Wayland
#: The longest socket path every Unix takes (sockaddr_un: 108 bytes on Linux, 104 on macOS).
MAX_SOCKET_PATH = 103


class InstanceError(Exception):
    """The lock or socket cannot be used safely; the message says why and what to do."""


@dataclass(frozen=True)
class Endpoint:
    """Where one session's instance is found: its lock file and its server name
    (a socket path, or a pipe name on Windows)."""

    lock: Path
    server: str


def endpoint(directory: Path | None = None) -> Endpoint:
    """The lock and socket in ``directory`` (default: the session's runtime folder),
    after checking that the folder, and anything already in it, is the user's alone.
    Raises InstanceError."""
    try:
        folder = files.private_dir(directory) if directory else files.runtime_dir()
        lock = folder / "lock"
        socket = folder / "socket"  # short: a socket path may have 103 bytes at most
        for path in (lock, socket):
            files.require_own(path)
    except OSError as exc:  # files.UnsafePathError included
        raise InstanceError(f"FocusGuard cannot use its runtime folder: {exc}") from None
    if sys.platform == "win32":
        return Endpoint(lock, f"focusguard-{getpass.getuser()}")
    if len(os.fsencode(socket)) > MAX_SOCKET_PATH:
        raise InstanceError(
            f"FocusGuard cannot make its socket {socket}: the path is longer than the "
            f"{MAX_SOCKET_PATH} bytes a local socket may have. Set XDG_RUNTIME_DIR (or a shorter "
            "XDG_CACHE_HOME) and start it again"
        )
    return Endpoint(lock, str(socket))


class SingleInstance(QtCore.QObject):
    """Holds the session's lock; emits `activated` when a second start asks us to show,
    `settings_requested` when it asks for the settings window. ``directory`` (default:
    the runtime folder) lets tests listen without touching a real instance.
    Raises InstanceError when the folder is not safe to use."""

    activated = QtCore.Signal()
    settings_requested = QtCore.Signal()
    back_requested = QtCore.Signal()

    def __init__(self, directory: Path | None = None, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.endpoint = endpoint(directory)
        self._lock = QtCore.QLockFile(str(self.endpoint.lock))
        self._lock.setStaleLockTime(0)
        self._server: QtNetwork.QLocalServer | None = None

    def acquire(self) -> bool:
        """True when this process is the one instance; then it listens. Raises
        InstanceError when it holds the lock but cannot listen (nobody could reach it)."""
        if not self._lock.tryLock(100):
            return False
        if os.name == "posix":  # QLockFile creates it 0666 less the umask
            os.chmod(self.endpoint.lock, files.PRIVATE_FILE_MODE)
        QtNetwork.QLocalServer.removeServer(self.endpoint.server)  # a socket left by a killed instance
        self._server = QtNetwork.QLocalServer(self)
        self._server.setSocketOptions(QtNetwork.QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)
        if not self._server.listen(self.endpoint.server):
            why = self._server.errorString()
            self.release()
            raise InstanceError(f"FocusGuard cannot listen on {self.endpoint.server}: {why}")
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_message(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_message(self, socket: QtNetwork.QLocalSocket) -> None:
        message = bytes(socket.readAll().data())
        if message.startswith(SETTINGS.strip()):
            self.settings_requested.emit()
        elif message.startswith(BACK.strip()):
            self.back_requested.emit()
        elif message.startswith(SHOW.strip()):
            self.activated.emit()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()


def notify_running(message: bytes = SHOW, timeout_ms: int = 2000, *, directory: Path | None = None) -> bool:
    """Sends ``message`` (SHOW: show the menu; SETTINGS: open the settings; BACK:
    answer "Back to <priority>") to the
    running instance; False when none answers. Raises InstanceError when the
    runtime folder is not safe (then nothing is sent anywhere)."""
    socket = QtNetwork.QLocalSocket()
    socket.connectToServer(endpoint(directory).server)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(message)
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


def is_running(directory: Path | None = None) -> bool:
    """True when a live process holds the session's lock, answering or not. A stale
    lock (its process gone) counts as free. Raises InstanceError."""
    lock = QtCore.QLockFile(str(endpoint(directory).lock))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        lock.unlock()
        return False
    return True

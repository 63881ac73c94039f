"""One FocusGuard per user: a lock file decides, a local socket carries the requests
of a second start: "show yourself" (``SHOW``) or "open your settings" (``SETTINGS``,
from ``focusguard settings``).

QLockFile notices a stale lock left by a killed process (it stores the PID), so a
`kill -9` never keeps the next start from running.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from focusguard.ui.qt import QtCore, QtNetwork

SHOW = b"show\n"
SETTINGS = b"settings\n"


def server_name() -> str:
    return f"focusguard-{getpass.getuser()}"


class SingleInstance(QtCore.QObject):
    """Holds the per-user lock; emits `activated` when a second start asks us to show,
    `settings_requested` when it asks for the settings window. ``name`` (default
    :func:`server_name`) lets tests listen without touching a real instance."""

    activated = QtCore.Signal()
    settings_requested = QtCore.Signal()

    def __init__(self, lock_dir: Path, parent: QtCore.QObject | None = None, *, name: str | None = None) -> None:
        super().__init__(parent)
        self._name = name or server_name()
        lock_dir.mkdir(parents=True, exist_ok=True)
        self._lock = QtCore.QLockFile(str(lock_dir / "focusguard.lock"))
        self._lock.setStaleLockTime(0)
        self._server: QtNetwork.QLocalServer | None = None

    def acquire(self) -> bool:
        """True when this process is the one instance; then it starts listening."""
        if not self._lock.tryLock(100):
            return False
        QtNetwork.QLocalServer.removeServer(self._name)  # a socket left by a killed instance
        self._server = QtNetwork.QLocalServer(self)
        self._server.setSocketOptions(QtNetwork.QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)
        self._server.listen(self._name)
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
        elif message.startswith(SHOW.strip()):
            self.activated.emit()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
        self._lock.unlock()


def notify_running(message: bytes = SHOW, timeout_ms: int = 2000, *, name: str | None = None) -> bool:
    """Sends ``message`` (SHOW: show the menu; SETTINGS: open the settings) to the
    running instance; False when none answers."""
    socket = QtNetwork.QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(message)
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True

"""The active window on sway, through its IPC socket ($SWAYSOCK).

sway speaks i3's IPC protocol: each message is the magic ``i3-ipc``, then the
payload's length and the message type as little-endian uint32, then JSON. Events
come on a subscribed socket with the type's high bit set. The probe subscribes to
window and workspace events on one socket, so nothing runs while nothing changes,
and keeps a second socket for requests (GET_TREE, RUN_COMMAND), whose replies must
not interleave with events.

sway gives more than the wlr-foreign-toplevel protocol: the window's pid (from the
client's socket credentials, so it names the right process even for sandboxed
apps), its full-screen mode, and focus by container id.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import struct
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from focusguard.platform.window import ProbeUnavailable, ProcessCache, WindowInfo

log = logging.getLogger(__name__)

MAGIC = b"i3-ipc"
HEADER = struct.Struct("<II")  # payload length, message type
HEADER_SIZE = len(MAGIC) + HEADER.size
RUN_COMMAND, SUBSCRIBE, GET_TREE = 0, 2, 4
EVENT_BIT = 0x80000000
WORKSPACE_EVENT, WINDOW_EVENT = EVENT_BIT | 0, EVENT_BIT | 3
REQUEST_TIMEOUT = 2.0  # seconds; sway answers in about a millisecond


class IpcError(Exception):
    """The socket broke or sway sent something that is not i3-ipc."""


def encode(kind: int, payload: bytes = b"") -> bytes:
    return MAGIC + HEADER.pack(len(payload), kind) + payload


class Framer:
    """Splits a byte stream into (type, payload) messages, whatever the chunking."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        self._buffer += data
        messages = []
        while len(self._buffer) >= HEADER_SIZE:
            if self._buffer[: len(MAGIC)] != MAGIC:
                raise IpcError("sway's IPC sent data without the i3-ipc magic")
            length, kind = HEADER.unpack_from(self._buffer, len(MAGIC))
            end = HEADER_SIZE + length
            if len(self._buffer) < end:
                break
            messages.append((kind, bytes(self._buffer[HEADER_SIZE:end])))
            del self._buffer[:end]
        return messages


# -- the tree ----------------------------------------------------------------------


def is_window(node: Mapping[str, Any]) -> bool:
    """A container that holds a client (native: app_id; XWayland: window_properties)."""
    return node.get("type") in ("con", "floating_con") and (
        node.get("app_id") is not None or node.get("window_properties") is not None
        or node.get("pid") is not None)


def children(node: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [*node.get("nodes", ()), *node.get("floating_nodes", ())]


def focused_window(tree: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The focused window in ``tree``; None when the focus is on an empty workspace."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.get("focused"):
            return node if is_window(node) else None
        stack.extend(children(node))
    return None


def windows_by_focus(tree: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every window, the most recently focused first: each node's ``focus`` list orders
    its children by focus recency (sway's stand-in for a stacking order)."""
    by_id = {child["id"]: child for child in children(tree)}
    order = [by_id[i] for i in tree.get("focus", ()) if i in by_id]
    order += [child for child in by_id.values() if child not in order]
    for child in order:
        if is_window(child):
            yield child
        yield from windows_by_focus(child)


def app_id_of(node: Mapping[str, Any]) -> str:
    """The Wayland app id, or for an XWayland window its X class."""
    props = node.get("window_properties") or {}
    return node.get("app_id") or props.get("class") or props.get("instance") or ""


def wm_class_of(node: Mapping[str, Any]) -> str:
    props = node.get("window_properties") or {}
    instance, klass = props.get("instance") or "", props.get("class") or ""
    return f"{instance}.{klass}" if instance or klass else ""


def describe(node: Mapping[str, Any], processes: ProcessCache) -> WindowInfo:
    """The WindowInfo of a window node: the app is its process's name when sway knows
    the pid (the compositor read it from the socket, so it can be trusted), else the
    app id."""
    pid = node.get("pid") or None
    proc = processes.lookup(pid) if pid else None
    app_id = app_id_of(node)
    if proc is not None and proc.name:
        app, exe = proc.name, proc.exe
    else:
        app, exe, pid = app_id, "", None
    return WindowInfo(app=app, title=node.get("name") or "", exe=exe, pid=pid,
                      wm_class=wm_class_of(node), fullscreen=bool(node.get("fullscreen_mode")))


class FocusState:
    """The focused window as sway's events describe it, free of any I/O."""

    def __init__(self, node: Mapping[str, Any] | None = None) -> None:
        self.node = node

    def apply(self, kind: int, event: Mapping[str, Any]) -> None:
        if kind == WINDOW_EVENT:
            self._window(event.get("change", ""), event.get("container") or {})
        elif kind == WORKSPACE_EVENT and event.get("change") == "focus":
            # Focus moved to another workspace. If it holds windows, a window "focus"
            # event follows; an empty one sends none, and then no window has focus.
            current = event.get("current") or {}
            if not children(current):
                self.node = None

    def _window(self, change: str, container: Mapping[str, Any]) -> None:
        same = self.node is not None and container.get("id") == self.node.get("id")
        if change == "focus":
            self.node = container
        elif change == "close" and same:
            self.node = None
        elif same and change in ("title", "fullscreen_mode", "urgent", "mark", "move"):
            self.node = container


# -- the connection -------------------------------------------------------------------


class IpcSocket:
    """One connection to sway's IPC socket: requests block (up to REQUEST_TIMEOUT);
    once ``stream()`` is called it only reads what is waiting."""

    def __init__(self, path: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(REQUEST_TIMEOUT)
        try:
            self.sock.connect(path)
        except OSError:
            self.sock.close()
            raise
        self._framer = Framer()
        self._unread: list[tuple[int, bytes]] = []  # arrived with a reply, not yet asked for

    def request(self, kind: int, payload: bytes = b"") -> Any:
        """Send one message and return sway's decoded reply."""
        self.sock.sendall(encode(kind, payload))
        reply: bytes | None = None
        while reply is None:
            for message in self._framer.feed(self._recv()):
                if message[0] == kind and reply is None:
                    reply = message[1]
                else:
                    self._unread.append(message)
        return json.loads(reply)

    def stream(self) -> None:
        """From now on only read what is waiting (for the subscribed socket)."""
        self.sock.setblocking(False)

    def read_waiting(self) -> list[tuple[int, bytes]]:
        """The messages complete now, without blocking; IpcError when sway hung up."""
        messages, self._unread = self._unread, []
        while True:
            try:
                data = self._recv()
            except BlockingIOError:
                return messages
            messages += self._framer.feed(data)

    def _recv(self) -> bytes:
        try:
            data = self.sock.recv(65536)
        except BlockingIOError:
            raise
        except OSError as err:  # TimeoutError too
            raise IpcError(f"sway's IPC socket failed: {err}") from err
        if not data:
            raise IpcError("sway closed its IPC socket")
        return data

    def close(self) -> None:
        self.sock.close()


#: A title sway's criteria take literally inside quotes and as a regex.
_PLAIN_TITLE = re.compile(r"[A-Za-z0-9 ]+")


class SwayProbe:
    """A ``WindowProbe`` and ``EventSource`` over sway's IPC."""

    name = "sway IPC"

    def __init__(self, events: IpcSocket, requests: IpcSocket,
                 processes: ProcessCache | None = None) -> None:
        self.warning = ""
        self._events = events
        self._requests = requests
        self._processes = processes or ProcessCache()
        self._lost = ""
        try:
            reply = events.request(SUBSCRIBE, json.dumps(["window", "workspace"]).encode())
            if not reply.get("success"):
                raise ProbeUnavailable(f"sway refused the subscription to window events: {reply}")
            events.stream()
            self._state = FocusState(focused_window(requests.request(GET_TREE)))
        except (IpcError, ValueError) as err:
            raise ProbeUnavailable(f"sway's IPC did not answer properly: {err}") from err
        self._active = self._describe()

    @classmethod
    def open(cls, env: Mapping[str, str] = os.environ) -> SwayProbe:
        """Connect to the sway of ``env``; ProbeUnavailable says why not."""
        path = env.get("SWAYSOCK", "")
        if not path:
            raise ProbeUnavailable("SWAYSOCK is not set: this is not a sway session "
                                   "(or sway was started without its IPC socket)")
        opened: list[IpcSocket] = []
        try:
            opened.append(IpcSocket(path))
            opened.append(IpcSocket(path))
            return cls(opened[0], opened[1])
        except BaseException as err:
            for sock in opened:
                sock.close()
            if isinstance(err, OSError):
                raise ProbeUnavailable(f"cannot connect to sway's IPC socket {path}: {err}") from err
            raise

    def _describe(self) -> WindowInfo | None:
        node = self._state.node
        return describe(node, self._processes) if node is not None else None

    # -- WindowProbe / EventSource ---------------------------------------------

    def fileno(self) -> int:
        return self._events.sock.fileno()

    def dispatch(self) -> bool:
        """Apply the waiting events; True when the active window changed."""
        self._check()
        try:
            messages = self._events.read_waiting()
        except IpcError as err:
            self._lost = f"the connection to sway was lost ({err})"
            raise ProbeUnavailable(self._lost) from err
        for kind, body in messages:
            try:
                self._state.apply(kind, json.loads(body))
            except ValueError as err:
                log.warning("sway sent an event that is not JSON (%s); ignored", err)
        active = self._describe() if messages else self._active
        changed, self._active = active != self._active, active
        return changed

    def active_window(self) -> WindowInfo | None:
        self._check()
        return self._active

    def activate(self, predicate: Callable[[WindowInfo], bool]) -> bool:
        """Focus the most recently focused window ``predicate`` accepts."""
        self._check()
        try:
            tree = self._requests.request(GET_TREE)
            for node in windows_by_focus(tree):
                if predicate(describe(node, self._processes)):
                    reply = self._requests.request(RUN_COMMAND, f"[con_id={node['id']}] focus".encode())
                    ok = all(result.get("success") for result in reply)
                    if not ok:
                        log.warning("sway would not focus window %s: %s", node["id"], reply)
                    return ok
        except (IpcError, ValueError) as err:
            log.warning("cannot activate a window through sway's IPC: %s", err)
        return False

    def place(self, title: str, x: int, y: int) -> bool:
        """Move this process's window titled ``title`` to (x, y) of sway's layout: a
        Wayland client cannot place its own window, and sway centres floating ones."""
        self._check()
        if not _PLAIN_TITLE.fullmatch(title):  # FocusGuard's own titles: no quoting needed
            raise ValueError(f"not a plain title: {title!r}")
        criteria = f'[pid={os.getpid()} title="^{title}$"]'
        try:
            reply = self._requests.request(RUN_COMMAND, f"{criteria} move absolute position {x} {y}".encode())
        except IpcError as err:
            log.warning("cannot place %r through sway's IPC: %s", title, err)
            return False
        return all(result.get("success") for result in reply)

    def _check(self) -> None:
        if self._lost:
            raise ProbeUnavailable(self._lost)

    def close(self) -> None:
        self._events.close()
        self._requests.close()

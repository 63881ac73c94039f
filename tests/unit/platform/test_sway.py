"""The sway probe's framing, tree reading and event handling, against a fake sway
that speaks i3-ipc on a real UNIX socket."""

from __future__ import annotations

import json
import os
import select
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.platform.wayland.sway import (
    GET_TREE,
    RUN_COMMAND,
    SUBSCRIBE,
    WINDOW_EVENT,
    WORKSPACE_EVENT,
    FocusState,
    Framer,
    IpcError,
    SwayProbe,
    describe,
    encode,
    focused_window,
    windows_by_focus,
)
from focusguard.platform.window import ProbeUnavailable, ProcessCache, ProcessInfo, WindowInfo


def con(id_: int, name: str, app_id: str | None = "foot", pid: int | None = 100, **extra: Any) -> dict[str, Any]:
    return {"id": id_, "type": "con", "name": name, "app_id": app_id, "pid": pid, "focused": False,
            "fullscreen_mode": 0, "nodes": [], "floating_nodes": [], "focus": [], **extra}


def tree(*workspaces: dict[str, Any], focus: list[int] | None = None) -> dict[str, Any]:
    output = {"id": 3, "type": "output", "name": "HEADLESS-1", "nodes": list(workspaces),
              "floating_nodes": [], "focus": focus or [w["id"] for w in workspaces]}
    return {"id": 1, "type": "root", "name": "root", "nodes": [output], "floating_nodes": [], "focus": [3]}


def workspace(id_: int, *windows: dict[str, Any], focus: list[int] | None = None, **extra: Any) -> dict[str, Any]:
    tiled = [w for w in windows if w["type"] == "con"]
    floating = [w for w in windows if w["type"] == "floating_con"]
    return {"id": id_, "type": "workspace", "name": str(id_), "nodes": tiled, "floating_nodes": floating,
            "focus": focus if focus is not None else [w["id"] for w in windows], "focused": False, **extra}


def processes(**names: str) -> ProcessCache:
    """A ProcessCache over made-up processes: pid -> name (pid given as "p<pid>")."""
    table = {int(key[1:]): ProcessInfo(int(key[1:]), name, f"/usr/bin/{name}", 1000, 1)
             for key, name in names.items()}
    return ProcessCache(reader=table.get, created=lambda pid: 1.0)


# -- framing ---------------------------------------------------------------------


def test_encode_is_magic_then_little_endian_length_and_type() -> None:
    assert encode(GET_TREE, b"{}") == b"i3-ipc" + bytes([2, 0, 0, 0, 4, 0, 0, 0]) + b"{}"


@given(st.lists(st.tuples(st.sampled_from([0, 2, 4, WINDOW_EVENT]), st.binary(max_size=300)), max_size=6),
       st.lists(st.integers(min_value=1, max_value=50), min_size=1))
def test_framer_finds_the_messages_whatever_the_chunking(messages: list[tuple[int, bytes]],
                                                         cuts: list[int]) -> None:
    stream = b"".join(encode(kind, body) for kind, body in messages)
    framer, found, pos = Framer(), [], 0
    for size in cuts * (len(stream) // sum(cuts) + 1):
        found += framer.feed(stream[pos:pos + size])
        pos += size
    found += framer.feed(stream[pos:])
    assert found == messages


def test_framer_refuses_a_stream_that_is_not_i3_ipc() -> None:
    with pytest.raises(IpcError, match="magic"):
        Framer().feed(b"HTTP/1.1 200 OK\r\n\r\n")


# -- the tree --------------------------------------------------------------------


def test_the_focused_window_is_found_among_tiled_and_floating_windows() -> None:
    floating = con(7, "Calculator", type="floating_con", focused=True)
    t = tree(workspace(4, con(5, "Mail"), floating))
    assert focused_window(t)["id"] == 7


def test_an_empty_focused_workspace_means_no_window() -> None:
    t = tree(workspace(4, focused=True), workspace(8, con(5, "Mail")))
    assert focused_window(t) is None


def test_windows_come_most_recently_focused_first() -> None:
    a, b, c = con(5, "A"), con(6, "B"), con(7, "C")
    t = tree(workspace(4, a, b, focus=[6, 5]), workspace(8, c), focus=[8, 4])
    assert [w["name"] for w in windows_by_focus(t)] == ["C", "B", "A"]


def test_a_window_is_described_by_its_process_when_sway_knows_the_pid() -> None:
    info = describe(con(5, "Inbox – Mail", app_id="org.example.mail", pid=42, fullscreen_mode=1),
                    processes(p42="thunderbird"))
    assert info == WindowInfo("thunderbird", "Inbox – Mail", "/usr/bin/thunderbird", 42, "", True)


def test_without_a_process_the_app_id_names_the_app() -> None:
    info = describe(con(5, "Notes", app_id="org.example.notes", pid=43), processes())
    assert info == WindowInfo("org.example.notes", "Notes", "", None, "", False)


def test_an_xwayland_window_is_named_by_its_x_class() -> None:
    node = con(5, "xterm", app_id=None, pid=None, shell="xwayland",
               window_properties={"class": "XTerm", "instance": "xterm", "title": "xterm"})
    info = describe(node, processes())
    assert (info.app, info.wm_class, info.pid) == ("XTerm", "xterm.XTerm", None)


# -- events ----------------------------------------------------------------------


def window_event(change: str, node: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return WINDOW_EVENT, {"change": change, "container": node}


def test_focus_title_fullscreen_and_close_events_follow_the_focused_window() -> None:
    state = FocusState(con(5, "Mail"))
    state.apply(*window_event("title", con(6, "Other window retitled")))
    assert state.node["name"] == "Mail"
    state.apply(*window_event("title", con(5, "Inbox (2) – Mail")))
    assert state.node["name"] == "Inbox (2) – Mail"
    state.apply(*window_event("fullscreen_mode", con(5, "Inbox (2) – Mail", fullscreen_mode=1)))
    assert state.node["fullscreen_mode"] == 1
    state.apply(*window_event("focus", con(6, "Docs")))
    assert state.node["id"] == 6
    state.apply(*window_event("close", con(5, "Inbox (2) – Mail")))
    assert state.node["id"] == 6
    state.apply(*window_event("close", con(6, "Docs")))
    assert state.node is None


def test_moving_to_an_empty_workspace_leaves_no_window_focused() -> None:
    state = FocusState(con(5, "Mail"))
    state.apply(WORKSPACE_EVENT, {"change": "focus", "current": workspace(9, con(6, "Docs"))})
    assert state.node["id"] == 5  # a window "focus" event follows for a workspace with windows
    state.apply(WORKSPACE_EVENT, {"change": "focus", "current": workspace(10)})
    assert state.node is None


# -- the probe against a fake sway -----------------------------------------------


class FakeSway:
    """i3-ipc on a real UNIX socket: answers SUBSCRIBE, GET_TREE and RUN_COMMAND,
    pushes events to the subscribed connection."""

    def __init__(self, path: Path, tree: dict[str, Any]) -> None:
        self.tree = tree
        self.commands: list[str] = []
        self.subscribed: socket.socket | None = None
        self.event_with_subscribe_reply: bytes = b""
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(path))
        self._listener.listen()
        self._conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        framer = Framer()
        while data := self._recv(conn):
            for kind, body in framer.feed(data):
                if kind == SUBSCRIBE:
                    conn.sendall(encode(SUBSCRIBE, b'{"success": true}') + self.event_with_subscribe_reply)
                    self.subscribed = conn
                elif kind == GET_TREE:
                    conn.sendall(encode(GET_TREE, json.dumps(self.tree).encode()))
                elif kind == RUN_COMMAND:
                    self.commands.append(body.decode())
                    conn.sendall(encode(RUN_COMMAND, b'[{"success": true}]'))

    @staticmethod
    def _recv(conn: socket.socket) -> bytes:
        try:
            return conn.recv(65536)
        except OSError:
            return b""

    def push(self, change: str, node: dict[str, Any]) -> None:
        assert self.subscribed is not None
        self.subscribed.sendall(encode(WINDOW_EVENT, json.dumps({"change": change, "container": node}).encode()))

    def hang_up(self) -> None:
        self._listener.close()
        for conn in self._conns:
            conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._conns.clear()


@pytest.fixture
def fake_sway(tmp_path: Path) -> Iterator[FakeSway]:
    mail = con(5, "Mail", pid=42, focused=True)
    sway = FakeSway(tmp_path / "sway.sock", tree(workspace(4, mail, con(6, "Docs", pid=43), focus=[5, 6])))
    yield sway
    sway.hang_up()


def open_probe(tmp_path: Path) -> SwayProbe:
    probe = SwayProbe.open({"SWAYSOCK": str(tmp_path / "sway.sock")})
    probe._processes = processes(p42="thunderbird", p43="libreoffice")
    probe._active = probe._describe()
    return probe


def dispatch_when_readable(probe: SwayProbe) -> bool:
    assert select.select([probe.fileno()], [], [], 5)[0], "no event arrived"
    return probe.dispatch()


def test_probe_starts_from_the_tree_and_follows_events(fake_sway: FakeSway, tmp_path: Path) -> None:
    probe = open_probe(tmp_path)
    assert probe.name == "sway IPC"
    assert probe.active_window() == WindowInfo("thunderbird", "Mail", "/usr/bin/thunderbird", 42)
    assert probe.dispatch() is False  # nothing waiting: no change, no blocking

    fake_sway.push("focus", con(6, "Docs", pid=43))
    assert dispatch_when_readable(probe)
    assert probe.active_window().app == "libreoffice"
    fake_sway.push("title", con(5, "Mail, retitled in the background", pid=42))
    assert dispatch_when_readable(probe) is False
    probe.close()


def test_an_event_sent_with_the_subscribe_reply_is_not_lost(fake_sway: FakeSway, tmp_path: Path) -> None:
    fake_sway.event_with_subscribe_reply = encode(
        WINDOW_EVENT, json.dumps({"change": "title", "container": con(5, "Mail (1)", pid=42)}).encode())
    probe = open_probe(tmp_path)
    assert probe.dispatch()
    assert probe.active_window().title == "Mail (1)"
    probe.close()


def test_activate_focuses_the_most_recently_focused_match_by_con_id(fake_sway: FakeSway, tmp_path: Path) -> None:
    probe = open_probe(tmp_path)
    assert probe.activate(lambda info: info.app == "libreoffice")
    assert fake_sway.commands == ["[con_id=6] focus"]
    assert not probe.activate(lambda info: info.app == "firefox")
    assert fake_sway.commands == ["[con_id=6] focus"]
    probe.close()


def test_place_moves_our_own_window_by_pid_and_exact_title(fake_sway: FakeSway, tmp_path: Path) -> None:
    probe = open_probe(tmp_path)
    assert probe.place("FocusGuard status", 964, 16)
    assert fake_sway.commands == [f'[pid={os.getpid()} title="^FocusGuard status$"] move absolute position 964 16']
    with pytest.raises(ValueError, match="not a plain title"):
        probe.place('FocusGuard" kill', 0, 0)  # never a criteria the title could break out of
    probe.close()


def test_a_lost_connection_makes_the_probe_unavailable(fake_sway: FakeSway, tmp_path: Path) -> None:
    probe = open_probe(tmp_path)
    fake_sway.hang_up()
    assert select.select([probe.fileno()], [], [], 5)[0]
    with pytest.raises(ProbeUnavailable, match="connection to sway was lost"):
        probe.dispatch()
    with pytest.raises(ProbeUnavailable):
        probe.active_window()
    probe.close()


def test_open_says_why_it_cannot_start(tmp_path: Path) -> None:
    with pytest.raises(ProbeUnavailable, match="SWAYSOCK is not set"):
        SwayProbe.open({})
    with pytest.raises(ProbeUnavailable, match="cannot connect to sway's IPC socket"):
        SwayProbe.open({"SWAYSOCK": str(tmp_path / "missing.sock")})

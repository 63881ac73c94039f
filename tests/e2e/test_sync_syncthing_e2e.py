"""Two computers, one day, through two real Syncthing instances on loopback.

Device A (desk) records a morning, device B (laptop) an afternoon, each in its own
FocusGuard data directory with its own config; each names its own copy of the shared
folder (``focusguard sync setup``), Syncthing carries the day files across (rescans
forced through its REST API), ``focusguard sync now`` merges, and both
``report --json`` outputs agree on the merged day.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from syncthing import SYNCTHING, Node

from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.store import Store
from focusguard.syncfolder import identity_path, load_identity

FOCUSGUARD = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "focusguard"
DAY = date(2026, 11, 20)  # a past day: nothing after the real clock's now is counted
HOUR = 3600.0
CARRY_SECONDS = 60  # Syncthing on loopback carries a small file in a second or two


def at(hour: float) -> float:
    return datetime(DAY.year, DAY.month, DAY.day).timestamp() + hour * HOUR


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Node, Node]]:
    if SYNCTHING is None or not FOCUSGUARD.exists():
        reason = "needs syncthing (./scripts/test installs it) and the installed focusguard"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the sync end-to-end test, but it {reason}")
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("syncthing")
    a = Node(root / "a", "desk", root / "a" / "Sync" / "FocusGuard")
    b = Node(root / "b", "laptop", root / "b" / "Sync" / "FocusGuard")
    for node in (a, b):
        node.home.mkdir(mode=0o700)
        node.generate()
    a.pair(b)
    b.pair(a)
    try:
        for node in (a, b):
            node.start()
        for node in (a, b):
            node.wait_up()
        deadline = time.monotonic() + CARRY_SECONDS
        while not (a.connected_to(b) and b.connected_to(a)):
            assert time.monotonic() < deadline, f"the nodes never connected:\n{a.log()}\n{b.log()}"
            time.sleep(0.2)
        yield a, b
    finally:
        a.stop()
        b.stop()


def focusguard(node: Node, *args: str) -> str:
    done = subprocess.run([str(FOCUSGUARD), "--config", str(node.home / "config.toml"),
                           "--db", str(node.home / "data" / "focusguard.db"), *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def record(node: Node, start: float, end: float, c: Classification, app: str, priority: str) -> None:
    with Store(node.home / "data" / "focusguard.db") as store:
        store.declare(Declaration(start, priority, f"{priority} first"))
        t = start
        while t <= end:
            store.record(Classified(Sample(t, app, f"{app} window"), priority if c is Classification.PRIORITY
                                    else None, c))
            t += 2


def carried(dst: Node, src: Node) -> bool:
    """Every file of ``src``'s device folder is in ``dst``'s copy, byte for byte."""
    device = load_identity(identity_path(src.home / "data" / "focusguard.db")).id
    mine = sorted(p.relative_to(src.folder) for p in (src.folder / device).rglob("*") if p.is_file())
    return bool(mine) and all((dst.folder / p).is_file() and (dst.folder / p).read_bytes() ==
                              (src.folder / p).read_bytes() for p in mine)


def test_a_morning_on_a_and_an_afternoon_on_b_make_the_same_day_on_both(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    assert all(addr.startswith(("tcp://127.0.0.1:", "127.0.0.1:")) for n in nodes for addr in n.listening_addresses())
    record(a, at(9), at(12), Classification.PRIORITY, "code", "Sales")
    record(b, at(14), at(16), Classification.DISTRACTION, "firefox", "Code")
    focusguard(a, "sync", "setup", str(a.folder), "--name", "Desk")
    focusguard(b, "sync", "setup", str(b.folder), "--name", "Laptop")
    deadline = time.monotonic() + CARRY_SECONDS
    while not (carried(b, a) and carried(a, b)):
        assert time.monotonic() < deadline, f"Syncthing did not carry the files:\n{a.log()}\n{b.log()}"
        a.scan()
        b.scan()
        time.sleep(0.5)
    assert "merged 1" in focusguard(a, "sync", "now")
    assert "merged 1" in focusguard(b, "sync", "now")
    reports = [json.loads(focusguard(n, "report", "--json", "--date", DAY.isoformat())) for n in nodes]
    assert reports[0] == reports[1]
    day = reports[0]
    assert day["priority"] == "Code"  # declared last, on the laptop
    assert day["seconds"]["priority"] == pytest.approx(3 * HOUR, abs=4)
    assert day["seconds"]["distraction"] == pytest.approx(2 * HOUR, abs=4)
    assert [(d["name"], round(sum(d["seconds"].values()))) for d in day["devices"]] == [
        ("Desk", 3 * 3600), ("Laptop", 2 * 3600)]
    assert "Laptop: last file" in focusguard(a, "sync", "status")

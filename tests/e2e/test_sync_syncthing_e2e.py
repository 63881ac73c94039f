"""Two computers, one day, through two real Syncthing instances on loopback.

Device A (desk) records a morning, device B (laptop) an afternoon, each in its own
FocusGuard data directory with its own config; each names its own copy of the shared
folder (``focusguard sync setup``), Syncthing carries the day files across (rescans
forced through its REST API), ``focusguard sync now`` merges, and both
``report --json`` outputs agree on the merged day. Then the user's edited records:
a goal with a ticked step, a delegation, a block move and a call answer made on A
count in B's report, and B's later edits count on A.
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

from focusguard.core import blocks
from focusguard.core.calls import Call, CallKind
from focusguard.core.config import load_config
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.store import Store
from focusguard.store_blocks import BlockStore
from focusguard.store_calls import CallLog
from focusguard.store_plan import PlanStore
from focusguard.syncfolder import identity_path, load_identity

FOCUSGUARD = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "focusguard"
DAY = date(2026, 11, 20)  # a past day: nothing after the real clock's now is counted
HOUR = 3600.0
CARRY_SECONDS = 60  # Syncthing on loopback carries a small file in a second or two


PLAN_DAY = date(2026, 11, 24)  # a Tuesday, a later past day (a store records forward in time)
CONFIG = """\
[[activity]]
name = "Code"
kind = "productive"
rules = [{ app = "code" }]

[[focus_block]]
name = "Deep work"
activity = "Code"
days = ["tue"]
start = "14:00"
end = "15:00"
"""


def at(hour: float, day: date = DAY) -> float:
    return datetime(day.year, day.month, day.day).timestamp() + hour * HOUR


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


def carry(a: Node, b: Node) -> None:
    """Wait until each node holds the other's files, forcing rescans."""
    deadline = time.monotonic() + CARRY_SECONDS
    while not (carried(b, a) and carried(a, b)):
        assert time.monotonic() < deadline, f"Syncthing did not carry the files:\n{a.log()}\n{b.log()}"
        a.scan()
        b.scan()
        time.sleep(0.5)


def test_a_morning_on_a_and_an_afternoon_on_b_make_the_same_day_on_both(nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    assert all(addr.startswith(("tcp://127.0.0.1:", "127.0.0.1:")) for n in nodes for addr in n.listening_addresses())
    record(a, at(9), at(12), Classification.PRIORITY, "code", "Sales")
    record(b, at(14), at(16), Classification.DISTRACTION, "firefox", "Code")
    focusguard(a, "sync", "setup", str(a.folder), "--name", "Desk")
    focusguard(b, "sync", "setup", str(b.folder), "--name", "Laptop")
    carry(a, b)
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


def test_a_goal_a_delegation_a_block_move_and_a_call_answer_made_on_a_count_in_bs_report(
        nodes: tuple[Node, Node]) -> None:
    a, b = nodes
    for node, name in ((a, "Desk"), (b, "Laptop")):
        (node.home / "config.toml").write_text(CONFIG, encoding="utf-8")
        focusguard(node, "sync", "setup", str(node.folder), "--name", name)
    record(a, at(9, PLAN_DAY), at(12, PLAN_DAY), Classification.PRIORITY, "code", "Code")
    focusguard(a, "goal", "add", "Ship v2", "--activity", "Code")
    focusguard(a, "goal", "step", "add", "Ship v2", "Code first")  # the step record() declares
    focusguard(a, "goal", "step", "add", "Ship v2", "write the docs")
    config = load_config(a.home / "config.toml", create=False).config
    [deep] = blocks.scheduled(list(config.focus_blocks), PLAN_DAY, PLAN_DAY)
    with Store(a.home / "data" / "focusguard.db") as store:
        plan = PlanStore(store)
        goal = plan.goals()[0]
        plan.tick(goal.id, goal.steps[0].id, at(11, PLAN_DAY))
        plan.add_delegation(at(11.5, PLAN_DAY), "Code", "firefox", "Invoices - Mail", 240.0, "to Sam")
        BlockStore(store).add_move(blocks.move(deep, at(10, PLAN_DAY), at=at(9.5, PLAN_DAY)))
        calls = CallLog(store)
        call = calls.add(Call(at(10, PLAN_DAY), at(10.5, PLAN_DAY), "zoom", "Acme weekly"))
        calls.answer(call.id or 0, CallKind.VALUE, "send the quote", at(10.6, PLAN_DAY))
    focusguard(a, "sync", "now")
    carry(a, b)
    focusguard(b, "sync", "now")

    report = json.loads(focusguard(b, "report", "--json", "--date", PLAN_DAY.isoformat()))
    assert report["plan"] == {"goal": "Ship v2", "step": "Code first", "step_done": True}
    assert [(d["title"], d["note"]) for d in report["delegated"]] == [("Invoices - Mail", "to Sam")]
    assert [(blk["name"], blk["status"], blk["moved_from"] is not None) for blk in report["blocks"]] == [
        ("Deep work", "kept", True), ("Deep work", "moved", False)]  # 14:00 moved to 10:00, kept there
    assert [(c["title"], c["kind"], c["note"]) for c in report["calls"]] == [("Acme weekly", "value",
                                                                             "send the quote")]
    assert report["seconds"]["call_value"] == pytest.approx(HOUR / 2, abs=4)
    assert report == json.loads(focusguard(a, "report", "--json", "--date", PLAN_DAY.isoformat()))

    focusguard(b, "goal", "step", "edit", "Ship v2", "2", "write the docs and the changelog")  # B edits back
    focusguard(b, "sync", "now")
    carry(a, b)
    focusguard(a, "sync", "now")
    goals = [[(g["name"], g["steps"]) for g in json.loads(focusguard(n, "goal", "list", "--json"))] for n in nodes]
    assert goals[0] == goals[1]
    assert [s["text"] for s in goals[0][0][1]] == ["Code first", "write the docs and the changelog"]

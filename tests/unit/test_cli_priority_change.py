"""`focusguard report` on a day whose priority changed: each priority its own time,
the change said in words, off-priority time under the priority it was off, and one
way of writing durations (seconds under a minute)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard import cli
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 6, 2)
P = Classification.PRIORITY
PD = Classification.PRODUCTIVE_DISTRACTION


@pytest.fixture(autouse=True)
def _local_zone_berlin(local_berlin: None) -> None:
    """The CLI reads local days in the system zone: make it a known one."""


def at(hour: int, minute: int = 0, second: int = 0) -> float:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, second, tzinfo=BERLIN).timestamp()


def record(store: Store, start: float, seconds: int, activity: str, app: str, classification: Classification) -> float:
    for k in range(0, seconds, 2):
        store.record(Classified(Sample(start + k, app, f"{app} window"), activity, classification))
    return start + seconds


def report(capsys: pytest.CaptureFixture, tmp_path: Path, db: Path, *args: str) -> str:
    code = cli.main(["--config", str(tmp_path / "config.toml"), "--db", str(db), "report", "--date",
                     DAY.isoformat(), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture
def changed_day(tmp_path: Path) -> Path:
    """Sales at 10:58, four minutes in the CRM, Code at 11:02, two more minutes in the
    CRM and a minute in the editor: what the issue saw as "4 min on Code"."""
    path = tmp_path / "fg.db"
    with Store(path, max_gap=4.0, flush_every=0) as store:
        store.declare(Declaration(at(10, 58), "Sales", "call Anna"))
        t = record(store, at(10, 58), 240, "Sales", "firefox", P)
        store.declare(Declaration(at(11, 2), "Code", "fix the build"))
        t = record(store, t, 120, "Sales", "firefox", PD)
        t = record(store, t, 60, "Code", "code", P)
        store.record(Classified(Sample(t, "code", "code window"), "Code", P))
    return path


def test_text_report_splits_the_day_by_priority(capsys, tmp_path: Path, changed_day: Path) -> None:
    out = report(capsys, tmp_path, changed_day)
    assert "Priority changed at 11:02: Sales → Code" in out
    assert "5 min on Sales (4 min) and Code (1 min) · focus 71 %" in out
    assert "  Sales  10:58–11:02   4 min on it · focus 100 %" in out
    assert "  Code   from 11:02    1 min on it · focus 33 %" in out
    lines = out.splitlines()
    during_code = lines.index("Top off-priority during Code:")
    assert lines[during_code + 1].startswith("  Sales ") and lines[during_code + 1].endswith("2 min")
    assert "Longest priority streak: 4 min (on Sales)" in out
    assert "on Code" not in out.replace("and Code (1 min)", "")  # no Sales minutes under Code's name


def test_json_report_has_each_priority_and_period(capsys, tmp_path: Path, changed_day: Path) -> None:
    data = json.loads(report(capsys, tmp_path, changed_day, "--json"))
    assert data["priority"] == "Code"
    assert data["by_priority"] == {"Sales": 240.0, "Code": 60.0}
    assert [(p["priority"], p["from"], p["seconds"]["priority"]) for p in data["periods"]] == [
        ("Sales", "2026-06-02T10:58:00+02:00", 240.0), ("Code", "2026-06-02T11:02:00+02:00", 60.0)]
    assert data["top_off_priority"][0] | {"seconds": 0} == {
        "activity": "Sales", "app": "firefox", "title": "firefox window", "seconds": 0, "priority": "Code"}
    assert data["longest_priority_streak_on"] == "Sales"
    assert data["priority_changes"][0]["before"] == "Sales" and data["priority_changes"][0]["after"] == "Code"


def test_an_early_day_writes_seconds_the_same_way_everywhere(capsys, tmp_path: Path) -> None:
    """31 s on the priority, a 29 s streak: never "1 min" beside "0 min"."""
    path = tmp_path / "fg.db"
    with Store(path, max_gap=4.0, flush_every=0) as store:
        store.declare(Declaration(at(9), "Sales"))
        t = record(store, at(9), 30, "Sales", "firefox", P)
        t = record(store, t, 2, "Email", "thunderbird", PD)
        t = record(store, t, 2, "Sales", "firefox", P)
        store.record(Classified(Sample(t - 1, "firefox", "firefox window"), "Sales", P))
    out = report(capsys, tmp_path, path)
    assert "31 s on Sales" in out
    assert "Longest priority streak: 30 s (on Sales)" in out

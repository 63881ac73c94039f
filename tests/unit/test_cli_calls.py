"""`focusguard report` and `export --what days` carry the day's calls (issue 15)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard import cli
from focusguard.core.calls import Call, CallKind
from focusguard.store import Store
from focusguard.store_calls import CallLog

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 6, 2)  # a Tuesday
CONFIG = '[calls]\nchill_call_times = ["mon-fri 12:00-13:00"]\n'


@pytest.fixture(autouse=True)
def _local_zone_berlin(local_berlin: None) -> None:
    """The CLI reads local days in the system zone: make it a known one."""


def at(hour: int, minute: int = 0, day: int = 2) -> float:
    return datetime(2026, 6, day, hour, minute, tzinfo=BERLIN).timestamp()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "fg.db"
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    with Store(path) as store:
        log = CallLog(store)
        value = log.add(Call(at(10, 5), at(10, 39), "Zoom", "Zoom Meeting"))
        log.answer(value.id, CallKind.VALUE, "Acme: send the Q2 proposal", at(10, 40))
        chill = log.add(Call(at(15, 0), at(15, 25), "Discord", "Discord | Voice Connected"))
        log.answer(chill.id, CallKind.CHILL, "Ana", at(15, 30))
        log.add(Call(at(16, 0), at(16, 10), "Meet", "Meet - abc"))
    return path


def run(capsys: pytest.CaptureFixture, tmp_path: Path, db: Path, *args: str) -> str:
    code = cli.main(["--config", str(tmp_path / "config.toml"), "--db", str(db), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_report_json_has_the_calls_and_their_seconds(capsys, tmp_path: Path, db: Path) -> None:
    data = json.loads(run(capsys, tmp_path, db, "report", "--date", DAY.isoformat(), "--json"))
    assert data["seconds"]["call_value"] == 34 * 60 and data["seconds"]["call_chill"] == 25 * 60
    assert data["calls"] == [
        {"start": "2026-06-02T10:05:00+02:00", "end": "2026-06-02T10:39:00+02:00", "app": "Zoom",
         "title": "Zoom Meeting", "kind": "value", "note": "Acme: send the Q2 proposal"},
        {"start": "2026-06-02T15:00:00+02:00", "end": "2026-06-02T15:25:00+02:00", "app": "Discord",
         "title": "Discord | Voice Connected", "kind": "chill", "note": "Ana"},
        {"start": "2026-06-02T16:00:00+02:00", "end": "2026-06-02T16:10:00+02:00", "app": "Meet",
         "title": "Meet - abc", "kind": "unanswered", "note": ""},
    ]


def test_markdown_and_text_reports_list_the_calls(capsys, tmp_path: Path, db: Path) -> None:
    md = run(capsys, tmp_path, db, "report", "--date", DAY.isoformat(), "--format", "md")
    assert "## Calls" in md and "Chill calls outside chill time: 25 min (1)" in md
    assert "- 10:05 Zoom, 34 min: value (Acme: send the Q2 proposal)" in md
    text = run(capsys, tmp_path, db, "report", "--date", DAY.isoformat())
    assert "Calls: value 34 min (1), chill 25 min (1), unanswered 10 min (1)" in text


def test_export_days_carries_the_calls(capsys, tmp_path: Path, db: Path) -> None:
    args = ("export", "--what", "days", "--from", DAY.isoformat(), "--to", DAY.isoformat())
    [row] = json.loads(run(capsys, tmp_path, db, *args, "--format", "json"))
    assert row["call_value_seconds"] == 2040 and [c["kind"] for c in row["calls"]] == ["value", "chill", "unanswered"]
    [flat] = list(csv.DictReader(io.StringIO(run(capsys, tmp_path, db, *args, "--format", "csv"))))
    assert flat["call_chill_seconds"] == "1500.0"
    assert flat["calls"].startswith("10:05 Zoom, 34 min: value (Acme: send the Q2 proposal); 15:00 Discord")


def test_answered_calls_count_in_the_days_figures(capsys, tmp_path: Path) -> None:
    """Three hours on Sales with a chill call from 10:00 to 10:30 (outside its slot):
    the half hour is a distraction in the figures, not Sales."""
    from focusguard.core.model import Classification, Classified, Declaration, Sample

    path = tmp_path / "figures.db"
    (tmp_path / "config.toml").write_text(CONFIG + '\n[[activity]]\nname = "Sales"\nkind = "productive"\n',
                                          encoding="utf-8")
    with Store(path, max_gap=3 * 3600, flush_every=0) as store:
        store.declare(Declaration(at(8), "Sales", ""))
        for hour in (9, 10, 11, 12):
            store.record(Classified(Sample(at(hour), "firefox", "HubSpot"), "Sales", Classification.PRIORITY))
        chill = CallLog(store).add(Call(at(10), at(10, 30), "Discord", "Discord | Voice Connected"))
        CallLog(store).answer(chill.id, CallKind.CHILL, "", at(10, 31))
    data = json.loads(run(capsys, tmp_path, path, "report", "--date", DAY.isoformat(), "--json"))
    assert data["seconds"]["priority"] == 2.5 * 3600
    assert data["seconds"]["distraction"] == 1800
    assert data["seconds"]["call_chill"] == 1800
    assert data["top_off_priority"][0]["activity"] == "Chill calls"


def test_a_range_report_sums_the_calls(capsys, tmp_path: Path, db: Path) -> None:
    span = f"{DAY.isoformat()}:{DAY.isoformat()}"
    data = json.loads(run(capsys, tmp_path, db, "report", "--range", span, "--json"))
    assert data["seconds"]["call_value"] == 2040 and data["seconds"]["call_chill"] == 1500
    assert data["calls"] == {"value": {"seconds": 2040.0, "count": 1}, "chill": {"seconds": 1500.0, "count": 1},
                             "unanswered": {"seconds": 600.0, "count": 1}, "chill_outside_seconds": 1500.0,
                             "value_share": round(2040 / 3540, 4)}
    text = run(capsys, tmp_path, db, "report", "--range", span)
    assert "Calls: value 34 min (1), chill 25 min (1), unanswered 10 min (1)." in text
    assert "Value calls: 58% of answered call time." in text


def test_calls_waiting_are_listed_answered_and_followed_up_from_the_terminal(capsys, tmp_path: Path) -> None:
    import time

    path = tmp_path / "now.db"
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    now = time.time()
    with Store(path) as store:
        first = CallLog(store).add(Call(now - 7200, now - 5400, "Zoom", "Zoom Meeting"))
        CallLog(store).add(Call(now - 3600, now - 3000, "Meet", "Meet - abc"))
    listed = run(capsys, tmp_path, path, "calls", "list")
    assert listed.splitlines()[0].startswith(f"#{first.id} ") and "Zoom, 30 min: unanswered" in listed
    assert [c["app"] for c in json.loads(run(capsys, tmp_path, path, "calls", "list", "--json"))] == ["Zoom", "Meet"]
    said = run(capsys, tmp_path, path, "calls", "answer", "last", "value", "--note", "Acme: send the Q2 proposal")
    assert said.strip() == "Meet, 10 min: value (Acme: send the Q2 proposal)"
    run(capsys, tmp_path, path, "calls", "answer", f"#{first.id}", "chill")
    assert run(capsys, tmp_path, path, "calls", "list").strip() == "No call waits for an answer."
    [followup] = run(capsys, tmp_path, path, "calls", "followups").splitlines()
    assert followup.endswith("[ ] Follow up: Acme: send the Q2 proposal")
    number = followup.split()[0]
    run(capsys, tmp_path, path, "calls", "done", number)
    assert "[x] Follow up" in run(capsys, tmp_path, path, "calls", "followups")


def test_a_call_that_is_not_there_is_said(capsys, tmp_path: Path, db: Path) -> None:
    code = cli.main(["--config", str(tmp_path / "config.toml"), "--db", str(db), "calls", "answer", "99", "chill"])
    assert code == 1 and "no call with number 99" in capsys.readouterr().err
    code = cli.main(["--config", str(tmp_path / "config.toml"), "--db", str(db), "calls", "answer", "x", "chill"])
    assert code == 1 and "by its number" in capsys.readouterr().err

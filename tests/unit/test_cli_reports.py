"""`focusguard report` (a day, a range; text, Markdown, JSON), `export --what`, and the window commands."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard import cli
from focusguard.core import figures, report
from focusguard.core.model import Answer, Classification, Classified, Declaration, Nudge, Sample
from focusguard.store import Journal, Store

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 6, 2)
P = Classification.PRIORITY
PD = Classification.PRODUCTIVE_DISTRACTION


@pytest.fixture(autouse=True)
def _local_zone_berlin(local_berlin: None) -> None:
    """The CLI reads local days in the system zone: make it a known one."""


def at(day: date, hour: float) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=BERLIN).timestamp() + hour * 3600


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Two recorded days: yesterday (no priority declared) and DAY, with a nudge and a journal."""
    path = tmp_path / "fg.db"
    with Store(path, max_gap=3 * 3600, flush_every=0) as store:
        for day, declared in ((DAY - timedelta(days=1), False), (DAY, True)):
            if declared:
                store.declare(Declaration(at(day, 8), "Sales", "call Anna"))
            for hour, c, activity, app in ((9, P, "Sales", "firefox"), (10.5, PD, "Email", "thunderbird"),
                                           (11, P, "Sales", "firefox"), (12, P, "Sales", "firefox")):
                store.record(Classified(Sample(at(day, hour), app, f"{app} window"), activity, c))
        nudge = store.add_nudge(Nudge(at(DAY, 10.75), "Email", PD, 900, 0, 1, "thunderbird", "Inbox"))
        store.answer_nudge(nudge, Answer.BACK, at(DAY, 10.8))
        store.save_journal(Journal(DAY, done="called Anna", tomorrow_activity="Sales"))
    return path


def run(capsys: pytest.CaptureFixture, tmp_path: Path, db: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--config", str(tmp_path / "config.toml"), "--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_report_json_is_the_day_figures(capsys, tmp_path: Path, db: Path) -> None:
    code, out, _ = run(capsys, tmp_path, db, "report", "--date", DAY.isoformat(), "--json")
    assert code == 0
    data = json.loads(out)
    with Store(db) as store:
        # The day's figures, plus issue 14's keys (each tested with its feature)
        issue_14 = {key: data.pop(key) for key in ("plan", "delegated", "blocks")}
        issue_15 = (data.pop("calls"), data["seconds"].pop("call_value"), data["seconds"].pop("call_chill"))
        assert data == json.loads(json.dumps(report.day_json(figures.day_figures(store, DAY))))
    assert issue_14 == {"plan": None, "delegated": [], "blocks": []}
    assert issue_15 == ([], 0.0, 0.0)  # calls: tested in test_cli_calls.py
    assert data["seconds"]["priority"] == 2.5 * 3600 and data["focus_ratio"] == pytest.approx(2.5 / 3)
    assert data["recoveries"][0]["seconds"] == 900 and data["recoveries"][0]["at"] == "2026-06-02T10:45:00+02:00"
    assert data["average_7d"] == {"days": 1, "priority_seconds": 2.5 * 3600, "focus_ratio": pytest.approx(2.5 / 3)}
    assert data["journal"]["done"] == "called Anna"


def test_report_format_json_equals_json_and_they_cannot_contradict(capsys, tmp_path: Path, db: Path) -> None:
    _, by_flag, _ = run(capsys, tmp_path, db, "report", "--date", DAY.isoformat(), "--json")
    _, by_format, _ = run(capsys, tmp_path, db, "report", "--date", DAY.isoformat(), "--format", "json")
    assert by_flag == by_format
    code, out, err = run(capsys, tmp_path, db, "report", "--json", "--format", "md")
    assert code == cli.EXIT_USAGE and out == "" and "contradict" in err


def test_report_markdown_of_a_day(capsys, tmp_path: Path, db: Path) -> None:
    code, out, _ = run(capsys, tmp_path, db, "report", "--date", DAY.isoformat(), "--format", "md")
    assert code == 0
    assert out.startswith("# Tuesday 02 June 2026 · Priority: Sales\n")
    assert "| On priority | 2 h 30 min |" in out and "called Anna" in out


def test_report_range_in_text_markdown_and_json(capsys, tmp_path: Path, db: Path) -> None:
    span = f"{DAY - timedelta(days=2)}:{DAY}"
    code, text, _ = run(capsys, tmp_path, db, "report", "--range", span)
    assert code == 0
    assert "Sun 31 May      (nothing tracked)" in text and "Tracked days: 2 of 3" in text
    assert "Days without a declared priority: 1" in text
    _, md, _ = run(capsys, tmp_path, db, "report", "--range", span, "--format", "md")
    assert "| Tue 02 Jun | Sales | 2 h 30 min | 83 % | 1 |" in md
    _, raw, _ = run(capsys, tmp_path, db, "report", "--range", span, "--json")
    data = json.loads(raw)
    assert data["days_without_priority"] == [str(DAY - timedelta(days=1))]
    assert data["nudges"] == {"back": 1}
    assert [d["date"] for d in data["days"]] == [str(DAY - timedelta(days=n)) for n in (2, 1, 0)]


def test_report_relative_range_ends_today(capsys, tmp_path: Path, db: Path) -> None:
    code, out, _ = run(capsys, tmp_path, db, "report", "--range", "7d", "--json")
    data = json.loads(out)
    assert code == 0 and data["to"] == date.today().isoformat() and len(data["days"]) == 7


@pytest.mark.parametrize("bad", ["week", "2026-06-03:2026-06-01"])
def test_report_bad_range_is_a_usage_error_with_a_clear_message(capsys, tmp_path: Path, db: Path, bad: str) -> None:
    code, out, err = run(capsys, tmp_path, db, "report", "--range", bad)
    assert code == cli.EXIT_USAGE and out == "" and "range" in err


def test_report_date_and_range_are_exclusive(capsys, tmp_path: Path, db: Path) -> None:
    with pytest.raises(SystemExit):
        run(capsys, tmp_path, db, "report", "--date", "2026-06-02", "--range", "7d")


def test_export_days_as_csv_and_json(capsys, tmp_path: Path, db: Path) -> None:
    args = ("export", "--what", "days", "--from", str(DAY - timedelta(days=1)), "--to", str(DAY))
    code, out, _ = run(capsys, tmp_path, db, *args)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["date"] for r in rows] == [str(DAY - timedelta(days=1)), str(DAY)]
    assert rows[1]["priority"] == "Sales" and float(rows[1]["priority_seconds"]) == 2.5 * 3600
    assert rows[1]["nudges_back"] == "1" and rows[1]["done"] == "called Anna" and rows[0]["priority"] == ""
    _, raw, _ = run(capsys, tmp_path, db, *args, "--format", "json")
    assert json.loads(raw)[1]["tomorrow_activity"] == "Sales"


def test_export_events_stays_the_default(capsys, tmp_path: Path, db: Path) -> None:
    out_file = tmp_path / "events.csv"
    code, _, _ = run(capsys, tmp_path, db, "export", "--from", str(DAY), "--to", str(DAY), "-o", str(out_file))
    assert code == 0
    text = out_file.read_bytes().decode("utf-8")  # CRLF kept, as before
    assert text.startswith(",".join(report.EVENT_FIELDS) + "\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0]["start"] == "2026-06-02T09:00:00+02:00" and rows[0]["activity"] == "Sales"


@pytest.mark.parametrize("command", ["summary", "review"])
def test_window_commands_without_a_display_say_what_to_use_instead(
        capsys, tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(cli.sys, "platform", "linux")
    code, _, err = run(capsys, tmp_path, db, command)
    assert code == cli.EXIT_USAGE and "no display" in err and "focusguard report" in err

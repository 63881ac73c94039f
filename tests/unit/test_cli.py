"""The `focusguard` command: output and exit codes, against real files in temp XDG dirs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from focusguard import __version__
from focusguard.cli import main
from focusguard.core.model import Classification, Classified, Sample
from focusguard.store import Store

CONFIG = """\
[[activity]]
name = "Sales"
kind = "productive"
rules = [ { title = "HubSpot" } ]

[[activity]]
name = "Video"
kind = "distraction"
rules = [ { title = "YouTube" } ]
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    config = tmp_path / "xdg_config_home" / "focusguard" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(CONFIG, encoding="utf-8")
    return tmp_path


def db_path(home: Path) -> Path:
    return home / "xdg_data_home" / "focusguard" / "focusguard.db"


def record_morning(home: Path) -> float:
    """Ten minutes of HubSpot then five of YouTube, starting at 09:00 today."""
    start = datetime.combine(date.today(), datetime.min.time()).replace(hour=9).timestamp()
    store = Store(db_path(home), max_gap=4.0, flush_every=0)
    for i in range(0, 901, 2):
        title, cls, activity = (("HubSpot", Classification.PRIORITY, "Sales") if i < 600
                                else ("YouTube", Classification.DISTRACTION, "Video"))
        store.record(Classified(Sample(at=start + i, app="firefox", title=title), activity, cls))
    store.close()
    return start


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"FocusGuard {__version__}"


def test_priority_set_and_show(home, capsys) -> None:
    assert main(["priority", "set", "sales", "--next", "call three past customers"]) == 0
    assert "Today's priority: Sales" in capsys.readouterr().out
    assert main(["priority", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["activity"] == "Sales" and shown["next_step"] == "call three past customers"


def test_priority_unknown_lists_known(home, capsys) -> None:
    assert main(["priority", "set", "Golf"]) == 1
    err = capsys.readouterr().err
    assert "unknown activity 'Golf'" in err and "Sales, Video" in err


def test_priority_show_without_declaration(home, capsys) -> None:
    assert main(["priority", "show"]) == 1
    assert "No priority declared today" in capsys.readouterr().out


def test_report_json_has_the_contract_keys_and_figures(home, capsys) -> None:
    record_morning(home)
    main(["priority", "set", "Sales"])
    capsys.readouterr()
    assert main(["report", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"date", "priority", "next_step", "seconds", "focus_ratio",
            "longest_priority_streak_seconds", "top_off_priority", "nudges", "hours"} <= set(report)
    assert set(report["seconds"]) == {c.value for c in Classification} | {"call_value", "call_chill"}  # issue 15
    assert report["seconds"]["priority"] == pytest.approx(600)
    assert report["seconds"]["distraction"] == pytest.approx(300)
    assert report["focus_ratio"] == pytest.approx(600 / 900)
    assert report["top_off_priority"][0]["title"] == "YouTube"
    assert len(report["hours"]) == 24
    assert report["priority"] == "Sales"


def test_report_text(home, capsys) -> None:
    record_morning(home)
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "10 min on the priority" in out and "Distraction" in out and "5 min" in out


def test_report_bad_date_is_usage_error(home, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--date", "yesterday"])
    assert exit_.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_config_check_ok_and_broken(home, capsys) -> None:
    assert main(["config", "check"]) == 0
    assert "OK (2 activities)" in capsys.readouterr().out
    path = home / "xdg_config_home" / "focusguard" / "config.toml"
    broken = CONFIG.replace('"HubSpot"', '"Hub(Spot"')
    path.write_text(broken, encoding="utf-8")
    assert main(["config", "check"]) == 1
    assert "activity[0].rules[0].title: missing ), unterminated subpattern at position 3" in \
        capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == broken


def test_config_check_syntax_error_has_line_and_column(home, capsys) -> None:
    path = home / "xdg_config_home" / "focusguard" / "config.toml"
    path.write_text("[sampling]\ninterval_seconds = = 2\n", encoding="utf-8")
    assert main(["config", "check"]) == 1
    assert ":2:" in capsys.readouterr().out


def test_config_path_honours_xdg(home, capsys) -> None:
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(home / "xdg_config_home" / "focusguard" / "config.toml")


def test_export_csv_and_json(home, capsys, tmp_path) -> None:
    record_morning(home)
    today = date.today().isoformat()
    assert main(["export", "--from", today, "--to", today, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["classification"] for r in rows] == ["priority", "distraction"]
    assert rows[0]["start"].endswith(datetime.now().astimezone().strftime("%z")[:3] + ":" +
                                     datetime.now().astimezone().strftime("%z")[3:])
    out = tmp_path / "events.json"
    assert main(["export", "--from", today, "--to", today, "--format", "json", "-o", str(out)]) == 0
    events = json.loads(out.read_text(encoding="utf-8"))
    assert sum(e["seconds"] for e in events) == pytest.approx(900)


def test_export_reversed_range(home, capsys) -> None:
    assert main(["export", "--from", "2026-02-02", "--to", "2026-02-01"]) == 2


def test_doctor_without_display_fails_clearly(home) -> None:
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update({"QT_QPA_PLATFORM": "offscreen"})
    done = subprocess.run([sys.executable, "-m", "focusguard", "doctor"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert any(line.startswith("FAIL") and "no graphical session" in line for line in lines)
    assert any(line.startswith("FAIL") and "window probe: no X display" in line for line in lines)
    assert any(line.startswith("OK") and "config" in line for line in lines)
    assert any(line.startswith("OK") and "database" in line and "mode 0600" in line for line in lines)
    assert any(line.startswith("FAIL") and "tray: no display" in line for line in lines)
    assert done.stderr == ""  # every problem is in its line, nothing leaks as a stray log record



def test_damaged_database_is_a_clear_error_and_left_untouched(home, capsys) -> None:
    path = db_path(home)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, but somebody's file")
    assert main(["report"]) == 1
    err = capsys.readouterr().err
    assert "is not an SQLite database" in err and "left untouched" in err and str(path) in err
    assert "Traceback" not in err
    assert path.read_bytes() == b"this is not a database, but somebody's file"

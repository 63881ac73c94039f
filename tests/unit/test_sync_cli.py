"""`focusguard sync setup|now|status`, `report --json` and doctor on two devices sharing a folder."""

from __future__ import annotations

import json
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from focusguard.cli import main
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.doctor import check_sync
from focusguard.store import Store
from focusguard.syncfolder import day_path, identity_path, load_identity

DAY = date(2026, 11, 20)  # a past day: the merge counts nothing after the real clock's now
HOUR = 3600.0


def at(hour: float) -> float:
    return datetime(2026, 11, 20, 0, 0).timestamp() + hour * HOUR  # local time, as report --date reads it


def record(db: Path, start: float, end: float, c: Classification, app: str) -> None:
    with Store(db) as store:
        t = start
        while t <= end:
            store.record(Classified(Sample(t, app, f"{app} window"), "Sales" if c is Classification.PRIORITY
                                    else None, c))
            t += 2


def cli(capsys: pytest.CaptureFixture[str], device: tuple[Path, Path], *args: str) -> tuple[int, str]:
    config, db = device
    code = main(["--config", str(config), "--db", str(db), *args])
    return code, capsys.readouterr().out


@pytest.fixture
def two(tmp_path: Path) -> tuple[tuple[Path, Path], tuple[Path, Path], Path]:
    a = (tmp_path / "a" / "config.toml", tmp_path / "a" / "data" / "focusguard.db")
    b = (tmp_path / "b" / "config.toml", tmp_path / "b" / "data" / "focusguard.db")
    return a, b, tmp_path / "Sync"


def test_two_devices_report_the_same_merged_day(capsys, two) -> None:
    a, b, folder = two
    record(a[1], at(9), at(12), Classification.PRIORITY, "code")
    with Store(a[1]) as store:
        store.declare(Declaration(at(9), "Sales", "call Anna"))
    record(b[1], at(14), at(16), Classification.DISTRACTION, "firefox")
    assert cli(capsys, a, "sync", "setup", str(folder), "--name", "Desk")[0] == 0
    assert cli(capsys, b, "sync", "setup", str(folder), "--name", "Laptop")[0] == 0
    code, out = cli(capsys, a, "sync", "now")
    assert code == 0 and "merged 1" in out
    reports = [json.loads(cli(capsys, d, "report", "--json", "--date", DAY.isoformat())[1]) for d in (a, b)]
    assert reports[0] == reports[1]
    day = reports[0]
    assert day["priority"] == "Sales"
    assert day["seconds"]["priority"] == pytest.approx(3 * HOUR, abs=4)
    assert day["seconds"]["distraction"] == pytest.approx(2 * HOUR, abs=4)
    assert {d["name"]: round(sum(d["seconds"].values())) for d in day["devices"]} == {"Desk": 10800, "Laptop": 7200}
    code, out = cli(capsys, a, "sync", "status")
    assert code == 0 and "Laptop: last file" in out
    text = cli(capsys, b, "report", "--date", DAY.isoformat())[1]
    assert "Devices:\n  Desk    3 h active, 3 h on the priority\n  Laptop  2 h active, 0 min on the priority" in text
    markdown = cli(capsys, b, "report", "--format", "md", "--date", DAY.isoformat())[1]
    assert "## Devices" in markdown and "| Laptop | 2 h | 0 min |" in markdown
    events = json.loads(cli(capsys, a, "export", "--from", DAY.isoformat(), "--to", DAY.isoformat(),
                            "--format", "json")[1])
    assert {(e["device"], e["app"]) for e in events} == {("Desk", "code"), ("Laptop", "firefox")}
    csv_head = cli(capsys, a, "export", "--from", DAY.isoformat(), "--to", DAY.isoformat())[1].splitlines()[0]
    assert csv_head.endswith(",device")
    days = json.loads(cli(capsys, a, "export", "--what", "days", "--from", DAY.isoformat(), "--to",
                          DAY.isoformat(), "--format", "json")[1])
    assert days[0]["devices"] == {"Desk": pytest.approx(3 * HOUR, abs=4), "Laptop": pytest.approx(2 * HOUR, abs=4)}
    lines = [c.line() for c in check_sync(a[0], a[1])]
    assert lines[0].startswith("OK    sync: ") and "'Desk'" in lines[0] and "Laptop: last file" in lines[1]
    identity = identity_path(a[1])
    assert stat.S_IMODE(identity.stat().st_mode) == 0o600
    assert stat.S_IMODE(day_path(folder, load_identity(identity).id, DAY).stat().st_mode) == 0o600


def test_a_damaged_file_is_a_doctor_warning_and_sync_without_setup_says_what_to_do(capsys, two) -> None:
    a, b, folder = two
    assert main(["--config", str(a[0]), "--db", str(a[1]), "sync", "now"]) == 2
    assert "sync setup" in capsys.readouterr().err
    record(b[1], at(14), at(15), Classification.DISTRACTION, "firefox")
    cli(capsys, a, "sync", "setup", str(folder), "--name", "Desk")
    cli(capsys, b, "sync", "setup", str(folder), "--name", "Laptop")
    path = day_path(folder, load_identity(identity_path(b[1])).id, DAY)
    path.write_bytes(path.read_bytes()[:40])
    code, out = cli(capsys, a, "sync", "now")
    assert code == 0 and "skipped" in out and "truncated" in out
    lines = [c.line() for c in check_sync(a[0], a[1])]
    assert any(line.startswith("WARN") and "skipped" in line for line in lines)
    code, _ = cli(capsys, a, "sync", "status")
    assert code == 1


def test_a_file_named_as_the_folder_says_so(capsys, two, tmp_path) -> None:
    a, _, _ = two
    (tmp_path / "afile").write_text("")
    assert main(["--config", str(a[0]), "--db", str(a[1]), "sync", "setup", str(tmp_path / "afile")]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err


def test_the_database_must_stay_outside_the_sync_folder(capsys, two) -> None:
    a, _, _ = two
    code = main(["--config", str(a[0]), "--db", str(a[1]), "sync", "setup", str(a[1].parent.parent)])
    assert code == 1 and "must stay outside the sync folder" in capsys.readouterr().err

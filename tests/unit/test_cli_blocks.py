"""Focus blocks in `focusguard report` (JSON, Markdown, text) and `export --what days`:
each occurrence with its status, a moved one with where it went."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard import cli
from focusguard.core import blocks
from focusguard.core.config import FocusBlock
from focusguard.core.model import Classification, Classified, ImportedEvent, Sample
from focusguard.store import Store
from focusguard.store_blocks import BlockStore

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 6, 2)  # a Tuesday
CONFIG = """\
[[activity]]
name = "Sales"
kind = "productive"
rules = [{ title = "HubSpot" }]

[[focus_block]]
name = "Outreach calls"
activity = "Sales"
start = "08:30"
end = "09:30"

[[focus_block]]
name = "Writing"
days = ["tue"]
start = "10:00"
end = "11:00"
"""
OUTREACH = FocusBlock(frozenset(range(5)), datetime(2026, 1, 1, 8, 30).time(), datetime(2026, 1, 1, 9, 30).time(),
                      name="Outreach calls", activity="Sales")


@pytest.fixture(autouse=True)
def _local_zone_berlin(local_berlin: None) -> None:
    """The CLI reads local days in the system zone: make it a known one."""


def at(hh: int, mm: int = 0) -> float:
    return datetime(DAY.year, DAY.month, DAY.day, hh, mm, tzinfo=BERLIN).timestamp()


@pytest.fixture
def home(tmp_path: Path) -> tuple[Path, Path]:
    """Outreach moved from 08:30 to 14:00 and kept there; Writing (no activity: the
    priority) missed."""
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    path = tmp_path / "fg.db"
    with Store(path, flush_every=0) as store:
        [o] = blocks.scheduled([OUTREACH], DAY, DAY, BERLIN)
        BlockStore(store).add_move(blocks.move(o, at(14), at=at(8, 31)))
        sales = Classified(Sample(at(14), "firefox", "HubSpot"), "Sales", Classification.PRODUCTIVE_DISTRACTION)
        store.import_events([ImportedEvent("k", at(15), sales)])
    return config, path


def run(capsys: pytest.CaptureFixture, home: tuple[Path, Path], *args: str) -> str:
    config, db = home
    code = cli.main(["--config", str(config), "--db", str(db), *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_report_json_lists_each_occurrence_with_its_status(capsys, home) -> None:
    data = json.loads(run(capsys, home, "report", "--date", DAY.isoformat(), "--json"))
    assert [(b["name"], b["activity"], b["start"], b["end"], b["status"], b["moved_to"]) for b in data["blocks"]] == [
        ("Outreach calls", "Sales", "2026-06-02T08:30:00+02:00", "2026-06-02T09:30:00+02:00", "moved",
         "2026-06-02T14:00:00+02:00"),
        ("Writing", None, "2026-06-02T10:00:00+02:00", "2026-06-02T11:00:00+02:00", "missed", None),
        ("Outreach calls", "Sales", "2026-06-02T14:00:00+02:00", "2026-06-02T15:00:00+02:00", "kept", None),
    ]
    assert data["blocks"][2]["moved_from"] == "2026-06-02T08:30:00+02:00"
    assert "priority" in data and "seconds" in data  # the day's figures are all still there


def test_report_markdown_and_text_show_the_blocks(capsys, home) -> None:
    md = run(capsys, home, "report", "--date", DAY.isoformat(), "--format", "md")
    assert "## Focus blocks\n\n- Outreach calls 08:30–09:30: moved to 14:00\n- Writing 10:00–11:00: missed\n" \
           "- Outreach calls 14:00–15:00 (moved from 08:30): kept\n" in md
    text = run(capsys, home, "report", "--date", DAY.isoformat())
    assert "Focus blocks:\n  Outreach calls 08:30–09:30: moved to 14:00\n" in text


def test_a_day_without_blocks_reports_an_empty_list(capsys, home, tmp_path: Path) -> None:
    config = tmp_path / "plain.toml"
    config.write_text('[[activity]]\nname = "Sales"\nkind = "productive"\n', encoding="utf-8")
    data = json.loads(run(capsys, (config, home[1]), "report", "--date", DAY.isoformat(), "--json"))
    assert data["blocks"] == []


def test_export_days_carries_the_blocks(capsys, home) -> None:
    rows = json.loads(run(capsys, home, "export", "--what", "days", "--from", DAY.isoformat(), "--to",
                          DAY.isoformat(), "--format", "json"))
    assert [b["status"] for b in rows[0]["blocks"]] == ["moved", "missed", "kept"]
    out = run(capsys, home, "export", "--what", "days", "--from", DAY.isoformat(), "--to", DAY.isoformat())
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["blocks"] == ("Outreach calls 08:30–09:30: moved to 14:00; Writing 10:00–11:00: missed; "
                             "Outreach calls 14:00–15:00 (moved from 08:30): kept")


def test_a_range_report_lists_the_blocks_and_each_ones_tally(capsys, home) -> None:
    span = f"{(DAY - timedelta(days=1)).isoformat()}:{DAY.isoformat()}"  # Monday and Tuesday
    data = json.loads(run(capsys, home, "report", "--range", span, "--json"))
    assert [(b["name"], b["status"]) for b in data["blocks"]] == [
        ("Outreach calls", "missed"), ("Outreach calls", "moved"), ("Writing", "missed"), ("Outreach calls", "kept")]
    assert data["block_tallies"] == [{"name": "Outreach calls", "kept": 1, "judged": 2},
                                     {"name": "Writing", "kept": 0, "judged": 1}]
    assert "days" in data and "focus_ratio" in data  # the range's figures are all still there
    text = run(capsys, home, "report", "--range", span)
    assert "Focus blocks:\n  Outreach calls: 1 of 2 kept in this period\n  Writing: 0 of 1 kept in this period" in text
    md = run(capsys, home, "report", "--range", span, "--format", "md")
    assert "## Focus blocks\n\n- Outreach calls: 1 of 2 kept in this period\n" in md

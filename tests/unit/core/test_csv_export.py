"""CSV export (issue 11): no text cell a website or app controls becomes a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard import cli
from focusguard.core import report
from focusguard.core.model import Classification, Classified, Sample
from focusguard.store import Journal, Store

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 6, 2)
# The payloads; and the other starts OWASP names (tab, carriage return), which
# the store already turns into spaces in titles, so only the unit test sees them.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]
CONTROL_PAYLOADS = ["\t=1+1", "\r=1+1"]


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("payload", PAYLOADS + CONTROL_PAYLOADS)
def test_formula_cells_are_prefixed_with_a_quote_and_numbers_stay_numbers(payload: str) -> None:
    row = {"title": payload, "app": payload, "seconds": -2.5, "nudges": 3, "focus_ratio": None}
    (parsed,) = parse(report.rows_csv([row], list(row)))
    assert parsed["title"] == parsed["app"] == "'" + payload
    assert (parsed["seconds"], parsed["nudges"], parsed["focus_ratio"]) == ("-2.5", "3", "")


@pytest.mark.parametrize("safe", ["Inbox - Gmail", "", "2026-06-02T09:00:00+02:00", "'quoted", " =spaced", "a=b"])
def test_ordinary_text_is_left_as_it_is(safe: str) -> None:
    (parsed,) = parse(report.rows_csv([{"title": safe}], ["title"]))
    assert parsed["title"] == safe


def at(hour: float) -> float:
    return datetime(DAY.year, DAY.month, DAY.day, tzinfo=BERLIN).timestamp() + hour * 3600


def test_the_export_command_neutralises_titles_apps_activities_and_the_journal(
    capsys, tmp_path: Path, local_berlin: None
) -> None:
    db = tmp_path / "fg.db"
    with Store(db, max_gap=3 * 3600, flush_every=0) as store:
        for i, payload in enumerate(PAYLOADS):
            sample = Sample(at(9 + i), app=payload, title=payload, exe=payload)
            store.record(Classified(sample, payload, Classification.DISTRACTION))
        store.record(Classified(Sample(at(16), "firefox", "Docs"), None, Classification.UNCLASSIFIED))
        store.save_journal(Journal(DAY, done=PAYLOADS[0], todo=PAYLOADS[3], tomorrow_activity=PAYLOADS[1]))
    base = ["--config", str(tmp_path / "config.toml"), "--db", str(db), "export", "--from", str(DAY), "--to", str(DAY)]

    assert cli.main(base) == 0
    events = parse(capsys.readouterr().out)
    assert [e["title"] for e in events[: len(PAYLOADS)]] == ["'" + p for p in PAYLOADS]
    for event in events[: len(PAYLOADS)]:
        assert event["app"] == event["exe"] == event["activity"] == event["title"]
        assert not event["seconds"].startswith("'")

    assert cli.main([*base, "--what", "days"]) == 0
    (day,) = parse(capsys.readouterr().out)
    assert (day["done"], day["todo"], day["tomorrow_activity"]) == (
        "'" + PAYLOADS[0], "'" + PAYLOADS[3], "'" + PAYLOADS[1])
    for cell in (v for k, v in day.items() if k not in ("done", "todo", "tomorrow_activity")):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))

"""`focusguard report` as text: answers in words, and columns that hold with long names."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from focusguard import cli
from focusguard.core.model import Answer, Classification, Classified, Declaration, Nudge, Sample
from focusguard.core.words import width
from focusguard.store import Store

DAY = date(2026, 6, 2)
LONG = "Customer onboarding and the quarterly partner programme"
P, PD = Classification.PRIORITY, Classification.PRODUCTIVE_DISTRACTION


def at(hour: float) -> float:
    return datetime(DAY.year, DAY.month, DAY.day).timestamp() + hour * 3600


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "fg.db"
    with Store(path, max_gap=3 * 3600, flush_every=0) as store:
        store.declare(Declaration(at(8), "Sales", "call Anna"))
        for hour, c, activity, app, title in (
                (9, P, "Sales", "firefox", "CRM"),
                (10, PD, LONG, "firefox", "Partner portal — a very long page title that goes on and on and on"),
                (11, PD, "Email", "thunderbird", "Inbox"), (11.5, P, "Sales", "firefox", "CRM"),
                (12, P, "Sales", "firefox", "CRM")):
            store.record(Classified(Sample(at(hour), app, title), activity, c))
        for hour, answer in ((10.2, Answer.PART_OF_PRIORITY), (11.2, Answer.SNOOZE)):
            nudge = store.add_nudge(Nudge(at(hour), "Email", PD, 900, 0, 1, "thunderbird", "Inbox"))
            store.answer_nudge(nudge, answer, at(hour) + 20)
    return path


def report(capsys, tmp_path: Path, db: Path, *args: str) -> str:
    assert cli.main(["--config", str(tmp_path / "config.toml"), "--db", str(db), "report", *args]) == 0
    return capsys.readouterr().out


def test_answers_are_said_in_words(capsys, tmp_path: Path, db: Path) -> None:
    out = report(capsys, tmp_path, db, "--date", DAY.isoformat())
    assert "part_of_priority" not in out and "): snooze\n" not in out
    assert "(level 1): part of the priority" in out and "(level 1): snoozed" in out


def test_long_names_are_cut_with_an_ellipsis_and_the_columns_hold(capsys, tmp_path: Path, db: Path) -> None:
    out = report(capsys, tmp_path, db, "--date", DAY.isoformat()).splitlines()
    rows = out[out.index("Top off-priority:") + 1:]
    rows = rows[:next(i for i, r in enumerate(rows) if not r.strip())]
    assert len(rows) == 2
    assert rows[0].startswith("  Customer onboarding a…") and "…" in rows[0]
    assert len({width(r) for r in rows}) == 1  # every figure ends in the same column


def test_the_range_cuts_long_names_with_an_ellipsis(capsys, tmp_path: Path, db: Path) -> None:
    out = report(capsys, tmp_path, db, "--range", f"{DAY}:{DAY}").splitlines()
    rows = out[out.index("Off-priority time:") + 1:]
    assert any(r.startswith("  Customer onboarding and the q…") for r in rows)
    assert len({width(r) for r in rows}) == 1

"""The review's focus blocks (pytest-qt, offscreen) on a real store and config file:
this month's tally, the 90-day chain, the weekly run, and an answer that changes the
block in the config in one click -- never writing a config it could not parse."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard.core import blocks
from focusguard.core.config import load_config
from focusguard.core.model import Classification, Classified, ImportedEvent, Sample
from focusguard.core.verdicts import Verdict
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.review_blocks import STATUS_COLOURS, BlockReviewSection, BlockSummary, describe
from focusguard.ui.review_window import ReviewWindow
from focusguard.ui.summary_window import SummaryWindow

TZ = ZoneInfo("Europe/Berlin")
LAST = date(2026, 11, 27)  # a Friday
CONFIG = """\
# the user's own comment, kept
[day]
blocks_kept_target = 75

[[activity]]
name = "Sales"
kind = "productive"
rules = [{ title = "HubSpot" }]

[[focus_block]]
name = "Outreach calls"
activity = "Sales"
start = "08:30"
end = "09:30"
"""


def config_file(records: Records) -> Path:
    path = records.blocks.config_file
    assert path is not None
    return path


@pytest.fixture
def records(tmp_path: Path):
    """Six weeks of Outreach: kept every day but Fridays before this week; one move."""
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    config = load_config(config_file, create=False).config
    store = Store(tmp_path / "fg.db", flush_every=0)
    [block] = config.focus_blocks
    first = LAST - timedelta(days=41)
    occurrences = blocks.scheduled([block], first, LAST, TZ)
    events = []
    for i, o in enumerate(occurrences):
        if o.day.weekday() == 4 and o.day < LAST - timedelta(days=4):
            continue
        sample = Sample(o.start, "firefox", "HubSpot")
        events.append(ImportedEvent(f"e{i}", o.end, Classified(sample, "Sales", Classification.PRODUCTIVE_DISTRACTION)))
    store.import_events(events)
    now = datetime(2026, 11, 27, 18, tzinfo=TZ).timestamp()
    yield Records(store, config=lambda: load_config(config_file, create=False).config, clock=lambda: now, tz=TZ,
                  config_file=config_file)
    store.close()


def test_the_section_shows_the_month_the_weeks_and_a_chain_per_block(qtbot, records: Records) -> None:
    section = BlockReviewSection(records.blocks)
    qtbot.addWidget(section)
    section.show_review(LAST)
    # November's 20 working days to the 27th, the Fridays of the 6th, 13th and 20th missed.
    assert section.month.text() == "Outreach calls: 17 of 20 kept this month"
    review = section.review
    assert review is not None and review.target == 0.75
    # Five weeks at 4 of 5 (0.8, above the 0.75 target) and this one at 5 of 5; before
    # the history began, every block missed: the run is those six weeks.
    assert [w.share for w in review.weeks][-7:] == [0.0, 0.8, 0.8, 0.8, 0.8, 0.8, 1.0] and review.run == 6
    chain = section.chains["outreach calls"]
    assert len(chain.links) == len(review.rows[0].chain) == 65  # the working days of 90 days
    assert "missed" in describe(chain.links[4], TZ) and chain.links[0].occurrence.label == "Outreach calls"
    assert set(STATUS_COLOURS) == set(blocks.Status)


def test_too_much_drops_friday_in_the_config_in_one_click(qtbot, records: Records) -> None:
    section = BlockReviewSection(records.blocks)
    qtbot.addWidget(section)
    section.show_review(LAST)
    labels = [b.text() for b in section.groups["outreach calls"].buttons()]
    assert labels == ["Too much: drop Friday", "Not enough: 08:30–09:45 (1 h 15 min)", "Just right"]
    section.answer("outreach calls", Verdict.TOO_MUCH)
    text = config_file(records).read_text(encoding="utf-8")
    assert "# the user's own comment, kept" in text
    assert 'days = ["mon", "tue", "wed", "thu"]' in text
    assert load_config(config_file(records), create=False).config.focus_blocks[0].name == "Outreach calls"
    assert "now mon–thu 08:30–09:30" in section.notes["outreach calls"].text()
    assert not any(b.isEnabled() for b in section.groups["outreach calls"].buttons())
    assert records.blocks.answers(LAST) == {"outreach calls": Verdict.TOO_MUCH}


def test_an_unparseable_config_is_never_overwritten(qtbot, records: Records) -> None:
    section = BlockReviewSection(records.blocks)
    qtbot.addWidget(section)
    section.show_review(LAST)
    path = config_file(records)
    path.write_text(CONFIG + "\n[[focus_block\n", encoding="utf-8")
    broken = path.read_bytes()
    section.answer("outreach calls", Verdict.NOT_ENOUGH)
    assert path.read_bytes() == broken
    assert section.notes["outreach calls"].text().startswith("Could not change the block:")
    assert records.blocks.answers(LAST) == {}


def test_just_right_keeps_the_block(qtbot, records: Records) -> None:
    section = BlockReviewSection(records.blocks)
    qtbot.addWidget(section)
    section.show_review(LAST)
    before = config_file(records).read_bytes()
    section.answer("outreach calls", Verdict.JUST_RIGHT)
    assert config_file(records).read_bytes() == before
    assert section.notes["outreach calls"].text() == "Kept as it is."


def test_the_review_window_has_the_blocks_and_hides_them_without_any(qtbot, records: Records, tmp_path) -> None:
    window = ReviewWindow(records, focus_blocks=True)
    qtbot.addWidget(window)
    window.show_period(LAST - timedelta(days=29), LAST, activate=False)
    assert window.blocks.isVisibleTo(window)
    plain = Records(records.store, config=lambda: load_config(tmp_path / "none.toml", create=False).config, tz=TZ)
    other = ReviewWindow(plain)
    qtbot.addWidget(other)
    other.show_period(LAST - timedelta(days=29), LAST, activate=False)
    assert not other.blocks.isVisibleTo(other)


def test_the_summary_says_the_days_blocks_and_this_months_tally(qtbot, records: Records) -> None:
    line = BlockSummary(records.blocks)
    qtbot.addWidget(line)
    line.show_day(LAST)
    assert line.text() == ("Focus blocks: Outreach calls 08:30–09:30: kept · "
                           "Outreach calls: 17 of 20 kept this month")
    line.show_day(LAST - timedelta(days=7))  # a Friday before this week: missed
    assert line.text().startswith("Focus blocks: Outreach calls 08:30–09:30: missed · Outreach calls: 12 of 15")


def test_an_answer_that_changes_the_block_keeps_its_past_as_it_was(qtbot, records: Records) -> None:
    """Too much drops Friday: the Fridays already past stay in the chain and the
    month's tally, judged where they were (verdicts stored before the change)."""
    section = BlockReviewSection(records.blocks)
    qtbot.addWidget(section)
    section.show_review(LAST)
    before = [(j.occurrence.start, j.status) for j in section.chains["outreach calls"].links]
    section.answer("outreach calls", Verdict.TOO_MUCH)
    section.show_review(LAST)
    assert [(j.occurrence.start, j.status) for j in section.chains["outreach calls"].links] == before
    assert section.month.text() == "Outreach calls: 17 of 20 kept this month"


def test_the_summarys_markdown_and_json_export_carry_the_days_blocks(qtbot, records: Records, tmp_path) -> None:
    window = SummaryWindow(records, activities=["Sales"])
    qtbot.addWidget(window)
    window.show_day(LAST, activate=False)
    assert "## Focus blocks\n\n- Outreach calls 08:30–09:30: kept\n" in window.markdown()
    window.export_to(tmp_path / "day.json")
    data = json.loads((tmp_path / "day.json").read_text(encoding="utf-8"))
    assert [(b["name"], b["status"]) for b in data["blocks"]] == [("Outreach calls", "kept")]

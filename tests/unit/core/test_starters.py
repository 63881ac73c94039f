"""Starter sets and the first-run decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from focusguard.core.config import ConfigError, load_config
from focusguard.core.model import Activity, Classification, Kind, Sample
from focusguard.core.rules import Classifier
from focusguard.core.starters import (
    DEVELOPER,
    EMPTY,
    FOUNDER,
    STARTERS,
    WRITER,
    apply_starter,
    is_first_run,
    starter_named,
    with_priority,
    write_activities,
)


@pytest.mark.parametrize(
    ("config_existed", "has_history", "first"),
    [(False, False, True), (True, False, False), (False, True, False), (True, True, False)],
)
def test_first_run_means_no_config_and_no_history(config_existed: bool, has_history: bool, first: bool) -> None:
    assert is_first_run(config_existed, has_history) is first


@pytest.mark.parametrize(
    ("starter", "app", "title", "expected"),
    [
        (FOUNDER, "firefox", "Pipeline – HubSpot", Classification.PRIORITY),
        (FOUNDER, "firefox", "Book a call | Calendly", Classification.PRIORITY),
        (FOUNDER, "code", "app.py - Visual Studio Code", Classification.PRODUCTIVE_DISTRACTION),
        (FOUNDER, "firefox", "cats - YouTube", Classification.DISTRACTION),
        (DEVELOPER, "code", "app.py - Visual Studio Code", Classification.PRIORITY),
        (DEVELOPER, "thunderbird", "Inbox", Classification.PRODUCTIVE_DISTRACTION),
        (WRITER, "libreoffice-writer", "chapter3.odt - LibreOffice Writer", Classification.PRIORITY),
        (WRITER, "firefox", "Attention span - Wikipedia", Classification.PRODUCTIVE_DISTRACTION),
        (WRITER, "firefox", "Reddit - front page", Classification.DISTRACTION),
    ],
)
def test_starter_sets_classify_their_typical_windows(starter, app: str, title: str, expected) -> None:
    verdict = Classifier(starter.activities).classify(Sample(0.0, app, title), starter.priority)
    assert verdict.classification is expected


def test_every_starter_is_valid_config(tmp_path: Path) -> None:
    for starter in STARTERS:
        path = tmp_path / f"{starter.name}.toml"
        config = apply_starter(path, starter, starter.priority or "Thesis")
        assert load_config(path, create=False).config == config
        names = [a.name.casefold() for a in config.activities]
        assert len(names) == len(set(names)), starter.name


def test_applying_a_starter_keeps_the_other_settings_and_their_comments(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# my nudges\n[nudge]\nsnooze_minutes = 3  # short\n\n'
                    '[[activity]]\nname = "Golf"\nkind = "distraction"\n', encoding="utf-8")
    config = apply_starter(path, DEVELOPER, "Code")
    text = path.read_text(encoding="utf-8")
    assert "# my nudges" in text and "snooze_minutes = 3  # short" in text and "Golf" not in text
    assert config.nudge.snooze_minutes == 3
    assert config.activity_names == [a.name for a in DEVELOPER.activities]


def test_a_new_priority_becomes_the_first_activity_and_start_empty_has_only_it(tmp_path: Path) -> None:
    config = apply_starter(tmp_path / "config.toml", EMPTY, "  Thesis ")
    assert config.activities == (Activity("Thesis", Kind.PRODUCTIVE),)
    assert with_priority(FOUNDER.activities, "sales") == FOUNDER.activities  # known, ignoring case
    assert with_priority(FOUNDER.activities, "")[0].name == "Sales"


def test_a_file_with_errors_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = "[nudge]\nsnooze_minutes = -1\n"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"nudge\.snooze_minutes"):
        write_activities(path, DEVELOPER.activities)
    assert path.read_text(encoding="utf-8") == broken


def test_starters_are_found_by_name() -> None:
    assert starter_named("Writer") is WRITER
    with pytest.raises(KeyError, match="known: Founder: sales first, Developer, Writer, Start empty"):
        starter_named("Astronaut")

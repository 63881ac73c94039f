"""One computer follows another's activities and rules (issue 16, ``[sync] follow``):
two devices' real stores, config files and a shared folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_sync import Device, two_devices

from focusguard.core.config import load_config
from focusguard.sync import SyncEngine, SyncResult
from focusguard.sync_follow import ACTIVITIES_FILE
from focusguard.syncfolder import device_dir

Pair = tuple[Device, Device, Path]

DESK_CONFIG = """\
[[activity]]
name = "Sales"
kind = "productive"
rules = [{ title = "HubSpot" }]

[[activity]]
name = "Video"
kind = "distraction"
rules = [{ title = "YouTube" }]
"""
LAPTOP_CONFIG = """\
# the laptop's own settings stay its own
[privacy]
keep_days = 30

[sync]
follow = "{follow}"

[[activity]]
name = "Code"
kind = "productive"
rules = [{{ app = "code" }}]
"""


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    yield from two_devices(tmp_path)


def configs(desk: Device, laptop: Device, follow: str = "desk") -> tuple[Path, Path]:
    desk_file, laptop_file = desk.home / "config.toml", laptop.home / "config.toml"
    desk_file.write_text(DESK_CONFIG, encoding="utf-8")
    laptop_file.write_text(LAPTOP_CONFIG.format(follow=follow), encoding="utf-8")
    return desk_file, laptop_file


def run(d: Device, folder: Path, config_file: Path) -> SyncResult:
    return SyncEngine(d.store, folder, d.identity, clock=d.clock, config_file=config_file).run()


def test_a_computer_takes_the_followed_ones_activities_and_keeps_its_other_settings(pair: Pair) -> None:
    desk, laptop, folder = pair
    desk_file, laptop_file = configs(desk, laptop, follow="Desk")  # any case
    run(desk, folder, desk_file)
    assert (device_dir(folder, desk.identity.id) / ACTIVITIES_FILE).is_file()
    result = run(laptop, folder, laptop_file)
    assert result.followed == "desk" and result.problems == []
    assert "took the activities and rules of desk" in result.text()
    loaded = load_config(laptop_file, create=False)
    assert loaded.ok
    assert [(a.name, a.kind.value) for a in loaded.config.activities] == [("Sales", "productive"),
                                                                           ("Video", "distraction")]
    assert loaded.config.privacy.keep_days == 30 and loaded.config.sync.follow == "Desk"
    assert "# the laptop's own settings stay its own" in laptop_file.read_text(encoding="utf-8")
    before = laptop_file.stat().st_mtime_ns
    again = run(laptop, folder, laptop_file)
    assert again.followed == "" and laptop_file.stat().st_mtime_ns == before, "unchanged: not rewritten"

    desk_file.write_text(DESK_CONFIG.replace("YouTube", "YouTube|Netflix"), encoding="utf-8")  # edited on the desk
    run(desk, folder, desk_file)
    assert run(laptop, folder, laptop_file).followed == "desk"
    assert "YouTube|Netflix" in laptop_file.read_text(encoding="utf-8")


def test_a_computer_that_follows_none_keeps_its_own_activities_and_publishes_them(pair: Pair) -> None:
    desk, laptop, folder = pair
    desk_file, laptop_file = configs(desk, laptop, follow="")
    run(desk, folder, desk_file)
    before = laptop_file.read_text(encoding="utf-8")
    result = run(laptop, folder, laptop_file)
    assert (result.followed, result.problems) == ("", [])
    assert laptop_file.read_text(encoding="utf-8") == before
    published = (device_dir(folder, laptop.identity.id) / ACTIVITIES_FILE).read_text(encoding="utf-8")
    assert 'name = "Code"' in published and "keep_days" not in published  # activities only


def test_a_name_no_computer_has_is_said_and_changes_nothing(pair: Pair) -> None:
    desk, laptop, folder = pair
    desk_file, laptop_file = configs(desk, laptop, follow="Office")
    run(desk, folder, desk_file)
    before = laptop_file.read_text(encoding="utf-8")
    [problem] = run(laptop, folder, laptop_file).problems
    assert problem.startswith("cannot follow 'Office': no computer of that name") and "'desk'" in problem
    assert laptop_file.read_text(encoding="utf-8") == before


def test_followed_activities_that_do_not_load_are_said_and_never_written(pair: Pair) -> None:
    desk, laptop, folder = pair
    desk_file, laptop_file = configs(desk, laptop)
    run(desk, folder, desk_file)
    laptop.engine(folder).run()  # the desk's name known here
    (device_dir(folder, desk.identity.id) / ACTIVITIES_FILE).write_text(
        '[[activity]]\nname = "Sales"\nkind = "productive"\nrules = [{ title = "(unclosed" }]\n', encoding="utf-8")
    before = laptop_file.read_text(encoding="utf-8")
    [problem] = run(laptop, folder, laptop_file).problems
    assert problem.startswith(f"cannot follow 'desk': its {ACTIVITIES_FILE} cannot be read")
    assert laptop_file.read_text(encoding="utf-8") == before

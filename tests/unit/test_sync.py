"""Sync through a shared folder: two devices' real stores and real files, no sync engine
(the folder is shared by being the same folder; tests/e2e/test_sync_syncthing.py uses Syncthing)."""

from __future__ import annotations

import gzip
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from focusguard.core import sync_format as fmt
from focusguard.core.config import Config
from focusguard.core.config.values import SyncSettings
from focusguard.core.figures import day_figures
from focusguard.core.model import Classification, Classified, Declaration, Journal, Sample
from focusguard.core.report import day_json
from focusguard.records import Records
from focusguard.store import Store
from focusguard.store_sync import MergedLog
from focusguard.sync import SyncEngine
from focusguard.syncfolder import Identity, SyncFolderError, day_path, load_identity, save_identity

P = Classification.PRIORITY
D = Classification.DISTRACTION
DAY = date(2026, 11, 26)
T9 = datetime(2026, 11, 26, 9, tzinfo=UTC).timestamp()
HOUR = 3600.0


@dataclass
class Device:
    store: Store
    identity: Identity
    home: Path
    now: float = T9

    def clock(self) -> float:
        return self.now

    def engine(self, folder: Path) -> SyncEngine:
        return SyncEngine(self.store, folder, self.identity, clock=self.clock)

    def log(self) -> MergedLog:
        return MergedLog(self.store, self.identity.id, self.identity.name, clock=self.clock)

    def record(self, start: float, end: float, c: Classification = P, app: str = "code") -> None:
        t = start
        while t <= end:
            self.store.record(Classified(Sample(t, app, f"{app} window"), "Sales" if c is P else "Video", c))
            t += 2
        self.store.flush()
        self.now = max(self.now, end + 1)


def two_devices(tmp_path: Path) -> Iterator[tuple[Device, Device, Path]]:
    """A desk and a laptop, each with its store and identity, and the folder they share."""
    made = []
    for name in ("desk", "laptop"):
        home = tmp_path / name
        store = Store(home / "focusguard.db")
        identity = load_identity(home / "device.json")
        assert load_identity(home / "device.json") == identity  # stable
        identity = Identity(identity.id, name)
        save_identity(home / "device.json", identity)
        made.append(Device(store, identity, home))
    yield made[0], made[1], tmp_path / "Sync" / "FocusGuard"
    for d in made:
        d.store.close()


@pytest.fixture
def devices(tmp_path: Path) -> Iterator[tuple[Device, Device, Path]]:
    yield from two_devices(tmp_path)


def report(d: Device) -> dict:
    return day_json(day_figures(d.log(), DAY, UTC), UTC)


def test_a_morning_on_one_device_and_an_afternoon_on_the_other_make_one_day_on_both(devices) -> None:
    desk, laptop, folder = devices
    desk.record(T9, T9 + 2 * HOUR)
    desk.store.declare(Declaration(T9, "Sales", "call Anna"))
    laptop.record(T9 + 4 * HOUR, T9 + 5 * HOUR, D, app="firefox")
    laptop.store.declare(Declaration(T9 + 4 * HOUR, "Code", "fix the merge"))
    laptop.store.save_journal(Journal(DAY, done="calls and code"), at=T9 + 5 * HOUR)
    laptop.store.flush()
    desk.now = laptop.now = T9 + 6 * HOUR
    assert desk.engine(folder).run().written == 1
    result = laptop.engine(folder).run()
    assert (result.written, result.merged, result.problems) == (1, 1, [])
    assert desk.engine(folder).run().merged == 1
    a, b = report(desk), report(laptop)
    assert a == b
    assert a["priority"] == "Code" and a["next_step"] == "fix the merge"
    assert a["seconds"]["priority"] == pytest.approx(2 * HOUR, abs=4)
    assert a["seconds"]["distraction"] == pytest.approx(HOUR, abs=4)
    assert a["journal"]["done"] == "calls and code"
    # the laptop's later priority is the desk's own today now (the running app and `priority show` read it)
    assert desk.store.declaration_on(DAY, UTC) == Declaration(T9 + 4 * HOUR, "Code", "fix the merge")
    assert laptop.store.declaration_on(DAY, UTC).activity == "Code"
    assert [d.activity for d in desk.log().declarations()] == ["Sales", "Code"]  # adopted, counted once
    breakdown = [(t.name, {k: round(v) for k, v in t.seconds.items()}) for t in desk.log().device_breakdown(DAY, UTC)]
    assert breakdown == [("desk", {"priority": 7200}), ("laptop", {"distraction": 3600})]
    assert stat.S_IMODE((desk.home / "device.json").stat().st_mode) == 0o600


def test_publishing_is_incremental_and_files_are_private(devices) -> None:
    desk, _, folder = devices
    desk.record(T9, T9 + HOUR)
    assert desk.engine(folder).publish() == 1
    assert desk.engine(folder).publish() == 0  # nothing new: nothing rewritten
    desk.record(T9 + HOUR + 2, T9 + 2 * HOUR)
    assert desk.engine(folder).publish() == 1
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    assert not [p for p in folder.rglob(".*")], "no temporary file left behind"


def test_a_truncated_or_foreign_file_is_reported_and_skipped_and_the_last_good_copy_stays(devices) -> None:
    desk, laptop, folder = devices
    laptop.record(T9, T9 + HOUR, D, app="firefox")
    laptop.engine(folder).publish()
    desk.now = laptop.now
    assert desk.engine(folder).merge()[:2] == (1, [])
    good = report(desk)["seconds"]["distraction"]
    path = day_path(folder, laptop.identity.id, DAY)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    merged, problems, _ = desk.engine(folder).merge()
    assert merged == 0 and len(problems) == 1 and "truncated" in problems[0]
    assert report(desk)["seconds"]["distraction"] == good
    assert desk.engine(folder).merge()[:2] == (0, [])  # reported once, not re-read until it changes
    # a file of another device put in the laptop's folder
    stranger = fmt.encode_day("f" * 32, "stranger", DAY, T9, [])
    path.write_bytes(stranger)
    merged, problems, _ = desk.engine(folder).merge()
    assert merged == 0 and "belongs to device" in problems[0]
    # a damaged checksum
    raw = gzip.decompress(data).replace(b"firefox window", b"firefox wind0w", 1)
    path.write_bytes(gzip.compress(raw))
    assert "checksum" in desk.engine(folder).merge()[1][0]
    assert report(desk)["seconds"]["distraction"] == good
    path.write_bytes(data)
    assert desk.engine(folder).merge()[:2] == (1, [])
    assert desk.engine(folder).tables.problems() == []


def test_the_same_export_seen_twice_and_a_renamed_device(devices) -> None:
    desk, laptop, folder = devices
    laptop.record(T9, T9 + HOUR, D, app="firefox")
    laptop.engine(folder).publish()
    desk.now = laptop.now
    desk.engine(folder).merge()
    once = report(desk)
    path = day_path(folder, laptop.identity.id, DAY)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # seen again, same content
    assert desk.engine(folder).merge()[:2] == (1, [])
    assert report(desk) == once
    laptop.identity = Identity(laptop.identity.id, "Home laptop")
    save_identity(laptop.home / "device.json", laptop.identity)
    assert load_identity(laptop.home / "device.json") == laptop.identity
    laptop.now += 60
    laptop.engine(folder).publish()
    desk.engine(folder).merge()
    assert [t.name for t in desk.log().device_breakdown(DAY, UTC)] == ["Home laptop"]
    assert report(desk) == once


def test_a_new_kind_from_a_newer_device_is_carried_not_refused(devices) -> None:
    laptop = devices[1]
    data = fmt.encode_day(laptop.identity.id, "laptop", DAY, T9, [
        {"kind": "event", "start": T9, "end": T9 + 60, "app": "a", "title": "t", "exe": "", "activity": None,
         "class": "neutral"},
        {"kind": "mood", "at": T9, "level": 3}])
    decoded = fmt.decode_day(data)
    assert len(decoded.events) == 1 and decoded.unknown == 1
    newer = gzip.compress(gzip.decompress(data).replace(b'"version":1', b'"version":9', 1))
    with pytest.raises(fmt.FormatError, match="newer FocusGuard"):
        fmt.decode_day(newer)


def test_delete_all_data_removes_this_devices_files_and_the_others_history_comes_back_at_the_next_merge(
        devices) -> None:
    desk, laptop, folder = devices
    desk.record(T9, T9 + HOUR)
    laptop.record(T9 + 2 * HOUR, T9 + 3 * HOUR, D, app="firefox")
    laptop.engine(folder).publish()
    desk.now = laptop.now
    desk.engine(folder).run()
    assert report(desk)["seconds"]["distraction"] > 0
    config = Config(sync=SyncSettings(folder=str(folder)))
    Records(desk.store, config=lambda: config).delete_all()
    desk.store.flush()
    assert not list((folder / desk.identity.id).rglob("*"))
    assert list((folder / laptop.identity.id).rglob("*.jsonl.gz"))  # another device's files are never touched
    seconds = report(desk)["seconds"]
    assert seconds["priority"] == seconds["distraction"] == 0
    desk.engine(folder).merge()
    assert report(desk)["seconds"]["distraction"] == pytest.approx(HOUR, abs=4)
    assert report(desk)["seconds"]["priority"] == 0


def test_history_past_keep_days_goes_for_other_devices_too_but_their_journals_stay(devices) -> None:
    desk, laptop, folder = devices
    laptop.record(T9, T9 + HOUR, D, app="firefox")
    laptop.store.save_journal(Journal(DAY, done="shipped"), at=T9 + HOUR)
    laptop.store.flush()
    laptop.engine(folder).publish()
    desk.now = laptop.now
    desk.engine(folder).merge()
    assert report(desk)["seconds"]["distraction"] > 0
    assert desk.store.prune(keep_days=1, now=T9 + 3 * 86400)
    assert report(desk)["seconds"]["distraction"] == 0
    assert report(desk)["journal"]["done"] == "shipped"


def test_a_sync_folder_holding_the_database_is_refused(devices) -> None:
    desk, _, _ = devices
    with pytest.raises(SyncFolderError, match="must stay outside the sync folder"):
        desk.engine(desk.home.parent)


def test_history_added_after_a_publish_with_an_older_time_is_published_too(devices) -> None:
    """An import of past history, or a declaration dated days back, is not inside the
    'since the last publish' window: the rows added since are."""
    desk, _, folder = devices
    desk.record(T9, T9 + HOUR)
    desk.now = T9 + 10 * 86400  # ten days later
    desk.engine(folder).publish()
    past = T9 - 3 * 86400
    desk.store.declare(Declaration(past, "Sales", "call Anna"))
    desk.store.flush()
    assert desk.engine(folder).publish() == 1
    written = fmt.decode_day(day_path(folder, desk.identity.id, DAY.fromordinal(DAY.toordinal() - 3)).read_bytes())
    assert written.declarations == [Declaration(past, "Sales", "call Anna")]
    assert desk.engine(folder).publish() == 0


def test_a_past_days_priority_declared_on_another_device_is_that_days_here_too(devices) -> None:
    """The day's plan reads this device's declarations: another device's declaration of
    an earlier day than this device's latest is adopted as well, so both plan alike."""
    desk, laptop, folder = devices
    yesterday = T9 - 86400
    desk.store.declare(Declaration(yesterday, "Sales", "call Anna"))
    laptop.store.declare(Declaration(T9, "Code", "fix the merge"))
    for d in (desk, laptop):
        d.store.flush()
    desk.engine(folder).run()
    laptop.engine(folder).run()
    assert laptop.store.declaration_on(DAY.fromordinal(DAY.toordinal() - 1), UTC) == Declaration(
        yesterday, "Sales", "call Anna")
    assert laptop.store.declaration_on(DAY, UTC) == Declaration(T9, "Code", "fix the merge")


def test_what_a_merge_took_in_is_not_published_again_by_the_device_that_took_it(devices) -> None:
    """The laptop's declaration, adopted by the desk, is the laptop's to publish: the
    desk's day file does not echo it (nor rewrite old days because it came in)."""
    desk, laptop, folder = devices
    laptop.store.declare(Declaration(T9 - 5 * 86400, "Code", "fix the merge"))
    laptop.store.declare(Declaration(T9, "Code", "fix the merge"))
    laptop.store.flush()
    laptop.engine(folder).run()
    desk.record(T9, T9 + HOUR)
    desk.engine(folder).publish()
    desk.engine(folder).merge()
    assert desk.store.declaration_on(DAY, UTC) == Declaration(T9, "Code", "fix the merge")  # adopted
    assert desk.engine(folder).publish() == 0
    published = fmt.decode_day(day_path(folder, desk.identity.id, DAY).read_bytes())
    assert published.declarations == [] and len(published.events) == 1

"""The summary and review windows on merged days (issue 16): both computers' time, and each one's share."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from focusguard.core.model import Classification, Classified, Sample
from focusguard.records import Records
from focusguard.store import Store
from focusguard.store_sync import devices_json, merged_view
from focusguard.sync import SyncEngine
from focusguard.syncfolder import Identity, identity_path, load_identity, save_identity
from focusguard.ui.review_window import ReviewWindow
from focusguard.ui.summary_window import SummaryWindow

DAY = date(2026, 11, 20)
T9 = datetime(2026, 11, 20, 9, tzinfo=UTC).timestamp()


def record(store: Store, start: float, end: float, c: Classification, app: str) -> None:
    for t in range(int(start), int(end) + 1, 2):
        store.record(Classified(Sample(t, app, f"{app} window"), "Sales" if c is Classification.PRIORITY else None,
                                c))
    store.flush()


def test_the_summary_counts_both_computers_and_names_each_ones_share(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    with Store(tmp_path / "laptop" / "fg.db") as laptop:
        record(laptop, T9 + 3600, T9 + 7200, Classification.DISTRACTION, "firefox")
        identity = Identity(load_identity(identity_path(laptop.path)).id, "Laptop")
        SyncEngine(laptop, folder, identity).publish()
    with Store(tmp_path / "desk" / "fg.db") as desk:
        record(desk, T9, T9 + 3600, Classification.PRIORITY, "code")
        save_identity(identity_path(desk.path), Identity(load_identity(identity_path(desk.path)).id, "Desk"))
        SyncEngine(desk, folder, load_identity(identity_path(desk.path))).run()
        window = SummaryWindow(Records(desk, tz=UTC), activities=["Sales"])
        qtbot.addWidget(window)
        window.show_day(DAY)
        assert window.figures is not None
        assert window.figures.summary.seconds["distraction"] == 3600
        assert window.devices.isVisibleTo(window)
        assert window.devices.text() == ("Devices:\n  Desk    1 h active, 1 h on the priority\n"
                                         "  Laptop  1 h active, 0 min on the priority")
        assert window.markdown().endswith("| Desk | 1 h | 1 h |\n| Laptop | 1 h | 0 min |")
        window.export_to(tmp_path / "day.json")  # the JSON export carries the shares as `report --json` does
        devices = json.loads((tmp_path / "day.json").read_text(encoding="utf-8"))["devices"]
        assert [(d["name"], d["seconds"]) for d in devices] == [("Desk", {"priority": 3600.0}),
                                                                ("Laptop", {"distraction": 3600.0})]
        assert devices == devices_json(merged_view(desk), DAY, UTC)["devices"]
        window.close()


def test_the_review_names_each_computers_share_of_the_period(qtbot, tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    with Store(tmp_path / "laptop" / "fg.db") as laptop:
        record(laptop, T9 + 3600, T9 + 7200, Classification.DISTRACTION, "firefox")
        SyncEngine(laptop, folder, Identity(load_identity(identity_path(laptop.path)).id, "Laptop")).publish()
    with Store(tmp_path / "desk" / "fg.db") as desk:
        record(desk, T9, T9 + 1800, Classification.PRIORITY, "code")
        save_identity(identity_path(desk.path), Identity(load_identity(identity_path(desk.path)).id, "Desk"))
        SyncEngine(desk, folder, load_identity(identity_path(desk.path))).run()
        window = ReviewWindow(Records(desk, tz=UTC))
        qtbot.addWidget(window)
        window.show_period(date(2026, 10, 22), DAY)
        assert window.devices.text() == "Devices: Desk 30 min active · Laptop 1 h active"
        window.close()
    with Store(tmp_path / "alone" / "fg.db") as alone:  # one computer: no line
        record(alone, T9, T9 + 1800, Classification.PRIORITY, "code")
        window = ReviewWindow(Records(alone, tz=UTC))
        qtbot.addWidget(window)
        window.show_period(date(2026, 10, 22), DAY)
        assert window.devices.text() == "" and not window.devices.isVisibleTo(window)
        window.close()

"""The background sync: SyncWorker's own thread (a run at start, on demand and at stop),
and privacy (the folder holds only what the database holds). The Qt runner's test is
tests/unit/ui/test_sync_runner.py."""

from __future__ import annotations

import gzip
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from focusguard.core import sync_format as fmt
from focusguard.core.config import PrivacySettings
from focusguard.core.model import Activity, Classification, Classified, Kind, Rule, Sample
from focusguard.core.rules import Classifier
from focusguard.store import Store
from focusguard.sync import SyncEngine, SyncResult, SyncWorker
from focusguard.syncfolder import day_path, identity_path, load_identity

NOW = time.time()


def test_the_worker_runs_on_its_own_thread_at_start_on_demand_and_once_more_at_stop(tmp_path: Path) -> None:
    db, folder = tmp_path / "data" / "fg.db", tmp_path / "Sync"
    Store(db).close()
    identity = load_identity(identity_path(db))
    results: list[tuple[str, SyncResult | str]] = []
    ran = threading.Semaphore(0)

    def done(result: SyncResult | str) -> None:
        results.append((threading.current_thread().name, result))
        ran.release()

    worker = SyncWorker(db, folder, identity, interval=3600, on_done=done)
    worker.start()
    assert ran.acquire(timeout=10)
    with Store(db) as store:  # the app records meanwhile, on its own connection
        for t in range(0, 120, 2):
            store.record(Classified(Sample(NOW - 300 + t, "code", "main.py"), "Code", Classification.PRIORITY))
    worker.now()
    assert ran.acquire(timeout=10)
    worker.stop()
    assert ran.acquire(timeout=10)
    assert [name for name, _ in results] == ["focusguard-sync"] * 3
    assert all(isinstance(r, SyncResult) for _, r in results)
    assert isinstance(results[1][1], SyncResult) and results[1][1].written == 1
    day = datetime.fromtimestamp(NOW - 300, UTC).date()
    assert fmt.decode_day(day_path(folder, identity.id, day).read_bytes()).events


def test_a_folder_that_cannot_be_used_is_said_not_raised(tmp_path: Path) -> None:
    db = tmp_path / "data" / "fg.db"
    Store(db).close()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    said: list[SyncResult | str] = []
    worker = SyncWorker(db, blocker / "Sync", load_identity(identity_path(db)), 3600, said.append)
    worker.start()
    worker.stop()
    assert said and all(isinstance(s, str) and "cannot use" in s for s in said)


def test_the_folder_holds_only_what_the_database_holds(tmp_path: Path) -> None:
    """An excluded window is private before it reaches the database, so before the folder."""
    privacy = PrivacySettings(exclude_titles=("(?i)incognito",), exclude_apps=("keepassxc",), record_titles=True)
    classifier = Classifier([Activity("Code", Kind.PRODUCTIVE, (Rule(app="code"),))], privacy)
    db, folder = tmp_path / "data" / "fg.db", tmp_path / "Sync"
    with Store(db) as store:
        for t, (app, title) in enumerate([("code", "main.py"), ("firefox", "Incognito: my bank statement"),
                                          ("keepassxc", "Passwords.kdbx")] * 20):
            store.record(classifier.classify(Sample(NOW - 600 + 2 * t, app, title), "Code"))
        store.flush()
        SyncEngine(store, folder, load_identity(identity_path(db))).publish()
    text = b"".join(gzip.decompress(p.read_bytes()) for p in folder.rglob("*.jsonl.gz")).decode()
    assert "main.py" in text
    for secret in ("bank statement", "Incognito", "Passwords.kdbx", "keepassxc"):
        assert secret not in text
    assert '"class":"private"' in text


def test_a_worker_stopped_for_a_new_folder_makes_no_last_run(tmp_path: Path) -> None:
    db = tmp_path / "data" / "fg.db"
    Store(db).close()
    runs = threading.Semaphore(0)
    worker = SyncWorker(db, tmp_path / "Sync", load_identity(identity_path(db)), 3600, lambda _: runs.release())
    worker.start()
    assert runs.acquire(timeout=10)
    worker.stop(10, last_run=False)
    assert not runs.acquire(timeout=0.2)

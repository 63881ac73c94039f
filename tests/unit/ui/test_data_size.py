"""The database's size is one figure: the settings window and the doctor count the
database with its WAL and shared-memory files, with the same words."""

from __future__ import annotations

import time
from pathlib import Path

from focusguard import doctor
from focusguard.core import words
from focusguard.core.disk import database_size
from focusguard.core.model import Classification, Classified, Sample
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.settings.privacy import PrivacyPage


def test_settings_and_doctor_say_the_same_size_with_the_wal(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    with Store(path, max_gap=4.0, flush_every=0) as store:
        at = time.time() - 86400
        for n in range(3000):  # different titles: one event each, written to the WAL
            store.record(Classified(Sample(at + 5 * n, "firefox", f"page {n} " + "x" * 200), None,
                                    Classification.UNCLASSIFIED))
        store.flush()
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > path.stat().st_size  # not checkpointed yet
        page = PrivacyPage(Records(store))
        qtbot.addWidget(page)
        page.refresh_database()
        check = doctor.check_database(path)
        expected = words.size(database_size(path))
        assert page.size_label.text().startswith(expected + " (")
        assert f"({expected}, mode 0600)" in check.detail

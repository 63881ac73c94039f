"""The installed app on a real X desktop while its database is in trouble: another
program holds it locked for 30 s. The tray must keep answering (the settings window,
opened from the CLI through the running app, appears meanwhile), the time must be
recorded at its true times once the lock is gone, and a clean quit afterwards must
log no error. See tests/e2e/test_app_e2e.py for the harness."""

from __future__ import annotations

import itertools
import sqlite3
import time

import pytest
from appdriver import app_config, poll
from test_app_e2e import HUBSPOT, INTERVAL, NOTES, YOUTUBE, declare, start, switch_to

from focusguard.ui.settings.settings_window import WINDOW_TITLE as SETTINGS_TITLE

pytestmark = pytest.mark.xvfb

LOCKED_SECONDS = 30.0
CONFIG = app_config(INTERVAL, 600)


def events(home) -> list[tuple[float, float, str]]:
    with sqlite3.connect(home.db_file) as conn:
        return conn.execute('SELECT start, "end", title FROM events ORDER BY start, id').fetchall()


def test_a_database_locked_for_30_s_freezes_nothing_and_loses_no_time(desktop, make_home):
    home = make_home(CONFIG)
    declare(home)
    for title in (HUBSPOT, YOUTUBE, NOTES):
        desktop.open_window(title)
    desktop.activate(HUBSPOT)
    app = start(home)
    first = poll(lambda: events(home), "the first event on disk", timeout=10)[0][0]

    locker = sqlite3.connect(home.db_file, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        locked_at = time.time()
        switch_to(desktop, YOUTUBE)
        time.sleep(8)  # longer than SQLite's 5 s busy timeout: this used to block the tray
        # The tray answers: the running app opens its settings window on request.
        asked = time.monotonic()
        opened = home.run("settings", timeout=20)
        assert opened.returncode == 0, opened.stderr
        poll(lambda: desktop.find_window(f"^{SETTINGS_TITLE}$"), "the settings window", timeout=5)
        assert time.monotonic() - asked < 5, "the GUI thread was blocked"
        switch_to(desktop, NOTES)
        time.sleep(max(0.0, locked_at + LOCKED_SECONDS - time.time()))
        assert events(home)[-1][1] < locked_at + 1, "nothing could have been written while locked"
    finally:
        if locker.in_transaction:
            locker.execute("COMMIT")
        locker.close()
    released_at = time.time()
    switch_to(desktop, HUBSPOT)
    time.sleep(3)
    stopped_at = time.time()
    assert app.stop() == 0, app.output()

    rows = events(home)
    for (_, a_end, _), (b_start, _, _) in itertools.pairwise(rows):
        assert a_end <= b_start, "overlapping events"
    recorded = sum(end - start for start, end, _ in rows)
    assert recorded == pytest.approx(stopped_at - first, abs=2.0), \
        f"recorded {recorded:.1f} s of {stopped_at - first:.1f} s"
    titles = [title for _, _, title in rows]
    assert titles.index(YOUTUBE) < titles.index(NOTES)
    during = [(s, e, t) for s, e, t in rows if s < released_at and e > locked_at]
    assert {t for *_, t in during} >= {YOUTUBE, NOTES}, "the locked time is filed at its true times"
    log = app.log()
    assert "locked the database" in log  # told once, after 10 s
    assert "can write to its database again" in log
    assert "Traceback" not in log and "closed database" not in log, log

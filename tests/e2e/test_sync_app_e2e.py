"""The installed app syncing on a real X desktop (issue 16): with ``[sync] folder`` set it
merges another computer's history on a thread of its own -- the laptop's earlier
priority becomes today's here, its time is in ``report --json`` -- and at quit it
publishes what it recorded up to then. The folder is shared by being one folder; the
Syncthing test (test_sync_syncthing_e2e.py) carries files between two."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from appdriver import app_config
from test_app_e2e import HUBSPOT, INTERVAL, start

from focusguard.core import sync_format as fmt
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.store import Store
from focusguard.sync import SyncEngine
from focusguard.sync_follow import ACTIVITIES_FILE
from focusguard.syncfolder import Identity, day_path, device_dir, identity_path, load_identity

pytestmark = pytest.mark.xvfb


def test_the_app_merges_at_start_adopts_the_laptops_priority_and_publishes_at_quit(desktop, make_home, tmp_path):
    folder = tmp_path / "Sync"
    now = time.time()
    with Store(tmp_path / "laptop" / "focusguard.db") as laptop:  # this morning on the laptop
        for t in range(0, 601, 2):
            laptop.record(Classified(Sample(now - 1200 + t, "firefox", "YouTube - cats"), "Video",
                                     Classification.DISTRACTION))
        laptop.declare(Declaration(now - 1200, "Sales", "call three past customers"))
        laptop.flush()
        SyncEngine(laptop, folder, Identity(load_identity(identity_path(laptop.path)).id, "Laptop")).run()

    home = make_home(app_config(INTERVAL, 600, more=f'\n[sync]\nfolder = "{folder}"\ninterval_minutes = 0.5\n'))
    desktop.open_window(HUBSPOT)
    desktop.activate(HUBSPOT)
    app = start(home)
    app.wait_for_log("sync: published 0 day file(s), merged 1", timeout=20)
    shown = home.run("priority", "show", "--json")
    assert shown.returncode == 0 and '"activity": "Sales"' in shown.stdout, shown.stdout + shown.stderr
    time.sleep(4)  # a few seconds on HubSpot, now on the laptop's priority
    stopped_at = time.time()
    assert app.stop() == 0, app.output()

    report = home.report()
    devices = {d["name"]: d["seconds"] for d in report["devices"]}
    assert devices["Laptop"]["distraction"] == pytest.approx(600, abs=4)
    me = load_identity(identity_path(home.db_file))
    assert me.name in devices and devices[me.name].get("priority", 0) > 0
    published = fmt.decode_day(day_path(folder, me.id, datetime.fromtimestamp(stopped_at, UTC).date()).read_bytes())
    last = max(e.end for e in published.events)
    assert last == pytest.approx(stopped_at, abs=2 * INTERVAL + 1), "the quit published the last seconds"
    shared = (device_dir(folder, me.id) / ACTIVITIES_FILE).read_text(encoding="utf-8")
    assert 'name = "Sales"' in shared and "HubSpot" in shared, "the app publishes its activities for others to follow"
    assert "Traceback" not in app.log()

"""The running app's sync (issue 16): ``focusguard.sync.SyncWorker`` on its own thread,
its results brought back to the GUI thread by a queued Qt signal.

The GUI thread never reads the folder, never decodes a file and never waits for the
merge's writes; it only re-reads today's figures when a run merged something.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from focusguard.core.config import Config
from focusguard.sync import SyncResult, SyncWorker
from focusguard.syncfolder import SyncFolderError, identity_path, load_identity
from focusguard.ui.qt import QtCore

log = logging.getLogger(__name__)


class SyncRunner(QtCore.QObject):
    """Starts the worker when the config names a sync folder; ``merged`` fires on the GUI
    thread after a run that brought something in."""

    finished = QtCore.Signal(object)  # SyncResult | str, from the worker thread
    merged = QtCore.Signal()

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._worker: SyncWorker | None = None
        self._settings: tuple[str, float] | None = None  # the folder and interval it runs with
        self.last: SyncResult | str | None = None
        self.finished.connect(self._on_finished)

    def start(self, config: Config, db_path: Path, *, config_file: Path | None = None,
              worker: Callable[..., SyncWorker] = SyncWorker) -> None:
        """Start, or after a config change restart, the worker; stop it when the folder
        is removed. The old worker finishes the run under way on its own (the GUI
        thread does not wait for it). ``config_file``: the worker publishes the
        activities read there and, with ``[sync] follow``, writes the followed ones
        there (the app then reloads it); without, neither."""
        settings = (config.sync.folder, config.sync.interval_minutes) if config.sync.folder else None
        if settings == self._settings:
            return
        if self._worker is not None:
            self._worker.stop(0, last_run=False)
            self._worker = None
        self._settings = settings
        if settings is None:
            return
        try:
            identity = load_identity(identity_path(db_path))
        except SyncFolderError as exc:
            log.warning("sync is off: %s", exc)
            self.last = str(exc)
            return
        extra = {} if config_file is None else {"config_file": config_file}
        self._worker = worker(db_path, Path(config.sync.folder).expanduser(), identity,
                              config.sync.interval_minutes * 60, self.finished.emit, **extra)
        self._worker.start()

    def stop(self) -> None:
        """At quit: one last publish (bounded), then the thread ends."""
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    @QtCore.Slot(object)
    def _on_finished(self, result: SyncResult | str) -> None:
        self.last = result
        if isinstance(result, str):
            log.warning("%s", result)
            return
        for problem in result.problems:
            log.warning("sync skipped %s", problem)
        if result.followed:
            log.info("sync: took the activities and rules of %s", result.followed)
        if result.written or result.merged:
            log.info("sync: published %d day file(s), merged %d", result.written, result.merged)
        if result.merged:
            self.merged.emit()

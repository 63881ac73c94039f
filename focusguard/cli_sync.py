"""`focusguard sync setup FOLDER`, `sync now` and `sync status` (issue 16).

The same engine the running app runs on its background thread (``focusguard.sync``),
on the same database, so a terminal can publish and merge at once, and see whether
every device is in step.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from focusguard.cli_common import EXIT_FAIL, EXIT_OK, EXIT_USAGE
from focusguard.core.config import Config, ConfigError, LoadResult, config_path
from focusguard.store import Store, default_db_path
from focusguard.sync import SyncEngine, device_health
from focusguard.syncfolder import Identity, SyncFolderError, check_folder, identity_path, load_identity, save_identity


class _Cli:
    """The CLI's own config loading and store opening (passed in: this module imports no cli)."""

    load: Callable[[argparse.Namespace], LoadResult]
    open_store: Callable[[argparse.Namespace, Config], Store]


def _load(args: argparse.Namespace) -> LoadResult:
    return _Cli.load(args)


def _open_store(args: argparse.Namespace, config: Config) -> Store:
    return _Cli.open_store(args, config)


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db or default_db_path())


def cmd_sync_setup(args: argparse.Namespace) -> int:
    """Names the folder in the config, gives this device its identity, and syncs once."""
    from focusguard.core.config.edit import update_config  # tomlkit: only when the file is written

    try:
        folder = check_folder(Path(args.folder), _db_path(args))
        path = identity_path(_db_path(args))
        identity = load_identity(path)
        if args.name:
            identity = Identity(identity.id, args.name.strip())
            save_identity(path, identity)
    except SyncFolderError as exc:
        print(f"focusguard: {exc}", file=sys.stderr)
        return EXIT_FAIL
    def name_folder(document: object) -> None:
        table = document.setdefault("sync", {})  # type: ignore[attr-defined]
        table["folder"] = str(folder)

    try:
        update_config(args.config or config_path(), name_folder)
    except ConfigError as exc:
        print(f"focusguard: the config cannot be saved: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"This computer is {identity.name!r} (device {identity.id}); its history goes to {folder}.")
    print("Share that folder with your other computers (Syncthing, Dropbox, Nextcloud, a network share) "
          "and run `focusguard sync setup FOLDER` on each.")
    return _sync_once(args)


def _sync_once(args: argparse.Namespace) -> int:
    config = _load(args).config
    if not config.sync.folder:
        print("focusguard: no sync folder yet: run `focusguard sync setup FOLDER`", file=sys.stderr)
        return EXIT_USAGE
    try:
        identity = load_identity(identity_path(_db_path(args)))
        with _open_store(args, config) as store:
            result = SyncEngine(store, Path(config.sync.folder), identity,
                                config_file=args.config or config_path()).run()
    except (SyncFolderError, OSError) as exc:
        print(f"focusguard: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(result.text())
    return EXIT_OK


def cmd_sync_now(args: argparse.Namespace) -> int:
    return _sync_once(args)


def cmd_sync_status(args: argparse.Namespace) -> int:
    """Each device, when its last file arrived, and what is wrong with it."""
    config = _load(args).config
    if not config.sync.folder:
        print("No sync folder: run `focusguard sync setup FOLDER`.")
        return EXIT_OK
    try:
        identity = load_identity(identity_path(_db_path(args)))
    except SyncFolderError as exc:
        print(f"focusguard: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"Sync folder: {config.sync.folder}")
    print(f"This computer: {identity.name} ({identity.id})")
    worst = EXIT_OK
    with _open_store(args, config) as store:
        for line, ok in device_health(store, config.sync.interval_minutes * 60, time.time()):
            print(line)
            worst = worst if ok else EXIT_FAIL
    return worst


def add_commands(commands: argparse._SubParsersAction, load: Callable[[argparse.Namespace], LoadResult],
                 open_store: Callable[[argparse.Namespace, Config], Store]) -> None:
    """`sync setup|now|status` on the CLI's sub-command parser; ``load`` and
    ``open_store`` are the CLI's (its messages, its --db and --config)."""
    _Cli.load, _Cli.open_store = load, open_store
    sync = commands.add_parser("sync", help="keep several computers' history in step through a shared folder")
    sync_commands = sync.add_subparsers(dest="sync_command", metavar="COMMAND", required=True)
    setup = sync_commands.add_parser("setup", help="use FOLDER as the sync folder (shared by a sync engine)")
    setup.add_argument("folder", help="the folder, e.g. ~/Sync/FocusGuard (outside FocusGuard's data folder)")
    setup.add_argument("--name", default="", help="this computer's name on the others (default: its host name)")
    setup.set_defaults(func=cmd_sync_setup)
    sync_commands.add_parser("now", help="publish this computer's new history and merge the others' now").set_defaults(
        func=cmd_sync_now)
    sync_commands.add_parser("status", help="each device, when its last file arrived, and problems").set_defaults(
        func=cmd_sync_status)

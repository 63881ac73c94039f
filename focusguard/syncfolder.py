"""The sync folder on disk, and this device's identity.

Layout, one folder per device, written by that device alone (so two devices never
write the same file and a sync engine never has a conflict to make):

    <folder>/<device-id>/device.json                       who it is, when it last published
    <folder>/<device-id>/<yyyy-mm>/<yyyy-mm-dd>.jsonl.gz   its history of one UTC day

(``core.sync_format`` is what is inside.) A file appears only whole: it is written
under a temporary name in the same folder -- named the way Syncthing names its own
temporary files, which its scanner skips, and a dot-file that this reader skips --
flushed to disk, then renamed over the old one. Folders are 0700 and files 0600.

The identity lives beside the database, outside the sync folder (copying the folder
to a new computer must not clone the device): a random id, stable for life, and a
name the user may change.
"""

from __future__ import annotations

import json
import os
import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from focusguard.core import files

IDENTITY_FILE = "device.json"
DEVICE_FILE = "device.json"
DAY_SUFFIX = ".jsonl.gz"
_ID = re.compile(r"[0-9a-f]{32}")
_DAY_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})\.jsonl\.gz")


class SyncFolderError(Exception):
    """The sync folder or the identity cannot be used; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Identity:
    id: str
    name: str


def identity_path(db_path: Path) -> Path:
    """Where the identity of the device that owns the database at ``db_path`` lives: beside it."""
    return db_path.parent / IDENTITY_FILE


def load_identity(path: Path) -> Identity:
    """This device's identity, made on first use (a random id, the host name)."""
    try:
        with open(files.checked_target(path), encoding="utf-8") as handle:
            data = json.load(handle)
        if isinstance(data, dict) and _ID.fullmatch(str(data.get("id", ""))) and str(data.get("name", "")).strip():
            return Identity(data["id"], data["name"])
        raise SyncFolderError(f"{path} is not a FocusGuard device identity: move it aside and a new one is made "
                              "(this device then counts as a new device)")
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SyncFolderError(f"cannot read this device's identity {path} ({exc}): move it aside and a new one "
                              "is made (this device then counts as a new device)") from None
    identity = Identity(uuid.uuid4().hex, socket.gethostname() or "This computer")
    save_identity(path, identity)
    return identity


def save_identity(path: Path, identity: Identity) -> None:
    write_whole(path, (json.dumps({"id": identity.id, "name": identity.name}, ensure_ascii=False) + "\n").encode())


def write_whole(path: Path, data: bytes) -> None:
    """``data`` at ``path``, appearing whole: written aside, synced, renamed (0600 in 0700 folders)."""
    target = files.checked_target(path)
    files.make_private_dirs(target.parent)
    aside = target.with_name(f".syncthing.{target.name}.{os.getpid()}.tmp")
    try:
        with open(aside, "wb", opener=files.private_opener) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(aside, target)
    except BaseException:
        aside.unlink(missing_ok=True)
        raise
    try:
        folder = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)


def check_folder(folder: Path, database: Path | None = None) -> Path:
    """The folder made ready for this device (0700 when made here): its checked real
    path. The live ``database`` must stay outside it: a sync engine copying a database
    while SQLite writes it would carry a damaged copy, and every device would share one."""
    try:
        target = files.checked_target(folder.expanduser())
        if database is not None:
            home = files.checked_target(database).parent
            if home == target or target in home.parents:
                raise SyncFolderError(f"the database ({home}) must stay outside the sync folder {target}: "
                                      "choose another folder")
        if target.exists() and not target.is_dir():
            raise SyncFolderError(f"{target} is a file, not a folder: name a folder as the sync folder")
        files.make_private_dirs(target)
    except OSError as exc:
        raise SyncFolderError(f"cannot use {folder} as the sync folder ({exc}): choose a folder of yours") from None
    if not os.access(target, os.W_OK | os.X_OK):
        raise SyncFolderError(f"cannot write in the sync folder {target}: give it back to your user, or choose another")
    return target


def device_dir(folder: Path, device: str) -> Path:
    return folder / device


def day_path(folder: Path, device: str, day: date) -> Path:
    return folder / device / f"{day:%Y-%m}" / f"{day.isoformat()}{DAY_SUFFIX}"


@dataclass(frozen=True, slots=True)
class DayEntry:
    """A day file found in another device's folder, with what identifies its version."""

    path: Path
    device: str
    day: date
    size: int
    mtime_ns: int


def other_devices(folder: Path, own: str) -> list[str]:
    """The ids of the device folders other than ``own`` (anything else is left alone)."""
    try:
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and _ID.fullmatch(p.name) and p.name != own)
    except OSError as exc:
        raise SyncFolderError(f"cannot read the sync folder {folder} ({exc})") from None


def day_files(folder: Path, device: str) -> Iterator[DayEntry]:
    """Every day file of ``device``'s folder, oldest day first (temporary and other files skipped)."""
    base = device_dir(folder, device)
    for month in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for path in sorted(month.iterdir()):
            found = _DAY_NAME.fullmatch(path.name)
            if found is None:
                continue
            try:
                day = date.fromisoformat(found.group(1))
                st = path.stat()
            except (ValueError, OSError):
                continue
            yield DayEntry(path, device, day, st.st_size, st.st_mtime_ns)

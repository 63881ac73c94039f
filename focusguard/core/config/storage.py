"""The config file on disk: where it is, reading it safely, writing it atomically.

The file belongs to the user, who edits it by hand while FocusGuard runs. A file
that cannot be read, parsed or validated is never written: the user's text is the
only copy of their intent, and the app keeps running on the last good config.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import platformdirs

from focusguard.core import files
from focusguard.core.config.parse import parse_config, too_big
from focusguard.core.config.reference import STARTER_CONFIG, default_config
from focusguard.core.config.schema import FILE_NAME
from focusguard.core.config.types import MAX_FILE_BYTES, ConfigError, Problem
from focusguard.core.config.values import Config

APP_NAME: Final = "focusguard"


def config_path() -> Path:
    """``<user config dir>/focusguard/config.toml``; honours XDG_CONFIG_HOME on Linux."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / FILE_NAME


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_config` found. ``ok`` False: ``problems`` has errors and
    ``config`` is the last good (or default) config to keep running on."""

    config: Config
    problems: list[Problem]
    path: Path
    ok: bool


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so a reader sees the old or the new file, never half.

    A temp file in the same directory (same filesystem, so ``os.replace`` is atomic)
    is fsynced before the rename. An existing file's permissions are kept (less any
    write access for others); a new file is private to the user (0600) and so is a
    folder made for it (0700), whatever the umask, since window titles and rules can
    be personal. A link the user made is written through (the link stays); one
    another user could have laid is refused (``files.UnsafePathError``).
    """
    path = files.checked_target(path)
    files.make_private_dirs(path.parent)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            tmp.chmod(path.stat().st_mode & 0o7755)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if os.name == "posix":  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def read_text(path: Path) -> str:
    """The file's text, or ConfigError naming the file if it cannot be read or is
    too big (never more than MAX_FILE_BYTES is read into memory)."""
    try:
        with files.checked_target(path).open("rb") as file:  # no link of another user's
            data = file.read(MAX_FILE_BYTES + 1)
            size = os.fstat(file.fileno()).st_size
        if len(data) > MAX_FILE_BYTES:
            raise ConfigError([too_big(str(path), max(size, len(data)))])
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError([Problem(str(path), f"cannot read: {reason}")]) from exc


def load_config(
    path: Path | None = None, *, create: bool = True, last_good: Config | None = None
) -> LoadResult:
    """Read the config, writing the starter file on first run when ``create``.

    A file that cannot be read, parsed or validated is left exactly as it is and the
    result carries ``last_good`` (or the default config) so the app keeps running.
    """
    path = path or config_path()
    if not path.exists():
        if create:
            try:
                write_atomic(path, STARTER_CONFIG)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                problem = Problem(str(path), f"cannot write the starter file: {reason}")
                return LoadResult(last_good or default_config(), [problem], path, ok=False)
        return LoadResult(default_config(), [], path, ok=True)
    try:
        config, found = parse_config(read_text(path), path.name)
    except ConfigError as exc:
        return LoadResult(last_good or default_config(), exc.problems, path, ok=False)
    return LoadResult(config, found, path, ok=True)

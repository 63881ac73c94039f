"""Private files and folders: what FocusGuard writes is the user's alone, whatever the
umask, and it never reads or writes through a link another user could have laid.

Window titles, rules and logs are personal, and a config file another user can
replace is a way into the app. So every folder FocusGuard creates is 0700 and every
file 0600 (the modes are given to ``mkdir``/``open`` and set again afterwards, since
a umask such as 0o277 removes owner bits too). A path is followed through a symbolic
link only when the link was made by the user (or root) and leads to a file of the
user's in a folder only the user can change; anything else could be a trap set by
another local user, for example in a shared folder such as /tmp.

Pure standard library (no Qt, nothing of FocusGuard's), so the core's config writer,
the store, the log and the single-instance lock all share it. On Windows there are
no POSIX owners and modes: the checks pass there and the user's profile folders'
ACLs do the job.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import platformdirs

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
#: Links followed in one path before giving up (Linux's own limit).
_MAX_LINKS = 40
_POSIX = os.name == "posix"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class UnsafePathError(PermissionError):
    """A path FocusGuard refuses to use; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _uid() -> int:
    return os.getuid() if _POSIX else 0


def owner_name(uid: int) -> str:
    """The user name of ``uid`` (the number itself when it has no name)."""
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"


def _trusted_link_owner(uid: int) -> bool:
    """A link made by the user, or by root (system links such as macOS's /tmp)."""
    return uid in (_uid(), 0)


def _others_may_write(mode: int) -> bool:
    return bool(mode & (stat.S_IWGRP | stat.S_IWOTH))


def checked_target(path: Path) -> Path:
    """The real path behind ``path`` (absolute, every link resolved).

    Raises UnsafePathError when reaching it goes through a symbolic link made by
    another user, or when a link leads to a file that is not the user's or to a
    folder others can write to (a link into /tmp, say). A path without links is
    returned as it is, made absolute: its own permissions are the caller's business.
    """
    path = Path(os.path.abspath(path))
    if not _POSIX:
        return path
    pending = list(reversed(path.parts[1:]))  # components still to walk, next one last
    current = Path(path.anchor)
    links = 0
    while pending:
        part = pending.pop()
        if part in (".", ".."):  # current never holds a link, so ".." is its parent
            current = current.parent if part == ".." else current
            continue
        candidate = current / part
        try:
            st = os.lstat(candidate)
        except (FileNotFoundError, NotADirectoryError):  # the rest does not exist yet
            current = candidate.joinpath(*reversed(pending))
            break
        if not stat.S_ISLNK(st.st_mode):
            current = candidate
            continue
        if not _trusted_link_owner(st.st_uid):
            raise UnsafePathError(
                f"{path} goes through the symbolic link {candidate}, made by {owner_name(st.st_uid)}. "
                "FocusGuard does not follow links made by another user: remove the link, or "
                "choose a path of your own"
            )
        links += 1
        if links > _MAX_LINKS:
            raise UnsafePathError(f"{path} goes through too many symbolic links (a loop?)")
        target = Path(os.readlink(candidate))
        pending.extend(reversed(target.parts[1:] if target.is_absolute() else target.parts))
        current = Path(target.anchor) if target.is_absolute() else current
    resolved = Path(os.path.normpath(current))
    if links:
        _check_link_target(path, resolved)
    return resolved


def _check_link_target(path: Path, target: Path) -> None:
    """A link must lead to the user's own file in a folder only the user can change."""
    existing = target
    while not os.path.lexists(existing):
        existing = existing.parent
    st = os.stat(existing)
    if existing == target and st.st_uid != _uid():
        raise UnsafePathError(
            f"{path} is a symbolic link to {target}, which belongs to {owner_name(st.st_uid)}, "
            "not to you. FocusGuard left it untouched: remove the link, or point it at a file of yours"
        )
    folder = existing if existing != target else target.parent
    folder_st = os.stat(folder)
    if folder_st.st_uid != _uid() or _others_may_write(folder_st.st_mode):
        raise UnsafePathError(
            f"{path} is a symbolic link into {folder}, a folder "
            + (f"of {owner_name(folder_st.st_uid)}" if folder_st.st_uid != _uid() else "others can write to")
            + ". FocusGuard follows links only into your own folders: remove the link, "
            "or point it at a folder of yours"
        )


def make_private_dirs(path: Path) -> None:
    """Create ``path`` and its missing parents, each 0700 whatever the umask.
    Folders that exist already are left as they are (one may be shared on purpose)."""
    missing: list[Path] = []
    current = Path(os.path.abspath(path))
    while not os.path.lexists(current):
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_DIR_MODE)
        except FileExistsError:  # made meanwhile by another FocusGuard process
            continue
        os.chmod(folder, PRIVATE_DIR_MODE)  # a umask may have removed owner bits too


def private_dir(path: Path, *, tighten: bool = True) -> Path:
    """A folder of FocusGuard's own, made if missing: its real path, checked to be a
    folder owned by the user with no access for others. An existing one with group
    or other access is tightened to 0700 (``tighten``) or refused. Raises
    UnsafePathError with what to do."""
    make_private_dirs(path)
    target = checked_target(path)
    st = os.stat(target)
    if not stat.S_ISDIR(st.st_mode):
        raise UnsafePathError(f"{target} is not a folder: move it aside so FocusGuard can make its folder there")
    if not _POSIX:
        return target
    if st.st_uid != _uid():
        raise UnsafePathError(
            f"the folder {target} belongs to {owner_name(st.st_uid)}, not to you. FocusGuard "
            "keeps its files only in folders of yours: remove it (as that user or root), or give it "
            f"to you: sudo chown {owner_name(_uid())} {target}"
        )
    if st.st_mode & 0o077:
        if not tighten:
            raise UnsafePathError(
                f"the folder {target} is open to other users (mode {stat.S_IMODE(st.st_mode):04o}). "
                f"FocusGuard needs a folder that is yours alone: chmod 700 {target}"
            )
        os.chmod(target, PRIVATE_DIR_MODE)
    return target


def require_own(path: Path) -> None:
    """Refuses (UnsafePathError) an existing ``path`` that is a link or is not the user's:
    for files inside FocusGuard's own folders, where nobody else should have put anything."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not _POSIX:
        return
    if stat.S_ISLNK(st.st_mode) or st.st_uid != _uid():
        what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else f"a file of {owner_name(st.st_uid)}"
        raise UnsafePathError(
            f"{path} is {what}; FocusGuard did not make it and will not use it. Remove it "
            "(as its owner or root) and start FocusGuard again"
        )


def tighten_file(fd: int) -> None:
    """Set an open file of the user's to 0600 if it allows more (made by an older version
    or under a loose umask). Someone else's file is left as it is."""
    if not _POSIX:
        return
    st = os.fstat(fd)
    if st.st_uid == _uid() and stat.S_IMODE(st.st_mode) != PRIVATE_FILE_MODE:
        os.fchmod(fd, PRIVATE_FILE_MODE)


def private_opener(path: str, flags: int) -> int:
    """An ``opener`` for ``open()``: a new file is 0600 whatever the umask, an existing
    one of the user's is tightened to 0600, and a link in the last place is refused
    (resolve the path with :func:`checked_target` first)."""
    fd = os.open(path, flags | _NOFOLLOW | _CLOEXEC, PRIVATE_FILE_MODE)
    try:
        tighten_file(fd)
    except BaseException:
        os.close(fd)
        raise
    return fd


def create_private_file(path: Path) -> Path:
    """Make sure the file behind ``path`` exists, 0600 and in 0700 folders if they are
    made here; returns its checked real path. Raises UnsafePathError (see
    :func:`checked_target`) or OSError."""
    target = checked_target(path)
    make_private_dirs(target.parent)
    os.close(private_opener(str(target), os.O_CREAT | os.O_RDWR))
    return target


def runtime_dir() -> Path:
    """Where the single-instance lock and socket live: FocusGuard's folder in the
    session's runtime directory, so two sessions never share one.

    On Linux and the BSDs that is ``$XDG_RUNTIME_DIR/focusguard``, the runtime
    directory checked first to be the user's alone (it is the session's, so it is
    never tightened here: a loose one is refused). Without ``XDG_RUNTIME_DIR`` the
    folder is made in the user's cache folder, per machine (a home may be shared by
    several over NFS) -- never a guessable name under /tmp, which another user could
    take first. Elsewhere (macOS, Windows) it is the platform's per-user runtime
    folder. The returned folder is checked by :func:`private_dir`."""
    name = "focusguard"
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        base = os.environ.get("XDG_RUNTIME_DIR", "")
        if os.path.isabs(base):
            if not os.path.isdir(base):
                raise UnsafePathError(
                    f"XDG_RUNTIME_DIR is {base}, which does not exist: log in again, or unset "
                    "XDG_RUNTIME_DIR to let FocusGuard use a folder in your cache folder"
                )
            private_dir(Path(base), tighten=False)
            return private_dir(Path(base) / name)
        return private_dir(platformdirs.user_cache_path(name) / f"runtime-{os.uname().nodename}")
    return private_dir(platformdirs.user_runtime_path(name, appauthor=False))

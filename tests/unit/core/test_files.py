"""Private files and folders (focusguard.core.files): modes whatever the umask, links
refused unless the user made them and they lead to the user's own files.

Ownership by another user is simulated with ``chown`` to a uid nobody has, which needs
root (CI runs as root); the tests in tests/e2e/test_security_e2e.py do the same with a
real second user and real processes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from focusguard.core import files
from focusguard.core.files import UnsafePathError

#: A uid no account has: "another user" for chown.
STRANGER = 4242

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture(params=[0o000, 0o277], ids=["umask000", "umask277"])
def odd_umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """000 would leave everything open to all; 277 would take the owner's own write bit."""
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_folders_and_files_made_are_private_whatever_the_umask(tmp_path: Path, odd_umask: int) -> None:
    deep = tmp_path / "a" / "b" / "c"
    files.make_private_dirs(deep)
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", deep)] == [0o700] * 3
    created = files.create_private_file(deep / "focusguard.db")
    assert created == deep / "focusguard.db" and mode(created) == 0o600
    with open(deep / "focusguard.log", "a", encoding="utf-8", opener=files.private_opener) as log:
        log.write("line\n")
    assert mode(deep / "focusguard.log") == 0o600
    assert mode(files.private_dir(tmp_path / "own")) == 0o700


def test_an_existing_folder_is_left_as_it_is_but_a_file_of_ours_is_tightened(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    old = shared / "old.log"
    old.write_text("x")
    old.chmod(0o644)
    files.make_private_dirs(shared)
    files.create_private_file(old)
    assert mode(shared) == 0o755 and mode(old) == 0o600


def test_a_folder_of_our_own_is_tightened_or_refused(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    loose.chmod(0o777)
    with pytest.raises(UnsafePathError, match=r"open to other users \(mode 0777\).*chmod 700"):
        files.private_dir(loose, tighten=False)
    assert mode(loose) == 0o777  # refused, not changed
    assert files.private_dir(loose) == loose and mode(loose) == 0o700


def test_a_file_where_a_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "log").write_text("not a folder")
    with pytest.raises(UnsafePathError, match="is not a folder"):
        files.private_dir(tmp_path / "log")


@needs_root
def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, STRANGER, STRANGER)
    with pytest.raises(UnsafePathError, match=f"belongs to uid {STRANGER}, not to you.*chown"):
        files.private_dir(theirs)


def test_a_path_without_links_is_taken_as_it_is(tmp_path: Path) -> None:
    assert files.checked_target(tmp_path / "x" / ".." / "db") == tmp_path / "db"


def test_a_link_of_the_users_own_to_a_file_of_theirs_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "config.toml"
    real.parent.mkdir(mode=0o700)
    real.write_text("x")
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "config.toml").symlink_to("../dotfiles/config.toml")  # relative
    (tmp_path / "dirlink").symlink_to(tmp_path / "conf")  # a linked folder on the way
    assert files.checked_target(tmp_path / "dirlink" / "config.toml") == real
    assert files.checked_target(tmp_path / "dirlink" / "new.db") == tmp_path / "conf" / "new.db"


@needs_root
def test_a_link_made_by_another_user_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mine.db").write_bytes(b"")
    link = tmp_path / "focusguard.db"
    link.symlink_to(tmp_path / "mine.db")
    os.lchown(link, STRANGER, STRANGER)
    with pytest.raises(UnsafePathError, match=f"symbolic link {link}, made by uid {STRANGER}"):
        files.checked_target(link)
    # the same link as a folder on the way
    folder = tmp_path / "folder"
    folder.symlink_to(tmp_path)
    os.lchown(folder, STRANGER, STRANGER)
    with pytest.raises(UnsafePathError, match="made by"):
        files.checked_target(folder / "anything.db")


@needs_root
def test_a_link_to_another_users_file_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.db"
    theirs.write_bytes(b"their data")
    os.chown(theirs, STRANGER, STRANGER)
    link = tmp_path / "focusguard.db"
    link.symlink_to(theirs)
    with pytest.raises(UnsafePathError, match=f"belongs to uid {STRANGER}, not to you"):
        files.checked_target(link)


def test_a_link_into_a_folder_others_can_write_is_refused(tmp_path: Path) -> None:
    public = tmp_path / "public"
    public.mkdir()
    public.chmod(0o1777)  # as /tmp
    link = tmp_path / "focusguard.log"
    link.symlink_to(public / "focusguard.log")  # not there yet: anyone could make it first
    with pytest.raises(UnsafePathError, match="a folder others can write to"):
        files.checked_target(link)


def test_a_link_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(UnsafePathError, match="too many symbolic links"):
        files.checked_target(tmp_path / "a")


@needs_root
def test_something_of_someone_else_in_our_folder_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "focusguard.lock"
    files.require_own(lock)  # missing: fine
    lock.write_text("")
    files.require_own(lock)
    os.chown(lock, STRANGER, STRANGER)
    with pytest.raises(UnsafePathError, match=f"a file of uid {STRANGER}; FocusGuard did not make it"):
        files.require_own(lock)
    link = tmp_path / "focusguard.sock"
    link.symlink_to(lock)
    with pytest.raises(UnsafePathError, match="a symbolic link"):
        files.require_own(link)


# --- the runtime folder ----------------------------------------------------------------

@pytest.fixture
def linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files.sys, "platform", "linux")


def test_the_runtime_folder_is_in_the_sessions_runtime_dir(tmp_path: Path, monkeypatch, linux) -> None:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    assert files.runtime_dir() == run / "focusguard" and mode(run / "focusguard") == 0o700


def test_two_sessions_get_two_runtime_folders(tmp_path: Path, monkeypatch, linux) -> None:
    found = []
    for session in ("one", "two"):
        run = tmp_path / session
        run.mkdir(mode=0o700)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
        found.append(files.runtime_dir())
    assert found == [tmp_path / "one" / "focusguard", tmp_path / "two" / "focusguard"]


def test_a_runtime_dir_open_to_others_is_refused_not_changed(tmp_path: Path, monkeypatch, linux) -> None:
    run = tmp_path / "run"
    run.mkdir()
    run.chmod(0o755)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    with pytest.raises(UnsafePathError, match=r"open to other users \(mode 0755\)"):
        files.runtime_dir()
    assert mode(run) == 0o755 and not (run / "focusguard").exists()


@needs_root
def test_a_runtime_dir_of_another_user_is_refused(tmp_path: Path, monkeypatch, linux) -> None:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    os.chown(run, STRANGER, STRANGER)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    with pytest.raises(UnsafePathError, match=f"belongs to uid {STRANGER}"):
        files.runtime_dir()


def test_a_missing_runtime_dir_is_said(tmp_path: Path, monkeypatch, linux) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "gone"))
    with pytest.raises(UnsafePathError, match="does not exist: log in again, or unset XDG_RUNTIME_DIR"):
        files.runtime_dir()


@pytest.mark.parametrize("value", [None, "", "relative/run"])
def test_without_a_runtime_dir_a_private_folder_in_the_cache_is_made(
        tmp_path: Path, monkeypatch, linux, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    else:
        monkeypatch.setenv("XDG_RUNTIME_DIR", value)  # not absolute: invalid, per the XDG spec
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = files.runtime_dir()
    assert folder == tmp_path / "cache" / "focusguard" / f"runtime-{os.uname().nodename}"
    assert mode(folder) == mode(folder.parent) == mode(tmp_path / "cache") == 0o700

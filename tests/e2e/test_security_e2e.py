"""What another local user, a loose umask or broken permissions can do to FocusGuard,
tried for real: a second user made by the test (``focusguard-other``) squats sockets
and lays links in a shared sticky folder (as /tmp is), the app and CLI run as
installed, under umask 000, and as an unprivileged user whose files root took.

Runs as root (CI does): making a user and running processes as it needs root.
"""

from __future__ import annotations

import os
import pwd
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from appdriver import FOCUSGUARD, app_config, poll
from wlsession import ensure_user
from xdesktop import XDesktop

from focusguard import __version__
from focusguard.ui.settings import WINDOW_TITLE as SETTINGS_TITLE

pytestmark = pytest.mark.xvfb

OTHER = "focusguard-other"
STARTED = f"FocusGuard {__version__} started"
CANNOT_START = "^FocusGuard cannot start$"
CONFIG = app_config(1.0, 600.0)


def _need_root() -> None:
    if os.geteuid() != 0:
        reason = "needs root, to make a second user and run processes as it"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the security tests, but it {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def other() -> pwd.struct_passwd:
    """The second local user, made on first use."""
    _need_root()
    return ensure_user(OTHER)


def as_user(user: pwd.struct_passwd) -> dict[str, object]:
    """subprocess arguments that run a command as ``user``."""
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder every user may write to, sticky, as /tmp is (a fresh one, so no test
    touches the real /tmp's names)."""
    _need_root()
    folder = Path(tempfile.mkdtemp(prefix="fg-shared-", dir="/tmp"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def other_base(other: pwd.struct_passwd) -> Iterator[Path]:
    """A folder owned by the second user, reachable by it (pytest's tmp_path is root's 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="fg-other-", dir="/tmp"))
    folder.chmod(0o755)
    os.chown(folder, other.pw_uid, other.pw_gid)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def run_cli(*args: str, env: dict[str, str] | None = None, **spawn: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FOCUSGUARD), *args], capture_output=True, text=True, timeout=60,  # type: ignore[call-overload]
                          stdin=subprocess.DEVNULL, env=env or cli_env(), **spawn)


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(extra)
    return env


def fingerprint(path: Path) -> tuple[bytes, int, int, int]:
    """What "left untouched" means: bytes, mode, owner and modification time."""
    st = os.stat(path)
    return path.read_bytes(), st.st_mode, st.st_uid, st.st_mtime_ns


def other_programs_db(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO notes (text) VALUES ('private')")
    conn.close()
    return path


def assert_clear_failure(done: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert done.stderr.startswith("focusguard: ") and "Traceback" not in done.stderr, done.stderr
    for phrase in phrases:
        assert phrase in done.stderr, done.stderr


# --- links ------------------------------------------------------------------------------

def test_a_database_link_laid_by_another_user_is_not_followed(other, shared: Path, tmp_path: Path) -> None:
    """The other user links the name FocusGuard will open to a database of the victim's:
    FocusGuard must neither add its tables nor switch WAL on nor chmod it."""
    mine = other_programs_db(tmp_path / "notes.sqlite")
    mine.chmod(0o644)
    before = fingerprint(mine)
    link = shared / "focusguard.db"
    subprocess.run(["ln", "-s", str(mine), str(link)], check=True, **as_user(other))
    done = run_cli("--db", str(link), "report")
    assert_clear_failure(done, f"made by {OTHER}", "does not follow links made by another user")
    assert fingerprint(mine) == before and not Path(f"{mine}-wal").exists()


def test_a_link_of_ones_own_to_another_users_file_is_not_followed(other, other_base: Path, tmp_path: Path) -> None:
    theirs = other_programs_db(other_base / "theirs.sqlite")
    os.chown(theirs, other.pw_uid, other.pw_gid)
    before = fingerprint(theirs)
    link = tmp_path / "focusguard.db"
    link.symlink_to(theirs)
    assert_clear_failure(run_cli("--db", str(link), "report"), f"which belongs to {OTHER}, not to you")
    assert fingerprint(theirs) == before


def test_a_config_link_laid_by_another_user_is_not_read(other, shared: Path) -> None:
    planted = shared / "planted.toml"
    subprocess.run([sys.executable, "-c", f"open({str(planted)!r}, 'w').write('[sampling]\\n')"],
                   check=True, **as_user(other))
    link = shared / "config.toml"
    subprocess.run(["ln", "-s", str(planted), str(link)], check=True, **as_user(other))
    done = run_cli("--config", str(link), "config", "check")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"made by {OTHER}" in done.stdout + done.stderr


def test_a_log_folder_link_laid_by_another_user_stops_the_app_with_a_window(
        other, shared: Path, desktop: XDesktop, make_home) -> None:
    """XDG_STATE_HOME in a shared folder where the other user made ``focusguard`` a link
    to a folder of theirs: the app must not write its log (window titles) there."""
    home = make_home(CONFIG)
    trap = shared / "trap"
    subprocess.run(["mkdir", "-p", str(trap / "log")], check=True, **as_user(other))
    subprocess.run(["ln", "-s", str(trap), str(shared / "focusguard")], check=True, **as_user(other))
    home.env["XDG_STATE_HOME"] = str(shared)
    app = home.launch()
    close_cannot_start(desktop, app.process)
    assert f"made by {OTHER}" in app.output() and "Traceback" not in app.output()
    assert list((trap / "log").iterdir()) == []


def close_cannot_start(desktop: XDesktop, process: subprocess.Popen) -> None:
    """The "cannot start" window is shown; Return closes it and the app exits 1."""
    window = poll(lambda: desktop.find_window(CANNOT_START), "the window saying why FocusGuard cannot start",
                  timeout=20)
    desktop.xdotool("windowactivate", "--sync", window)
    desktop.xdotool("key", "Return")
    assert process.wait(timeout=10) == 1


# --- the single-instance socket ----------------------------------------------------------

SQUATTER = textwrap.dedent("""\
    import socket, sys
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(sys.argv[1])
    server.listen(8)
    print("listening", flush=True)
    with open(sys.argv[2], "ab", buffering=0) as heard:
        while True:
            conn, _ = server.accept()
            heard.write(conn.recv(100) or b"(connected)")
            conn.close()
""")


def test_a_squatted_socket_name_hears_nothing_and_settings_open_once(
        other, shared: Path, other_base: Path, desktop: XDesktop, make_home) -> None:
    """The other user binds, before the app starts, every name an older FocusGuard used
    (``$TMPDIR/focusguard-<user>``) and pre-makes ``$TMPDIR/runtime-<uid>``; the app
    still starts, `focusguard settings` reaches it (twice: one window), and the
    squatter hears nothing."""
    home = make_home(CONFIG)
    home.env["TMPDIR"] = str(shared)
    heard = other_base / "heard"
    squatter = subprocess.Popen(
        [sys.executable, "-c", SQUATTER, str(shared / f"focusguard-{pwd.getpwuid(os.getuid()).pw_name}"),
         str(heard)], stdout=subprocess.PIPE, text=True, **as_user(other))
    try:
        assert squatter.stdout.readline().strip() == "listening"
        subprocess.run(["mkdir", "-m", "700", str(shared / f"runtime-{os.getuid()}")], check=True, **as_user(other))
        app = home.launch()
        app.wait_for_log(STARTED)
        for _ in range(2):
            done = home.run("settings")
            assert done.returncode == 0 and "Asked the running FocusGuard" in done.stdout, done.stderr
        poll(lambda: desktop.find_window(f"^{SETTINGS_TITLE}$"), "the settings window", timeout=10)
        windows = desktop.search("--onlyvisible", "--name", f"^{SETTINGS_TITLE}$")
        assert len(windows) == 1
        assert not heard.exists() or heard.read_bytes() == b""
        lock = Path(home.env["XDG_RUNTIME_DIR"]) / "focusguard" / "lock"
        assert lock.exists() and stat.S_IMODE(lock.stat().st_mode) == 0o600
    finally:
        squatter.kill()
        squatter.wait()


def test_a_runtime_dir_of_another_user_is_refused(other, desktop: XDesktop, make_home) -> None:
    home = make_home(CONFIG)
    runtime = Path(home.env["XDG_RUNTIME_DIR"])
    os.chown(runtime, other.pw_uid, other.pw_gid)
    done = home.run("settings")
    assert_clear_failure(done, f"belongs to {OTHER}, not to you")
    app = home.launch()
    close_cannot_start(desktop, app.process)
    assert f"belongs to {OTHER}" in app.output() and "Traceback" not in app.output()
    assert list(runtime.iterdir()) == []


@pytest.fixture
def short_cache() -> Iterator[Path]:
    """A cache folder with a short path: the socket inside must fit in 108 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="fgc-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_without_a_runtime_dir_the_lock_is_in_a_private_cache_folder(
        other, shared: Path, short_cache: Path, desktop: XDesktop, make_home) -> None:
    """Another user pre-made the name an older FocusGuard (and platformdirs) fell back to."""
    home = make_home(CONFIG)
    del home.env["XDG_RUNTIME_DIR"]
    home.env["TMPDIR"] = str(shared)
    subprocess.run(["mkdir", "-m", "777", str(shared / f"runtime-{os.getuid()}")], check=True, **as_user(other))
    home.env["XDG_CACHE_HOME"] = str(short_cache)
    app = home.launch()
    app.wait_for_log(STARTED)
    folder = short_cache / "focusguard" / f"runtime-{os.uname().nodename}"
    assert (folder / "lock").exists()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert list((shared / f"runtime-{os.getuid()}").iterdir()) == []


# --- umask 000 --------------------------------------------------------------------------

def modes(root: Path) -> dict[str, str]:
    """Every folder and file under ``root`` (relative path -> octal mode), sockets marked."""
    found = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        kind = "d" if stat.S_ISDIR(st.st_mode) else "s" if stat.S_ISSOCK(st.st_mode) else "f"
        found[str(path.relative_to(root))] = f"{kind}{stat.S_IMODE(st.st_mode):04o}"
    return found


def test_under_umask_000_every_folder_and_file_is_private(desktop: XDesktop, make_home) -> None:
    """The app and the CLI create their folders (none exists yet) under umask 000."""
    _need_root()
    home = make_home(CONFIG)
    fresh = home.root / "fresh"
    fresh.mkdir(mode=0o700)
    for variable, name in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                           ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache")):
        home.env[variable] = str(fresh / name)
    runtime = Path(home.env["XDG_RUNTIME_DIR"])  # the session's, made by the login manager
    home.log_file = fresh / "state" / "focusguard" / "log" / "focusguard.log"
    home.spawn = {"umask": 0}
    app = home.launch()
    app.wait_for_log(STARTED)
    poll(lambda: (fresh / "data" / "focusguard" / "focusguard.db-wal").exists(), "the database's WAL", timeout=10)
    seen = modes(fresh) | {f"runtime/{path}": mode for path, mode in modes(runtime).items()}
    loose = {path: mode for path, mode in seen.items()
             if mode not in ("d0700", "f0600") and not mode.startswith("s")}
    assert not loose, seen
    for path in ("config/focusguard/config.toml", "data/focusguard/focusguard.db",
                 "data/focusguard/focusguard.db-wal", "data/focusguard/focusguard.db-shm",
                 "state/focusguard/log/focusguard.log", "runtime/focusguard/lock"):
        assert seen[path] == "f0600", (path, seen)
    assert seen["runtime/focusguard/socket"][0] == "s" and int(seen["runtime/focusguard/socket"][1:], 8) & 0o077 == 0
    app.stop()
    export = fresh / "export.csv"
    done = home.run("export", "-o", str(export))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(export.stat().st_mode) == 0o600


# --- permissions: the user's files taken by root ----------------------------------------

@pytest.fixture
def victim_home(other, other_base: Path) -> dict[str, str]:
    """XDG folders of the second user, with a FocusGuard database of theirs."""
    env = cli_env(XDG_CONFIG_HOME=str(other_base / "config"), XDG_DATA_HOME=str(other_base / "data"),
                  XDG_STATE_HOME=str(other_base / "state"), HOME=str(other_base))
    done = run_cli("priority", "show", env=env, **as_user(other))
    assert "Traceback" not in done.stderr, done.stderr
    assert (other_base / "data" / "focusguard" / "focusguard.db").exists()
    return env


def test_a_database_root_took_is_said_and_left_untouched(other, other_base: Path, victim_home) -> None:
    db = other_base / "data" / "focusguard" / "focusguard.db"
    os.chown(db, 0, 0)
    db.chmod(0o444)
    before = fingerprint(db)
    done = run_cli("report", env=victim_home, **as_user(other))
    assert_clear_failure(done, "cannot write to its database", "owned by root, mode 0444",
                         "history in it is intact", f"sudo chown {OTHER}")
    assert "move it aside" not in done.stderr
    assert fingerprint(db) == before


def test_a_read_only_data_folder_is_said_and_left_untouched(other, other_base: Path, victim_home) -> None:
    folder = other_base / "data" / "focusguard"
    db = folder / "focusguard.db"
    folder.chmod(0o500)
    before = fingerprint(db)
    done = run_cli("report", env=victim_home, **as_user(other))
    assert_clear_failure(done, "cannot write in the folder of its database", "mode 0500", "intact")
    assert "move it aside" not in done.stderr
    assert fingerprint(db) == before and sorted(p.name for p in folder.iterdir()) == ["focusguard.db"]
    db.unlink()  # no database yet, and a folder the user cannot write
    done = run_cli("report", env=victim_home, **as_user(other))
    assert_clear_failure(done, "cannot write in the folder of its database")


def test_the_app_says_a_root_owned_database_in_its_window(other, other_base: Path, victim_home,
                                                          desktop: XDesktop) -> None:
    db = other_base / "data" / "focusguard" / "focusguard.db"
    os.chown(db, 0, 0)
    db.chmod(0o444)
    before = fingerprint(db)
    runtime = other_base / "runtime"
    runtime.mkdir(mode=0o700)
    os.chown(runtime, other.pw_uid, other.pw_gid)
    env = {**victim_home, **{k: v for k, v in desktop.env.items() if k in ("DISPLAY", "PATH")},
           "XDG_RUNTIME_DIR": str(runtime), "QT_QPA_PLATFORM": "xcb"}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    app = subprocess.Popen([str(FOCUSGUARD)], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, **as_user(other))
    try:
        close_cannot_start(desktop, app)
        output = app.stdout.read()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert "owned by root, mode 0444" in output and "Traceback" not in output, output
    assert fingerprint(db) == before


@pytest.mark.parametrize("damage", ["not sqlite", "user_version 999", "column renamed", "another program's"])
def test_the_app_says_an_unusable_database_in_its_window_and_leaves_it(damage: str, desktop: XDesktop,
                                                                      make_home) -> None:
    home = make_home(CONFIG)
    db = home.db_file
    db.parent.mkdir(parents=True, exist_ok=True)
    if damage == "not sqlite":
        db.write_text("my notes\n")
    elif damage == "another program's":
        other_programs_db(db)
    else:
        assert home.run("priority", "show").returncode in (0, 1)  # a real database first
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA user_version = 999" if damage == "user_version 999"
                         else "ALTER TABLE events RENAME COLUMN title TO titel")
        conn.close()
    db.chmod(0o644)
    before = fingerprint(db)
    app = home.launch()
    close_cannot_start(desktop, app.process)
    expected = {"not sqlite": "is not an SQLite database", "user_version 999": "schema version 999",
                "column renamed": "changed outside FocusGuard", "another program's": "of another program"}
    assert expected[damage] in app.output() and "Traceback" not in app.output(), app.output()
    assert fingerprint(db) == before

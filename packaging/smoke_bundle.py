"""Prove a built bundle works on this machine: the CLI, the doctor, and the app on a real X server.

    python3 packaging/smoke_bundle.py dist/focusguard [--shot PATH] [--display :NN]

Runs, with throwaway config/data/state directories so nothing of the user's is touched:

1. ``focusguard --version`` prints this checkout's version;
2. ``focusguard doctor`` without a display: one line per check, no traceback;
3. on an X desktop (a fresh Xvfb + openbox + trayer from tests/xdesktop.py, or the
   running X server given by ``--display``): ``doctor`` finds the session, then the app
   starts, shows "Welcome to FocusGuard" (a first run), is photographed, and quits
   cleanly on SIGTERM with the welcome still pending in its database.

Exit status 0 when every step passed; each step prints one line.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from xdesktop import XDesktop  # noqa: E402  (tests/ is not a package)

WELCOME = "Welcome to FocusGuard"


class SmokeFailure(Exception):
    pass


def repo_version() -> str:
    text = (ROOT / "focusguard" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SmokeFailure("no __version__ in focusguard/__init__.py")
    return match[1]


def run(program: Path, *args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(program), *args], env=env, capture_output=True, text=True, timeout=timeout)


def step(name: str, check: Callable[[], str]) -> bool:
    try:
        detail = check()
    except subprocess.CalledProcessError as exc:
        print(f"FAIL  {name}: {exc}: {exc.stderr}")
        return False
    except (SmokeFailure, subprocess.TimeoutExpired, OSError) as exc:
        print(f"FAIL  {name}: {exc}")
        return False
    print(f"ok    {name}: {detail}")
    return True


def private_env(base: dict[str, str], home: Path) -> dict[str, str]:
    env = {k: v for k, v in base.items() if not k.startswith("XDG_") and k != "QT_QPA_PLATFORM"}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"):
        path = home / name.lower()
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        env[name] = str(path)
    return env


def check_version(program: Path, env: dict[str, str]) -> str:
    done = run(program, "--version", env=env)
    expected = f"FocusGuard {repo_version()}"
    if done.returncode != 0 or done.stdout.strip() != expected:
        raise SmokeFailure(f"expected {expected!r}, got {done.stdout.strip()!r} (exit {done.returncode}) "
                           f"{done.stderr.strip()[-300:]}")
    return done.stdout.strip()


def check_doctor(program: Path, env: dict[str, str], *, expect_session: bool) -> str:
    done = run(program, "doctor", env=env)
    lines = done.stdout.strip().splitlines()
    if "Traceback" in done.stderr or done.returncode not in (0, 1):
        raise SmokeFailure(f"exit {done.returncode}: {done.stderr.strip()[-500:]}")
    names = [line.split(":", 1)[0].split(None, 1)[-1] for line in lines]
    for wanted in ("session", "tray", "config", "database"):
        if wanted not in names:
            raise SmokeFailure(f"no {wanted!r} line in:\n{done.stdout}")
    session = next(line for line in lines if " session:" in line)
    if expect_session and not session.startswith("OK"):
        raise SmokeFailure(f"the X session was not found: {session}")
    return f"{len(lines)} checks, exit {done.returncode}; {session.strip()}"


def check_app(program: Path, desktop: XDesktop, env: dict[str, str], shot: Path) -> str:
    env = {**env, **{k: v for k, v in desktop.env.items() if k in ("DISPLAY", "XDG_SESSION_TYPE")}}
    app = subprocess.Popen([str(program)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 45
        while desktop.find_window(WELCOME) is None:
            if app.poll() is not None:
                raise SmokeFailure(f"the app exited with {app.returncode}: {app.stdout.read()[-800:]}")
            if time.monotonic() > deadline:
                app.terminate()
                raise SmokeFailure(f"no {WELCOME!r} window within 45 s; the app said: "
                                   f"{app.communicate(timeout=15)[0][-800:]}")
            time.sleep(0.25)
        time.sleep(1.5)  # let it paint
        shot.parent.mkdir(parents=True, exist_ok=True)
        desktop.screenshot(shot)
        app.terminate()
        code = app.wait(timeout=15)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    if code != 0:
        raise SmokeFailure(f"exit {code} on SIGTERM: {app.stdout.read()[-800:]}")
    db = Path(env["XDG_DATA_HOME"]) / "focusguard" / "focusguard.db"
    with sqlite3.connect(db) as conn:
        state = conn.execute("SELECT value FROM meta WHERE key = 'welcome'").fetchone()
    if state != ("pending",):
        raise SmokeFailure(f"welcome state in {db} is {state}, expected pending")
    return f"welcome window shown, screenshot {shot}, clean exit on SIGTERM"


class ExistingDisplay:
    """A running X server (with a window manager) instead of a fresh XDesktop."""

    def __init__(self, display: str) -> None:
        self.desktop = XDesktop.__new__(XDesktop)
        self.desktop.display = display
        self.desktop.env = {**os.environ, "DISPLAY": display, "XDG_SESSION_TYPE": "x11"}

    def __enter__(self) -> XDesktop:
        return self.desktop

    def __exit__(self, *exc: object) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the one-folder bundle, e.g. dist/focusguard")
    parser.add_argument("--shot", type=Path, default=Path(tempfile.gettempdir()) / "focusguard-bundle-welcome.png")
    parser.add_argument("--display", default=None, help="use this running X server instead of a fresh Xvfb")
    args = parser.parse_args(argv)
    program = args.bundle / ("focusguard.exe" if os.name == "nt" else "focusguard")
    if not program.is_file():
        print(f"no program at {program}: build the bundle first (packaging/build-bundle.sh)", file=sys.stderr)
        return 2
    size = sum(f.stat().st_size for f in args.bundle.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"bundle {args.bundle} ({size >> 20} MiB)")
    with tempfile.TemporaryDirectory(prefix="focusguard-smoke-") as tmp:
        headless = private_env({k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")},
                               Path(tmp) / "headless")
        results = [
            step("--version", lambda: check_version(program, headless)),
            step("doctor (no display)", lambda: check_doctor(program, headless, expect_session=False)),
        ]
        home = Path(tmp) / "desktop"
        home.mkdir()
        with ExistingDisplay(args.display) if args.display else XDesktop() as desktop:
            env = {**private_env(dict(os.environ), home), "DISPLAY": desktop.display, "XDG_SESSION_TYPE": "x11"}
            results.append(step(f"doctor (X on {desktop.display})",
                                lambda: check_doctor(program, env, expect_session=True)))
            results.append(step("app under X", lambda: check_app(program, desktop, env, args.shot)))
    print("bundle smoke test " + ("passed" if all(results) else "FAILED"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())

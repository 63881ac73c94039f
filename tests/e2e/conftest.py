"""Fixtures for the end-to-end tests: a desktop of its own per test, private homes for
the app, and a camera whose pictures outlive the run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from appdriver import FOCUSGUARD, SHOTS_DIR, Camera, Home
from xdesktop import XDesktop, missing_binaries

#: Beyond the desktop's own programs: screenshots (ImageMagick).
EXTRA_PROGRAMS = ("import",)


@pytest.fixture
def desktop(request: pytest.FixtureRequest) -> Iterator[XDesktop]:
    """A fresh Xvfb + openbox + trayer for each test (about 0.2 s to start), so no
    window, tray icon or pointer position leaks from one test into the next; a test
    marked ``no_tray`` gets no trayer (it may start one with ``start_tray``).

    Skipped on a developer machine without the programs; in CI (``CI`` set) a missing
    program fails instead, as for the session-wide ``xdesktop`` fixture."""
    missing = missing_binaries() + [p for p in EXTRA_PROGRAMS if shutil.which(p) is None]
    if not FOCUSGUARD.exists():
        missing.append(f"{FOCUSGUARD} (pip install -e .)")
    if missing:
        reason = f"needs {', '.join(missing)} (./scripts/test installs them)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the end-to-end tests, but it {reason}")
        pytest.skip(reason)
    screen = request.node.get_closest_marker("screen")  # e.g. @pytest.mark.screen("1366x768x24")
    with XDesktop(tray=not request.node.get_closest_marker("no_tray"),
                  **({"screen": screen.args[0]} if screen else {})) as fresh:
        yield fresh


@pytest.fixture
def make_home(desktop: XDesktop, tmp_path: Path) -> Iterator[Callable[..., Home]]:
    """``make_home(config, path=None)``: a private FocusGuard home on ``desktop``; every
    app launched from it is stopped when the test ends, passed or failed."""
    homes: list[Home] = []

    def make(config: str, path: str | None = None, name: str = "home") -> Home:
        home = Home(tmp_path / name, desktop, config, path=path)
        homes.append(home)
        return home

    yield make
    for home in homes:
        home.close()


@pytest.fixture
def camera(desktop: XDesktop, tmp_path: Path, request: pytest.FixtureRequest) -> Camera:
    return Camera(desktop, tmp_path / "shots", request.node.name, copy_to=SHOTS_DIR)

"""Shared fixtures."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from xdesktop import XDesktop, missing_binaries


@pytest.fixture(scope="session")
def xdesktop() -> Iterator[XDesktop]:
    """A real X desktop (Xvfb + openbox + trayer) for the whole test session.

    Skipped when its programs are missing on a developer machine; in CI (``CI`` set)
    a missing program fails instead, so the real-desktop tests cannot silently vanish.
    """
    missing = missing_binaries()
    if missing:
        reason = (
            f"needs {', '.join(missing)} "
            "(apt install xvfb openbox trayer x11-utils xdotool wmctrl xterm)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the X desktop tests, but it {reason}")
        pytest.skip(reason)
    with XDesktop() as desktop:
        yield desktop


@pytest.fixture
def local_berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone set to Europe/Berlin (DST changes on known dates), for
    code that reads local days in the system zone, as the CLI does."""
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()

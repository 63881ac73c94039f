"""Shared fixtures."""

from __future__ import annotations

import os
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

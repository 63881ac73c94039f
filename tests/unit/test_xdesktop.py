"""The test desktop's own helper: a search that a closing window kills is run again."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from xdesktop import SEARCH_TRIES, XDesktop, XDesktopError

X_ERROR = "X Error of failed request:  BadWindow (invalid Window parameter)"


def desktop_with_xdotool(tmp_path: Path, failures: int) -> XDesktop:
    """An XDesktop whose ``xdotool`` dies of an X error ``failures`` times, then finds 42."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    count = tmp_path / "count"
    count.write_text("0")
    script = bin_dir / "xdotool"
    script.write_text(f"""#!/bin/sh
n=$(cat {count}); echo $((n + 1)) > {count}
if [ "$n" -lt {failures} ]; then echo '{X_ERROR}' >&2; exit 1; fi
echo 42
""")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    desktop = XDesktop(tray=False)
    desktop.env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return desktop


def test_a_search_killed_by_a_closing_window_is_run_again(tmp_path: Path) -> None:
    desktop = desktop_with_xdotool(tmp_path, failures=SEARCH_TRIES - 1)
    assert desktop.search("--name", "x") == ["42"]
    assert desktop.find_window("x") == "42"


def test_a_search_that_keeps_dying_is_an_error_not_no_match(tmp_path: Path) -> None:
    desktop = desktop_with_xdotool(tmp_path, failures=SEARCH_TRIES)
    with pytest.raises(XDesktopError, match="BadWindow"):
        desktop.search("--name", "x")

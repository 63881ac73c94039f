"""`focusguard back`: "Back to <priority>" in the running app, for a key binding."""

from __future__ import annotations

from pathlib import Path

import pytest

from focusguard import cli
from focusguard.runtime.single_instance import SingleInstance


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


def test_back_reaches_the_running_app(qtbot, runtime: Path) -> None:
    held = SingleInstance()
    assert held.acquire()
    try:
        with qtbot.waitSignal(held.back_requested, timeout=3000):
            assert cli.main(["back"]) == cli.EXIT_OK
    finally:
        held.release()
        qtbot.wait(50)


def test_back_without_a_running_app_says_so(qtbot, runtime: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["back"]) == cli.EXIT_FAIL
    assert capsys.readouterr().err == "focusguard: FocusGuard is not running\n"

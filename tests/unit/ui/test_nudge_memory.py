"""What the nudge keeps in memory: a copy of the screen only when a level 3 can follow,
and nothing once the card is hidden."""

from __future__ import annotations

from focusguard.core.model import Classification
from focusguard.ui import memory
from focusguard.ui.nudge import NudgeView, NudgeWindow


def card(level: int) -> NudgeView:
    return NudgeView(Classification.DISTRACTION, 5, "Sales", activity="Video", level=level)


def test_a_level_1_card_takes_no_copy_of_the_screen(qtbot) -> None:
    window = NudgeWindow(translucent=False)
    qtbot.addWidget(window)
    window.show_nudge(card(1))
    assert window._backdrop.isNull()


def test_a_level_2_card_keeps_the_screen_for_level_3_until_hidden(qtbot) -> None:
    window = NudgeWindow(translucent=False)
    qtbot.addWidget(window)
    window.show_nudge(card(2))
    assert not window._backdrop.isNull()
    window.show_nudge(card(3))  # escalated while up: the copy from before the card is used
    assert not window._backdrop.isNull()
    window.hide()
    qtbot.waitUntil(lambda: window._backdrop.isNull())


def test_hiding_returns_memory_to_the_system(qtbot, monkeypatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(memory, "_malloc_trim", lambda: calls.append)
    window = NudgeWindow(translucent=True)
    qtbot.addWidget(window)
    window.show_nudge(card(1))
    window.hide()
    qtbot.waitUntil(lambda: calls == [0])


def test_release_memory_runs_where_there_is_no_malloc_trim(monkeypatch) -> None:
    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    memory.release_memory()  # pixmap cache and gc only: must not fail

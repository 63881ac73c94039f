"""The user's intents through the controller, and the Update each returns: what the
views show comes ready (tray line, pause text, nudge card, prompts and offers), so the
Qt layer decides nothing. Qt-free: fake windows, an injected clock."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from scenario import CONFIG, SALES, TZ, VIDEO, Clock

from focusguard.controller import Controller
from focusguard.core.model import Declaration
from focusguard.core.palette import TrayState
from focusguard.core.prompts import FIRST_USE_KEY
from focusguard.core.starters import WELCOME_DONE, WELCOME_KEY, WELCOME_PENDING, WelcomeChoice
from focusguard.records import UnknownActivity
from focusguard.store import Store
from focusguard.viewmodels import ReviewRequest, SummaryRequest

MONDAY = date(2026, 11, 23)


def make(tmp_path: Path, config: str = CONFIG, *, welcome: bool = False) -> tuple[Controller, Clock]:
    config_file = tmp_path / "config.toml"
    config_file.write_text(config, encoding="utf-8")
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    if welcome:
        store.set_meta(WELCOME_KEY, WELCOME_PENDING)
    clock = Clock()
    return Controller(config_file, store, clock=clock, tz=TZ, own_pid=999), clock


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # start at login: a private folder
    controller, clock = make(tmp_path)
    yield controller, clock
    controller.close()


def run(controller: Controller, clock: Clock, window, seconds: float):
    updates = []
    end = clock.now + seconds
    while clock.now < end:
        updates.append(controller.handle_sample(window, 0.0))
        clock.now += 2
    return updates


def test_the_tray_line_pause_text_and_probe_word_come_with_every_update(env) -> None:
    controller, _ = env
    update = controller.on_declare("sales", "  call three past customers ")
    assert (update.tray.priority, update.tray.next_step) == ("Sales", "call three past customers")
    assert update.tray.paused_until is None and update.tray.probe_info == ""
    paused = controller.on_pause(30)
    assert paused.close_nudge and paused.tray.paused_until == "09:30"
    assert paused.tray.state is controller.state
    assert controller.on_resume().tray.paused_until is None
    down = controller.handle_probe_error("no X display")
    assert down.tray.state is TrayState.UNAVAILABLE and down.tray.probe_info == "Can't read windows:\nno X display"
    assert [n.text for n in down.notices] == ["no X display"]


def test_a_nudge_comes_with_its_card_and_only_the_engine_holds_it(env) -> None:
    controller, clock = env
    controller.on_declare("Sales", "call three past customers")
    run(controller, clock, SALES, 10)
    shown = [u for u in run(controller, clock, VIDEO, 62) if u.show_nudge is not None]
    assert len(shown) == 1
    update = shown[0]
    card = update.nudge
    assert card is not None and card.priority == "Sales" and card.next_step == "call three past customers"
    assert (card.level, card.snooze_minutes, card.activity) == (1, 1, "Video")
    assert card.productive_choices == ("Engineering",)  # the priority is "Part of Sales"
    assert controller.pending is controller.engine.pending
    assert controller.pending.id is not None and controller.pending == update.show_nudge


def test_a_new_declaration_ends_the_nudge(env) -> None:
    controller, clock = env
    controller.on_declare("Sales")
    run(controller, clock, SALES, 10)
    run(controller, clock, VIDEO, 62)
    assert controller.pending is not None
    update = controller.on_declare("Engineering")
    assert update.close_nudge and controller.pending is None and controller.engine.pending is None
    assert [row[0] for row in controller.store.db.execute("select answer from nudges")] == ["back"]
    assert not controller.on_declare("Sales").close_nudge  # nothing to end


def test_declaring_an_unknown_activity_says_which_there_are(env) -> None:
    controller, _ = env
    with pytest.raises(UnknownActivity, match=r"'Golf'\. Known activities: Sales, Engineering, Video"):
        controller.on_declare("Golf")
    assert controller.declaration is None


def test_the_morning_question_opens_once_and_closes_when_declared_elsewhere(env, tmp_path) -> None:
    controller, clock = env
    first = run(controller, clock, SALES, 2)[0]
    assert first.declare is not None and not first.declare.steal_focus
    assert first.declare.activities == ("Sales", "Engineering", "Video")
    assert not any(u.declare for u in run(controller, clock, SALES, 10))
    other = Store(tmp_path / "fg.db")  # the CLI
    other.declare(Declaration(at=clock.now, activity="Sales", next_step="from the CLI"))
    other.close()
    closed = run(controller, clock, SALES, 4)
    assert [u.close_declare for u in closed] == [True, False]
    assert closed[0].tray.priority == "Sales" and closed[0].tray.next_step == "from the CLI"


def test_the_declare_dialog_asked_for_is_no_morning_question(env) -> None:
    controller, clock = env
    run(controller, clock, SALES, 2)
    asked = controller.on_declare_requested(steal_focus=True)
    assert asked.declare is not None and asked.declare.steal_focus
    controller.on_declare("Sales")
    assert not any(u.close_declare for u in run(controller, clock, SALES, 4))  # the user's own dialog


def test_the_day_end_summary_is_offered_once_while_active(tmp_path: Path) -> None:
    controller, clock = make(tmp_path, CONFIG + '\n[day]\nend = "09:10"\n')
    controller.on_declare("Sales")
    offered = [u.open_summary for u in run(controller, clock, SALES, 20 * 60) if u.open_summary]
    assert offered == [SummaryRequest(MONDAY, ("Sales", "Engineering", "Video"))]
    controller.close()


def test_the_review_is_offered_once_when_due(env) -> None:
    controller, clock = env
    controller.store.set_meta(FIRST_USE_KEY, (MONDAY - timedelta(days=31)).isoformat())
    controller.on_declare("Sales")
    offered = [u.open_review for u in run(controller, clock, SALES, 10) if u.open_review]
    assert offered == [ReviewRequest(*controller.offers.review_period(), focus_blocks=False)]
    assert not any(u.activate for u in run(controller, clock, SALES, 4))
    asked = controller.on_review_requested(activate=True)
    assert asked.open_review == offered[0] and asked.activate


def test_the_welcome_holds_the_morning_question_and_the_offers(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    controller, clock = make(tmp_path, welcome=True)
    controller.store.set_meta(FIRST_USE_KEY, (MONDAY - timedelta(days=31)).isoformat())
    start = controller.on_start()
    assert start.welcome is not None and not start.welcome.start_at_login
    updates = run(controller, clock, SALES, 4)
    assert not any(u.declare or u.open_review for u in updates)
    controller.on_welcome_skipped()
    assert controller.store.get_meta(WELCOME_KEY) == WELCOME_DONE and not controller.first_run.showing
    assert run(controller, clock, SALES, 2)[0].open_review is not None  # the welcome is over
    controller.close()


def test_the_welcome_on_a_broken_config_says_so_and_declares_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    controller, _ = make(tmp_path, welcome=True)
    controller.on_start()
    controller.config_file.write_text("[[activity]\nbroken", encoding="utf-8")
    update = controller.on_welcome_finished(WelcomeChoice("Developer", "Code", "ship it", start_at_login=False))
    assert [n.title for n in update.notices] == ["FocusGuard: could not write the starter activities"]
    assert controller.declaration is None and update.tray.priority is None
    assert controller.config_file.read_text(encoding="utf-8") == "[[activity]\nbroken"
    assert controller.store.get_meta(WELCOME_KEY) == WELCOME_DONE
    controller.close()

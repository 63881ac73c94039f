"""The probe thread: ticks, pushed events, lost probes and activation, on a real QThread."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from focusguard.platform.fakes import FakeEventIdleProbe, FakeEventWindowProbe, FakeIdleProbe, FakeWindowProbe
from focusguard.platform.window import ProbeUnavailable, WindowInfo
from focusguard.runtime import sampler as sampler_module
from focusguard.runtime.sampler import ProbeWorker, Reading, Sampler

EDITOR = WindowInfo("code", "main.py - Code")
CRM = WindowInfo("firefox", "HubSpot - Deals")


def make_sampler(probe: object, interval: float = 60.0) -> Sampler:
    """A sampler whose timer ticks rarely, so what a test sees comes from events."""
    factories = iter([probe])
    worker = ProbeWorker(interval, window_probe_factory=lambda: next(factories),
                         idle_probe_factory=FakeIdleProbe, dnd_reader=lambda: False)
    return Sampler(worker)


@pytest.fixture
def started(qtbot) -> Iterator[list[Sampler]]:
    made: list[Sampler] = []
    yield made
    for sampler in made:
        sampler.stop()


def test_a_pushed_switch_is_sampled_at_once_without_waiting_for_the_tick(qtbot, started) -> None:
    probe = FakeEventWindowProbe(EDITOR)
    sampler = make_sampler(probe)
    started.append(sampler)
    names: list[list[str]] = []
    sampler.worker.probe_ready.connect(lambda *args: names.append(list(args)))
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000):  # the first tick
        sampler.start()
    assert names == [["fake", ""]]
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000) as sample:
        probe.push(CRM)
    assert sample.args == [CRM, 0.0]


def test_events_that_change_nothing_take_no_sample(qtbot, started) -> None:
    probe = FakeEventWindowProbe(EDITOR)
    sampler = make_sampler(probe)
    started.append(sampler)
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000):  # the first tick
        sampler.start()
    samples: list[object] = []
    sampler.worker.sampled.connect(lambda w, i: samples.append(w))
    probe.push(EDITOR)
    qtbot.waitUntil(lambda: probe.dispatched >= 1, timeout=3000)
    qtbot.wait(300)  # longer than the event gap
    assert samples == []


def test_a_burst_of_events_gives_one_sample(qtbot, started) -> None:
    probe = FakeEventWindowProbe(EDITOR)
    sampler = make_sampler(probe)
    started.append(sampler)
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000):
        sampler.start()
    samples: list[object] = []
    sampler.worker.sampled.connect(lambda w, i: samples.append(w))
    for n in range(20):
        probe.push(WindowInfo("xterm", f"build {n}%"))
    qtbot.waitUntil(lambda: len(samples) >= 1, timeout=3000)
    qtbot.wait(300)
    assert len(samples) <= 2 and samples[-1] == WindowInfo("xterm", "build 19%")


def test_a_probe_lost_while_dispatching_is_closed_reported_and_made_again(qtbot, started) -> None:
    first, second = FakeEventWindowProbe(EDITOR), FakeWindowProbe(CRM)
    factories = iter([first, second])
    worker = ProbeWorker(0.2, window_probe_factory=lambda: next(factories),
                         idle_probe_factory=FakeIdleProbe, dnd_reader=lambda: False)
    sampler = Sampler(worker)
    started.append(sampler)
    with qtbot.waitSignal(worker.sampled, timeout=3000):
        sampler.start()
    first.fail_with = ProbeUnavailable("the compositor went away")
    with qtbot.waitSignal(worker.failed, timeout=3000) as failed:
        first.push(CRM)
    assert "the compositor went away" in failed.args[0]
    assert first.closed
    # the next tick makes a new probe and samples from it
    with qtbot.waitSignal(worker.sampled, timeout=3000,
                          check_params_cb=lambda w, i: w == CRM):
        pass


def test_activate_runs_on_the_probe_thread_with_the_probe_that_samples(qtbot, started) -> None:
    probe = FakeEventWindowProbe(EDITOR)
    probe.windows.append(CRM)
    sampler = make_sampler(probe)
    started.append(sampler)
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000):
        sampler.start()
    sampler.activate(CRM)
    qtbot.waitUntil(lambda: probe.current == CRM, timeout=3000)


def test_stop_closes_the_probe(qtbot) -> None:
    probe = FakeEventWindowProbe(EDITOR)
    sampler = make_sampler(probe)
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000):
        sampler.start()
    sampler.stop()
    assert probe.closed


class AnswersWhileActivating(FakeEventWindowProbe):
    """Like the GNOME and KWin probes: the focus change that an activation causes is
    read (and queued) while waiting for the reply, so the socket never looks readable."""

    def activate(self, predicate) -> bool:
        for window in self.windows:
            if predicate(window):
                self._current = window  # known, not yet dispatched; no byte on the pipe
                return True
        return False


def test_a_change_read_while_activating_is_sampled(qtbot, started) -> None:
    probe = AnswersWhileActivating(EDITOR)
    probe.windows.append(CRM)
    sampler = make_sampler(probe)
    started.append(sampler)
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000):
        sampler.start()
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000, check_params_cb=lambda w, i: w == CRM):
        sampler.activate(CRM)


class Placing(FakeEventWindowProbe):
    """Finds our window only once the desktop has mapped it (the third ask)."""

    def __init__(self) -> None:
        super().__init__(EDITOR)
        self.asked: list[tuple[str, int, int]] = []

    def place(self, title: str, x: int, y: int) -> bool:
        self.asked.append((title, x, y))
        return len(self.asked) >= 3


def test_our_window_is_placed_once_the_desktop_has_it(qtbot, started) -> None:
    probe = Placing()
    sampler = make_sampler(probe)
    started.append(sampler)
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000):
        sampler.start()
    sampler.place("FocusGuard status", 964, 16)
    qtbot.waitUntil(lambda: len(probe.asked) >= 3, timeout=3000)
    qtbot.wait(400)
    assert probe.asked == [("FocusGuard status", 964, 16)] * 3


def test_placing_is_skipped_where_the_probe_cannot(qtbot, started) -> None:
    sampler = make_sampler(FakeEventWindowProbe(EDITOR))  # no place(): X11, wlroots, GNOME
    started.append(sampler)
    with qtbot.waitSignal(sampler.worker.sampled, timeout=3000):
        sampler.start()
    sampler.place("FocusGuard status", 964, 16)  # nothing to call, nothing raised
    qtbot.wait(100)


# --- both probes pushed to: the worker sleeps, the GUI thread samples ----------------


def pushed_sampler(window_probes: list[object], idle: FakeEventIdleProbe,
                   interval: float = 0.1) -> Sampler:
    factories = iter(window_probes)
    worker = ProbeWorker(interval, window_probe_factory=lambda: next(factories),
                         idle_probe_factory=lambda: idle, dnd_reader=lambda: False)
    return Sampler(worker)


def test_with_both_probes_pushed_to_the_gui_thread_samples_and_the_worker_asks_nothing(
        qtbot, started) -> None:
    window, idle = FakeEventWindowProbe(EDITOR), FakeEventIdleProbe(0.0)
    sampler = pushed_sampler([window], idle)
    started.append(sampler)
    with qtbot.waitSignal(sampler.worker.pushed, timeout=3000, check_params_cb=lambda on: on):
        sampler.start()
    asked = (window.calls, idle.calls)
    seen: list[tuple[object, object]] = []
    sampler.deliver_to(lambda w, i, ago: seen.append((w, i)))
    qtbot.waitUntil(lambda: len(seen) >= 4, timeout=3000)  # one per 0.1 s interval
    assert seen[-1] == (EDITOR, 0.0)
    assert (window.calls, idle.calls) == asked  # not a single probe read meanwhile
    with qtbot.waitSignal(sampler.sampled, timeout=3000, check_params_cb=lambda w, i: w == CRM):
        window.push(CRM)  # an event is still sampled at once, by the worker
    assert window.calls == asked[0] + 1


def test_idle_time_moves_with_the_clock_between_pushes(qtbot, started) -> None:
    window, idle = FakeEventWindowProbe(EDITOR), FakeEventIdleProbe(0.0)
    sampler = pushed_sampler([window], idle)
    started.append(sampler)
    with qtbot.waitSignal(sampler.worker.pushed, timeout=3000):
        sampler.start()
    seen: list[float] = []
    sampler.deliver_to(lambda w, i, ago: seen.append(i))
    idle.push(40.0)  # the user has been away 40 s
    qtbot.waitUntil(lambda: len(seen) >= 1 and seen[-1] >= 40.3, timeout=3000)
    away = seen[next(i for i, v in enumerate(seen) if v):]  # a tick may come before the push
    assert min(away) >= 40.0  # grown by the clock since (the wait above), never back to 0 unpushed
    idle.push(0.0)  # back
    qtbot.waitUntil(lambda: seen[-1] == 0.0, timeout=3000)


def quiet_sampler(qtbot, started, monkeypatch, window: FakeEventWindowProbe,
                  quiet: float = 0.3) -> tuple[Sampler, list]:
    """Pushed to at a 50 ms interval, quiet ticks every ``quiet`` seconds; its samples as
    (window, when it stands for, when it was delivered), in monotonic seconds."""
    monkeypatch.setattr(sampler_module, "QUIET_SECONDS", quiet)
    sampler = pushed_sampler([window], FakeEventIdleProbe(0.0), interval=0.05)
    started.append(sampler)
    seen: list[tuple[object, float, float]] = []

    def receive(w: object, idle: object, ago: float) -> None:
        now = time.monotonic()
        seen.append((w, now - ago, now))

    sampler.deliver_to(receive)
    with qtbot.waitSignal(sampler.worker.pushed, timeout=3000, check_params_cb=lambda on: on):
        sampler.start()
    sampler.set_quiet(True)
    return sampler, seen


def test_a_quiet_sampler_wakes_every_few_intervals_and_still_samples_each(qtbot, started, monkeypatch) -> None:
    _, seen = quiet_sampler(qtbot, started, monkeypatch, FakeEventWindowProbe(EDITOR))
    qtbot.wait(1500)
    quiet = seen[2:]  # from the first quiet wake on
    wakes = 1 + sum(b[2] - a[2] > 0.02 for a, b in itertools.pairwise(quiet))  # samples delivered together
    assert len(quiet) >= 20 and wakes <= len(quiet) / 4  # about one wake for six samples
    gaps = [b[1] - a[1] for a, b in itertools.pairwise(quiet)]
    assert all(0.03 < gap < 0.08 for gap in gaps), gaps  # one interval apart, none left out
    assert all(w == EDITOR for w, _, _ in quiet)


def test_a_change_while_quiet_comes_at_once_after_the_intervals_owed_before_it(qtbot, started, monkeypatch) -> None:
    window = FakeEventWindowProbe(EDITOR)
    sampler, seen = quiet_sampler(qtbot, started, monkeypatch, window, quiet=1.0)
    qtbot.waitUntil(lambda: len(seen) > 5, timeout=3000)  # the first quiet wake
    qtbot.wait(400)  # well inside the next quiet second
    pushed_at = time.monotonic()
    with qtbot.waitSignal(sampler.sampled, timeout=3000, check_params_cb=lambda w, i: w == CRM):
        window.push(CRM)
    first_crm = next(i for i, (w, _, _) in enumerate(seen) if w == CRM)
    assert seen[first_crm][2] - pushed_at < 0.2  # at once, not at the next quiet wake
    before = seen[:first_crm]
    assert all(w == EDITOR for w, _, _ in before)
    assert before[-1][2] > pushed_at  # the last of them delivered with the change
    gaps = [b[1] - a[1] for a, b in itertools.pairwise([*before, seen[first_crm]])]
    assert max(gaps[2:]) < 0.08, gaps  # the editor's time up to the change is all there


def test_catching_up_delivers_what_a_quiet_wait_owes(qtbot, started, monkeypatch) -> None:
    sampler, seen = quiet_sampler(qtbot, started, monkeypatch, FakeEventWindowProbe(EDITOR))
    qtbot.wait(400)
    count = len(seen)
    time.sleep(0.2)  # four intervals with no wake
    sampler.catch_up()
    assert len(seen) - count >= 3 and seen[-1][1] == pytest.approx(time.monotonic(), abs=0.06)


def test_a_pushed_probe_lost_makes_the_worker_tick_again(qtbot, started) -> None:
    first, second = FakeEventWindowProbe(EDITOR), FakeWindowProbe(CRM)
    sampler = pushed_sampler([first, second], FakeEventIdleProbe(0.0))
    started.append(sampler)
    modes: list[bool] = []
    sampler.worker.pushed.connect(modes.append)
    with qtbot.waitSignal(sampler.worker.pushed, timeout=3000):
        sampler.start()
    first.fail_with = ProbeUnavailable("the compositor went away")
    first.push(CRM)
    # the worker ticks again, makes the new (polled) probe and samples from it
    with qtbot.waitSignal(sampler.sampled, timeout=3000, check_params_cb=lambda w, i: w == CRM):
        pass
    qtbot.waitUntil(lambda: second.calls >= 3, timeout=3000)
    assert modes == [True, False] and first.closed


def test_a_reading_extrapolates_only_a_running_idle_count() -> None:
    assert Reading(EDITOR, 0.0, 100.0).idle_at(130.0) == 0.0
    assert Reading(EDITOR, None, 100.0).idle_at(130.0) is None
    assert Reading(EDITOR, 45.0, 100.0).idle_at(130.0) == 75.0
    assert Reading(EDITOR, 45.0, 100.0).idle_at(99.0) == 45.0  # never backwards


@pytest.mark.parametrize(("says", "asked_again_after"), [(False, 30.0), (None, 300.0)])
def test_do_not_disturb_is_asked_rarely_where_the_desktop_cannot_say(
        monkeypatch, says: bool | None, asked_again_after: float) -> None:
    """Each reading spawns the desktop's helpers; with no notification server they
    never answer, so they are asked every five minutes, not every half minute."""
    now = [1000.0]
    monkeypatch.setattr(sampler_module.time, "monotonic", lambda: now[0])
    asked: list[float] = []
    worker = ProbeWorker(1.0, dnd_reader=lambda: asked.append(now[0]) or says)
    for step in range(0, 700, 5):
        now[0] = 1000.0 + step
        worker._poll_dnd()
    assert asked[:2] == [1000.0, 1000.0 + asked_again_after]

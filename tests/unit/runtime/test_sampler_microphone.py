"""The probe thread reads the microphone each tick and sends a change before that tick's sample."""

from __future__ import annotations

from focusguard.platform.fakes import FakeIdleProbe, FakeMicrophoneProbe, FakeWindowProbe
from focusguard.platform.microphone import Microphone, MicrophoneUnavailable
from focusguard.platform.window import WindowInfo
from focusguard.runtime.sampler import ProbeWorker, Sampler

EDITOR = WindowInfo("code", "main.py - Code")


def test_microphone_changes_come_before_the_sample_and_only_changes(qtbot) -> None:
    fake = FakeMicrophoneProbe(active=False)
    worker = ProbeWorker(0.1, window_probe_factory=lambda: FakeWindowProbe(EDITOR), idle_probe_factory=FakeIdleProbe,
                         dnd_reader=lambda: False, microphone=Microphone(lambda: fake, retry_seconds=0))
    sampler = Sampler(worker)
    seen: list[object] = []
    worker.microphone_changed.connect(lambda recording: seen.append(("mic", recording)))
    worker.sampled.connect(lambda window, idle: seen.append("sample"))
    try:
        sampler.start()
        qtbot.waitUntil(lambda: seen.count("sample") >= 3, timeout=5000)
        fake.active = True
        qtbot.waitUntil(lambda: ("mic", True) in seen, timeout=5000)
        fake.fail_with = MicrophoneUnavailable("the sound server went away")
        qtbot.waitUntil(lambda: ("mic", None) in seen, timeout=5000)
    finally:
        sampler.stop()
    mics = [s for s in seen if s != "sample"]
    assert mics == [("mic", False), ("mic", True), ("mic", None)]
    assert seen[0] == ("mic", False)  # before the first sample
    assert seen[seen.index(("mic", True)) + 1] == "sample"
    assert fake.closed  # the lost probe was closed

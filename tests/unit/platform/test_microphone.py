"""The microphone kept going (fakes, an injected clock) and the stream filter."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from focusguard.platform.fakes import FakeMicrophoneProbe
from focusguard.platform.microphone import (
    PA_INVALID_INDEX,
    Microphone,
    MicrophoneUnavailable,
    PulseMicrophone,
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_readings_pass_through_over_one_probe() -> None:
    fake = FakeMicrophoneProbe()
    made = []
    microphone = Microphone(lambda: made.append(1) or fake, monotonic=Clock())
    assert microphone.recording() is False
    fake.active = True
    assert microphone.recording() is True
    assert len(made) == 1 and fake.reads == 2
    assert microphone.name == "fake microphone"


def test_a_lost_probe_is_unknown_closed_said_once_and_made_again_later(caplog: pytest.LogCaptureFixture) -> None:
    clock, fakes = Clock(), []

    def factory() -> FakeMicrophoneProbe:
        fakes.append(FakeMicrophoneProbe(active=True))
        return fakes[-1]

    microphone = Microphone(factory, retry_seconds=30, monotonic=clock)
    assert microphone.recording() is True
    fakes[0].fail_with = MicrophoneUnavailable("the sound server went away")
    assert microphone.recording() is None
    assert fakes[0].closed and microphone.why == "the sound server went away"
    clock.now = 10
    assert microphone.recording() is None and len(fakes) == 1  # not before the retry
    clock.now = 31
    assert microphone.recording() is True and len(fakes) == 2
    assert microphone.why is None
    assert sum("microphone use unknown" in r.message for r in caplog.records) == 1


def test_a_factory_that_breaks_oddly_is_unknown_not_a_crash() -> None:
    def factory() -> FakeMicrophoneProbe:
        raise OSError("libpulse.so.0: cannot open shared object file")

    microphone = Microphone(factory, monotonic=Clock())
    assert microphone.recording() is None
    assert microphone.why == "OSError: libpulse.so.0: cannot open shared object file"


def output(source: int, *, corked: bool = False, app_id: str = "") -> SimpleNamespace:
    return SimpleNamespace(source=source, corked=corked, proplist={"application.id": app_id} if app_id else {})


class FakePulse:
    def __init__(self, outputs: list[SimpleNamespace]) -> None:
        self.outputs = outputs

    def source_list(self) -> list[SimpleNamespace]:
        return [SimpleNamespace(index=1, monitor_of_sink=PA_INVALID_INDEX), SimpleNamespace(index=2, monitor_of_sink=0)]

    def source_output_list(self) -> list[SimpleNamespace]:
        return self.outputs


@pytest.mark.parametrize(("outputs", "recording"), [
    ([], False),
    ([output(1)], True),
    ([output(2)], False),  # the monitor of an output: a screen recorder, not a microphone
    ([output(1, corked=True)], False),  # paused stream
    ([output(1, app_id="org.PulseAudio.pavucontrol")], False),  # a level meter
    ([output(2), output(1)], True),
])
def test_only_live_streams_from_real_sources_count(outputs: list, recording: bool) -> None:
    assert PulseMicrophone(FakePulse(outputs), (RuntimeError,)).recording() is recording


def test_the_doctor_says_what_is_read_or_why_not() -> None:
    from focusguard.platform.microphone import doctor_status

    fake = FakeMicrophoneProbe(active=True)
    assert doctor_status(lambda: fake) == ("OK", "fake microphone: an app is recording now", "")
    assert fake.closed

    def none() -> FakeMicrophoneProbe:
        raise MicrophoneUnavailable("no sound server answers")

    status, detail, fix = doctor_status(none)
    assert (status, detail) == ("WARN", "no sound server answers") and "windows only" in fix
    fake.fail_with = MicrophoneUnavailable("the sound server went away")
    assert doctor_status(lambda: fake) == ("WARN", "the sound server went away", fix)


def test_windows_says_an_app_started_and_not_stopped_is_recording() -> None:
    from focusguard.platform.microphone import WindowsConsentMicrophone

    entries = [("Microsoft.WindowsSoundRecorder", 133_000_000_000_000_000, 133_000_000_100_000_000)]
    probe = WindowsConsentMicrophone(lambda: entries)
    assert probe.recording() is False
    entries.append(("C:#Program Files#Zoom#bin#Zoom.exe", 133_000_000_200_000_000, 0))
    assert probe.recording() is True
    entries[-1] = ("C:#Program Files#Zoom#bin#Zoom.exe", 0, 0)  # never used
    assert probe.recording() is False


def test_an_unreadable_consent_store_is_unknown_not_a_crash() -> None:
    from focusguard.platform.microphone import WindowsConsentMicrophone

    def broken() -> list:
        raise PermissionError("access denied")

    microphone = Microphone(lambda: WindowsConsentMicrophone(broken), monotonic=Clock())
    assert microphone.recording() is None
    assert microphone.why is not None and "consent store cannot be read" in microphone.why
    off_windows = Microphone(WindowsConsentMicrophone, monotonic=Clock())  # this test runs on Linux
    assert off_windows.recording() is None and "Windows' own" in (off_windows.why or "")

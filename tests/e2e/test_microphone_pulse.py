"""The microphone probe against a real PulseAudio server: parecord from a null source is a call."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pulseserver import SPEAKER_MONITOR, PulseServer, running_pulse

from focusguard.platform.microphone import Microphone, MicrophoneUnavailable, PulseMicrophone


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    with running_pulse("the microphone test") as server:
        yield server


@pytest.fixture
def probe(pulse: PulseServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseMicrophone]:
    monkeypatch.setenv("PULSE_SERVER", pulse.address)
    probe = PulseMicrophone.open()
    yield probe
    probe.close()


def test_recording_from_the_microphone_is_seen_and_its_end_too(pulse: PulseServer, probe: PulseMicrophone) -> None:
    assert probe.name.startswith("PulseAudio")
    assert probe.recording() is False
    recorder = pulse.record()
    assert probe.recording() is True
    pulse.stop(recorder)
    assert probe.recording() is False


def test_recording_the_desktops_sound_is_no_microphone(pulse: PulseServer, probe: PulseMicrophone) -> None:
    recorder = pulse.record(SPEAKER_MONITOR)
    assert probe.recording() is False
    pulse.stop(recorder)


def test_one_connection_serves_every_reading(pulse: PulseServer, probe: PulseMicrophone) -> None:
    """Reading does not start a process or a connection per sample: the server lists
    one client for FocusGuard however often it is asked."""
    for _ in range(50):
        probe.recording()
    import subprocess

    clients = subprocess.run(["pactl", "list", "clients"], env=pulse.env, capture_output=True, text=True,
                             check=True).stdout
    assert clients.count('application.name = "FocusGuard"') == 1


def test_no_sound_server_is_unknown_said_once(tmp_path, monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/nothing-here")
    with pytest.raises(MicrophoneUnavailable, match="no sound server answers"):
        PulseMicrophone.open()
    clock = [0.0]
    microphone = Microphone(PulseMicrophone.open, monotonic=lambda: clock[0])
    for _ in range(3):
        assert microphone.recording() is None
        clock[0] += 40  # past the retry: it tries again, and does not say it again
    assert microphone.why is not None and "no sound server" in microphone.why
    assert sum("microphone use unknown" in r.message for r in caplog.records) == 1


def test_doctor_reads_the_microphone(pulse: PulseServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from focusguard import doctor

    monkeypatch.setenv("PULSE_SERVER", pulse.address)
    check = doctor.check_microphone()
    assert (check.status, check.detail) == ("OK", "PulseAudio (pulseaudio): no app is recording")
    recorder = pulse.record()
    assert doctor.check_microphone().detail.endswith("an app is recording now")
    pulse.stop(recorder)

"""macOS's microphone probe: the default input device's "running somewhere" (CoreAudio,
read through an injected property reader here: this test runs on any system)."""

from __future__ import annotations

import sys

import pytest

from focusguard.platform.coreaudio import (
    DEFAULT_INPUT_DEVICE,
    RUNNING_SOMEWHERE,
    SYSTEM_OBJECT,
    CoreAudioMicrophone,
    coreaudio_reader,
    fourcc,
)
from focusguard.platform.microphone import MicrophoneUnavailable


def test_four_character_codes_are_coreaudios_numbers() -> None:
    assert fourcc("dIn ") == 0x64496E20 == DEFAULT_INPUT_DEVICE
    assert fourcc("gone") == 0x676F6E65 == RUNNING_SOMEWHERE
    with pytest.raises(ValueError, match="four-character"):
        fourcc("glo")


def test_the_default_input_running_for_any_app_is_recording() -> None:
    properties = {(SYSTEM_OBJECT, DEFAULT_INPUT_DEVICE): 73, (73, RUNNING_SOMEWHERE): 0}
    probe = CoreAudioMicrophone(lambda obj, selector: properties[(obj, selector)])
    assert probe.recording() is False
    properties[(73, RUNNING_SOMEWHERE)] = 1
    assert probe.recording() is True
    properties[(SYSTEM_OBJECT, DEFAULT_INPUT_DEVICE)] = 0  # no input device at all
    assert probe.recording() is False


def test_a_failed_read_is_unknown_with_why() -> None:
    def failing(obj: int, selector: int) -> int:
        raise OSError("CoreAudio status 560947818")

    with pytest.raises(MicrophoneUnavailable, match="560947818"):
        CoreAudioMicrophone(failing).recording()


@pytest.mark.skipif(sys.platform == "darwin", reason="CoreAudio exists here")
def test_without_coreaudio_the_probe_says_so() -> None:
    with pytest.raises(OSError):
        coreaudio_reader()
    with pytest.raises(MicrophoneUnavailable, match="CoreAudio cannot be loaded"):
        CoreAudioMicrophone()

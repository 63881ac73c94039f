"""macOS: whether the default input device (the microphone) is in use by any app,
CoreAudio's "device is running somewhere", read through ctypes (no extra package).

Asked per sample: two property reads on the system's audio object, no process
started. ``property_reader`` is injectable, so the logic is tested on any system.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable

from focusguard.platform.microphone import MicrophoneUnavailable

COREAUDIO = "/System/Library/Frameworks/CoreAudio.framework/CoreAudio"


def fourcc(code: str) -> int:
    """CoreAudio's four-character constants ('dIn ') as the UInt32 they stand for."""
    if len(code) != 4:
        raise ValueError(f"a four-character code, not {code!r}")
    return int.from_bytes(code.encode("ascii"), "big")


SYSTEM_OBJECT = 1  # kAudioObjectSystemObject
DEFAULT_INPUT_DEVICE = fourcc("dIn ")  # kAudioHardwarePropertyDefaultInputDevice
RUNNING_SOMEWHERE = fourcc("gone")  # kAudioDevicePropertyDeviceIsRunningSomewhere
SCOPE_GLOBAL = fourcc("glob")  # kAudioObjectPropertyScopeGlobal
ELEMENT_MAIN = 0  # kAudioObjectPropertyElementMain
NO_DEVICE = 0  # kAudioObjectUnknown

#: Reads one UInt32 property: (object, selector) -> value; raises OSError with the status.
PropertyReader = Callable[[int, int], int]


class _Address(ctypes.Structure):
    _fields_ = (("mSelector", ctypes.c_uint32), ("mScope", ctypes.c_uint32), ("mElement", ctypes.c_uint32))


def coreaudio_reader(library: str = COREAUDIO) -> PropertyReader:
    """A PropertyReader over the CoreAudio framework; raises OSError where there is none."""
    audio = ctypes.cdll.LoadLibrary(library)
    get = audio.AudioObjectGetPropertyData
    get.restype = ctypes.c_int32
    get.argtypes = (ctypes.c_uint32, ctypes.POINTER(_Address), ctypes.c_uint32, ctypes.c_void_p,
                    ctypes.POINTER(ctypes.c_uint32), ctypes.c_void_p)

    def read(obj: int, selector: int) -> int:
        address = _Address(selector, SCOPE_GLOBAL, ELEMENT_MAIN)
        value = ctypes.c_uint32(0)
        size = ctypes.c_uint32(ctypes.sizeof(value))
        status = get(obj, ctypes.byref(address), 0, None, ctypes.byref(size), ctypes.byref(value))
        if status != 0:
            raise OSError(f"CoreAudio status {status}")
        return value.value

    return read


class CoreAudioMicrophone:
    """The default input device, running for any app or not."""

    name = "CoreAudio"

    def __init__(self, read: PropertyReader | None = None) -> None:
        try:
            self._read = read or coreaudio_reader()
        except OSError as err:
            raise MicrophoneUnavailable(f"CoreAudio cannot be loaded ({err})") from err

    def recording(self) -> bool:
        try:
            device = self._read(SYSTEM_OBJECT, DEFAULT_INPUT_DEVICE)
            return device != NO_DEVICE and bool(self._read(device, RUNNING_SOMEWHERE))
        except OSError as err:
            raise MicrophoneUnavailable(f"the microphone's state cannot be read ({err})") from err

    def close(self) -> None:
        """Nothing kept open."""

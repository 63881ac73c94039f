"""Whether some app is recording from a microphone: the one signal every call app gives.

Zoom, Teams, Meet in a browser, a Slack huddle: all open a recording stream while
the call is on. On Linux the sound server (PulseAudio, or PipeWire through its
pulse server) lists those streams ("source outputs"); FocusGuard asks it over one
kept connection of libpulse (through ``pulsectl``, a ctypes binding: no process is
started per sample). Streams that record a *monitor* of an output (a screen
recorder taking the desktop's sound, a level meter) are no microphone.

A probe answers True, False, or None for "cannot tell" (no sound server, no
libpulse). On Windows the microphone consent store says which app uses the
microphone now; on macOS CoreAudio says whether the default input device runs for
any app (``platform.coreaudio``); ``probes.make_microphone_probe`` chooses.
:class:`Microphone` keeps the chosen probe going: it says why it cannot tell once,
answers None meanwhile, and tries again now and then, so a sound server started
after FocusGuard is picked up. Nothing here ever raises to the sampler.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

#: libpulse's "no such index" (a source that is no monitor has this as monitor_of_sink).
PA_INVALID_INDEX = 0xFFFFFFFF
#: How long to wait for the sound server to answer a connection.
CONNECT_TIMEOUT_SECONDS = 2.0
#: With no sound server (or a lost one), a new connection is tried this often.
RETRY_SECONDS = 30.0
#: Streams of these apps are meters, not someone talking (pavucontrol's level bars).
METER_APPS = frozenset({"org.PulseAudio.pavucontrol", "org.pulseaudio.pavucontrol"})


class MicrophoneUnavailable(Exception):
    """The microphone's use cannot be read; ``why`` says why, in words the user can act on."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class MicrophoneProbe(Protocol):
    """``name`` says what is read ("PulseAudio"); ``recording()`` is True while some app
    records from a microphone and raises MicrophoneUnavailable when the source is lost."""

    name: str

    def recording(self) -> bool: ...

    def close(self) -> None: ...


class PulseMicrophone:
    """The sound server's recording streams, over one libpulse connection."""

    name = "PulseAudio"

    def __init__(self, pulse: Any, errors: tuple[type[BaseException], ...]) -> None:
        self._pulse = pulse
        self._errors = errors

    @classmethod
    def open(cls, client_name: str = "FocusGuard") -> PulseMicrophone:
        """Connect to the user's sound server (never starting one); raises
        MicrophoneUnavailable saying why not."""
        try:
            import pulsectl
        except (ImportError, OSError) as err:  # the package, or libpulse.so.0 itself
            raise MicrophoneUnavailable(f"libpulse cannot be loaded ({err}): install libpulse0") from err
        errors = (pulsectl.PulseError, pulsectl.PulseDisconnected)
        pulse = pulsectl.Pulse(client_name, connect=False)
        try:
            pulse.connect(autospawn=False, timeout=CONNECT_TIMEOUT_SECONDS)
        except errors as err:
            pulse.close()
            raise MicrophoneUnavailable(
                f"no sound server answers ({err}): start PulseAudio or PipeWire's pulse server"
            ) from err
        probe = cls(pulse, errors)
        info = pulse.server_info()
        probe.name = f"PulseAudio ({info.server_name})" if getattr(info, "server_name", "") else cls.name
        return probe

    def recording(self) -> bool:
        try:
            monitors = {s.index for s in self._pulse.source_list() if _is_monitor(s)}
            return any(_is_microphone_stream(o, monitors) for o in self._pulse.source_output_list())
        except self._errors as err:
            raise MicrophoneUnavailable(f"the sound server went away ({err})") from err

    def close(self) -> None:
        self._pulse.close()


def _is_monitor(source: Any) -> bool:
    index = getattr(source, "monitor_of_sink", None)
    return index is not None and index != PA_INVALID_INDEX


def _is_microphone_stream(output: Any, monitors: set[int]) -> bool:
    """A live stream from a real source that is not a level meter."""
    props = getattr(output, "proplist", {}) or {}
    return (
        not getattr(output, "corked", False)
        and output.source not in monitors
        and props.get("application.id") not in METER_APPS
    )


#: Where Windows keeps, per app, when it last started and stopped using the microphone.
CONSENT_STORE = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore\microphone"
#: A consent entry: (the app, LastUsedTimeStart, LastUsedTimeStop) as FILETIMEs, 0 for none.
ConsentEntry = tuple[str, int, int]


class WindowsConsentMicrophone:
    """Windows records, per app, when it last started and stopped using the microphone
    (what the taskbar's microphone icon shows): an entry started and not stopped is an
    app recording now. Packaged apps sit under the key, desktop apps under its
    ``NonPackaged`` subkey; both are read. ``entries`` is injectable for tests."""

    name = "Windows microphone consent store"

    def __init__(self, entries: Callable[[], list[ConsentEntry]] | None = None) -> None:
        self._entries = entries or _consent_entries

    def recording(self) -> bool:
        try:
            return any(start and not stop for _app, start, stop in self._entries())
        except OSError as err:
            raise MicrophoneUnavailable(f"the microphone consent store cannot be read ({err})") from err

    def close(self) -> None:
        """Nothing kept open: each reading opens the keys it reads."""


def _consent_entries() -> list[ConsentEntry]:
    """Every app's entry under CONSENT_STORE (and its NonPackaged subkey)."""
    if sys.platform != "win32":
        raise OSError("the microphone consent store is Windows' own")
    import winreg

    entries: list[ConsentEntry] = []

    def read(path: str) -> None:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
            count = winreg.QueryInfoKey(key)[0]
            for index in range(count):
                app = winreg.EnumKey(key, index)
                if app == "NonPackaged":
                    read(f"{path}\\{app}")
                    continue
                with winreg.OpenKey(key, app) as entry:
                    times = []
                    for value in ("LastUsedTimeStart", "LastUsedTimeStop"):
                        try:
                            times.append(int(winreg.QueryValueEx(entry, value)[0]))
                        except OSError:
                            times.append(0)
                    entries.append((app, times[0], times[1]))

    read(CONSENT_STORE)
    return entries


class Microphone:
    """The probe kept going: ``recording()`` is True, False, or None when it cannot
    tell. The reason is logged once per reason; the probe is made again after
    ``retry_seconds``. Lives on the sampler's thread, like the other probes."""

    def __init__(
        self,
        factory: Callable[[], MicrophoneProbe],
        *,
        retry_seconds: float = RETRY_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._factory = factory
        self._retry = retry_seconds
        self._monotonic = monotonic
        self._probe: MicrophoneProbe | None = None
        self._next_try = float("-inf")
        self.why: str | None = None  # why it cannot tell, while it cannot

    @property
    def name(self) -> str:
        return self._probe.name if self._probe is not None else ""

    def recording(self) -> bool | None:
        probe = self._probe or self._open()
        if probe is None:
            return None
        try:
            return probe.recording()
        except MicrophoneUnavailable as err:
            self._lost(err.why)
        except Exception as err:  # a binding's surprise must not end sampling
            log.exception("reading the microphone failed")
            self._lost(f"{type(err).__name__}: {err}")
        return None

    def _open(self) -> MicrophoneProbe | None:
        now = self._monotonic()
        if now < self._next_try:
            return None
        self._next_try = now + self._retry
        try:
            self._probe = self._factory()
        except MicrophoneUnavailable as err:
            self._say(err.why)
            return None
        except Exception as err:  # e.g. a broken libpulse: say it, go on without
            log.exception("opening the microphone probe failed")
            self._say(f"{type(err).__name__}: {err}")
            return None
        if self.why is not None:
            log.info("microphone: reading it again via %s", self._probe.name)
        self.why = None
        return self._probe

    def _lost(self, why: str) -> None:
        self.close()
        self._next_try = self._monotonic() + self._retry
        self._say(why)

    def _say(self, why: str) -> None:
        if why != self.why:
            log.warning("microphone use unknown: %s", why)
        self.why = why

    def close(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None:
            try:
                probe.close()
            except Exception:  # a probe that cannot close is gone anyway
                log.debug("closing the microphone probe failed", exc_info=True)


def doctor_status(factory: Callable[[], MicrophoneProbe]) -> tuple[str, str, str]:
    """`focusguard doctor`'s line: (OK or WARN, what is read and what it says, the fix)."""
    try:
        probe = factory()
    except MicrophoneUnavailable as err:
        return "WARN", err.why, "calls are then recognised by their windows only"
    try:
        recording = probe.recording()
    except MicrophoneUnavailable as err:
        return "WARN", err.why, "calls are then recognised by their windows only"
    finally:
        probe.close()
    return "OK", f"{probe.name}: {'an app is recording now' if recording else 'no app is recording'}", ""

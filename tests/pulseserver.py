"""A private PulseAudio server for the microphone tests: a null source to record from.

``PulseServer`` starts ``pulseaudio`` with no default script, only its native socket
in a private folder (anonymous access: the test and the app may be other users),
a null source ``fakemic`` (the microphone) and a null sink ``fakespk`` (whose
monitor is the desktop's sound, which is no microphone). ``record()`` starts
``parecord`` from a source: a call app talking. Everything started is stopped on
``close()``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

MIC = "fakemic"
SPEAKER_MONITOR = "fakespk.monitor"


def missing_programs() -> list[str]:
    return [p for p in ("pulseaudio", "parecord", "pactl") if shutil.which(p) is None]


class PulseServer:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="fg-pulse-"))
        os.chmod(self.folder, 0o755)  # the socket inside is for anyone who knows it
        self.socket = self.folder / "native"
        self.address = f"unix:{self.socket}"
        self.env = {**os.environ, "PULSE_SERVER": self.address, "HOME": str(self.folder),
                    "XDG_RUNTIME_DIR": str(self.folder), "XDG_CONFIG_HOME": str(self.folder / "config")}
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        self._log = open(self.folder / "pulseaudio.log", "wb")  # noqa: SIM115 - kept open while it runs
        self.process = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes",
             "--use-pid-file=no", "-L", f"module-native-protocol-unix socket={self.socket} auth-anonymous=1",
             "-L", f"module-null-source source_name={MIC}", "-L", "module-null-sink sink_name=fakespk"],
            env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        self._recorders: list[subprocess.Popen[bytes]] = []
        deadline = time.monotonic() + 15
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log_text()
                self.close()
                raise RuntimeError(f"pulseaudio did not start:\n{log}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        return subprocess.run(["pactl", "info"], env=self.env, capture_output=True, check=False).returncode == 0

    def log_text(self) -> str:
        self._log.flush()
        return (self.folder / "pulseaudio.log").read_text(errors="replace")

    def record(self, source: str = MIC) -> subprocess.Popen[bytes]:
        """``parecord`` from ``source`` until ``stop()``; waits until the server lists its stream."""
        before = self._outputs()
        recorder = subprocess.Popen(["parecord", f"--device={source}", os.devnull], env=self.env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._recorders.append(recorder)
        deadline = time.monotonic() + 10
        while self._outputs() <= before:
            if recorder.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"parecord from {source} did not start recording")
            time.sleep(0.05)
        return recorder

    def _outputs(self) -> int:
        listed = subprocess.run(["pactl", "list", "short", "source-outputs"], env=self.env,
                                capture_output=True, text=True, check=False).stdout
        return len(listed.splitlines())

    def stop(self, recorder: subprocess.Popen[bytes]) -> None:
        recorder.terminate()
        recorder.wait(10)
        self._recorders.remove(recorder)

    def close(self) -> None:
        for recorder in list(self._recorders):
            self.stop(recorder)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PulseServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def running_pulse(what: str) -> Iterator[PulseServer]:
    """A private server for ``what`` (a test's name); without the programs, a skip
    here and a failure under CI, which must run every test."""
    missing = missing_programs()
    if missing:
        reason = f"needs {', '.join(missing)} (Debian: pulseaudio, pulseaudio-utils)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run {what}, but it {reason}")
        pytest.skip(reason)
    with PulseServer() as server:
        yield server

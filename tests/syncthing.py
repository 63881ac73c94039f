"""Real Syncthing instances for the sync end-to-end test, on loopback only.

Each ``Node`` is one ``syncthing serve`` with a home of its own: keys from
``syncthing generate``, then a config.xml written here that listens and serves its
GUI/REST API on 127.0.0.1 only, with global and local discovery, relays, NAT
traversal, upgrades and usage reports off. Two nodes know each other by device id and
loopback address and share one folder; a short rescan interval and the REST
``db/scan`` call keep the test fast.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from xml.sax.saxutils import quoteattr

FOLDER_ID = "focusguard"
SYNCTHING = shutil.which("syncthing")

_CONFIG = """<configuration version="36">
    <folder id="{folder_id}" label="FocusGuard" path={path} type="sendreceive" rescanIntervalS="2"
            fsWatcherEnabled="false" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="{me}" introducedBy=""></device>
        <device id="{peer}" introducedBy=""></device>
        <minDiskFree unit="%">0</minDiskFree>
        <markerName>.stfolder</markerName>
    </folder>
    <device id="{me}" name={name} compression="metadata" introducer="false">
        <address>dynamic</address>
    </device>
    <device id="{peer}" name={peer_name} compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:{peer_port}</address>
    </device>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:{gui_port}</address>
        <apikey>{api_key}</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{port}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <reconnectionIntervalS>1</reconnectionIntervalS>
        <startBrowser>false</startBrowser>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <urAccepted>-1</urAccepted>
        <crashReportingEnabled>false</crashReportingEnabled>
        <minHomeDiskFree unit="%">0</minHomeDiskFree>
    </options>
</configuration>
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """One Syncthing instance sharing ``folder``; ``generate()``, ``pair()``, ``start()``."""

    def __init__(self, home: Path, name: str, folder: Path) -> None:
        self.home, self.name, self.folder = home, name, folder
        self.port, self.gui_port = free_port(), free_port()
        self.api_key = secrets.token_hex(16)
        self.device_id = ""
        self.process: subprocess.Popen[bytes] | None = None

    def _env(self) -> dict[str, str]:
        return {**os.environ, "STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1", "HOME": str(self.home)}

    def generate(self) -> str:
        assert SYNCTHING is not None
        done = subprocess.run([SYNCTHING, "generate", "--home", str(self.home / "st"), "--no-default-folder"],
                              capture_output=True, text=True, env=self._env(), timeout=60, check=True)
        found = re.search(r"Device ID:\s*(\S+)", done.stdout + done.stderr)
        assert found, done.stdout + done.stderr
        self.device_id = found.group(1)
        return self.device_id

    def pair(self, peer: Node) -> None:
        """Write the config: this node and ``peer`` share the folder, on loopback only."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        (self.folder / ".stfolder").mkdir(exist_ok=True)
        (self.home / "st" / "config.xml").write_text(_CONFIG.format(
            folder_id=FOLDER_ID, path=quoteattr(str(self.folder)), me=self.device_id, peer=peer.device_id,
            name=quoteattr(self.name), peer_name=quoteattr(peer.name), peer_port=peer.port,
            gui_port=self.gui_port, api_key=self.api_key, port=self.port))

    def start(self) -> None:
        assert SYNCTHING is not None
        log = open(self.home / "syncthing.log", "wb")  # noqa: SIM115 - the process writes it until stop()
        self.process = subprocess.Popen(
            [SYNCTHING, "serve", "--home", str(self.home / "st"), "--no-browser", "--no-restart", "--no-upgrade"],
            stdout=log, stderr=subprocess.STDOUT, env=self._env())
        log.close()

    def rest(self, method: str, path: str, **params: str) -> object:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        request = urllib.request.Request(f"http://127.0.0.1:{self.gui_port}/rest/{path}{query}", method=method,
                                         headers={"X-API-Key": self.api_key})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body.strip() else None

    def wait_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.rest("GET", "system/ping")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(f"syncthing exited: {self.log()}") from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"syncthing did not answer on 127.0.0.1:{self.gui_port}: {self.log()}") from None
                time.sleep(0.2)

    def connected_to(self, peer: Node) -> bool:
        connections = self.rest("GET", "system/connections")
        assert isinstance(connections, dict)
        return bool(connections["connections"].get(peer.device_id, {}).get("connected"))

    def scan(self) -> None:
        self.rest("POST", "db/scan", folder=FOLDER_ID)

    def listening_addresses(self) -> list[str]:
        config = self.rest("GET", "config")
        assert isinstance(config, dict)
        return [*config["options"]["listenAddresses"], config["gui"]["address"]]

    def log(self) -> str:
        path = self.home / "syncthing.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            self.rest("POST", "system/shutdown")
            self.process.wait(10)
        except (urllib.error.URLError, ConnectionError, TimeoutError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(10)
        self.process = None

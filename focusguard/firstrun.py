"""The first run's welcome: whether it shows, what it offers, what it leaves behind.

Qt-free; the controller owns one. The welcome window only asks; what the answers
do (write the starter activities, declare the priority, start at login, never show
the welcome again) is decided here and in `Controller.on_welcome_finished`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from focusguard.core.starters import WELCOME_DONE, WELCOME_KEY, WELCOME_PENDING
from focusguard.platform import autostart
from focusguard.store import Store


@dataclass(frozen=True, slots=True)
class WelcomeOffer:
    """What the welcome window offers: start at login as it is now, and the GNOME
    Shell extension's set-up where the desktop needs it."""

    start_at_login: bool
    gnome_setup: bool


class FirstRun:
    """The welcome's state: pending in the store until finished or skipped, and
    showing (it asks for the priority itself, so the morning question waits)."""

    def __init__(self, store: Store, environ: Mapping[str, str] = os.environ) -> None:
        self.store = store
        self.environ = environ
        self.showing = False

    def due(self) -> bool:
        return self.store.get_meta(WELCOME_KEY) == WELCOME_PENDING

    def offer(self) -> WelcomeOffer:
        """The welcome is shown now."""
        from focusguard.platform.wayland import gnome_setup  # first run only: not on every start

        self.showing = True
        return WelcomeOffer(start_at_login=autostart.is_enabled(),
                            gnome_setup=gnome_setup.needs_setup(self.environ))

    def setup_gnome(self) -> str:
        """Installs and enables the Shell extension; what it did, line by line."""
        from focusguard.platform.wayland import gnome_setup

        return "\n".join(gnome_setup.run_setup(self.environ))

    @staticmethod
    def set_start_at_login(on: bool) -> None:
        """Raises OSError."""
        if on != autostart.is_enabled():
            (autostart.enable if on else autostart.disable)()

    def done(self) -> None:
        """Finished or skipped: never shown again."""
        self.showing = False
        self.store.set_meta(WELCOME_KEY, WELCOME_DONE)

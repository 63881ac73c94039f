"""The settings window (``Settings...`` in the tray menu, ``focusguard settings``)."""

from focusguard.ui.settings.settings_window import WINDOW_TITLE, SettingsContext, SettingsWindow, run_settings

__all__ = ["WINDOW_TITLE", "SettingsContext", "SettingsWindow", "run_settings"]

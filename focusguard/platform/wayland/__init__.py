"""Native Wayland probes: each desktop family tells its focused window differently.

- ``sway``: sway's IPC socket (pid, full screen, focus by con id), pushed events;
- ``wlr``: the wlr-foreign-toplevel-management protocol (Hyprland, river, labwc,
  wayfire, niri and sway);
- ``kwin``: a KWin script loaded over D-Bus that calls back on every change;
- ``gnome``: FocusGuard's GNOME Shell extension on the session bus;
- ``idle``: ext-idle-notify-v1 (or org_kde_kwin_idle) for the idle time.
"""

"""FocusGuard's QApplication on a real X server: named, and without the desktop's
toolkit (GTK 3 under GNOME costs about 19 MB) unless the user chose a theme."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = (
    "import os\n"
    "from focusguard.ui.standalone import application\n"
    "app = application()\n"
    "maps = open('/proc/self/maps').read()\n"
    "print(app.applicationName(), app.desktopFileName(), 'libgtk-3' in maps)\n"
)


def run(xdesktop, **env: str) -> str:
    child = {k: v for k, v in xdesktop.env.items() if k not in ("QT_QPA_PLATFORM", "QT_QPA_PLATFORMTHEME")}
    child.update(QT_QPA_PLATFORM="xcb", XDG_CURRENT_DESKTOP="GNOME", **env)
    done = subprocess.run([sys.executable, "-c", PROBE], env=child, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.xvfb
def test_under_gnome_the_gtk_toolkit_is_not_loaded(xdesktop) -> None:
    assert run(xdesktop) == "FocusGuard focusguard False"


@pytest.mark.xvfb
def test_a_theme_the_user_chose_is_kept(xdesktop) -> None:
    if not os.path.exists("/usr/lib/x86_64-linux-gnu/libgtk-3.so.0"):
        pytest.skip("GTK 3 is not installed here")
    assert run(xdesktop, QT_QPA_PLATFORMTHEME="gtk3") == "FocusGuard focusguard True"

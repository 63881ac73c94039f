"""A native Wayland (or X11) test window with a chosen title and app id.

    python tests/wlwindow.py --title "HubSpot - Deals" --app-id hubspot [--control FIFO]

Runs on whatever platform QT_QPA_PLATFORM says (``wayland`` for a native Wayland
client). With ``--control``, each line written to the FIFO sets a new title, so a
test can check that title changes reach the probe. It prints "ready" on stdout once
the window is shown. Used where ``foot`` is not usable (KWin, GNOME Shell).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading

from PySide6 import QtCore, QtGui, QtWidgets


class _Titles(QtCore.QObject):
    changed = QtCore.Signal(str)


def _follow(path: str, titles: _Titles) -> None:
    while True:
        with open(path, encoding="utf-8") as fifo:  # reopened after each writer closes
            for line in fifo:
                titles.changed.emit(line.rstrip("\n"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--title", required=True)
    parser.add_argument("--app-id", required=True)
    parser.add_argument("--control", help="a FIFO; each line written to it becomes the title")
    parser.add_argument("--size", default="640x400")
    args = parser.parse_args()

    QtGui.QGuiApplication.setDesktopFileName(args.app_id)  # the Wayland app_id
    app = QtWidgets.QApplication([sys.argv[0]])
    app.setApplicationName(args.app_id)
    window = QtWidgets.QWidget()
    window.setWindowTitle(args.title)
    width, height = (int(n) for n in args.size.split("x"))
    window.resize(width, height)
    label = QtWidgets.QLabel(args.title, window)
    label.setGeometry(20, 20, width - 40, 40)
    titles = _Titles()

    def retitle(title: str) -> None:
        window.setWindowTitle(title)
        label.setText(title)

    titles.changed.connect(retitle)
    if args.control:
        if not os.path.exists(args.control):
            os.mkfifo(args.control, 0o600)
        threading.Thread(target=_follow, args=(args.control, titles), daemon=True).start()
    window.show()
    QtCore.QTimer.singleShot(0, lambda: print("ready", flush=True))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

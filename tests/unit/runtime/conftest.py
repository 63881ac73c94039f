"""The app's threads and IPC run Qt's event loop: offscreen, no display needed."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

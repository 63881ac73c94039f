"""Widget tests run on Qt's offscreen platform: no display needed, same layouts."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

"""Unit tests that make Qt objects (widgets, the sampler, the packaging checks) run on Qt's offscreen
platform: no display needed, same layouts. The end-to-end tests give each app its own display."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

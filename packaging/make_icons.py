"""Render the hicolor PNGs of the app icon from resources/focusguard.svg.

    python packaging/make_icons.py          # rewrite resources/icons/hicolor/*/apps/focusguard.png
    python packaging/make_icons.py --check  # exit 1 if a committed PNG is missing or stale
    (--dir DIR works on another hicolor directory)

The PNGs are committed (desktops that cannot draw SVG icons, the Windows and macOS
bundles, AppStream) and rendered with the same code that draws the icon in the app
(focusguard.ui.icons.render), so they never drift from the SVG. Run it after changing
the SVG; the test suite runs --check.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from focusguard.ui.icons import APP_ICON, render  # after the platform is chosen
from focusguard.ui.qt import QGuiApplication, QImage

ROOT = Path(__file__).resolve().parents[1]
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
#: The freedesktop hicolor sizes desktops look up (plus 512 for software centres and macOS).
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int, hicolor: Path = HICOLOR) -> Path:
    return hicolor / f"{size}x{size}" / "apps" / "focusguard.png"


def rendered(size: int) -> QImage:
    return render(APP_ICON, size).toImage().convertToFormat(QImage.Format.Format_ARGB32)


#: Largest per-channel difference (of 255) still "the same": Qt versions antialias
#: edges a little differently, a changed SVG differs by far more.
TOLERANCE = 24


def stale(size: int, hicolor: Path = HICOLOR) -> bool:
    """True if the committed PNG is missing, or its pixels differ from a fresh render."""
    path = png_path(size, hicolor)
    if not path.exists():
        return True
    committed = QImage(str(path)).convertToFormat(QImage.Format.Format_ARGB32)
    fresh = rendered(size)
    if committed.size() != fresh.size():
        return True
    pairs = zip(bytes(committed.constBits()), bytes(fresh.constBits()), strict=True)
    return max(abs(a - b) for a, b in pairs) > TOLERANCE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the committed PNGs")
    parser.add_argument("--dir", type=Path, default=HICOLOR, help="the hicolor directory (default: %(default)s)")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if args.check:
        bad = [png_path(size, args.dir) for size in SIZES if stale(size, args.dir)]
        for path in bad:
            print(f"stale or missing: {path} (run python packaging/make_icons.py)")
        return 1 if bad else 0
    for size in SIZES:
        path = png_path(size, args.dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not rendered(size).save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

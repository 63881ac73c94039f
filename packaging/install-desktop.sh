#!/usr/bin/env bash
# Adds FocusGuard to the desktop's application menu for this user (after `pipx install .`
# or `pip install .`), or removes it again. Nothing needs root; nothing outside
# ${XDG_DATA_HOME:-~/.local/share} is touched.
#   packaging/install-desktop.sh [--exec /path/to/focusguard]    install
#   packaging/install-desktop.sh --uninstall                      remove
# The menu entry runs the focusguard found on PATH (or --exec), by absolute path: the
# desktop session's PATH often lacks ~/.local/bin, where pipx puts it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
APP_ID=io.github.focusguard.FocusGuard
SIZES=(16 22 24 32 48 64 128 256 512)

refresh() {  # menus and icon themes watch these directories' times; no caches are written
    touch "$DATA/applications" "$DATA/icons/hicolor" 2>/dev/null || true
}

if [[ "${1:-}" == "--uninstall" ]]; then
    rm -f "$DATA/applications/focusguard.desktop" "$DATA/metainfo/$APP_ID.metainfo.xml" \
          "$DATA/icons/hicolor/scalable/apps/focusguard.svg"
    for size in "${SIZES[@]}"; do rm -f "$DATA/icons/hicolor/${size}x${size}/apps/focusguard.png"; done
    refresh
    echo "FocusGuard removed from the application menu (your settings and history are kept)."
    exit 0
fi

EXEC=""
if [[ "${1:-}" == "--exec" ]]; then
    EXEC="${2:?--exec needs the path of the focusguard program}"
else
    EXEC="$(command -v focusguard || true)"
fi
if [[ -z "$EXEC" || ! -x "$EXEC" ]]; then
    echo "install-desktop: no focusguard program found; install FocusGuard first (pipx install .)" >&2
    echo "or pass its path: $0 --exec /path/to/focusguard" >&2
    exit 1
fi
case "$EXEC" in
    *[[:space:]\"\'\\\$\`]*) echo "install-desktop: the path must not contain spaces or quotes: $EXEC" >&2; exit 1 ;;
esac

install -d "$DATA/applications" "$DATA/metainfo" "$DATA/icons/hicolor/scalable/apps"
sed "s|^Exec=focusguard\$|Exec=$EXEC|" "$ROOT/resources/focusguard.desktop" > "$DATA/applications/focusguard.desktop"
install -m 644 "$ROOT/resources/io.github.focusguard.FocusGuard.metainfo.xml" "$DATA/metainfo/"
install -m 644 "$ROOT/resources/focusguard.svg" "$DATA/icons/hicolor/scalable/apps/focusguard.svg"
for size in "${SIZES[@]}"; do
    install -D -m 644 "$ROOT/resources/icons/hicolor/${size}x${size}/apps/focusguard.png" \
        "$DATA/icons/hicolor/${size}x${size}/apps/focusguard.png"
done
refresh
echo "FocusGuard added to the application menu ($DATA/applications/focusguard.desktop -> $EXEC)."

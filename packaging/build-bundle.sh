#!/usr/bin/env bash
# Builds the one-folder PyInstaller bundle dist/focusguard/ on Linux, in a venv of its own
# (so the bundle holds exactly FocusGuard's dependencies, nothing from a dev environment).
#   packaging/build-bundle.sh [VENV]        VENV defaults to build/pyi-venv
# Then prove it: python3 packaging/smoke_bundle.py dist/focusguard
# Windows and macOS: see packaging/README-packaging.md.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${1:-build/pyi-venv}
PYTHON=${PYTHON:-python3}
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q pyinstaller pillow .
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/focusguard.spec
echo "built dist/focusguard ($(du -sh dist/focusguard | cut -f1))"

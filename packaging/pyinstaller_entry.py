"""The bundle's entry point: ``focusguard`` as a frozen (PyInstaller) program.

In a bundle, ``sys.executable`` is this program, not a Python interpreter, yet two
places re-run "Python" with it: the doctor's tray check (``sys.executable -c CODE``,
run in a child so a crashing Qt plugin cannot take the doctor down) and start at login
when no ``focusguard`` script is on PATH (``sys.executable -m focusguard``). Both forms
are honoured here, so they work the same frozen and unfrozen.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "-c":
        sys.argv = ["-c", *argv[2:]]
        exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})  # python -c
        return 0
    if argv[:2] == ["-m", "focusguard"]:
        argv = argv[2:]
    from focusguard.cli import main as cli

    return cli(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

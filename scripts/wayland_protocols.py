"""Regenerate the Python bindings of the Wayland protocols pywayland does not ship.

    .venv/bin/python scripts/wayland_protocols.py           # rewrite the modules
    .venv/bin/python scripts/wayland_protocols.py --check   # exit 1 if they are stale

Each ``focusguard/platform/wayland/protocols/NAME.xml`` becomes ``NAME.py`` (dashes
as underscores) through pywayland's own scanner. The scanner writes imports of the
core protocol (wl_seat, wl_output, ...) as ``from .wayland import ...``, which only
resolves inside pywayland's package, so they are pointed at ``pywayland.protocol.wayland``.
The generated modules are committed: users need no scanner and no XML at run time.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import tempfile
from pathlib import Path

from pywayland.protocol import wayland
from pywayland.protocol_core import Interface
from pywayland.scanner.protocol import Protocol

PROTOCOLS = Path(__file__).resolve().parents[1] / "focusguard/platform/wayland/protocols"


def _core_interfaces() -> dict[str, str]:
    """wl_* interface name -> "wayland", so the scanner can resolve their imports."""
    return {cls.name: "wayland" for _, cls in inspect.getmembers(wayland, inspect.isclass)
            if issubclass(cls, Interface) and cls is not Interface}


def generate(xml: Path) -> str:
    """The Python module for the protocol in ``xml``."""
    protocol = Protocol.parse_file(str(xml))
    imports = _core_interfaces() | {iface.name: protocol.name for iface in protocol.interface}
    with tempfile.TemporaryDirectory() as out:
        protocol.output(out, imports)
        code = (Path(out) / f"{protocol.name.replace('-', '_')}.py").read_text(encoding="utf-8")
    return code.replace("from .wayland import", "from pywayland.protocol.wayland import")


def module_path(xml: Path) -> Path:
    return xml.with_name(xml.stem.replace("-", "_") + ".py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale modules")
    args = parser.parse_args()
    stale = []
    for xml in sorted(PROTOCOLS.glob("*.xml")):
        code, target = generate(xml), module_path(xml)
        if target.exists() and target.read_text(encoding="utf-8") == code:
            continue
        stale.append(target.name)
        if not args.check:
            target.write_text(code, encoding="utf-8")
    verb = "stale" if args.check else "regenerated"
    print(f"{verb}: {', '.join(stale)}" if stale else "all protocol modules are up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())

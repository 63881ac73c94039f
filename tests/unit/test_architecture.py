"""The layering rules that keep the core fast and testable without a display."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "focusguard"
QT_FREE = [
    *sorted((PACKAGE / "core").glob("*.py")),
    *sorted((PACKAGE / "platform").glob("*.py")),
    PACKAGE / "store.py",
    PACKAGE / "controller.py",
    PACKAGE / "doctor.py",
]


def _runtime_nodes(tree: ast.AST):
    """All nodes but those under `if TYPE_CHECKING:` (annotations only, never imported)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _qt(names: set[str]) -> set[str]:
    return {name for name in names
            if name.split(".")[0] in {"PySide6", "shiboken6"} or name.startswith("focusguard.ui")}


@pytest.mark.parametrize("path", QT_FREE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_no_qt(path: Path) -> None:
    forbidden = _qt(imported_modules(path))
    assert not forbidden, f"{path.name} imports {forbidden}"


def test_cli_imports_windows_only_inside_the_commands_that_open_them() -> None:
    """`focusguard summary` may load Qt when it runs; importing the CLI must not."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    top = {node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module}
    top |= {alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names}
    assert not _qt(top)


def test_core_imports_nothing_from_outside_the_core() -> None:
    for path in (PACKAGE / "core").glob("*.py"):
        outside = {name for name in imported_modules(path)
                   if name.startswith("focusguard.") and not name.startswith("focusguard.core")}
        assert not outside, f"core/{path.name} imports {outside}"


def test_cli_runs_without_loading_qt() -> None:
    code = ("import sys, focusguard.cli, focusguard.doctor, focusguard.controller;"
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

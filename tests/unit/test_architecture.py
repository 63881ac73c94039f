"""The layering rules that keep the core fast and testable without a display.

Every import counts: at the top of a module, inside a function, and under
``if TYPE_CHECKING:`` (a type-only import is still a dependency a reader must
follow, and the first step of a real cycle).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "focusguard"
#: Where Qt may be imported: the views, the app's threads and IPC, and the Qt wiring.
QT_PLACES = ("ui", "runtime", "app.py", "cli.py")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
QT_FREE = [path for path in MODULES.values()
           if path.relative_to(PACKAGE).parts[0] not in QT_PLACES]


def imported_modules(path: Path) -> set[str]:
    name = module_name(path)
    return imports_in(path.read_text(encoding="utf-8"),
                      name if path.name == "__init__.py" else name.rpartition(".")[0])


def imports_in(source: str, package: str) -> set[str]:
    """Every module ``source`` (a module of ``package``) imports anywhere in it;
    ``from a import b`` names ``a.b`` when that is one of ours (a submodule), else ``a``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                names.add(full if full in MODULES else base)
    return names


def _ours(names: set[str]) -> set[str]:
    return {name for name in names if name in MODULES}


def _qt(names: set[str]) -> set[str]:
    return {name for name in names
            if name.split(".")[0] in {"PySide6", "shiboken6"}
            or name.startswith(("focusguard.ui", "focusguard.runtime", "focusguard.app"))}


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


@pytest.mark.parametrize("path", sorted((PACKAGE / "core").rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_imports_nothing_from_outside_the_core(path: Path) -> None:
    outside = {name for name in imported_modules(path)
               if name.startswith("focusguard") and not name.startswith("focusguard.core")}
    assert not outside, f"core/{path.name} imports {outside}"


def import_graph() -> dict[str, set[str]]:
    return {name: _ours(imported_modules(path)) - {name} for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's
    algorithm), each as one cycle through them: every import cycle, whatever its length."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(_one_cycle(graph, set(component)))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _one_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A path a -> ... -> a inside ``component``, for the failure message."""
    start = min(component)
    path, seen = [start], {start}

    def walk(v: str) -> Iterator[list[str]]:
        for w in sorted(graph[v] & component):
            if w == start:
                yield [*path, start]
            elif w not in seen:
                seen.add(w)
                path.append(w)
                yield from walk(w)
                path.pop()

    return next(walk(start))


def test_the_checks_see_type_only_lazy_and_relative_imports_and_every_cycle() -> None:
    """The checks themselves can fail: a cycle of any length is found, and an import
    under TYPE_CHECKING, inside a function or relative counts."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    source = ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from focusguard.store import Store\n"
              "def f():\n    from focusguard.core import model\nfrom . import heartbeat\n")
    assert {"focusguard.store", "focusguard.core.model", "focusguard.core.heartbeat"} <= imports_in(
        source, "focusguard.core")


def test_no_import_cycles_between_focusguard_modules() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles: " + "; ".join(" -> ".join(c) for c in found)


VIEWS = sorted((PACKAGE / "ui").rglob("*.py"))


def _store_imports(names: set[str]) -> set[str]:
    return {name for name in names if name == "focusguard.store" or name.startswith("focusguard.store.")}


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_views_never_import_the_store(path: Path) -> None:
    """A view renders and forwards the user's intents: what it reads and writes goes
    through the controller and its services (focusguard.records), never the store."""
    forbidden = _store_imports(imported_modules(path))
    assert not forbidden, f"{path.relative_to(PACKAGE)} imports {forbidden}"


def test_the_store_check_can_fail() -> None:
    """It sees the store where it is imported: the controller, which owns it."""
    assert _store_imports(imported_modules(PACKAGE / "controller.py")) == {"focusguard.store"}


def test_no_module_name_is_used_in_two_layers() -> None:
    """``core/review`` beside ``ui/review`` made a reader guess which one a traceback
    meant; a name says one thing in the whole package."""
    layers: dict[str, set[str]] = {}
    for layer in ("core", "platform", "runtime", "ui"):
        for path in (PACKAGE / layer).rglob("*.py"):
            if path.stem != "__init__":
                layers.setdefault(path.stem, set()).add(layer)
    clashes = {name: sorted(found) for name, found in layers.items() if len(found) > 1}
    assert not clashes, f"module names in more than one layer: {clashes}"


def test_the_apps_start_path_loads_neither_the_config_editor_nor_the_importer() -> None:
    """tomlkit (the config editor) and the ActivityWatch importer cost memory the running
    app never needs unless the user edits the config or imports: they load on use."""
    code = ("import sys, focusguard.cli, focusguard.app, focusguard.controller;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'tomlkit' or m in "
            "('focusguard.core.aw_import', 'focusguard.core.aw_categories', 'focusguard.core.config.edit')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_runs_without_loading_qt() -> None:
    code = ("import sys, focusguard.cli, focusguard.doctor, focusguard.controller;"
            "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

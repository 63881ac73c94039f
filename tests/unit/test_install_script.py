"""scripts/install (what ./scripts/run does before starting the app), run for real on a
copy of the checkout with a throwaway HOME: it must leave a `focusguard` command and a
menu entry that work, run the README's examples as written, install without a
warning, do nothing on a start with nothing new, and undo itself."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from test_packaging import SIZES, tool

from focusguard import __version__

ROOT = Path(__file__).resolve().parents[2]
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                     ".pytest_cache", ".hypothesis", "shots")


class Checkout:
    """A copy of this checkout and a HOME of its own, with nothing of the machine's XDG
    folders: everything scripts/install writes lands under ``home``."""

    def __init__(self, tmp: Path) -> None:
        self.source = tmp / "checkout"
        shutil.copytree(ROOT, self.source, ignore=COPY_IGNORE)
        self.home = tmp / "home"
        self.home.mkdir()
        self.bin = self.home / ".local" / "bin"
        self.data = self.home / ".local" / "share"
        self.program = self.source / ".venv" / "bin" / "focusguard"
        self.entry = self.data / "applications" / "focusguard.desktop"

    def env(self, *, on_path: bool) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PYTHON", "VIRTUAL_ENV"))}
        path = "/usr/local/bin:/usr/bin:/bin"
        return {**keep, "HOME": str(self.home), "PATH": f"{self.bin}:{path}" if on_path else path}

    def run(self, *argv: str | Path, on_path: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=600,
                              cwd=self.home, env=self.env(on_path=on_path))

    def install(self, *args: str, on_path: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("bash", self.source / "scripts" / "install", *args, on_path=on_path)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Checkout:
    """The copy with a .venv made beforehand that sees this venv's packages through a
    .pth line (as the wheel test does), so the install is real (pip, the build backend,
    the entry points) without downloading Qt again."""
    c = Checkout(tmp_path_factory.mktemp("install"))
    venv = c.source / ".venv"
    assert subprocess.run([sys.executable, "-m", "venv", venv], timeout=300).returncode == 0
    python = venv / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "test-venv-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return c


def readme_examples() -> list[list[str]]:
    """The commands of the README's "Using it" block, except the bare `focusguard`,
    which starts the tray app."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^## Using it\n+```sh\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert block, "README.md has no sh block under ## Using it"
    commands = [shlex.split(line, comments=True) for line in block.group(1).splitlines()]
    return [argv for argv in commands if argv[:1] == ["focusguard"] and len(argv) > 1]


@pytest.mark.slow
def test_install_leaves_a_command_and_a_menu_entry_that_work_without_a_warning(checkout: Checkout) -> None:
    done = checkout.install(on_path=False)
    assert done.returncode == 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert not re.search(r"warn|deprecat|error", output, re.IGNORECASE), output
    assert f"{checkout.bin} is not on your PATH" in done.stderr  # and how to put it there
    assert 'export PATH="$HOME/.local/bin:$PATH"' in done.stderr

    link = checkout.bin / "focusguard"
    assert link.is_symlink() and link.resolve() == checkout.program.resolve()
    version = checkout.run("focusguard", "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"FocusGuard {__version__}", version.stderr

    done = checkout.run(tool("desktop-file-validate", "desktop-file-utils"), checkout.entry)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
    assert f"Exec={link}\n" in checkout.entry.read_text(encoding="utf-8")
    icons = checkout.data / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "focusguard.svg").is_file()
    assert all((icons / f"{s}x{s}" / "apps" / "focusguard.png").is_file() for s in SIZES)


@pytest.mark.slow
def test_the_readme_examples_run_as_written_after_install(checkout: Checkout) -> None:
    assert checkout.install().returncode == 0
    examples = readme_examples()
    assert [argv[:2] for argv in examples] == [["focusguard", "priority"], ["focusguard", "report"]]
    for argv in examples:
        done = checkout.run(*argv)
        assert done.returncode == 0, f"{shlex.join(argv)}: {done.stderr}"
    assert "Priority: Sales" in done.stdout and "call three past customers" in done.stdout


@pytest.mark.slow
def test_a_start_with_nothing_new_runs_no_pip_and_a_changed_pyproject_reinstalls(checkout: Checkout) -> None:
    assert checkout.install().returncode == 0
    stamp = checkout.source / ".venv" / "focusguard-install.stamp"
    installed = sorted(checkout.source.glob(".venv/lib/python*/site-packages/focusguard-*.dist-info"))
    before = [p.stat().st_mtime_ns for p in (stamp, *installed)]
    done = checkout.install()
    assert done.returncode == 0 and done.stdout + done.stderr == ""
    assert [p.stat().st_mtime_ns for p in (stamp, *installed)] == before  # pip never ran

    pyproject = checkout.source / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    done = checkout.install()
    assert done.returncode == 0 and "installing FocusGuard" in done.stdout, done.stdout + done.stderr
    assert stamp.stat().st_mtime_ns > before[0]
    assert checkout.install().stdout == ""


@pytest.mark.slow
def test_a_foreign_command_is_left_alone_and_uninstall_removes_only_what_install_made(checkout: Checkout) -> None:
    assert checkout.install().returncode == 0
    link = checkout.bin / "focusguard"
    link.unlink()
    link.write_text("#!/bin/sh\necho another\n", encoding="utf-8")  # e.g. a pipx install
    link.chmod(0o755)
    done = checkout.install()
    assert done.returncode == 0 and "left as it is" in done.stderr
    assert link.read_text(encoding="utf-8").endswith("echo another\n")
    assert f"Exec={checkout.program}\n" in checkout.entry.read_text(encoding="utf-8")  # still this checkout's

    done = checkout.install("--uninstall")
    assert done.returncode == 0, done.stderr
    assert link.is_file() and not checkout.entry.exists()  # the foreign command stays
    link.unlink()
    assert checkout.install().returncode == 0 and link.is_symlink()
    assert checkout.install("--uninstall").returncode == 0
    assert not link.exists() and not link.is_symlink()
    leftovers = [p for p in checkout.data.rglob("*") if p.is_file() and "focusguard" in p.name.lower()
                 and not p.is_relative_to(checkout.data / "focusguard")]  # history stays
    assert leftovers == []

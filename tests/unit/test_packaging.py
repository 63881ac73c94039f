"""Packaging and desktop integration: the validators, one version everywhere, the
icons, the desktop install helper, the bundle's entry point, and a real wheel
installed into a fresh venv."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

import focusguard
from focusguard import __version__

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / "focusguard.desktop"
APP_ID = "io.github.focusguard.FocusGuard"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str, package: str) -> str:
    """The path of a validator; a developer without it skips, CI (which installs it
    in scripts/test) fails, so the check cannot silently vanish."""
    path = shutil.which(name)
    if path is None:
        message = f"needs {name} (apt install {package})"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this check, but it {message}")
        pytest.skip(message)
    return path


def run(*argv: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=300, **kwargs)


# --- desktop file and AppStream metainfo -------------------------------------------------


def test_desktop_file_passes_desktop_file_validate() -> None:
    done = run(tool("desktop-file-validate", "desktop-file-utils"), DESKTOP)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_metainfo_passes_appstreamcli_validate() -> None:
    done = run(tool("appstreamcli", "appstream"), "validate", "--no-net", METAINFO)
    assert done.returncode == 0, done.stdout + done.stderr


def desktop_entry() -> dict[str, str]:
    lines = DESKTOP.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def test_desktop_file_metainfo_and_app_agree() -> None:
    entry = desktop_entry()
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.find("launchable[@type='desktop-id']").text == DESKTOP.name
    assert component.findtext("icon") == entry["Icon"] == "focusguard"
    assert component.find("provides/binary").text == entry["Exec"] == "focusguard"
    assert entry["Name"] == component.findtext("name") == "FocusGuard"


def test_every_window_is_matched_to_the_desktop_entry(qapp) -> None:
    from focusguard.ui.standalone import application  # the tray app's and the CLI windows' set-up

    assert application().desktopFileName() == DESKTOP.stem


# --- one version ------------------------------------------------------------------------


def test_one_version_source_shown_everywhere() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "focusguard.__version__"}
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases[0].get("version") == __version__  # the newest release comes first
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[(\d[^\]]*)\]", changelog, re.MULTILINE)
    assert versions[0] == __version__
    assert re.search(rf"^## \[{re.escape(__version__)}\] - {releases[0].get('date')}$", changelog, re.MULTILINE)
    done = run(sys.executable, "-m", "focusguard", "--version")
    assert done.stdout.strip() == f"FocusGuard {__version__}"


# --- icons ------------------------------------------------------------------------------


def test_hicolor_pngs_exist_at_every_size_and_match_the_svg() -> None:
    for size in SIZES:
        png = RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "focusguard.png"
        header = png.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (size, size)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = run(sys.executable, ROOT / "packaging" / "make_icons.py", "--check", env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_icon_check_notices_missing_resized_and_redrawn_pngs(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    make_icons = ROOT / "packaging" / "make_icons.py"

    def check() -> list[str]:
        done = run(sys.executable, make_icons, "--check", "--dir", tmp_path, env=env)
        assert done.returncode == (1 if done.stdout else 0), done.stderr
        return re.findall(r"/(\d+x\d+)/apps/focusguard\.png", done.stdout)

    assert check() == [f"{s}x{s}" for s in SIZES]  # all missing
    assert run(sys.executable, make_icons, "--dir", tmp_path, env=env).returncode == 0
    assert check() == []
    shutil.copy(tmp_path / "64x64" / "apps" / "focusguard.png", tmp_path / "48x48" / "apps" / "focusguard.png")
    redraw = ("import sys; from focusguard.ui.icons import render; from focusguard.ui.qt import QGuiApplication; "
              "app = QGuiApplication([]); render('tray-distraction.svg', 32).save(sys.argv[1])")
    assert run(sys.executable, "-c", redraw, tmp_path / "32x32" / "apps" / "focusguard.png", env=env).returncode == 0
    assert check() == ["32x32", "48x48"]


# --- the desktop install helper ----------------------------------------------------------


def test_install_desktop_helper_installs_and_removes(tmp_path: Path) -> None:
    program = tmp_path / "bin" / "focusguard"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    data = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "PATH": f"{program.parent}{os.pathsep}{os.environ['PATH']}"}
    helper = ROOT / "packaging" / "install-desktop.sh"
    done = run("bash", helper, env=env)
    assert done.returncode == 0, done.stderr
    installed = data / "applications" / "focusguard.desktop"
    assert f"Exec={program}\n" in installed.read_text(encoding="utf-8")
    assert (data / "metainfo" / METAINFO.name).read_bytes() == METAINFO.read_bytes()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "focusguard.svg").is_file()
    assert all((data / "icons" / "hicolor" / f"{s}x{s}" / "apps" / "focusguard.png").is_file() for s in SIZES)
    if shutil.which("desktop-file-validate"):
        assert run("desktop-file-validate", installed).returncode == 0
    done = run("bash", helper, "--uninstall", env=env)
    assert done.returncode == 0
    assert [p for p in data.rglob("*") if p.is_file()] == []


def test_install_desktop_helper_refuses_without_a_program(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    done = run("bash", ROOT / "packaging" / "install-desktop.sh", env=env)
    assert done.returncode == 1 and "no focusguard program found" in done.stderr
    assert not (tmp_path / "data").exists()


def test_flatpak_manifest_uses_the_app_id_and_installs_files_that_exist() -> None:
    manifest = (ROOT / "packaging" / "flatpak" / f"{APP_ID}.yml").read_text(encoding="utf-8")
    assert re.search(rf"^app-id: {re.escape(APP_ID)}$", manifest, re.MULTILINE)
    assert re.search(r"^command: focusguard$", manifest, re.MULTILINE)
    sources = re.findall(r"install -Dm644 (resources/\S+)", manifest)
    assert len(sources) == 4
    for source in sources:
        for size in SIZES if "${size}" in source else (None,):
            path = source.replace("${size}", str(size))
            assert (ROOT / path).is_file(), path


# --- the PyInstaller bundle's entry point ----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["-c", "import sys; print(sys.argv[1:])", "a", "b"], "['a', 'b']"),  # the doctor's tray probe
        (["-m", "focusguard", "--version"], f"FocusGuard {__version__}"),  # start at login, no script on PATH
        (["--version"], f"FocusGuard {__version__}"),
    ],
)
def test_bundle_entry_point_runs_python_forms_and_the_cli(argv: list[str], expected: str) -> None:
    done = run(sys.executable, ROOT / "packaging" / "pyinstaller_entry.py", *argv)
    assert done.returncode == 0 and done.stdout.strip() == expected, done.stderr


# --- a real wheel in a fresh venv --------------------------------------------------------------


@pytest.mark.slow
def test_wheel_builds_and_installs_into_a_fresh_venv(tmp_path: Path) -> None:
    """Build the wheel as pip/pipx do (isolated build), install it into a new venv and
    run its `focusguard`. The heavy dependencies (Qt is ~200 MB) are not downloaded
    again: the new venv sees this venv's site-packages through a .pth line, after its
    own, so FocusGuard itself can only come from the wheel."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "shots"))
    wheels = tmp_path / "wheels"
    done = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", wheels, source)
    assert done.returncode == 0, done.stdout + done.stderr
    [wheel] = wheels.glob("focusguard-*.whl")
    assert wheel.name == f"focusguard-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    for resource in (DESKTOP, METAINFO, *RESOURCES.glob("*.svg"), *RESOURCES.glob("icons/hicolor/*/apps/*.png")):
        assert f"focusguard/resources/{resource.relative_to(RESOURCES).as_posix()}" in names, resource
    wayland = Path(focusguard.__file__).parent / "platform" / "wayland"
    for data in (*wayland.glob("*.js"), *wayland.glob("gnome_extension/*"), *wayland.glob("protocols/*")):
        if data.suffix != ".pyc" and data.is_file():  # the desktop-side scripts and the bindings
            assert f"focusguard/{data.relative_to(wayland.parents[1]).as_posix()}" in names, data

    venv = tmp_path / "fresh"
    assert run(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    done = run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel)
    assert done.returncode == 0, done.stderr
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    Path(site, "test-venv-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = run(sys.executable, "-m", "pip", "--python", python, "check")
    assert done.returncode == 0, done.stdout  # every declared dependency is there

    script = venv / ("Scripts/focusguard.exe" if os.name == "nt" else "bin/focusguard")
    done = run(script, "--version", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == f"FocusGuard {__version__}", done.stderr
    probe = ("import focusguard, importlib.resources as r; print(focusguard.__file__); "
             "print(r.files('focusguard.resources').joinpath('focusguard.desktop').read_text()[:15])")
    done = run(python, "-c", probe, cwd=tmp_path)  # not the checkout: `-c` puts the cwd first on sys.path
    assert done.returncode == 0, done.stderr
    where, desktop = done.stdout.splitlines()
    assert Path(where).is_relative_to(venv) and desktop == "[Desktop Entry]"

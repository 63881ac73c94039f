"""The schema is declared once: the dataclasses, the starter file, the reference and
the settings window all follow it; the file's version and renamed keys."""

from __future__ import annotations

import dataclasses
import sys

import pytest
import tomlkit

from focusguard.core.config import (
    OPTIONS,
    STARTER_CONFIG,
    VERSION,
    Config,
    ConfigError,
    parse_config,
    schema,
)
from focusguard.core.config.parse import SECTIONS
from focusguard.core.config.reference import toml_value


def test_every_settings_dataclass_has_exactly_the_schemas_keys() -> None:
    for section in SECTIONS:
        fields = [f.name for f in dataclasses.fields(section.factory)]
        keys = [o.key for o in section.options]
        if section.name == "activity":  # Activity (core.model) has no options of its own beyond these
            assert keys == ["name", "kind", "calls_count_as_priority", "rules"] and set(keys) <= set(fields)
        else:
            assert fields == keys, section.name


@pytest.mark.parametrize("option", [o for o in OPTIONS if o.default is not schema.REQUIRED], ids=lambda o: o.path)
def test_defaults_are_written_as_tomlkit_would_without_loading_it(option: schema.Option) -> None:
    assert toml_value(option.default) == tomlkit.item(option.default).as_string()


def test_every_number_the_settings_window_shows_has_a_label_and_a_unit() -> None:
    labelled = [o for o in OPTIONS if o.label]
    assert len(labelled) >= 12
    for option in labelled:
        assert option.label.endswith(":") and option.label.count("&") == 1, option.path
        if type(option.type).__name__ == "Number":
            assert option.unit, option.path
    assert len({o.label.replace("&", "") for o in labelled}) == len(labelled)  # no two fields share a label


def test_the_starter_file_says_its_version() -> None:
    assert f"\nversion = {VERSION}\n" in STARTER_CONFIG
    _config, problems = parse_config(STARTER_CONFIG)
    assert problems == []


def test_a_file_without_a_version_is_read_as_the_first() -> None:
    config, problems = parse_config("[nudge]\ngrace_seconds = 12\n")
    assert problems == [] and config.nudge.grace_seconds == 12


def test_a_newer_version_is_read_with_a_warning() -> None:
    config, problems = parse_config(f"version = {VERSION + 1}\n[nudge]\ngrace_seconds = 12\nnew_key = 1\n")
    assert config.nudge.grace_seconds == 12
    assert [str(p) for p in problems] == [
        f"version: is {VERSION + 1}, written by a newer FocusGuard (this one reads version {VERSION}): "
        "keys it does not know are ignored",
        "nudge.new_key: unknown key (ignored)",
    ]


@pytest.mark.parametrize("bad", ['"one"', "0", "1.5", "true"])
def test_a_version_that_is_no_whole_number_is_an_error(bad: str) -> None:
    with pytest.raises(ConfigError, match=r"^version: must be a whole number"):
        parse_config(f"version = {bad}\n")


@pytest.fixture
def renamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if version 2 had renamed two keys (qutebrowser's and Picard's upgrade path)."""
    parse_module = sys.modules["focusguard.core.config.parse"]
    monkeypatch.setattr(parse_module, "RENAMES", {
        "nudge.distraction_minutes": ("nudge.distraction_after_minutes", 2),
        "activity[].type": ("activity[].kind", 2),
    })


@pytest.mark.usefixtures("renamed")
def test_an_old_key_is_read_under_its_new_name_with_a_warning() -> None:
    text = ('[nudge]\ndistraction_minutes = 7\n\n[[activity]]\nname = "Sales"\ntype = "productive"\n'
            '[[activity]]\nname = "Video"\nkind = "distraction"\n')
    config, problems = parse_config(text)
    assert config.nudge.distraction_after_minutes == 7
    assert [(a.name, a.kind.value) for a in config.activities] == [("Sales", "productive"), ("Video", "distraction")]
    assert [str(p) for p in problems] == [
        "nudge.distraction_minutes: was renamed to distraction_after_minutes in config version 2: read as "
        "distraction_after_minutes (rename it in the file, or save from the settings window)",
        "activity[0].type: was renamed to kind in config version 2: read as kind (rename it in the file, "
        "or save from the settings window)",
    ]


@pytest.mark.usefixtures("renamed")
def test_with_both_names_the_new_one_wins() -> None:
    config, problems = parse_config("[nudge]\ndistraction_minutes = 7\ndistraction_after_minutes = 9\n")
    assert config.nudge.distraction_after_minutes == 9
    assert [p.severity for p in problems] == ["warning"] and "the file has both" in problems[0].message


@pytest.mark.usefixtures("renamed")
def test_an_old_key_with_a_bad_value_is_named_by_its_new_name() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config('[nudge]\ndistraction_minutes = "soon"\n')
    assert [p.path for p in err.value.problems] == ["nudge.distraction_minutes", "nudge.distraction_after_minutes"]


def test_renames_stay_within_their_table() -> None:
    for old, (new, since) in schema.RENAMES.items():
        assert old.split(".")[0] == new.split(".")[0] and 1 < since <= VERSION
        assert new in {o.path for o in OPTIONS}


def test_a_config_is_what_the_schema_defaults_say() -> None:
    assert Config().nudge.distraction_after_minutes == schema.default("nudge.distraction_after_minutes")


@pytest.mark.usefixtures("renamed")
def test_saving_writes_the_new_names_and_version_and_keeps_the_rest(tmp_path) -> None:
    from focusguard.core.config.edit import save_config

    path = tmp_path / "config.toml"
    path.write_text('# mine\n[nudge]\ndistraction_minutes = 7  # short\ngrace_seconds = 20\n')
    config, _ = parse_config(path.read_text())
    save_config(path, config)
    text = path.read_text()
    assert text.startswith(f"# mine\nversion = {VERSION}\n")
    assert "distraction_after_minutes = 7" in text and "distraction_minutes" not in text
    assert "grace_seconds = 20" in text
    assert parse_config(text)[1] == []


_LOADED = "import sys; print(sorted(m for m in sys.modules if m.startswith('tomlkit'))[:1])"


def test_reading_a_config_never_loads_tomlkit_but_explaining_a_syntax_error_does(tmp_path) -> None:
    import subprocess

    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(STARTER_CONFIG)
    bad.write_text("[nudge]\ngrace_seconds = = 3\n")
    script = ("import sys; from pathlib import Path; from focusguard.core.config import load_config;"
              "r = load_config(Path(sys.argv[1]), create=False); print(r.ok, [str(p) for p in r.problems]);"
              + _LOADED)
    ran = subprocess.run([sys.executable, "-c", script, str(good)], capture_output=True, text=True, check=True)
    assert ran.stdout.splitlines() == ["True []", "[]"]
    ran = subprocess.run([sys.executable, "-c", script, str(bad)], capture_output=True, text=True, check=True)
    ok, loaded = ran.stdout.splitlines()
    assert ok.startswith('False ["bad.toml:2:') and loaded == "['tomlkit']"

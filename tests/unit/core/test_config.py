"""config.toml: schema, messages, defaults, starter file, safe loading and writing."""

from __future__ import annotations

import datetime
import os
import re
import stat
import sys
from pathlib import Path

import pytest
import tomlkit

from focusguard.core.config import (
    OPTIONS,
    STARTER_CONFIG,
    Config,
    ConfigError,
    DaySettings,
    FocusBlock,
    NudgeSettings,
    PrivacySettings,
    Problem,
    SamplingSettings,
    config_path,
    default_config,
    load_config,
    parse_config,
    reference_markdown,
    storage,
    write_atomic,
)
from focusguard.core.config.edit import add_rule, update_config
from focusguard.core.model import Activity, Kind, Rule
from focusguard.core.rules import Classifier


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    return [str(p) for p in caught.value.problems]


# --------------------------------------------------------------------------- defaults


def test_empty_file_is_the_dataclass_defaults() -> None:
    assert parse_config("") == (Config(), [])


def test_defaults_are_the_documented_values() -> None:
    assert SamplingSettings() == SamplingSettings(2.0, 3.0)
    nudge = NudgeSettings()
    assert (nudge.distraction_after_minutes, nudge.off_priority_after_minutes) == (5.0, 15.0)
    assert (nudge.grace_seconds, nudge.snooze_minutes) == (30.0, 10.0)
    assert {"zoom*", "*teams*", "libreoffice*impress*"} <= set(nudge.hold_during_apps)
    assert DaySettings() == DaySettings(datetime.time(17, 30), "nudge")
    assert PrivacySettings() == PrivacySettings(
        True, ("keepassxc",), ("(?i)incognito|private browsing",), 365
    )
    assert Config().focus_blocks == () and Config().activities == ()


def test_the_commented_focus_block_example_is_valid() -> None:
    section = STARTER_CONFIG.split("# [[focus_block]]\n", 1)[1].split("\n\n", 1)[0]
    example = "[[focus_block]]\n" + "\n".join(re.findall(r"^# (\w+ = .*)$", section, re.M))
    block = FocusBlock(frozenset(range(5)), datetime.time(8), datetime.time(10), "Outreach calls", "Sales")
    assert parse_config('[[activity]]\nname = "Sales"\nkind = "productive"\n' + example)[0].focus_blocks == (block,)


def test_numbers_become_floats_and_keep_days_an_int() -> None:
    config, _ = parse_config("[sampling]\ninterval_seconds = 1\n[privacy]\nkeep_days = 30\n")
    assert isinstance(config.sampling.interval_seconds, float)
    assert config.privacy.keep_days == 30 and isinstance(config.privacy.keep_days, int)


def test_config_helpers() -> None:
    config = default_config()
    assert config.activity("VIDEO") is config.activities[config.activity_names.index("Video")]
    assert config.activity("  email ") is not None
    assert config.activity("nope") is None
    assert config.activity_names[:3] == ["Sales", "Email", "Chat"]
    assert parse_config("[sampling]\ninterval_seconds = 3\n")[0].max_gap == 6.0


# --------------------------------------------------------------------------- starter


def test_starter_config_is_the_default_config_and_parses_cleanly() -> None:
    config, warnings = parse_config(STARTER_CONFIG)
    assert warnings == []
    assert config == default_config()
    assert config.sampling == SamplingSettings() and config.privacy == PrivacySettings()


def test_starter_config_documents_every_setting() -> None:
    document = tomlkit.parse(STARTER_CONFIG)
    for option in OPTIONS:
        if not option.many:
            assert option.key in document[option.section], option.path
        first_line = option.description.split()[:4]
        assert " ".join(first_line) in STARTER_CONFIG.replace("\n# ", " "), option.path
    assert "# [[focus_block]]" in STARTER_CONFIG


def test_starter_kinds() -> None:
    config = default_config()
    productive = {a.name for a in config.activities if a.kind is Kind.PRODUCTIVE}
    distraction = {a.name for a in config.activities if a.kind is Kind.DISTRACTION}
    assert {"Email", "Chat", "Docs", "Code", "Terminal", "Sales"} <= productive
    assert {"Video", "Social media", "News", "Shopping"} <= distraction


@pytest.mark.parametrize(
    ("app", "title", "expected"),
    [
        ("firefox", "YouTube - Mozilla Firefox", "Video"),
        ("firefox", "Funny cats - YouTube — Mozilla Firefox", "Video"),
        ("chrome", "Netflix - Google Chrome", "Video"),
        ("code", "main.py - focusguard - Visual Studio Code", "Code"),
        ("Code.exe", "main.py - Visual Studio Code", "Code"),
        ("pycharm64.exe", "project", "Code"),
        ("firefox", "Pull requests · owner/repo · GitHub — Mozilla Firefox", "Code"),
        ("gnome-terminal-server", "main.py (~/src) - NVIM", "Code"),
        ("gnome-terminal-server", "me@host: ~/src", "Terminal"),
        ("WindowsTerminal.exe", "PowerShell", "Terminal"),
        ("kitty", "zsh", "Terminal"),
        ("thunderbird", "Inbox - Mozilla Thunderbird", "Email"),
        ("firefox", "Inbox (3) - me@gmail.com - Gmail — Mozilla Firefox", "Email"),
        ("slack", "general - Acme - Slack", "Chat"),
        ("ms-teams", "Chat | Microsoft Teams", "Chat"),
        ("soffice.bin", "report.odt - LibreOffice Writer", "Docs"),
        ("firefox", "Budget 2025 - Google Sheets — Mozilla Firefox", "Docs"),
        ("firefox", "Contacts | HubSpot — Mozilla Firefox", "Sales"),
        ("chrome", "Sales Navigator | LinkedIn Sales - Google Chrome", "Sales"),
        ("firefox", "Home / X — Mozilla Firefox", "Social media"),
        ("firefox", "r/python - Reddit — Mozilla Firefox", "Social media"),
        ("discord", "#general", "Social media"),
        ("firefox", "Hacker News — Mozilla Firefox", "News"),
        ("firefox", "Amazon.com: laptop stand — Mozilla Firefox", "Shopping"),
        ("firefox", "Handmade mugs | Etsy — Mozilla Firefox", "Shopping"),
        ("nautilus", "Downloads", "System"),
        ("firefox", "Python documentation — Mozilla Firefox", None),
        ("gimp", "untitled.xcf", None),
    ],
)
def test_starter_activities_classify_typical_windows(app: str, title: str, expected: str | None) -> None:
    activity = Classifier(default_config().activities).match(app, title)
    assert (activity.name if activity else None) == expected


# --------------------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a = 1\nb = x\n", "config.toml:2:5: Unexpected character: 'x'"),
        ('[day]\nend = "17:30\n', "config.toml:2:"),
        ('x = "\\q"\n', "config.toml:1:7: Invalid character 'q' in string"),
        ("[sampling]\ninterval_seconds = 2\n[sampling]\n", 'config.toml:3:1: Key "sampling" already exists.'),
        ('[privacy]\nexclude_apps = ["a",\n', "config.toml:2:"),
    ],
)
def test_syntax_errors_report_line_and_column(text: str, expected: str) -> None:
    problems = errors_of(text)
    assert len(problems) == 1
    assert problems[0].startswith(expected)
    assert " at line " not in problems[0]


def test_syntax_error_at_end_of_file_says_so() -> None:
    (problem,) = errors_of('[privacy]\nexclude_apps = ["a",\n')
    assert "end of file" in problem and "\\x00" not in problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[a]\nb = 1\n[a.b]\n", 'my.toml: Key "b" already exists.'),
        (
            "[sampling]\ninterval_seconds = 2\ninterval_seconds = 3\n",
            'my.toml: Key "interval_seconds" already exists.',
        ),
    ],
)
def test_syntax_error_without_position_still_names_the_file(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, source="my.toml")
    (problem,) = caught.value.problems
    assert problem.line is None and str(problem) == expected


def test_problem_str_formats() -> None:
    assert str(Problem("activity[2].rules[0].title", "unbalanced parenthesis at position 7")) == (
        "activity[2].rules[0].title: unbalanced parenthesis at position 7"
    )
    assert str(Problem("config.toml", "oops", line=3, column=9)) == "config.toml:3:9: oops"


# --------------------------------------------------------------------------- bad values

RULES_HEAD = '[[activity]]\nname = "A"\nkind = "productive"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sampling
        (
            "[sampling]\ninterval_seconds = 0.1",
            "sampling.interval_seconds: must be a number from 0.2 to 60, got 0.1",
        ),
        (
            "[sampling]\ninterval_seconds = 61",
            "sampling.interval_seconds: must be a number from 0.2 to 60, got 61",
        ),
        ('[sampling]\ninterval_seconds = "2"', 'sampling.interval_seconds: must be a number, got string "2"'),
        (
            "[sampling]\ninterval_seconds = true",
            "sampling.interval_seconds: must be a number, got boolean true",
        ),
        (
            "[sampling]\nidle_after_minutes = 0",
            "sampling.idle_after_minutes: must be a number from 0.5 to 1440, got 0",
        ),
        (
            "[sampling]\nidle_after_minutes = -1.5",
            "sampling.idle_after_minutes: must be a number from 0.5 to 1440, got -1.5",
        ),
        # issue 11: nan, inf and huge numbers are TOML floats too; none may pass
        ("[sampling]\ninterval_seconds = nan", "sampling.interval_seconds: must be a number from 0.2 to 60, got nan"),
        ("[sampling]\ninterval_seconds = -nan", "sampling.interval_seconds: must be a number from 0.2 to 60, got nan"),
        ("[sampling]\ninterval_seconds = inf", "sampling.interval_seconds: must be a number from 0.2 to 60, got inf"),
        ("[sampling]\nidle_after_minutes = 1e308",
         "sampling.idle_after_minutes: must be a number from 0.5 to 1440, got 1e+308"),
        ("[sampling]\nidle_after_minutes = -inf",
         "sampling.idle_after_minutes: must be a number from 0.5 to 1440, got -inf"),
        # nudge
        (
            "[nudge]\ndistraction_after_minutes = 0",
            "nudge.distraction_after_minutes: must be a number from 0.1 to 1440, got 0",
        ),
        (
            "[nudge]\ndistraction_after_minutes = nan",
            "nudge.distraction_after_minutes: must be a number from 0.1 to 1440, got nan",
        ),
        (
            "[nudge]\noff_priority_after_minutes = -5",
            "nudge.off_priority_after_minutes: must be a number from 0.1 to 1440, got -5",
        ),
        (
            "[nudge]\noff_priority_after_minutes = 1441",
            "nudge.off_priority_after_minutes: must be a number from 0.1 to 1440, got 1441",
        ),
        ("[nudge]\ngrace_seconds = -1", "nudge.grace_seconds: must be a number from 1 to 3600, got -1"),
        ("[nudge]\ngrace_seconds = 0", "nudge.grace_seconds: must be a number from 1 to 3600, got 0"),
        ("[nudge]\ngrace_seconds = inf", "nudge.grace_seconds: must be a number from 1 to 3600, got inf"),
        ("[nudge]\nsnooze_minutes = 0", "nudge.snooze_minutes: must be a number from 0.5 to 1440, got 0"),
        ("[nudge]\nsnooze_minutes = nan", "nudge.snooze_minutes: must be a number from 0.5 to 1440, got nan"),
        ('[nudge]\nhold_during_apps = "zoom"', 'nudge.hold_during_apps: must be an array, got string "zoom"'),
        (
            '[nudge]\nhold_during_apps = ["zoom", 3]',
            "nudge.hold_during_apps[1]: must be a non-empty glob string, got integer 3",
        ),
        (
            '[nudge]\nhold_during_apps = [""]',
            'nudge.hold_during_apps[0]: must be a non-empty glob string, got string ""',
        ),
        # day
        ('[day]\nend = "25:00"', 'day.end: must be a time "HH:MM" (24-hour), got string "25:00"'),
        ('[day]\nend = "17:60"', 'day.end: must be a time "HH:MM" (24-hour), got string "17:60"'),
        ('[day]\nend = "5pm"', 'day.end: must be a time "HH:MM" (24-hour), got string "5pm"'),
        ("[day]\nend = 1730", 'day.end: must be a time "HH:MM" (24-hour), got integer 1730'),
        (
            '[day]\noutside_focus_blocks = "nag"',
            'day.outside_focus_blocks: must be one of "nudge", "track", got string "nag"',
        ),
        # focus blocks
        (
            '[[focus_block]]\nstart = "10:00"\nend = "09:00"',
            "focus_block[0].end: must be after start (10:00)",
        ),
        (
            '[[focus_block]]\nstart = "10:00"\nend = "10:00"',
            "focus_block[0].end: must be after start (10:00)",
        ),
        ('[[focus_block]]\nend = "10:00"', "focus_block[0].start: required key is missing"),
        (
            '[[focus_block]]\ndays = []\nstart = "08:00"\nend = "10:00"',
            "focus_block[0].days: must list at least one day",
        ),
        (
            '[[focus_block]]\ndays = ["mon", "tues"]\nstart = "08:00"\nend = "10:00"',
            "focus_block[0].days[1]: must be a day name (mon, tue, wed, thu, fri, sat, sun), "
            'got string "tues"',
        ),
        ("focus_block = 3", "focus_block: must be an array of tables ([[focus_block]]), got integer 3"),
        ("focus_block = [1]", "focus_block[0]: must be a table, got integer 1"),
        # privacy
        ("[privacy]\nrecord_titles = 1", "privacy.record_titles: must be true or false, got integer 1"),
        (
            '[privacy]\nexclude_titles = ["ok", "(unclosed"]',
            "privacy.exclude_titles[1]: missing ), unterminated subpattern at position 0",
        ),
        ("[privacy]\nkeep_days = 0", "privacy.keep_days: must be a whole number from 1 to 36500, got 0"),
        (
            "[privacy]\nkeep_days = 9223372036854775807",
            "privacy.keep_days: must be a whole number from 1 to 36500, got 9223372036854775807",
        ),
        ("[privacy]\nkeep_days = nan", "privacy.keep_days: must be a whole number, got float nan"),
        ("[privacy]\nkeep_days = 30.5", "privacy.keep_days: must be a whole number, got float 30.5"),
        # activities
        ('[[activity]]\nkind = "productive"', "activity[0].name: required key is missing"),
        (
            '[[activity]]\nname = "  "\nkind = "productive"',
            'activity[0].name: must be a non-empty string, got string "  "',
        ),
        ('[[activity]]\nname = "A"', "activity[0].kind: required key is missing"),
        (
            '[[activity]]\nname = "A"\nkind = "fun"',
            'activity[0].kind: must be one of "productive", "distraction", "neutral", got string "fun"',
        ),
        (
            '[[activity]]\nname = "Sales"\nkind = "productive"\n'
            '[[activity]]\nname = "SALES "\nkind = "neutral"',
            'activity[1].name: duplicates activity[0].name "Sales" (names ignore case)',
        ),
        (RULES_HEAD + 'rules = { app = "x" }', "activity[0].rules: must be an array, got table"),
        (
            RULES_HEAD + 'rules = ["x"]',
            'activity[0].rules[0]: must be a table like { app = "..." }, got string "x"',
        ),
        (RULES_HEAD + "rules = [{}]", "activity[0].rules[0]: a rule needs at least one of app, title, exe, any"),
        (
            RULES_HEAD + 'rules = [{ app = "x", url = "y" }]',
            "activity[0].rules[0].url: unknown key; a rule takes app, title, exe, any, case_sensitive",
        ),
        (
            RULES_HEAD + "rules = [{ app = 5 }]",
            "activity[0].rules[0].app: must be a non-empty glob string, got integer 5",
        ),
        (
            RULES_HEAD + 'rules = [{ exe = "" }]',
            'activity[0].rules[0].exe: must be a non-empty glob string, got string ""',
        ),
        (
            RULES_HEAD + 'rules = [{ title = "" }]',
            'activity[0].rules[0].title: must be a non-empty regex string, got string ""',
        ),
        (
            RULES_HEAD + 'rules = [{ app = "a" }, { title = "Hub(Spot" }]',
            "activity[0].rules[1].title: missing ), unterminated subpattern at position 3",
        ),
        (
            RULES_HEAD + 'rules = [{ title = "HubSpot)" }]',
            "activity[0].rules[0].title: unbalanced parenthesis at position 7",
        ),
        (
            RULES_HEAD + 'rules = [{ title = "*x" }]',
            "activity[0].rules[0].title: nothing to repeat at position 0",
        ),
        (
            RULES_HEAD + 'rules = [{ title = "x(?i)" }]',
            "activity[0].rules[0].title: global flags not at the start of the expression at position 1",
        ),
        ("activity = 1", "activity: must be an array of tables ([[activity]]), got integer 1"),
        ("sampling = 2", "sampling: must be a table, got integer 2"),
    ],
)
def test_bad_values_are_named_by_key_path(text: str, expected: str) -> None:
    assert expected in errors_of(text)


def test_activity_index_counts_from_zero_in_file_order() -> None:
    text = (
        '[[activity]]\nname = "A"\nkind = "productive"\n'
        '[[activity]]\nname = "B"\nkind = "productive"\n'
        '[[activity]]\nname = "C"\nkind = "productive"\n'
        'rules = [{ app = "x" }, { title = "abc(de" }]\n'
    )
    assert errors_of(text) == ["activity[2].rules[1].title: missing ), unterminated subpattern at position 3"]


def test_every_error_is_collected_before_raising() -> None:
    text = """
[sampling]
interval_seconds = 0
[day]
end = "noon"
[privacy]
recrd_titles = false
keep_days = 0
[[activity]]
name = "A"
kind = "x"
rules = [{ title = "(" }, {}]
[[activity]]
name = "a"
kind = "neutral"
"""
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    paths = [(p.path, p.severity) for p in caught.value.problems]
    assert paths == [
        ("sampling.interval_seconds", "error"),
        ("day.end", "error"),
        ("privacy.recrd_titles", "warning"),
        ("privacy.keep_days", "error"),
        ("activity[0].kind", "error"),
        ("activity[0].rules[0].title", "error"),
        ("activity[0].rules[1]", "error"),
        ("activity[1].name", "error"),
    ]
    assert (
        str(caught.value).splitlines()[0]
        == "sampling.interval_seconds: must be a number from 0.2 to 60, got 0"
    )


# --------------------------------------------------------------------------- unknown keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[privacy]\nrecrd_titles = false", "privacy.recrd_titles: unknown key (ignored)"),
        ("colour = 'blue'", "colour: unknown key (ignored)"),
        ("[plugins]\nx = 1", "plugins: unknown key (ignored)"),
        (
            '[[focus_block]]\nstart = "08:00"\nend = "09:00"\nlabel = "deep"',
            "focus_block[0].label: unknown key (ignored)",
        ),
        (
            '[[activity]]\nname = "A"\nkind = "neutral"\ncolor = "red"',
            "activity[0].color: unknown key (ignored)",
        ),
    ],
)
def test_unknown_keys_are_warnings(text: str, expected: str) -> None:
    config, warnings = parse_config(text)
    assert [str(w) for w in warnings] == [expected]
    assert warnings[0].severity == "warning"
    assert config.privacy.record_titles is True


def test_wrong_type_names_tables_and_arrays_without_dumping_them() -> None:
    assert errors_of("[day]\nend = [1, 2]") == ['day.end: must be a time "HH:MM" (24-hour), got array']


# --------------------------------------------------------------------------- good values


def test_full_example_parses_to_values() -> None:
    text = """
[sampling]
interval_seconds = 0.5
idle_after_minutes = 1
[nudge]
hold_during_apps = ["zoom*"]
grace_seconds = 1
[day]
end = 18:05:00
outside_focus_blocks = "track"
[[focus_block]]
days = ["Mon", "wed"]
start = "8:00"
end = "10:30"
[[focus_block]]
start = "13:00"
end = "15:00"
[privacy]
record_titles = false
exclude_apps = []
exclude_titles = ['\\bbank\\b']
keep_days = 1
[[activity]]
name = " Sales "
kind = "productive"
rules = [
    { title = "HubSpot|LinkedIn Sales" }, { app = "thunderbird" },
    { app = "x", title = "y", exe = "/opt/*" },
]
[[activity]]
name = "Empty"
kind = "neutral"
"""
    config, warnings = parse_config(text)
    assert warnings == []
    assert config.sampling == SamplingSettings(0.5, 1.0)
    assert config.nudge.hold_during_apps == ("zoom*",) and config.nudge.grace_seconds == 1.0
    assert config.day == DaySettings(datetime.time(18, 5), "track")
    assert config.focus_blocks == (
        FocusBlock(frozenset({0, 2}), datetime.time(8, 0), datetime.time(10, 30)),
        FocusBlock(frozenset({0, 1, 2, 3, 4}), datetime.time(13, 0), datetime.time(15, 0)),
    )
    assert config.privacy == PrivacySettings(False, (), (r"\bbank\b",), 1)
    assert config.activities == (
        Activity(
            "Sales",
            Kind.PRODUCTIVE,
            (Rule(title="HubSpot|LinkedIn Sales"), Rule(app="thunderbird"), Rule("x", "y", "/opt/*")),
        ),
        Activity("Empty", Kind.NEUTRAL, ()),
    )


def test_rules_may_be_written_as_tables_of_arrays() -> None:
    text = '[[activity]]\nname = "A"\nkind = "neutral"\n[[activity.rules]]\napp = "x"\n'
    assert parse_config(text)[0].activities[0].rules == (Rule(app="x"),)


# --------------------------------------------------------------------------- reference


def test_reference_markdown_lists_every_option() -> None:
    markdown = reference_markdown()
    for option in OPTIONS:
        assert f"| `{option.key}` |" in markdown, option.path
    for header in ("[sampling]", "[nudge]", "[day]", "[[focus_block]]", "[privacy]", "[[activity]]"):
        assert f"### `{header}`" in markdown
    assert '"nudge" \\| "track"' in markdown  # pipes in cells are escaped
    assert "*required*" in markdown


# --------------------------------------------------------------------------- files


@pytest.mark.skipif(sys.platform != "linux", reason="XDG is the Linux convention")
def test_config_path_honours_xdg_config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_path() == tmp_path / "focusguard" / "config.toml"


def test_first_run_writes_the_starter_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "config.toml"
    result = load_config(path)
    assert result.ok and result.problems == [] and result.path == path
    assert path.read_text(encoding="utf-8") == STARTER_CONFIG
    assert result.config == default_config()
    assert list(path.parent.iterdir()) == [path]  # no temp file left behind


def test_load_config_defaults_to_the_platform_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(storage, "config_path", lambda: tmp_path / "c.toml")
    assert load_config().path == tmp_path / "c.toml"
    assert (tmp_path / "c.toml").exists()


def test_missing_file_without_create_writes_nothing(tmp_path: Path) -> None:
    result = load_config(tmp_path / "config.toml", create=False)
    assert result.ok and result.config == default_config()
    assert list(tmp_path.iterdir()) == []


def test_load_config_returns_warnings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[privacy]\nrecrd_titles = false\n")
    result = load_config(path)
    assert result.ok and [str(p) for p in result.problems] == ["privacy.recrd_titles: unknown key (ignored)"]


@pytest.mark.parametrize(
    "broken",
    [
        b"[sampling]\ninterval_seconds = = 2\n# my comment\n",
        b"[sampling]\ninterval_seconds = 0\n# my comment\n",
        b"\xff\xfe not utf-8",
    ],
)
@pytest.mark.parametrize("has_last_good", [True, False])
def test_a_broken_file_is_reported_and_never_touched(
    tmp_path: Path, broken: bytes, has_last_good: bool
) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(broken)
    os.utime(path, (1_000_000, 1_000_000))
    last_good = parse_config("[sampling]\ninterval_seconds = 5\n")[0] if has_last_good else None
    result = load_config(path, last_good=last_good)
    assert not result.ok and result.problems
    assert result.config == (last_good or default_config())
    assert path.read_bytes() == broken
    assert path.stat().st_mtime == 1_000_000
    assert list(tmp_path.iterdir()) == [path]


def test_syntax_error_from_load_config_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("a = 1\nb = x\n")
    assert [str(p) for p in load_config(path).problems] == ["config.toml:2:5: Unexpected character: 'x'"]


def test_unreadable_config_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    result = load_config(path)
    assert not result.ok and result.problems[0].message.startswith("cannot read")


def test_write_atomic_creates_private_file_and_keeps_existing_mode(tmp_path: Path) -> None:
    path = tmp_path / "a" / "config.toml"
    write_atomic(path, "x = 1\n")
    assert path.read_text() == "x = 1\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 or os.name != "posix"
    path.chmod(0o644)
    write_atomic(path, "x = 2\n")
    assert path.read_text() == "x = 2\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644 or os.name != "posix"


def test_write_atomic_failure_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text("old\n")

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [path]


USER_FILE = """\
# My FocusGuard settings. Do not lose this comment.
[sampling]
interval_seconds = 2  # tuned by hand
future_option = "kept"

[[activity]]
name = "Sales"  # the money
kind = "productive"
rules = [
    { title = "HubSpot" },  # CRM
]

[[activity]]
name = "Video"
kind = "distraction"
"""


def test_update_config_keeps_comments_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE)

    def set_interval(document: tomlkit.TOMLDocument) -> None:
        document["sampling"]["interval_seconds"] = 5  # type: ignore[index]

    config = update_config(path, set_interval)
    assert config.sampling.interval_seconds == 5.0
    text = path.read_text()
    assert text == USER_FILE.replace("interval_seconds = 2", "interval_seconds = 5")
    assert list(tmp_path.iterdir()) == [path]


def test_update_config_refuses_an_invalid_result(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE)

    def break_it(document: tomlkit.TOMLDocument) -> None:
        document["sampling"]["interval_seconds"] = 0  # type: ignore[index]

    with pytest.raises(ConfigError, match=r"sampling\.interval_seconds: must be a number"):
        update_config(path, break_it)
    assert path.read_text() == USER_FILE


def test_update_config_refuses_a_file_it_cannot_parse(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[sampling\n")
    called = []
    with pytest.raises(ConfigError, match=r"config\.toml:1:"):
        update_config(path, called.append)
    assert called == [] and path.read_text() == "[sampling\n"


def test_update_config_may_fix_an_invalid_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[sampling]\ninterval_seconds = 0  # oops\n")

    def fix(document: tomlkit.TOMLDocument) -> None:
        document["sampling"]["interval_seconds"] = 1  # type: ignore[index]

    assert update_config(path, fix).sampling.interval_seconds == 1.0
    assert path.read_text() == "[sampling]\ninterval_seconds = 1  # oops\n"


def test_update_config_on_a_missing_file_starts_from_the_starter(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"

    def track(document: tomlkit.TOMLDocument) -> None:
        document["day"]["outside_focus_blocks"] = "track"  # type: ignore[index]

    assert update_config(path, track).day.outside_focus_blocks == "track"
    assert path.read_text() == STARTER_CONFIG.replace(
        'outside_focus_blocks = "nudge"', 'outside_focus_blocks = "track"'
    )


def test_add_rule_appends_an_inline_table_keeping_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE)
    config = add_rule(path, "sales", Rule(app="pipedrive*", title=r"Deals\b"))
    assert config.activity("Sales").rules == (Rule(title="HubSpot"), Rule(app="pipedrive*", title=r"Deals\b"))  # type: ignore[union-attr]
    text = path.read_text()
    assert text.startswith("# My FocusGuard settings. Do not lose this comment.\n")
    assert '{ title = "HubSpot" },  # CRM\n' in text
    assert 'future_option = "kept"' in text and 'name = "Sales"  # the money' in text
    assert parse_config(text)[0] == config


def test_add_rule_creates_the_rules_array(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE)
    config = add_rule(path, "Video", Rule(exe="*/mpv"))
    assert config.activity("Video").rules == (Rule(exe="*/mpv"),)  # type: ignore[union-attr]
    assert parse_config(path.read_text())[0] == config


def test_add_rule_unknown_activity_lists_known_names(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE)
    with pytest.raises(ConfigError) as caught:
        add_rule(path, "Gaming", Rule(app="steam"))
    assert str(caught.value) == 'activity: no activity named "Gaming"; known: Sales, Video'
    assert path.read_text() == USER_FILE


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (Rule(), "activity[0].rules[1]: a rule needs at least one of app, title, exe, any"),
        (Rule(title="a(b"), "activity[0].rules[1].title: missing ), unterminated subpattern at position 1"),
    ],
)
def test_add_rule_refuses_a_bad_rule(tmp_path: Path, rule: Rule, expected: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE)
    with pytest.raises(ConfigError) as caught:
        add_rule(path, "Sales", rule)
    assert expected in [str(p) for p in caught.value.problems]
    assert path.read_text() == USER_FILE


def test_add_rule_refuses_rules_that_are_not_an_array(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[[activity]]\nname = "A"\nkind = "neutral"\nrules = "oops"\n')
    with pytest.raises(ConfigError, match=r"activity\[0\]\.rules: must be an array"):
        add_rule(path, "A", Rule(app="x"))

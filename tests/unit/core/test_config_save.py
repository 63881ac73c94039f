"""Writing a whole edited Config back into the user's file, and the any/case_sensitive rule keys."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import replace
from pathlib import Path

import pytest
import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core.config import (
    STARTER_CONFIG,
    Config,
    ConfigError,
    FocusBlock,
    check_pattern,
    compile_rule_regex,
    default_config,
    parse_activities,
    parse_config,
    reference_markdown,
)
from focusguard.core.config.edit import config_into_document, rule_item, save_config
from focusguard.core.model import Activity, Kind, Rule

USER_FILE = """\
# My FocusGuard settings -- hand-written.

[sampling]
interval_seconds = 2  # two is plenty
my_own_note = "keep me"   # an unknown key

[nudge]
# I get distracted fast.
distraction_after_minutes = 3
hold_during_apps = ["zoom*", "*teams*"]

[[activity]]
name = "Sales"  # the one that pays
kind = "productive"
rules = [
    { title = "HubSpot|Salesforce" },
    # Pipedrive in the desktop app too
    { app = "pipedrive*" },
]

# Code comes second on purpose.
[[activity]]
name = "Code"
kind = "productive"
rules = [{ app = "code*" }]

[[activity]]
name = "Video"
kind = "distraction"
rules = [{ title = 'YouTube|Netflix' }]
"""


def load(text: str = USER_FILE) -> tuple[tomlkit.TOMLDocument, Config]:
    return tomlkit.parse(text), parse_config(text)[0]


def written(config: Config, text: str = USER_FILE, **kwargs) -> str:
    document = tomlkit.parse(text)
    config_into_document(document, config, **kwargs)
    result = document.as_string()
    assert parse_config(result)[0] == config
    return result


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


# --------------------------------------------------------------------------- only what differs


@pytest.mark.parametrize("text", [USER_FILE, STARTER_CONFIG, ""])
def test_an_unchanged_config_leaves_the_file_byte_for_byte(text: str) -> None:
    _, config = load(text)
    assert written(config, text) == text


def test_a_changed_setting_keeps_its_comments_and_the_unknown_key() -> None:
    _, config = load()
    after = written(replace(config, sampling=replace(config.sampling, interval_seconds=2.5)))
    assert changed_lines(USER_FILE, after) == ["- interval_seconds = 2  # two is plenty",
                                               "+ interval_seconds = 2.5  # two is plenty"]
    assert 'my_own_note = "keep me"   # an unknown key' in after


def test_a_whole_number_is_written_as_an_integer_and_a_missing_section_is_added() -> None:
    _, config = load()
    after = written(replace(config, privacy=replace(config.privacy, keep_days=90, record_titles=False)))
    assert after.startswith(USER_FILE.rstrip("\n"))
    assert "[privacy]\nrecord_titles = false\nkeep_days = 90\n" in after


def test_a_default_value_the_file_leaves_out_stays_out() -> None:
    _, config = load()
    assert config.nudge.snooze_minutes == 10
    after = written(replace(config, nudge=replace(config.nudge, grace_seconds=45)))
    assert "snooze_minutes" not in after and "grace_seconds = 45" in after


def test_editing_a_list_keeps_the_comments_between_its_items() -> None:
    _, config = load()
    sales = config.activities[0]
    edited = replace(sales, rules=(*sales.rules, Rule(title=r"Close\.com")))
    after = written(replace(config, activities=(edited, *config.activities[1:])))
    assert changed_lines(USER_FILE, after) == ["+     { title = 'Close\\.com' },"]


def test_removing_a_rule_removes_only_that_rule() -> None:
    _, config = load()
    sales = config.activities[0]
    after = written(replace(config, activities=(replace(sales, rules=sales.rules[1:]), *config.activities[1:])))
    assert changed_lines(USER_FILE, after) == ['-     { title = "HubSpot|Salesforce" },']


def test_a_new_activity_is_appended_as_a_table_of_its_own() -> None:
    _, config = load()
    gaming = Activity("Gaming", Kind.DISTRACTION, (Rule(app="steam"), Rule(any="Minecraft", case_sensitive=True)))
    after = written(replace(config, activities=(*config.activities, gaming)))
    assert after.startswith(USER_FILE)
    assert after.endswith('\n[[activity]]\nname = "Gaming"\nkind = "distraction"\nrules = [\n    { app = "steam" },\n'
                          '    { any = "Minecraft", case_sensitive = true },\n]\n')


def test_reordering_moves_each_table_with_the_comment_above_it() -> None:
    _, config = load()
    sales, code, video = config.activities
    after = written(replace(config, activities=(sales, video, code)))
    assert after.index("# Code comes second on purpose.\n[[activity]]\nname = \"Code\"") > after.index('"Video"')
    assert "# Pipedrive in the desktop app too" in after and "# the one that pays" in after


def test_deleting_an_activity_keeps_the_comment_that_belongs_to_the_next() -> None:
    text = (USER_FILE.replace("# Code comes second on purpose.\n", "")
            + "\n# Fun stuff last.\n[[activity]]\nname = \"Fun\"\nkind = \"distraction\"\n")
    _, config = load(text)
    after = written(replace(config, activities=tuple(a for a in config.activities if a.name != "Video")), text)
    assert "YouTube" not in after
    assert "# Fun stuff last.\n[[activity]]\nname = \"Fun\"" in after


def test_a_renamed_activity_keeps_its_table_and_comments() -> None:
    _, config = load()
    selling = replace(config.activities[0], name="Selling")
    after = written(replace(config, activities=(selling, *config.activities[1:])), renamed={"Selling": "Sales"})
    assert changed_lines(USER_FILE, after) == ['- name = "Sales"  # the one that pays',
                                               '+ name = "Selling"  # the one that pays']


def test_focus_blocks_are_added_edited_and_removed() -> None:
    _, config = load()
    block = FocusBlock(frozenset({0, 2, 4}), datetime.time(8, 30), datetime.time(11))
    added = written(replace(config, focus_blocks=(block,)))
    assert '[[focus_block]]\ndays = ["mon", "wed", "fri"]\nstart = "08:30"\nend = "11:00"\n' in added
    _, with_block = load(added)
    moved = written(replace(with_block, focus_blocks=(replace(block, end=datetime.time(12)),)), added)
    assert changed_lines(added, moved) == ['- end = "11:00"', '+ end = "12:00"']
    without_block = added.split("\n[[focus_block]]")[0]
    assert written(replace(with_block, focus_blocks=()), added).rstrip("\n") == without_block.rstrip("\n")


# --------------------------------------------------------------------------- any config round-trips

patterns = st.sampled_from(["zoom*", "*teams*", "code", "a[bc]?"])
regexes = st.sampled_from(["HubSpot", r"Disney\+", "(?i)x|y", r"\d+ tabs", "it's"])
rules = st.builds(Rule, app=st.none() | patterns, title=st.none() | regexes, exe=st.none() | patterns,
                  any=st.none() | regexes, case_sensitive=st.booleans()).filter(
    lambda r: any((r.app, r.title, r.exe, r.any)) and (r.title or r.any or not r.case_sensitive))
activities = st.lists(
    st.builds(Activity, name=st.sampled_from(["Sales", "Code", "Video", "Fun", "Writing", "Chat"]),
              kind=st.sampled_from(list(Kind)), rules=st.lists(rules, max_size=4).map(tuple)),
    max_size=6, unique_by=lambda a: a.name,
).map(tuple)
minutes = st.sampled_from([0.5, 1, 2.5, 15, 90])
configs = st.builds(
    lambda acts, dist, grace, keep, titles, hold, blocks: replace(
        default_config(), activities=acts,
        nudge=replace(default_config().nudge, distraction_after_minutes=dist, grace_seconds=grace,
                      hold_during_apps=hold),
        privacy=replace(default_config().privacy, keep_days=keep, record_titles=titles),
        focus_blocks=blocks),
    activities, minutes, st.sampled_from([1, 2.5, 15, 90]), st.integers(1, 999), st.booleans(),
    st.lists(patterns, max_size=3).map(tuple),
    st.lists(st.builds(FocusBlock, st.frozensets(st.integers(0, 6), min_size=1),
                       st.just(datetime.time(8)), st.sampled_from([datetime.time(9), datetime.time(17, 45)])),
             max_size=2).map(tuple),
)


@settings(max_examples=120, deadline=None)
@given(configs, st.sampled_from([USER_FILE, STARTER_CONFIG]))
def test_any_edited_config_reads_back_as_written_and_keeps_unrelated_comments(config: Config, text: str) -> None:
    after = written(config, text)  # asserts parse(after) == config
    for comment in ("# My FocusGuard settings -- hand-written.", "# I get distracted fast.",
                    "# FocusGuard configuration (version 1)."):
        assert (comment in after) == (comment in text)


# --------------------------------------------------------------------------- save_config


def test_save_config_writes_atomically_and_returns_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE)
    _, config = load()
    new = replace(config, nudge=replace(config.nudge, distraction_after_minutes=4))
    assert save_config(path, new) == new
    assert "distraction_after_minutes = 4\n" in path.read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


@pytest.mark.parametrize(
    ("activity", "message"),
    [
        (Activity("Sales", Kind.PRODUCTIVE, (Rule(title="Hub(Spot"),)),
         "activity[0].rules[0].title: missing ), unterminated subpattern at position 3"),
        (Activity("Sales", Kind.PRODUCTIVE, (Rule(any="a[b"),)),
         "activity[0].rules[0].any: unterminated character set at position 1"),
        (Activity("Code", Kind.PRODUCTIVE, ()),
         'activity[1].name: duplicates activity[0].name "Code" (names ignore case)'),
    ],
)
def test_save_config_refuses_an_invalid_config_and_writes_nothing(tmp_path: Path, activity: Activity,
                                                                  message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE)
    _, config = load()
    bad = replace(config, activities=(activity, *config.activities[1:]))
    with pytest.raises(ConfigError) as caught:
        save_config(path, bad)
    assert message in [str(p) for p in caught.value.problems]
    assert path.read_text() == USER_FILE


def test_save_config_never_overwrites_a_file_it_cannot_parse(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[nudge\n")
    with pytest.raises(ConfigError):
        save_config(path, default_config())
    assert path.read_text() == "[nudge\n"


# --------------------------------------------------------------------------- the any and case_sensitive keys

HEAD = '[[activity]]\nname = "A"\nkind = "productive"\n'


def test_any_and_case_sensitive_parse() -> None:
    config, _ = parse_config(HEAD + 'rules = [{ any = "Zotero", case_sensitive = true }, { app = "x", title = "y" }]')
    assert config.activities[0].rules == (Rule(any="Zotero", case_sensitive=True), Rule(app="x", title="y"))


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ('[{ any = "a(b" }]', "activity[0].rules[0].any: missing ), unterminated subpattern at position 1"),
        ('[{ title = "x", case_sensitive = "yes" }]',
         'activity[0].rules[0].case_sensitive: must be true or false, got string "yes"'),
        ('[{ app = "x", case_sensitive = true }]',
         "activity[0].rules[0].case_sensitive: applies to the title and any regexes; this rule has neither"),
        ('[{ case_sensitive = false }]', "activity[0].rules[0]: a rule needs at least one of app, title, exe, any"),
    ],
)
def test_rule_key_problems(rules: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(HEAD + f"rules = {rules}")
    assert message in [str(p) for p in caught.value.problems]


def test_case_sensitive_regexes_respect_case() -> None:
    assert compile_rule_regex("Zoom").search("zoom meeting")
    assert not compile_rule_regex("Zoom", case_sensitive=True).search("zoom meeting")


def test_check_pattern_words_problems_as_the_file_check_does() -> None:
    (problem,) = check_pattern("regex", "a(b", "activity[0].rules[0].title")
    with pytest.raises(ConfigError) as caught:
        parse_config(HEAD + 'rules = [{ title = "a(b" }]')
    assert str(problem) in [str(p) for p in caught.value.problems]
    assert check_pattern("glob", "code*", "x") == []


def test_parse_activities_checks_tables_from_elsewhere() -> None:
    assert parse_activities([{"name": "A", "kind": "neutral", "rules": [{"any": "x"}]}]) == (
        Activity("A", Kind.NEUTRAL, (Rule(any="x"),)),)
    with pytest.raises(ConfigError) as caught:
        parse_activities([{"name": "A", "kind": "neutral"}, {"name": "a", "kind": "neutral"}])
    assert [str(p) for p in caught.value.problems] == [
        'activity[1].name: duplicates activity[0].name "A" (names ignore case)']


def test_rule_item_writes_literal_strings_for_backslashes() -> None:
    assert rule_item(Rule(title=r"\d+ tabs", any="it's\\s")).as_string() == (
        "{ title = '\\d+ tabs', any = \"it's\\\\s\" }")


def test_the_reference_documents_the_new_keys() -> None:
    reference = reference_markdown()
    assert "any: case-insensitive regex searched in the app name and in the title" in reference
    assert "case_sensitive = true" in reference

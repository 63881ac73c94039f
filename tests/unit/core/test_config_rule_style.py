"""A rule FocusGuard adds (It's part of..., What is this?) is written the way the file
already writes its rules: spacing inside the braces, one per line or inline, indent,
trailing commas, and every comment kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from focusguard.core.config import parse_config
from focusguard.core.config.edit import RuleStyle, add_rule, rule_item
from focusguard.core.model import Kind, Rule

HEAD = '[[activity]]\nname = "Sales"\nkind = "productive"\n'
XTERM = Rule(app="xterm")


def added(tmp_path: Path, text: str, activity: str = "Sales", rule: Rule = XTERM,
          create: Kind | None = None) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text)
    config = add_rule(path, activity, rule, create=create)
    new = path.read_text()
    assert parse_config(new)[0] == config
    assert rule in config.activity(activity).rules  # type: ignore[union-attr]
    return new


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        pytest.param(  # the file: spaced braces, one a line, trailing commas
            'rules = [\n    { app = "hubspot*" },\n]\n',
            'rules = [\n    { app = "hubspot*" },\n    { app = "xterm" },\n]\n', id="starter"),
        pytest.param(
            'rules = [\n  {app = "hubspot*"},\n  {title = "x"}\n]\n',
            'rules = [\n  {app = "hubspot*"},\n  {title = "x"},\n  {app = "xterm"}\n]\n', id="tight-no-trailing"),
        pytest.param(
            'rules = [{app="hubspot*"}, {title="x"}]\n',
            'rules = [{app="hubspot*"}, {title="x"}, {app="xterm"}]\n', id="inline-tight"),
        pytest.param(
            'rules = [ { app = "hubspot*" } ]\n',
            'rules = [ { app = "hubspot*" }, { app = "xterm" } ]\n', id="inline-spaced"),
        pytest.param(
            'rules = [\n\t{ app = "hubspot*" },\n\t# the CRM\'s mail\n\t{ title = "Pipedrive" },  # deals\n'
            '\t# more to come\n]  # end\n',
            'rules = [\n\t{ app = "hubspot*" },\n\t# the CRM\'s mail\n\t{ title = "Pipedrive" },  # deals\n'
            '\t# more to come\n\t{ app = "xterm" },\n]  # end\n', id="tabs-comments-trailing"),
    ],
)
def test_an_added_rule_matches_its_neighbours(tmp_path: Path, rules: str, expected: str) -> None:
    text = "# mine\n" + HEAD + rules
    assert added(tmp_path, text) == "# mine\n" + HEAD + expected


def test_a_first_rule_follows_the_other_activities(tmp_path: Path) -> None:
    other = '\n[[activity]]\nname = "Video"\nkind = "distraction"\nrules = [\n  {app="mpv"}\n]\n'
    new = added(tmp_path, HEAD + other)
    assert new.startswith(HEAD + 'rules = [\n  {app="xterm"}\n]\n')


def test_a_first_rule_gets_the_starter_indent_when_no_rule_starts_a_line(tmp_path: Path) -> None:
    # Multi-line only for the comment: no indent to copy, so the starter file's four spaces.
    other = '\n[[activity]]\nname = "Video"\nkind = "distraction"\nrules = [{app = "mpv"}  # player\n]\n'
    new = added(tmp_path, HEAD + other)
    assert new == HEAD + 'rules = [\n    {app = "xterm"}\n]\n' + other


def test_an_empty_array_takes_the_files_style(tmp_path: Path) -> None:
    other = '\n[[activity]]\nname = "Video"\nkind = "distraction"\nrules = [{ app = "mpv" }]\n'
    new = added(tmp_path, HEAD + "rules = []\n" + other)
    assert new.startswith(HEAD + 'rules = [{ app = "xterm" }]\n')


def test_a_file_without_rules_gets_the_starter_files_style(tmp_path: Path) -> None:
    assert added(tmp_path, HEAD) == HEAD + 'rules = [\n    { app = "xterm" },\n]\n'


def test_a_new_activity_is_written_like_the_others(tmp_path: Path) -> None:
    text = HEAD + 'rules = [\n  {app="hubspot*"},  # CRM\n]\n'
    new = added(tmp_path, text, "Code", create=Kind.PRODUCTIVE)
    assert new.startswith(text)  # the comment and layout above are untouched
    assert new[len(text):].strip() == (
        '[[activity]]\nname = "Code"\nkind = "productive"\nrules = [\n  {app="xterm"},\n]')


def test_creating_an_activity_that_exists_adds_to_it(tmp_path: Path) -> None:
    new = added(tmp_path, HEAD, "sales", create=Kind.DISTRACTION)
    assert new.count("[[activity]]") == 1 and 'kind = "productive"' in new


def test_several_fields_and_regexes_keep_the_files_spacing() -> None:
    style = RuleStyle(pad="", equals="=")
    assert rule_item(Rule(app="x", title=r"a\d"), style).as_string() == "{app=\"x\", title='a\\d'}"


def test_a_new_activity_keeps_the_blank_line_before_the_next_section(tmp_path: Path) -> None:
    text = HEAD + 'rules = [\n    { app = "hubspot*" },  # crm\n]\n\n[nudge]\nsnooze_minutes = 5\n'
    new = added(tmp_path, text, "Code", create=Kind.PRODUCTIVE)
    assert new == (HEAD + 'rules = [\n    { app = "hubspot*" },  # crm\n]\n\n'
                   '[[activity]]\nname = "Code"\nkind = "productive"\nrules = [\n    { app = "xterm" },\n]\n\n'
                   '[nudge]\nsnooze_minutes = 5\n')

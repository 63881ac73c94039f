"""ActivityWatch categories -> activities: structure, meaning, and clear errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core.aw_categories import AwCategoriesError, AwCategory, convert, load, parse_categories, to_activities
from focusguard.core.config import parse_activities, rule_table
from focusguard.core.model import Kind, Rule
from focusguard.core.rules import Classifier

# What the web UI's "Export categories" writes (ids, colours, nested names, a parent
# without a rule, an "Uncategorized" entry, scores on some categories only).
AW_EXPORT = {
    "id": "default",
    "categories": [
        {"id": 0, "name": ["Work"], "rule": {"type": "regex", "regex": "Google Docs|libreoffice|ReText"},
         "data": {"color": "#0F0", "score": 10}},
        {"id": 1, "name": ["Work", "Programming"],
         "rule": {"type": "regex", "regex": "GitHub|Stack Overflow|BitBucket|Gitlab|vim|Spyder|kate"}},
        {"id": 2, "name": ["Work", "Programming", "ActivityWatch"],
         "rule": {"type": "regex", "regex": "ActivityWatch|aw-", "ignore_case": True}},
        {"id": 3, "name": ["Media", "Games"], "rule": {"type": "regex", "regex": "Minecraft|RimWorld"},
         "data": {"color": "#F80", "score": -5}},
        {"id": 4, "name": ["Media", "Video"], "rule": {"type": "regex", "regex": "YouTube|Plex|VLC"},
         "data": {"color": "#F33", "score": -10}},
        {"id": 5, "name": ["Comms"], "rule": {"type": "none"}, "data": {"color": "#9FF", "score": 0}},
        {"id": 6, "name": ["Comms", "Email"], "rule": {"type": "regex", "regex": "Gmail|Thunderbird|mutt"}},
        {"id": 7, "name": ["Uncategorized"], "rule": {"type": None}, "data": {"color": "#CCC"}},
    ],
}


def by_name(activities):
    return {a.name: a for a in activities}


def test_converts_names_kinds_and_rules() -> None:
    result = convert(json.dumps(AW_EXPORT))
    activities = by_name(result.activities)
    assert set(activities) == {"Work", "Work > Programming", "Work > Programming > ActivityWatch",
                               "Media > Games", "Media > Video", "Comms > Email"}
    assert activities["Work"].kind is Kind.PRODUCTIVE
    assert activities["Work > Programming"].kind is Kind.PRODUCTIVE  # inherits Work's score
    assert activities["Media > Video"].kind is Kind.DISTRACTION
    assert activities["Comms > Email"].kind is Kind.NEUTRAL  # parent's score is 0
    assert activities["Work > Programming > ActivityWatch"].rules == (Rule(any="ActivityWatch|aw-"),)
    assert activities["Work"].rules == (Rule(any="Google Docs|libreoffice|ReText", case_sensitive=True),)
    assert [p.path for p in result.skipped] == ["categories[5] 'Comms'", "categories[7] 'Uncategorized'"]


def test_without_a_top_level_id_and_as_a_bare_list() -> None:
    without_id = {"categories": AW_EXPORT["categories"]}
    assert convert(json.dumps(without_id)) == convert(json.dumps(AW_EXPORT))
    assert convert(json.dumps(AW_EXPORT["categories"])) == convert(json.dumps(AW_EXPORT))


def test_deeper_categories_come_first_so_first_match_is_aws_pick() -> None:
    names = [a.name for a in convert(json.dumps(AW_EXPORT)).activities]
    assert names[0] == "Work > Programming > ActivityWatch"
    assert names.index("Work > Programming") < names.index("Work")


@pytest.mark.parametrize(
    ("app", "title", "expected"),
    [
        ("code", "aw-server: main.py - ActivityWatch", "Work > Programming > ActivityWatch"),
        ("kate", "notes.txt", "Work > Programming"),  # matched in the app name
        ("firefox", "Google Docs - ActivityWatch design", "Work > Programming > ActivityWatch"),
        ("firefox", "Google Docs - budget", "Work"),
        ("firefox", "google docs - budget", None),  # case-sensitive: no ignore_case
        ("firefox", "ACTIVITYWATCH issues", "Work > Programming > ActivityWatch"),  # ignore_case
        ("vlc", "holiday.mp4", None),  # "VLC" is case-sensitive
        ("VLC", "holiday.mp4", "Media > Video"),
        ("thunderbird", "Inbox", None),
        ("Thunderbird", "Inbox", "Comms > Email"),
    ],
)
def test_classifies_like_activitywatch(app: str, title: str, expected: str | None) -> None:
    activities = convert(json.dumps(AW_EXPORT)).activities
    found = Classifier(activities).match(app, title)
    assert (found.name if found else None) == expected


def aw_pick(categories: list[AwCategory], app: str, title: str) -> str | None:
    """ActivityWatch's own rule: highest rank wins, later on ties; regex in app or title."""
    best: tuple[int, int] | None = None
    pick = None
    for index, category in enumerate(categories):
        if category.regex is None:
            continue
        regex = re.compile(category.regex, re.IGNORECASE if category.ignore_case else 0)
        if regex.search(app) or regex.search(title):
            key = (category.rank, index)
            if best is None or key >= best:
                best, pick = key, category.full_name
    return pick


names = st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=3).map(tuple)
aw_categories = st.lists(
    st.builds(AwCategory, name=names, regex=st.sampled_from(["a", "b", "ab", "A", "x|a", "^b"]) | st.none(),
              ignore_case=st.booleans(), priority=st.none() | st.integers(0, 40)),
    max_size=8,
).filter(lambda cats: len({c.name for c in cats}) == len(cats))


@settings(max_examples=300, deadline=None)
@given(aw_categories, st.text("abAB", max_size=3), st.text("abxAB", max_size=4))
def test_first_match_equals_activitywatchs_pick(categories, app, title) -> None:
    activities = to_activities(categories).activities
    found = Classifier(activities).match(app, title)
    assert (found.name if found else None) == aw_pick(categories, app, title)


def test_rule_priority_overrides_depth() -> None:
    export = {"categories": [
        {"name": ["Work", "Deep"], "rule": {"type": "regex", "regex": "x"}},
        {"name": ["Fun"], "rule": {"type": "regex", "regex": "x", "priority": 99}},
    ]}
    assert [a.name for a in convert(json.dumps(export)).activities] == ["Fun", "Work > Deep"]


def test_converted_activities_pass_the_configs_own_validation() -> None:
    activities = convert(json.dumps(AW_EXPORT)).activities
    tables = [{"name": a.name, "kind": a.kind.value, "rules": [rule_table(r) for r in a.rules]} for a in activities]
    assert parse_activities(tables) == activities


def test_invalid_regex_is_skipped_with_a_warning_like_activitywatch() -> None:
    export = {"categories": [{"name": ["Bad"], "rule": {"type": "regex", "regex": "a(b"}},
                             {"name": ["Good"], "rule": {"type": "regex", "regex": "ok"}}]}
    result = convert(json.dumps(export))
    assert [a.name for a in result.activities] == ["Good"]
    (skipped,) = result.skipped
    assert skipped.severity == "warning"
    assert "categories[0] 'Bad'" in str(skipped) and "does not compile" in str(skipped)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "categories.json:1:2: not JSON: Expecting property name enclosed in double quotes"),
        ('{"buckets": {}}', 'categories.json: not an ActivityWatch categories export: expected '
                              '{"categories": [...]} (Settings > Categorization > Export)'),
        ('{"categories": {"a": 1}}', "categories: must be a list, got dict"),
        ('{"categories": [5]}', "categories[0]: must be an object with a name and a rule"),
        ('{"categories": [{"name": "Work", "rule": {}}]}',
         'categories[0].name: must be a list of names like ["Work", "Programming"], got "Work"'),
        ('{"categories": [{"name": ["W"], "rule": {"regex": 5}}]}',
         "categories[0].rule.regex: must be a string, got 5"),
        ('{"categories": [{"name": ["W"], "rule": {"ignore_case": "yes"}}]}',
         'categories[0].rule.ignore_case: must be true or false, got "yes"'),
        ('{"categories": [{"name": ["W"], "rule": {}, "data": {"score": "high"}}]}',
         'categories[0].data.score: must be a number, got "high"'),
    ],
)
def test_malformed_files_get_clear_errors(text: str, message: str) -> None:
    with pytest.raises(AwCategoriesError) as caught:
        parse_categories(text)
    assert message in [str(p) for p in caught.value.problems]


def test_every_problem_is_reported_at_once() -> None:
    text = json.dumps({"categories": [{"name": [], "rule": {}}, {"name": ["ok"], "rule": {"regex": 1}}]})
    with pytest.raises(AwCategoriesError) as caught:
        parse_categories(text)
    assert [p.path for p in caught.value.problems] == ["categories[0].name", "categories[1].rule.regex"]


def test_load_reads_a_file_and_names_an_unreadable_one(tmp_path: Path) -> None:
    path = tmp_path / "aw-category-export.json"
    path.write_text(json.dumps(AW_EXPORT), encoding="utf-8")
    assert load(path) == convert(json.dumps(AW_EXPORT))
    with pytest.raises(AwCategoriesError) as caught:
        load(tmp_path / "missing.json")
    assert str(caught.value) == f"{tmp_path / 'missing.json'}: cannot read: No such file or directory"


def test_summary_counts_what_was_made_and_skipped() -> None:
    assert convert(json.dumps(AW_EXPORT)).summary() == (
        "6 activities with 6 rules from ActivityWatch; 2 categories without a usable rule skipped")

"""Rule-set files and merging imported activities into the user's."""

from __future__ import annotations

import json

import pytest

from focusguard.core.config import ConfigError, default_config
from focusguard.core.model import Activity, Kind, Rule
from focusguard.core.rulesets import dump_ruleset, merge_activities, parse_ruleset

MINE = (
    Activity("Sales", Kind.PRODUCTIVE, (Rule(title="HubSpot"),)),
    Activity("Video", Kind.DISTRACTION, (Rule(title="YouTube"), Rule(app="vlc"))),
)


def test_round_trip_keeps_every_rule_field() -> None:
    activities = (
        *default_config().activities,
        Activity("Imported", Kind.NEUTRAL, (Rule(any="Zotero|arXiv", case_sensitive=True), Rule(exe="*/steam"))),
    )
    assert parse_ruleset(dump_ruleset(activities)) == activities


def test_the_file_says_what_it_is() -> None:
    document = json.loads(dump_ruleset(MINE))
    assert document["format"] == "focusguard-rules" and document["version"] == 1
    assert document["activities"][1] == {"name": "Video", "kind": "distraction",
                                         "rules": [{"title": "YouTube"}, {"app": "vlc"}]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2", "rules.json:1:6: not JSON: Expecting ',' delimiter"),
        ('{"categories": []}', 'rules.json: not a FocusGuard rule set (expected "format": "focusguard-rules"); '
                               "for ActivityWatch categories use the ActivityWatch import"),
        ('{"format": "focusguard-rules", "version": 7}',
         "rules.json: rule-set version 7 is not supported (this FocusGuard reads 1)"),
        ('{"format": "focusguard-rules", "version": 1, "activities": [{"name": "A", "kind": "fun"}]}',
         'activities[0].kind: must be one of "productive", "distraction", "neutral", got string "fun"'),
        ('{"format": "focusguard-rules", "version": 1, "activities": '
         '[{"name": "A", "kind": "neutral", "rules": [{"title": "a(b"}]}]}',
         "activities[0].rules[0].title: missing ), unterminated subpattern at position 1"),
        # issue 11: what could hang matching, or is far too big, never gets in
        ('{"format": "focusguard-rules", "version": 1, "activities": '
         '[{"name": "A", "kind": "neutral", "rules": [{"title": "(?<=a)b"}]}]}',
         "activities[0].rules[0].title: uses a look-around or back-reference, which FocusGuard "
         "does not allow because such patterns can hang matching"),
        ('{"format": "focusguard-rules", "version": 1, "activities": [{"name": "A", "kind": "neutral", "rules": ['
         + ", ".join(['{"app": "a"}'] * 5001) + "]}]}",
         "activities: has 5001 rules in all; FocusGuard allows at most 5000"),
        ('{"format": "focusguard-rules", "version": 1, "activities": []}' + " " * (1 << 20),
         "rules.json: is 1.0 MiB; a rule set may be at most 1 MiB, as config.toml"),
    ],
)
def test_bad_files_are_refused_with_the_configs_messages(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_ruleset(text)
    assert message in [str(p) for p in caught.value.problems]


def test_merge_appends_new_activities_after_the_users_own() -> None:
    merge = merge_activities(MINE, [Activity("Gaming", Kind.DISTRACTION, (Rule(app="steam"),))])
    assert [a.name for a in merge.activities] == ["Sales", "Video", "Gaming"]
    assert merge.added == ("Gaming",) and merge.extended == () and merge.rules_added == 1


def test_merge_adds_only_missing_rules_to_a_known_name_and_keeps_its_kind() -> None:
    imported = [Activity("video", Kind.NEUTRAL, (Rule(app="vlc"), Rule(title="Netflix"), Rule(title="Netflix")))]
    merge = merge_activities(MINE, imported)
    assert merge.activities[1] == Activity("Video", Kind.DISTRACTION,
                                           (Rule(title="YouTube"), Rule(app="vlc"), Rule(title="Netflix")))
    assert merge.extended == ("Video",) and merge.rules_added == 1
    assert merge.summary() == "Imported 1 rule: added rules to Video."


def test_merging_the_same_import_twice_changes_nothing() -> None:
    imported = [Activity("Gaming", Kind.DISTRACTION, (Rule(app="steam"),)), MINE[0]]
    once = merge_activities(MINE, imported).activities
    again = merge_activities(once, imported)
    assert again.activities == once
    assert again.summary() == "Nothing new: every imported rule was already there."

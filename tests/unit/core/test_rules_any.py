"""The ``any`` and ``case_sensitive`` rule fields, and the rules made from one window."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.core.model import Activity, Classification, Kind, Rule, Sample
from focusguard.core.rules import Classifier, glob_escape, regex_escape, window_rule


def matched(rule: Rule, app: str, title: str, exe: str = "") -> bool:
    return Classifier([Activity("A", Kind.PRODUCTIVE, (rule,))]).match(app, title, exe) is not None


@pytest.mark.parametrize(
    ("rule", "app", "title", "expected"),
    [
        (Rule(any="zotero"), "zotero", "My Library", True),  # in the app name
        (Rule(any="zotero"), "firefox", "Zotero Connector", True),  # in the title, any case
        (Rule(any="zotero"), "firefox", "Library", False),
        (Rule(any="Zotero", case_sensitive=True), "zotero", "library", False),
        (Rule(any="Zotero", case_sensitive=True), "Zotero", "library", True),
        (Rule(title="HubSpot", case_sensitive=True), "firefox", "hubspot deals", False),
        (Rule(title="HubSpot", case_sensitive=True), "firefox", "HubSpot deals", True),
        (Rule(app="firefox", any="docs"), "firefox", "Google Docs", True),  # every field must match
        (Rule(app="chrome", any="docs"), "firefox", "Google Docs", False),
        (Rule(title="Deals", any="firefox"), "firefox", "Deals", True),
        (Rule(title="Deals", any="chrome"), "firefox", "Deals", False),
    ],
)
def test_any_is_searched_in_app_and_title(rule: Rule, app: str, title: str, expected: bool) -> None:
    assert matched(rule, app, title) is expected


def test_an_any_rule_keeps_its_place_in_the_first_match_order() -> None:
    activities = [
        Activity("Research", Kind.PRODUCTIVE, (Rule(any="arxiv"),)),
        Activity("Browsing", Kind.DISTRACTION, (Rule(app="firefox"),)),
    ]
    classifier = Classifier(activities)
    assert classifier.match("firefox", "arXiv.org e-Print archive").name == "Research"
    assert classifier.match("firefox", "Reddit").name == "Browsing"
    assert classifier.classify(Sample(0, "firefox", "arXiv"), "Research").classification is Classification.PRIORITY


@given(st.text(max_size=30))
def test_regex_escape_matches_exactly_the_text(text: str) -> None:
    assert re.fullmatch(regex_escape(text), text)
    assert re.fullmatch(regex_escape(text), text + "x") is None


def test_regex_escape_leaves_spaces_and_dashes_readable() -> None:
    assert regex_escape("Deals (3) - HubSpot") == r"Deals \(3\) - HubSpot"


@given(st.text(alphabet="ab*?[]!-", max_size=8))
def test_glob_escape_matches_exactly_the_app(app: str) -> None:
    assert matched(Rule(app=glob_escape(app)), app, "")
    assert not matched(Rule(app=glob_escape(app)), app + "x", "")


def test_window_rule_by_app_or_by_exact_title() -> None:
    assert window_rule("code", "x.py - Code", "app") == Rule(app="code")
    assert window_rule("firefox", "Deals (3) - HubSpot", "title") == Rule(title=r"^Deals \(3\) - HubSpot$")
    assert window_rule("", "Untitled", "app") == Rule(title="^Untitled$")
    with pytest.raises(ValueError, match="no app or title"):
        window_rule("", "", "app")

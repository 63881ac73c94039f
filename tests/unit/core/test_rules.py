"""Classifier: rule semantics, classification order, privacy, and fast path == naive loop."""

from __future__ import annotations

import fnmatch
import re
import string
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core.config import PrivacySettings, RegexError, compile_title_regex
from focusguard.core.model import Activity, Classification, Kind, Rule, Sample
from focusguard.core.rules import ASCII_CASE_TWINS, Classifier, fold, required_literals


def re2_search(pattern: str, text: str, *, case_sensitive: bool) -> bool:
    """RE2's plain search: the engine user regexes run on (issue 11)."""
    options = re2.Options()
    options.case_sensitive = case_sensitive
    return re2.search(pattern, text, options) is not None


def naive_match(activities: list[Activity], app: str, title: str, exe: str) -> Activity | None:
    """The specification: first activity in order, first rule in order, every given field."""
    for activity in activities:
        for rule in activity.rules:
            if rule.app is not None and not re.match(fnmatch.translate(rule.app), app, re.I):
                continue
            if rule.exe is not None and not re.match(fnmatch.translate(rule.exe), exe, re.I):
                continue
            cs = rule.case_sensitive
            if rule.title is not None and not re2_search(rule.title, title, case_sensitive=cs):
                continue
            if rule.any is not None and not (
                re2_search(rule.any, app, case_sensitive=cs) or re2_search(rule.any, title, case_sensitive=cs)
            ):
                continue
            return activity
    return None


def act(name: str, *rules: Rule, kind: Kind = Kind.PRODUCTIVE) -> Activity:
    return Activity(name, kind, rules)


def name_of(activity: Activity | None) -> str | None:
    return activity.name if activity else None


# --------------------------------------------------------------------------- rule fields


@pytest.mark.parametrize(
    ("glob", "app", "matches"),
    [
        ("thunderbird", "thunderbird", True),
        ("thunderbird", "Thunderbird", True),
        ("THUNDERBIRD", "thunderbird", True),
        ("thunderbird", "thunderbird-bin", False),
        ("thunderbird*", "thunderbird-bin", True),
        ("*teams*", "ms-teams.exe", True),
        ("zoom?", "zoom1", True),
        ("zoom?", "zoom", False),
        ("[ab]ash", "bash", True),
        ("[!ab]ash", "bash", False),
        ("code", "xcode", False),
        ("*", "", True),
    ],
)
def test_app_is_a_case_insensitive_whole_name_glob(glob: str, app: str, matches: bool) -> None:
    classifier = Classifier([act("A", Rule(app=glob))])
    assert (classifier.match(app, "any title") is not None) is matches


@pytest.mark.parametrize(
    ("regex", "title", "matches"),
    [
        ("HubSpot", "Contacts | hubspot - Firefox", True),
        ("HubSpot|LinkedIn Sales", "LinkedIn Sales Navigator", True),
        ("^Inbox", "Inbox - Gmail", True),
        ("^Inbox", "Re: Inbox", False),
        (r"\bX$", "Home / X", True),
        (r"\bX$", "Xerox", False),
        ("(?i)incognito", "Mozilla Firefox (INCOGNITO)", True),
        ("(?-i:GitHub)", "github", False),
        (r"git\s+hub", "GIT   HUB", True),
        ("[[:alpha:]]{3}:", "abc:", True),  # POSIX classes: RE2 syntax
        ("[[:alpha:]]{3}:", "ab1:", False),
        ("Amazon\\.", "Amazon.de: cart", True),
        ("Amazon\\.", "Amazon Web Services", False),
        ("stra(ss|ß)e", "STRASSE", True),
        ("slack", "\u017flack", True),
    ],
)
def test_title_is_a_case_insensitive_regex_searched_anywhere(regex: str, title: str, matches: bool) -> None:
    classifier = Classifier([act("A", Rule(title=regex))])
    assert (classifier.match("firefox", title) is not None) is matches


@pytest.mark.parametrize(
    ("glob", "exe", "matches"),
    [
        ("/usr/bin/python3*", "/usr/bin/python3.11", True),
        ("*\\slack.exe", "C:\\Program Files\\Slack\\SLACK.EXE", True),
        ("*/firefox", "/usr/lib/firefox/firefox", True),
        ("*/firefox", "/usr/lib/firefox/firefox-bin", False),
    ],
)
def test_exe_is_a_glob_on_the_executable_path(glob: str, exe: str, matches: bool) -> None:
    classifier = Classifier([act("A", Rule(exe=glob))])
    assert (classifier.match("app", "title", exe) is not None) is matches


@pytest.mark.parametrize(
    ("app", "title", "exe", "matches"),
    [
        ("firefox", "YouTube", "/usr/bin/firefox", True),
        ("chrome", "YouTube", "/usr/bin/firefox", False),
        ("firefox", "Gmail", "/usr/bin/firefox", False),
        ("firefox", "YouTube", "/snap/firefox", False),
    ],
)
def test_a_rule_matches_only_when_every_given_field_matches(
    app: str, title: str, exe: str, matches: bool
) -> None:
    classifier = Classifier([act("A", Rule(app="firefox", title="youtube", exe="/usr/bin/*"))])
    assert (classifier.match(app, title, exe) is not None) is matches


# --------------------------------------------------------------------------- order


def test_first_activity_in_file_order_wins() -> None:
    activities = [
        act("Sales", Rule(title="LinkedIn Sales")),
        act("Social", Rule(title="LinkedIn"), kind=Kind.DISTRACTION),
    ]
    classifier = Classifier(activities)
    assert name_of(classifier.match("firefox", "LinkedIn Sales Navigator")) == "Sales"
    assert name_of(classifier.match("firefox", "LinkedIn Feed")) == "Social"
    assert name_of(Classifier(activities[::-1]).match("firefox", "LinkedIn Sales Navigator")) == "Social"


@pytest.mark.parametrize(
    ("app", "title", "expected"),
    [
        ("firefox", "YouTube", "Video"),  # title rule before the app rule
        ("firefox", "Docs", "Browser"),  # app rule before a later title rule
        ("terminal", "Docs", "Docs"),
        ("terminal", "nothing", None),
    ],
)
def test_title_and_app_rules_interleave_in_order(app: str, title: str, expected: str | None) -> None:
    classifier = Classifier(
        [
            act("Video", Rule(title="YouTube")),
            act("Browser", Rule(app="firefox")),
            act("Docs", Rule(title="Docs")),
        ]
    )
    assert name_of(classifier.match(app, title)) == expected


def test_answers_are_cached_per_app_title_and_exe() -> None:
    classifier = Classifier([act("A", Rule(exe="/a")), act("B", Rule(app="x"))])
    assert name_of(classifier.match("x", "t", "/a")) == "A"
    assert name_of(classifier.match("x", "t", "/b")) == "B"
    assert name_of(classifier.match("x", "t", "/a")) == "A"
    assert name_of(classifier.match("y", "t", "/b")) is None


def test_no_activities_match_nothing() -> None:
    assert Classifier([]).match("firefox", "YouTube") is None


# --------------------------------------------------------------------------- classify

ACTIVITIES = [
    act("Sales", Rule(title="HubSpot")),
    act("Code", Rule(app="code")),
    act("Video", Rule(title="YouTube"), kind=Kind.DISTRACTION),
    act("System", Rule(app="nautilus"), kind=Kind.NEUTRAL),
    act("Trap", Rule(title="FocusGuard"), kind=Kind.DISTRACTION),
]
PRIVACY = PrivacySettings(
    exclude_apps=("keepass*",), exclude_titles=("(?i)incognito|private browsing", r"\bbank\b")
)


def sample(app: str = "firefox", title: str = "", *, idle: bool = False) -> Sample:
    return Sample(at=100.0, app=app, title=title, exe=f"/usr/bin/{app}", pid=7, idle=idle)


@pytest.mark.parametrize(
    ("s", "priority", "activity", "classification"),
    [
        (sample(title="Deals - HubSpot"), "Sales", "Sales", Classification.PRIORITY),
        (sample(title="Deals - HubSpot"), " sALES ", "Sales", Classification.PRIORITY),
        (sample(title="Deals - HubSpot"), "Code", "Sales", Classification.PRODUCTIVE_DISTRACTION),
        (sample(title="Deals - HubSpot"), None, "Sales", Classification.PRODUCTIVE_DISTRACTION),
        (sample(title="cats - YouTube"), "Sales", "Video", Classification.DISTRACTION),
        (sample(title="cats - YouTube"), "video", "Video", Classification.PRIORITY),  # priority beats kind
        (sample("nautilus", "Home"), "Sales", "System", Classification.NEUTRAL),
        (sample("nautilus", "Home"), "System", "System", Classification.PRIORITY),
        (sample("gimp", "x.xcf"), "Sales", None, Classification.UNCLASSIFIED),
        (sample("code", "x.py", idle=True), "Code", None, Classification.IDLE),
        (sample("focusguard", "Settings"), "Sales", None, Classification.NEUTRAL),
        (sample("focusguard-gui", "x"), None, None, Classification.NEUTRAL),
        (sample("python3", "FocusGuard — Nudge"), "Sales", None, Classification.NEUTRAL),
        (sample("python3", "FocusGuard"), "Sales", None, Classification.NEUTRAL),
        (sample("python3", "FocusGuardian"), "Sales", "Trap", Classification.DISTRACTION),
    ],
)
def test_classify(
    s: Sample, priority: str | None, activity: str | None, classification: Classification
) -> None:
    result = Classifier(ACTIVITIES, PRIVACY).classify(s, priority)
    assert (result.activity, result.classification) == (activity, classification)
    assert result.sample == s


def test_paused_beats_everything() -> None:
    classifier = Classifier(ACTIVITIES, PRIVACY)
    for s in (sample(title="HubSpot"), sample(idle=True), sample("keepassxc", "db")):
        result = classifier.classify(s, "Sales", paused=True)
        assert (result.activity, result.classification) == (None, Classification.PAUSED)


@pytest.mark.parametrize(
    ("app", "title"),
    [
        ("keepassxc", "Passwords.kdbx"),
        ("KeePass.exe", "db"),
        ("firefox", "Deals - HubSpot — Mozilla Firefox Private Browsing"),
        ("chrome", "New Tab - Google Chrome (Incognito)"),
        ("firefox", "My Bank - login"),
    ],
)
def test_private_windows_are_blanked(app: str, title: str) -> None:
    classifier = Classifier(ACTIVITIES, PRIVACY)
    assert classifier.is_private(app, title)
    result = classifier.classify(sample(app, title), "Sales")
    assert (result.activity, result.classification) == (None, Classification.PRIVATE)
    assert (result.sample.app, result.sample.title, result.sample.exe) == ("", "", "")
    assert (result.sample.at, result.sample.pid) == (100.0, 7)


@pytest.mark.parametrize(
    ("app", "title"), [("firefox", "Banking news"), ("keepsake", "x"), ("firefox", "private")]
)
def test_not_private(app: str, title: str) -> None:
    assert not Classifier(ACTIVITIES, PRIVACY).is_private(app, title)


def test_idle_beats_private() -> None:
    result = Classifier(ACTIVITIES, PRIVACY).classify(sample("keepassxc", "db", idle=True), None)
    assert result.classification is Classification.IDLE


def test_record_titles_false_blanks_titles_after_matching() -> None:
    classifier = Classifier(ACTIVITIES, PrivacySettings(record_titles=False))
    result = classifier.classify(sample(title="Deals - HubSpot"), "Sales")
    assert (result.activity, result.classification) == ("Sales", Classification.PRIORITY)
    assert result.sample == replace(sample(title="Deals - HubSpot"), title="")
    for paused, s in (
        (True, sample(title="x")),
        (False, sample(title="x", idle=True)),
        (False, sample("gimp", "x")),
    ):
        assert classifier.classify(s, None, paused=paused).sample.title == ""


# --------------------------------------------------------------------------- the fast path


@pytest.mark.parametrize(
    ("pattern", "guard"),
    [
        ("HubSpot|LinkedIn Sales", {"hubspot", "linkedin sales"}),
        (r"\bfoo\b", {"foo"}),
        ("(?i)incognito|private browsing", {"incognito", "private browsing"}),
        ("colou?r", {"colo"}),
        ("(abc)+", {"abc"}),
        ("a{0,2}bb", {"bb"}),
        ("(?x) a b c", {"abc"}),
        ("(?>abc)", {"abc"}),
        (r"Disney\+", {"disney+"}),
        ("Büro", {"ro"}),
        ("(abc)*", None),
        (".*", None),
        (r"\d+", None),
        ("a|", None),
        ("x|y", None),
    ],
)
def test_required_literals(pattern: str, guard: set[str] | None) -> None:
    assert required_literals(pattern) == (None if guard is None else frozenset(guard))


def test_fold_knows_every_character_a_regex_equates_with_an_ascii_letter() -> None:
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    twins = {m.group() for m in re.finditer("[a-z]", everything, re.I)} - set(string.ascii_letters)
    assert twins == set(ASCII_CASE_TWINS)
    for char, letter in ASCII_CASE_TWINS.items():
        assert re.fullmatch(letter, char, re.I)
        assert fold(char) == letter
    # RE2, the engine that matches, equates a subset of them (not the Turkish i's)
    options = re2.Options()
    options.case_sensitive = False
    re2_twins = set(re2.compile("[a-z]", options).findall(everything)) - set(string.ascii_letters)
    assert re2_twins and re2_twins <= set(ASCII_CASE_TWINS)


def _compiles(pattern: str) -> bool:
    """A regex the config accepts (Python syntax that RE2 can run)."""
    try:
        compile_title_regex(pattern)
    except RegexError:
        return False
    return True


TWINS = "".join(ASCII_CASE_TWINS)  # non-ASCII letters a regex equates with ASCII ones
# fmt: off
TRICKY = [
    "ab", "AB", "a|b", "ab|ba", "a(b|c)", "(?i)ab", "(?-i:Ab)", r"\bab\b", "a.b", "^ab", "ab$",
    "(ab)+", "(ab)*", "ab?", "a{2}", "[ab]k", "(?x) a b", "kk|ss", "(?:a|bk)k", "(?=ab)a",
    "(?!ab)a", r"(a)\1", "a*?b", "(?>ab)", "a++b", "-|-", *TWINS,
    # RE2 reads these differently from Python's parser, which the literal index uses
    "[[:alpha:]]k", "a[b[:alpha:]]", "[[:^alpha:]]b", "[[:word:]]k|ab",
]
# fmt: on
regexes = st.one_of(
    st.sampled_from([p for p in TRICKY if _compiles(p)]),
    st.text(alphabet="abkAK|()?*+.^$[]-" + TWINS, min_size=1, max_size=8).filter(lambda p: _compiles(p)),
)
globs = st.text(alphabet="abkAK*?[]!", min_size=1, max_size=4)
rules = st.builds(
    Rule,
    app=st.none() | globs,
    title=st.none() | regexes,
    exe=st.none() | globs,
    any=st.none() | regexes,
    case_sensitive=st.booleans(),
).filter(lambda r: any(f is not None for f in (r.app, r.title, r.exe, r.any)))
activity_lists = st.lists(st.lists(rules, min_size=1, max_size=4), max_size=6).map(
    lambda groups: [Activity(f"A{i}", Kind.PRODUCTIVE, tuple(g)) for i, g in enumerate(groups)]
)
titles = st.text(alphabet="abkABK -|." + TWINS, max_size=12)
names = st.text(alphabet="abkAK", max_size=3)


@settings(max_examples=400, deadline=None)
@given(activity_lists, st.lists(st.tuples(names, titles, names), min_size=1, max_size=8))
def test_fast_path_equals_the_naive_first_match_loop(
    activities: list[Activity], windows: list[tuple[str, str, str]]
) -> None:
    classifier = Classifier(activities)
    for app, title, exe in windows * 2:  # twice: through the caches as well
        assert classifier.match(app, title, exe) is naive_match(activities, app, title, exe)


# fmt: off
WORDS = [
    "slack", "Slack", "SLACK", "hub", "HubSpot", "spot", "you", "YouTube", "tube",
    "\u017flack", "hub\u017fpot", "x", "-",
]
# fmt: on
word_regexes = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).flatmap(
    lambda ws: st.sampled_from(
        ["|".join(ws), rf"\b(?:{'|'.join(ws)})\b", f"(?i)({'|'.join(ws)})+", "".join(ws)]
    )
)
word_titles = st.lists(st.sampled_from([*WORDS, " ", " - "]), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.builds(Rule, app=st.none() | st.sampled_from(["firefox", "fire*", "*x"]), title=word_regexes),
        min_size=1,
        max_size=20,
    ),
    st.lists(st.tuples(st.sampled_from(["firefox", "chrome", "x"]), word_titles), min_size=1, max_size=10),
)
def test_fast_path_equals_naive_loop_with_literal_heavy_rules(
    rules_: list[Rule], windows: list[tuple[str, str]]
) -> None:
    activities = [Activity(f"A{i}", Kind.PRODUCTIVE, (rule,)) for i, rule in enumerate(rules_)]
    classifier = Classifier(activities)
    for app, title in windows:
        assert classifier.match(app, title) is naive_match(activities, app, title, "")


# --------------------------------------------------------------------------- bounded matching


def test_a_catastrophic_pattern_cannot_hang_the_classifier() -> None:
    """Issue 11: `(a+)+$` against 36 "a"s and "!" backtracks for hours in Python's re.
    Run in a subprocess with a generous timeout, so a hang fails instead of stalling."""
    code = textwrap.dedent("""
        from focusguard.core.config import PrivacySettings
        from focusguard.core.model import Activity, Kind, Rule, Sample
        from focusguard.core.rules import Classifier
        rules = (Rule(title="(a+)+$"), Rule(any="(a|aa)+$"), Rule(title="(x+x+)+y", case_sensitive=True))
        classifier = Classifier([Activity("A", Kind.PRODUCTIVE, rules)],
                                PrivacySettings(exclude_titles=("(a+)+b", "(a|a)*c")))
        title = "a" * 36 + "!"
        sample = Sample(at=0.0, app="aaaa!", title=title, exe="")
        print(classifier.classify(sample, None).classification.value)
        print(classifier.match("x" * 40, "x" * 5000), classifier.match("app", "a" * 40).name)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["unclassified", "None", "A"]

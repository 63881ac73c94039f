r"""How long Classifier.match takes per sample with 1,000 rules. Prints figures, asserts nothing.

    python bench/bench_classify.py

"cold": every sample has a title never seen before (the answer cache cannot help);
apps come from a pool of 40, as on a real desktop. Rules name 400 apps and 2,000
title words; titles draw from 20,000 words, so some samples match and many match
nothing (the slowest case for a loop: every rule is tried). 2 % of the rules have a
title regex with no literal in it (``\d{4}-\d\d``, ``^\d{3,} ``...): the literal
index cannot skip those, so every title is searched with them. "warm": the same 20
windows over and over, as when the user stays in one window. "naive" is the plain
first-match loop the Classifier must agree with, for comparison, on RE2 (the engine
user regexes run on, issue 11) and on Python's re. Target: <= 50 us per sample cold.
"""

from __future__ import annotations

import random
import re
import string
import time
from collections.abc import Callable, Sequence

from focusguard.core.config import compile_title_regex
from focusguard.core.model import Activity, Kind, Rule
from focusguard.core.rules import Classifier, compile_glob

TARGET_US = 50.0
RULES = 1000
SAMPLES = 20_000

rng = random.Random(1)


def word() -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))


VOCABULARY = [word() for _ in range(20_000)]
RULE_WORDS = VOCABULARY[:2000]
RULE_APPS = [word() for _ in range(400)]
APPS = RULE_APPS[:40]
BROWSERS = ["Mozilla Firefox", "Google Chrome", "Chromium"]
# Title regexes without a literal (issue 10): no index can rule them out.
NO_LITERAL = [r"\d{4}-\d\d-\d\d", r"^\d{3,} ", r"\b\w{12,}\b", r"\(\d+\)$", r"^\W", r"[^\x00-\x7f]{3}"]
NO_LITERAL_EVERY = 50  # one rule in 50 (2 %) is one of these
Window = tuple[str, str, str]  # app, title, exe


def random_rule() -> Rule:
    """A mix like real configs: app globs, title alternations, a few combined/exe rules."""
    roll = rng.random()
    words = [rng.choice(RULE_WORDS).capitalize() for _ in range(rng.randint(1, 3))]
    if roll < 0.35:
        app = rng.choice(RULE_APPS)
        return Rule(app=rng.choice([app, app[:3] + "*", "*" + app[-4:]]))
    if roll < 0.80:
        title = "|".join(words)
        forms = [title, rf"\b(?:{title})\b", f"(?i){title}", rf"{title} - \w+"]
        return Rule(title=rng.choice(forms))
    if roll < 0.95:
        return Rule(app=rng.choice(RULE_APPS), title="|".join(words))
    return Rule(exe=f"*/{rng.choice(RULE_APPS)}*")


def make_activities() -> list[Activity]:
    rules = [random_rule() for _ in range(RULES)]
    for i in range(0, RULES, NO_LITERAL_EVERY):
        rules[i] = Rule(title=NO_LITERAL[i // NO_LITERAL_EVERY % len(NO_LITERAL)])
    kinds = list(Kind)
    return [
        Activity(f"Activity {i}", kinds[i % 3], tuple(rules[i * 10 : i * 10 + 10]))
        for i in range(RULES // 10)
    ]


def make_windows(count: int) -> list[Window]:
    windows = []
    for n in range(count):
        app = rng.choice(APPS)
        words = " ".join(rng.choice(VOCABULARY) for _ in range(6))
        title = f"{words} {n} - {rng.choice(BROWSERS)}"
        windows.append((app, title, f"/usr/bin/{app}"))
    return windows


def naive(
    activities: Sequence[Activity], regex: Callable[[str], Callable[[str], object]]
) -> Callable[[str, str, str], Activity | None]:
    compiled = [
        (
            a,
            compile_glob(r.app) if r.app else None,
            regex(r.title) if r.title else None,
            compile_glob(r.exe) if r.exe else None,
        )
        for a in activities
        for r in a.rules
    ]

    def match(app: str, title: str, exe: str) -> Activity | None:
        for activity, a, t, e in compiled:
            if (a is None or a(app)) and (t is None or t(title)) and (e is None or e(exe)):
                return activity
        return None

    return match


def per_sample_us(match: Callable[[str, str, str], object], windows: list[Window]) -> float:
    start = time.perf_counter()
    for app, title, exe in windows:
        match(app, title, exe)
    return (time.perf_counter() - start) / len(windows) * 1e6


def main() -> None:
    activities = make_activities()
    cold = make_windows(SAMPLES)
    warm = make_windows(20) * (SAMPLES // 20)

    started = time.perf_counter()
    classifier = Classifier(activities)
    build_ms = (time.perf_counter() - started) * 1e3
    cold_us = per_sample_us(classifier.match, cold)
    warm_us = per_sample_us(classifier.match, warm)
    naive_us = per_sample_us(naive(activities, lambda p: compile_title_regex(p).search), cold[:2000])
    naive_re_us = per_sample_us(naive(activities, lambda p: re.compile(p, re.IGNORECASE).search), cold[:2000])
    matched = sum(classifier.match(*w) is not None for w in cold) / len(cold)

    print(f"rules: {RULES}, samples: {SAMPLES}, matched: {matched:.0%}, build: {build_ms:.1f} ms")
    print(f"cold (distinct titles): {cold_us:7.1f} us/sample   target <= {TARGET_US:.0f} us")
    print(f"warm (repeated window): {warm_us:7.1f} us/sample")
    print(f"naive first-match loop: {naive_us:7.1f} us/sample on RE2, "
          f"{naive_re_us:.1f} on Python's re (for comparison)")


if __name__ == "__main__":
    main()

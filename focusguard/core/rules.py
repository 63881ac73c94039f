"""Which activity a window belongs to, and what a sample is relative to today's priority.

The matching semantics are deliberately plain: activities in file order, rules in
order, the first rule whose every given field matches wins. But every sample goes
through possibly a thousand user rules, where a plain loop of regex searches costs
several hundred microseconds (bench/bench_classify.py). So the Classifier
precomputes, without changing the answer:

* for rules without a title (or any) regex, the first match per (app, exe),
  cached: apps repeat far more often than titles do;
* for each title regex, a set of literal strings one of which every match must
  contain (read from the regex's parse tree), indexed by their first three
  characters; a title is only searched with the regexes whose literals occur in it
  (an ``any`` regex, searched in the app name too, is indexed the same way and
  looked up with the title and with the app name);
* a small LRU cache of whole answers, since the active window repeats sample
  after sample.

tests/unit/core/test_rules.py checks with hypothesis that this equals the naive loop.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import string
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from re import _constants as sre  # type: ignore[attr-defined]  # private, see _guard
from re import _parser  # type: ignore[attr-defined]  # private, see _guard
from typing import Final

from focusguard.core.config import (
    TITLE_FLAGS,
    PrivacySettings,
    Regex,
    compile_rule_regex,
    compile_title_regex,
)
from focusguard.core.model import Activity, Classification, Classified, Rule, Sample

OWN_APP: Final = "focusguard"
OWN_TITLE: Final = "FocusGuard"

# Non-ASCII characters that a case-insensitive Python regex treats as equal to an
# ASCII letter (Turkish dotted/dotless i, long s, Kelvin sign). A test scans all of
# Unicode to keep this complete.
ASCII_CASE_TWINS: Final = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}

# str.translate table: every character a case-insensitive regex equates with an
# ASCII letter becomes that lowercase letter; everything else is left alone. A title
# folded this way contains a literal (lowercase ASCII) wherever the regex could
# match that literal, which is what makes the literal index safe.
_FOLD: Final = {ord(c): c.lower() for c in string.ascii_uppercase} | {
    ord(c): letter for c, letter in ASCII_CASE_TWINS.items()
}

_Guard = frozenset[str]
_GRAM: Final = 3


def compile_glob(pattern: str) -> Callable[[str], re.Match[str] | None]:
    """A case-insensitive fnmatch glob as a compiled matcher (compiled once, not per call)."""
    return re.compile(fnmatch.translate(pattern), re.IGNORECASE).match


def glob_escape(text: str) -> str:
    """A glob that matches exactly ``text`` (fnmatch has no escape function)."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def regex_escape(text: str) -> str:
    """``text`` as a regex matching itself, escaping only what a regex treats
    specially (``re.escape`` also escapes spaces and dashes, which people then read)."""
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text)


def window_rule(app: str, title: str, scope: str) -> Rule:
    """The rule that catches one window: by its app (``scope="app"``) or by its exact
    title (``"title"``, or when the app is unknown). What "It's part of <priority>" and
    the settings preview's one-click "add a rule" teach."""
    if scope == "app" and app:
        return Rule(app=glob_escape(app))
    if title:
        return Rule(title=f"^{regex_escape(title)}$")
    raise ValueError("the window has no app or title to make a rule from")


def fold(text: str) -> str:
    """Fold a title the way the literal index expects (see ``_FOLD``)."""
    return text.translate(_FOLD)


# --------------------------------------------------------------------------- literal guards
# The guard of a regex is a set of lowercase ASCII strings such that any match of the
# regex contains at least one of them (after folding), or None when no such set is
# known. It is read from the tree of re's own parser, a private module: a shape it
# does not know yields None, which costs speed, never correctness.


def required_literals(pattern: str) -> _Guard | None:
    """The guard of a title regex (matched by RE2 ignoring case, see config.Regex).

    Python's parser reads the pattern, so where Python and RE2 read the same text
    differently there is no guard: a pattern Python warns about (``[[:alpha:]]``
    is a set with "[" to Python and a letter class to RE2), and any POSIX class
    ``[:name:]`` inside a set, which Python reads as the characters ``[:name:``.
    """
    if "[:" in pattern:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            tree = _parser.parse(pattern, TITLE_FLAGS)
        except (re.error, Warning):
            return None
    return _guard(tree)


def _better(a: _Guard | None, b: _Guard | None) -> _Guard | None:
    """The more selective guard: longer shortest literal first, then fewer literals."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda g: (min(map(len, g)), -len(g)))


def _guard(items: Iterable[tuple[object, object]]) -> _Guard | None:
    """Guard of a sequence: every item of a sequence is required, so the best of them."""
    best: _Guard | None = None
    run: list[str] = []
    for op, av in items:
        if op == sre.LITERAL and isinstance(av, int) and av < 128:
            run.append(chr(av).lower())
            continue
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        best = _better(best, _item_guard(op, av))
    return _better(best, frozenset({"".join(run)})) if run else best


def _item_guard(op: object, av: object) -> _Guard | None:
    if op == sre.SUBPATTERN:  # (group, add_flags, del_flags, pattern)
        return _guard(av[3])  # type: ignore[index]
    if op == sre.ATOMIC_GROUP:
        return _guard(av)  # type: ignore[arg-type]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):  # (min, max, pattern)
        return _guard(av[2]) if av[0] >= 1 else None  # type: ignore[index]
    if op == sre.BRANCH:  # (None, [alternatives]): one of them is required
        alternatives = [_guard(branch) for branch in av[1]]  # type: ignore[index]
        if any(a is None for a in alternatives):
            return None
        return frozenset().union(*alternatives)  # type: ignore[arg-type]
    return None


# --------------------------------------------------------------------------- classifier


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    activity: Activity
    app: Callable[[str], re.Match[str] | None] | None
    title: Regex | None
    exe: Callable[[str], re.Match[str] | None] | None
    any: Regex | None

    @property
    def needs_text(self) -> bool:
        """True when the rule looks at the title (its title or any regex)."""
        return self.title is not None or self.any is not None

    def matches_window(self, app: str, exe: str) -> bool:
        """The app and exe parts (absent parts match anything)."""
        return (self.app is None or self.app(app) is not None) and (
            self.exe is None or self.exe(exe) is not None
        )

    def matches(self, app: str, title: str, exe: str) -> bool:
        return (
            self.matches_window(app, exe)
            and (self.title is None or self.title.search(title))
            and (self.any is None or self.any.search(app) or self.any.search(title))
        )


def _compile(activity: Activity, rule: Rule) -> _CompiledRule:
    def regex(pattern: str | None) -> Regex | None:
        return None if pattern is None else compile_rule_regex(pattern, case_sensitive=rule.case_sensitive)

    return _CompiledRule(
        activity,
        compile_glob(rule.app) if rule.app is not None else None,
        regex(rule.title),
        compile_glob(rule.exe) if rule.exe is not None else None,
        regex(rule.any),
    )


class _LiteralIndex:
    """Rule indices by the literals their regex requires (see ``required_literals``):
    ``candidates(text)`` is a superset of the rules whose regex can match ``text``."""

    def __init__(self) -> None:
        self._grams: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
        self._gram_keys: set[str] = set()
        self._short: list[tuple[str, int]] = []
        self._unguarded: set[int] = set()

    def add(self, pattern: str, index: int) -> None:
        guard = required_literals(pattern)
        if guard is None:
            self._unguarded.add(index)
            return
        for literal in guard:
            if len(literal) >= _GRAM:
                self._grams[literal[:_GRAM]].append((literal, index))
                self._gram_keys.add(literal[:_GRAM])
            else:
                self._short.append((literal, index))

    def __bool__(self) -> bool:
        return bool(self._grams or self._short or self._unguarded)

    def candidates(self, text: _Text) -> set[int]:
        found = set(self._unguarded)
        # A set with a set: intersection with the dict itself would walk all its keys.
        for gram in text.grams & self._gram_keys:
            found.update(i for literal, i in self._grams[gram] if literal in text.folded)
        found.update(i for literal, i in self._short if literal in text.folded)
        return found


class _Text:
    """A title or app name folded and cut into n-grams once, for every index that looks it up."""

    __slots__ = ("folded", "grams")

    def __init__(self, text: str) -> None:
        self.folded = fold(text)
        self.grams = {self.folded[i : i + _GRAM] for i in range(len(self.folded) - _GRAM + 1)}


DEFAULT_PRIVACY = PrivacySettings()  # frozen, so one instance serves every call


class Classifier:
    """Matches windows to activities and classifies samples. Compiles everything once;
    build a new one when the config changes."""

    def __init__(
        self, activities: Sequence[Activity], privacy: PrivacySettings = DEFAULT_PRIVACY
    ) -> None:
        self._privacy = privacy
        self._private_apps = tuple(compile_glob(g) for g in privacy.exclude_apps)
        self._private_titles = tuple(compile_title_regex(r) for r in privacy.exclude_titles)
        self._rules = tuple(_compile(activity, rule) for activity in activities for rule in activity.rules)
        self._untitled = tuple(i for i, r in enumerate(self._rules) if not r.needs_text)
        # A rule with a title regex is a candidate when a literal of it is in the title;
        # one with only an any regex, when a literal of it is in the title or the app.
        self._by_title = _LiteralIndex()
        self._by_any = _LiteralIndex()
        for i, rule in enumerate(self._rules):
            if rule.title is not None:
                self._by_title.add(rule.title.pattern, i)
            elif rule.any is not None:
                self._by_any.add(rule.any.pattern, i)
        self._first_untitled = functools.lru_cache(maxsize=256)(self._scan_untitled)
        self._lookup = functools.lru_cache(maxsize=1024)(self._find)

    # -- matching

    def match(self, app: str, title: str, exe: str = "") -> Activity | None:
        """The activity of the first matching rule (activities and rules in order)."""
        index = self._lookup(app, title, exe)
        return None if index is None else self._rules[index].activity

    def _find(self, app: str, title: str, exe: str) -> int | None:
        """Index of the first matching rule: the first rule without a regex on the
        title that matches the window, unless a rule with one before it matches."""
        limit = self._first_untitled(app, exe)
        text = _Text(title)
        candidates = self._by_title.candidates(text)
        if self._by_any:  # most configs have no `any` rule: skip its lookups entirely
            candidates |= self._by_any.candidates(text) | self._by_any.candidates(_Text(app))
        for i in sorted(candidates):
            if i >= limit:
                break
            if self._rules[i].matches(app, title, exe):
                return i
        return limit if limit < len(self._rules) else None

    def _scan_untitled(self, app: str, exe: str) -> int:
        """Index of the first rule with no regex on the title matching (app, exe);
        len(rules) if none."""
        return next(
            (i for i in self._untitled if self._rules[i].matches_window(app, exe)),
            len(self._rules),
        )

    # -- classification

    def is_private(self, app: str, title: str) -> bool:
        """True for windows the privacy settings say must never be recorded."""
        return any(m(app) for m in self._private_apps) or any(
            r.search(title) for r in self._private_titles
        )

    def classify(self, sample: Sample, priority: str | None, *, paused: bool = False) -> Classified:
        """Classify one sample against today's ``priority`` (an activity name or None).

        Order matters: paused beats idle beats private beats everything else, so a
        private window never has even its activity recorded. FocusGuard's own windows
        are neutral so that answering a nudge never feeds the streak it is about.
        """
        if paused:
            return self._classified(sample, None, Classification.PAUSED)
        if sample.idle:
            return self._classified(sample, None, Classification.IDLE)
        if self.is_private(sample.app, sample.title):
            blank = replace(sample, app="", title="", exe="")
            return Classified(blank, None, Classification.PRIVATE)
        if _is_own_window(sample):
            return self._classified(sample, None, Classification.NEUTRAL)
        activity = self.match(sample.app, sample.title, sample.exe)
        if activity is None:
            return self._classified(sample, None, Classification.UNCLASSIFIED)
        if priority is not None and activity.name.casefold() == priority.strip().casefold():
            return self._classified(sample, activity.name, Classification.PRIORITY)
        return self._classified(sample, activity.name, activity.kind.counts_as)

    def _classified(
        self, sample: Sample, activity: str | None, classification: Classification
    ) -> Classified:
        """Wrap the verdict, dropping the title when titles must not be recorded."""
        if not self._privacy.record_titles:
            sample = replace(sample, title="")
        return Classified(sample, activity, classification)


def _is_own_window(sample: Sample) -> bool:
    """FocusGuard's windows: its process (focusguard, focusguard-gui, focusguard.exe)
    or a window titled "FocusGuard" / "FocusGuard ..." (e.g. when run as python -m)."""
    return (
        sample.app.casefold().startswith(OWN_APP)
        or sample.title == OWN_TITLE
        or sample.title.startswith(OWN_TITLE + " ")
    )

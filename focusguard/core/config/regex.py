"""Users' regexes (a rule's title/any, a privacy exclusion), matched in linear time by RE2.

Validation and classification compile them the same way, so a config that validates
can always be compiled by :class:`focusguard.core.rules.Classifier`.
"""

from __future__ import annotations

import re
import warnings
from re import _constants as sre  # type: ignore[attr-defined]  # private: see Regex
from re import _parser  # type: ignore[attr-defined]
from typing import Final

import re2  # google-re2: user regexes are matched in linear time (see Regex)

TITLE_FLAGS: Final = re.IGNORECASE


class RegexError(re.error):
    """A user regex FocusGuard cannot use. A ``re.error``, so code that catches
    Python's regex errors catches these too; ``msg`` is worded for the user."""


# Parse-tree operations RE2 cannot run: look-arounds and back-references (and
# conditionals on a group, a kind of back-reference). They are what lets a pattern
# backtrack exponentially; RE2 rejects them and matches everything else in time
# linear in the title.
_UNBOUNDED_OPS: Final = frozenset({
    sre.ASSERT, sre.ASSERT_NOT, sre.GROUPREF, sre.GROUPREF_EXISTS,
    sre.GROUPREF_IGNORE, sre.GROUPREF_LOC_IGNORE, sre.GROUPREF_UNI_IGNORE,
})
UNBOUNDED_MESSAGE: Final = (
    "uses a look-around or back-reference, which FocusGuard does not allow because "
    "such patterns can hang matching"
)


def _unbounded(node: object) -> bool:
    """True when a parse tree (of ``re._parser``) holds an op in ``_UNBOUNDED_OPS``."""
    if isinstance(node, _parser.SubPattern):
        return any(op in _UNBOUNDED_OPS or _unbounded(av) for op, av in node.data)
    if isinstance(node, tuple | list):
        return any(_unbounded(item) for item in node)
    return False


class Regex:
    """A user's regex (a rule's title/any, a privacy exclusion), matched by RE2.

    Python's ``re`` backtracks: ``(a+)+$`` against 36 "a"s and "!" runs for hours
    and froze the app (issue 11). RE2 takes time linear in the title whatever the
    pattern. The syntax users write is Python's (checked first, for messages with a
    position), less what RE2 cannot do (look-arounds, back-references, ``\\Z``,
    verbose ``(?x)``, repeats over 1000).
    """

    __slots__ = ("_regexp", "pattern")

    def __init__(self, pattern: str, *, case_sensitive: bool) -> None:
        with warnings.catch_warnings():  # Python's FutureWarnings concern Python's engine
            warnings.simplefilter("ignore")
            try:
                tree = _parser.parse(pattern, 0 if case_sensitive else TITLE_FLAGS)
            except re.error as exc:
                raise RegexError(exc.msg, pattern, exc.pos) from None
            except (OverflowError, RecursionError) as exc:  # e.g. a{99999999999}, 10,000 "("
                raise RegexError(f"is too complex ({exc})", pattern) from None
        if _unbounded(tree):
            raise RegexError(UNBOUNDED_MESSAGE, pattern)
        if tree.state.flags & re.VERBOSE:
            raise RegexError("uses verbose mode (?x), which FocusGuard's regex engine (RE2) "
                             "does not support: write it without spaces and comments", pattern)
        options = re2.Options()
        options.case_sensitive = case_sensitive
        options.log_errors = False  # the message reaches the user, not stderr
        options.never_capture = True  # only "does it match" is asked: no groups to track
        try:
            self._regexp = re2.compile(pattern, options)
        except re2.error as exc:
            detail = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            hint = " (use $ for the end of the title)" if detail.endswith("\\Z") else ""
            raise RegexError(f"is not supported by FocusGuard's regex engine (RE2): {detail}{hint}", pattern) from None
        self.pattern = pattern

    def search(self, text: str) -> bool:
        """True when the regex matches anywhere in ``text``. Lone surrogates (a title
        decoded with surrogateescape) are passed through as bytes that match nothing."""
        return self._regexp.search(text.encode("utf-8", "surrogatepass")) is not None


def compile_title_regex(pattern: str) -> Regex:
    """Compile a title regex exactly as the classifier will use it (ignoring case).

    Validation and classification share this so that a config that validates can
    always be compiled by :class:`focusguard.core.rules.Classifier`. Raises RegexError.
    """
    return Regex(pattern, case_sensitive=False)


def compile_rule_regex(pattern: str, *, case_sensitive: bool = False) -> Regex:
    """Compile a rule's ``title`` or ``any`` regex as the classifier will: ignoring
    case unless the rule says ``case_sensitive = true``. Raises RegexError."""
    return Regex(pattern, case_sensitive=case_sensitive)

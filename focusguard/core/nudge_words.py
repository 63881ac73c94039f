"""What the nudge card says first, and how it thanks the user for teaching it.

The seed of the product is one sentence: "a productive distraction is a death blow",
because it feels justified while the priority waits. Every class of off-priority time
gets words in that voice: direct, short, never shaming, no exclamation marks. One
fixed sentence per class turns into wallpaper within a week, so each class has
several, and the nudge's number picks one: consecutive nudges never repeat a sentence,
and a replayed day (a test) always gets the same words.
"""

from __future__ import annotations

from focusguard.core.model import Classification

HEADLINES: dict[Classification, tuple[str, ...]] = {
    Classification.PRODUCTIVE_DISTRACTION: (
        "A productive distraction is a death blow.",
        "Useful work. Not today's priority.",
        "It feels like work. It is not the priority.",
        "Busy is not the same as on priority.",
        "Good work on the wrong thing still costs the day.",
    ),
    Classification.DISTRACTION: (
        "This can wait. Your priority can't.",
        "This is where the day leaks away.",
        "Easy to open, hard to leave. Time to leave.",
        "Nothing here moves your priority.",
        "The priority will not do itself.",
        "A minute more here is a minute less there.",
    ),
    Classification.UNCLASSIFIED: (
        "What is this?",
        "Work, or a detour?",
        "Where does this window belong?",
        "Is this part of the plan?",
    ),
}


def headline(classification: Classification, number: int) -> str:
    """The headline of the nudge numbered ``number`` (its id in the store).

    Nudges are numbered one after another, so taking the sentences in turn means two
    nudges in a row never share one. Each round through the list starts one further on,
    so a class whose nudges take every second (or third) number still meets all of its
    sentences within a week instead of the same half of them."""
    try:
        sentences = HEADLINES[classification]
    except KeyError:
        raise ValueError(f"no nudge for {classification.value!r} time") from None
    count = len(sentences)
    return sentences[(number + number // count) % count]


def nudge_number(nudge_id: int | None, at: float) -> int:
    """The number that picks a nudge's words: its store id, or, when the store could not
    give one, the minute it came at (still steady for a given nudge)."""
    return nudge_id if nudge_id is not None else int(at // 60)


def acknowledgement(what: str, activity: str) -> str:
    """The card's answer to being taught: "Got it: xterm is now Code." """
    what = what.strip() or "This window"
    return f"Got it: {what} is now {activity.strip()}."

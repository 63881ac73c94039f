"""The nudge's words: punchy, varied, never the same twice in a row, pinned by number."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from focusguard.core.model import Classification
from focusguard.core.nudge_words import HEADLINES, acknowledgement, headline, nudge_number

OFF = [Classification.PRODUCTIVE_DISTRACTION, Classification.DISTRACTION, Classification.UNCLASSIFIED]


def test_the_seed_sentence_is_the_first_productive_distraction_headline() -> None:
    assert headline(Classification.PRODUCTIVE_DISTRACTION, 0) == "A productive distraction is a death blow."


def test_the_plain_distraction_headline_is_gone() -> None:
    every = {sentence for sentences in HEADLINES.values() for sentence in sentences}
    assert "This is a distraction." not in every


@pytest.mark.parametrize("classification", OFF)
def test_each_class_has_several_short_plain_sentences(classification: Classification) -> None:
    sentences = HEADLINES[classification]
    assert len(sentences) >= 4 and len(set(sentences)) == len(sentences)
    for sentence in sentences:
        assert len(sentence) <= 52, sentence  # one line on the level-1 card
        assert "!" not in sentence and sentence[-1] in ".?"
        assert not any(word in sentence.lower() for word in ("you should", "lazy", "shame", "waste"))


def test_no_sentence_is_shared_between_classes() -> None:
    every = [sentence for sentences in HEADLINES.values() for sentence in sentences]
    assert len(every) == len(set(every))


@pytest.mark.parametrize("classification", OFF)
def test_consecutive_nudges_never_repeat_a_sentence(classification: Classification) -> None:
    words = [headline(classification, number) for number in range(1, 200)]
    assert all(a != b for a, b in itertools.pairwise(words))


def test_a_week_of_nudges_uses_every_sentence() -> None:
    """Twelve nudges a day, classes in turn, numbered as the store numbers them."""
    seen: dict[Classification, set[str]] = {c: set() for c in OFF}
    number = 1
    for _day in range(7):
        for nudge in range(12):
            classification = OFF[nudge % 2]  # the two "off priority" classes alternate
            seen[classification].add(headline(classification, number))
            number += 1
    for classification in OFF[:2]:
        assert seen[classification] == set(HEADLINES[classification])


def test_the_same_number_always_gets_the_same_words() -> None:
    assert headline(Classification.DISTRACTION, 7) == headline(Classification.DISTRACTION, 7)
    assert headline(Classification.DISTRACTION, 7) == HEADLINES[Classification.DISTRACTION][2]


@pytest.mark.parametrize("classification", [Classification.PRIORITY, Classification.NEUTRAL])
def test_time_that_is_not_off_priority_has_no_headline(classification: Classification) -> None:
    with pytest.raises(ValueError, match="no nudge"):
        headline(classification, 0)


def test_a_nudge_without_a_store_id_is_numbered_by_its_minute() -> None:
    at = datetime(2026, 11, 25, 10, 3, 30).timestamp()
    assert nudge_number(42, at) == 42
    assert nudge_number(None, at) == int(at // 60)
    assert nudge_number(None, at + 60) == nudge_number(None, at) + 1


def test_acknowledgement() -> None:
    assert acknowledgement("xterm", "Code") == "Got it: xterm is now Code."
    assert acknowledgement(" ", "Reading ") == "Got it: This window is now Reading."

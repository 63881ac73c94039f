"""Answers to nudges have colours of their own, and muted text still reads."""

from __future__ import annotations

from focusguard.core import palette, report
from focusguard.core.model import Answer


def test_every_answer_has_a_colour_no_class_uses() -> None:
    classes = {s.colour for s in palette.CLASSIFICATION.values()} | {t.colour for t in palette.TRAY.values()}
    answers = [palette.answer_colour(a) for a in Answer] + [palette.answer_colour(None)]
    assert not set(answers) & classes
    assert len(set(answers)) == len(answers)


def test_the_review_draws_answers_in_the_answer_colours() -> None:
    for key, colour in report.ANSWER_COLOURS.items():
        assert colour == palette.answer_colour(key)
    assert report.ANSWER_COLOURS[Answer.BACK.value] != palette.PRIORITY


def test_contrast() -> None:
    assert palette.contrast("#000000", "#FFFFFF") == 21
    assert palette.contrast(palette.MUTED_INK, palette.PAGE) >= 4.5
    assert palette.contrast(palette.INK, palette.FIELD) >= 4.5

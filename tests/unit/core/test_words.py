"""Counts, minutes, sizes and table cells in words (focusguard.core.words)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.core import words


@pytest.mark.parametrize(("count", "text"), [(0, "0 declarations"), (1, "1 declaration"), (2, "2 declarations")])
def test_plural(count: int, text: str) -> None:
    assert words.plural(count, "declaration") == text


def test_plural_of_an_irregular_word() -> None:
    assert words.plural(1, "activity", "activities") == "1 activity"
    assert words.plural(3, "activity", "activities") == "3 activities"


@pytest.mark.parametrize(("value", "text"), [(0.5, "30 s"), (0.25, "15 s"), (1, "1 min"), (1.5, "1.5 min"),
                                             (10, "10 min"), (2.04, "2 min"), (240, "240 min")])
def test_minutes_never_round_half_a_minute_to_one(value: float, text: str) -> None:
    assert words.minutes(value) == text


def test_minutes_refuse_nonsense() -> None:
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            words.minutes(bad)


@pytest.mark.parametrize(("size", "text"), [(1, "1 byte"), (512, "512 bytes"), (4096, "4.1 kB"),
                                            (2_700_000, "2.7 MB"), (12_400_000, "12 MB")])
def test_size(size: int, text: str) -> None:
    assert words.size(size) == text


def test_fit_cuts_with_an_ellipsis_and_pads() -> None:
    assert words.fit("Other productive work", 10) == "Other pro…"
    assert words.fit("Email", 8) == "Email   "
    assert words.fit("3 min", 8, right=True) == "   3 min"
    assert words.fit("tab\tand\nnewline", 20) == "tab and newline     "


def test_fit_counts_wide_characters_as_two_columns() -> None:
    assert words.fit("会議の資料", 6) == "会議… "
    assert words.width(words.fit("会議の資料", 6)) == 6


@given(st.text(), st.integers(min_value=1, max_value=60))
def test_fit_always_takes_exactly_its_columns(text: str, columns: int) -> None:
    assert words.width(words.fit(text, columns)) == columns
